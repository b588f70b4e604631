"""Resumes written for the rendering tests, and helpers that read real PDFs back."""

from __future__ import annotations

import copy
import ctypes
import threading
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

TEMPLATES = ("classic", "modern", "compact", "academic")

# Every JSON Resume field has a distinctive value so a test can find it in the PDF text.
COMPLETE: dict[str, Any] = {
    "basics": {
        "name": "Zoë Kowalczyk-Ibáñez",
        "label": "Principal Structural Engineer",
        "email": "zoe.kowalczyk@example.org",
        "phone": "+48 22 555 01 99",
        "url": "zoe-builds.example.org",
        "summary": "Chartered engineer designing timber and steel bridges.\n\n"
        "Known for calm site leadership.\n- Fluent in Eurocodes\n- Certified inspector",
        "location": {
            "address": "ul. Marszałkowska 84",
            "postalCode": "00-514",
            "city": "Warszawa",
            "region": "Mazowieckie",
            "countryCode": "PL",
        },
        "profiles": [
            {"network": "GitHub", "username": "zkowalczyk"},
            {
                "network": "Mastodon",
                "username": "zoe@bridges.example",
                "url": "https://bridges.example/@zoe",
            },
        ],
    },
    "work": [
        {
            "name": "Vistula Bridgeworks",
            "location": "Kraków, Poland",
            "description": "Design consultancy for public infrastructure",
            "position": "Principal Engineer",
            "url": "https://vistula-bridgeworks.example.com",
            "startDate": "2019-04",
            "summary": "Leads a group of nine engineers across three offices.",
            "highlights": [
                "Delivered the Wawel footbridge two months ahead of schedule",
                "Cut steel tonnage by 18 percent with a new truss optimiser",
            ],
        },
        {
            "name": "Nordhavn Konstruktion",
            "location": "Copenhagen, Denmark",
            "position": "Structural Engineer",
            "startDate": "2013",
            "endDate": "2019-03-31",
            "highlights": ["Checked 40 km of harbour quay walls"],
        },
    ],
    "volunteer": [
        {
            "organization": "Engineers Without Borders",
            "position": "Field Volunteer",
            "url": "https://ewb.example.org",
            "startDate": "2016-07",
            "endDate": "2016-09",
            "summary": "Rebuilt a river crossing after floods.",
            "highlights": ["Trained twelve local masons"],
        }
    ],
    "education": [
        {
            "institution": "Politechnika Warszawska",
            "url": "https://www.pw.edu.pl",
            "area": "Civil Engineering",
            "studyType": "MSc",
            "startDate": "2008-10",
            "endDate": "2013-07",
            "score": "4.9 of 5",
            "courses": ["Bridge Design", "Finite Elements"],
        }
    ],
    "awards": [
        {
            "title": "Footbridge of the Year",
            "date": "2021-06",
            "awarder": "Polish Chamber of Engineers",
            "summary": "For the Wawel footbridge.",
        }
    ],
    "certificates": [
        {
            "name": "Chartered Structural Engineer",
            "date": "2015-02-14",
            "url": "https://istructe.example.org/verify/123",
            "issuer": "Institution of Structural Engineers",
        }
    ],
    "publications": [
        {
            "name": "Fatigue of welded timber connections",
            "publisher": "Journal of Bridge Engineering",
            "releaseDate": "2020-11",
            "url": "https://doi.example.org/10.1000/jbe.2020.11",
            "summary": "Laboratory tests on forty welded joints.",
        }
    ],
    "skills": [
        {"name": "Analysis", "level": "Expert", "keywords": ["SOFiSTiK", "Abaqus"]},
        {"name": "Codes", "level": "Advanced", "keywords": ["Eurocode 3", "Eurocode 5"]},
    ],
    "languages": [
        {"language": "Polski", "fluency": "Native"},
        {"language": "Dansk", "fluency": "Professional working proficiency"},
    ],
    "interests": [{"name": "Sailing", "keywords": ["Baltic regattas"]}],
    "references": [
        {
            "name": "Henrik Sørensen, Partner",
            "reference": "Zoë checked my numbers and found two errors.",
        }
    ],
    "projects": [
        {
            "name": "TrussOpt",
            "description": "Open-source truss optimiser.",
            "highlights": ["Used by three consultancies"],
            "keywords": ["Julia", "Optimisation"],
            "startDate": "2018-01",
            "endDate": "2020-12",
            "url": "https://github.com/zkowalczyk/trussopt",
            "roles": ["Author"],
            "entity": "Personal",
            "type": "library",
        }
    ],
    "meta": {"version": "v1.0.0", "lastModified": "2025-02-01T09:00:00"},
}

