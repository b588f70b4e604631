"""OCR for scanned CVs: page images in, text lines with positions and confidences out.

Uses RapidOCR (`rapidocr-onnxruntime`, Apache-2.0): PP-OCRv4 detection and recognition models that
ship inside the wheel and run on onnxruntime, so nothing is downloaded at run time. One engine per
process, loaded on first use, and one page at a time (the models use both cores on their own).
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Pages are rendered at this many pixels per PDF point (72 dpi * 2.5 = 180 dpi): small print
# stays readable and a page is about 1500 x 2100 pixels.
RENDER_SCALE = 2.5
MAX_OCR_PAGES = 6
# Wall-clock seconds for all pages of one document: the first page is always read, later pages only
# while the budget lasts, so a long scan on a busy server gives a partial reading (and says so)
# well inside the analysis timeout instead of no reading at all.
OCR_TIME_BUDGET = 60.0
MAX_IMAGE_PIXELS = 40_000_000
MIN_BOX_SCORE = 0.5

_LOCK = threading.Lock()
_COMMA_RE = re.compile(r",(?=[^\W\d_])")


@dataclass(slots=True)
class OcrBox:
    """A line of text found on a page image, in image pixels."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float


class OcrUnavailable(Exception):
    """The OCR engine cannot be loaded (package or system library missing)."""


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except Exception as exc:  # ImportError, or cv2 failing to load libGL
        raise OcrUnavailable(str(exc)) from None
    return RapidOCR(intra_op_num_threads=2, inter_op_num_threads=1, print_verbose=False)


def available() -> bool:
    try:
        _engine()
    except OcrUnavailable:
        return False
    return True


def read_image(image: Any) -> list[OcrBox]:
    """OCR one image (a numpy array in RGB or BGR, or encoded image bytes)."""
    engine = _engine()
    with _LOCK:
        # With word boxes the recogniser keeps the spaces between words ("Patient care"),
        # which the plain call drops.
        result, _elapsed = engine(image, return_word_box=True)
    boxes: list[OcrBox] = []
    for item in result or []:
        points, text, score = item[0], str(item[1]), item[2]
        if len(item) > 3:
            text = _respace(text, item[3])
        text = " ".join(_COMMA_RE.sub(", ", text).split())
        score = float(score)
        if not text or score < MIN_BOX_SCORE:
            continue
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        boxes.append(OcrBox(text, min(xs), min(ys), max(xs), max(ys), score))
    return boxes


def _respace(text: str, char_boxes: Any) -> str:
    """Put back the spaces the recogniser dropped ("Patientcare,Woundcare"), from the gaps
    between its character boxes: a gap wider than 85% of a typical character is a space."""
    try:
        spans = [(min(p[0] for p in b), max(p[0] for p in b)) for b in char_boxes]
    except (TypeError, ValueError, IndexError):
        return text
    if len(spans) != len(text) or len(text) < 3:
        return text
    widths = sorted(x1 - x0 for (x0, x1), ch in zip(spans, text, strict=True) if ch != " ")
    if not widths:
        return text
    typical = widths[len(widths) // 2]
    out: list[str] = []
    for m in re.finditer(r"\S+|\s+", text):
        run = m.group()
        # Only runs too long to be one word, and never e-mails or links.
        if len(run) < 10 or "@" in run or "://" in run or run.lower().startswith("www."):
            out.append(run)
            continue
        out.append(run[0])
        for i in range(m.start() + 1, m.end()):
            if spans[i][0] - spans[i - 1][1] > 0.85 * typical:
                out.append(" ")
            out.append(text[i])
    return "".join(out)


def decode_image(data: bytes) -> Any | None:
    """Encoded image bytes (PNG, JPEG, ...) to an RGB array, or None if unreadable or huge."""
    try:
        from PIL import Image
    except ImportError:
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                return None
            import numpy as np

            return np.asarray(img.convert("RGB"))
    except Exception:  # Pillow raises many kinds of errors on broken or exotic images
        return None
