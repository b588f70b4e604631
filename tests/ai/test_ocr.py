"""Unreadable text layers and OCR of scanned PDFs and image-only DOCX files (issue 10)."""

import io
import random

import docx
import pypdfium2 as pdfium
import pytest
import typst
from docx.shared import Inches
from PIL import Image

from resumate.ai import ocr
from resumate.ai.analyzer import analyze_document, analyze_text
from resumate.ai.documents import extract_text, is_garbled

CV = """
#set page(paper: "a4", margin: 2cm)
#set text(font: "DejaVu Sans", size: 12pt)
#text(size: 22pt, weight: "bold")[Maria Keller] \\
maria.keller\\@example.com | +49 30 1234567 | Berlin, Germany
== Experience
*Registered Nurse*, Charité Berlin #h(1fr) 2019 - 2024
- Cared for 12 patients per shift in intensive care.
== Education
BSc Nursing, University of Hamburg, 2015 - 2019
== Skills
Patient care, Wound care, Phlebotomy
"""


def _page_image(source: str = CV) -> Image.Image:
    """A real CV typeset by Typst, rasterised like a scanner would (150 dpi, greyscale)."""
    pdf = pdfium.PdfDocument(bytes(typst.compile(source.encode(), format="pdf")))
    try:
        bitmap = pdf[0].render(scale=150 / 72)
        image = bitmap.to_pil().convert("L")
    finally:
        pdf.close()
    return image


