"""The written summary is in the CV's language where there is a phrasebook, else English."""

from datetime import date

import pytest

from resumate.ai.analyzer import analyze_text, detect_language
from resumate.ai.documents import ExtractedText

TODAY = date(2025, 6, 1)

GERMAN = """Anna Schmidt
anna.schmidt@example.de | +49 170 1234567 | Berlin

Berufserfahrung
03/2019 – heute  Pflegefachfrau, Charité Berlin
Versorgung von Patienten auf der Intensivstation und die Pflege der Angehörigen.
09/2016 – 02/2019  Gesundheits- und Krankenpflegerin, Vivantes Klinikum
Wundversorgung und die Betreuung von Patienten mit einer Infusionstherapie.

Ausbildung
2013 – 2016  Ausbildung zur Pflegefachfrau, Pflegeschule Berlin

Kenntnisse
Patient care, Wound care, IV therapy, BLS

Sprachen
Deutsch (Muttersprache), Englisch (B2), Französisch (A2)
"""

FRENCH = """Camille Martin
camille.martin@example.fr | +33 6 12 34 56 78 | Lyon

Expérience professionnelle
2018 – 2024  Comptable, Cabinet Durand
Tenue de la comptabilité et des déclarations de TVA pour les clients de la société.

Compétences
Excel, SAP, comptabilité

Langues
Français, anglais
"""

CHINESE = """张伟
zhangwei@example.cn | 138 0013 8000 | 北京

工作经历
2019.07 - 至今  软件工程师  腾讯科技有限公司
负责后台服务的设计与开发，使用 Java 和 MySQL 构建高并发系统。
2016.07 - 2019.06  开发工程师  百度在线网络技术有限公司
参与搜索广告系统的开发与维护。

专业技能
Java、MySQL、Redis、Linux

语言能力
英语（CET-6）、普通话
"""

RUSSIAN = """Иван Петров
ivan.petrov@example.ru | +7 912 345 67 89 | Москва

Опыт работы
2015 – 2024  Инженер-программист, Яндекс
Разработка сервисов на Python и PostgreSQL для поиска и рекламы.

Навыки
Python, PostgreSQL, Linux
"""


def _summary(text: str) -> tuple[str, str]:
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    return a.language, a.summary


def test_a_german_cv_gets_a_german_summary() -> None:
    language, summary = _summary(GERMAN)
    assert language == "de"
    assert summary.startswith("Anna Schmidt: Pflegefachfrau mit ")
    assert "Jahren Berufserfahrung, derzeit bei Charité Berlin." in summary
    assert "Wichtigste Kenntnisse: " in summary
    assert "Sprachen: Deutsch, Englisch und Französisch." in summary
    assert " is a" not in summary and "Key skills" not in summary


def test_a_french_cv_gets_a_french_summary() -> None:
    language, summary = _summary(FRENCH)
    assert language == "fr"
    assert summary.startswith(
        "Camille Martin : Comptable avec 7 ans d'expérience"
    )  # Jan 2018 - Dec 2024
    assert "dernièrement chez Cabinet Durand." in summary
    assert "Langues : français et anglais." in summary


def test_a_chinese_cv_is_detected_and_summarised_in_chinese() -> None:
    language, summary = _summary(CHINESE)
    assert language == "zh"
    assert summary.startswith("张伟：")
    assert "现任职于" in summary and summary.endswith("。")
    assert "核心技能：" in summary and "Java" in summary


def test_a_language_without_a_phrasebook_gets_english() -> None:
    language, summary = _summary(RUSSIAN)
    assert language == "ru"  # named by its script; no phrasebook: the summary is English
    assert summary.startswith("Иван Петров is ")


def test_english_stays_prose() -> None:
    english = (
        "Anna Schmidt\nanna@example.com\n\nExperience\n03/2019 – present  Nurse, Charité Berlin\n"
        "Cared for the patients of the ward and the families of the patients in the unit.\n"
        "\nSkills\nPatient care, Wound care\n"
    )
    language, summary = _summary(english)
    assert language == "en"
    assert summary.startswith(
        "Anna Schmidt is a Nurse with 6 years of experience, currently at Charité Berlin."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("软件工程师，负责后台服务的设计与开发。" * 5, "zh"),
        ("ソフトウェアエンジニアとして、サーバーの開発を担当しました。" * 5, "ja"),
        ("소프트웨어 엔지니어로서 서버 개발을 담당했습니다." * 5, "ko"),
        ("Senior engineer. 负责 Java 开发" + " and the team of the year" * 20, "en"),
        ("", "en"),
        ("\x00\ud800 🙂 ‮", "en"),
    ],
)
def test_detect_language_reads_scripts_without_spaces(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_cut_titles_and_trailing_stops_do_not_reach_the_sentence() -> None:
    text = (
        "Jean Dupont\njean@example.fr\n\nExpérience professionnelle\n"
        "2019 – 2023  Développeur, Accengage (Airship.\n"
        "Développement des applications pour les clients de la société et de la plateforme.\n"
    )
    _, summary = _summary(text)
    assert ".." not in summary and "(Airship)" in summary
