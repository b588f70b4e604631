"""Education on real CVs, second round: headings made of words for studies, complementary
courses apart from the studies, and entries the CV sets outside its education section.

Texts are written for the tests; each one shows one rule.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.ai.test_education import _parse

from resumate.ai.analyzer import analyze_text
from resumate.ai.dates import DateRange, PartialDate
from resumate.ai.documents import ExtractedText, TextLine
from resumate.ai.education import education_lines, parse_education, stray_education
from resumate.ai.entries import WorkEntry
from resumate.ai.sections import Section, match_heading

TODAY = date(2025, 6, 1)


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
        "DATOS ACADÉMICOS",
        "PARCOURS SCOLAIRE DIPLÔMES",
        "FORMACIÓ REGLADA",
        "EĞİTİM",
        "EDUKACJA",
        "Uddannelse",
        "Educational Qualifications",
        "Schulischer Werdegang",
        "Hochschulstudium",
        "Titoli di studio",
        "Percorso formativo",
        "Cursus scolaire",
        "Habilitações Literárias",
        "学历背景",
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
        "FORMACIÓ COMPLEMENTÀRIA",
        "Kursy",
        "Weiterbildung",
    ],
)
def test_complementary_training_is_courses_not_studies(heading: str) -> None:
    assert match_heading(heading) == ("courses", False)


@pytest.mark.parametrize(
    "text",
    ["Schule und Beruf", "Bildung für alle Kinder", "Hintergrund", "Berufsweiterbildung", "Record"],
)
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


def test_a_line_under_the_section_set_as_a_heading_of_its_own_is_an_entry() -> None:
    # A school's name set large and bold under "EDUCATION" reads as a heading nobody lists;
    # the heading after it that names no study is a section again.
    def sections(heading: str, first: str) -> list[Section]:
        return [
            Section("education", "EDUCATION", []),
            Section("other", heading, [TextLine(first), TextLine("2013-17")], known=False),
            Section("other", "AREAS OF INTEREST", [TextLine("Penetration Testing")], known=False),
        ]

    got = parse_education(
        education_lines(sections("Hochschule Nordstadt", "Batchelor of Technology in IT"))
    )
    assert [(e.study_type, e.area, e.institution) for e in got] == [
        ("Batchelor of Technology", "IT", "Hochschule Nordstadt")
    ]
    # A school's name nobody lists as one: the line under it opens with a degree.
    got = parse_education(education_lines(sections("NIT Srinagar", "Bachelor of Technology")))
    assert [e.institution for e in got] == ["NIT Srinagar"]
    # A heading of another section whose text only mentions a diploma is no entry.
    other = sections(
        "CONOSCENZA LINGUE STRANIERE",
        "• Conoscenza della lingua Inglese ottima, diploma Trinity di grado A2 a Oxford.",
    )
    assert parse_education(education_lines(other)) == []


def test_studies_outside_any_education_section() -> None:
    header = Section(
        "header",
        "",
        [
            TextLine("林小明/男/1997"),
            TextLine("本科/华南师范大学/软件工程"),
            TextLine("I am a student at Example University, majoring in Computer Science."),
        ],
    )
    references = Section(
        "references",
        "Referees",
        [TextLine("Qualification:  Master of Statistics, Example National University")],
    )
    awards = Section("awards", "Awards", [TextLine("Best Master Thesis, Example University")])
    job = WorkEntry(
        header=["Fachoberschule im Bereich Wirtschaft", "Carl-Benz-Schule Musterstadt"],
        dates=DateRange(PartialDate(2019, 8), PartialDate(2020, 7), (0, 0)),
    )
    got = stray_education([header, references, awards], [job])
    assert [(e.institution, e.start.iso() if e.start else None) for e in got] == [
        ("Fachoberschule im Bereich Wirtschaft", "2019-08"),
        ("华南师范大学", None),
        ("Example National University", None),
    ]
    assert got[1].study_type == "本科" and got[2].study_type == "Master of Statistics"


def test_a_cv_without_an_education_heading_keeps_the_studies_of_its_contact_block() -> None:
    edu = _education(
        """
