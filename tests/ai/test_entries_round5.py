"""Work entries in shapes the development sets do not hold: dates in more languages and forms
(quarters, Russian, Polish, Ukrainian, Turkish months, "From ... to ..."), places the world
gazetteer knows, how long a job lasted beside its dates, dot leaders, lists of tools under a
job, a lone date in the right-hand cell, years stacked in a date column. Every test builds its
own text, DOCX or PDF."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from tests.rawpdf import escape, one_page

from resumate.ai.analyzer import analyze_document
from resumate.ai.dates import find_date_ranges
from resumate.ai.entries import WorkEntry, _assign_header

TODAY = date(2025, 6, 1)


def _ranges(text: str) -> list[tuple[str, str | None, str]]:
    return [
        (r.start.iso(), r.end.iso() if r.end else None, text[r.span[0] : r.span[1]])
        for r in find_date_ranges(text)
    ]


def _docx(heading: str, paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.add_paragraph("Lena Vogt")
    document.add_paragraph("lena.vogt@example.com")
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.add_heading("Education", level=1)
    document.add_paragraph("BSc Computer Science, University of Leeds, 2010 - 2013")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _work(data: bytes, kind: str = "docx") -> list[tuple[str | None, str | None, str, str]]:
    analysis = analyze_document(data, kind, today=TODAY)
    return [
        (w.get("startDate"), w.get("endDate"), w.get("position") or "", w.get("name") or "")
        for w in analysis.parsed_content["work"]
    ]


# ------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q1 2019 – Q3 2021", ("2019-01", "2021-09", "Q1 2019 – Q3 2021")),
        ("1. Quartal 2020 - heute", ("2020-01", None, "1. Quartal 2020 - heute")),
        ("Январь 2019 — настоящее время", ("2019-01", None, "Январь 2019 — настоящее время")),
        ("з вересня 2019 по теперішній час", ("2019-09", None, "з вересня 2019 по теперішній час")),
        ("styczeń 2019 – obecnie", ("2019-01", None, "styczeń 2019 – obecnie")),
        ("od marca 2018 do czerwca 2020", ("2018-03", "2020-06", "od marca 2018 do czerwca 2020")),
        ("Eylül 2017 - Haziran 2019", ("2017-09", "2019-06", "Eylül 2017 - Haziran 2019")),
        ("2015 г. – 2019 г.", ("2015", "2019", "2015 г. – 2019")),
    ],
)
def test_more_languages_and_quarters(text: str, expected: tuple[str, str | None, str]) -> None:
    assert _ranges(text) == [expected]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Von 01.2017 bis 06.2019: Buchhalterin bei KPMG", "Von 01.2017 bis 06.2019"),
        ("De janvier 2017 à juin 2019", "De janvier 2017 à juin 2019"),
        ("Dal 2017 al 2019 — Contabile presso KPMG", "Dal 2017 al 2019"),
        ("From 2019 to 2021", "From 2019 to 2021"),
    ],
)
def test_the_word_that_opens_a_range_is_part_of_it(text: str, span: str) -> None:
    assert [r[2] for r in _ranges(text)] == [span]


def test_a_company_written_wal_mart_is_no_month() -> None:
    assert _ranges("Cashier, Wal-Mart 2015 - 2017") == [("2015", "2017", "2015 - 2017")]


# ------------------------------------------------------------------------------------------
# Title, employer, place


def _header(*lines: str) -> WorkEntry:
    entry = WorkEntry()
    _assign_header(entry, list(lines))
    return entry


def test_a_town_the_world_gazetteer_knows_is_the_place_not_the_title() -> None:
    entry = _header("Kernel engineer", "Moscow, Russia")
    assert (entry.title, entry.location) == ("Kernel engineer", "Moscow, Russia")
    entry = _header("Analista de datos, Minera SAC, Arequipa")
    assert (entry.title, entry.company, entry.location) == (
        "Analista de datos",
        "Minera SAC",
        "Arequipa",
    )
    # A town's name that is the only employer stays the employer.
    entry = _header("Production Engineer, Toyota")
    assert (entry.title, entry.company, entry.location) == ("Production Engineer", "Toyota", None)
    # A town before another town is no "Town, Country" pair.
    entry = _header("Programista, Allegro, Warszawa")
    assert (entry.title, entry.company, entry.location) == ("Programista", "Allegro", "Warszawa")


def test_a_name_with_a_legal_form_is_the_employer() -> None:
    entry = _header("Offering Manager, Technical Support Services", "IBM Deutschland GmbH")
    assert (entry.title, entry.company) == ("Offering Manager", "IBM Deutschland GmbH")
    entry = _header("Amnpardaz Co", "Incident Response Team")
    assert entry.company == "Amnpardaz Co"


def test_a_job_noun_is_no_employer_when_a_name_stands_beside_it() -> None:
    entry = _header("Desarrolladora web", "Becaria en TPC Match Point")
    assert (entry.title, entry.company) == ("Desarrolladora web", "TPC Match Point")


def test_han_job_nouns_make_the_title() -> None:
    entry = _header("PingCAP Inc. - 数据库 - 前后端开发工程师")
    assert (entry.title, entry.company) == ("前后端开发工程师", "PingCAP Inc.")


def test_markers_and_brackets() -> None:
    entry = _header("> DEVOPS ENGINEER INTERN (CONSULTANT)", "Technology and Strategy, Boulogne")
    assert entry.title == "DEVOPS ENGINEER INTERN (CONSULTANT)"


# ------------------------------------------------------------------------------------------
# Entries in a whole CV


def test_how_long_a_job_lasted_is_neither_title_nor_employer() -> None:
    work = _work(
        _docx(
            "Experience",
            [
                "Sales Manager",
                "Nov 2012 - Dec 2014 (2 years 2 months)",
                "Unilever, Lagos",
                "• Grew sales",
                "Data Analyst",
                "Acme Ltd",
                "Jan 2015 - Present · 10 yrs 5 mos",
                "• Dashboards",
            ],
        )
    )
    assert work == [
        ("2012-11", "2014-12", "Sales Manager", "Unilever"),
        ("2015-01", None, "Data Analyst", "Acme Ltd"),
    ]


def test_a_date_range_opened_by_a_preposition_leaves_the_title_alone() -> None:
    work = _work(
        _docx(
            "Expérience professionnelle",
            ["De janvier 2017 à juin 2019", "Comptable – Fiducial, Lyon", "• Comptabilité"],
        )
    )
    assert work == [("2017-01", "2019-06", "Comptable", "Fiducial")]


def test_a_company_with_a_dot_leader_names_the_roles_under_it() -> None:
    work = _work(
        _docx(
            "Experience",
            [
                "Mahsan Co.........................................",
                "Senior Software Engineer  2022/10-2024/07",
                "• Built a data loss prevention service",
                "Graph-Inc.........................................",
                "Embedded Engineer  2016/12-2022/09",
                "• Wrote drivers",
            ],
        )
    )
    assert work == [
        ("2022-10", "2024-07", "Senior Software Engineer", "Mahsan Co"),
        ("2016-12", "2022-09", "Embedded Engineer", "Graph-Inc"),
    ]


def test_a_list_of_tools_and_a_wrapped_sentence_are_no_header_of_the_next_job() -> None:
    work = _work(
        _docx(
            "Work experience",
            [
                "Web Developer",
                "Tecnitech Solutions  Jan. 2018 - Jan. 2022",
                "• Built and maintained interactive web applications",
                "Tech: AngularJS, JavaScript, HTML5/CSS3, Relational Databases",
                "Fullstack Developer",
                "Dilio  Jul. 2022 - Sep. 2022",
                "• Worked with a group of security specialists, consulting organisations",
                "and companies which were affected by cyber attacks",
                "Malware Analyst  Oct. 2022 - Present",
                "• Analysed threats",
            ],
        )
    )
    assert work == [
        ("2018-01", "2022-01", "Web Developer", "Tecnitech Solutions"),
        ("2022-07", "2022-09", "Fullstack Developer", "Dilio"),
        ("2022-10", None, "Malware Analyst", ""),
    ]


def test_an_entry_line_that_ends_with_its_town_and_year() -> None:
    work = _work(
        _docx(
            "Expériences",
            [
                "> DEVOPS ENGINEER INTERN (CONSULTANT)",
                "Technology and Strategy, Boulogne, 2023",
                "DevOps - Déploiement d'infrastructures internes avec Kubernetes.",
                "> EDUCATIONAL ENGINEER",
                "Colombbus, Paris, 2018 - 2022",
                "Cours de programmation et de robotique.",
            ],
        )
    )
    assert work == [
        ("2023", "2023", "DEVOPS ENGINEER INTERN (CONSULTANT)", "Technology and Strategy"),
        ("2018", "2022", "EDUCATIONAL ENGINEER", "Colombbus"),
    ]


def test_a_lone_season_in_the_right_hand_cell_dates_its_entry() -> None:
    work = _work(
        _docx(
            "Work experience",
            [
                "Communications Agent  Since 2022",
                "Accueil Bonneau",
                "• Created content",
                "Administrative Assistant  Summer 2022",
                "Force Leadership Africain",
                "• Organised a conference",
                "Tech Support  Jan 2021 - Dec 2021",
                "Bravo Party Rentals",
            ],
        )
    )
    assert [(s, e, t) for s, e, t, _c in work] == [
        ("2022", None, "Communications Agent"),
        ("2022-06", "2022-06", "Administrative Assistant"),
        ("2021-01", "2021-12", "Tech Support"),
    ]


def _positioned_pdf(rows: list[tuple[float, float, str]], size: float = 10) -> bytes:
    ops = ["BT", f"/F1 {size} Tf"]
    for x, y, text in rows:
        ops.append(f"1 0 0 1 {x} {y} Tm ({escape(text)}) Tj")
    ops.append("ET")
    return one_page("\n".join(ops))


def test_years_stacked_in_a_date_column_with_a_line_between_them() -> None:
    pdf = _positioned_pdf(
        [
            (60, 790, "Jaime Arboleda"),
            (60, 776, "jaime@example.com"),
            (60, 740, "PROFESSIONAL EXPERIENCE"),
            (60, 720, "2023"),
            (120, 720, "Data Scientist"),
            (120, 706, "European Commission"),
            (60, 692, "2021"),
            (120, 678, "Researching, designing and developing analytics models for customs."),
            (60, 650, "2019"),
            (120, 650, "Data Analyst"),
            (120, 636, "Acme Ltd"),
            (60, 622, "2017"),
            (60, 590, "EDUCATION"),
            (60, 570, "BSc Mathematics, University of Madrid, 2013 - 2017"),
        ]
    )
    work = _work(pdf, "pdf")
    assert [(s, e) for s, e, _t, _c in work] == [("2021", "2023"), ("2017", "2019")]
    assert [t for _s, _e, t, _c in work] == ["Data Scientist", "Data Analyst"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016.12.01 - 2018.03.31", ("2016-12", "2018-03")),
        ("Spedytor / 2016.12 .01 - obecnie", ("2016-12", None)),
        ("2019/03/01 - 2020/01/31", ("2019-03", "2020-01")),
    ],
)
def test_year_month_day_dates_with_dots_and_slashes(
    text: str, expected: tuple[str, str | None]
) -> None:
    assert [(s, e) for s, e, _ in _ranges(text)] == [expected]


def test_a_web_address_cell_beside_the_title_and_a_dash_glued_to_the_title() -> None:
    work = _work(
        _docx(
            "Work experience",
            [
                "Kaiser Permanente, Pleasanton, CA  12/2017 till date (6 years)",
                "https://healthy.kaiserpermanente.org  Principal IT Engineer",
                "Healthcare company with many employees and a large annual revenue",
                "• Built a hybrid test framework",
                "Lead Software Engineer- New York, NY  Jan 2014-Nov 2017",
                "Nomad Health",
            ],
        )
    )
    assert work == [
        ("2017-12", None, "Principal IT Engineer", "Kaiser Permanente"),
        ("2014-01", "2017-11", "Lead Software Engineer", "Nomad Health"),
    ]


def test_a_polish_company_form_is_the_employer() -> None:
    entry = _header("INTIME EXPRESS LOGISTICS SP. Z O. O., WROCŁAW", "Spedytor międzynarodowy /")
    assert (entry.title, entry.company, entry.location) == (
        "Spedytor międzynarodowy",
        "INTIME EXPRESS LOGISTICS SP. Z O. O.",
        "WROCŁAW",
    )


def test_school_acronyms_name_an_employer_in_capitals_only() -> None:
    from resumate.ai.entries import _is_company

    assert _is_company("MIT Media Lab") and _is_company("TU München")
    assert not _is_company("Entwicklung mit Python") and not _is_company("Kundenbetreuung mit SAP")


def test_a_labelled_date_line_with_one_season_dates_its_entry() -> None:
    work = _work(
        _docx(
            "Expérience professionnelle",
            [
                "Stagiaire – Data Scientist",
                "DGAC, DSNA, Pôle Data",
                "Date: Été 2026 (2 mois)  Location: Toulouse",
                "• Pipeline de données ADS-B",
            ],
        )
    )
    assert [(s, e) for s, e, _t, _c in work] == [("2026-06", "2026-06")]
    assert "Toulouse" not in work[0][2] + work[0][3] and "Date" not in work[0][2] + work[0][3]
