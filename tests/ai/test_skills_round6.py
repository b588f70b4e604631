"""Skills round six (issue 10): common skills of many trades in the taxonomy, in the languages
CVs are written in, and the ways CVs word a skill that the taxonomy names otherwise.

Each case is text written here in the shape found on real CVs; none is copied from one.
"""

from __future__ import annotations

from resumate.ai.skills import canonical_skill, extract_skills


def _skills(sections: dict[str, str]) -> dict[str, object]:
    text = "\n".join(sections.values())
    return {m.name: m for m in extract_skills(text, sections=sections)}


# --- The taxonomy: common skills of trades other than software -----------------------------


def test_a_nurses_list_in_german_names_the_nursing_skills() -> None:
    found = _skills({"skills": "Blutzuckermessung, Verbandswechsel, Injektionen, Bluttransfusion"})
    assert {"Diabetes management", "Wound care", "Injections", "Blood transfusion"} <= found.keys()


def test_an_accountants_list_in_three_languages() -> None:
    de = _skills({"skills": "Jahresabschlüsse, Anlagenbuchhaltung, Zahlungsverkehr, Lexware"})
    assert {"Financial reporting", "Fixed assets", "Payment handling", "Lexware"} <= de.keys()
    es = _skills({"skills": "Conciliaciones bancarias, asientos contables, cierre contable"})
    assert {"Reconciliation", "General ledger", "Month-end close"} <= es.keys()
    fr = _skills({"skills": "Déclarations de TVA, grand livre, états financiers"})
    assert {"VAT", "General ledger", "Financial reporting"} <= fr.keys()


def test_a_researchers_methods_and_tools() -> None:
    found = _skills(
        {"skills": "R (ggplot2, dplyr, lme4), Mixed models, Thematic analysis, QGIS, Overleaf"}
    )
    assert {"ggplot2", "dplyr", "lme4", "Mixed models", "Thematic analysis", "Overleaf"} <= (
        found.keys()
    )


def test_an_engineers_tools() -> None:
    found = _skills({"skills": "EPLAN, TwinCAT, Profinet, Modbus, Tekla Structures, ETABS, RFEM"})
    assert {"EPLAN", "TwinCAT", "Profinet", "Modbus", "Tekla Structures", "ETABS", "RFEM"} <= (
        found.keys()
    )


def test_a_tradespersons_list_in_other_languages() -> None:
    assert {"Soldering", "Machining", "Mechanical repair"} <= _skills(
        {"skills": "Löten, Drehen und Fräsen, Wartung und Instandhaltung"}
    ).keys()
    assert {"Machining", "CNC machining"} <= _skills(
        {"skills": "Tournage, fraisage, programmation CNC"}
    ).keys()


def test_languages_by_their_own_names() -> None:
    for name, want in [
        ("Polski", "Polish"),
        ("Magyar", "Hungarian"),
        ("Čeština", "Czech"),
        ("Русский", "Russian"),
        ("Schweizerdeutsch", "German"),
        ("Lëtzebuergesch", "Luxembourgish"),
        ("Latein", "Latin"),
    ]:
        assert canonical_skill(name) == want, name
    found = _skills({"languages": "Polski (C1)\nMagyar – B2\nLatein: Grundkenntnisse"})
    assert {"Polish", "Hungarian", "Latin"} <= found.keys()


def test_broad_words_of_the_new_names_stay_list_words() -> None:
    # "pedagogy", "responsibility", "Wartung" are skills in a list, not in a sentence.
    prose = (
        "Completed training workshops in pedagogy and science communication.\n"
        "Took responsibility for the Wartung of the lab's equipment."
    )
    found = _skills({"experience": prose})
    assert not {"Pedagogy", "Accountability", "Mechanical repair"} & found.keys()
    listed = _skills({"skills": "Pedagogy, Responsibility, Wartung"})
    assert {"Pedagogy", "Accountability", "Mechanical repair"} <= listed.keys()


def test_responsibility_for_something_is_a_duty_not_the_quality() -> None:
    found = _skills({"skills": "Responsibility for the budget of the unit, Excel"})
    assert "Accountability" not in found


def test_an_ambiguous_tool_name_needs_its_company() -> None:
    # "Stan" and "Leaflet" are tools next to their kind; a person and a flyer are not.
    assert "Stan" in _skills({"skills": "Bayesian modelling with Stan and JAGS in R"})
    assert "Stan" not in _skills({"experience": "Worked with Stan on the annual report."})
    assert "Leaflet" in _skills({"skills": "JavaScript, Leaflet, OpenLayers, QGIS"})
    assert "Leaflet" not in _skills({"experience": "Designed a leaflet for the open day."})


# --- Coordinated names: words two skills share ----------------------------------------------


