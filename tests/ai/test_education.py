"""Education entries as real CVs write them: dates before or after the entry, form labels,
bulleted lists, wrapped lines, details under an entry, schools that are only an acronym, and
Chinese entries."""

from datetime import date

import typst

from resumate.ai.analyzer import analyze_document
from resumate.ai.documents import TextLine
from resumate.ai.education import parse_education


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


def test_dates_under_each_entry_close_it() -> None:
    # Degree, school, then the dates: the line after the dates opens the next entry, even when
    # it names neither a degree nor a school the patterns know ("Sc. Wirtschaftsinformatik").
    got = _parse(
        "Sc. Wirtschaftsinformatik",
        "Hochschule Fulda",
        "Okt. 2023 – heute",
        "Sprachzertifikat Deutsch C1",
        "Goethe-Institut Jaunde",
        "Aug. 2019 – Jan. 2023",
    )
    assert [g[2] for g in got] == ["Hochschule Fulda", "Goethe-Institut Jaunde"]
    assert [(g[3], g[4]) for g in got] == [("2023-10", None), ("2019-08", "2023-01")]


def test_dates_above_each_entry_open_it() -> None:
    got = _parse(
        "2017 - 2019",
        "Colégio Estadual, Campinas - Ensino Médio completo",
        "2020 - 2020",
        "Udemy - Online - UX Research",
    )
    assert len(got) == 2
    assert got[0][0] is not None and got[0][0].startswith("Ensino Médio")
    assert got[0][2] is not None and got[0][2].startswith("Colégio Estadual")
    assert (got[1][3], got[1][4]) == ("2020", "2020")


def test_labelled_level_acronym_school_and_wrapped_degree() -> None:
    got = _parse(
        "IFSP (2020 - 2024)",
        "Ensino Superior: Bacharel em Ciências",
        "da Computação.",
        "SENAI (2017 - 2019)",
        "Ensino Médio: Técnico em Eletrônica.",
    )
    assert got[0][:3] == ("Bacharel", "Ciências da Computação", "IFSP")
    assert got[0][3:] == ("2020", "2024")
    assert got[1][0] == "Técnico" and got[1][2] == "SENAI"


def test_form_labels_give_the_values() -> None:
    got = _parse(
        "Ensino Secundário Geral (7ª à 10ª Classe)",
        "Escola: [Escola Secundária Josina Machel]",
        "Formação Técnica em Redes Informáticas",
        "Instituição: [Instituto Industrial de Maputo]",
        "Período: [2023 até 2025]",
    )
    assert [g[2] for g in got] == [
        "Escola Secundária Josina Machel",
        "Instituto Industrial de Maputo",
    ]
    # The class range in brackets stays one piece ("à" there is no "at a school").
    assert got[0][:2] == ("Ensino Secundário Geral", "7ª à 10ª Classe")


def test_a_bulleted_list_of_entries() -> None:
    got = _parse(
        "*2011 : CFEE à l’école élémentaire de Ndiarème",
        "*2015 : BFEM au lycée de Kaolack",
        "*2019 : LICENCE 1 à ISM Dakar",
        bullet=True,
    )
    assert [g[0] for g in got] == ["CFEE", "BFEM", "LICENCE 1"]
    assert [g[2] for g in got] == ["école élémentaire de Ndiarème", "lycée de Kaolack", "ISM Dakar"]


def test_details_under_an_entry_are_not_entries() -> None:
    got = _parse(
        "Bachelor of Science (Maschinenbau), Hochschule Esslingen, Esslingen",
        "· September 2019 - Februar 2023",
        "· Durchschnittsnote: 2,0",
        "· Thema der Bachelorarbeit: Ein Prüfstand mit Sensoren,",
        "Aktoren und Steuerung",
        "· Note der Bachelorarbeit: 1,7",
        "Fachoberschulreife, Anne-Frank-Realschule, Esslingen",
        "· August 2013 – Juni 2019",
    )
    assert [g[2] for g in got] == ["Hochschule Esslingen", "Anne-Frank-Realschule"]
    assert got[0][:2] == ("Bachelor of Science", "Maschinenbau")
    assert (got[0][3], got[0][4]) == ("2019-09", "2023-02")


