"""Turn uploaded PDF and DOCX files into text lines in reading order.

PDF text comes from pdfium glyph by glyph: glyphs are grouped into runs, runs into lines, and a
page is split into columns when a vertical gutter separates two blocks of text that sit side by
side. Two-column CVs are therefore read column by column, and each column in its own reading
order (a column may hold columns of its own: three-column grids, a skills list beside the jobs),
while a "dates | details" grid or a right-aligned date is kept on the line it belongs to. A narrow
column of dates (and the short labels among them) is no column of its own: each range goes on
the line beside it, or after the first line of the entry it stands beside.

DOCX text comes from the WordprocessingML of the body, tables, text boxes, headers and footers,
after the zip has been checked against decompression bombs and DTD/entity tricks.
"""

from __future__ import annotations

import ctypes
import io
import math
import re
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from resumate.core.text import clean_text

DocumentKind = Literal["pdf", "docx"]

# pdfium is not thread-safe: every call into it happens under this lock.
_PDFIUM_LOCK = threading.Lock()

MAX_PDF_PAGES = 40
MAX_DOCX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_DOCX_ENTRIES = 4000
MAX_DOCX_RATIO = 250
_MIN_READABLE_CHARS = 25


class DocumentError(Exception):
    """A file that cannot be read; the message is meant for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class TextLine:
    """One line of text with the layout facts the analyzer uses to find headings and contact."""

    text: str
    page: int = 0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    font_size: float = 0.0
    bold: bool = False
    heading_style: bool = False
    bullet: bool = False
    column: int = 0
    """0 for full-width text, 1 for the left column, 2 for the right column."""
    source: str = "body"
    """body, table, textbox, header or footer."""


@dataclass(slots=True)
class LayoutHints:
    multi_column: bool = False
    tables: bool = False
    text_boxes: bool = False
    header_footer_text: bool = False
    images: bool = False


@dataclass(slots=True)
class ExtractedText:
    kind: str
    text: str
    pages: int
    lines: list[TextLine]
    image_only: bool = False
    layout_hints: LayoutHints = field(default_factory=LayoutHints)
    warnings: list[str] = field(default_factory=list)
    size_bytes: int = 0
    text_layer: str = "ok"
    """"ok"; "none" (no selectable text); "garbled" (a text layer that is mostly not words)."""
    ocr_used: bool = False
    ocr_confidence: float | None = None
    """Mean recognition confidence (0-1) of the OCR text, when OCR was used."""
    ocr_pages: int = 0

    @classmethod
    def from_plain_text(cls, text: str, *, pages: int = 1) -> ExtractedText:
        """Wrap plain text (tests, pasted CVs) so it can go through the same analyzer."""
        lines = [TextLine(text=ln.rstrip()) for ln in text.splitlines()]
        return cls(
            kind="text",
            text="\n".join(ln.text for ln in lines),
            pages=pages,
            lines=lines,
            image_only=not text.strip(),
        )


def detect_kind(head: bytes) -> DocumentKind | None:
    """Decide the type from the content: a PDF header, or a zip holding word/document.xml.

    Give the whole file when you have it; a prefix of at least 64 KB also works for DOCX files
    whose document part is stored early (as Word and LibreOffice do).
    """
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(head)) as zf:
            return "docx" if "word/document.xml" in zf.namelist() else None
    except (zipfile.BadZipFile, OSError, ValueError):
        pass
    # A truncated prefix: walk the local file headers that are complete.
    for name in _local_zip_names(head):
        if name == "word/document.xml":
            return "docx"
    return None


def _local_zip_names(head: bytes) -> Iterator[str]:
    pos = 0
    while pos + 30 <= len(head) and head[pos : pos + 4] == b"PK\x03\x04":
        flags = int.from_bytes(head[pos + 6 : pos + 8], "little")
        csize = int.from_bytes(head[pos + 18 : pos + 22], "little")
        nlen = int.from_bytes(head[pos + 26 : pos + 28], "little")
        xlen = int.from_bytes(head[pos + 28 : pos + 30], "little")
        name = head[pos + 30 : pos + 30 + nlen].decode("utf-8", "replace")
        yield name
        if flags & 0x08:  # sizes live in a data descriptor after the data: cannot skip ahead
            if b"word/document.xml" in head:
                yield "word/document.xml"
            return
        pos += 30 + nlen + xlen + csize


def extract_text(data: bytes, kind: str, *, ocr: bool = True) -> ExtractedText:
    """Extract text lines in reading order; raises DocumentError for unreadable files.
    The text is free text in the sense of ``core.text``: no NUL or other control characters,
    no unpaired surrogates (emoji in PDFs come out of PDFium as UTF-16 halves).

    A PDF or DOCX with no text (a scan, pictures of pages) or whose text layer is mostly not
    words (a font with a private encoding) is read with OCR when `ocr` is on and the engine is
    installed; `text_layer`, `ocr_used` and `ocr_confidence` say what happened."""
    if kind == "pdf":
        extracted = _extract_pdf(data)
    elif kind == "docx":
        extracted = _extract_docx(data)
    else:
        raise DocumentError("Unsupported file type: please upload a PDF or a Word (.docx) file.")
    extracted.size_bytes = len(data)
    for line in extracted.lines:
        line.text = clean_text(line.text)
    extracted.text = clean_text(extracted.text)
    if extracted.image_only:
        extracted.text_layer = "none"
    elif is_garbled(extracted.text):
        extracted.text_layer = "garbled"
    if extracted.text_layer != "ok":
        if ocr:
            _apply_ocr(extracted, data)
        if not extracted.ocr_used and extracted.text_layer == "garbled":
            extracted.warnings.append(
                "The text layer of this file is mostly not words (its fonts use a private "
                "encoding), so it cannot be read as text."
            )
    return extracted


# --------------------------------------------------------------------------------------------
# Unreadable text layers and OCR

_WORD_RE = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœаеёиоуыэюяαεηιουω")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


# Scripts written together in one language count as one (Japanese mixes kanji and kana).
_SCRIPT_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "HALFWIDTH": "CJK",
                  "FULLWIDTH": "CJK", "IDEOGRAPHIC": "CJK"}  # fmt: skip


_LETTERS_RE = re.compile(r"[^\W\d_]+")
_NOT_A_SCRIPT = frozenset({"LATIN", "", "MODIFIER", "COMBINING"})


def _script(c: str) -> str:
    script = unicodedata.name(c, "").split(" ")[0]
    return _SCRIPT_FAMILY.get(script, script)


def _mixed_script_words(sample: str) -> bool:
    """Words that mix letters of several scripts other than Latin, many of them: a font whose
    glyphs map to unrelated code points (CJK glyphs read as Gujarati, Ethiopic, Tamil, Canadian
    syllabics side by side: "ૡ֢ᕪḵ"). Real words are written in one script, whatever number of
    scripts a CV holds ("Deutsch, Русский, 日本語, العربية")."""
    words = 0
    mixed = 0
    for word in _LETTERS_RE.findall(sample):
        scripts = {_script(c) for c in word if not c.isascii()} - _NOT_A_SCRIPT
        if not scripts:
            continue
        words += 1
        if len(scripts) > 1:
            mixed += 1
    return mixed >= 20 and mixed > 0.3 * words


def is_garbled(text: str) -> bool:
    """True when a text layer is mostly not words: glyph codes, symbol soup, letters without
    vowels. CJK, Arabic, Hebrew, Cyrillic, Greek and Indic text all count as words."""
    sample = text[:20000]
    visible = [c for c in sample if not c.isspace()]
    if len(visible) < 80:
        return False
    odd = sum(
        1 for c in visible if not (c.isalnum() or c in ".,;:!?()[]{}'\"/-–—&@+#%*•·|_$€£'’“”«»…")
    )
    if odd / len(visible) > 0.3:
        return True
    if _mixed_script_words(sample):
        return True
    if len(_CJK_RE.findall(sample)) > 0.3 * len(visible):
        return False
    words = [w for w in _WORD_RE.findall(sample) if len(w) >= 3]
    if len(words) < 15:
        return False
    latin = [w for w in words if w.isascii() or w.lower()[0] in _VOWELS or w[0].isalpha()]
    if not latin:
        return False
    plausible = 0
    for word in latin:
        low = word.lower()
        if not low.isascii() and not any(c in _VOWELS for c in low):
            plausible += 1  # another script (Arabic, Hebrew, Indic): not judged here
            continue
        has_vowel = any(c in _VOWELS for c in low)
        mixed = not (word.islower() or word.isupper() or word.istitle())
        if has_vowel and not mixed and len(word) <= 24:
            plausible += 1
    return plausible / len(latin) < 0.6


def _apply_ocr(extracted: ExtractedText, data: bytes) -> None:
    from resumate.ai import ocr

    try:
        if extracted.kind == "pdf":
            pages, unread = _ocr_pdf_pages(data)
        elif extracted.kind == "docx":
            pages, unread = _ocr_docx_images(data)
        else:
            return
    except ocr.OcrUnavailable:
        extracted.warnings.append("OCR is not available on this server, so the file was not read.")
        return
    lines: list[TextLine] = []
    chars = 0
    weighted = 0.0
    for index, (boxes, width) in enumerate(pages):
        runs = []
        for box in boxes:
            height = (box.y1 - box.y0) / ocr.RENDER_SCALE
            size = max(4.0, height / 1.2)
            runs.append(
                _Run(
                    box.text,
                    box.x0 / ocr.RENDER_SCALE,
                    box.x1 / ocr.RENDER_SCALE,
                    box.y1 / ocr.RENDER_SCALE - 0.2 * size,
                    size,
                    False,
                )
            )
            n = len(box.text.replace(" ", ""))
            chars += n
            weighted += box.score * n
        page_lines, split = _layout_page(runs, width / ocr.RENDER_SCALE, index)
        extracted.layout_hints.multi_column = extracted.layout_hints.multi_column or split
        lines.extend(page_lines)
    confidence = weighted / chars if chars else 0.0
    if chars < _MIN_READABLE_CHARS or confidence < 0.6:
        extracted.warnings.append(
            "OCR found too little readable text in this file to analyse it"
            + (f" (confidence {confidence:.2f})." if chars else ".")
        )
        extracted.image_only = True
        return
    for line in lines:
        line.text = clean_text(line.text)
        line.source = "ocr"
    extracted.lines = lines
    extracted.text = "\n".join(ln.text for ln in lines)
    extracted.image_only = False
    extracted.ocr_used = True
    extracted.ocr_pages = len(pages)
    extracted.ocr_confidence = round(confidence, 3)
    extracted.warnings.append(
        f"The text was read with OCR from {len(pages)} page image"
        f"{'s' if len(pages) != 1 else ''} (confidence {confidence:.2f}); names, numbers and "
        "dates may contain recognition errors."
    )
    if unread:
        extracted.warnings.append(
            f"{unread} more page image{'s were' if unread != 1 else ' was'} not read: OCR reads "
            f"at most {ocr.MAX_OCR_PAGES} per file within {ocr.OCR_TIME_BUDGET:g} s, so this "
            "analysis covers only the start of the file. A PDF with a text layer avoids this."
        )


def _out_of_time(started: float, done: int) -> bool:
    """True when OCR has used its time budget; the first page is always read."""
    from resumate.ai import ocr

    return done > 0 and time.monotonic() - started > ocr.OCR_TIME_BUDGET


def _ocr_pdf_pages(data: bytes) -> tuple[list[tuple[list[Any], float]], int]:
    """OCR boxes and pixel width of each page read (at most MAX_OCR_PAGES, within
    OCR_TIME_BUDGET), and the number of pages not attempted."""
    import numpy as np
    import pypdfium2 as pdfium

    from resumate.ai import ocr

    ocr._engine()  # fail early (OcrUnavailable) before rendering anything
    out: list[tuple[list[Any], float]] = []
    with _PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            total = len(pdf)
        except Exception:
            pdf.close()
            raise
    started = time.monotonic()
    attempted = 0
    try:
        for index in range(min(total, ocr.MAX_OCR_PAGES)):
            if _out_of_time(started, len(out)):
                break
            attempted += 1
            with _PDFIUM_LOCK:
                page = pdf[index]
                try:
                    w, h = page.get_size()
                    scale = ocr.RENDER_SCALE
                    if w * h * scale * scale > ocr.MAX_IMAGE_PIXELS:
                        continue
                    bitmap = page.render(scale=scale, grayscale=False)
                    image = np.asarray(bitmap.to_pil().convert("RGB"))
                    bitmap.close()
                finally:
                    page.close()
            out.append((ocr.read_image(image), float(image.shape[1])))
    finally:
        with _PDFIUM_LOCK:
            pdf.close()
    return out, total - attempted


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_V = "{urn:schemas-microsoft-com:vml}"


def _ocr_docx_images(data: bytes) -> tuple[list[tuple[list[Any], float]], int]:
    """OCR the pictures of a DOCX in document order (each picture counts as a page), and the
    number of pictures not attempted."""
    import docx

    from resumate.ai import ocr

    ocr._engine()
    document = docx.Document(io.BytesIO(data))
    ids: list[str] = []
    for el in document.element.body.iter(f"{_A}blip", f"{_V}imagedata"):
        rid = el.get(f"{_R}embed") or el.get(f"{_R}id")
        if rid and rid not in ids:
            ids.append(rid)
    out: list[tuple[list[Any], float]] = []
    started = time.monotonic()
    attempted = 0
    for rid in ids[: ocr.MAX_OCR_PAGES]:
        if _out_of_time(started, len(out)):
            break
        attempted += 1
        try:
            blob = document.part.related_parts[rid].blob
        except (KeyError, AttributeError):
            continue
        image = ocr.decode_image(blob)
        if image is None or min(image.shape[:2]) < 32:
            continue
        out.append((ocr.read_image(image), float(image.shape[1])))
    return out, len(ids) - attempted


# --------------------------------------------------------------------------------------------
# PDF


@dataclass(slots=True)
class _Run:
    text: str
    x0: float
    x1: float
    base: float  # baseline, measured from the top of the page
    size: float
    bold: bool
    space_before: bool = False
    rtl: bool = False  # holds right-to-left letters (Arabic, Hebrew...): its glyphs run leftwards


def _is_rtl(ch: str) -> bool:
    # Called for every glyph of every PDF: no script before Hebrew (U+0590) runs leftwards.
    return ch >= "\u0590" and unicodedata.bidirectional(ch) in ("R", "AL")


def _line_is_rtl(runs: list[_Run]) -> bool:
    """A line on a right-to-left page (all its runs marked), or one whose strong letters are
    mostly right-to-left, reads from right to left."""
    if not any(r.rtl for r in runs):
        return False
    if all(r.rtl for r in runs):
        return True
    kinds = [_glyph_kind(ch) for run in runs for ch in run.text]
    rtl, ltr = kinds.count("R"), kinds.count("L")
    return rtl > ltr and rtl >= 2


_BULLET_GLYPHS = frozenset("•●▪■◦○◆◇►▶➢➤✓✔-–*·")


def _extract_pdf(data: bytes) -> ExtractedText:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if code == raw.FPDF_ERR_PASSWORD:
                raise DocumentError(
                    "This PDF is protected by a password. Please remove the password "
                    "(for example with 'Print to PDF') and upload it again."
                ) from None
            if code == raw.FPDF_ERR_SECURITY:
                raise DocumentError(
                    "This PDF uses an encryption scheme that cannot be opened. Please export "
                    "an unprotected copy and upload it again."
                ) from None
            raise DocumentError(
                "This PDF is damaged or is not a valid PDF file, so its text cannot be read. "
                "Please export it again from your editor and re-upload."
            ) from None
        try:
            n_pages = len(pdf)
            warnings: list[str] = []
            if n_pages == 0:
                raise DocumentError("This PDF has no pages.")
            if n_pages > MAX_PDF_PAGES:
                warnings.append(f"Only the first {MAX_PDF_PAGES} of {n_pages} pages were read.")
            hints = LayoutHints()
            lines: list[TextLine] = []
            readable = 0
            for index in range(min(n_pages, MAX_PDF_PAGES)):
                try:
                    page = pdf[index]
                except pdfium.PdfiumError:
                    warnings.append(f"Page {index + 1} could not be read.")
                    continue
                try:
                    runs, width, has_images, count = _page_runs(page, raw)
                finally:
                    page.close()
                readable += count
                hints.images = hints.images or has_images
                page_lines, split = _layout_page(runs, width, index)
                hints.multi_column = hints.multi_column or split
                lines.extend(page_lines)
        finally:
            pdf.close()
    image_only = readable < _MIN_READABLE_CHARS
    if image_only:
        warnings.append("No selectable text was found: the PDF seems to contain only images.")
    return ExtractedText(
        kind="pdf",
        text="\n".join(ln.text for ln in lines),
        pages=n_pages,
        lines=lines,
        image_only=image_only,
        layout_hints=hints,
        warnings=warnings,
    )


def _page_runs(page: Any, raw: Any) -> tuple[list[_Run], float, bool, int]:
    width, height = page.get_size()
    has_images = False
    n_obj = raw.FPDFPage_CountObjects(page)
    for i in range(min(n_obj, 5000)):
        obj = raw.FPDFPage_GetObject(page, i)
        if obj and raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_IMAGE:
            has_images = True
            break
    textpage = page.get_textpage()
    try:
        n = raw.FPDFText_CountChars(textpage)
        # Loose boxes span each glyph's advance, so gaps mean spaces (tight ink boxes make a
        # narrow "1" look like it is followed by a space).
        rect = raw.FS_RECTF()
        p_rect = ctypes.byref(rect)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        p_ox, p_oy = ctypes.byref(ox), ctypes.byref(oy)
        matrix = raw.FS_MATRIX()
        p_matrix = ctypes.byref(matrix)
        get_matrix = raw.FPDFText_GetMatrix
        get_unicode = raw.FPDFText_GetUnicode
        is_generated = raw.FPDFText_IsGenerated
        get_box = raw.FPDFText_GetLooseCharBox
        get_origin = raw.FPDFText_GetCharOrigin
        get_size = raw.FPDFText_GetFontSize
        get_weight = raw.FPDFText_GetFontWeight
        runs: list[_Run] = []
        glyphs: list[tuple[str, float, int]] = []
        boxes: list[tuple[float, float]] = []  # each glyph's left and right edge
        spaces: list[tuple[float, float]] = []  # space characters inside a right-to-left run
        cur: _Run | None = None
        pending_space = 0  # 2: a space character in the text; 1: one pdfium generated
        prev_x0 = prev_x1 = 0.0
        readable = 0
        low_half = -1  # index of a low surrogate already joined to the char before it
        for i in range(n):
            if i == low_half:
                continue
            code = get_unicode(textpage, i)
            if code in (0, 0xFFFE, 0xFFFF) or (0xE000 <= code <= 0xF8FF and code not in (0xF0B7,)):
                continue
            if 0xD800 <= code <= 0xDFFF:
                # PDFium counts UTF-16 units: emoji and math letters (U+10000 and up) arrive
                # as two "characters". Join a pair (the box of its first half is the glyph's);
                # drop a half without its partner.
                following = get_unicode(textpage, i + 1) if i + 1 < n else 0
                if code > 0xDBFF or not 0xDC00 <= following <= 0xDFFF:
                    continue
                code = 0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00)
                low_half = i + 1
            ch = chr(code)
            generated = is_generated(textpage, i)
            if ch.isspace():
                pending_space = max(pending_space, 1 if generated else 2)
                if cur is not None and cur.rtl and not generated and get_box(textpage, i, p_rect):
                    spaces.append((rect.left, rect.right))
                continue
            if generated:
                continue
            if not get_box(textpage, i, p_rect):
                continue
            get_origin(textpage, i, p_ox, p_oy)
            size = get_size(textpage, i)
            # Designed PDFs (Canva, InDesign) often set a 1-point font and scale it with the
            # text matrix: the size on the page is the font size times the vertical scale.
            if size and get_matrix(textpage, i, p_matrix):
                scale = math.hypot(matrix.c, matrix.d)
                if scale > 0.01:
                    size *= scale
            size = size or abs(rect.top - rect.bottom) or 10.0
            base = height - oy.value
            x0, x1 = rect.left, max(rect.right, rect.left)
            if code == 0xF0B7:  # Symbol-font bullet
                ch = "•"
            readable += 1
            bold = get_weight(textpage, i) >= 600
            if cur is not None:
                gap = x0 - prev_x1
                if cur.rtl or _is_rtl(ch):
                    # PDFium gives right-to-left text in reading order, each glyph to the
                    # left of the one before; numbers and Latin words inside it still run
                    # rightwards. The gap is measured in whichever direction the text went.
                    gap = max(gap, prev_x0 - x1)
                same_line = abs(base - cur.base) <= 0.35 * max(size, cur.size)
                # Ligatures ("fi") report the second letter inside the first one's box.
                # An accent printed on its own sits over a letter of the run, however far
                # back ("Computacion´": the acute belongs to the o).
                over_run = ch in _SPACING_ACCENTS and cur.x0 <= (x0 + x1) / 2 <= cur.x1
                if (
                    same_line
                    and (-1.2 * size <= gap <= 1.2 * size or over_run)
                    and (bold == cur.bold or over_run)
                ):
                    glyphs.append((ch, gap, pending_space))
                    boxes.append((x0, x1))
                    cur.x0 = min(cur.x0, x0)
                    cur.x1 = max(cur.x1, x1)
                    cur.size = max(cur.size, size)
                    cur.rtl = cur.rtl or _is_rtl(ch)
                    prev_x1 = max(prev_x1, x1) if over_run else x1
                    prev_x0 = x0
                    pending_space = 0
                    continue
                _finish_run(cur, glyphs, boxes, spaces)
                runs.append(cur)
                spaces = []
            cur = _Run("", x0, x1, base, size, bold, pending_space > 0, _is_rtl(ch))
            glyphs = [(ch, 0.0, 0)]
            boxes = [(x0, x1)]
            prev_x0, prev_x1 = x0, x1
            pending_space = 0
        if cur is not None:
            _finish_run(cur, glyphs, boxes, spaces)
            runs.append(cur)
    finally:
        textpage.close()
    if any(r.rtl for r in runs) and _line_is_rtl(runs):
        # A right-to-left page: its lines read from right to left whatever they hold (an
        # email and a phone number beside a town, "2018 - 2023" alone in a date column).
        for run in runs:
            run.rtl = True
        runs = _merge_rtl_words(runs)
    return runs, width, has_images, readable


def _merge_rtl_words(runs: list[_Run]) -> list[_Run]:
    """On a right-to-left page, PDF writers list a Latin word or an email piece by piece
    ("com", ".", "example", "@"...): join the runs of a line that touch or stand a word gap
    apart into one run read in reading order, so that the layout sees words, not pieces."""
    out: list[_Run] = []
    for line in _group_lines(runs):  # each line already in reading order (right to left)
        cluster: list[_Run] = []
        for run in line:
            if cluster and cluster[-1].x0 - run.x1 > 1.2 * max(run.size, cluster[-1].size):
                out.append(_joined(cluster))
                cluster = []
            cluster.append(run)
        if cluster:
            out.append(_joined(cluster))
    return out


def _joined(runs: list[_Run], *, leftwards: bool = True) -> _Run:
    """One right-to-left run of `runs` in reading order (leftwards, or a Latin piece rightwards)."""
    if len(runs) == 1:
        return runs[0]
    return _Run(
        _join_runs(runs, leftwards=leftwards),
        min(r.x0 for r in runs),
        max(r.x1 for r in runs),
        runs[0].base,
        max(r.size for r in runs),
        all(r.bold for r in runs if r.text.strip()),
        runs[0].space_before,
        True,
    )


def _finish_run(
    run: _Run,
    glyphs: list[tuple[str, float, int]],
    boxes: list[tuple[float, float]],
    spaces: list[tuple[float, float]],
) -> None:
    # One right-to-left letter among others is an icon font's glyph (a phone or pin symbol
    # mapped to an Arabic or Hebrew code point), not right-to-left text: the run reads as listed.
    run.rtl = run.rtl and sum(1 for g in glyphs if _is_rtl(g[0])) >= 2
    if run.rtl:
        run.text = _rtl_run_text(glyphs, boxes, spaces, run.size)
    else:
        run.text = _run_text(_compose_accents(glyphs, boxes), run.size)


_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))


def _balance_brackets(text: str) -> str:
    """Brackets in right-to-left text are drawn mirrored, and PDF writers disagree on whether
    they name the shape or the character: ")الملخص المهني(" or ")Sales Closing)". Brackets left
    without a partner are paired up in reading order, an opening one first."""
    chars = list(text)
    for opening, closing in _BRACKETS:
        if opening not in text and closing not in text:
            continue
        stack: list[int] = []
        lone: list[int] = []
        for i, ch in enumerate(chars):
            if ch == opening:
                stack.append(i)
            elif ch == closing:
                if stack:
                    stack.pop()
                else:
                    lone.append(i)
        lone = sorted(lone + stack)
        for a, b in zip(lone[::2], lone[1::2], strict=False):
            chars[a], chars[b] = opening, closing
    return "".join(chars)


def _glyph_kind(ch: str) -> str:
    bidi = unicodedata.bidirectional(ch)
    if bidi in ("R", "AL"):
        return "R"
    if bidi == "L":
        return "L"
    if bidi in ("EN", "AN"):
        return "D"
    return "N"


def _rtl_run_text(
    glyphs: list[tuple[str, float, int]],
    boxes: list[tuple[float, float]],
    spaces: list[tuple[float, float]],
    size: float,
) -> str:
    """The text of a run holding right-to-left letters, read from where its glyphs stand on
    the page rather than from the order the file lists them in (PDF writers list Arabic and
    Hebrew in reading order, in visual order, or word by word): glyphs from right to left,
    except that a Latin word with the signs inside it, and a number with its separators
    ("3.91", "100,000"), read from left to right. Brackets between right-to-left letters are
    mirrored, as they are drawn. A word gap is a space character or a gap between glyphs."""
    # The letters of a ligature share its box. Where the file lists right-to-left letters
    # leftwards, PDFium has reversed the file's text, and a ligature's letters with it ("ال"
    # for "لا"): read them backwards too. Where it lists them rightwards (visual order, as
    # Chrome writes), a ligature's letters are in reading order.
    leftwards = rightwards = 0
    for a in range(len(glyphs) - 1):
        if _is_rtl(glyphs[a][0]) and _is_rtl(glyphs[a + 1][0]) and boxes[a] != boxes[a + 1]:
            if boxes[a + 1][0] < boxes[a][0]:
                leftwards += 1
            else:
                rightwards += 1
    tie = 1 if leftwards >= rightwards else -1
    order = sorted(range(len(glyphs)), key=lambda k: ((boxes[k][0] + boxes[k][1]) / 2, tie * k))
    kinds = [_glyph_kind(glyphs[k][0]) for k in order]
    pieces: list[list[int]] = []  # positions in `order`, each piece read left to right
    i = 0
    while i < len(order):
        end = i
        if kinds[i] == "L":  # a Latin piece: up to the last Latin letter or digit before R
            for k in range(i + 1, len(order)):
                if kinds[k] == "R":
                    break
                if kinds[k] in ("L", "D"):
                    end = k
        elif kinds[i] == "D":  # a number: digits and single separators between digits
            k = i + 1
            while k < len(order):
                if kinds[k] == "D":
                    end = k
                elif not (
                    glyphs[order[k]][0] in ".,:/٫٬" and k + 1 < len(order) and kinds[k + 1] == "D"
                ):
                    break
                k += 1
        pieces.append(list(range(i, end + 1)))
        i = end + 1
    pieces.reverse()
    out: list[str] = []
    prev_left: float | None = None
    for piece in pieces:
        left = min(boxes[order[p]][0] for p in piece)
        right = max(boxes[order[p]][1] for p in piece)
        for n, p in enumerate(piece):
            ch = glyphs[order[p]][0]
            x0 = boxes[order[p]][0]
            if n == 0:
                if prev_left is not None:
                    # from the piece read before (to the right) to this one
                    gap_lo, gap_hi = right, prev_left
                    if _word_gap(gap_lo, gap_hi, spaces, size):
                        out.append(" ")
            else:
                px1 = boxes[order[piece[n - 1]]][1]
                if _word_gap(px1, x0, spaces, size):
                    out.append(" ")
            if ch != "\u0640":  # tatweel stretches a word: no letter
                out.append(ch)
        prev_left = left
    return "".join(out).strip()


def _word_gap(lo: float, hi: float, spaces: list[tuple[float, float]], size: float) -> bool:
    """A word gap between a glyph ending at `lo` and the next starting at `hi` (left to right)."""
    if hi - lo > 0.2 * size:
        return True
    return any(lo - 0.5 <= (a + b) / 2 <= hi + 0.5 and b - a > 0.05 * size for a, b in spaces)


# Accents that TeX fonts in the old OT1 encoding (and some others) print as a glyph of their
# own, placed over the letter: the spacing character and the combining mark it stands for.
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "`": "\u0300",  # grave (OT1 fonts map theirs to the ASCII backquote)
    "\u00a8": "\u0308",  # diaeresis
    "\u02dc": "\u0303",  # small tilde (not "~", which text uses for "about" and ranges)
    "\u02c6": "\u0302",  # modifier circumflex (not "^")
    "\u02c7": "\u030c",  # caron
    "\u02d8": "\u0306",  # breve
    "\u02da": "\u030a",  # ring
    "\u02dd": "\u030b",  # double acute
    "\u00af": "\u0304",  # macron
    "\u02d9": "\u0307",  # dot above
    "\u00b8": "\u0327",  # cedilla (under the letter)
    "\u02db": "\u0328",  # ogonek
}
_DOTLESS = {"\u0131": "i", "\u0237": "j"}


def _compose_accents(
    glyphs: list[tuple[str, float, int]], boxes: list[tuple[float, float]]
) -> list[tuple[str, float, int]]:
    """Join an accent printed as a glyph of its own with the letter it sits on ("Universit´e",
    "Espa˜na", "M¨arz", "Almer´ıa" -> Université, España, März, Almería). The letter is the one
    in the run whose box holds the accent's centre, before or after it in the text; an accent
    over no letter, or one that makes no single accented letter, stays as it is ("Boys´ Day")."""
    if len(glyphs) < 2 or not any(g[0] in _SPACING_ACCENTS for g in glyphs):
        return glyphs
    out = list(glyphs)
    dropped: set[int] = set()
    for i, (ch, _gap, _space) in enumerate(glyphs):
        mark = _SPACING_ACCENTS.get(ch)
        if mark is None:
            continue
        centre = (boxes[i][0] + boxes[i][1]) / 2
        # The nearest glyph in the text first: TeX may emit the accent several letters after
        # its letter ("Informatica´").
        near = range(max(0, i - 12), min(len(glyphs), i + 13))
        for j in sorted(near, key=lambda j: (abs(j - i), j < i)):
            if j in dropped or j == i:
                continue
            base = out[j][0]
            x0, x1 = boxes[j]
            if not base.isalpha() or not x0 - 0.5 <= centre <= x1 + 0.5:
                continue
            composed = unicodedata.normalize("NFC", _DOTLESS.get(base, base) + mark)
            if len(composed) != 1:
                break
            out[j] = (composed, out[j][1], out[j][2])
            dropped.add(i)
            break
    if not dropped:
        return glyphs
    kept: list[tuple[str, float, int]] = []
    last_x1: float | None = None
    for k, glyph in enumerate(out):
        if k in dropped:
            continue
        if kept and last_x1 is not None and k - 1 in dropped:
            # The gap before this glyph was measured from the accent, and pdfium adds a space
            # where the text jumps back to it: measure from the glyph before it instead.
            gap = boxes[k][0] - last_x1
            glyph = (glyph[0], gap, 0 if glyph[2] == 1 else glyph[2])
        kept.append(glyph)
        last_x1 = boxes[k][1] if last_x1 is None else max(last_x1, boxes[k][1])
    return kept


def _run_text(glyphs: list[tuple[str, float, int]], size: float) -> str:
    """The text of a run from its glyphs (char, gap before it, space before it: 0 none,
    1 generated by pdfium, 2 in the text). Words are told apart by the gaps between glyphs:
    a gap wider than a fifth of the type size, or a space character. In tracked type (display
    names and headings set with letter spacing, wider or tighter) the usual gap between
    letters is the tracking, so a word gap is one clearly wider than that usual gap:
    'K E V I N' is KEVIN, and a tightly tracked 'KEVINTCHEUWA' is KEVIN TCHEUWA."""
    free = sorted(gap for _, gap, space in glyphs[1:] if space < 2)
    usual = free[len(free) // 2] if free else 0.0
    tracked = len(free) >= 5 and abs(usual) > 0.05 * size
    out: list[str] = []
    for i, (ch, gap, space) in enumerate(glyphs):
        if i:
            if tracked:
                spaced = space == 2 or gap > usual + 0.15 * size
            else:
                spaced = space > 0 or gap > 0.22 * size
            if spaced:
                out.append(" ")
        out.append(ch)
    return "".join(out)


def _group_lines(runs: list[_Run]) -> list[list[_Run]]:
    """Cluster runs that share a baseline, top to bottom, each line sorted in reading order:
    left to right, or right to left when its letters mostly are (Arabic, Hebrew)."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.base, r.x0)):
        if lines:
            last = lines[-1]
            ref = last[0]
            if abs(run.base - ref.base) <= 0.3 * max(run.size, ref.size):
                last.append(run)
                continue
        lines.append([run])
    for index, line in enumerate(lines):
        if _line_is_rtl(line):
            lines[index] = _rtl_order(line)
        else:
            line.sort(key=lambda r: r.x0)
    return lines


