"""Section headings of current and past jobs in eight languages, a rule of underscores glued to a
heading, experience headings over no date while the jobs stand elsewhere, a wrapped bullet line
that reads like a heading, an entry title set like a heading with its dates under it.

Lines of text are built in the test (with their layout where the rule depends on it).
"""

from __future__ import annotations

from datetime import date

import pytest

from resumate.ai.analyzer import analyze_text
from resumate.ai.documents import ExtractedText, TextLine
from resumate.ai.sections import match_heading, split_sections

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    "heading",
    [
        "JETZIGE ARBEIT",
        "ARBEIT IN DER VERGANGENHEIT",
        "WORK IN DETAIL",
        "Current Position",
        "Current roles",
        "Previous Positions",
        "Past employment",
        "Positions held",
        "Aktuelle Tätigkeit",
        "Bisherige Tätigkeiten",
        "Vorherige Positionen",
        "Poste actuel",
        "Expériences passées",
        "Postes occupés",
        "Puesto actual",
        "Empleos anteriores",
        "Cargo atual",
        "Empregos anteriores",
        "Posizione attuale",
        "Esperienze precedenti",
        "Huidige functie",
        "Eerdere functies",
        "当前工作",
        "以往工作经历",
        "Research positions",
    ],
)
def test_headings_of_current_and_past_jobs_are_experience(heading: str) -> None:
    assert match_heading(heading) == ("experience", False)


@pytest.mark.parametrize(
    "text",
    ["Teamwork", "Present", "Current", "Selected work", "主要工作", "Work ethic and values"],
)
def test_words_of_time_or_work_alone_are_no_heading(text: str) -> None:
    assert match_heading(text) is None


def _analyze(text: str):  # type: ignore[no-untyped-def]
    return analyze_text(ExtractedText.from_plain_text(text), today=TODAY)


def test_jobs_under_current_and_past_work_headings_are_positions() -> None:
    analysis = _analyze(
        """Giovanni Rossi
giovanni@example.com

ÜBER MICH
Grafikdesigner mit zehn Jahren Erfahrung in Marken und Kampagnen.

JETZIGE ARBEIT
Selbstständiger Grafikdesigner, Berlin
08/2013 - heute

ARBEIT IN DER VERGANGENHEIT
Art Director, Comunicare Tresessanta
09/2010 - 05/2013
Art Director, Concept Creative Spot
09/2008 - 05/2010
"""
    )
    work = [(w.get("startDate"), w.get("endDate")) for w in analysis.parsed_content["work"]]
    assert ("2010-09", "2013-05") in work
    assert ("2008-09", "2010-05") in work
    assert "experience" in analysis.sections


def test_a_rule_of_underscores_glued_to_a_heading() -> None:
    lines = [
        TextLine("Jasmine Smith"),
        TextLine("EDUCATION_________________________________________________________________"),
        TextLine("2018 Bachelor of Science in Nursing, Duquesne University"),
        TextLine("EXPERIENCE____________________________________________________________________"),
        TextLine("2018 - 2020 Resident Nurse, Emory Healthcare"),
    ]
    names = [(s.name, s.heading) for s in split_sections(lines)]
    assert names == [("header", ""), ("education", "EDUCATION"), ("experience", "EXPERIENCE")]


def test_experience_headings_over_no_date_leave_the_jobs_to_be_found_elsewhere() -> None:
    # Text boxes read out of order: the jobs come before their heading, which stands over a
    # list of tools. The heading finds no job; the dated jobs elsewhere are still positions.
    analysis = _analyze(
        """Rohit Tiwari
rohit@example.com
Endpoint security engineer with incident response and penetration testing experience.
Mar 2021 – Present
Sequretek IT Solutions Pvt Ltd. [Endpoint Security Engineer]
Deployment and maintenance of endpoint security solutions.
Aug 2018 – Jan 2020
Ummira Pvt Ltd. [Web Designer]
Built the corporate website from scratch.

EXPERIENCE
SIEM: Splunk, ArcSight
Pentesting Tools: SQLMap, Nmap, Metasploit
"""
    )
    work = [(w.get("startDate"), w.get("endDate")) for w in analysis.parsed_content["work"]]
    assert ("2021-03", None) in work
    assert ("2018-08", "2020-01") in work


def _line(
    text: str,
    top: float,
    x0: float = 50.0,
    *,
    size: float = 12.0,
    bold: bool = False,
    bullet: bool = False,
) -> TextLine:
    return TextLine(
        text=text,
        page=0,
        x0=x0,
        x1=x0 + 6.0 * len(text),
        top=top,
        font_size=size,
        bold=bold,
        bullet=bullet,
    )


def test_the_wrapped_end_of_a_bullet_is_no_heading() -> None:
    # "• Ethical Hacking CEH v10 by Supraja" / "Technologies": the second line ends the item.
    lines = [
        _line("ROHIT TIWARI", 20, size=20, bold=True),
        _line("CERTIFICATIONS", 60, size=20, bold=True),
        _line("• Ethical Hacking CEH v10 by Supraja", 90, bullet=True),
        _line("Technologies", 107, x0=71.0, bold=True),
        _line("• SOC Analyst by SOC Experts", 124, bullet=True),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "certifications"]
    assert [ln.text for ln in sections[1].lines][1] == "Technologies"


def test_an_entry_title_set_like_the_headings_with_its_dates_under_it() -> None:
    # Bold 10 pt like the section headings: "Auszubildender" over "10.2006 - 03.2008" is the
    # next job of the section, not a section of its own.
    lines = [
        _line("Giovanni Prezioso", 20, size=22, bold=True),
        _line("ARBEIT IN DER VERGANGENHEIT", 60, size=10, bold=True),
        _line("Art Director", 75, size=10, bold=True),
        _line("09.2010 - 05.2013", 88, size=10),
        _line("Comunicare Tresessanta", 101, size=9),
        _line("Auszubildender", 125, size=10, bold=True),
        _line("10.2006 - 03.2008", 138, size=10),
        _line("Studio X Design", 151, size=9),
        _line("AUSBILDUNG", 180, size=10, bold=True),
        _line("Grafik Design Institut, Andria", 193, size=9),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "experience", "education"]
    assert "Auszubildender" in sections[1].text


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("EDUCATION  CERTIFICATIONS", "education"),
        ("EDUCACIÓN  IDIOMAS", "education"),
        ("Educación y Certificados", "education"),
        ("Ausbildung und Weiterbildung", "education"),
        ("Formation et certifications", "education"),
    ],
)
def test_studies_joined_with_another_heading_are_education(text: str, section: str) -> None:
    # Two columns' headings read as one line, or one heading naming studies and something else.
    assert match_heading(text) == (section, False)


def test_two_words_set_apart_are_no_pair_of_headings() -> None:
    assert match_heading("Skills  Python") is None
