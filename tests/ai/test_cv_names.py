"""Who the CV is about, as real CVs print it: TeX accents, hidden e-mail addresses, surnames
that are title words, lower-case names, letter-spaced names, names out of reading order.

Each test builds its own PDF (Typst, or a hand-written PDF where Typst cannot produce the
glyph sequence) or DOCX.
"""

from __future__ import annotations

import io
from datetime import date

import docx
import typst
from docx.shared import Pt
from tests.ai.test_cv_layouts import _scaled_font_pdf

from resumate.ai.analyzer import analyze_document

TODAY = date(2025, 6, 1)


def _pdf(source: str) -> bytes:
    return bytes(typst.compile(source.encode(), format="pdf"))


def _docx(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_tex_accents_drawn_as_glyphs_of_their_own_go_back_on_their_letters() -> None:
    # pdfTeX without T1 fonts draws "é" as an acute accent glyph followed by "e".
    pdf = _scaled_font_pdf(
        [
            (24, 60, 780, "Florian H\xb4ebert"),
            (10, 60, 750, "florian@example.com"),
            (14, 60, 710, "Exp\xb4erience professionnelle"),
            (10, 60, 690, "06/2019 - 05/2022  Ing\xb4enieur R&D, Microbs, Rennes"),
            (10, 60, 676, "D\xb4eveloppement d'outils de d\xb4etection d'anomalies sur des puces."),
            (10, 60, 662, "Th`ese de doctorat 2016 - 2019, Agrocampus Ouest, Fran\xb8cais"),
        ]
    )
    analysis = analyze_document(pdf, "pdf", today=TODAY)
    assert analysis.contact.name == "Florian Hébert"
    assert "experience" in analysis.sections
    work = analysis.parsed_content["work"]
    assert work[0]["startDate"] == "2019-06"
    assert "Ingénieur R&D" in f"{work[0].get('position')} {work[0].get('name')}"
    text = " ".join(" ".join([*w.get("highlights", []), w.get("summary", "")]) for w in work)
    assert "Développement" in text and "détection" in text
    assert "Thèse de doctorat" in f"{work[-1].get('position')} {work[-1].get('name')}"


def test_an_address_written_with_at_and_dot_in_brackets_is_the_email() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 20pt)[Florian Hébert] \\
florian[.]hebert[at]gmail.com | +33 6 12 34 56 78 \\
== Expérience professionnelle
Data Scientist, Microbs #h(1fr) 2019 – 2022
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.email == "florian.hebert@gmail.com"


def test_a_surname_that_is_a_title_word_is_the_name_when_the_email_spells_it() -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Resume").font.size = Pt(18)
    document.add_paragraph().add_run("Alistair M. Senior").font.size = Pt(14)
    document.add_paragraph("Charles Perkins Centre, The University of Sydney")
    document.add_paragraph("Email: alistair.senior@example.edu")
    document.add_heading("Current Employment", level=1)
    document.add_paragraph("2018 - present  Senior Research Fellow, The University of Sydney")
    analysis = analyze_document(_docx(document), "docx", today=TODAY)
    assert analysis.contact.name == "Alistair M. Senior"


def test_a_senior_engineer_line_is_still_not_a_name() -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Senior Engineer").font.size = Pt(18)
    document.add_paragraph().add_run("Maria Lopez").font.size = Pt(14)
    document.add_paragraph("Email: senior.engineer.jobs@example.com")
    analysis = analyze_document(_docx(document), "docx", today=TODAY)
    assert analysis.contact.name == "Maria Lopez"


def test_a_name_typed_in_lower_case_on_the_top_line() -> None:
    source = """#set text(font: "DejaVu Sans", size: 11pt)
#align(center)[#text(size: 13pt, weight: "bold")[jhonny ferreira dos santos] \\
(18) 98820-9916 \\
jhonny\\@example.com]
== OBJETIVO
Pretendo trabalhar como técnico em informática e agregar com meu conhecimento.
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.name == "Jhonny Ferreira dos Santos"


def test_a_lower_case_sentence_on_top_is_not_a_name() -> None:
    source = """#set text(font: "DejaVu Sans", size: 11pt)
#text(size: 13pt, weight: "bold")[curriculum vitae] \\
contact\\@example.com
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.name is None


def test_a_letter_spaced_name_without_its_word_gap_is_split_by_words_the_cv_spells() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#align(center)[#text(size: 30pt, tracking: 8pt)[BUSAMOKOENA] \\
#text(size: 14pt)[BSC INFORMATION TECHNOLOGY]]
== PERSONAL DETAILS
References on request from the Mokoena family. \\
Busa, first-year student of information technology. \\
Email: busamdlamini\\@example.com
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.name == "Busa Mokoena"


def test_the_largest_type_names_the_person_even_after_tables_and_text_boxes() -> None:
    # Word puts the awards table first in the XML; the name, in 26 pt, comes later.
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Winner Extempore Competition, Legal Spectra."
    table.cell(0, 1).text = "3/2020"
    table.cell(1, 0).text = "Best Delegate, DAV MUN"
    table.cell(1, 1).text = "12/2015"
    for text in ("Odia", "Hindi", "English", "Research", "Reading", "Legal Writing", "Singing"):
        document.add_paragraph().add_run(text).font.size = Pt(12)
    document.add_paragraph().add_run("amrita@example.com  7978529941").font.size = Pt(12)
    run = document.add_paragraph().add_run("Amrita Mohanty")
    run.font.size = Pt(26)
    run.bold = True
    analysis = analyze_document(_docx(document), "docx", today=TODAY)
    assert analysis.contact.name == "Amrita Mohanty"


def test_a_scanned_display_name_over_two_lines_of_different_heights() -> None:
    # OCR measures type by its box: "Pablo Manuel" over a larger "López Ruiz" is one name.
    from tests.ai.test_ocr import _page_image, _scanned_pdf, needs_ocr

    if needs_ocr.args[0]:
        import pytest

        pytest.skip("OCR engine not installed")
    source = """#set page(paper: "a5", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 11pt)
#text(size: 22pt)[Pablo Manuel] \\
#text(size: 27pt)[López Ruiz] \\
Graduado en Biología \\
pablo.lopez\\@example.com
"""
    analysis = analyze_document(_scanned_pdf(_page_image(source)), "pdf", today=TODAY)
    assert analysis.extraction.method == "ocr"
    assert analysis.contact.name in ("Pablo Manuel López Ruiz", "Pablo Manuel Lopez Ruiz")