def _run_kind(run: _Run) -> str:
    """R: holds right-to-left letters; L: left-to-right letters only; N: digits and signs."""
    kinds = {_glyph_kind(ch) for ch in run.text}
    return "R" if "R" in kinds else "L" if "L" in kinds else "N"


def _rtl_order(line: list[_Run]) -> list[_Run]:
    """The runs of a right-to-left line in reading order: from right to left, except that Latin
    words with what lies between them (an email, "Python و Django" -> the words and signs
    between two Latin runs) read from left to right as one piece, as the Unicode bidirectional
    algorithm lays them out. Numbers alone ("2018 - 2023") are pieces of their own."""
    visual = sorted(line, key=lambda r: r.x0)
    kinds = [_run_kind(r) for r in visual]
    pieces: list[list[_Run]] = []
    i = 0
    while i < len(visual):
        end = i
        if kinds[i] == "L":
            for k in range(i + 1, len(visual)):
                if kinds[k] == "R":
                    break
                if kinds[k] == "L":
                    end = k
        pieces.append(visual[i : end + 1])
        i = end + 1
    pieces.reverse()
    return [_joined(piece, leftwards=False) for piece in pieces]


def _join_runs(runs: list[_Run], *, leftwards: bool) -> str:
    """The text of runs in reading order: a space for a word gap, two for a wide one."""
    parts: list[str] = []
    prev: _Run | None = None
    for run in runs:
        if prev is not None:
            gap = prev.x0 - run.x1 if leftwards else run.x0 - prev.x1
            size = max(prev.size, run.size)
            if gap > 1.2 * size:
                parts.append("  ")
            elif gap > 0.2 * size or (run.space_before and gap > 0.05 * size):
                parts.append(" ")
        parts.append(run.text)
        prev = run
    return "".join(parts).strip()