def test_shared_words_after_the_conjunction_name_both_skills() -> None:
    found = _skills({"experience": "Wrote unit and integration testing suites with Jest."})
    assert {"Unit testing", "Integration testing"} <= found.keys()
    found = _skills({"experience": "Análisis y visualización de datos con Python"})
    assert {"Data analysis", "Data visualization"} <= found.keys()
    found = _skills({"skills": "Supervised and unsupervised learning, clustering"})
    assert {"Supervised learning", "Unsupervised learning"} <= found.keys()


def test_shared_words_before_the_conjunction_name_both_skills() -> None:
    found = _skills({"experience": "Led data collection and analysis for a field study."})
    assert {"Data collection", "Data analysis"} <= found.keys()
    found = _skills({"skills": "Google Docs/Sheets/Slides"})
    assert {"Google Docs", "Google Sheets", "Google Slides"} <= found.keys()


def test_a_coordinated_skill_keeps_the_phrase_as_its_evidence() -> None:
    unit = _skills({"experience": "Wrote unit and integration testing suites with Jest."})
    assert "unit and integration testing" in unit["Unit testing"].snippet  # type: ignore[attr-defined]


def test_a_word_of_another_name_lends_nothing() -> None:
    # "care" belongs to "wound care": "care ... management" is not care management.
    found = _skills({"skills": "Wound care, medication management, triage"})
    assert "Case management" not in found
    # Coordinated words that make no name add nothing.
    found = _skills({"experience": "Python and machine learning for pricing"})
    assert set(found) == {"Python", "Machine learning"}


def test_a_list_separator_ends_a_name() -> None:
    # "ASP.Net, MVC" lists two skills; it is not the one name "ASP.NET MVC".
    found = _skills({"skills": "C#, ASP.Net, MVC, SQL"})
    assert {"ASP.NET", "MVC"} <= found.keys()


# --- Lines in Chinese or Japanese: tool names in small letters, context in the CV's script --


def test_tool_names_in_small_letters_on_a_chinese_line() -> None:
    found = _skills({"projects": "使用jsp、css、js构建前台,spring框架构建后台"})
    assert {"JSP", "CSS", "JavaScript", "Spring"} <= found.keys()
    found = _skills({"skills": "了解kafka、spark、clickhouse等大数据组件"})
    assert {"Apache Kafka", "Apache Spark", "ClickHouse"} <= found.keys()


def test_small_letters_stay_words_in_english_prose() -> None:
    # "spring" and "js" in an English sentence are a season and a file suffix, as before.
    found = _skills({"experience": "In spring we moved the js files to a new folder."})
    assert not {"Spring", "JavaScript"} & found.keys()


def test_a_lambda_expression_is_not_aws_lambda() -> None:
    found = _skills({"skills": "熟悉C++11常用特性,如lambda表达式、智能指针等"})
    assert "C++" in found and "AWS Lambda" not in found


def test_context_words_in_chinese_let_an_ambiguous_name_count() -> None:
    # "Spring" needs a framework word beside it; "框架" is that word in Chinese.
    assert "Spring" in _skills({"projects": "后台使用Spring框架"})
    assert "Spring" not in _skills({"projects": "2019年Spring学期"})


# --- Education lines that are courses, not degrees -------------------------------------------


def test_a_masterclass_is_a_course_not_a_masters_degree() -> None:
    found = _skills({"education": "Python for Machine Learning Masterclass (online course)"})
    assert "Machine learning" in found
    found = _skills({"education": "Master of Science in Machine Learning, TU Example"})
    assert "Machine learning" not in found


def test_a_coordinated_list_reads_past_an_item_that_makes_no_name() -> None:
    found = _skills({"skills": "Google Forms / Apresentações / Planilhas / Documentos"})
    assert {"Google Slides", "Google Sheets", "Google Docs"} <= found.keys()
    # A skill of its own between them ends the shared words: "Sheets" after Figma is no
    # Google product.
    found = _skills({"skills": "Google Docs, Figma, Sheets"})
    assert "Google Sheets" not in found


# --- Lists whose label names what their items qualify ----------------------------------------


def test_a_label_lends_its_word_to_the_qualifiers_it_lists() -> None:
    found = _skills({"skills": "Testing: unit, integration, performance"})
    assert {"Unit testing", "Integration testing", "Performance testing"} <= found.keys()
    found = _skills({"skills": "Machine learning: supervised, unsupervised, reinforcement"})
    assert {"Supervised learning", "Unsupervised learning", "Reinforcement learning"} <= (
        found.keys()
    )
    found = _skills({"skills": "Databases (relational, graph)"})
    assert {"Relational databases", "Graph databases"} <= found.keys()
    found = _skills({"skills": "Marketing: digital, content, email"})
    assert {"Digital marketing", "Content marketing", "Email marketing"} <= found.keys()


