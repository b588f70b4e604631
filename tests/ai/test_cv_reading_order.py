"""Reading order and the words of designed PDFs: type set with tracking (letter-spaced or tight),
a right column whose heading stands out left of its bullets, headings with a typo, a date
range split over the two lines of a date column in the education section.

Each test builds its own PDF (Typst, or a hand-written PDF where Typst cannot produce the glyph
sequence) or lines of text.
"""

from __future__ import annotations

from datetime import date

import pytest
import typst
from tests.rawpdf import escape, one_page

from resumate.ai.analyzer import analyze_document, analyze_text
from resumate.ai.documents import ExtractedText, TextLine, extract_text
from resumate.ai.education import parse_education
from resumate.ai.sections import match_heading

TODAY = date(2025, 6, 1)


def _pdf(source: str) -> bytes:
    return bytes(typst.compile(source.encode(), format="pdf"))


def _tj_pdf(rows: list[tuple[float, float, float, float, list[str | float]]]) -> bytes:
    """A PDF whose lines are TJ arrays: (size, x, y, character spacing Tc in text units,
    [strings and kerning numbers]). Display type from design tools comes like this: tracking
    as Tc, word gaps as kerning, no space character."""
    ops = ["BT", "/F1 1 Tf"]
    for size, x, y, tc, parts in rows:
        items = [f"({escape(p)})" if isinstance(p, str) else str(p) for p in parts]
        ops.append(f"{tc} Tc {size} 0 0 {size} {x} {y} Tm [{' '.join(items)}] TJ")
    ops.append("ET")
    return one_page("\n".join(ops), base_font="Helvetica-Bold")


def _texts(data: bytes) -> list[str]:
    return [ln.text for ln in extract_text(data, "pdf", ocr=False).lines]


def test_tightly_tracked_display_name_keeps_its_word_gap() -> None:
    # Letters overlap by 0.06 em; the word gap is a 0.18 em kerning move (0.12 em of white),
    # no space character: too narrow for a space in plain type, clear in this tight type.
    pdf = _tj_pdf(
        [
            (38, 60, 780, -0.06, ["KEVIN", -180, "TCHEUWA"]),
            (10, 60, 740, 0, ["kevin.t@example.com"]),
            (10, 60, 726, 0, ["Werkstudent Datenerfassung 10/2023 - 05/2024"]),
        ]
    )
    texts = _texts(pdf)
    assert texts[0] == "KEVIN TCHEUWA"
    assert texts[2] == "Werkstudent Datenerfassung 10/2023 - 05/2024"
    assert analyze_document(pdf, "pdf", today=TODAY).contact.name == "Kevin Tcheuwa"


def test_letter_spaced_headings_read_as_words() -> None:
    # Letters 0.3 em apart: the letters of one word belong together, the word gap is wider.
    pdf = _tj_pdf(
        [
            (20, 60, 780, 0, ["Jane Doe"]),
            (12, 60, 740, 0.3, ["BERUFSERFAHRUNG"]),
            (10, 60, 720, 0, ["Werkstudentin, Example GmbH 10/2023 - 05/2024"]),
            (12, 60, 690, 0.3, ["SOFT", -600, "SKILLS"]),
            (10, 60, 670, 0, ["Teamwork, communication"]),
        ]
    )
    texts = _texts(pdf)
    assert "BERUFSERFAHRUNG" in texts
    assert "SOFT SKILLS" in texts
    analysis = analyze_document(pdf, "pdf", today=TODAY)
    assert "experience" in analysis.sections
    assert analysis.parsed_content["work"][0]["startDate"] == "2023-10"


def test_ordinary_text_keeps_its_spaces_and_kerning() -> None:
    pdf = _tj_pdf(
        [
            (11, 60, 780, 0, ["Ha", 40, "ving ", "AV", 80, "ATAR ", "To", 60, "ward"]),
            (11, 60, 760, 0, ["one two three four five six"]),
        ]
    )
    assert _texts(pdf) == ["Having AVATAR Toward", "one two three four five six"]


@pytest.mark.parametrize(
    "text", ["😀😀😀😀😀😀", "名前名前名前名前", "مرحبا بالعالم", "\u202eABCDEFG"]
)
def test_any_script_goes_through_the_glyph_reader(text: str) -> None:
    source = f"""#set text(font: ("DejaVu Sans", "Noto Sans CJK SC", "Noto Color Emoji"), size: 14pt)
#text(tracking: 4pt)[{text}] \\
#text(tracking: -1pt)[{text}]
"""
    lines = extract_text(_pdf(source), "pdf", ocr=False).lines
    assert all(isinstance(ln.text, str) for ln in lines)