def _make_line(runs: list[_Run], page: int, column: int) -> TextLine:
    leftwards = len(runs) > 1 and runs[0].x0 > runs[-1].x0  # a right-to-left line
    text = _join_runs(runs, leftwards=leftwards)
    if any(r.rtl for r in runs):
        text = _balance_brackets(text)
    size = max(r.size for r in runs)
    bullet = bool(text) and text[0] in _BULLET_GLYPHS and (len(text) == 1 or text[1] == " ")
    return TextLine(
        text=text,
        page=page,
        x0=min(r.x0 for r in runs),
        x1=max(r.x1 for r in runs),
        top=min(r.base for r in runs) - size * 0.8,
        font_size=round(size, 1),
        bold=all(r.bold for r in runs if r.text.strip()),
        bullet=bullet,
        column=column,
    )


def _aligned_share(side: list[_Run], other: list[_Run]) -> float:
    if not side:
        return 0.0
    bases = sorted(r.base for r in other)
    hits = 0
    import bisect

    for run in side:
        j = bisect.bisect_left(bases, run.base - 2.0)
        if j < len(bases) and abs(bases[j] - run.base) <= 2.0:
            hits += 1
    return hits / len(side)


def _density(side: list[_Run]) -> float:
    lines = _group_lines(side)
    if len(lines) < 2:
        return 1.0
    span = lines[-1][0].base - lines[0][0].base
    if span <= 0:
        return 1.0
    heights = sum(max(r.size for r in ln) * 1.2 for ln in lines[:-1])
    return heights / span


