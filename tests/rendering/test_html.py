"""The public HTML page of a resume."""

from __future__ import annotations

import copy
import html
import re

import pytest

from resumate.jsonresume import ResumeValidationError
from resumate.rendering.html import render_resume_html
from tests.rendering.conftest import COMPLETE, SCRIPTS


def visible_text(page: str) -> str:
    body = page.split("<body>", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_page_shows_every_section() -> None:
    page = render_resume_html(COMPLETE, title="Zoë — Résumé", pdf_url="/public/r/abc/pdf")
    text = visible_text(page)
    for value in (
        "Zoë Kowalczyk-Ibáñez",
        "Principal Structural Engineer",
        "ul. Marszałkowska 84, 00-514 Warszawa, Mazowieckie, PL",
        "Principal Engineer",
        "Vistula Bridgeworks",
        "Apr 2019 – Present",
        "Cut steel tonnage by 18 percent with a new truss optimiser",
        "Engineers Without Borders",
        "MSc, Civil Engineering",
        "Finite Elements",
        "Footbridge of the Year",
        "Chartered Structural Engineer",
        "Fatigue of welded timber connections",
        "SOFiSTiK, Abaqus",
        "Professional working proficiency",
        "Baltic regattas",
        "Zoë checked my numbers and found two errors.",
        "TrussOpt",
        "Fluent in Eurocodes",
    ):
        assert value in text, value
    assert "<title>Zoë — Résumé</title>" in page
    assert 'href="/public/r/abc/pdf"' in page
    assert 'href="mailto:zoe.kowalczyk@example.org"' in page
    assert 'href="https://zoe-builds.example.org"' in page
    assert 'href="https://github.com/zkowalczyk"' in page
    # Bullet lines in the summary become a list.
    assert '<li dir="auto">Fluent in Eurocodes</li>' in page


def test_page_is_self_contained_and_phone_ready() -> None:
    page = render_resume_html(COMPLETE, title="t", pdf_url=None)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<style>" in page
    assert "<script" not in page
    assert not re.search(r"<link[^>]+stylesheet", page)
    assert not re.search(r"\ssrc=", page)
    assert "@import" not in page
    assert "Download PDF" not in page


def test_user_text_is_escaped() -> None:
    data = copy.deepcopy(COMPLETE)
    data["basics"]["name"] = '<script>alert("x")</script>'
    data["work"][0]["highlights"] = ["<img src=x onerror=alert(1)>"]
    page = render_resume_html(data, title="<b>title</b>", pdf_url=None)
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;" in page
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in page


def test_non_latin_text_is_kept() -> None:
    data = {"basics": {"name": SCRIPTS["chinese"][0], "label": SCRIPTS["arabic"][0]}}
    text = visible_text(render_resume_html(data, title="x", pdf_url=None))
    assert SCRIPTS["chinese"][0] in text
    assert SCRIPTS["arabic"][0] in text


def test_empty_resume_renders() -> None:
    page = render_resume_html({}, title="Empty", pdf_url=None)
    assert page.startswith("<!DOCTYPE html>")
    assert "<h2>" not in page


def test_invalid_resume_is_refused() -> None:
    with pytest.raises(ResumeValidationError):
        render_resume_html({"basics": {"url": "javascript:alert(1)"}}, title="x", pdf_url=None)


def test_page_follows_meta_language() -> None:
    data = copy.deepcopy(COMPLETE)
    data["meta"]["language"] = "es"
    page = render_resume_html(data, title="t", pdf_url="/x.pdf")
    assert '<html lang="es">' in page
    for value in ("Experiencia", "Formación", "abr. 2019 – actualidad", "Descargar PDF"):
        assert value in page, value
