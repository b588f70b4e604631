"""Skill reading on the shapes real CVs have (issue 10): other languages, list items the
taxonomy does not know, and words that only look like skills.

Each case is text written here, in the shape found on real CVs; none is copied from one.
"""

from __future__ import annotations

from resumate.ai.analyzer import analyze_text
from resumate.ai.documents import ExtractedText
from resumate.ai.skills import UNLISTED_CATEGORY, extract_skills


def _skills(text: str, section: str = "experience") -> dict[str, object]:
    return {m.name: m for m in extract_skills(text, sections={section: text})}


def _names(text: str, section: str = "experience") -> set[str]:
    return set(_skills(text, section))


def _analyze(text: str):
    return analyze_text(ExtractedText.from_plain_text(text))


# --- Names in other languages -------------------------------------------------------------


def test_soft_skills_listed_in_portuguese_german_and_chinese() -> None:
    assert {"Teamwork", "Leadership", "Problem solving"} <= _names(
        "▪  Trabalho em equipe  ▪  Liderança  ▪  Resolução de problemas", "skills"
    )
    assert {"Teamwork", "Problem solving", "Critical thinking"} <= _names(
        "Teamfähigkeit\nProblemlösungskompetenz\nAnalytisches Denken", "skills"
    )
    assert {"Teamwork", "Communication"} <= _names(
        "个人能力：沟通能力、团队合作、时间管理", "skills"
    )


def test_computer_science_fundamentals_in_chinese() -> None:
    found = _names("➢ 熟悉常见数据结构及算法，了解设计模式，熟悉多线程编程。", "skills")
    assert {"Data structures", "Design patterns", "Concurrency"} <= found


def test_engineering_work_in_german() -> None:
    found = _names(
        "• SPS-Programmierung nach IEC 61131-3\n• Inbetriebnahme von Pneumatik Systemen\n"
        "• Beurteilung von Schweißverbindungen",
        "experience",
    )
    assert {"PLC programming", "IEC 61131-3", "Commissioning", "Welding"} <= found


def test_a_list_closed_by_an_ideographic_full_stop() -> None:
    found = _names("•  框架/库:Rails、Node.js、Angular、Bootstrap。", "skills")
    assert {"Ruby on Rails", "Node.js", "Angular", "Bootstrap"} <= found


# --- Items the taxonomy does not know -------------------------------------------------------


def test_unknown_tools_in_a_skills_list_are_skills_in_the_cvs_own_words() -> None:
    skills = _skills(
        "Security tools: Wireshark, Nmap, Snorkelwise, Zorblex Scanner (advanced)\n"
        "Languages: Python, Bash, PowerShell",
        "skills",
    )
    assert {"Wireshark", "Nmap", "Python"} <= set(skills)
    for item in ("Snorkelwise", "Zorblex Scanner"):
        assert item in skills, item
        match = skills[item]
        assert match.category == UNLISTED_CATEGORY
        assert match.evidence == "skills_section"
        assert item in match.snippet  # the evidence is the list line itself
    assert "Security tools" not in skills  # the group label is not an item
    assert not any("advanced" in name.lower() for name in skills)  # levels are dropped


def test_prose_in_a_skills_section_gives_no_unknown_items() -> None:
    text = (
        "Bei meiner Diplomarbeit, die ich erlernt habe, ging es um eine Software.\n"
        "I enjoy hiking, cooking and reading in my spare time."
    )
    assert not [m for m in extract_skills(text, sections={"skills": text})
                if m.category == UNLISTED_CATEGORY]  # fmt: skip


def test_unknown_items_need_known_neighbours_on_the_line() -> None:
    # A list of two unknown words is as likely a list of hobbies as of tools.
    text = "Frobnicator, Quuxify\nPython, Java, Quuxify"
    names = {m.name for m in extract_skills(text, sections={"skills": text})}
    assert "Frobnicator" not in names
    assert "Quuxify" in names


def test_unknown_items_only_come_from_the_skills_section() -> None:
    text = "Built the pipeline with Python, Java and Quuxify."
    assert "Quuxify" not in _names(text, "experience")


# --- Words that look like skills but are not ------------------------------------------------


def test_canvas_the_lms_is_not_canva_the_design_tool() -> None:
    found = _names("Canvas\nGoogle Classroom\nZoom / Teams", "skills")
    assert "Canvas LMS" in found
    assert "Canva" not in found
    assert "Canva" in _names("Tools: Canva, Figma, Adobe Photoshop", "skills")


def test_a_committee_named_with_an_acronym_is_not_the_acronym_skill() -> None:
    found = _names("Treasurer of the RAG Committee, organised charity events.", "activities")
    assert "Retrieval-augmented generation" not in found


def test_nursing_read_from_a_degree_or_licence_line_is_not_a_listed_skill() -> None:
    analysis = _analyze(
        "Jane Roe\njane.roe@example.org\n\nEducation\n"
        "Bachelor of Science in Nursing, State University, 2020\n\n"
        "Experience\nRegistered Nurse, City Hospital, 2020 - 2023\n"
        "Provided patient care on a medical ward.\n\n"
        "Skills\nIV therapy, patient education, wound care\n"
    )
    names = {s.name for s in analysis.skills}
    assert "Nursing" not in names
    assert "Patient care" in names