def _find_columns(runs: list[_Run], width: float) -> tuple[float, int, int] | None:
    """Find a gutter x and the run index range [a, b) (sorted by baseline) it splits."""
    if len(runs) < 8:
        return None
    candidates = sorted({round(r.x1 + 2.0) for r in runs if 0.15 * width < r.x1 < 0.8 * width})
    best: tuple[int, float, float, int, int] | None = None
    for x in candidates:
        # Runs are sorted by baseline; find the longest stretch with no run crossing x.
        start = 0
        i = 0
        n = len(runs)
        while i <= n:
            crossing = i < n and runs[i].x0 < x - 1.0 and runs[i].x1 > x + 1.0
            if i == n or crossing:
                seg = runs[start:i]
                if len(seg) >= 6:
                    left = [r for r in seg if r.x1 <= x + 1.0]
                    right = [r for r in seg if r.x0 >= x - 1.0]
                    if len(left) >= 3 and len(right) >= 3:
                        overlap = min(left[-1].base, right[-1].base) - max(
                            left[0].base, right[0].base
                        )
                        # Side by side, not one block after the other: the columns share
                        # most of the shorter one's height (a sidebar may end early).
                        shorter = min(left[-1].base - left[0].base, right[-1].base - right[0].base)
                        if shorter > 0 and overlap > 0.5 * shorter:
                            gap = min(r.x0 for r in right) - max(r.x1 for r in left)
                            score = len(seg)
                            if gap >= 6.0 and (best is None or (score, gap) > (best[0], best[1])):
                                best = (score, gap, float(x), start, i)
                start = i + 1
            i += 1
    if best is None:
        return None
    _, _, gutter, a, b = best
    seg = runs[a:b]
    left = [r for r in seg if r.x1 <= gutter + 1.0]
    right = [r for r in seg if r.x0 >= gutter - 1.0]
    # A grid such as "dates | details" or right-aligned dates is read row by row, not as columns.
    shares = (_aligned_share(left, right), _aligned_share(right, left))
    if min(shares) >= 0.8:
        return None  # every line has a partner on the other side: rows of a table
    for share, side in zip(shares, (left, right), strict=True):
        if share >= 0.75 and _density(side) < 0.6:
            return None
        if share >= 0.9 and _mostly_dates(side):
            return None  # a column of dates, each beside its entry: rows, not a sidebar
    return gutter, a, b