def test_a_qualified_item_is_not_also_kept_in_its_own_words() -> None:
    found = _skills({"skills": "Design: UI, UX, graphic"})
    assert "Graphic design" in found and "graphic" not in found


def test_a_label_over_known_items_adds_nothing() -> None:
    found = _skills({"skills": "Languages: English, German\nTools: Git, Docker, Jira"})
    assert set(found) == {"English", "German", "Git", "Docker", "Jira"}


# --- Names with a version, a model or a plural s glued on ------------------------------------


def test_a_version_or_model_glued_to_a_name() -> None:
    found = _skills({"skills": "Java8, Angular2+, Vue3, PHP7, STM32F4"})
    assert {"Java", "Angular", "Vue.js", "PHP", "STM32"} <= found.keys()
    # Names that end in a number are names of their own.
    found = _skills({"skills": "Web3, HTML5, Amazon S3"})
    assert {"HTML", "Amazon S3"} <= found.keys() and "Web development" not in found


def test_an_acronym_with_a_plural_s() -> None:
    found = _skills({"experience": "Ran UATs with the business and trained RNNs on sensor data."})
    assert {"User acceptance testing", "Neural networks"} <= found.keys()


def test_a_certificates_acronym_in_prose_stays_out_in_the_plural_too() -> None:
    found = _skills({"experience": "Integrated MCPs into the assistant for richer tool calls."})
    assert not any(m.category == "Certifications" for m in found.values())  # type: ignore[attr-defined]


# --- Skills lists in more languages ---------------------------------------------------------


def test_soft_skills_listed_in_polish_turkish_and_catalan() -> None:
    pl = _skills({"skills": "Komunikatywność, Praca w grupie, Odporność na stres"})
    assert {"Communication", "Teamwork", "Working under pressure"} <= pl.keys()
    tr = _skills({"skills": "Liderlik, Takım Çalışması, Problem Çözme"})
    assert {"Leadership", "Teamwork", "Problem solving"} <= tr.keys()
    ca = _skills({"skills": "Treball en equip, Lideratge, Comunicació"})
    assert {"Teamwork", "Leadership", "Communication"} <= ca.keys()


def test_it_skills_in_portuguese_and_spanish() -> None:
    found = _skills(
        {"skills": "Desenvolvimento Front-End, Gerenciamento de Redes, Manutenção de Micros"}
    )
    assert {"Frontend development", "Networking", "Computer maintenance"} <= found.keys()
    assert "Reservations" not in found  # "Micros" here is a PC, not the hotel till
    found = _skills({"skills": "Diseño de logotipos, Diseño web, Desarrollo de videojuegos"})
    assert {"Branding", "Web design", "Game development"} <= found.keys()


def test_chinese_names_of_common_skills() -> None:
    found = _skills({"skills": "熟练使用数据透视表、财务分析、风险管理"})
    assert {"Pivot tables", "Financial analysis", "Risk management"} <= found.keys()


def test_tools_of_java_and_cpp_projects() -> None:
    found = _skills({"skills": "JBoss, WildFly, WebLogic, JSF, PrimeFaces, Ant, CVS, Mantis"})
    assert {
        "JBoss", "WildFly", "WebLogic", "JavaServer Faces", "PrimeFaces", "Apache Ant", "CVS",
        "Mantis",
    } <= found.keys()  # fmt: skip
    found = _skills({"skills": "Qt C++ Widget & QML, GoogleTest, Boost, Catch2"})
    assert {"Qt", "QML", "GoogleTest", "Boost", "Catch2"} <= found.keys()
    # The same words in prose mean other things.
    found = _skills({"experience": "Picked up prescriptions at CVS and watched an ant colony."})
    assert not {"CVS", "Apache Ant"} & found.keys()


def test_level_words_in_more_languages_are_not_items() -> None:
    found = _skills({"skills": "Unity | Sprawny, Blender | Temel, C# | Zaawansowany"})
    assert {"Unity", "Blender", "C#"} <= found.keys()
    assert not {"Sprawny", "Zaawansowany", "Temel"} & found.keys()


def test_level_words_with_accents_are_not_items() -> None:
    # Items are compared folded: "débutant", "básico" must be folded the same way.
    found = _skills({"skills": "Python, Docker, Aseprite débutant, Tiled básico"})
    assert "Aseprite" in found and "Tiled" in found
    assert not any("débutant" in n or "básico" in n for n in found)


def test_an_acronym_that_is_also_a_school_track_needs_its_context() -> None:
    assert "App Store Optimization" not in _skills({"other": "2009-2013 ASO Economie Wiskunde"})
    assert "App Store Optimization" in _skills({"skills": "ASO, SEO, Google Play Console"})


