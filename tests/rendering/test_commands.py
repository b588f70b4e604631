"""`resumate render` as a Typer command, with no server or database."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from resumate.rendering.commands import render_command
from resumate.rendering.pdf import TEMPLATES_DIR, count_pdf_pages
from tests.rendering.conftest import COMPLETE, pdf_text

app = typer.Typer()
app.command("render")(render_command)


@app.callback()
def _root() -> None:
    """Keeps `render` a subcommand, as in the real CLI."""


runner = CliRunner()


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_renders_a_pdf(tmp_path: Path) -> None:
    source = write_json(tmp_path / "resume.json", COMPLETE)
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["render", str(source), "--template", "modern", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "out.pdf" in result.output
    pdf = out.read_bytes()
    assert count_pdf_pages(pdf) >= 1
    assert "Zoë Kowalczyk-Ibáñez" in pdf_text(pdf)


def test_default_template_and_output(tmp_path: Path) -> None:
    source = write_json(tmp_path / "cv.json", {"basics": {"name": "Default Dana"}})
    result = runner.invoke(app, ["render", str(source)])
    assert result.exit_code == 0, result.output
    assert "template classic" in result.output
    assert "Default Dana" in pdf_text((tmp_path / "cv.pdf").read_bytes())


def test_template_folder(tmp_path: Path) -> None:
    source = write_json(tmp_path / "r.json", {"basics": {"name": "Folder Fred"}})
    out = tmp_path / "r.pdf"
    folder = TEMPLATES_DIR / "academic"
    result = runner.invoke(app, ["render", str(source), "-t", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Folder Fred" in pdf_text(out.read_bytes())


def test_invalid_document_lists_json_paths(tmp_path: Path) -> None:
    source = write_json(
        tmp_path / "bad.json", {"basics": {"email": "nope"}, "work": [{"startDate": "2020-13"}]}
    )
    result = runner.invoke(app, ["render", str(source)])
    assert result.exit_code == 1
    assert "$.basics.email" in result.output
    assert "$.work[0].startDate" in result.output
    assert not (tmp_path / "bad.pdf").exists()


def test_not_json(tmp_path: Path) -> None:
    source = tmp_path / "broken.json"
    source.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["render", str(source)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(tmp_path / "absent.json")])
    assert result.exit_code == 1
    assert "cannot read" in result.output


def test_unknown_template(tmp_path: Path) -> None:
    source = write_json(tmp_path / "r.json", {})
    result = runner.invoke(app, ["render", str(source), "-t", "fancy"])
    assert result.exit_code == 1
    assert "classic" in result.output and "modern" in result.output


def test_failing_template_folder_shows_compiler_message(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "template.typ").write_text("#let x = (\n", encoding="utf-8")
    source = write_json(tmp_path / "r.json", {})
    result = runner.invoke(app, ["render", str(source), "-t", str(folder)])
    assert result.exit_code == 1
    assert "unclosed delimiter" in result.output