def _label_column(left: list[TextLine], right: list[TextLine], runs: list[_Run]) -> bool:
    """A left column of a few section headings spaced out beside the content they head."""
    from resumate.ai.sections import match_heading

    if not 2 <= len(left) <= 12 or len(right) < 2 * len(left):
        return False
    if any(len(ln.text.split()) > 4 for ln in left) or _density(runs) >= 0.35:
        return False
    return sum(1 for ln in left if match_heading(ln.text)) >= 0.5 * len(left)


def _mostly_dates(side: list[_Run], *, headings: bool = False) -> bool:
    """Most lines of the side are dates; with `headings`, also a column of dates and the
    short labels or headings they fall under ("AUSBILDUNG", "1982 - 1984", "WEHRDIENST")."""
    from resumate.ai.dates import find_dates

    lines = [" ".join(r.text for r in ln) for ln in _group_lines(side)]
    dated = sum(1 for text in lines if find_dates(text))
    if len(lines) < 2:
        return False
    if dated >= 0.6 * len(lines):
        return True
    if not headings or dated < 0.4 * len(lines):
        return False
    labels = sum(1 for text in lines if not find_dates(text) and len(text.split()) <= 3)
    return dated + labels == len(lines)


def _layout_page(
    runs: list[_Run], width: float, page: int, depth: int = 0
) -> tuple[list[TextLine], bool]:
    runs = sorted(runs, key=lambda r: (r.base, r.x0))
    found = _find_columns(runs, width) if depth < 3 else None
    if found is None:
        return [_make_line(ln, page, 0) for ln in _group_lines(runs) if ln], False
    x, a, b = found
    above, middle, below = runs[:a], runs[a:b], runs[b:]
    # A centred header (name, contact line) that does not reach the left column still sits
    # above it and starts left of the right column's edge: it belongs before both columns.
    # Only the right column's first lines can be such a header: once a line of the right
    # column stands at its edge, what follows is the column's own (wrapped lines indented
    # under a job's title are not a header).
    left_first = min(r.base for r in middle if r.x1 <= x + 1.0)
    right_x0 = [round(r.x0) for r in middle if r.x0 >= x - 1.0]
    margin = max(set(right_x0), key=right_x0.count)
    # The right column's own edge: its headings may stand out left of its bullet text.
    edge = min(
        (r.x0 for r in middle if r.x0 >= x - 1.0 and r.base >= left_first - 1.0), default=margin
    )
    lead: list[_Run] = []
    for r in middle:
        if r.x1 <= x + 1.0:
            continue
        if r.base >= left_first - 1.0 or abs(r.x0 - margin) <= 3.0 or abs(r.x0 - edge) <= 3.0:
            break
        lead.append(r)
    if lead:
        above = above + lead
        middle = [r for r in middle if r not in lead]
    out: list[TextLine] = []
    if above:
        lines, _ = _layout_page(above, width, page, depth + 1)
        out.extend(lines)
    left = [r for r in middle if r.x1 <= x + 1.0]
    right = [r for r in middle if r.x0 >= x - 1.0]
    split = True
    dates_side = _date_column(left, right, width)
    if dates_side is not None:
        # A narrow column of dates beside the entries they date: no column of its own; each
        # date goes right after the first line of the entry it stands beside.
        dates, entries = (left, right) if dates_side == 0 else (right, left)
        entry_lines = _side_lines(entries, width, page, 0, depth)
        out.extend(_merge_dates(entry_lines, dates, page, dates_left=dates_side == 0))
        split = False
    else:
        # Each column is read in its own reading order: a column may hold columns of its own
        # (a three-column grid, a skills list beside the jobs, a date column beside entries).
        left_lines = _side_lines(left, width, page, 1, depth)
        right_lines = _side_lines(right, width, page, 2, depth)
        if _label_column(left_lines, right_lines, left):
            # Section headings in a left column, each beside its content: one flow.
            merged = sorted(
                [(ln.top - 0.5 * ln.font_size, 0, i, ln) for i, ln in enumerate(left_lines)]
                + [(ln.top, 1, i, ln) for i, ln in enumerate(right_lines)]
            )
            out.extend(item[3] for item in merged)
        else:
            out.extend(left_lines)
            out.extend(right_lines)
    if below:
        lines, _ = _layout_page(below, width, page, depth + 1)
        out.extend(lines)
    return out, split