MINIMAL: dict[str, Any] = {"basics": {"name": "Jo Minimal"}}

# Text outside Latin script, by script; each must survive the round trip through the PDF.
SCRIPTS: dict[str, list[str]] = {
    "accented latin": ["Zoë Kowalczyk-Ibáñez", "Łódź", "Straße", "Ærøskøbing", "Čeština"],
    "greek": ["Αλέξανδρος Παπαδόπουλος", "Μηχανικός"],
    "cyrillic": ["Анна Сергеевна Иванова", "Инженер-конструктор"],
    "chinese": ["王小明", "高级工程师", "北京大学"],
    "arabic": ["ليلى حداد", "مهندسة", "جامعة القاهرة"],
}


def multiscript_resume() -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    data["basics"]["label"] = " / ".join(SCRIPTS["greek"] + SCRIPTS["cyrillic"])
    data["work"] = [
        {"name": name, "position": position}
        for name, position in zip(SCRIPTS["chinese"], SCRIPTS["arabic"], strict=True)
    ]
    data["languages"] = [{"language": w, "fluency": "Basic"} for w in SCRIPTS["accented latin"]]
    return data


def long_resume(jobs: int = 40) -> dict[str, Any]:
    """A career long enough to fill about five pages in every template."""
    data = copy.deepcopy(COMPLETE)
    data["work"] = [
        {
            "name": f"Company Number {i:02d}",
            "position": f"Engineer Grade {i:02d}",
            "location": "Gdańsk, Poland",
            "startDate": f"{2024 - i}-01",
            "endDate": f"{2024 - i}-12",
            "summary": "Responsible for the structural design of mid-size public works. " * 2,
            "highlights": [
                f"Highlight {i:02d}.{k} about load paths and redundancy" for k in range(6)
            ],
        }
        for i in range(jobs)
    ]
    return data


_pdfium_lock = threading.Lock()


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, in content order, with whitespace collapsed.

    PDFium reports a hyphen that ends a line as U+FFFE; it is put back as "-".
    """
    with _pdfium_lock:
        document = pypdfium2.PdfDocument(pdf)
        try:
            text = " ".join(page.get_textpage().get_text_range() for page in document)
        finally:
            document.close()
    return " ".join(text.replace("\ufffe", "-").split())


def page_texts(pdf: bytes) -> list[str]:
    with _pdfium_lock:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
        finally:
            document.close()


def link_uris(pdf: bytes) -> list[str]:
    """Targets of the link annotations in a PDF, page by page."""
    uris = []
    with _pdfium_lock:
        document = pypdfium2.PdfDocument(pdf)
        try:
            for page in document:
                for i in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
                    annot = pdfium_c.FPDFPage_GetAnnot(page, i)
                    try:
                        if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_LINK:
                            continue
                        link = pdfium_c.FPDFAnnot_GetLink(annot)
                        action = pdfium_c.FPDFLink_GetAction(link)
                        if not action:
                            continue
                        size = pdfium_c.FPDFAction_GetURIPath(document, action, None, 0)
                        buffer = ctypes.create_string_buffer(size)
                        pdfium_c.FPDFAction_GetURIPath(document, action, buffer, size)
                        uris.append(buffer.value.decode())
                    finally:
                        pdfium_c.FPDFPage_CloseAnnot(annot)
        finally:
            document.close()
    return uris


@pytest.fixture(params=TEMPLATES)
def template_slug(request: pytest.FixtureRequest) -> str:
    return str(request.param)
