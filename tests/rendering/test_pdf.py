"""Built-in templates rendered to real PDFs and read back with PDFium."""

from __future__ import annotations

import copy
import hashlib
import re
import threading
from typing import Any

import pypdfium2
import pytest

from resumate.jsonresume import ResumeValidationError
from resumate.rendering import (
    PageOutOfRange,
    builtin_templates,
    load_builtin_template,
    render_pdf,
    render_png,
)
from resumate.rendering.pdf import TemplateNotFound, count_pdf_pages, typst_page_count
from tests.rendering.conftest import (
    COMPLETE,
    MINIMAL,
    SCRIPTS,
    TEMPLATES,
    link_uris,
    long_resume,
    multiscript_resume,
    page_texts,
    pdf_text,
)

URL_KEYS = {"url", "canonical", "image"}
DATE_KEYS = {"startDate", "endDate", "date", "releaseDate"}


def _expected_strings(data: Any, key: str = "") -> list[str]:
    """Every text value a reader must find in the PDF (URLs and dates are checked apart)."""
    if isinstance(data, dict):
        return [
            s
            for k, v in data.items()
            if k not in URL_KEYS | DATE_KEYS and k not in {"meta", "$schema"}
            for s in _expected_strings(v, k)
        ]
    if isinstance(data, list):
        return [s for item in data for s in _expected_strings(item, key)]
    if isinstance(data, str):
        # Multi-line prose: each line is shown, bullet markers become list items.
        return [re.sub(r"^- ", "", line).strip() for line in data.split("\n") if line.strip()]
    return []


def test_builtin_templates_are_listed_with_previews() -> None:
    infos = {info.slug: info for info in builtin_templates()}
    assert set(TEMPLATES) <= set(infos)
    for info in infos.values():
        assert info.name and info.description and info.version
        assert info.preview_path is not None
        assert info.preview_path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_builtin_template() -> None:
    with pytest.raises(TemplateNotFound):
        load_builtin_template("no-such-template")
    with pytest.raises(TemplateNotFound):
        load_builtin_template("../classic")


def test_complete_resume_shows_every_field(template_slug: str) -> None:
    result = render_pdf(COMPLETE, load_builtin_template(template_slug))
    text = pdf_text(result.pdf).casefold()
    missing = [s for s in _expected_strings(COMPLETE) if s.casefold() not in text]
    assert missing == []
    for year in ("2019", "2013", "2016", "2008", "2021", "2015", "2020", "2018"):
        assert year in text
    assert "present" in text  # the current job has no end date


def test_links_are_clickable(template_slug: str) -> None:
    result = render_pdf(COMPLETE, load_builtin_template(template_slug))
    uris = set(link_uris(result.pdf))
    expected = {
        "mailto:zoe.kowalczyk@example.org",
        "https://zoe-builds.example.org",  # no scheme in the document
        "https://github.com/zkowalczyk",  # built from network and username
        "https://bridges.example/@zoe",
        "https://vistula-bridgeworks.example.com",
        "https://ewb.example.org",
        "https://www.pw.edu.pl",
        "https://istructe.example.org/verify/123",
        "https://doi.example.org/10.1000/jbe.2020.11",
        "https://github.com/zkowalczyk/trussopt",
    }
    assert expected <= uris


def test_minimal_and_empty_documents(template_slug: str) -> None:
    template = load_builtin_template(template_slug)
    minimal = render_pdf(MINIMAL, template)
    assert minimal.pages == 1
    assert "Jo Minimal" in pdf_text(minimal.pdf)
    empty = render_pdf({}, template)
    assert empty.pages == 1
    assert pdf_text(empty.pdf) == ""


def test_rendered_pdf_metadata_is_consistent(template_slug: str) -> None:
    template = load_builtin_template(template_slug)
    first = render_pdf(COMPLETE, template)
    assert first.pdf.startswith(b"%PDF-")
    assert first.size_bytes == len(first.pdf)
    assert first.sha256 == hashlib.sha256(first.pdf).hexdigest()
    assert first.pages == len(page_texts(first.pdf)) == count_pdf_pages(first.pdf)
    # Same data and template give the same bytes, so a stored PDF can be reused.
    assert render_pdf(COMPLETE, template).sha256 == first.sha256
    changed = copy.deepcopy(COMPLETE)
    changed["basics"]["name"] = "Someone Else"
    assert render_pdf(changed, template).sha256 != first.sha256


def test_page_count_agrees_with_pdfium_beyond_the_short_form() -> None:
    """The page count read from Typst's page tree is PDFium's, for long documents too; a PDF
    not in that form (another producer, a tree whose count disagrees) is counted by PDFium."""
    long = render_pdf(long_resume(), load_builtin_template("classic"))
    assert long.pages == len(page_texts(long.pdf)) > 3
    assert typst_page_count(long.pdf) == long.pages
    other = long.pdf.replace(b"/Type/Pages/Count ", b"/Type /Pages /Count ", 1)
    assert typst_page_count(other) is None
    assert count_pdf_pages(other) == long.pages
    lying = re.sub(rb"/Type/Pages/Count [0-9]+", b"/Type/Pages/Count 99", long.pdf, count=1)
    assert typst_page_count(lying) is None


