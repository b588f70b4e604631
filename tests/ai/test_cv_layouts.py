"""Layouts of real CVs: scaled fonts, date columns, bulleted date lines, wrapped entry lines.

Each test builds its own PDF (Typst, or a hand-written PDF for the text-matrix case) or DOCX.
"""

from __future__ import annotations

import io
from datetime import date

import docx
import typst
from tests.rawpdf import escape, one_page

from resumate.ai.analyzer import analyze_document
from resumate.ai.documents import extract_text

TODAY = date(2025, 6, 1)


def _pdf(source: str) -> bytes:
    return bytes(typst.compile(source.encode(), format="pdf"))


def _work(data: bytes, kind: str = "pdf") -> list[tuple[str | None, str | None, str]]:
    analysis = analyze_document(data, kind, today=TODAY)
    out = []
    for w in analysis.parsed_content["work"]:
        text = f"{w.get('position', '')} | {w.get('name', '')}"
        out.append((w.get("startDate"), w.get("endDate"), text))
    return out


def _scaled_font_pdf(rows: list[tuple[float, float, float, str]]) -> bytes:
    """A PDF that sets a 1-point font and scales it with the text matrix, as Canva and
    InDesign exports do. rows: (size on the page, x, y, text)."""
    ops = ["BT", "/F1 1 Tf"]
    for size, x, y, text in rows:
        ops.append(f"{size} 0 0 {size} {x} {y} Tm ({escape(text)}) Tj")
    ops.append("ET")
    return one_page("\n".join(ops))


def test_a_one_point_font_scaled_by_the_text_matrix_has_its_real_size() -> None:
    pdf = _scaled_font_pdf(
        [
            (24, 60, 780, "Jane Doe"),
            (10, 60, 750, "jane@example.com"),
            (14, 60, 710, "EXPERIENCE"),
            (10, 60, 690, "Senior Data Analyst, Acme Ltd  Mar 2019 - Present"),
            (10, 60, 676, "Built dashboards used by two hundred people every week in the company."),
        ]
    )
    lines = extract_text(pdf, "pdf").lines
    assert [(ln.text, ln.font_size) for ln in lines[:3]] == [
        ("Jane Doe", 24.0),  # not "Jane  Doe" at 1 pt: letter gaps are measured at 24 pt
        ("jane@example.com", 10.0),
        ("EXPERIENCE", 14.0),
    ]
    analysis = analyze_document(pdf, "pdf", today=TODAY)
    assert analysis.contact.name == "Jane Doe"
    assert [w["startDate"] for w in analysis.parsed_content["work"]] == ["2019-03"]


MODERNCV = """
#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 20pt)[Carla Ruiz Vega] \\
carla\\@example.com | +34 634 511 696
#v(8pt)
#text(size: 13pt)[Experiencia Laboral]
#grid(columns: (2.2cm, 1fr), row-gutter: 8pt,
  [2021 – \\ actualidad], [Acme Robotics, Ingeniera de Software, Granada. \\ Diseño de firmware.],
  [2018 – 2021], [Globex Systems, Ingeniera de Seguridad, Sevilla. \\ Pruebas automáticas.],
  [2017], [Initech Labs, Ingeniera en prácticas, Múnich. \\ Protocolos de red.],
)
#v(8pt)
#text(size: 13pt)[Formación Académica]
#grid(columns: (2.2cm, 1fr), row-gutter: 8pt,
  [2012 – 2017], [Grado en Ingeniería Informática, Universidad de Granada.],
)
"""


def test_date_column_with_the_end_below_and_single_years() -> None:
    # moderncv: "2021 –" above "actualidad" in the date column; a job of one year shows "2017".
    work = _work(_pdf(MODERNCV))
    assert [(s, e) for s, e, _ in work] == [("2021", None), ("2018", "2021"), ("2017", "2017")]
    assert "Acme Robotics" in work[0][2]
    assert "Initech Labs" in work[2][2]


def test_single_years_need_a_column_of_ranges_written_the_same_way() -> None:
    # Month-precise ranges: a line opening with a bare year is not an entry of its own.
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 20pt)[Tom Baker] \\
tom\\@example.com
#text(size: 13pt)[Experience]

Mar 2019 – Jun 2022  Data Engineer, Acme Ltd

