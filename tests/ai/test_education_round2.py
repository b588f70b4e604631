"""Education on real CVs, second round: headings made of words for studies, complementary
courses apart from the studies, and entries the CV sets outside its education section.

Texts are written for the tests; each one shows one rule.
"""

from __future__ import annotations

from datetime import date

import pytest

from resumate.ai.analyzer import analyze_text
from resumate.ai.documents import ExtractedText, TextLine
from resumate.ai.education import parse_education
from resumate.ai.sections import match_heading

TODAY = date(2025, 6, 1)


def _parse(*texts: str, bullet: bool = False) -> list[tuple[str | None, ...]]:
    lines = [TextLine(t, bullet=bullet) for t in texts]
    return [
        (
            e.study_type,
            e.area,
            e.institution,
            e.start.iso() if e.start else None,
            e.end.iso() if e.end else None,
        )
        for e in parse_education(lines)
    ]


def _education(text: str) -> list[dict[str, object]]:
    analysis = analyze_text(ExtractedText.from_plain_text(text.strip()), today=TODAY)
    return list(analysis.parsed_content["education"])


@pytest.mark.parametrize(
    "heading",
    [
        "Akademische Ausbildung",
        "Ausbildung/ Schule",
        "BILDUNGSABSCHLÜSSE",
        "Hochschulbildung",
        "Berufsausbildung",
        "Schulische Ausbildung",
        "Akademischer Hintergrund",
        "PARCOURS DE FORMATION",
        "Estudios realizados",
    ],
)
def test_headings_made_of_words_for_studies_are_education(heading: str) -> None:
    assert match_heading(heading) == ("education", False)


@pytest.mark.parametrize(
    "heading",
    [
        "Formación Complementaria",
        "Formação Complementar",
        "Formation complémentaire",
        "Formations et écoles d'été",
        "Weiterbildung",
    ],
)
def test_complementary_training_is_courses_not_studies(heading: str) -> None:
    assert match_heading(heading) == ("courses", False)


@pytest.mark.parametrize("text", ["Schule und Beruf", "Bildung für alle Kinder", "Hintergrund"])
def test_a_study_word_beside_other_words_is_no_heading(text: str) -> None:
    assert match_heading(text) is None


def test_studies_under_an_unlisted_heading_inside_the_contact_block() -> None:
    edu = _education(
        """
Eva Brandt
Kontakt
eva.brandt@example.de
Seestraße 4, 78462 Konstanz
Akademische Ausbildung
B. Eng. Elektrotechnik  Oktober 2019 - August 2023
Hochschule Konstanz
Abitur  August 2010 - Juli 2019
Humboldt-Gymnasium Freiburg
Berufserfahrung
Entwicklerin  September 2023 - heute
Muster GmbH
"""
    )
    assert [e.get("institution") for e in edu] == [
        "Hochschule Konstanz",
        "Humboldt-Gymnasium Freiburg",
    ]
