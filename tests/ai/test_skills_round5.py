"""Skills round five (issue 10): CVs that state their skills as the duties of their jobs, items
of a vertical list, and list items whose words are glued together.

Each case is text written here in the shape found on real CVs; none is copied from one.
"""

from __future__ import annotations

from resumate.ai.skills import extract_skills


def _skills(sections: dict[str, str]) -> dict[str, object]:
    text = "\n".join(sections.values())
    return {m.name: m for m in extract_skills(text, sections=sections)}


# --- Fields of work on a CV without a skills list ----------------------------------------------

_SALES_DE = (
    "01/2019 - 12/2022 Vertriebsmitarbeiter, Muster Handels GmbH\n"
    "• Verkauf an Privatkunden und Kundenberatung im Markt\n"
    "• Akquise von Neukunden\n"
    "• Verhandeln von Vertragskonditionen\n"
    "• Kassieren und Warenpflege\n"
    "03/2016 - 12/2018 Verkäufer, Beispiel Markt KG\n"
    "• Warenannahme und Warenpräsentation"
)
_SALES_ES = (
    "2017 - 2021 Dependiente, Tiendas Sol\n"
    "- Servicio al cliente en tienda\n"
    "- Captación de clientes en ferias\n"
    "- Elaboración de presupuestos para clientes\n"
    "2015 - 2017 Cajero, Mercado Luna\n"
    "- Reposición y orden del almacén"
)


def test_a_cv_without_a_skills_list_states_its_trade_in_its_duties() -> None:
    found = _skills({"experience": _SALES_DE})
    assert {"Customer service", "Business development", "Negotiation"} <= found.keys()
    assert {"Customer service", "Business development", "Budgeting"} <= _skills(
        {"experience": _SALES_ES}
    ).keys()


def test_an_industry_stays_out_even_then() -> None:
    # "Verkauf" and "Einzelhandel" name the trade's field; the issue allows no industry.
    found = _skills({"experience": _SALES_DE + "\n• Einzelhandel, Versicherungen"})
    assert not {"Sales", "Retail", "Insurance"} & found.keys()


def test_a_single_sentence_is_not_enough_of_a_cv_to_judge() -> None:
    found = _skills({"experience": "Im Rahmen der Kundenberatung habe ich Berichte erstellt."})
    assert "Customer service" not in found


def test_the_duty_skill_keeps_its_evidence() -> None:
    sales = _skills({"experience": _SALES_DE})["Customer service"]
    assert "Kundenberatung" in sales.snippet  # type: ignore[attr-defined]
    assert sales.evidence == "experience"  # type: ignore[attr-defined]


def test_a_cv_that_lists_its_skills_keeps_broad_words_in_prose_out() -> None:
    listed = "Python, SQL, Docker, Kubernetes, Terraform, Git"
    found = _skills({"skills": listed, "experience": _SALES_DE})
    assert "Python" in found
    assert not {"Sales", "Customer service"} & found.keys()


def test_a_developers_cv_without_a_list_does_not_read_its_clients_trade() -> None:
    prose = (
        "2019 - 2023 Desarrollador, Hospital Digital\n"
        "- Backend en Python y Django con PostgreSQL\n"
        "- Docker y React para la facturación de los hospitales\n"
        "- Servicio al cliente interno con APIs REST en Java\n"
        "2017 - 2019 Programador, Ejemplo SL\n"
        "- Mantenimiento de aplicaciones"
    )
    found = _skills({"experience": prose})
    assert {"Python", "Django", "PostgreSQL"} <= found.keys()
    assert not {"Billing", "Customer service"} & found.keys()


def test_a_field_that_opens_a_job_title_is_the_title() -> None:
    found = _skills({"experience": "2020 - 2022 Controlling Manager, Muster AG\n" + _SALES_DE})
    assert "Management accounting" not in found
    found = _skills({"experience": _SALES_DE + "\n• Controlling und Reporting"})
    assert "Management accounting" in found


def test_a_field_named_only_on_a_degree_line_is_not_read_as_a_duty() -> None:
    found = _skills({"education": "2015 Bachelor in Vertrieb und Marketing, FH Musterstadt"})
    assert not {"Sales", "Marketing"} & found.keys()


# --- A vertical list outside a skills section ---------------------------------------------------


def test_an_ambiguous_item_takes_its_context_from_the_list_around_it() -> None:
    found = _skills({"experience": "Erste Kenntnisse in\n-Word\n-PowerPoint\n-Excel"})
    assert "Microsoft Word" in found
    assert found["Microsoft Word"].snippet == "Word"  # type: ignore[attr-defined]


def test_a_word_on_a_line_of_prose_is_still_a_word() -> None:
    found = _skills({"experience": "Erste Kenntnisse in\nWord\nwhich I then explained at length"})
    assert "Microsoft Word" not in found


# --- Glued list items ---------------------------------------------------------------------------


def test_a_glued_item_of_a_skills_list_is_the_skill() -> None:
    found = _skills({"skills": "Tiaportal\nVisualstudio\nEplan"})
    assert {"TIA Portal", "Visual Studio"} <= found.keys()
    tia = found["TIA Portal"]
    assert tia.snippet == "Tiaportal"  # type: ignore[attr-defined]
    assert tia.source == "skills section"  # type: ignore[attr-defined]
    assert "Tiaportal" not in found  # not also kept as an unknown item


def test_a_glued_word_in_prose_is_left_alone() -> None:
    assert "TIA Portal" not in _skills({"experience": "Programmed with tiaportal at work"})


