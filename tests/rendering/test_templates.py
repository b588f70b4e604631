"""Uploaded (non built-in) templates: test-compiling, sandboxing and assets."""

from __future__ import annotations

import dataclasses
import json
import zlib

import pytest

from resumate.rendering import (
    TemplateError,
    TemplateSource,
    check_template,
    load_builtin_template,
    render_pdf,
    sample_resume,
)
from resumate.rendering.pdf import TEMPLATES_DIR, template_from_folder
from resumate.rendering.previews import LABELS_SOURCE, SHARED_FILES
from tests.rendering.conftest import COMPLETE, TEMPLATES, pdf_text

HEADER = b"#let d = json(bytes(sys.inputs.data))\n#set document(date: none)\n"


def uploaded(main: bytes, assets: dict[str, bytes] | None = None) -> TemplateSource:
    return TemplateSource(slug="uploaded", version="1", main=main, assets=assets or {})


def tiny_png() -> bytes:
    """A valid 1x1 PNG built by hand, as an asset."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("slug", TEMPLATES)
def test_builtin_templates_pass_the_upload_check(slug: str) -> None:
    builtin = load_builtin_template(slug)
    check_template(builtin)
    # The same files, as if uploaded and stored elsewhere, compile from a private copy.
    copy = dataclasses.replace(builtin, directory=None)
    check_template(copy)
    assert render_pdf(COMPLETE, copy).sha256 == render_pdf(COMPLETE, builtin).sha256


def test_builtin_helper_library_copies_are_in_sync() -> None:
    for source, name in SHARED_FILES.items():
        for slug in TEMPLATES:
            assert (TEMPLATES_DIR / slug / name).read_bytes() == source.read_bytes(), (
                f"{slug}/{name} differs: run python -m resumate.rendering.previews"
            )


def test_labels_are_complete_in_every_language() -> None:
    labels = json.loads(LABELS_SOURCE.read_text(encoding="utf-8"))
    english = set(labels["en"])
    for language, table in labels.items():
        assert set(table) == english, language
        assert len(table["months"]) == 12, language
        assert all(isinstance(v, str) and v for k, v in table.items() if k != "months")


def test_uploaded_template_with_assets() -> None:
    main = HEADER + (
        b'#import "parts/header.typ": banner\n'
        b"#banner(d.basics.name)\n"
        b'#image("img/dot.png", width: 1cm)\n'
    )
    assets = {
        "parts/header.typ": b"#let banner(name) = [Resume of #name, from an asset]",
        "img/dot.png": tiny_png(),
    }
    template = uploaded(main, assets)
    result = render_pdf({"basics": {"name": "Ada Asset"}}, template)
    assert "Resume of Ada Asset, from an asset" in pdf_text(result.pdf)


def test_syntax_error_carries_the_compiler_message() -> None:
    template = uploaded(HEADER + b"#let broken = (1, 2\n= Oops\n")
    with pytest.raises(TemplateError) as info:
        check_template(template)
    assert "unclosed delimiter" in info.value.message
    assert "template.typ" in info.value.details
    assert "/tmp" not in info.value.details  # no server paths in messages


def test_runtime_error_carries_the_compiler_message() -> None:
    template = uploaded(HEADER + b'#d.basics.at("nickname")')
    with pytest.raises(TemplateError) as info:
        check_template(template)
    assert "nickname" in info.value.message


def test_template_must_handle_an_empty_resume() -> None:
    # Works with the full sample, fails when sections are missing: refused at upload.
    template = uploaded(HEADER + b"#d.basics.name")
    render_pdf(sample_resume(), template)
    with pytest.raises(TemplateError) as info:
        check_template(template)
    assert "basics" in info.value.message


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../../../etc/passwd", "../outside.txt"])
def test_template_cannot_read_outside_its_folder(path: str) -> None:
    template = uploaded(HEADER + f'#read("{path}")'.encode())
    with pytest.raises(TemplateError) as info:
        render_pdf({}, template)
    assert "root:" not in info.value.details
    assert "not found" in info.value.message or "escape the project root" in info.value.message


def test_builtin_template_cannot_read_outside_its_folder() -> None:
    builtin = load_builtin_template("classic")
    evil = dataclasses.replace(builtin, main=builtin.main + b'\n#read("../modern/template.typ")')
    with pytest.raises(TemplateError, match="escape the project root"):
        render_pdf({}, dataclasses.replace(evil, directory=None))


def test_package_imports_are_refused_without_network() -> None:
    template = uploaded(b'#import "@preview/some-package:0.1.0": *\n')
    with pytest.raises(TemplateError, match="package"):
        check_template(template)


def test_only_the_resume_json_is_passed_in() -> None:
    template = uploaded(b'#set document(date: none)\nKEYS=#sys.inputs.keys().join(",")')
    assert "KEYS=data" in pdf_text(render_pdf({}, template).pdf)


def test_sys_inputs_of_one_render_never_reach_the_next() -> None:
    """A data-file template after a `sys.inputs` one on the same thread shows its own resume:
    the helper library reads `sys.inputs.data` first, so stale inputs would show the other."""
    inputs_template = uploaded(HEADER + b"#d.basics.name")
    builtin = load_builtin_template("classic")
    for round_ in range(2):
        first = f"Inputs Person {round_}"
        second = f"File Person {round_}"
        assert first in pdf_text(render_pdf({"basics": {"name": first}}, inputs_template).pdf)
        text = pdf_text(render_pdf({"basics": {"name": second}}, builtin).pdf)
        assert second in text
        assert first not in text


@pytest.mark.parametrize(
    "name", ["../evil.typ", "/abs.typ", "a/../../b.typ", "a\\b.typ", "", "meta.json"]
)
def test_unsafe_asset_paths_are_refused(name: str) -> None:
    with pytest.raises(TemplateError):
        render_pdf({}, uploaded(HEADER, {name: b"x"}))


def test_bad_slug_is_refused() -> None:
    with pytest.raises(TemplateError, match="slug"):
        check_template(TemplateSource(slug="Bad Slug!", version="1", main=HEADER))


def test_same_content_is_materialised_once() -> None:
    first = uploaded(HEADER + b"Same")
    second = dataclasses.replace(first, slug="other", version="2")
    assert first.digest == second.digest
    assert first.digest != uploaded(HEADER + b"Different").digest
    assert render_pdf({}, first).sha256 == render_pdf({}, second).sha256


def test_template_from_folder_reads_meta(tmp_path: object) -> None:
    folder = TEMPLATES_DIR / "compact"
    source = template_from_folder(folder)
    assert source.slug == "compact"
    assert source.directory is None
    assert "lib.typ" in source.assets
    assert not {"meta.json", "preview.png", "template.typ"} & set(source.assets)
