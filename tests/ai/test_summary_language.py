"""The summary's language on CVs in languages without a phrasebook: their short words ("na",
"do", "o" in Polish) and web addresses ("gmail.com") must not make them Portuguese."""

from __future__ import annotations

from datetime import date

import pytest

from resumate.ai.analyzer import analyze_text, detect_language
from resumate.ai.documents import ExtractedText

POLISH = """Jan Kowalski
jan.kowalski@gmail.com | linkedin.com/in/jankowalski
Doświadczenie
Programista Fullstack  2022-07 - 2024-06
Firma Przykładowa sp. z o.o.
Tworzenie aplikacji w Vue.js i Node.js oraz praca z bazą danych MySQL.
Odpowiedzialny za wdrożenia na serwery i wsparcie dla zespołu.
Wykształcenie
Politechnika Krakowska, Informatyka, Inżynier
Praca w zespole, przygotowanie dokumentacji do projektu i testy jednostkowe."""


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (POLISH, "pl"),
        (
            "Yazılım geliştirme ve test süreçlerinde görev aldım. Bu projede React ile bir "
            "arayüz geliştirdim ve Node.js için bir API yazdım. Takım ile birlikte çok sayıda "
            "özellik olarak yayınladık.",
            "tr",
        ),
        (
            "Треба мати досвід роботи з Figma. Працювала дизайнеркою інтерфейсів у компанії, "
            "де створювала макети і прототипи для мобільних застосунків.",
            "uk",
        ),
        (
            "Работала дизайнером интерфейсов в компании, создавала макеты и прототипы для "
            "мобильных приложений.",
            "ru",
        ),
        (
            "Formació en sistemes microinformàtics i xarxes amb pràctiques a una empresa del "
            "sector. Treball en equip i comunicació amb els clients per a les incidències.",
            "ca",
        ),
        # Addresses are no words: four "com" of e-mail and web addresses are no Portuguese.
        (
            "Karin Gorr\nkarin@gmail.com\nlinkedin.com/in/karin\ngithub.com/karin\n"
            "portfolio.com\nSoftware Development Student\nCodeWorks",
            "en",
        ),
    ],
)
def test_languages_without_a_phrasebook_are_named(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_polish_cv_gets_its_summary_in_english() -> None:
    analysis = analyze_text(ExtractedText.from_plain_text(POLISH), today=date(2025, 6, 1))
    assert analysis.parsed_content["meta"]["language"] == "pl"
    assert "Profissional" not in analysis.summary and "experiência" not in analysis.summary
    assert analysis.summary.startswith("Jan Kowalski is ")