def _side_lines(
    side: list[_Run], width: float, page: int, column: int, depth: int
) -> list[TextLine]:
    """The lines of one column in reading order, all marked as that column."""
    if not side:
        return []
    lines, _ = _layout_page(side, width, page, depth + 1)
    for line in lines:
        line.column = column
    return lines


def _date_column(left: list[_Run], right: list[_Run], width: float) -> int | None:
    """0 or 1 when the left or right side is a narrow column of dates beside the other's entries."""
    for index, (side, other) in enumerate(((left, right), (right, left))):
        if not side or not other:
            continue
        span = max(r.x1 for r in side) - min(r.x0 for r in side)
        other_span = max(r.x1 for r in other) - min(r.x0 for r in other)
        if span <= 0.3 * width and span < other_span and _mostly_dates(side, headings=True):
            return index
    return None


_OPEN_RANGE = ("–", "-", "—", " to", " bis", " au", " à", " a", " al", " até", " tot")


def _merge_dates(
    entries: list[TextLine], dates: list[_Run], page: int, *, dates_left: bool
) -> list[TextLine]:
    """Put each block of the date column (a range, possibly set over two lines, "Mar 2021 –" /
    "Till Date") after the first line of the entry beside it: the last line at the entries'
    left edge, not a bullet, that starts no lower than the block. A date on the baseline of
    an entry's line stays on that line, as in a table row."""
    from resumate.ai.dates import find_date_ranges, find_dates

    blocks: list[TextLine] = []
    stacked: set[int] = set()  # blocks set over two lines
    for group in _group_lines(dates):
        line = _make_line(group, page, 0)
        prev = blocks[-1] if blocks else None
        if (
            prev is not None
            and 0 < line.top - prev.top <= 1.8 * max(line.font_size, prev.font_size)
            and prev.text.rstrip().endswith(_OPEN_RANGE)
            and find_date_ranges(f"{prev.text} {line.text}")
        ):
            prev.text = f"{prev.text} {line.text}"
            prev.x0, prev.x1 = min(prev.x0, line.x0), max(prev.x1, line.x1)
            stacked.add(len(blocks) - 1)
            continue
        blocks.append(line)
    starts = [ln for ln in entries if not ln.bullet and ln.text]
    edge = min((ln.x0 for ln in starts), default=0.0)
    after: dict[int, list[TextLine]] = {}
    for n, block in enumerate(blocks):
        if not find_dates(block.text):
            # A label or heading in the date column: before what stands beside or below it.
            first = next(
                (i for i, ln in enumerate(entries) if ln.top >= block.top - 0.5 * block.font_size),
                len(entries),
            )
            after.setdefault(first - 1, []).append(block)
            continue
        base = block.top + 0.8 * block.font_size
        level = min(entries, key=lambda ln: abs(ln.top + 0.8 * ln.font_size - base), default=None)
        if (
            level is not None
            and n not in stacked
            and not level.bullet
            and abs(level.top + 0.8 * level.font_size - base)
            <= 0.3 * max(level.font_size, block.font_size)
        ):
            gap = level.x0 - block.x1 if dates_left else block.x0 - level.x1
            sep = "  " if gap > 1.2 * max(level.font_size, block.font_size) else " "
            level.text = (
                f"{block.text}{sep}{level.text}" if dates_left else f"{level.text}{sep}{block.text}"
            )
            level.x0, level.x1 = min(level.x0, block.x0), max(level.x1, block.x1)
            continue
        anchor = -1
        for i, ln in enumerate(entries):
            if ln.top > block.top + 0.25 * block.font_size:
                break
            if not ln.bullet and abs(ln.x0 - edge) <= 3.0:
                anchor = i
        after.setdefault(anchor, []).append(block)
    out = list(after.get(-1, []))
    for i, ln in enumerate(entries):
        out.append(ln)
        out.extend(after.get(i, []))
    for ln in out:
        ln.column = 0
    return out