def test_phrases_that_name_something_else() -> None:
    assert "Vue.js" not in _names("Collecte des données en vue de valider le modèle.")
    assert "Translation" not in _names("Collecting, analyzing, and interpreting data.")
    assert "Entrepreneurship" not in _names("Advised B2B SaaS startups on their cloud costs.")
    assert "Team leadership" not in _names(
        "Thesis completed under the supervision of Dr. A. Smith.", "education"
    )
    assert "Certified Professional Coder" not in _names(
        "Special award of the Chip Card & Security (CCS) department."
    )
    assert "Certified Professional Coder" in _names(
        "Certifications: CPC (AAPC), ICD-10 and CPT coding", "certifications"
    )


def test_every_skill_keeps_its_evidence() -> None:
    analysis = _analyze(
        "Max Muster\nmax@example.org\n\nKenntnisse\nPython, Quuxify, Docker\n"
        "Teamfähigkeit\n\nBerufserfahrung\n2019 - 2023 Entwickler, Acme GmbH\n"
        "Inbetriebnahme von Anlagen mit SPS-Programmierung\n"
    )
    assert analysis.skills
    for skill in analysis.skills:
        assert skill.snippet.strip(), skill.name
        assert skill.source, skill.name


# --- Second round: bodies, contact lines, LaTeX accents, stacks -----------------------------


def test_a_field_named_in_a_body_is_not_a_skill_even_in_a_listed_section() -> None:
    found = _names(
        "Registered Nurse (RN), Texas Board of Nursing, License #123456, Active\n"
        "BLS, American Heart Association",
        "certifications",
    )
    assert "Nursing" not in found
    assert "Basic Life Support" in found
    assert "Computer science" not in _names("Teaching assistant, Department of Computer Science")


def test_profile_names_on_a_contact_line_are_not_skills() -> None:
    line = "tel:+44 20 7946 0000 | mailto:ana@example.org | LinkedIn | GitHub"
    assert not _names(line, "other")


def test_accents_set_apart_by_latex_fold_into_the_word() -> None:
    text = "○ D´eveloppement d’outils de d´etection automatique d’anomalies sur les puces"
    assert "Anomaly detection" in _names(text)
    assert "Statistical modeling" in _names("Statistique, mod´elisation statistique, R", "skills")


def test_a_stack_acronym_names_its_parts() -> None:
    found = _skills("Full Stack Developer | Python | MERN", "experience")
    assert {"MongoDB", "Express.js", "React", "Node.js"} <= set(found)
    assert "MERN" in found["React"].snippet
    assert "React" not in _names("We were a mern of people.")  # lower case: not the acronym


def test_unknown_items_that_are_group_words_or_fragments_are_dropped() -> None:
    text = (
        "AI & No-Code Tools — ChatGPT, Claude, Midjourney\n"
        "ChatGPT, Claude, Zorblex\n"
        "Python, Java, Data, Open, Net\n"
        "Développement mobile “cross platform” (React-native, Ionic Cordova)\n"
        "Docker, Kubernetes, Zorblex, arithmétique\n"
    )
    names = {m.name for m in extract_skills(text, sections={"skills": text})}
    assert "Zorblex" in names
    for junk in ("No-Code Tools", "Data", "Open", "Net", "arithmétique"):
        assert junk not in names, junk
    assert not any("“" in n or "cross platform" in n for n in names)


def test_more_names_in_other_languages_and_spellings() -> None:
    assert "REST APIs" in _names("MySQL, API RESTful, Java, Python, Flask", "skills")
    assert "C" in _names("程序设计基础(C语言)98, 数据结构94", "skills")
    assert "Visual Studio" in _names("熟悉开发工具如VS2022并能熟练通过断点调试程序。", "skills")
    assert "Object-oriented programming" in _names(
        "Paradigmen: Objektorientiert, Funktional", "skills"
    )
    assert "Application security" in _names("Web application security testing with Burpsuite")


def test_a_plus_between_two_names_separates_them() -> None:
    found = _names("运用Claude+DeepSeek和GPT提升工作流", "summary")
    assert {"Claude", "DeepSeek"} <= found
    assert "C++" in _names("C++11/14/17, Qt", "skills")
    assert "C#" in _names("Languages: C#, F#", "skills")


def test_case_and_spelling_variants_of_tool_names() -> None:
    assert "Sass" in _names("Wrote the Html, Css file and Scss file of the site.")
    assert "RabbitMQ" in _names("Zookeeper, Rabbit-MQ, Kafka", "skills")
    assert "Microsoft Teams" in _names("Canvas\nZoom / Teams", "skills")
    assert "Microsoft Teams" not in _names("Led two teams of five engineers.")


# --- Generalisation round (cvskills, 1 Dec 2026 afternoon) -----------------------------------