Tom Berger
Data Scientist
Qualification:  Master of Statistics, Example National University
Experience
Data Scientist  2019 - 2024
Muster GmbH
"""
    )
    assert [(e.get("studyType"), e.get("institution")) for e in edu] == [
        ("Master of Statistics", "Example National University")
    ]


def test_sentences_under_an_entry_are_no_entries() -> None:
    got = _parse(
        "Engineering Degree (Final year)",
        "Ecole Centrale Nordville 2017 – 2020, Rennes, France",
        "Double degree in management, economics, management courses.",
        "Quite glad I did not go on with this project in a PhD as it would have been used "
        "for other ends than mine.",
        "Diploma thesis: Searching objects in live video streams.",
    )
    assert [(g[0], g[2]) for g in got] == [("Engineering Degree", "Ecole Centrale Nordville")]
    # A sentence that is the whole section still says where the person studies.
    got = _parse("Cursando o 1° ano do Ensino Médio na escola Estadual Rui Barbosa.")
    assert len(got) == 1 and "Ensino Médio" in str(got[0][0])


def test_the_heading_of_another_section_ends_the_studies() -> None:
    got = _parse(
        "Ensino médio | 2011 | EE Dorvalino Teixeira",
        "Sistemas para internet | Faculdade de Tecnologia de São Paulo | Concluído",
        "Cursos complementares e Certificações",
        "Lógica de programação – Senai EAD (2015)",
        "Trabalho de Graduação – Sistema para gerenciamento de arquivos",
    )
    # Each row of a table set with bars is an entry; the courses after the heading are not.
    assert [g[2] for g in got] == ["EE Dorvalino Teixeira", "Faculdade de Tecnologia de São Paulo"]


def test_the_header_row_of_a_table_of_studies_is_no_entry() -> None:
    got = _parse(
        "Period  School  Major  Degree  GPA",
        "2019.09-2023.06  Beijing Normal University  Mathematics  Bachelor  3.0",
    )
    assert [g[2] for g in got] == ["Beijing Normal University"]
    assert _parse("时间  学校  专业  学历") == []


def test_the_place_and_the_school_after_the_dates_of_a_degree_first_entry() -> None:
    got = _parse(
        "Laurea Triennale in Ingegneria Informatica (L-8)  2021 – 2024",
        "Palermo",
        "Università degli Studi di Palermo",
        "Diploma di Maturità Scientifica  2016 – 2021",
        "Castelvetrano (TP)",
        "Liceo Scientifico Michele Amari",
    )
    assert [g[2] for g in got] == [
        "Università degli Studi di Palermo",
        "Liceo Scientifico Michele Amari",
    ]
    # Where each entry names its school first, the school after the dates opens the next one.
    got = _parse(
        "ETEC de Vila Formosa",
        "Técnico em Informática | Jan 2013 - Junho 2014",
        "Udemy (Cursando)",
        "Desenvolvimento Web Moderno | Mar 2020",
    )
    assert [g[2] for g in got] == ["ETEC de Vila Formosa", "Udemy (Cursando)"]


def test_a_line_broken_after_a_small_word_goes_on_below() -> None:
    got = _parse(
        "Grado en Ing. Geomática y",
        "Topografía",
        "Univ. Politècnica de València · 2014 – 2019",
        "Tecnicatura Secundaria en Ciencias de la",
        "Alimentación.",
        "2005 al 2011",
    )
    assert [(g[0], g[1]) for g in got] == [
        ("Grado", "Ing. Geomática y Topografía"),
        ("Tecnicatura Secundaria", "Ciencias de la Alimentación"),
    ]
    assert got[0][2] == "Univ. Politècnica de València"


def test_the_wrapped_end_of_a_detail_is_a_detail() -> None:
    got = _parse(
        "2019.09-2023.06  武汉理工大学  软件工程专业",
        "主修课程:计算机算法与分析,数据结构,计算机网络,",
        "数据库设计。",
    )
    assert [(g[0], g[1], g[2]) for g in got] == [(None, "软件工程", "武汉理工大学")]
    got = _parse(
        "Graduado en Biología",
        "Universidad de Murcia, 2016-2020",
        "Título de TFG: Aplicación de razonamiento bayesiano y",
        "machine learning a la taxonomía.",
    )
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("Graduado en", "Biología", "Universidad de Murcia"),
    ]


def test_how_an_entry_ended_opens_no_entry() -> None:
    got = _parse(
        "Seit 09/2021",
        "Ausbildung zum Industrie-Informatiker",
        "Berufsbildungszentrum Kecskemét",
        "Abschluss Juni 2026 Abitur und Technikerausbildung.",
    )
    assert len(got) == 1 and got[0][2] == "Berufsbildungszentrum Kecskemét"


def test_contact_details_in_the_section_are_no_part_of_an_entry() -> None:
    got = _parse(
        "(+56) 9 7540 7567", "maria@example.cl", "计算机工程", "安德烈斯·贝洛大学", "(2020 - 2025)"
    )
    assert [(g[1], g[2]) for g in got] == [("计算机工程", "安德烈斯·贝洛大学")]


def test_degree_and_school_words_of_round_two() -> None:
    got = _parse(
        "University of Pittsburgh at Greensburg",
        "BA in English Literature (2019)",
        "Westmoreland County Community College",
        "AA in Business Management (2007)",
        "AA in Real Estate Management (2007)",
    )
    assert [g[:2] for g in got] == [
        ("BA", "English Literature"),
        ("AA", "Business Management"),
        ("AA", "Real Estate Management"),
    ]
    got = _parse(
        "Academie voor Muziek, Gentbrugge, muziek 2.1 en 2.2  9/2009 – 9/2011",
        "Sint-Lievenscollege, Gent, ASO: Wetenschappen-Wiskunde  9/1996 – 7/2002",
    )
    assert [g[2] for g in got] == ["Academie voor Muziek", "Sint-Lievenscollege"]


def test_labels_a_thesis_and_a_supervisor() -> None:
    got = _parse(
        "2016 – 2019 Thèse de doctorat en statistique, Université de Rennes",
        "PhD supervisor Prof. G: Marsella",
        "2014 – 2016 Master Statistique Appliquée, Université Rennes 2",
    )
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("Thèse de doctorat", "statistique", "Université de Rennes"),
        ("Master", "Statistique Appliquée", "Université Rennes 2"),
    ]
    # A school named as a label, its field after the colon.
    got = _parse(
        "HTWG Konstanz: Process engineering (B.Eng.)",
        "2020 - today",
        "HTWG Konstanz: Environmental technology and resource management",
        "2018 - 2020",
    )
    assert [(g[1], g[2]) for g in got] == [
        ("Process engineering", "HTWG Konstanz"),
        ("Environmental technology and resource management", "HTWG Konstanz"),
    ]
    # "Health Promotion" is a course, no German doctorate.
    assert _parse("Fall 2022", "Clinical Prevention and Health Promotion") == []


def test_bulleted_entries_that_each_name_a_degree_and_a_school() -> None:
    got = _parse(
        "▪ Curso Superior de Tecnologia em Sistemas para Internet (Cursando) – FIAP – 2023 a 2024.",
        "▪ Curso Superior de Tecnologia em Redes (Incompleto) – Instituto Federal de",
        "Educação, Ciência e Tecnologia da Paraíba – 2021 a 2022.",
        bullet=True,
    )
    assert len(got) == 2
    assert got[1][2] is not None and got[1][2].startswith("Instituto Federal")


def test_a_list_under_a_label_of_an_entry_is_its_detail() -> None:
    lines = [
        TextLine("2021-2023    Diploma in Information Technology    Vaal University"),
        TextLine("Modules:"),
        TextLine("Business Analysis", bullet=True),
        TextLine("Applied Communication Skills", bullet=True),
        TextLine("2015-2020    Phahama Senior Secondary School"),
        TextLine("Matriculated 2020"),
        TextLine("Subjects:"),
        TextLine("English First Additional Language (Level 5)", bullet=True),
        TextLine("Geography (Level 4)", bullet=True),
    ]
    got = parse_education(lines)
    assert [(e.institution, e.start.iso() if e.start else None) for e in got] == [
        ("Vaal University", "2021"),
        ("Phahama Senior Secondary School", "2015"),
    ]
    # A label at the top of the section heads entries, not details.
    lines = [
        TextLine("MOOC's & tutorials:"),
        TextLine("Coursera: Machine Learning  9/2024 – 2/2025", bullet=True),
    ]
    assert [e.institution for e in parse_education(lines)] == ["Coursera"]


def test_a_faculty_and_its_university_are_one_school() -> None:
    got = _parse(
        "Licenciatura en Ciencias de la Computación 2019 - Actualidad",
        "Facultad de Matemática, Astronomía, Física y Computación",
        "Universidad Nacional de Córdoba",
        "Educación Secundaria 2013 - 2018",
        "Instituto Santo Tomás de Aquino, San Luis",
    )
    assert [(g[0], g[2]) for g in got] == [
        ("Licenciatura", "Universidad Nacional de Córdoba"),
        ("Educación Secundaria", "Instituto Santo Tomás de Aquino"),
    ]


def test_dutch_at_a_numbered_master_and_a_han_school_major_and_degree() -> None:
    got = _parse(
        "2004 - 2008:  VMBO-opleiding op de CSG Eekeringe.",
        "2012 - 2016:  HBO-opleiding Game Art op de HKU.",
        "2008-2010 : Master 2 Informatisation et Communication Homme Machine à l’ISTV",
    )
    assert [(g[0], g[2]) for g in got] == [
        ("VMBO", "CSG Eekeringe"),
        ("HBO", "HKU"),
        ("Master 2", "ISTV"),
    ]
    got = _parse(
        "无锡太湖学院通信工程本科",
        "2022-2026",
        "专业排名:前 20%",
        "主修课程:高数、大学物理、模电、数电",
    )
    assert [(g[1], g[2], g[3]) for g in got] == [("通信工程", "无锡太湖学院", "2022")]


def test_an_entry_read_again_is_one_entry() -> None:
    # A sidebar printed on every page gives its entries once per page.
    got = _parse(
        "2022 - 2027",
        "ANKARA BİLİM ÜNİVERSİTESİ",
        "Yazılım Mühendisliği",
        "2022 - 2027",
        "ANKARA BİLİM ÜNİVERSİTESİ",
        "Yazılım Mühendisliği",
    )
    assert len(got) == 1


def test_a_second_school_line_under_a_dated_entry_is_that_entry() -> None:
    got = _parse(
        "2016-2020  PhD in Ecology",
        "Université de Montpellier",
        "École Doctorale 584 GAIA, Univ. Montpellier",
        "SEPTEMBER 2014- JULI 2020 | College Henri Dumont, Kamerun",
        "GYMNASIUM IN KAMERUN",
        "Abschluss: Abitur mit 2.0",
        "2010-2012  Prep. Classes, Lycée Saint-Louis",
    )
    assert [(g[2], g[3]) for g in got] == [
        ("Université de Montpellier", "2016"),
        ("College Henri Dumont", "2014-09"),
        ("Lycée Saint-Louis", "2010"),
    ]


def test_a_town_with_its_province_and_a_label_word_at_the_end_of_a_line() -> None:
    got = _parse(
        "Diploma di Maturità Scientifica (Scienze Applicate)  2016 – 2021",
        "Castelvetrano (TP)",
        "Liceo Scientifico Michele Amari",
    )
    assert [(g[0], g[2]) for g in got] == [
        ("Diploma di Maturità Scientifica", "Liceo Scientifico Michele Amari")
    ]
    got = _parse(
        "2014 – 2016 Master Statistique Appliquée, Université Rennes 2, mention",
        "Très Bien. Chargé de TD de tutorat en mathématiques au niveau L1 MASS (48h)",
    )
    assert len(got) == 1


def test_the_same_studies_found_twice_outside_the_section_are_one_entry() -> None:
    header = Section(
        "header",
        "",
        [TextLine("B.A. LL.B. (Hons.)  Utkal University"), TextLine("8.00 CGPA  [2017- 2022]")],
    )
    job = WorkEntry(
        header=["B.A. LL.B. (Hons.)  Utkal University"],
        dates=DateRange(PartialDate(2017), PartialDate(2022), (0, 0)),
    )
    got = stray_education([header], [job])
    assert [(e.institution, e.start.iso() if e.start else None) for e in got] == [
        ("Utkal University", "2017")
    ]


def test_a_line_opening_with_its_date_a_degree_and_a_school_is_an_entry() -> None:
    got = _parse(
        "Cursant  CFGM Sistemes Microinformàtics i Xarxes  CE Joan XXIII",
        "2022  Educació Secundària Obligatòria  Institut Martí Dot",
    )
    # "Cursant" (studying now) is no part of the entry's names.
    assert [(g[0], g[2]) for g in got] == [
        ("CFGM", "CE Joan XXIII"),
        ("Educació Secundària", "Institut Martí Dot"),
    ]


def test_a_grade_label_naming_the_thesis_is_a_detail() -> None:
    got = _parse(
        "2010 – 2015 Grado en Ingeniería de Telecomunicación, Universidad de Granada.",
        "Nota media: 7,479 (sobre 10). Trabajo Fin de Grado: Sistema Digital de Extracción",
        "2013 – 2014 Movilidad con programa Erasmus, Université Catholique de Louvain",
    )
    assert [g[2] for g in got] == ["Universidad de Granada", "Université Catholique de Louvain"]


def test_german_compound_degrees_and_a_month_before_the_year() -> None:
    got = _parse("IHK Hannover, Handelsfachwirt, 07/2018", "IHK Bayreuth, Betriebswirt, 11/2024")
    assert [g[:3] for g in got] == [
        ("Handelsfachwirt", None, "IHK Hannover"),
        ("Betriebswirt", None, "IHK Bayreuth"),
    ]
    got = _parse("09.1986 – 07.1991", "Russische Verkehrsuniversität", "Elektroingenieur")
    assert [g[:3] for g in got] == [("Elektroingenieur", None, "Russische Verkehrsuniversität")]