def test_a_right_column_heading_left_of_its_bullets_stays_in_its_column() -> None:
    # The right column's first heading stands higher than the sidebar's first line and left of
    # the right column's bullets, in line with the column's other heading: it is the column's
    # heading, not a header above both columns.
    source = """#set page(margin: 1cm)
#set text(font: "DejaVu Sans", size: 9pt)
#grid(columns: (7cm, 1fr), column-gutter: 1cm,
  [#v(4pt)
   #text(size: 22pt, weight: "bold")[PRANAV \\ UNNIKRISHNAN] \\
   #text(size: 12pt, weight: "bold")[PhD candidate] \\
   #text(size: 18pt, weight: "bold")[Contact] \\
   upranav\\@example.com \\
   #text(size: 18pt, weight: "bold")[Profile] \\
   Evolutionary biologist with a decade of field and lab work, \\
   with science communication, social media and event work. \\
   Equally passionate about science and illustration. \\
   #text(size: 18pt, weight: "bold")[Education] \\
   PhD in Biology, Jagiellonian University #h(1fr) 2021 – 2025],
  [#text(size: 20pt, weight: "bold")[Relevant experience] \\
   #pad(left: 12pt)[
   - Organizer, EMPSEB29, Krakow #h(1fr) 2023 – 2024
   - Coordinated an international conference with 100+ participants.
   - Managed the social media accounts and the email correspondence.
   - Volunteer, PEC2023, Warsaw #h(1fr) 2023
   - Assisted with event coordination and the communication channels.
   - Outreach lead, IISER Pune #h(1fr) 2018 – 2020
   - Planned and led public outreach events for school students.
   - Science Day host, IISER Pune #h(1fr) 2017
   - Designed posters, banners and the official logo of the event.
   - Workshop tutor, IISER Pune #h(1fr) 2016 – 2017
   - Taught illustration to first-year students in weekly sessions.
   - Wrote the workshop handbook and its exercises.
   ]
   #text(size: 20pt, weight: "bold")[Publications] \\
   Two papers on bulb mites, in 2022 and in 2024.],
)
"""
    texts = _texts(_pdf(source))
    assert texts[0] == "PRANAV"
    assert texts.index("Relevant experience") > texts.index("upranav@example.com")
    assert analyze_document(_pdf(source), "pdf", today=TODAY).contact.name == "Pranav Unnikrishnan"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [("BERUFSERFARUNG", "experience"), ("Experiance", "experience"), ("EXPERIENXE", "experience"),
     ("Soziales Engagement", "volunteer"), ("Engagement associatif", "volunteer"),
     ("Referencia", None), ("Werkzeugen", None), ("Management", None), ("Fernandezz", None)],
)  # fmt: skip
def test_a_heading_with_one_letter_wrong_inside_the_word(heading: str, expected: str) -> None:
    found = match_heading(heading)
    assert (found[0] if found else None) == expected


def test_an_education_range_split_over_the_date_column() -> None:
    lines = [
        TextLine("04/2023 –  Master of Science (M. Sc.) Informatik | Ostfalia Hochschule"),
        TextLine("07/2025"),
        TextLine("10/2018 –  Bachelor of Science (B. Sc.) in Informatik | Universität Würzburg"),
        TextLine("11/2022"),
    ]
    got = [(e.start, e.end) for e in parse_education(lines)]
    assert [(s.year, s.month, e.year, e.month) for s, e in got] == [
        (2023, 4, 2025, 7),
        (2018, 10, 2022, 11),
    ]


def test_a_student_project_listed_among_jobs_does_not_count_as_experience() -> None:
    text = """Guy Borel
guy@example.com
Berufserfahrung
05/2021 – 05/2022  Studienarbeit | Universität Würzburg
REST-Schnittstelle mit Java entworfen.
01/2023 – 12/2024  Softwareentwickler | Example GmbH, Braunschweig
Microservices umgesetzt.
"""
    analysis = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    assert len(analysis.parsed_content["work"]) == 2
    assert analysis.total_experience_years == pytest.approx(2.0, abs=0.1)