2015 award for the best student project of the year, given by the faculty.
"""
    assert [(s, e) for s, e, _ in _work(_pdf(source))] == [("2019-03", "2022-06")]


BULLETED = """
#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 20pt)[Bastien Moreau] \\
bastien\\@example.com
#v(6pt)
#text(size: 13pt, weight: "bold")[EXPERIENCE PROFESSIONNELLE]
- Novembre 2017 - Novembre 2019 : Alternant développeur iOS chez Accengage
- Contributions au SDK iOS natif, depuis mars 2018 - juin 2019 en équipe avec le support
- Avril - Juin 2017 : Stage développeur mobile chez Dièse Telecom
#text(size: 11pt, weight: "bold")[Werkstudent als Bauphysiker, Intrakon GmbH, Recklinghausen]
- März 2021 – August 2023
- Messungen und Gutachten für Neubauten im Ruhrgebiet, mit Berichten an die Bauleitung
"""


def test_bulleted_date_lines_anchor_entries_but_dates_inside_bullets_do_not() -> None:
    work = _work(_pdf(BULLETED))
    assert [(s, e) for s, e, _ in work] == [
        ("2017-11", "2019-11"),
        ("2017-04", "2017-06"),
        ("2021-03", "2023-08"),
    ]
    assert "Accengage" in work[0][2]
    assert "Intrakon GmbH" in work[2][2]


STACKED_WITH_GAP = """
#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 20pt)[Axel Gailloty] \\
axel\\@example.com
#v(6pt)
#text(size: 13pt)[EXPÉRIENCES PROFESSIONNELLES]
#grid(columns: (1.8cm, 1fr), row-gutter: 4pt,
  [Avr 2020], [Développeur R Shiny, stage],
  [], [#h(4pt) | CERDI CNRS (Centre de Recherches et d'Etudes en],
  [Juil 2020], [Développement International)],
  [], [],
  [Avr 2019], [Data Scientist, stage],
  [], [#h(4pt) | SAS LogoSapience, Saint-Jean de Linières],
  [Jun 2019], [Recommandations basées sur le contenu.],
)
"""


def test_stacked_dates_with_a_line_of_the_entry_between_them() -> None:
    work = _work(_pdf(STACKED_WITH_GAP))
    assert [(s, e) for s, e, _ in work] == [("2020-04", "2020-07"), ("2019-04", "2019-06")]
    assert "Shiny" in work[0][2]


WRAPPED_ENTRY_LINES = """
#set page(paper: "a4", margin: 2cm)
#set text(font: "DejaVu Sans", size: 11pt)
#text(size: 24pt)[Ilias Amin] \\
ilias\\@example.com
#v(6pt)
#text(size: 12pt, weight: "bold")[Berufserfahrung]
#v(4pt)
#block(width: 11cm)[#text(size: 12pt, weight: "bold")[Werkstudent im kaufmännischen Bereich, Beck und Partner Handel GmbH, Essen]]
- März 2021 – August 2023
#v(4pt)
#text(size: 12pt, weight: "bold")[Aushilfe im Einzelhandel, real GmbH, Gelsenkirchen]
- Mai 2020 – Januar 2021
#v(4pt)
#text(size: 12pt, weight: "bold")[Ausbildung]
#v(4pt)
#text(size: 12pt, weight: "bold")[Bachelor of Science, Hochschule Bochum]
"""


def test_the_wrapped_end_of_a_bold_entry_line_is_not_a_heading() -> None:
    work = _work(_pdf(WRAPPED_ENTRY_LINES))
    assert [(s, e) for s, e, _ in work] == [("2021-03", "2023-08"), ("2020-05", "2021-01")]
    assert "Essen" in work[0][2] or "Handel GmbH" in work[0][2]


def test_internship_headings_in_several_languages_are_experience() -> None:
    for heading in ("INTERNSHIPS", "Praktika", "Stages", "Prácticas", "实习经历"):
        document = docx.Document()
        document.add_paragraph("Nora Berg")
        document.add_paragraph("nora@example.com")
        document.add_heading(heading, level=1)
        document.add_paragraph("Legal Intern, Law Dexter  Sep 2020 - Oct 2020")
        buf = io.BytesIO()
        document.save(buf)
        analysis = analyze_document(buf.getvalue(), "docx", today=TODAY)
        assert "experience" in analysis.sections, heading
        assert [w["startDate"] for w in analysis.parsed_content["work"]] == ["2020-09"], heading


RIGHT_HAND_DATE_CELLS = """
#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 11pt)
#text(size: 22pt)[Amrita Mohanty] \\
amrita\\@example.com | 7978529941
#v(6pt)
#text(size: 14pt, weight: "bold")[INTERNSHIPS]
#grid(columns: (7cm, 2.5cm), row-gutter: 5pt,
  [Legal Intern,], [Aug 2021-],
  [World Cyber Security Forum], [Present],
  [Human Resource,], [May - Jun],
  [Aashman Foundation], [2021],
)
"""


def test_a_range_broken_over_the_date_cells_of_two_lines() -> None:
    work = _work(_pdf(RIGHT_HAND_DATE_CELLS))
    assert [(s, e) for s, e, _ in work] == [("2021-08", None), ("2021-05", "2021-06")]
    assert "World Cyber Security Forum" in work[0][2]
    assert "Aashman Foundation" in work[1][2]


def test_school_years_listed_among_jobs_are_not_positions_but_a_thesis_at_a_company_is() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 20pt)[Ravi Biswal] \\
ravi\\@example.com
== Experience
Masterarbeit, Pro-micron GmbH #h(1fr) 10/2021 – 03/2022 \\
Class XII, DAV Public School #h(1fr) 2015 – 2017 \\
Data Analyst, Acme Ltd #h(1fr) 04/2022 – 05/2024
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    work = analysis.parsed_content["work"]
    assert [w["startDate"] for w in work] == ["2021-10", "2022-04"]
    assert analysis.total_experience_years == 2.2  # the thesis does not count as a job


def test_chinese_dates() -> None:
    document = docx.Document()
    document.add_paragraph("张恩博")
    document.add_paragraph("akb@example.com")
    document.add_heading("工作经历", level=1)
    document.add_paragraph("华为技术有限公司  研发工程师  2019年9月至今")
    document.add_paragraph("腾讯科技  后端开发  2017年7月 - 2019年8月")
    document.add_heading("经验", level=1)
    document.add_paragraph("Forcast  初级全栈软件工程师  十一月 2024 – 四月 2025")
    buf = io.BytesIO()
    document.save(buf)
    work = _work(buf.getvalue(), "docx")
    assert [(s, e) for s, e, _ in work] == [
        ("2019-09", None),
        ("2017-07", "2019-08"),
        ("2024-11", "2025-04"),
    ]


def test_location_under_an_address_label_and_beside_the_email_in_a_side_column() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 24pt)[Jürgen Buchner]
== Persönliche Daten
Anschrift: Mühlfeldstraße 16 \\
4690 Schwanenstadt
== Berufserfahrung
Entwickler, TGW Logistics #h(1fr) 03/2018 – 07/2020
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.location is not None
    assert "Schwanenstadt" in analysis.contact.location
    sidebar = """#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 10pt)
