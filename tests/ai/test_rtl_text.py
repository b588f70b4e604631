"""Arabic and Hebrew CVs: text read in reading order from right-to-left PDFs, headings in both
languages, names in scripts without capitals."""

from __future__ import annotations

import typst

from resumate.ai.analyzer import analyze_document
from resumate.ai.contact import _clean_name, find_name
from resumate.ai.documents import ExtractedText, _balance_brackets, _rtl_run_text, extract_text

ARABIC = """
#set page(paper: "a4", margin: 2cm)
#set text(lang: "ar", font: ("DejaVu Sans",), size: 11pt)
#text(size: 22pt, weight: "bold")[محمد أحمد العلي] \\
mohammed.ali\\@example.com | عمان، الأردن
== الخبرة العملية
*مهندس برمجيات*، شركة أرامكس #h(1fr) 2018 - 2023
- تطوير تطبيقات الويب باستخدام Python و Django (سلام).
== التعليم
بكالوريوس علوم الحاسوب، الجامعة الأردنية، 2014 - 2018
== المهارات
Python، Django، PostgreSQL، Docker
"""

HEBREW = """
#set page(paper: "a4", margin: 2cm)
#set text(lang: "he", font: ("DejaVu Sans",), size: 11pt)
#text(size: 22pt, weight: "bold")[דנה כהן] \\
dana.cohen\\@example.com | תל אביב
== ניסיון תעסוקתי
*אחות מוסמכת*, בית החולים איכילוב #h(1fr) 2016 - 2024
- טיפול בחולים במחלקה פנימית.
== השכלה
תואר ראשון בסיעוד, אוניברסיטת תל אביב, 2012 - 2016
== כישורים
Patient care, Wound care, Phlebotomy
"""


def _pdf(source: str) -> bytes:
    return bytes(typst.compile(source.encode(), format="pdf"))


def test_arabic_pdf_reads_in_reading_order() -> None:
    lines = [ln.text for ln in extract_text(_pdf(ARABIC), "pdf").lines]
    assert lines[0] == "محمد أحمد العلي"
    assert lines[1] == "mohammed.ali@example.com | عمان، الأردن"  # lam-alef ligature in order
    assert lines[2] == "الخبرة العملية"
    assert lines[3].startswith("مهندس برمجيات، شركة أرامكس") and lines[3].endswith("2018 - 2023")
    assert lines[4] == "• تطوير تطبيقات الويب باستخدام Python و Django (سلام)."
    assert lines[-1] == "Python، Django، PostgreSQL، Docker"


def test_arabic_cv_is_analysed() -> None:
    a = analyze_document(_pdf(ARABIC), "pdf")
    assert a.contact.name == "محمد أحمد العلي"
    assert a.contact.email == "mohammed.ali@example.com"
    assert {"experience", "education", "skills"} <= set(a.sections)
    (job,) = a.parsed_content["work"]
    assert (job["startDate"], job["endDate"]) == ("2018", "2023")
    assert a.total_experience_years == 6.0
    assert {"Python", "Django", "PostgreSQL", "Docker"} <= {s.name for s in a.skills}


def test_hebrew_cv_is_analysed() -> None:
    data = _pdf(HEBREW)
    lines = [ln.text for ln in extract_text(data, "pdf").lines]
    assert lines[:3] == ["דנה כהן", "dana.cohen@example.com | תל אביב", "ניסיון תעסוקתי"]
    a = analyze_document(data, "pdf")
    assert a.contact.name == "דנה כהן"
    assert {"experience", "education", "skills"} <= set(a.sections)
    (job,) = a.parsed_content["work"]
    assert job["position"] == "אחות מוסמכת" and job["name"] == "בית החולים איכילוב"
    assert (job["startDate"], job["endDate"]) == ("2016", "2024")
    assert {"Patient care", "Wound care", "Phlebotomy"} <= {s.name for s in a.skills}


def _glyphs(text: str, *, visual: bool) -> tuple[list[tuple[str, float, int]], list]:
    """Glyphs of a right-to-left line as a PDF lists them, one 6-point box each: a line laid
    out from x = 300 leftwards (Latin words and numbers rightwards inside), listed in reading
    order or, as Chrome writes, from left to right."""
    # Words right to left; a run of Latin words, or a number, left to right as one block.
    blocks: list[list[str]] = []
    for word in text.split(" "):
        if word.isascii() and blocks and blocks[-1][0].isascii():
            blocks[-1].append(word)
        else:
            blocks.append([word])
    placed: list[tuple[str, float, float]] = []
    right = 300.0
    for block in blocks:
        chunk = " ".join(block)
        left = right - 6.0 * len(chunk)
        for i, ch in enumerate(chunk):
            x0 = left + 6.0 * i if chunk.isascii() else right - 6.0 * (i + 1)
            if ch != " ":
                placed.append((ch, x0, x0 + 6.0))
        right = left - 3.0  # a space
    if visual:
        placed.sort(key=lambda g: g[1])
    return [(ch, 0.0, 0) for ch, _, _ in placed], [(x0, x1) for _, x0, x1 in placed]


