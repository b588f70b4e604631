"""`resumate render`: JSON Resume file to PDF, with no server and no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from resumate.jsonresume import ResumeValidationError
from resumate.rendering.pdf import (
    MAIN_FILE,
    RenderError,
    TemplateError,
    TemplateNotFound,
    TemplateSource,
    builtin_templates,
    load_builtin_template,
    render_pdf,
    template_from_folder,
)

__all__ = ["render_command"]


def _fail(message: str) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(1)


def _load_template(template: str) -> TemplateSource:
    folder = Path(template)
    if (folder / MAIN_FILE).is_file():
        return template_from_folder(folder)
    try:
        return load_builtin_template(template)
    except TemplateNotFound:
        names = ", ".join(t.slug for t in builtin_templates())
        raise _fail(
            f"unknown template {template!r}: choose one of {names}, "
            f"or give a folder containing {MAIN_FILE}"
        ) from None


def render_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A JSON Resume file (https://jsonresume.org/schema).", show_default=False
        ),
    ],
    template: Annotated[
        str,
        typer.Option(
            "--template",
            "-t",
            help="A built-in template (classic, modern, compact, academic) or a template folder.",
        ),
    ] = "classic",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where to write the PDF (default: FILE with a .pdf suffix)."
        ),
    ] = None,
) -> None:
    """Render a JSON Resume file to PDF with a Typst template."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _fail(f"{file} is not valid JSON: {exc}") from None
    except RecursionError:
        raise _fail(f"{file} is not usable JSON: it is nested too deeply") from None
    source = _load_template(template)
    try:
        result = render_pdf(data, source)
    except ResumeValidationError as exc:
        lines = [f"{file} is not a valid JSON Resume document:"]
        lines += [f"  {error['path']}: {error['message']}" for error in exc.errors]
        raise _fail("\n".join(lines)) from None
    except TemplateError as exc:
        raise _fail(f"template {source.slug!r} failed to compile:\n{exc.details}") from None
    except RenderError as exc:
        raise _fail(str(exc)) from None
    target = output if output is not None else file.with_suffix(".pdf")
    try:
        target.write_bytes(result.pdf)
    except OSError as exc:
        raise _fail(f"cannot write {target}: {exc.strerror or exc}") from None
    typer.echo(
        f"Wrote {target} ({result.pages} page{'s' if result.pages != 1 else ''}, "
        f"{result.size_bytes / 1024:.0f} KB, template {source.slug})"
    )