def _scanned_pdf(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PDF", resolution=150)
    return buf.getvalue()


def _image_only_docx(image: Image.Image) -> bytes:
    png = io.BytesIO()
    image.save(png, "PNG")
    png.seek(0)
    document = docx.Document()
    document.add_picture(png, width=Inches(6.5))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


needs_ocr = pytest.mark.skipif(not ocr.available(), reason="OCR engine not installed")


def test_garbled_text_is_recognised() -> None:
    rng = random.Random(7)
    soup = " ".join(
        "".join(rng.choice("bcdfghjklmnpqrstvwxzQXZ") for _ in range(rng.randint(3, 9)))
        for _ in range(120)
    )
    assert is_garbled(soup)
    assert is_garbled("".join(chr(0x2500 + rng.randint(0, 200)) for _ in range(300)))
    real = (
        "Registered nurse with five years of experience in intensive care, wound care and "
        "patient education. Led a team of six nurses on night shifts at a 400-bed hospital. "
    )
    assert not is_garbled(real * 3)
    assert not is_garbled("注册护士，五年重症监护经验，负责伤口护理和患者教育。" * 10)
    assert not is_garbled("Krankenschwester mit fünf Jahren Erfahrung in der Intensivpflege. " * 5)


def test_garbled_pdf_is_reported_unreadable_not_analysed() -> None:
    rng = random.Random(3)
    soup = " ".join(
        "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(3, 9)))
        for _ in range(200)
    )
    source = '#set text(font: "DejaVu Sans")\n' + soup
    doc = extract_text(bytes(typst.compile(source.encode(), format="pdf")), "pdf", ocr=False)
    assert doc.text_layer == "garbled"
    a = analyze_text(doc)
    assert a.extraction.text_layer == "garbled"
    assert a.skills == []
    assert a.quality_score == 0
    codes = {f.code for f in a.ats_feedback}
    assert "UNREADABLE_TEXT" in codes
    assert "unreadable" in a.summary.lower()


def test_glyphs_mapped_to_unrelated_scripts_are_garbled() -> None:
    """A font whose CJK glyphs map to code points of other scripts (a Typora export): letters
    from many scripts side by side. Real CVs in one or two scripts besides Latin are text."""
    rng = random.Random(11)
    pools = ["ૡ૵ᑕݎૹ", "ኪኞካ", "௳ஞ", "ਃਖ਼", "ᮒ᮱ᮨ", "ᶱᶎᵱ", "ᑀᒒᓕ"]
    soup = "\n".join(
        " ".join(
            "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(3, 8)))
            for _ in range(6)
        )
        + " iOS 2016 sunyang@qq.com"
        for _ in range(20)
    )
    assert is_garbled(soup)
    japanese = "東京大学で情報工学を学び、ソフトウェア開発に五年間従事しました。" * 6
    assert not is_garbled(japanese)
    multilingual = (
        "Languages: English (native), Deutsch, Русский, 日本語, العربية, עברית, हिन्दी, ไทย, "
        "Ελληνικά. Software engineer with ten years of experience in distributed systems. "
    ) * 4
    assert not is_garbled(multilingual)


@needs_ocr
def test_scanned_pdf_is_read_with_ocr() -> None:
    data = _scanned_pdf(_page_image())
    assert extract_text(data, "pdf", ocr=False).image_only
    a = analyze_document(data, "pdf")
    assert a.extraction.method == "ocr"
    assert a.extraction.ocr_confidence is not None and a.extraction.ocr_confidence > 0.8
    assert a.contact.email == "maria.keller@example.com"
    assert a.contact.name == "Maria Keller"
    assert "experience" in a.sections and "education" in a.sections
    assert {"Patient care", "Wound care", "Phlebotomy"} <= {s.name for s in a.skills}
    assert a.total_experience_years > 0
    ats = {f.code: f for f in a.ats_feedback}
    assert ats["OCR_TEXT"].status == "failed"
    assert any("OCR" in w for w in a.warnings)


@needs_ocr
def test_image_only_docx_is_read_with_ocr() -> None:
    a = analyze_document(_image_only_docx(_page_image()), "docx")
    assert a.extraction.method == "ocr"
    assert a.contact.email == "maria.keller@example.com"
    assert "Phlebotomy" in {s.name for s in a.skills}


@needs_ocr
def test_ocr_invents_nothing_on_a_blank_scan() -> None:
    blank = Image.new("L", (1240, 1754), 255)
    for y in range(200, 1600, 300):  # a few scanner smudges
        for x in range(300, 310):
            blank.putpixel((x, y), 90)
    a = analyze_document(_scanned_pdf(blank), "pdf")
    assert a.extraction.method == "none"
    assert a.skills == [] and a.contact.name is None and a.contact.email is None
    assert a.quality_score == 0
    assert {f.code for f in a.ats_feedback} >= {"NO_TEXT"}


SECOND_PAGE = """
#set page(paper: "a4", margin: 2cm)
#set text(font: "DejaVu Sans", size: 12pt)
== Volunteering
*First Aid Trainer*, Red Cross Hamburg #h(1fr) 2012 - 2015
"""


def _scanned_pages(*images: Image.Image) -> bytes:
    buf = io.BytesIO()
    first, *rest = [image.convert("RGB") for image in images]
    first.save(buf, "PDF", resolution=150, save_all=True, append_images=rest)
    return buf.getvalue()


@needs_ocr
@pytest.mark.parametrize("limit", ["pages", "time"])
def test_ocr_stops_at_its_limits_and_says_so(monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    """A long scan is read up to the page cap or the time budget (the first page always), and the
    analysis says how much was left unread instead of timing out with nothing."""
    if limit == "pages":
        monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    else:
        monkeypatch.setattr(ocr, "OCR_TIME_BUDGET", 0.0)
    data = _scanned_pages(_page_image(), _page_image(SECOND_PAGE), _page_image(SECOND_PAGE))
    a = analyze_document(data, "pdf")
    assert a.extraction.method == "ocr"
    assert a.contact.email == "maria.keller@example.com"
    assert a.extraction.ocr_pages == 1
    assert "Red Cross" not in str(a.parsed_content)
    assert any("2 more page images were not read" in w for w in a.warnings), a.warnings


@needs_ocr
def test_ocr_reads_every_page_within_its_limits() -> None:
    data = _scanned_pages(_page_image(), _page_image(SECOND_PAGE))
    extracted = extract_text(data, "pdf")
    assert extracted.ocr_used and extracted.ocr_pages == 2
    assert "Red Cross" in extracted.text
    assert not any("not read" in w for w in extracted.warnings)
