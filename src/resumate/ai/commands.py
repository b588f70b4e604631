"""`resumate analyze FILE [--json]`: run the offline analyzer on a file without a server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resumate.ai.analyzer import analyze_document
from resumate.ai.documents import DocumentError, detect_kind
from resumate.ai.schemas import CVAnalysis

_SEVERITY_MARK = {"high": "!!!", "medium": " !!", "low": "  !"}


def analyze_command(
    file: Annotated[Path, typer.Argument(help="A CV as PDF or DOCX.", show_default=False)],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the full analysis as JSON.")
    ] = False,
) -> None:
    """Analyse a CV offline and print the report (or the full JSON)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"Cannot read {file}: {exc.strerror or exc}", err=True)
        raise typer.Exit(code=2) from None
    kind = detect_kind(data)
    if kind is None:
        typer.echo(f"{file} is not a PDF or a Word (.docx) document.", err=True)
        raise typer.Exit(code=2)
    try:
        analysis = analyze_document(data, kind)
    except DocumentError as exc:
        typer.echo(f"Cannot analyse {file}: {exc.message}", err=True)
        raise typer.Exit(code=1) from None
    if json_output:
        typer.echo(analysis.model_dump_json(indent=2))
        return
    typer.echo(format_report(analysis))


def format_report(a: CVAnalysis) -> str:
    c = a.contact
    out: list[str] = []
    out.append(f"{c.name or 'Unknown name'}  —  quality score {a.quality_score}/100")
    out.append("")
    out.append(a.summary)
    out.append("")
    contact = [
        ("Email", c.email),
        ("Phone", c.phone_e164 or c.phone),
        ("Location", c.location),
        ("LinkedIn", c.linkedin),
        ("GitHub", c.github),
        ("Website", c.website),
    ]
    out.append("Contact")
    out.extend(f"  {label:<9} {value}" for label, value in contact if value)
    out.append("")
    out.append(f"Experience: {a.total_experience_years:g} years   Language: {a.language}")
    out.append(f"Sections: {', '.join(a.sections) or 'none recognised'}")
    work = a.parsed_content.get("work", [])
    for job in work[:8]:
        when = f"{job.get('startDate', '?')} – {job.get('endDate', 'present')}"
        who = " @ ".join(p for p in (job.get("position"), job.get("name")) if p)
        out.append(f"  {when:<20} {who}")
    out.append("")
    if a.skills:
        out.append("Skills (by evidence)")
        for s in a.skills[:25]:
            out.append(f"  {s.name:<32} {s.category:<26} {s.evidence:<15} x{s.mentions}")
        out.append("")
    out.append("Score breakdown")
    for comp in a.quality_breakdown:
        out.append(f"  {comp.name:<26} {comp.points:>3}/{comp.max_points:<3} {comp.reason}")
    out.append("")
    if a.ats_feedback:
        out.append("ATS feedback")
        for f in a.ats_feedback:
            out.append(f"  {_SEVERITY_MARK[f.severity]} [{f.severity}] {f.message}")
            out.append(f"        Fix: {f.fix}")
    for w in a.warnings:
        out.append(f"Warning: {w}")
    return "\n".join(out)