def test_names_of_professional_skills_in_other_languages_count_where_the_cv_lists_them() -> None:
    listed = (
        "Kenntnisse: Kostenrechnung, Lohnbuchhaltung, Qualitätsmanagement\n"
        "Compétences : gestion de projet, comptabilité analytique, soins palliatifs\n"
        "Habilidades: gestión de proyectos, atención al paciente, control de gestión\n"
        "Competências: gestão de projetos, prospecção de clientes, folha de pagamento"
    )
    names = _names(listed, "skills")
    for want in ("Cost accounting", "Payroll", "Quality management", "Project management",
                 "Palliative care", "Patient care", "Management accounting",
                 "Business development"):  # fmt: skip
        assert want in names, want


def test_names_in_other_languages_are_list_words_not_prose_words() -> None:
    # In a sentence these everyday phrases name the work around a job, not a skill the CV
    # claims: they count only where the CV lists skills.
    prose = "Im Rahmen der Kostenrechnung habe ich Berichte für die Geschäftsleitung erstellt."
    assert "Cost accounting" not in _names(prose, "experience")
    assert "Cost accounting" in _names("Kostenrechnung, Controlling, Buchhaltung", "skills")


def test_a_word_inside_a_name_that_an_organisation_word_opens_is_not_a_skill() -> None:
    for line in (
        "Fobutec Agencia de Desarrollo Web, Apps y Marketing Digital",
        "Institut für Mess- und Regelungstechnik (LUH)",
        "Scuola di Design e Marketing Digitale, Milano",
    ):
        found = _names(line, "experience")
        assert not found & {"Digital marketing", "Control engineering"}, (line, found)
    # the same words outside a name still count
    assert "Digital marketing" in _names("Ran campaigns in Digital Marketing and SEO for clients")


def test_distinct_tools_and_methods_are_not_one_skill() -> None:
    from resumate.ai.skills import canonical_skill

    assert canonical_skill("Basecamp") == "Basecamp"
    assert canonical_skill("Wrike") == "Wrike"
    assert canonical_skill("Smartsheet") == "Smartsheet"
    assert canonical_skill("supervised learning") == "Supervised learning"
    assert canonical_skill("unsupervised learning") == "Unsupervised learning"
    assert canonical_skill("clustering") == "Clustering"
    assert "ANSYS" in _names("FEA: Ansys (CFD, CFX), Matlab, Simulink", "skills")


def test_well_known_tools_outside_the_big_names() -> None:
    text = (
        "Python (Streamlit, Kivy, Tkinter), Java (MyBatis, Servlet, Jetty), PHP (Yii, CakePHP)\n"
        "Vue (Element UI, Vuetify), React (Ant Design), draw.io, Lucidchart, Hotjar\n"
        "Electronics: Multisim, TINA, Proteus, KiCad; PLC: Step7, LOGO! Soft Comfort\n"
        "Corpus tools: AntConc, Sketch Engine, Praat, Oxygen XML Editor"
    )
    names = _names(text, "skills")
    for want in ("Streamlit", "Kivy", "Tkinter", "MyBatis", "Servlets", "Jetty", "Yii",
                 "CakePHP", "Element UI", "Vuetify", "Ant Design", "draw.io", "Lucidchart",
                 "Hotjar", "Multisim", "TINA-TI", "Proteus", "STEP 7", "LOGO! Soft Comfort",
                 "AntConc", "Sketch Engine", "Praat", "Oxygen XML Editor"):  # fmt: skip
        assert want in names, want


def test_tool_names_that_are_everyday_words_need_their_field_nearby() -> None:
    prose = "I like to dash to the shop with Tina, watch an eagle and read about a quasar."
    assert not _names(prose, "experience") & {"Plotly Dash", "TINA-TI", "Quasar"}
    assert "TINA-TI" in _names("Circuit simulation in TINA and LTspice", "experience")


def test_technical_concepts_named_in_other_languages() -> None:
    cases = {
        "Compétences : visualisation de données, économétrie, traitement du langage naturel": {
            "Data visualization", "Econometrics", "Natural language processing"},
        "Conocimientos: procesamiento digital de señales, análisis estático, ciberseguridad": {
            "Signal processing", "Static analysis", "Cybersecurity"},
        "Competências: programação funcional, bancos de dados relacionais, regressão logística": {
            "Functional programming", "Relational databases", "Regression analysis"},
        "Kenntnisse: Regelungstechnik, Finite-Elemente-Methode, technisches Zeichnen": {
            "Control engineering", "Finite element analysis", "Technical drawing"},
    }  # fmt: skip
    for text, want in cases.items():
        assert want <= _names(text, "skills"), (text, _names(text, "skills"))


def test_a_field_on_a_line_that_names_studies_is_a_subject_not_a_skill() -> None:
    for line in (
        "* Sie studieren Informatik, Elektrotechnik, Physik oder einen ähnlichen Studiengang",
        "* Abgeschlossenes Studium der Mathematik/Statistik oder Elektrotechnik",
    ):
        found = _names(line, "skills")
        assert not found & {"Electrical engineering", "Statistics"}, (line, found)
    assert "Statistics" in _names("Kenntnisse: Statistik, R, SPSS", "skills")