def test_right_to_left_runs_read_the_same_in_either_file_order() -> None:
    text = "خبرة 4 سنوات في Google Ads و 100,000 دولار"
    for visual in (False, True):
        glyphs, boxes = _glyphs(text, visual=visual)
        assert _rtl_run_text(glyphs, boxes, [], 10.0) == text


def test_brackets_drawn_mirrored_are_paired() -> None:
    assert _balance_brackets(")الملخص المهني(") == "(الملخص المهني)"
    assert _balance_brackets(")Sales Closing)") == "(Sales Closing)"
    assert _balance_brackets("(دفعة 2019)") == "(دفعة 2019)"
    assert _balance_brackets("(خبرة 4 سنوات (تقريبا))") == "(خبرة 4 سنوات (تقريبا))"


def test_tatweel_stretches_words_without_splitting_them() -> None:
    # "أنـــوار": the tatweels between the letters are glyphs of their own, drawn leftwards
    word = "أنـــوار"
    glyphs = [(ch, 0.0, 0) for ch in word]
    boxes = [(300.0 - 5.0 * (i + 1), 300.0 - 5.0 * i) for i in range(len(word))]
    assert _rtl_run_text(glyphs, boxes, [], 20.0) == "أنوار"


def test_names_in_scripts_without_capitals() -> None:
    assert _clean_name("فاطمة أحمد الدخيل") == "فاطمة أحمد الدخيل"
    assert _clean_name("איליה רחמילביץ'") == "איליה רחמילביץ'"  # a geresh ends the name
    assert _clean_name("السيرة الذاتية") is None  # "curriculum vitae"
    assert _clean_name("קורות חיים") is None
    assert _clean_name("软件 工程师") is None  # Chinese names are found elsewhere
    lines = ExtractedText.from_plain_text("السيرة الذاتية - فاطمة أحمد الدخيل\nالتعليم").lines
    assert find_name(lines) == "فاطمة أحمد الدخيل"


def test_arabic_and_hebrew_dates() -> None:
    from resumate.ai.dates import find_date_ranges

    def spans(text: str) -> list[tuple[tuple[int, int | None], tuple[int, int | None] | None]]:
        return [
            ((r.start.year, r.start.month), (r.end.year, r.end.month) if r.end else None)
            for r in find_date_ranges(text)
        ]

    assert spans("فبرایر 2020 – حتى الآن") == [((2020, 2), None)]  # Persian yeh, "until now"
    assert spans("كانون الثاني 2019 - تشرين الأول 2021") == [((2019, 1), (2021, 10))]
    assert spans("٢٠١٨ - ٢٠٢٣") == [((2018, None), (2023, None))]  # Arabic-Indic digits
    assert spans("ינואר 2020 - היום") == [((2020, 1), None)]


def test_arabic_headings_in_persian_letter_forms_and_brackets() -> None:
    from resumate.ai.sections import match_heading

    assert match_heading("الخبرات العملیة") == ("experience", False)
    assert match_heading("(الملخص المھني)") == ("summary", False)
    assert match_heading("ניסיון תעסוקתי") == ("experience", False)
    assert match_heading("Experience (selected)") == ("experience", False)


def test_one_right_to_left_glyph_is_an_icon_not_text() -> None:
    """An icon font may map its phone symbol to an Arabic or Hebrew code point: the run it
    starts stays in the order it is listed (the number is not read backwards)."""
    from resumate.ai.documents import _finish_run, _Run

    text = "\u05d8 +49 170 1234567"  # a Hebrew letter standing for a phone icon
    glyphs: list[tuple[str, float, int]] = []
    boxes: list[tuple[float, float]] = []
    x = 50.0
    gap = 0.0
    for ch in text:
        if ch == " ":
            x += 3.0
            gap = 3.0
            continue
        glyphs.append((ch, gap, 0))
        boxes.append((x, x + 6.0))
        x += 6.0
        gap = 0.0
    run = _Run("", 50.0, x, 100.0, 10.0, False, False, True)
    _finish_run(run, glyphs, boxes, [])
    assert not run.rtl
    assert "+49 170 1234567" in run.text