def test_degree_and_course_lines_in_dutch_and_chinese() -> None:
    found = _skills({"education": "2012 - 2016: HBO-opleiding Game Art op de HKU."})
    assert not found
    found = _skills({"education": "核心课程: 金融统计、机器学习、金融工程"})
    assert "Machine learning" not in found


def test_a_single_word_in_small_letters_is_a_word_of_the_sentence_not_an_item() -> None:
    # "context", "commandes" are words; a taxonomy name in small letters ("pandas") is a skill.
    found = _skills({"skills": "Python, pandas, Docker, Kubernetes, context, assistance"})
    assert {"Python", "pandas", "Docker", "Kubernetes"} <= found.keys()
    assert not {"context", "assistance"} & found.keys()


def test_an_ambiguous_name_in_a_column_of_skills_is_the_tool() -> None:
    # "Word" alone on its line between other tools, under a heading the splitter missed.
    found = _skills({"other": "Excel avançado\nInformática\nPower point\nCanva\nWord\n"})
    assert {"Microsoft PowerPoint", "Canva", "Microsoft Word"} <= found.keys()
    # Not when the lines around it are no column of skills.
    found = _skills({"other": "Chapter one\nWord\nThe story begins"})
    assert "Microsoft Word" not in found


def test_more_names_in_other_languages() -> None:
    found = _skills({"skills": "Dermatologie, Wundversorgung, Videoschnitt, offene Innovation"})
    assert {"Dermatology", "Wound care", "Video editing", "Innovation management"} <= (found.keys())
    assert "Atom" in _skills({"skills": "Text editors: Vim, Atom, Sublime Text"})
    assert "Atom" not in _skills({"experience": "Modelled every Atom of the molecule."})


# --- Phrases that state knowledge: "Kenntnisse in X", "experience with X", "X-Kenntnisse" ----


def test_a_name_after_a_phrase_that_states_knowledge_is_a_skill() -> None:
    assert {"C", "Python"} <= _skills({"experience": "Kenntnisse in C und Python"}).keys()
    found = _skills({"experience": "Sie besitzen Programmiererfahrung in C, Arduino und MATLAB"})
    assert {"C", "Arduino", "MATLAB"} <= found.keys()
    assert "Microsoft Word" in _skills({"experience": "Buenos conocimientos de Word"})
    assert "Go" in _skills({"experience": "Experience with Go and Kubernetes"})
    assert "Windows" in _skills({"experience": "Sehr gute Windows-Kenntnisse"})


def test_a_phrase_that_states_knowledge_does_not_reach_past_other_words() -> None:
    # "large" stands between: "Go" here is not named as a skill by the phrase.
    assert "Go" not in _skills({"experience": "Experience in large projects we go through"})


def test_german_plural_of_content_management_system() -> None:
    found = _skills({"experience": "Praktische Erfahrung mit HTML und Content Management Systemen"})
    assert {"HTML", "Content management systems"} <= found.keys()


# --- Words that name something else in prose, letters of a vertical heading -----------------


def test_a_delegation_and_programmatic_support_are_not_skills_in_prose() -> None:
    prose = "Member of the official delegation; provided programmatic support to the ministry."
    found = _skills({"experience": prose})
    assert not {"Delegation", "Performance marketing"} & found.keys()
    listed = _skills({"skills": "Delegation, coaching, programmatic advertising"})
    assert {"Delegation", "Performance marketing"} <= listed.keys()


def test_a_letter_of_a_vertical_heading_is_not_the_language_r() -> None:
    sidebar = "E Rust\nM\nT\nS\nY Python\nE Arduino\nR\nA\nW"
    found = _skills({"skills": sidebar})
    assert {"Rust", "Python", "Arduino"} <= found.keys() and "R" not in found
    assert "R" in _skills({"skills": "Python\nR\nSQL"})


def test_a_name_inside_a_german_organisation_name_is_not_a_skill() -> None:
    found = _skills({"experience": "2017 Praktikum, Montessori Kinderhaus Kriftel"})
    assert "Early childhood education" not in found
    assert "Early childhood education" in _skills({"skills": "Montessori, Erste Hilfe"})


def test_an_industry_word_in_prose_is_no_engineering_skill() -> None:
    found = _skills({"experience": "Berater für agile Teams in der Automotive- und Industrie-IT"})
    assert "Automotive engineering" not in found
    assert "Automotive engineering" in _skills({"skills": "Automotive, CAN bus, AUTOSAR"})


def test_an_enumeration_in_a_chinese_sentence_lists_skills() -> None:
    found = _skills({"summary": "具备良好的沟通表达、团队协作和抗压能力"})
    assert {"Communication", "Teamwork"} <= found.keys()
    # A broad word in a Chinese sentence without an enumeration stays prose.
    assert "Teamwork" not in _skills({"summary": "我们的团队协作很好"})
