"""Rendering in spawned worker processes."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import pytest

from resumate.jsonresume import ResumeValidationError
from resumate.rendering import PageOutOfRange, TemplateError, TemplateSource, load_builtin_template
from resumate.rendering.pool import RenderPool
from tests.rendering.conftest import COMPLETE, pdf_text


@pytest.fixture(scope="module")
def pool() -> Iterator[RenderPool]:
    render_pool = RenderPool(workers=1, warm=False)
    yield render_pool
    render_pool.close()


async def test_pool_renders_pdf_and_png(pool: RenderPool) -> None:
    template = load_builtin_template("compact")
    result = await pool.render_pdf(COMPLETE, template)
    assert "Zoë Kowalczyk-Ibáñez" in pdf_text(result.pdf)
    png = await pool.render_png(COMPLETE, template, page=1, ppi=30)
    assert png.startswith(b"\x89PNG")


async def test_pool_errors_keep_their_type_and_details(pool: RenderPool) -> None:
    with pytest.raises(ResumeValidationError) as invalid:
        await pool.render_pdf({"basics": {"name": 1}}, load_builtin_template("classic"))
    assert invalid.value.errors[0]["path"] == "$.basics.name"
    with pytest.raises(PageOutOfRange) as out_of_range:
        await pool.render_png(COMPLETE, load_builtin_template("compact"), page=9)
    assert out_of_range.value.pages == 1
    broken = TemplateSource(slug="broken", version="1", main=b"#let x = (")
    with pytest.raises(TemplateError) as failed:
        await pool.render_pdf({}, broken)
    assert "unclosed delimiter" in failed.value.details


def test_errors_pickle() -> None:
    for error in (
        ResumeValidationError([{"path": "$", "message": "m"}]),
        TemplateError("short", details="long"),
        PageOutOfRange(3, 2),
    ):
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
        assert type(copy) is type(error) and str(copy) == str(error)
        assert vars(copy) == vars(error)