def test_a_short_glued_word_is_not_respelt() -> None:
    # "Scrum", "GitLab" are fine as they are; a five-letter glued word is too short to trust.
    found = _skills({"skills": "Nodes\nPython\nSQL"})
    assert not {"Node.js"} & found.keys()


# --- A column of skills under a heading the splitter missed -------------------------------------


def test_a_column_of_known_skills_is_a_list_wherever_it_stands() -> None:
    column = "Auszeichnungen\nEmpathie\nTeamfähigkeit\nKommunikationsfähigkeit\nToleranz"
    found = _skills({"awards": column})
    assert {"Communication", "Tolerance", "Teamwork"} <= found.keys()
    assert found["Communication"].snippet == "Kommunikationsfähigkeit"  # type: ignore[attr-defined]


def test_two_lines_are_no_column() -> None:
    found = _skills({"awards": "Preis der Stadt\nKommunikationsfähigkeit\nToleranz\nim Jahr 2019"})
    assert "Communication" not in found


# --- Words a text layer ran together --------------------------------------------------------------


def test_words_run_together_at_a_capital_are_read_apart() -> None:
    found = _skills(
        {"skills": "IntelliJ IDEA, Visual StudioAgile software\nmethodologiesCommunication"}
    )
    assert {"Visual Studio", "Agile", "Communication"} <= found.keys()


def test_names_written_in_capitals_inside_stay_whole() -> None:
    found = _skills(
        {"experience": "Parsed the answer with ObjectMapper and JsonNode in JavaScript"}
    )
    assert "JavaScript" in found
    assert "Node.js" not in found


# --- Informatica the tool, informática the field -------------------------------------------------


def test_the_field_of_computing_is_not_the_etl_tool() -> None:
    found = _skills({"skills": "Informatica: HTML, CSS, PHP, Python\nInformática\nGit, Docker"})
    assert "Informatica" not in found
    assert "Informatica" in _skills({"skills": "ETL: Informatica, Talend, SSIS"})


# --- A trade the duties come back to --------------------------------------------------------------


def test_a_trade_read_twice_on_a_cv_without_a_list_is_its_skill() -> None:
    found = _skills({"experience": _SALES_DE + "\n• Verkauf von Zubehör an Geschäftskunden"})
    assert "Sales" in found


def test_a_trade_read_once_is_the_setting() -> None:
    once = _SALES_DE.replace("Verkauf an Privatkunden und ", "")
    assert "Sales" not in _skills({"experience": once + "\n• Verkauf von Zubehör"})
    assert "Sales" in _skills({"experience": once + "\n• Verkauf von Zubehör\n• Verkauf vor Ort"})


# --- Names written in capitals ---------------------------------------------------------------------


def test_tool_names_written_in_capitals_are_the_tools() -> None:
    found = _skills({"skills": "Je maîtrise les logiciels WORD, EXCEL, POWERPOINT"})
    assert {"Microsoft Word", "Microsoft Excel", "Microsoft PowerPoint"} <= found.keys()


def test_a_short_name_in_capitals_is_still_an_acronym() -> None:
    # "GO" is no Go: a name of fewer than four letters in capitals stays as written.
    assert "Go" not in _skills({"skills": "GO, NO GO, Python, SQL"})


# --- Context words in the CV's language ----------------------------------------------------------


def test_a_one_letter_language_takes_its_context_in_any_language() -> None:
    assert "C" in _skills({"experience": "Programación en C de microcontroladores ARM."})
    assert "C" in _skills({"experience": "Linguagem C\nA linguagem C foi meu primeiro contato."})
    assert "R" in _skills({"experience": "Linguagem R para análise"})
    assert "Ionic" in _skills({"experience": "Aplicativo com o framework Ionic e Angular"})


def test_a_letter_without_context_is_still_a_letter() -> None:
    assert "C" not in _skills({"experience": "Categoría C del concurso regional."})


# --- Common skills in more languages ---------------------------------------------------------------


def test_common_skills_are_read_in_the_cvs_language_in_a_list() -> None:
    found = _skills(
        {"skills": "- Prototipação\n- Teste de usabilidade\n- Konfliktmanagement\n- Figma"}
    )
    assert {"Prototyping", "Usability testing", "Conflict resolution", "Figma"} <= found.keys()
    found = _skills({"skills": "Pensamiento crítico, escucha activa, Python, SQL"})
    assert {"Critical thinking", "Active listening"} <= found.keys()


def test_soft_skills_in_another_language_stay_list_words() -> None:
    prose = "Dank aktives Zuhören und Einfühlungsvermögen habe ich Kunden gewonnen."
    assert not {"Active listening", "Empathy"} & _skills({"summary": prose}).keys()


def test_a_name_with_its_own_capitals_is_not_read_in_capitals() -> None:
    # SAFE is the structural-analysis program, not SAFe (the Scaled Agile Framework).
    found = _skills({"skills": "ETABS, SAFE, RISA-3D, Revit, AutoCAD"})
    assert "SAFe" not in found
    assert {"Revit", "AutoCAD"} <= found.keys()


# --- Quality and organisation words in another language ----------------------------------------


def test_quality_and_organisation_words_in_prose_are_the_work_around_the_job() -> None:
    listed = "Python, SQL, Docker, Git, Kubernetes"
    prose = (
        "Systematische Datenerhebung und Qualitätssicherung im Rahmen eines Projekts.\n"
        "Mejora de la trazabilidad y organización de los datos."
    )
    found = _skills({"skills": listed, "experience": prose})
    assert not {"Quality assurance", "Organizational skills"} & found.keys()
    found = _skills({"skills": listed + "\nQualitätssicherung, Prozessoptimierung, Lean"})
    assert "Quality assurance" in found
