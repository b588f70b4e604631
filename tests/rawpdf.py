"""Hand-written PDFs for tests that need a content stream Typst does not produce (a scaled
1-point font, TJ arrays with tracking and kerning, a security handler)."""

from __future__ import annotations


def assemble(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file of numbered ``objects`` (object 1 is the catalog) with its xref table;
    ``trailer`` adds entries to the trailer dictionary."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def one_page(content: str, base_font: str = "Helvetica") -> bytes:
    """An A4 page drawing ``content`` (PDF operators) with one WinAnsi Type1 font as /F1."""
    stream = content.encode("latin-1")
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
            % base_font.encode(),
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


def escape(text: str) -> str:
    """``text`` as the inside of a PDF literal string."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
