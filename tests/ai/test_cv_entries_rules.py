"""Work entries and years on CV shapes real CVs use: German short dates, 'seit' ranges,
historical year ranges, bullets wrapped under a hanging indent, hobbies with dates. Every
test builds its own text or document."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from resumate.ai.analyzer import analyze_document
from resumate.ai.dates import find_date_ranges, find_dates
from resumate.ai.documents import TextLine
from resumate.ai.sections import match_heading, split_sections

TODAY = date(2025, 6, 1)


def _ranges(text: str) -> list[tuple[str, str | None, str]]:
    return [
        (r.start.iso(), r.end.iso() if r.end else None, text[r.span[0] : r.span[1]])
        for r in find_date_ranges(text)
    ]


def _analyze(*blocks: tuple[str | None, list[str]]) -> object:
    document = docx.Document()
    document.add_paragraph("Lena Vogt")
    document.add_paragraph("lena.vogt@example.com")
    for heading, paragraphs in blocks:
        if heading:
            document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return analyze_document(buf.getvalue(), "docx", today=TODAY)


# ------------------------------------------------------------------------------------------
# Dates


def test_german_short_dates_with_two_digit_years() -> None:
    assert _ranges("01.08.2020 - 10.07.21  Jahrespraktikum") == [
        ("2020-08", "2021-07", "01.08.2020 - 10.07.21")
    ]
    assert _ranges("01.09.19 – 31.03.22 Elektroniker") == [
        ("2019-09", "2022-03", "01.09.19 – 31.03.22")
    ]


@pytest.mark.parametrize("text", ["Python 3.10.12", "v1.2.21", "IP 10.07.21.4", "32.13.21"])
def test_version_numbers_and_addresses_are_not_short_dates(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "start", "span"),
    [
        ("Seit 2018  Mitarbeit bei der Technik", "2018", "Seit 2018"),
        ("Seit ca. 2011  Feuerwehr", "2011", "Seit ca. 2011"),
        ("desde aprox. 2015 Voluntaria", "2015", "desde aprox. 2015"),
        ("Engineer since 03/2020", "2020-03", "since 03/2020"),
    ],
)
def test_since_opens_a_range_and_the_word_is_part_of_it(text: str, start: str, span: str) -> None:
    assert _ranges(text) == [(start, None, span)]


def test_year_ranges_before_1950_are_dates_but_lone_old_years_are_not() -> None:
    assert _ranges("1869—1879  Universität Basel") == [("1869", "1879", "1869—1879")]
    assert _ranges("1912 - 1931 Professor of Logic") == [("1912", "1931", "1912 - 1931")]
    assert find_dates("Founded in 1897, 1200 staff") == []
    assert _ranges("1879–1780 backwards") == []


# ------------------------------------------------------------------------------------------
# Sections


@pytest.mark.parametrize("heading", ["Praktische Erfahrungen", "Praxiserfahrungen"])
def test_german_practical_experience_headings(heading: str) -> None:
    hit = match_heading(heading)
    assert hit is not None and hit[0] == "experience"


def test_the_wrapped_end_of_a_bullet_is_not_a_section() -> None:
    def line(text: str, top: float, x0: float = 40.0, bullet: bool = False) -> TextLine:
        return TextLine(text, x0=x0, x1=400.0, top=top, font_size=11.0, bold=True, bullet=bullet)

    # Every line is set in bold (as some templates do), so only the indent tells the wrapped
    # end of a bullet from a heading.
    lines = [
        line("Berufserfahrung", 100),
        line("10/2022 – 06/2025", 120),
        line("Kaufmännische Leitung • JCL • Lichtenfels", 134),
        line("• Aufbau einer Controlling-Abteilung zur", 148, bullet=True),
        line("Effizienzsteigerung administrativer Abläufe", 161, x0=58.0),
        line("07/2020 – 10/2022", 180),
        line("Kaufmännische Angestellte • JCL • Redwitz", 194),
        line("Sprachen", 220),
        TextLine("Deutsch, Englisch", x0=40.0, x1=400.0, top=234, font_size=11.0),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "experience", "languages"]


# ------------------------------------------------------------------------------------------
# The CV as a whole


def test_dated_hobbies_are_no_jobs_when_there_is_no_experience_heading() -> None:
    result = _analyze(
        ("Schulbildung", ["2016 - 2022  Goethe-Gymnasium, Abitur"]),
        ("Was ich mache", ["Seit 2019  Aushilfe im Supermarkt Rewe"]),
        ("Hobbys", ["Seit ca. 2011  Feuerwehr", "Seit 2015  Klavier"]),
    )
    work = result.parsed_content["work"]  # type: ignore[attr-defined]
    assert [w.get("startDate") for w in work] == ["2019"]
    assert "Klavier" not in str(work) and "Feuerwehr" not in str(work)


# ------------------------------------------------------------------------------------------
# What an entry is, and what it counts


def _work(result: object) -> list[dict[str, str]]:
    return result.parsed_content["work"]  # type: ignore[attr-defined, no-any-return]


def test_courses_and_further_training_among_jobs_are_not_positions() -> None:
    result = _analyze(
        (
            "Berufserfahrung",
            [
                "12/2024 – aktuell  Intensivierungskurs: Power BI Data Analyst",
                "06/2024 – 12/2024  Weiterbildung zur KI-Managerin (IHK)",
                "10/2021 – 06/2024  Kaufmännische Leiterin, Müller Logistik GmbH",
                "01/2020 – 09/2021  Kursleiterin, Volkshochschule Bamberg",
            ],
        ),
    )
    titles = [w.get("position") for w in _work(result)]
    assert titles == ["Kaufmännische Leiterin", "Kursleiterin"]
    assert result.total_experience_years == pytest.approx(4.4, abs=0.15)  # type: ignore[attr-defined]


def test_a_doctorate_listed_among_jobs_counts_but_a_masters_thesis_does_not() -> None:
    doctorate = _analyze(
        (
            "Expérience professionnelle",
            [
                "11/2019 – 06/2022  Data Scientist, Microbs, Rennes",
                "2016 – 2019  Thèse de doctorat, Agrocampus Ouest, Rennes",
            ],
        ),
        ("Formation", ["2014 – 2016  Master Statistique, Université Rennes 2"]),
    )
    # January 2016 (the doctorate) to June 2022 (the job after it)
    assert doctorate.total_experience_years == pytest.approx(6.5, abs=0.15)  # type: ignore[attr-defined]
    masters = _analyze(
        (
            "Experience",
            [
                "11/2019 – 06/2022  Data Scientist, Microbs, Rennes",
                "2018 – 2019  Master's thesis, Agrocampus Ouest, Rennes",
            ],
        ),
    )
    assert masters.total_experience_years == pytest.approx(2.7, abs=0.15)  # type: ignore[attr-defined]


def test_student_assistant_jobs_during_an_ongoing_degree_count_nothing() -> None:
    result = _analyze(
        (
            "Ausbildung",
            [
                "Master – Economics  10/2022 – laufend",
                "Universität Innsbruck",
            ],
        ),
        (
            "Berufserfahrung",
            [
                "Studentischer Mitarbeiter – Institut für Finanzwissenschaft  04/2023 – 02/2025",
                "Universität Innsbruck",
            ],
        ),
    )
    assert len(_work(result)) == 1
    assert result.total_experience_years == pytest.approx(0.0, abs=0.05)  # type: ignore[attr-defined]


def test_a_job_title_that_also_reads_as_a_company_is_still_the_title() -> None:
    result = _analyze(
        ("Experience", ["Forcast — Junior Full-Stack Software Engineer  Nov 2024 – Apr 2025"]),
    )
    (entry,) = _work(result)
    assert entry["position"] == "Junior Full-Stack Software Engineer"
    assert entry["name"] == "Forcast"


def test_a_phone_number_or_a_bare_number_is_neither_title_nor_employer() -> None:
    result = _analyze(
        ("Experience", ["8447753719 | Security Engineer | Sequretek  Mar 2021 – Present"]),
    )
    (entry,) = _work(result)
    assert (entry["position"], entry["name"]) == ("Security Engineer", "Sequretek")


def test_in_a_date_column_the_lines_above_a_date_belong_to_the_entry_before() -> None:
    result = _analyze(
        (
            "Work Experience",
            [
                "May 2016 – Aug 2016 Computer Technician,",
                "Gruppo Sistema, Cesena (Italy), http://grupposistema.example/.",
                "Main activities",
                "Users training",
                "June 2015 – July 2015 Stage,",
                "Gruppo Sistema, Cesena (Italy), http://grupposistema.example/.",
                "Server configuration",
            ],
        ),
    )
    titles = [w.get("position") for w in _work(result)]
    assert titles == ["Computer Technician", "Stage"]


def test_a_course_word_over_a_job_with_an_employer_under_its_date_stays_a_position() -> None:
    result = _analyze(
        (
            "Berufserfahrung",
            [
                "Weiterbildung zur Fachwirtin (IHK)",
                "03/2019 – 05/2021",
                "Teamleiterin Einkauf, Muster GmbH, Bamberg",
                "Einkauf und Lieferantenpflege für 40 Filialen.",
            ],
        ),
    )
    assert [w.get("startDate") for w in _work(result)] == ["2019-03"]


def test_clinical_rotations_and_practicums_are_courses_not_positions() -> None:
    result = _analyze(
        (
            "Clinical Experience",
            [
                "Senior Nursing Practicum, Methodist Medical Center  Jan 2025 - May 2025",
                "ICU Clinical Rotation, Parkland Hospital  Sep 2024 - Dec 2024",
                "Patient Care Technician, Baylor Hospital  Jun 2023 - Present",
                "Graduate Rotation Programme Analyst, Barclays Bank  Sep 2021 - May 2023",
            ],
        ),
    )
    titles = [w.get("position") for w in _work(result)]
    assert titles == ["Patient Care Technician", "Graduate Rotation Programme Analyst"]


def test_without_an_experience_section_dates_that_name_no_job_make_no_position() -> None:
    # A two-column page read out of order: the degree's years sit under its town, a
    # project under an unlisted heading; nothing names a job or an employer.
    result = _analyze(
        (None, ["Results-driven computer science student."]),
        ("Studies and more", ["Engineering", "Jalandhar, Punjab", "2018 - 2022"]),
        ("PROJECT WORK", ["PGLife", "May 2023 – Jun 2023", "A website for paying guests."]),
    )
    assert _work(result) == []
    assert result.total_experience_years == 0.0  # type: ignore[attr-defined]


def test_without_an_experience_section_a_dated_job_is_still_found() -> None:
    result = _analyze(
        (
            None,
            [
                "Legal Intern, Law Dexter  Sep 2020 - Oct 2020",
                "Associate, Gurugram District Court  Jul 2021 - Present",
            ],
        ),
    )
    assert [w.get("name") for w in _work(result)] == ["Law Dexter", "Gurugram District Court"]
    assert result.total_experience_years > 3.5  # type: ignore[attr-defined]


def test_in_progress_ends_a_range_at_today() -> None:
    assert _ranges("Feb 2015 – In progress Youngster educator,") == [
        ("2015-02", None, "Feb 2015 – In progress")
    ]


def test_a_lone_year_before_an_employer_in_lower_case_is_an_entry() -> None:
    result = _analyze(
        (
            "Experiencia Laboral",
            [
                "2018 – 2021 Real-Time Innovations, Ingeniero Software, Granada.",
                "2016 Infineon Technologies AG, Ingeniero en prácticas, Múnich.",
                "2016 eesy-innovations GmbH, Ingeniero en prácticas, Múnich.",
                "2015 invoices were checked twice a month by the team.",
            ],
        ),
    )
    names = [w.get("name") for w in _work(result)]
    assert names == ["Real-Time Innovations", "Infineon Technologies AG", "eesy-innovations GmbH"]


def test_side_activities_while_at_secondary_school_are_no_experience() -> None:
    result = _analyze(
        (
            "Schulbildung",
            ["2020 - 2023  Fachabitur, Konrad-Adenauer-Schule, Kriftel", "2014 - 2020  Realschule"],
        ),
        (
            "Praktische Erfahrungen",
            [
                "Seit 2018  Mitarbeit bei der Bühnentechnik, Stadthalle Kriftel",
                "2019 - 2020  Zeitungsausträger, Kreisblatt Verlag GmbH",
            ],
        ),
    )
    # Only the months after school count: its last school year ends with June (Jul 2023 - Jun
    # 2025).
    assert result.total_experience_years == pytest.approx(1.9, abs=0.15)  # type: ignore[attr-defined]


def test_a_job_after_high_school_counts_in_full() -> None:
    result = _analyze(
        ("Education", ["2008 - 2012  Lincoln High School, Omaha"]),
        ("Experience", ["Warehouse Supervisor, Acme Logistics Inc  Jun 2012 - May 2025"]),
    )
    assert result.total_experience_years == pytest.approx(13.0, abs=0.15)  # type: ignore[attr-defined]


def test_student_projects_and_practical_semesters_during_studies_count_nothing() -> None:
    result = _analyze(
        ("Ausbildung", ["B.Eng. Maschinenbau, Hochschule Kempten  10/2017 – 09/2021"]),
        (
            "Berufserfahrung",
            [
                "03/2019 – 08/2019  Praxissemester, Liebherr-Verzahntechnik GmbH",
                "10/2020 – 01/2021  Projektarbeit, Hochschule Kempten",
                "10/2021 – 05/2025  Konstrukteur, Liebherr-Verzahntechnik GmbH",
            ],
        ),
    )
    assert result.total_experience_years == pytest.approx(3.7, abs=0.15)  # type: ignore[attr-defined]


def test_a_postdoctoral_research_assistant_is_a_full_position() -> None:
    result = _analyze(
        ("Education", ["PhD Zoology, University of Otago  2010 - 2013"]),
        (
            "Experience",
            [
                "Post-Doctoral Research Assistant, University of Otago  Jan 2014 - Dec 2014",
                "Research Assistant, University of Otago  Jan 2011 - Dec 2012",
            ],
        ),
    )
    assert result.total_experience_years == pytest.approx(1.0, abs=0.1)  # type: ignore[attr-defined]


def _lines(*texts: str) -> list[TextLine]:
    return [TextLine(t) for t in texts]


def test_the_end_of_a_range_on_the_line_under_it_dash_first() -> None:
    from resumate.ai.entries import parse_work

    work = parse_work(
        _lines("Desarrolladora web, Globant", "Diciembre 2023", "~ Actualidad", "• React")
    )
    assert [(w.dates.start.iso(), w.dates.end) for w in work if w.dates] == [("2023-12", None)]
    assert work[0].company != "~ Actualidad" and work[0].title != "~ Actualidad"


def test_two_dated_items_one_under_the_other_are_not_one_range() -> None:
    from resumate.ai.entries import parse_work

    work = parse_work(
        _lines(
            "Enforcement of fundamental rights (Basic)  Sep 2020",
            "Enforcement of fundamental rights (Advanced)  Dec 2020",
        ),
        single_dates=True,
    )
    assert all(w.dates is None or w.dates.start.iso() != "2020-09" or w.dates.end is None
               or w.dates.end.iso() != "2020-12" for w in work)  # fmt: skip


# ------------------------------------------------------------------------------------------
# Dated things under an experience heading that are not jobs, and headings that hide jobs


def _analyze_list_doc(heading: str, items: list[str], *, bold_heading: bool = True) -> object:
    """A Word CV whose headings and entries are list paragraphs (numbered list style)."""
    document = docx.Document()
    document.add_paragraph("Ingrid Souza")
    document.add_paragraph("ingrid.souza@example.com")
    document.add_heading("Habilidades", level=1)
    document.add_paragraph("Pacote Office – Nível Intermediário")
    para = document.add_paragraph(style="List Number")
    run = para.add_run(heading)
    run.bold = bold_heading
    for text in items:
        document.add_paragraph(text, style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return analyze_document(buf.getvalue(), "docx", today=TODAY)


def test_a_bold_heading_set_as_a_list_paragraph_opens_its_section() -> None:
    result = _analyze_list_doc(
        "Experiencia",
        [
            "Estágio TravelMate Intercambio e Turismo: de 02/2018 até 01/2019",
            "Atendimento ao cliente via e-mail e WhatsApp",
        ],
    )
    assert "experience" in result.sections  # type: ignore[attr-defined]
    work = _work(result)
    assert [(w.get("startDate"), w.get("endDate")) for w in work] == [("2018-02", "2019-01")]
    assert "TravelMate" in work[0]["position"]
    # Set as plain list text, the same word is an item of the list above, not a heading.
    plain = _analyze_list_doc("Experiencia", ["Atendimento ao cliente"], bold_heading=False)
    assert "experience" not in plain.sections  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("label", "job", "dates"),
    [
        ("Compétences acquises : Autonomie, Rigueur", "Babysitting", "2021 - Aujourd'hui"),
        ("Skills: Python, SQL, Tableau", "Data Analyst, Acme Ltd", "2021 - Present"),
        ("Kenntnisse: SAP, Excel", "Sachbearbeiterin, Muster GmbH", "2021 - heute"),
    ],
)
def test_a_labelled_list_ends_the_entry_above_it(label: str, job: str, dates: str) -> None:
    result = _analyze(
        ("Experience", ["Intern, Nordwind AG", "2019 - 2020", label, job, dates]),
    )
    work = _work(result)
    assert len(work) == 2
    last = work[-1]
    assert last["startDate"] == "2021" and "endDate" not in last
    assert label.split(":")[0].strip() not in str(last)
    assert job.split(",")[0] in (last.get("position"), last.get("name"))


@pytest.mark.parametrize(
    "item",
    [
        "Jahresstipendium der Studienstiftung",
        "DAAD Reisestipendium",
        "Summer Workshop in Applied Mathematics, Ocean University",
        "Student Research Program, Tianjin University",
        "Hackathon Paris, 2nd prize",
        "Bourse d'études, Fondation de France",
        "Babypause",
        "Parental leave",
    ],
)
def test_grants_events_and_career_breaks_among_jobs_are_not_positions(item: str) -> None:
    result = _analyze(
        (
            "Experience",
            [
                "2019 - 2022  Data Engineer, Nordwind GmbH",
                f"2015 - 2017  {item}",
            ],
        ),
    )
    assert [w.get("position") for w in _work(result)] == ["Data Engineer"]
    assert result.total_experience_years == pytest.approx(4.0, abs=0.05)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "item", ["Workshop Instructor, Maker Space Berlin", "Board Member, Nordwind AG"]
)
def test_a_role_in_an_event_or_board_is_a_position(item: str) -> None:
    result = _analyze(("Experience", [f"2015 - 2017  {item}"]))
    assert len(_work(result)) == 1
    assert result.total_experience_years == pytest.approx(3.0, abs=0.05)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "item", ["Euclid Member, Galaxy Clusters Working Group", "Mitglied im Alumni-Netzwerk"]
)
def test_a_membership_is_listed_but_counts_no_years(item: str) -> None:
    result = _analyze(
        ("Experience", ["2019 - 2020  Analyst, Nordwind AG", f"2015 - 2017  {item}"]),
    )
    assert len(_work(result)) == 2
    assert result.total_experience_years == pytest.approx(2.0, abs=0.05)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "job",
    [
        "Babysitting, famille Martin",
        "Tutor, Kaoyan.com, part of my studies",
        "Nachhilfelehrer, Schülerhilfe",
        "Segretario, INFN. Collaborazione studentesca",
        "Studentische Aushilfskraft bei Volkswagen",
        "Research assistants in telecommunications, CentraleSupélec",
    ],
)
def test_side_jobs_held_during_a_degree_count_nothing(job: str) -> None:
    result = _analyze(
        ("Education", ["2016 - 2020  Bachelor of Science, Universität Hamburg"]),
        ("Experience", [f"2017 - 2019  {job}"]),
    )
    assert len(_work(result)) == 1
    assert result.total_experience_years == pytest.approx(0.0, abs=0.05)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "item",
    [
        "Fachoberschule im Bereich Wirtschaft, Carl-Hahn-Schule Wolfsburg",
        "Studium zum Wirtschaftsingenieur (Abbruch)",
        "Maturità scientifica, Liceo Cavalieri",
    ],
)
def test_school_and_studies_among_jobs_are_not_positions(item: str) -> None:
    result = _analyze(
        (
            "Berufserfahrung",
            ["08/2020 – 09/2022  Verkäufer, Aldi Süd", f"08/2018 – 07/2020  {item}"],
        ),
    )
    assert [w.get("position") for w in _work(result)] == ["Verkäufer"]


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Berufliche Stationen", "experience"),
        ("Beruflicher Hintergrund", "experience"),
        ("Berufliche Tätlichkeit", "experience"),  # a spell-checker's word for Tätigkeit
        ("Berufliche Weiterbildung", "courses"),
        ("Berufliche Kompetenzen", "skills"),
    ],
)
def test_a_german_career_heading_with_any_noun(heading: str, section: str) -> None:
    hit = match_heading(heading)
    assert hit is not None and hit[0] == section


def test_jobs_under_an_unusual_career_heading_after_a_course_list_are_found() -> None:
    result = _analyze(
        ("Weiterbildung", ["2021 Wirtschaft digital PWC", "2019 Konfliktmanagement MDI"]),
        (
            "Berufliche Stationen",
            [
                "02.2021 – heute Doehler GmbH",
                "Globaler Segmentmanager",
                "03.2002 - 02.2004 Silesia GmbH",
                "Gebietsverkaufsleiter Aromen",
                "09.1995 - 10.1997",
                "Babypause",
                "10.1992 - 08.1995 Givaudan Roure",
                "Verkaufskoordinator",
            ],
        ),
    )
    work = _work(result)
    assert [w["startDate"] for w in work] == ["2021-02", "2002-03", "1992-10"]
    assert work[0]["position"] == "Globaler Segmentmanager"


# ------------------------------------------------------------------------------------------
# Which line of an entry is its title, its employer, its place


def _entry(*lines: str) -> object:
    from resumate.ai.entries import parse_work

    entries = parse_work([TextLine(text=t) for t in lines], single_dates=True)
    assert entries
    return entries[0]


@pytest.mark.parametrize(
    ("lines", "title", "company", "location"),
    [
        (
            ("ALBATROS SERVICES, Arequipa, Perú (Remoto)", "Practicante Fullstack",
             "Dic 2023 – Feb 2024"),
            "Practicante Fullstack", "ALBATROS SERVICES", "Arequipa, Perú",
        ),
        (
            ("Arista Networks  Dublin, Ireland", "Linux kernel engineer", "Sep 2017 – Present"),
            "Linux kernel engineer", "Arista Networks", "Dublin, Ireland",
        ),
        (("01.10.2019 – 31.01.2020", "Datasmart – Osmannoro(FI)"), None, "Datasmart",
         "Osmannoro(FI)"),
        (("2017 - Agosto    Operador Informático", "INEI", "2018 – 2020  Asistente de Sistemas"),
         "Operador Informático", "INEI", None),
        (("Julio 2022 ~ Actualidad", "Desarrollador PHP", "CURZA"), "Desarrollador PHP", "CURZA",
         None),
        (("June 2017 – May 2018", "Position:", "Manager, Department of Finance", "Synopsis:"),
         "Manager", "Department of Finance", None),
        (("Position: Data Analyst, Nordwind AG", "2015 – 2017"), "Data Analyst", "Nordwind AG",
         None),
    ],
)  # fmt: skip
def test_labels_dates_and_places_are_neither_title_nor_employer(
    lines: tuple[str, ...], title: str | None, company: str, location: str | None
) -> None:
    entry = _entry(*lines)
    got = {entry.title, entry.company}  # type: ignore[attr-defined]
    assert company in got
    if title is not None:
        assert entry.title == title  # type: ignore[attr-defined]
    else:
        assert got <= {company, None}
    assert entry.location == location  # type: ignore[attr-defined]


def test_a_position_label_under_each_date_keeps_the_lines_under_it_with_that_date() -> None:
    from resumate.ai.entries import parse_work

    lines = [
        "June 2017 – May 2018",
        "Position:",
        "Lead Data Scientist, Data Science and Intelligence",
        "ITS, Austrade",
        "September 2015 – June 2017",
        "Position:",
        "Data Scientist, Office of the Chief Economist",
        "Austrade",
    ]
    entries = parse_work([TextLine(text=t) for t in lines], single_dates=True)
    assert [(e.dates.start.iso(), e.title) for e in entries if e.dates] == [
        ("2017-06", "Lead Data Scientist"),
        ("2015-09", "Data Scientist"),
    ]


@pytest.mark.parametrize(
    ("first", "second", "start", "end", "company"),
    [
        ("Diciembre 2023 Desarrollador Web Freelance", "~ Actualidad  PatagoniaDev - Viedma RN",
         "2023-12", None, "PatagoniaDev"),
        ("Mar 2019 Data Engineer", "– Jun 2021  Acme Ltd, Berlin", "2019-03", "2021-06",
         "Acme Ltd"),
        ("03/2019 Datenanalystin", "- heute  Nordwind GmbH, Kiel", "2019-03", None,
         "Nordwind GmbH"),
    ],
)  # fmt: skip
def test_a_range_whose_end_opens_the_next_line_before_its_text(
    first: str, second: str, start: str, end: str | None, company: str
) -> None:
    entry = _entry(first, second, "Tareas: desarrollo de sistemas internos.")
    assert entry.dates is not None  # type: ignore[attr-defined]
    assert entry.dates.start.iso() == start  # type: ignore[attr-defined]
    assert (entry.dates.end.iso() if entry.dates.end else None) == end  # type: ignore[attr-defined]
    assert entry.company == company  # type: ignore[attr-defined]
    # A dash that opens a sentence under a dated line is an achievement, not the range's end.
    plain = _entry("Mar 2019 – Jun 2021  Data Engineer", "- built pipelines for the team")
    assert plain.dates.end.iso() == "2021-06"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "is_title"),
    [
        ("Teamleiterin Einkauf", True),
        ("Abteilungsleiter Software", True),
        ("Softwareentwickler", True),
        ("Stahlbauschlosser", True),
        ("Media Markt Dresden", False),
        ("Weiterbildung im Bereich IT", False),
        ("Computer", False),
    ],
)
def test_german_compound_job_nouns_are_job_titles(text: str, is_title: bool) -> None:
    from resumate.ai.entries import _is_title

    assert _is_title(text) is is_title


@pytest.mark.parametrize(
    ("item", "is_job"),
    [
        ("Weiterbildung im Bereich IT, Techstarter GmbH München", False),
        ("Curso de Inglés, Wall Street English S.A.", False),
        ("Course Assistant, Udemy Inc", True),
        ("Kursleiterin, Volkshochschule Bamberg", True),
    ],
)
def test_a_course_taken_at_a_training_company_is_no_position(item: str, is_job: bool) -> None:
    result = _analyze(
        (
            "Berufserfahrung",
            ["01/2019 – 12/2022  Vertriebsleiter, Muster GmbH", f"02/2023 – 07/2023  {item}"],
        ),
    )
    assert len(_work(result)) == (2 if is_job else 1)


def test_the_job_a_degree_leads_to_is_no_job_held() -> None:
    result = _analyze(
        (
            "Berufserfahrung",
            [
                "08/2020 – 09/2022  Verkäufer, Aldi Süd",
                "10/2018 – 07/2020  Studium zum Wirtschaftsingenieur, TU Braunschweig",
            ],
        ),
    )
    assert [w.get("position") for w in _work(result)] == ["Verkäufer"]