def test_long_resume_paginates_cleanly(template_slug: str) -> None:
    data = long_resume()
    result = render_pdf(data, load_builtin_template(template_slug))
    assert result.pages >= 5
    pages = page_texts(result.pdf)
    assert len(pages) == result.pages
    assert all(page.strip() for page in pages)
    full = " ".join(pages)
    # Nothing lost or repeated at page breaks, and the order is kept.
    positions = []
    for i in range(len(data["work"])):
        for k in range(6):
            marker = f"Highlight {i:02d}.{k} about load paths"
            assert full.count(marker) == 1, marker
            positions.append(full.index(marker))
    assert positions == sorted(positions)
    # No entry heading is left alone at the bottom of a page.
    for page in pages[:-1]:
        headings = [m.end() for m in re.finditer(r"Engineer Grade \d\d", page)]
        if headings:
            assert "Responsible for" in page[headings[-1] :] or "Highlight" in page[headings[-1] :]
    # Sections after the long experience still come out complete.
    assert "Footbridge of the Year" in full
    assert "Henrik Sørensen" in full


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_non_latin_text_round_trips(template_slug: str, script: str) -> None:
    text = pdf_text(render_pdf(multiscript_resume(), load_builtin_template(template_slug)).pdf)
    for value in SCRIPTS[script]:
        if script == "arabic":
            # Extractors list the words of a right-to-left run inside a left-to-right line in
            # visual order, so each word is checked rather than the phrase.
            for word in value.split():
                assert word in text, word
        else:
            assert value in text


def test_us_resumes_print_on_letter(template_slug: str) -> None:
    data = copy.deepcopy(MINIMAL)
    data["basics"]["location"] = {"city": "Boston", "countryCode": "US"}
    for document, size in ((MINIMAL, (595, 842)), (data, (612, 792))):
        pdf = pypdfium2.PdfDocument(render_pdf(document, load_builtin_template(template_slug)).pdf)
        try:
            assert tuple(round(v) for v in pdf[0].get_size()) == size
        finally:
            pdf.close()


def test_markup_in_data_is_shown_literally(template_slug: str) -> None:
    tricky = '#read("/etc/passwd") *not bold* $x^2$ <label> @ref = Heading \\ ] ) }'
    data = {"basics": {"name": "Literal Lee", "summary": tricky}}
    text = pdf_text(render_pdf(data, load_builtin_template(template_slug)).pdf)
    assert "root:" not in text
    for piece in ('#read("/etc/passwd")', "*not bold*", "$x^2$", "<label>", "@ref", "= Heading"):
        assert piece in text


def test_invalid_document_is_refused() -> None:
    with pytest.raises(ResumeValidationError) as info:
        render_pdf({"work": [{"startDate": "yesterday"}]}, load_builtin_template("classic"))
    assert info.value.errors[0]["path"] == "$.work[0].startDate"


def test_render_png_pages() -> None:
    template = load_builtin_template("classic")
    data = long_resume(jobs=8)
    pages = render_pdf(data, template).pages
    assert pages >= 2
    first = render_png(data, template)
    second = render_png(data, template, page=2, ppi=40)
    assert first.startswith(b"\x89PNG") and second.startswith(b"\x89PNG")
    assert first != second
    with pytest.raises(PageOutOfRange) as info:
        render_png(data, template, page=pages + 1)
    assert info.value.pages == pages
    with pytest.raises(PageOutOfRange):
        render_png(data, template, page=0)


def test_concurrent_renders_from_threads() -> None:
    template = load_builtin_template("modern")
    expected = render_pdf(COMPLETE, template).sha256
    results: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(render_pdf(COMPLETE, template).sha256)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [expected] * 12


def _one_field_items() -> dict[str, Any]:
    """Every section item cut down to one field at a time, and a skeletal `basics`."""
    data: dict[str, Any] = {
        "basics": {"location": {"countryCode": "NO"}, "profiles": [{"network": "Solo"}, {}]}
    }
    for section, items in COMPLETE.items():
        if isinstance(items, list):
            data[section] = [{key: value} for key, value in items[0].items()] + [{}]
    return data


def test_items_with_a_single_field_render(template_slug: str) -> None:
    data = _one_field_items()
    text = pdf_text(render_pdf(data, load_builtin_template(template_slug)).pdf).casefold()
    missing = [s for s in _expected_strings(data) if s.casefold() not in text]
    assert missing == []


def test_unbreakable_and_huge_content_still_renders(template_slug: str) -> None:
    data = copy.deepcopy(COMPLETE)
    data["basics"]["name"] = "W" * 120
    data["basics"]["url"] = "example.com/" + "x" * 400
    data["skills"] = [
        {"name": f"Skill group {i}", "keywords": [f"keyword-{i}-{k}" for k in range(40)]}
        for i in range(12)
    ]
    data["work"][0]["highlights"] = ["supercalifragilistic" * 20]
    result = render_pdf(data, load_builtin_template(template_slug))
    assert result.pages >= 1
    assert "keyword-11-39" in pdf_text(result.pdf)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["Berufserfahrung", "Ausbildung", "heute", "Apr. 2019"]),
        ("fr-CA", ["Expérience professionnelle", "Formation", "aujourd’hui", "avr. 2019"]),
        ("xx", ["Experience", "Education", "Present", "Apr 2019"]),
    ],
)
def test_section_titles_follow_meta_language(
    template_slug: str, language: str, expected: list[str]
) -> None:
    data = copy.deepcopy(COMPLETE)
    data["meta"]["language"] = language
    text = pdf_text(render_pdf(data, load_builtin_template(template_slug)).pdf).casefold()
    if template_slug == "academic":  # years in the margin; "Appointments & Experience" etc.
        skip = {"Experience", "Expérience professionnelle"}
        expected = [e for e in expected if not e[-4:].isdigit() and e not in skip]
    for value in expected:
        assert value.casefold() in text, value
