"""Real files with hostile text, compiled by Typst in the test."""

from __future__ import annotations

import typst

# Section headings as people write them: emoji (from the emoticons block, which the DejaVu
# Sans Mono built into Typst draws), and "bold" letters from the Mathematical
# Alphanumeric block (U+1D400...) that font-generator websites produce. Both lie outside the
# BMP, so PDFium reports each as two UTF-16 surrogate halves.
EMOJI_HEADINGS = ["😀 𝐏𝐫𝐨𝐟𝐢𝐥𝐞", "😎 𝐄𝐱𝐩𝐞𝐫𝐢𝐞𝐧𝐜𝐞", "😃 𝐄𝐝𝐮𝐜𝐚𝐭𝐢𝐨𝐧", "😊 𝐒𝐤𝐢𝐥𝐥𝐬"]


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emoji_cv_pdf() -> bytes:
    """A three-page CV with emoji and math-bold section headings, RTL and CJK lines."""
    blocks = [
        '#set page(paper: "a4", margin: 2cm)',
        '#set text(font: ("Libertinus Serif", "New Computer Modern Math", '
        '"Noto Sans", "Noto Sans SC", "Amiri", "DejaVu Sans Mono"), size: 11pt)',
        "#text(size: 20pt)[*Ingrid Søgaard-Łukasik* 👩‍💻]",
        "ingrid.sogaard\\@example.org · +47 912 34 567 · Oslo, Norway",
        f"= #{_typst_string(EMOJI_HEADINGS[0])}",
        "Staff platform engineer with twelve years of experience in Kubernetes, Go and Python. "
        "Arbeitet auch auf Deutsch; 会说中文; تتحدث العربية.",
        f"= #{_typst_string(EMOJI_HEADINGS[1])}",
    ]
    for year in range(2024, 2012, -2):
        blocks.append(
            f"*Senior Platform Engineer* — Nordic Cloud AS 🚀 \\ Jan {year - 2} – Dec {year}\n"
            "- Built the deployment platform used by 40 teams ✅\n"
            "- Cut the monthly cloud bill by 30 % 💰 with autoscaling in Kubernetes and Terraform\n"
            "- Mentored six engineers; led the on-call rotation 📟\n"
        )
        blocks.append("#v(7cm)")
    blocks += [
        f"= #{_typst_string(EMOJI_HEADINGS[2])}",
        "*MSc Computer Science* — NTNU, Trondheim \\ 2008 – 2013",
        f"= #{_typst_string(EMOJI_HEADINGS[3])}",
        "Kubernetes · Go · Python · Terraform · PostgreSQL · AWS · Linux",
    ]
    return typst.compile("\n\n".join(blocks).encode())


def dotted_line_pdf(pairs: int = 5000) -> bytes:
    """A small PDF with one very long line of "a.a.a...": the contact parser's URL pattern
    takes time that grows much faster than the line (about 14 s for 8,000 characters), so
    this 10 KB file keeps an analysis busy for many minutes."""
    source = (
        "#set page(width: auto, height: 60mm, margin: 10mm)\n#set text(size: 6pt)\n"
        "Maria Lopez · maria\\@example.org\n\n" + "a." * pairs + "\n"
    )
    return typst.compile(source.encode())
