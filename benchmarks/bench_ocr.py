"""OCR of scanned CVs: time per page and peak memory (issue 10).

    .venv/bin/python benchmarks/bench_ocr.py [--pages 6] [--dpi 150]

Builds a one-page CV with Typst, rasterises it like a scanner (greyscale, --dpi), embeds the image
in an image-only PDF and in an image-only DOCX, then times `extract_text` + `analyze_text` on
each (the OCR engine is loaded once, outside the timings; its load time is printed apart). Peak
memory is the process's maximum resident set size, which includes the onnxruntime models.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import time

import docx
import pypdfium2 as pdfium
import typst
from docx.shared import Inches
from PIL import Image

from resumate.ai import ocr
from resumate.ai.analyzer import analyze_text
from resumate.ai.documents import extract_text

CV = """
#set page(paper: "a4", margin: 2cm)
#set text(font: "DejaVu Sans", size: 11pt)
#text(size: 20pt, weight: "bold")[Maria Keller] \\
maria.keller\\@example.com | +49 30 1234567 | Berlin, Germany
== Summary
Registered nurse with seven years in intensive care and emergency departments.
== Experience
*Registered Nurse*, Charité Berlin #h(1fr) Mar 2019 - Present
- Cared for 12 patients per shift in a 30-bed intensive care unit.
- Trained 15 new nurses in ventilator management and infection control.
*Staff Nurse*, Vivantes Klinikum #h(1fr) Sep 2016 - Feb 2019
- Triage of 60 patients per shift in the emergency department.
== Education
BSc Nursing, University of Hamburg, 2012 - 2016
== Skills
Patient care, Wound care, Phlebotomy, IV therapy, Critical care, Epic, Microsoft Excel
== Languages
German (native), English (C1)
"""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6, help="runs per file type")
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args()

    pdf = pdfium.PdfDocument(bytes(typst.compile(CV.encode(), format="pdf")))
    image = pdf[0].render(scale=args.dpi / 72).to_pil().convert("L")
    pdf.close()
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PDF", resolution=args.dpi)
    scanned_pdf = buf.getvalue()
    png = io.BytesIO()
    image.save(png, "PNG")
    png.seek(0)
    document = docx.Document()
    document.add_picture(png, width=Inches(6.5))
    out = io.BytesIO()
    document.save(out)
    image_docx = out.getvalue()
    blank = Image.new("L", image.size, 255)
    buf = io.BytesIO()
    blank.convert("RGB").save(buf, "PDF", resolution=args.dpi)
    blank_pdf = buf.getvalue()

    before = _rss_mb()
    t0 = time.perf_counter()
    assert ocr.available(), "rapidocr-onnxruntime is not installed"
    print(f"engine load: {time.perf_counter() - t0:.2f} s, RSS {before:.0f} -> {_rss_mb():.0f} MB")
    for name, data, kind in (
        ("scanned PDF page", scanned_pdf, "pdf"),
        ("image-only DOCX page", image_docx, "docx"),
        ("blank scanned page", blank_pdf, "pdf"),
    ):
        times = []
        for _ in range(args.pages):
            t = time.perf_counter()
            doc = extract_text(data, kind)
            analysis = analyze_text(doc)
            times.append(time.perf_counter() - t)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"{name}: p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s (n={len(times)}); "
            f"method={analysis.extraction.method}, confidence={analysis.extraction.ocr_confidence}, "
            f"skills={len(analysis.skills)}"
        )
    print(f"peak RSS with OCR: {_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
