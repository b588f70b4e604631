import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
import typst
from docx.oxml import parse_xml
from tests.rawpdf import assemble

from resumate.ai.analyzer import analyze_document
from resumate.ai.documents import DocumentError, detect_kind, extract_text


def _pdf(source: str, tmp_path: Path | None = None) -> bytes:
    if tmp_path is not None:
        (tmp_path / "cv.typ").write_text(source, "utf-8")
        return bytes(typst.compile(str(tmp_path / "cv.typ"), format="pdf"))
    return bytes(typst.compile(source.encode(), format="pdf"))


TWO_COLUMN = """
#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 10pt)
#align(center)[#text(size: 20pt, weight: "bold")[Jane Doe] \\ jane\\@example.com | +44 20 7946 0958]
#grid(columns: (1fr, 2fr), gutter: 1cm,
[== Skills
Python, SQL \\ Tableau
== Languages
English, French],
[== Experience
*Senior Data Analyst*, Acme Ltd #h(1fr) Mar 2019 – Present \\
- Built dashboards used by 200 people every week across the whole organisation, with a long line.
- Reduced costs by 15%.
== Education
BSc Mathematics, University of Leeds, 2012 – 2015])
"""


def test_detect_kind_by_content() -> None:
    pdf = _pdf("Hello")
    assert detect_kind(pdf) == "pdf"
    assert detect_kind(b"\xef\xbb\xbf junk %PDF-1.7 ...") == "pdf"
    assert detect_kind(_docx_bytes(docx.Document())) == "docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a document")
    assert detect_kind(buf.getvalue()) is None
    assert detect_kind(b"GIF89a....") is None


def test_two_column_pdf_is_read_column_by_column() -> None:
    doc = extract_text(_pdf(TWO_COLUMN), "pdf")
    texts = [ln.text for ln in doc.lines]
    assert texts[0] == "Jane Doe"
    assert texts.index("Skills") < texts.index("Languages") < texts.index("Experience")
    # The right column's lines stay together: no sidebar text in the middle of the bullets.
    exp = texts.index("Experience")
    assert texts[exp + 1].startswith("Senior Data Analyst, Acme Ltd")
    assert "Mar 2019 – Present" in texts[exp + 1]
    assert texts[exp + 2].startswith("• Built dashboards")
    assert doc.layout_hints.multi_column
    assert not doc.image_only


def test_right_aligned_dates_stay_on_their_line() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
== Experience
#for i in range(6) [*Engineer #i*, Company #i #h(1fr) 201#i – 201#(i+1) \\ ]
"""
    doc = extract_text(_pdf(source), "pdf")
    texts = [ln.text for ln in doc.lines]
    assert "Engineer 0, Company 0  2010 – 2011" in texts
    assert not doc.layout_hints.multi_column


def test_image_only_pdf(tmp_path: Path) -> None:
    (tmp_path / "scan.png").write_bytes(_png(60, 40))
    pdf = _pdf('#image("scan.png", width: 100%)', tmp_path)
    doc = extract_text(pdf, "pdf")
    assert doc.image_only
    assert doc.layout_hints.images
    analysis = analyze_document(pdf, "pdf")
    assert analysis.quality_score <= 5
    assert analysis.ats_feedback[0].code == "NO_TEXT"
    assert analysis.ats_feedback[0].severity == "high"


def test_encrypted_pdf_raises_a_readable_error() -> None:
    with pytest.raises(DocumentError, match="password"):
        extract_text(_encrypted_pdf(), "pdf")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n1 0 obj << garbage", b"%PDF-1.4\n" + b"\x00" * 200, b""],
)
def test_corrupt_pdf(data: bytes) -> None:
    with pytest.raises(DocumentError, match=r"damaged|not a valid"):
        extract_text(data, "pdf")


def test_truncated_pdf_is_rejected_or_read() -> None:
    pdf = _pdf(TWO_COLUMN)
    try:
        doc = extract_text(pdf[: len(pdf) // 3], "pdf")
    except DocumentError as exc:
        assert exc.message
    else:
        assert isinstance(doc.text, str)


def _docx_bytes(document: object) -> bytes:
    buf = io.BytesIO()
    document.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def test_docx_with_tables_header_and_text_box() -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ana@example.com | +34 612 345 678"
    document.add_heading("Ana García", level=0)
    document.add_heading("Experiencia profesional", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "2019 – actualidad"
    table.cell(0, 1).text = "Enfermera, Hospital La Paz"
    table.cell(1, 0).text = "2015 – 2019"
    table.cell(1, 1).text = "Enfermera, Clínica Sur"
    p = document.add_paragraph("Anchor")
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps">'
        "<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Habilidades: cuidado de heridas"
        "</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback>"
        "<w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Habilidades: cuidado de heridas"
        "</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    p._p.append(parse_xml(box))
    doc = extract_text(_docx_bytes(document), "docx")
    texts = [ln.text for ln in doc.lines]
    assert texts[0] == "ana@example.com | +34 612 345 678"
    assert doc.lines[0].source == "header"
    assert "2019 – actualidad  Enfermera, Hospital La Paz" in texts
    assert texts.count("Habilidades: cuidado de heridas") == 1  # Choice and Fallback not doubled
    assert doc.layout_hints.tables and doc.layout_hints.text_boxes
    assert doc.layout_hints.header_footer_text
    heading = next(ln for ln in doc.lines if ln.text == "Experiencia profesional")
    assert heading.heading_style


def test_docx_zip_bomb_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + " " * 5_000_000 + "</w:document>")
    with pytest.raises(DocumentError, match="unreasonable size"):
        extract_text(buf.getvalue(), "docx")


def test_docx_entity_expansion_is_refused() -> None:
    good = _docx_bytes(docx.Document())
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                bomb = (
                    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
                )
                data = bomb + data.split(b"?>", 1)[1].replace(b"<w:body>", b"<w:body>&lol2;", 1)
            zf.writestr(info, data)
    with pytest.raises(DocumentError, match="not allowed"):
        extract_text(out.getvalue(), "docx")


def test_corrupt_and_legacy_docx() -> None:
    with pytest.raises(DocumentError, match="damaged"):
        extract_text(b"PK\x03\x04 this is not really a zip", "docx")
    with pytest.raises(DocumentError, match=r"password-protected or in the old \.doc"):
        extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "docx")


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes((x * 4 % 256, 80, 160)) * 1 * width for x in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _encrypted_pdf() -> bytes:
    """A PDF with a standard security handler whose user password is not empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    return assemble(objects, trailer=b" /Encrypt 4 0 R /ID [<%s> <%s>]" % (b"ab" * 16, b"ab" * 16))