def test_a_word_list_where_every_line_is_a_bullet() -> None:
    got = _parse(
        "Doctor of Philosophy (Ph.D.) in Texts and Technology, (In-Progress)",
        "University of Central Florida (Orlando, FL)",
        "Master of Arts (M.A.) in Education",
        "University of South Florida (St. Petersburg, FL) 2019",
        bullet=True,
    )
    # The school keeps its town in brackets; a town alone would have been dropped.
    assert [g[2] for g in got] == [
        "University of Central Florida (Orlando, FL)",
        "University of South Florida (St. Petersburg, FL)",
    ]
    assert got[1][4] == "2019"


def test_stacked_years_in_a_date_column_are_one_period() -> None:
    got = _parse(
        "2018  Licenciatura en Ciencias de la Computación,",
        "2016  Universidad Nacional de Córdoba, Argentina",
    )
    assert got == [
        ("Licenciatura", "Ciencias de la Computación", "Universidad Nacional de Córdoba", "2016",
         "2018"),
    ]  # fmt: skip


def test_chinese_entries() -> None:
    got = _parse("2021.09—2025.06  计算机科学与技术  工学本科大二在读")
    assert got == [("工学本科", "计算机科学与技术", None, "2021-09", "2025-06")]
    got = _parse("2019.09-2023.06  武汉大学  软件工程专业")
    assert got == [(None, "软件工程", "武汉大学", "2019-09", "2023-06")]


def test_lines_that_are_no_entry() -> None:
    assert _parse("Taoyuan") == []
    assert _parse("Page 3 of 3") == []
    # Dates alone make no entry: a club, a prize or a job filed under the heading.
    assert _parse("2014 - 2016  Leadership & Volleyball") == []
    got = _parse("MSc Data Science, ETH Zürich, 2020 - 2022", "Page 2 of 2")
    assert [g[2] for g in got] == ["ETH Zürich"]


def test_a_degree_name_alone_and_a_huge_line() -> None:
    got = _parse("Master of Science, Universität Wien, 2019 - 2021")
    assert got == [("Master of Science", None, "Universität Wien", "2019", "2021")]
    got = _parse("Бакалавр, МГУ, 2008 – 2012", "x" * 100_000)
    assert got == [("Бакалавр", None, "МГУ", "2008", "2012")]


def test_a_german_preposition_is_no_school() -> None:
    # "mit" is MIT only in capitals.
    got = _parse("2015 - 2018  Ausbildung zum Elektroniker mit Schwerpunkt Automatisierung")
    assert len(got) == 1 and got[0][2] is None


SOURCE = """
#set page(paper: "a4", margin: 2cm)
#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 18pt, weight: "bold")[Jonas Weber] \\
jonas.weber\\@example.com | +49 170 1234567 | Konstanz
== Berufserfahrung
*Softwareentwickler*, Beispiel GmbH #h(1fr) 03/2022 – heute
- Entwicklung von Steuerungssoftware in C++
== Ausbildung
Master of Engineering Elektrische Systeme \\
HTWG Konstanz \\
Oktober 2020 – Februar 2022

Bachelor of Engineering Elektrotechnik \\
Hochschule Furtwangen \\
Oktober 2016 – September 2020

Abitur \\
Wentzinger-Gymnasium Freiburg \\
2007 – 2016
"""


def test_end_to_end_entries_with_dates_below() -> None:
    pdf = bytes(typst.compile(SOURCE.encode(), format="pdf"))
    a = analyze_document(pdf, "pdf", today=date(2025, 6, 1))
    edu = a.parsed_content["education"]
    assert [e.get("institution") for e in edu] == [
        "HTWG Konstanz",
        "Hochschule Furtwangen",
        "Wentzinger-Gymnasium Freiburg",
    ]
    assert [e.get("startDate") for e in edu] == ["2020-10", "2016-10", "2007"]
    assert edu[0]["studyType"] == "Master of Engineering"
