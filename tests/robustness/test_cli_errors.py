"""The command line with bad input: one line on stderr and a non-zero exit, never a traceback
(``--debug`` shows it); hostile text in files works."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from resumate import cli
from tests.robustness.files import emoji_cv_pdf
from tests.test_cli import child_env, run


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "array.json").write_text("[1, 2]")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "dir.pdf").mkdir()
    (tmp_path / "hostile.json").write_text(
        '{"basics": {"name": "Ana\\u0000 Mar\\u00eda \\ud83d", "label": "\\u0645\\u0647\\u0646\\u062f\\u0633"},'
        ' "x-key\\u0000": ["\\udc00"]}'
    )
    (tmp_path / "emoji.pdf").write_bytes(emoji_cv_pdf())
    return tmp_path


BAD = [
    (["analyze", "missing.pdf"], "Cannot read missing.pdf"),
    (["analyze", "dir.pdf"], "Cannot read dir.pdf"),
    (["analyze", "array.json"], "is not a PDF or a Word"),
    (["render", "deep.json"], "nested too deeply"),
    (["render", "binary.json"], "is not valid JSON"),
    (["render", "hostile.json", "-o", "dir.pdf"], "cannot write dir.pdf"),
    (["render", "hostile.json", "-t", "no-such-template"], "unknown template"),
    (["serve", "--port", "99999"], "--port"),
    (["no-such-command"], "No such command"),
    (["analyze", "emoji.pdf", "--bogus"], "No such option: --bogus"),
    (["create-admin", "not-an-email"], "invalid email"),
]


@pytest.mark.parametrize(("args", "expected"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_and_non_zero(folder: Path, args: list[str], expected: str) -> None:
    result = run(args, folder, child_env(folder / "data"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]


@pytest.fixture
def failing_command() -> Iterator[None]:
    """A command that fails the way a bug would (registered for this test only)."""

    def boom() -> None:
        raise RuntimeError("the database said\nsomething long\tand multi-line")

    cli.app.command("boom", hidden=True)(boom)
    try:
        yield
    finally:
        cli.app.registered_commands.pop()
        cli._debug = False


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(
    failing_command: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["boom"]) == 1
    quiet = capsys.readouterr()
    assert "Traceback" not in quiet.err
    assert quiet.err.strip().splitlines() == [
        "error: RuntimeError: the database said something long and multi-line "
        "(--debug shows the details)"
    ]
    assert cli.main(["boom", "--debug"]) == 1
    loud = capsys.readouterr()
    assert "Traceback (most recent call last)" in loud.err and 'raise RuntimeError("the' in loud.err


def test_hostile_text_in_files_works(folder: Path) -> None:
    rendered = run(["render", "hostile.json", "-o", "out.pdf"], folder, child_env(folder))
    assert rendered.returncode == 0, rendered.stderr
    assert (folder / "out.pdf").read_bytes().startswith(b"%PDF")
    analysed = run(["analyze", "emoji.pdf", "--json"], folder, child_env(folder))
    assert analysed.returncode == 0, analysed.stderr
    analysis = json.loads(analysed.stdout)
    assert analysis["quality_score"] > 0
    assert "Kubernetes" in {skill["name"] for skill in analysis["skills"]}