#grid(columns: (2fr, 1fr), gutter: 1cm,
[#text(size: 13pt)[Über mich]
#lorem(60)
#text(size: 13pt)[Jetzige Arbeit]
Selbstständiger Grafikdesigner seit 08.2013. #lorem(30)],
[Torstraße 100, 10119 Berlin \\
+49 157 30303827 \\
hello\\@example.com \\
#lorem(20)])
"""
    analysis = analyze_document(_pdf(sidebar), "pdf", today=TODAY)
    assert analysis.contact.location is not None
    assert "Berlin" in analysis.contact.location


def test_a_skills_line_under_each_job_does_not_end_the_experience_section() -> None:
    source = """#set text(font: "DejaVu Sans", size: 11pt)
#text(size: 26pt)[Stefan Haas] \\
stefan\\@example.com

#text(size: 20pt)[Berufserfahrung]

*Software Entwickler – Hermes Software GmbH* \\
2020, Jul-Okt. Fiskalsoftware für Kassensysteme im europäischen Raum entwickelt.

#h(2em) Schlagworte: C\\#, Kubernetes, SQL

*Praktikum – Greiner Bio-One GmbH* \\
2018, Jul-Aug. Umstieg aller Rechner des Hauptsitzes auf Windows 10 begleitet.

#h(2em) Schlagworte: Windows, PowerShell
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    work = analysis.parsed_content["work"]
    assert [(w["startDate"], w["endDate"]) for w in work] == [
        ("2020-07", "2020-10"),
        ("2018-07", "2018-08"),
    ]
    names = {s.name for s in analysis.skills}
    assert {"Kubernetes", "PowerShell"} <= names


LABEL_COLUMN = """
#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 22pt)[Pablo Manuel López Ruiz] \\
pablo\\@example.com
#v(10pt)
#grid(columns: (4cm, 1fr), column-gutter: 1cm, row-gutter: 14pt,
  text(size: 12pt)[Educación],
  [Graduado en Biología \\ Universidad de Murcia, 2020-24 \\ Trabajo de fin de grado sobre
   taxonomía bayesiana y aprendizaje automático. \\ Tutores: Diego Rivera y José Palazón.],
  text(size: 12pt)[Experiencia laboral],
  [CEBAS-CSIC \\ Prácticas en laboratorio: qPCR y cultivos \\ Feb2024 - Abr2024 \\
   I2SysBio \\ Beca de colaboración con el grupo de bioinformática \\ Dic2024 - Jul2025 \\
   Universidad de Murcia \\ Alumno interno en ecología \\ 2022 - 2024],
  text(size: 12pt)[Idiomas],
  [Inglés: nivel intermedio \\ Chino: nivel básico HSK1],
)
"""


def test_headings_in_a_label_column_head_the_content_beside_them() -> None:
    analysis = analyze_document(_pdf(LABEL_COLUMN), "pdf", today=TODAY)
    assert analysis.sections[:2] == ["experience", "education"] or {
        "experience",
        "education",
    } <= set(analysis.sections)
    work = analysis.parsed_content["work"]
    starts = [w["startDate"] for w in work]
    assert "2024-02" in starts and "2024-12" in starts  # "Feb2024": OCR and tight kerning
    assert not any("Biología" in str(w) for w in work)  # the degree stays in education


def test_an_entry_line_ending_with_a_dash_and_one_date() -> None:
    source = """#set text(font: "DejaVu Sans", size: 9pt)
#text(size: 20pt, weight: "bold")[Ramzi Bani Saad] \\
ramzi\\@example.com

#text(size: 12pt)[PRAKTIKA]

ELEKTRONIKER, MICHAEL KORN, 25548 KELLINGHUSEN – 09.2021
- Steckdosen-Einbau und Kabel-Verwaltung.

ELEKTRONIKER, STADTWERKE NEUMÜNSTER, 24534 NEUMÜNSTER – 05.2023
- Glasfasern spleißen, installieren und verfolgen – 2023

#text(size: 12pt)[BILDUNG]

Wilhelm Käber Schule in Hohenlockstedt, 2018 - 2023
"""
    work = _work(_pdf(source))
    assert [(s, e) for s, e, _ in work] == [("2021-09", "2021-09"), ("2023-05", "2023-05")]


def test_a_range_left_open_at_the_end_of_the_line_runs_to_today() -> None:
    # awesome-cv: "Oct. 2014 –" with nothing after the dash; French "Fév." abbreviations.
    source = """#set text(font: "DejaVu Sans", size: 9pt)
#text(size: 20pt)[Mathieu Gaborit] \\
mathieu\\@example.com

#text(size: 13pt)[Expérience Professionnelle]

*Auto-entrepreneur* #h(1fr) Le Mans, France \\
CONSULTANT #h(1fr) Oct. 2014 –
- Architecture et traitement de données.

*Makershop* #h(1fr) Le Mans, France \\
PRESTATAIRE TECHNIQUE POUR L'IMPRESSION 3D #h(1fr) Oct. 2014 – Fév. 2016
- Test et réparation de machines.
"""
    work = _work(_pdf(source))
    assert [(s, e) for s, e, _ in work] == [("2014-10", None), ("2014-10", "2016-02")]


BOLD_ITEMS_AND_TITLES = """
#set page(paper: "a4", margin: 1.5cm)
#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 22pt)[Jana Wünsch] \\
jana\\@example.com

#text(size: 14pt, weight: "bold")[Skills]

#text(size: 11pt, weight: "bold")[Fachliche Kompetenzen]

#text(size: 11pt, weight: "bold")[Projektmanagement]

#text(size: 11pt, weight: "bold")[Jira]

#text(size: 11pt, weight: "bold")[Power BI]

#text(size: 14pt, weight: "bold")[Berufserfahrung]

#text(size: 11pt, weight: "bold")[Weiterbildung zur KI-Managerin (IHK)]

10/2022 – 06/2025 \\
Stellvertretende kaufmännische Leitung, Muster GmbH, Redwitz

#text(size: 11pt, weight: "bold")[Realisierung von Planerlösen]

07/2020 – 10/2022 \\
Kaufmännische Angestellte, JCL Logistics, Redwitz

#text(size: 14pt, weight: "bold")[Auszeichnungen]

#text(size: 14pt, weight: "bold")[Stipendien]

09/2021 – 03/2022 \\
Deutschlandstipendium der Hochschule
"""


def test_bold_list_items_and_entry_titles_in_heading_type_are_not_sections() -> None:
    analysis = analyze_document(_pdf(BOLD_ITEMS_AND_TITLES), "pdf", today=TODAY)
    work = analysis.parsed_content["work"]
    assert [(w["startDate"], w["endDate"]) for w in work] == [
        ("2022-10", "2025-06"),
        ("2020-07", "2022-10"),
    ]
    assert "Jira" in {s.name for s in analysis.skills}