# --------------------------------------------------------------------------------------------
# DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_FORBIDDEN_XML = [
    token.encode(enc)
    for token in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
]


def _check_docx_zip(data: bytes) -> zipfile.ZipFile:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DocumentError(
            "This Word file is password-protected or in the old .doc format. Please save it as "
            "an unprotected .docx or PDF and upload it again."
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(
            "This Word file is damaged and cannot be opened. Please save it again as .docx or "
            "PDF and re-upload."
        ) from None
    infos = zf.infolist()
    if len(infos) > MAX_DOCX_ENTRIES:
        raise DocumentError("This Word file has too many internal parts to be a CV.")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_DOCX_UNCOMPRESSED or (info.file_size > 1_000_000 and ratio > MAX_DOCX_RATIO):
            raise DocumentError(
                "This Word file expands to an unreasonable size when opened and was refused."
            )
    if "word/document.xml" not in zf.namelist():
        raise DocumentError("This file is a zip archive but not a Word document.")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                head = zf.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                raise DocumentError(
                    "This Word file is damaged and cannot be opened. Please save it again."
                ) from None
            if any(tok in head for tok in _FORBIDDEN_XML):
                raise DocumentError(
                    "This Word file contains XML declarations (DTD or entities) that are not "
                    "allowed in documents and was refused."
                )
    return zf


@dataclass(slots=True)
class _DocxContext:
    styles: dict[str, tuple[str, bool]]
    hints: LayoutHints
    lines: list[TextLine] = field(default_factory=list)


def _extract_docx(data: bytes) -> ExtractedText:
    zf = _check_docx_zip(data)
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:  # python-docx raises many kinds of errors on broken packages
            raise DocumentError(
                "This Word file is damaged or not a standard .docx document and cannot be read."
            ) from None
        hints = LayoutHints()
        styles = _docx_styles(document)
        body = document.element.body
        ctx = _DocxContext(styles=styles, hints=hints)
        headers: list[Any] = []
        footers: list[Any] = []
        for rel in document.part.rels.values():
            if rel.is_external:
                continue
            if rel.reltype == RT.HEADER:
                headers.append(rel.target_part.element)
            elif rel.reltype == RT.FOOTER:
                footers.append(rel.target_part.element)
        for element in headers:
            _walk_blocks(element, ctx, "header")
        n_header = len(ctx.lines)
        _walk_blocks(body, ctx, "body")
        n_body = len(ctx.lines)
        for element in footers:
            _walk_blocks(element, ctx, "footer")
        # The same header text is often repeated for first/even pages.
        seen: set[str] = set()
        lines: list[TextLine] = []
        for i, line in enumerate(ctx.lines):
            if i < n_header or i >= n_body:
                if line.text in seen:
                    continue
                seen.add(line.text)
                hints.header_footer_text = True
            lines.append(line)
        for cols in body.iter(f"{_W}cols"):
            num = cols.get(f"{_W}num")
            if num and num.isdigit() and int(num) > 1:
                hints.multi_column = True
        pages = _docx_pages(zf, lines)
    finally:
        zf.close()
    text = "\n".join(ln.text for ln in lines)
    image_only = len(re.sub(r"\s", "", text)) < _MIN_READABLE_CHARS
    warnings = []
    if image_only:
        warnings.append("No text was found in this document: it seems to contain only images.")
    return ExtractedText(
        kind="docx",
        text=text,
        pages=pages,
        lines=lines,
        image_only=image_only,
        layout_hints=hints,
        warnings=warnings,
    )


def _docx_pages(zf: zipfile.ZipFile, lines: list[TextLine]) -> int:
    try:
        app = zf.read("docProps/app.xml")[:20000].decode("utf-8", "ignore")
        m = re.search(r"<(?:\w+:)?Pages>(\d+)</", app)
        if m and 0 < int(m.group(1)) < 200:
            return int(m.group(1))
    except KeyError:
        pass
    words = sum(len(ln.text.split()) for ln in lines)
    return max(1, -(-words // 500))


def _docx_styles(document: Any) -> dict[str, tuple[str, bool]]:
    """styleId -> (name in lower case, is a heading style)."""
    out: dict[str, tuple[str, bool]] = {}
    try:
        root = document.styles.element
    except Exception:
        return out
    for style in root.iter(f"{_W}style"):
        sid = style.get(f"{_W}styleId") or ""
        name_el = style.find(f"{_W}name")
        name = (name_el.get(f"{_W}val") if name_el is not None else sid) or sid
        lname = name.lower()
        ppr = style.find(f"{_W}pPr")
        outline = ppr is not None and ppr.find(f"{_W}outlineLvl") is not None
        heading = lname.startswith(("heading", "title", "subtitle")) or outline
        out[sid] = (lname, heading)
    return out


def _walk_blocks(container: Any, ctx: _DocxContext, source: str) -> None:
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            _paragraph(child, ctx, source)
        elif tag == f"{_W}tbl":
            _table(child, ctx, source)
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent", f"{_W}txbxContent"):
            _walk_blocks(child, ctx, source)
        elif tag == f"{_MC}AlternateContent":
            choice = _pick_alternate(child)
            if choice is not None:
                _walk_blocks(choice, ctx, source)


def _pick_alternate(alt: Any) -> Any:
    for child in alt:
        if child.tag in (f"{_MC}Choice", f"{_MC}Fallback"):
            return child
    return None


def _paragraph(p: Any, ctx: _DocxContext, source: str) -> None:
    parts: list[str] = []
    boxes: list[Any] = []
    runs_bold: list[bool] = []
    size = 0.0
    _collect_runs(p, parts, boxes, runs_bold, ctx)
    ppr = p.find(f"{_W}pPr")
    heading = False
    bullet = False
    if ppr is not None:
        style = ppr.find(f"{_W}pStyle")
        if style is not None:
            name, heading = ctx.styles.get(style.get(f"{_W}val") or "", ("", False))
            bullet = "list" in name
        if ppr.find(f"{_W}outlineLvl") is not None:
            heading = True
        if ppr.find(f"{_W}numPr") is not None:
            bullet = True
    for sz in p.iter(f"{_W}sz"):
        val = sz.get(f"{_W}val")
        if val and val.isdigit():
            size = max(size, int(val) / 2)
    text = "".join(parts)
    bold = bool(runs_bold) and all(runs_bold)
    for piece in text.split("\n"):
        piece = piece.replace("\t", "  ").strip()
        if piece:
            ctx.lines.append(
                TextLine(
                    text=piece,
                    font_size=size,
                    bold=bold,
                    heading_style=heading,
                    bullet=bullet,
                    source=source,
                )
            )
    for box in boxes:
        ctx.hints.text_boxes = True
        _walk_blocks(box, ctx, "textbox" if source == "body" else source)


def _collect_runs(
    el: Any, parts: list[str], boxes: list[Any], bold: list[bool], ctx: _DocxContext
) -> None:
    for child in el:
        tag = child.tag
        if tag == f"{_W}r":
            rpr = child.find(f"{_W}rPr")
            is_bold = False
            if rpr is not None:
                b = rpr.find(f"{_W}b")
                is_bold = b is not None and b.get(f"{_W}val") not in ("0", "false", "off")
            before = len(parts)
            _collect_runs(child, parts, boxes, bold, ctx)
            if "".join(parts[before:]).strip():
                bold.append(is_bold)
        elif tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag in (f"{_W}delText", f"{_W}instrText", f"{_W}pPr", f"{_W}rPr"):
            continue
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        elif tag == f"{_MC}AlternateContent":
            choice = _pick_alternate(child)
            if choice is not None:
                _collect_runs(choice, parts, boxes, bold, ctx)
        elif tag.endswith("}pic") or tag.endswith("}blip"):
            ctx.hints.images = True
        elif isinstance(tag, str):
            _collect_runs(child, parts, boxes, bold, ctx)


def _cell_lines(tc: Any, ctx: _DocxContext, source: str) -> list[TextLine]:
    sub = _DocxContext(styles=ctx.styles, hints=ctx.hints)
    _walk_blocks(tc, sub, source)
    return sub.lines


def _table(tbl: Any, ctx: _DocxContext, source: str) -> None:
    rows = list(_children(tbl, f"{_W}tr"))
    src = "table" if source == "body" else source
    grid = [[_cell_lines(tc, ctx, src) for tc in _children(tr, f"{_W}tc")] for tr in rows]
    if any(len([c for c in row if c]) > 1 for row in grid):
        ctx.hints.tables = True
    for row in grid:
        filled = [cell for cell in row if cell]
        short = all(len(cell) == 1 and len(cell[0].text) <= 80 for cell in filled)
        if len(filled) > 1 and short:
            first = filled[0][0]
            ctx.lines.append(
                TextLine(
                    text="  ".join(cell[0].text for cell in filled),
                    font_size=first.font_size,
                    bold=all(cell[0].bold for cell in filled),
                    bullet=first.bullet,
                    source=src,
                )
            )
        else:
            for cell in filled:
                ctx.lines.extend(cell)


def _children(el: Any, tag: str) -> Iterable[Any]:
    """Direct children with a tag, looking through content controls wrapping rows or cells."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent")
            yield from _children(content if content is not None else child, tag)
