"""Work positions in shapes the development sets showed as failure classes: a label written
under each job ("Objectif : ...", "Compétences acquises : ...") that is no section, an employer
line set like a heading between jobs, a range opened with "von" and never closed or closed on
the next line, a range broken after a long title, a year after the entry's place, a lone year
among month ranges, and experience headings in more words. Every test builds its own CV."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from tests.ai.test_entries_round5 import _work

from resumate.ai.analyzer import analyze_document
from resumate.ai.dates import find_date_ranges
from resumate.ai.documents import TextLine
from resumate.ai.entries import WorkEntry, is_schooling, is_study_period, parse_work, work_weight
from resumate.ai.sections import match_heading

TODAY = date(2025, 6, 1)


def _docx(paragraphs: list[tuple[str, str]]) -> bytes:
    """A DOCX of (style, text) paragraphs: "h" a heading, "b" a bold line, "" plain text."""
    document = docx.Document()
    document.add_paragraph("Lena Vogt")
    document.add_paragraph("lena.vogt@example.com")
    for style, text in paragraphs:
        if style == "h":
            document.add_heading(text, level=1)
        elif style == "b":
            document.add_paragraph().add_run(text).bold = True
        else:
            document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _entries(*lines: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    work = parse_work([TextLine(text=t) for t in lines], single_dates=True)
    return [
        (
            w.dates.start.iso() if w.dates else None,
            w.dates.end.iso() if w.dates and w.dates.end else None,
            w.title,
            w.company,
        )
        for w in work
    ]


# ------------------------------------------------------------------------------------------
# Sections


def test_a_label_with_its_text_written_under_each_job_is_no_section() -> None:
    data = _docx(
        [
            ("h", "Expérience professionnelle"),
            ("", "Stagiaire – Data Scientist, DGAC"),
            ("", "06/2024 – 08/2024"),
            ("", "Objectif : évaluer l'impact des évènements externes sur le trafic."),
            ("", "Compétences développées : data science, Python, SQL"),
            ("", "Stagiaire – Ingénieur méthodes, TE Connectivity"),
            ("", "06/2023 – 08/2023"),
            ("", "Objectif : réduire les faux rejets d'une machine de contrôle."),
            ("", "Compétences développées : analyse de données, SQL"),
            ("h", "Formation"),
            ("", "Diplôme d'ingénieur, ENSEEIHT, 2022 – 2025"),
        ]
    )
    work = _work(data)
    assert [(s, e) for s, e, _t, _c in work] == [("2024-06", "2024-08"), ("2023-06", "2023-08")]
    assert [c for _s, _e, _t, c in work] == ["DGAC", "TE Connectivity"]


def test_a_label_once_inline_once_alone_is_no_section_either() -> None:
    data = _docx(
        [
            ("h", "Expériences"),
            ("", "Stage ingénieur, RTE, Toulouse, 03/2025 – 05/2025"),
            ("", "Compétences acquises : Autonomie, Rigueur"),
            ("", "Vendeuse, Florélia, Toulouse, 06/2022 – 08/2022"),
            ("b", "Compétences acquises"),
            ("", "Créativité, Organisation"),
            ("", "Serveuse, Café du Port, Toulouse, 06/2021 – 08/2021"),
            ("h", "Langues"),
            ("", "Anglais B2"),
        ]
    )
    assert [(s, e) for s, e, _t, _c in _work(data)] == [
        ("2025-03", "2025-05"),
        ("2022-06", "2022-08"),
        ("2021-06", "2021-08"),
    ]


def test_an_employer_line_set_like_a_heading_between_jobs_stays_in_the_experience() -> None:
    data = _docx(
        [
            ("h", "Experiencia profesional"),
            ("b", "ALBATROS SERVICES, Arequipa, Perú"),
            ("", "Practicante Fullstack (Diciembre 2023 – Febrero 2024)"),
            ("b", "Logros:"),
            ("", "Desarrollo de módulos en Flask y React."),
            ("b", "DOMY PROPERTIES, Arequipa, Perú"),
            ("", "Desarrollador Web Principal (Julio 2024 – Diciembre 2024)"),
            ("b", "Logros:"),
            ("", "Mantenimiento del sitio web y de la base de datos."),
            ("h", "Estudios"),
            ("", "Bachiller en Ingeniería de Sistemas, Universidad Católica, 2020 – 2025"),
        ]
    )
    work = _work(data)
    assert ("2024-07", "2024-12", "Desarrollador Web Principal", "DOMY PROPERTIES") in work
    assert len(work) == 2


def test_a_heading_over_dates_after_undated_lines_still_ends_the_section() -> None:
    # The experience heading holds a list of tools; the heading set like it under the tools
    # opens a section of its own (no dated entry stands above it): the tools are no job.
    data = _docx(
        [
            ("b", "WORK EXPERIENCE"),
            ("", "SIEM  Splunk, ArcSight"),
            ("", "Analysis Tools  IPVoid, VirusTotal"),
            ("b", "TOOL EXPOSURE"),
            ("", "Dec 2020 – Present"),
            ("", "Endpoint Security Engineer, Sequretek IT Solutions"),
            ("b", "EDUCATION"),
            ("", "BSc Computer Science, University of Leeds, 2010 - 2013"),
        ]
    )
    named = " ".join(t + " " + c for _s, _e, t, c in _work(data))
    assert "Analysis Tools" not in named and "IPVoid" not in named


@pytest.mark.parametrize(
    "heading",
    [
        "Berufstätigkeit",
        "BERUFSTÄTIGKEITEN",
        "Activités professionnelles",
        "Actividad profesional",
        "Atividades profissionais",
        "Esperienze di lavoro",
        "Beroepservaring",
    ],
)
def test_more_words_for_the_experience_heading(heading: str) -> None:
    assert match_heading(heading) == ("experience", False)


def test_berufstaetigkeit_heads_the_jobs() -> None:
    data = _docx(
        [
            ("h", "Berufstätigkeit"),
            ("", "03/2019 – 06/2022  Buchhalterin, Muster GmbH, Köln"),
            ("h", "Ausbildung"),
            ("", "2015 – 2018  Bachelor BWL, Universität zu Köln"),
        ]
    )
    assert _work(data) == [("2019-03", "2022-06", "Buchhalterin", "Muster GmbH")]


# ------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("von 08.2013", ("2013-08", None)),
        ("ab 2020", ("2020", None)),
        ("From March 2019", ("2019-03", None)),
        ("à partir de mars 2019", ("2019-03", None)),
        ("Von 01.2017 bis 06.2019", ("2017-01", "2019-06")),
    ],
)
def test_a_range_opened_with_von_and_never_closed_runs_on(
    text: str, expected: tuple[str, str | None]
) -> None:
    ranges = find_date_ranges(text)
    assert [(r.start.iso(), r.end.iso() if r.end else None) for r in ranges] == [expected]


@pytest.mark.parametrize("text", ["graduated from 2019 class", "von 08.2013 Engineer"])
def test_the_opening_word_alone_needs_the_whole_line(text: str) -> None:
    assert find_date_ranges(text) == []


def test_von_on_one_line_bis_on_the_next() -> None:
    assert _entries(
        "Grafikdesigner, Studio X, Berlin", "von 08.2013", "bis 03.2015", "Entwurf von Logos"
    ) == [("2013-08", "2015-03", "Grafikdesigner", "Studio X")]
    assert _entries("Selbstständiger Grafikdesigner in Berlin", "von 08.2013")[0][:2] == (
        "2013-08",
        None,
    )


def test_a_range_broken_after_a_long_title_is_joined_with_its_end() -> None:
    assert _entries(
        "Studentischer Mitarbeiter – Institut für Wirtschaftstheorie, -politik und -geschichte "
        "12/2024 –",
        "02/2025",
        "Universität Innsbruck",
        "Forschungsassistenz für Feldprojekt.",
    )[0][:3] == ("2024-12", "2025-02", "Studentischer Mitarbeiter")
    # A long line with a dash and a date is not joined with a line of text.
    assert (
        _entries(
            "Studentischer Mitarbeiter – Institut für Wirtschaftstheorie, -politik und -geschichte "
            "12/2024 –",
            "2025 Forschungsassistenz für ein Feldprojekt der Fakultät",
        )
        == []
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ALFARERIA DEL TURBIO Edo. Lara, Venezuela. 2003", "2003"),
        ("RTE - TOULOUSE (31) 2025", "2025"),
        ("École primaire - CAUMONT (09) 2021", "2021"),
    ],
)
def test_a_year_after_the_entry_s_place_dates_it(line: str, expected: str) -> None:
    assert _entries(line, "Responsable de laboratorio.")[0][:2] == (expected, expected)


@pytest.mark.parametrize(
    "line",
    [
        "Increased sales in Berlin by 2019",  # a sentence, no place cell before the year
        "Rigueur, Autonomie 2021",
    ],
)
def test_a_year_after_other_words_does_not(line: str) -> None:
    assert _entries(line) == []


def test_a_lone_year_among_month_ranges_dates_its_entry() -> None:
    assert _entries(
        "Aushilfe im Einzelhandel, real GmbH, Gelsenkirchen",
        "· Mai 2020 – Januar 2021",
        "Praktikum als Elektriker, Elektroanlagen Muß, Gelsenkirchen",
        "· 2016",
        "· dreiwöchiges Praktikum für die Fachoberschulreife",
    ) == [
        ("2020-05", "2021-01", "Aushilfe im Einzelhandel", "real GmbH"),
        ("2016", "2016", "Praktikum als Elektriker", "Elektroanlagen Muß"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        ["2021/2022  Post-doctorante, STIH, Sorbonne Université, projet DFSM"],
        ["Boston University  September 2013 - May 2015", "Postdoc  Boston, MA"],
        ["Postdoctoral Fellow, Department of Physics, University of Oslo"],
    ],
)
def test_a_postdoc_is_a_job_not_a_degree(header: list[str]) -> None:
    entry = WorkEntry(header=header)
    assert not is_study_period(entry)
    assert not is_schooling(entry)


def test_a_doctorate_is_still_study() -> None:
    assert is_study_period(WorkEntry(header=["Doctorat en linguistique, EPHE, Paris"]))


# ------------------------------------------------------------------------------------------
# Years


@pytest.mark.parametrize(
    ("header", "weight"),
    [
        (["Ehrenamtlicher Nachhilfelehrer bei Integration e. V."], 0.0),
        (["Scheduler (volunteer), Bigelow Community Daycare"], 0.0),
        (["Bundesfreiwilligendienst, Jugendhaus Kellinghusen"], 0.0),
        (["Bénévole, Restos du Cœur"], 0.0),
        (["Auszubildender, Studio X Design"], 0.5),
        (["Volunteer Coordinator, Red Cross"], 0.0),
        (["Art Director, Comunicare Tresessanta"], 1.0),
    ],
)
def test_volunteering_counts_no_years_and_an_apprentice_half(
    header: list[str], weight: float
) -> None:
    assert work_weight(WorkEntry(header=header)) == weight


def test_a_volunteer_role_beside_a_job_adds_no_years() -> None:
    data = _docx(
        [
            ("h", "Experience"),
            ("", "Jan 2015 - Dec 2019  Accountant, Muster Ltd, Leeds"),
            ("", "Jan 2020 - Dec 2024  Volunteer, Red Cross, Leeds"),
            ("h", "Education"),
            ("", "BSc Accounting, University of Leeds, 2011 - 2014"),
        ]
    )
    assert analyze_document(data, "docx", today=TODAY).total_experience_years == 5.0


# ------------------------------------------------------------------------------------------
# More languages and a split open range


def test_an_iso_start_with_its_present_on_the_next_line() -> None:
    assert _entries(
        "2022-07  Programista Fullstack",
        "- obecnie",
        "Nidec Motors & Actuators, Niepołomice",
        "W trakcie swojej pracy przeszedłem drogę od stażysty do programisty.",
    )[0][:3] == ("2022-07", None, "Programista Fullstack")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kwi 2022 - Lis 2022", ("2022-04", "2022-11")),
        ("Gdynia | Kwi 2023 - Paź 2023", ("2023-04", "2023-10")),
        ("Władysławowo | Maj - Sie 2020", ("2020-05", "2020-08")),
    ],
)
def test_polish_month_abbreviations(text: str, expected: tuple[str, str]) -> None:
    assert [(r.start.iso(), r.end.iso() if r.end else None) for r in find_date_ranges(text)] == [
        expected
    ]


@pytest.mark.parametrize("text", ["Proszę się nie martwić", "Wenn Sie mich anrufen, 2020 gern"])
def test_polish_abbreviations_need_a_year_beside_them(text: str) -> None:
    assert find_date_ranges(text) == []


def test_a_linkedin_export_in_danish() -> None:
    # The employer's total tenure ("2 år 7 måneder") under its name is no title or employer.
    assert _entries(
        "Adtraction",
        "2 år 7 måneder",
        "UX Engineer",
        "november 2023 - maj 2026 (2 år 7 måneder)",
        "Aarhus, Central Denmark Region, Denmark",
    ) == [("2023-11", "2026-05", "UX Engineer", "Adtraction")]


@pytest.mark.parametrize(
    "heading", ["Erfaring", "Erhvervserfaring", "Arbetslivserfarenhet", "İŞ DENEYİMİ"]
)
def test_experience_headings_in_nordic_languages_and_turkish(heading: str) -> None:
    assert match_heading(heading) == ("experience", False)


def test_a_danish_upper_secondary_exam_is_schooling() -> None:
    assert is_schooling(WorkEntry(header=["Viborg Katedralskole", "Gymnasieeksamen"]))


def test_a_french_season_with_a_bare_capital() -> None:
    assert [
        (r.start.iso(), r.end.iso() if r.end else None)
        for r in find_date_ranges("Intérimaire – CRIT Intérim Béziers (34)  Eté 2018 – Eté 2019")
    ] == [("2018-06", "2019-06")]


def test_jobs_listed_as_name_and_range_bullets_are_all_entries() -> None:
    got = _entries(
        "• ItPrime 02/2018 - 08/2019",
        "• Jr Arcondicionados 04/2015 - 09/2017",
        "• Clima Bom Ar-condicionados 02/2024 - 05/2024",
    )
    assert [(s, e) for s, e, _t, _c in got] == [
        ("2018-02", "2019-08"),
        ("2015-04", "2017-09"),
        ("2024-02", "2024-05"),
    ]


def test_a_dated_achievement_under_a_job_stays_an_achievement() -> None:
    got = _entries(
        "Data Engineer, Acme Ltd  01/2018 - 08/2022",
        "• Migrated the warehouse to BigQuery, 30% cheaper 2019 - 2020",
        "• Led the data platform team 2020 - 2022",
    )
    assert [(s, e) for s, e, _t, _c in got] == [("2018-01", "2022-08")]


@pytest.mark.parametrize(
    "heading",
    ["Volunteer Activities/Community", "Ehrenamtliche Tätigkeiten", "Bénévolat et associations"],
)
def test_headings_that_open_with_a_volunteering_word(heading: str) -> None:
    assert match_heading(heading) == ("volunteer", False)


def test_a_volunteer_section_s_entries_are_volunteering_not_work() -> None:
    data = _docx(
        [
            ("h", "Experience"),
            ("", "2018 – 2020  Resident Nurse, Emory Healthcare, Atlanta"),
            ("h", "Volunteer Activities/Community"),
            ("", "2018 – 2019  Volunteer, American Academy, Al Udeid"),
        ]
    )
    analysis = analyze_document(data, "docx", today=TODAY)
    assert [w["name"] for w in analysis.parsed_content["work"]] == ["Emory Healthcare"]
    assert [v["organization"] for v in analysis.parsed_content["volunteer"]] == ["American Academy"]


def test_a_heading_broken_over_two_lines_is_read_whole() -> None:
    data = _docx(
        [
            ("h", "Arbeitserfahrung"),
            ("", "03/2019 – 06/2022  Buchhalterin, Muster GmbH, Köln"),
            ("h", "EHRENAMTLICHE"),
            ("h", "TÄTIGKEITEN"),
            ("", "ab 01/2017"),
            ("", "Nachhilfelehrerin, Integration und Bildung e. V."),
        ]
    )
    analysis = analyze_document(data, "docx", today=TODAY)
    assert [w["name"] for w in analysis.parsed_content["work"]] == ["Muster GmbH"]
    assert [v["startDate"] for v in analysis.parsed_content["volunteer"]] == ["2017-01"]
    assert analysis.total_experience_years == pytest.approx(3.3, abs=0.1)


def test_a_list_of_lone_years_holds_the_entries_of_its_section() -> None:
    assert _entries(
        "2017 ASEM High-Level Forum on Digital Connectivity, Qingdao, China.",
        "2016 Global Ocean Summit, Oceantec Valley, Qingdao, China.",
    ) == [
        ("2017", "2017", "ASEM High-Level Forum on Digital Connectivity", None),
        ("2016", "2016", "Global Ocean Summit", "Oceantec Valley"),
    ]
    # One lone year alone is no list: a sentence or a line of a paragraph.
    assert _entries("2019 Award for the best thesis of the faculty") == []


def test_a_job_s_projects_between_its_activity_labels_keep_the_next_job() -> None:
    data = _docx(
        [
            ("h", "Berufserfahrung"),
            ("", "02/2022 – heute  Software IT Specialist, IBM Deutschland GmbH"),
            ("", "Tätigkeiten:  Beratung und Unterstützung Red Hat OpenShift"),
            ("", "09/2019 – 01/2022  Platform Engineer, KION Group GmbH"),
            ("", "Tätigkeiten:  Betreiben und Weiterentwickeln von Dev-Tools"),
            ("", "Projekte:  Migration einer Dev-Infrastruktur nach MS Azure"),
            ("", "04/2014 – 04/2016  Software-Support, MIPS Deutschland GmbH"),
            ("", "Tätigkeiten:  Software-Service für das Laborinformationssystem"),
            ("h", "Ausbildung"),
            ("", "09/1997 – 06/2000  IT-Systemelektroniker, Berufsschule Mainz"),
        ]
    )
    assert [(s, e) for s, e, _t, _c in _work(data)] == [
        ("2022-02", None),
        ("2019-09", "2022-01"),
        ("2014-04", "2016-04"),
    ]


def test_a_bold_employer_line_with_its_title_and_dates_under_it() -> None:
    data = _docx(
        [
            ("b", "EXPERIENCE"),
            ("b", "NORTHWIND TRADERS   REMOTE"),
            ("", "Senior Data Engineer"),
            ("", "Jan 2021 – Dec 2023"),
            ("", "Built the ingestion pipelines."),
            ("b", "CONTOSO ANALYTICS   BERLIN"),
            ("", "Data Engineer"),
            ("", "Mar 2018 – Dec 2020"),
            ("", "Maintained the warehouse."),
            ("b", "EDUCATION"),
            ("", "BSc Computer Science, University of Leeds, 2014 - 2017"),
        ]
    )
    work = _work(data)
    assert [(s, e) for s, e, _t, _c in work] == [("2021-01", "2023-12"), ("2018-03", "2020-12")]
