import json
from datetime import date
from pathlib import Path

import typst
from typer.testing import CliRunner

from resumate.ai.analyzer import ANALYZER_VERSION, analyze_document, analyze_text
from resumate.ai.documents import ExtractedText
from resumate.ai.jobtext import extract_job_requirements, min_experience_years

TODAY = date(2025, 6, 1)

CV_SOURCE = """
#set page(paper: "a4", margin: 1.6cm)
#set text(font: "DejaVu Sans", size: 10pt)
#align(center)[#text(size: 20pt, weight: "bold")[Maria Rossi] \\
maria.rossi\\@example.com | +39 312 345 6789 | Milano, Italia | linkedin.com/in/maria-rossi]
== PROFILO
Infermiera con esperienza in terapia intensiva.
== ESPERIENZA PROFESSIONALE
*ICU Nurse*, Ospedale Niguarda, Milano #h(1fr) 03/2018 – presente \\
- Delivered patient care for 12 patients per shift in a 20-bed ICU
- Cut medication errors by 30% with a double-check protocol
*Staff Nurse*, Clinica San Carlo #h(1fr) 09/2014 – 06/2018 \\
- Wound care and IV therapy on a surgical ward
== ISTRUZIONE
Laurea in Infermieristica, Università di Milano #h(1fr) 2011 – 2014
== COMPETENZE
Patient care, wound care, IV therapy, BLS, ACLS, Epic EHR, infection control
== LINGUE
Italiano (madrelingua), English (B2)
"""


def test_end_to_end_pdf_analysis() -> None:
    pdf = bytes(typst.compile(CV_SOURCE.encode(), format="pdf"))
    a = analyze_document(pdf, "pdf", today=TODAY)
    assert a.contact.name == "Maria Rossi"
    assert a.contact.email == "maria.rossi@example.com"
    assert a.contact.phone_e164 == "+393123456789"
    assert a.contact.linkedin == "https://www.linkedin.com/in/maria-rossi"
    assert a.language == "en"  # Italian headings, English bullets: the bulk decides
    assert a.total_experience_years == 10.8  # Sep 2014 -> 1 June 2025 (129 months), overlap once
    assert {"summary", "experience", "education", "skills", "languages"} <= set(a.sections)
    names = {s.name for s in a.skills}
    assert {"Patient care", "Wound care", "IV therapy", "Basic Life Support",
            "Advanced Cardiac Life Support", "Epic Systems", "Infection control"} <= names  # fmt: skip
    work = a.parsed_content["work"]
    assert work[0]["startDate"] == "2018-03" and "endDate" not in work[0]
    assert work[1]["endDate"] == "2018-06"
    assert work[0]["position"] == "ICU Nurse"
    assert a.parsed_content["basics"]["email"] == "maria.rossi@example.com"
    assert a.parsed_content["education"][0]["endDate"] == "2014"
    assert 0 <= a.quality_score <= 100
    assert sum(c.points for c in a.quality_breakdown) == a.quality_score
    assert sum(c.max_points for c in a.quality_breakdown) == 100
    assert a.provider == "offline" and a.model == ANALYZER_VERSION
    assert "Maria Rossi" in a.summary and "ICU Nurse" in a.summary
    json.dumps(a.model_dump())  # serialisable for the API


def test_detect_language() -> None:
    from resumate.ai.analyzer import detect_language

    assert (
        detect_language("Ich habe mit dem Team die Prozesse für den Vertrieb und das ist gut")
        == "de"
    )
    assert (
        detect_language("Responsable de la gestion des projets et des équipes dans une usine")
        == "fr"
    )
    assert detect_language("Managed the rollout of a new system for the finance team") == "en"


def test_weak_cv_gets_concrete_findings() -> None:
    text = """John Smith
I am a hard worker. My goal is to find a job where I can use my skills.
Work
Helped customers in the shop and did other things as needed by my manager every day.
"""
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    codes = {f.code for f in a.ats_feedback}
    assert {"MISSING_EMAIL", "MISSING_PHONE", "MISSING_DATES", "TOO_SHORT",
            "MISSING_SKILLS_SECTION", "FIRST_PERSON"} <= codes  # fmt: skip
    assert all(f.fix for f in a.ats_feedback if f.status != "passed")
    assert all(not f.fix for f in a.ats_feedback if f.status == "passed")
    assert a.quality_score < 40
    assert a.total_experience_years == 0.0


def test_overlapping_jobs_without_headings_use_all_date_ranges() -> None:
    text = """Sam Lee
sam@example.com
Analyst, Foo Corp 2018 - 2021
Consultant, Bar Ltd 2020 - 2022
BSc Economics, University of Bristol 2014 - 2017
"""
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    assert a.total_experience_years == 5.0  # January 2018 to December 2022


def test_job_requirements() -> None:
    jd = """Senior Backend Engineer
Requirements:
- 5+ years of experience building services in Go or Python
- Strong PostgreSQL and Docker skills
Nice to have:
- Terraform
Familiarity with React is a plus."""
    req = extract_job_requirements(jd)
    assert {"Go", "Python", "PostgreSQL", "Docker"} <= set(req.required_skills)
    assert {"Terraform", "React"} <= set(req.nice_to_have_skills)
    assert not set(req.required_skills) & set(req.nice_to_have_skills)
    assert req.min_experience_years == 5.0
    assert min_experience_years("at least three years of experience in nursing") == 3.0
    assert min_experience_years("3-5 years of relevant experience") == 3.0
    assert min_experience_years("Sie haben mindestens 3 Jahre Berufserfahrung") == 3.0
    assert min_experience_years("minimum of 2 years experience in sales") == 2.0
    assert min_experience_years("We are a company with 20 years of history.") is None


def test_cli_command(tmp_path: Path) -> None:
    import typer

    from resumate.ai.commands import analyze_command

    app = typer.Typer()
    app.command("analyze")(analyze_command)
    app.command("noop")(lambda: None)
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(bytes(typst.compile(CV_SOURCE.encode(), format="pdf")))
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "Maria Rossi" in result.output and "quality score" in result.output
    result = runner.invoke(app, ["analyze", str(pdf), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["contact"]["email"] == "maria.rossi@example.com"
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    result = runner.invoke(app, ["analyze", str(bad)])
    assert result.exit_code != 0
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 broken")
    result = runner.invoke(app, ["analyze", str(broken)])
    assert result.exit_code == 1
