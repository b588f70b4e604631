"""Which mentions are evidence of a skill (issue 10, third skills round): everyday words in
prose, people in a reference list, consent clauses, acronyms a CV spells out as something else,
certificate acronyms in prose, and words wrapped onto the next line.

Each case is text written here in the shape found on real CVs; none is copied from one.
"""

from __future__ import annotations

from resumate.ai.skills import extract_skills


def _skills(text: str, section: str = "experience") -> dict[str, object]:
    return {m.name: m for m in extract_skills(text, sections={section: text})}


def _names(text: str, section: str = "experience") -> set[str]:
    return set(_skills(text, section))


# --- Everyday words: a skill where the CV lists skills, not in its prose ---------------------


def test_everyday_words_in_prose_are_not_skills() -> None:
    assert "Teamwork" not in _names("Worked in close collaboration with the chip design team.")
    assert "Data structures" not in _names("Used machine learning algorithms to rank players.")
    assert "Customer segmentation" not in _names("Détection et segmentation de câbles optiques.")
    assert "Coaching" not in _names("Reduced falls on the ward and mentoring new staff.", "summary")
    assert "Management consulting" not in _names("Technical advisory and consulting for startups.")
    assert "Translation" not in _names("APIs: speech to text, translator, visual recognition.")
    assert "Commissioning" not in _names("Logros: puesta en marcha de nuevas campañas de ventas.")


def test_the_same_words_count_in_a_skills_list() -> None:
    listed = _names("Collaboration, Mentoring, Algorithms, Python", "skills")
    assert {"Teamwork", "Coaching", "Data structures", "Python"} <= listed


def test_specific_names_still_count_in_prose() -> None:
    found = _names(
        "Cross-functional collaboration with product teams; ran the Inbetriebnahme von Anlagen; "
        "designed data structures and algorithms for the search index."
    )
    assert {"Teamwork", "Commissioning", "Data structures"} <= found
    # Duties a job ad states in prose: supervising and compliance are the skills asked for.
    duties = _names(
        "Responsible for the overall management, supervision and implementation of voter "
        "registration; ensures compliance with campaign finance laws.",
        "other",
    )
    assert {"Team leadership", "Compliance"} <= duties


# --- People in a reference list ---------------------------------------------------------------


def test_author_surnames_in_a_reference_are_not_skills() -> None:
    ref = "Smith, J.A., Ledger, W., Cox, M. & Gilchrist, R. 2017. Diet and ageing. Cell 5: 1-9."
    assert "General ledger" not in _names(ref, "publications")
    # A list of tools that ends with a one-letter language is not an author list.
    assert {"Python", "C"} <= _names("Programming: Python, C.", "skills")
    # A driving-licence class before a soft skill is not an initial.
    assert "Teamwork" in _names("Permiso de conducir B. Trabajo en equipo.", "education")


# --- Consent clauses ------------------------------------------------------------------------


def test_a_consent_clause_is_not_evidence() -> None:
    clause = (
        "Autorizzo il trattamento dei miei dati personali ai sensi del GDPR (Regolamento UE "
        "2016/679)."
    )
    assert "GDPR" not in _names(clause, "other")
    assert "GDPR" not in _names(
        "I consent to the processing of my personal data\nunder the GDPR.", "other"
    )
    assert "GDPR" in _names("Led the GDPR compliance programme for the CRM.")


# --- Acronyms -------------------------------------------------------------------------------


def test_an_acronym_spelled_out_as_something_else_is_not_that_skill() -> None:
    assert "Account-based marketing" not in _names("Agent-Based Model - ABM", "other")
    assert "Account-based marketing" not in _names("Built an ABM (Agent Based Model) in Python.")
    assert "Account-based marketing" in _names("Ran ABM campaigns with HubSpot for B2B accounts.")
    assert "Account-based marketing" in _names("ABM, HubSpot, Salesforce", "skills")


def test_an_acronym_spelled_out_as_the_skill_still_counts() -> None:
    found = _names("Advanced Cardiovascular Life Support (ACLS), AHA, 2026", "certifications")
    assert "Advanced Cardiac Life Support" in found
    jwt = _names("Login: JSON Web Token (JWT) for sessions.")
    assert "JWT" in jwt
    assert "JSON" not in jwt  # the token format, not JSON itself


def test_a_certificate_acronym_alone_in_prose_is_not_the_certificate() -> None:
    assert "CFP" not in _names("Co-authored several CFP proposals for conferences.")
    assert "CFA" not in _names("Proceedings, CFA/VISHNO. Le Mans, France.", "publications")
    assert "CFP" in _names("CFP certified financial planner since 2019.", "summary")
    assert "CFA" in _names("CFA Level II", "certifications")
    assert "CFA" in _names("Passed the CFA exam in 2020.")


# --- Words wrapped onto the next line -------------------------------------------------------


def test_a_word_wrapped_onto_the_next_line_is_read_whole() -> None:
    text = "Intelligenza Artificiale: Computer Vision, NLP, Deep Lear\nning, ML.\nPython, SQL"
    skills = _skills(text, "skills")
    assert "Deep learning" in skills
    assert "Deep Lear" not in skills  # no half word kept as an unknown item
    assert "Deep Lear" in skills["Deep learning"].snippet  # evidence shows what the CV says
    assert "Kubernetes" in _names("Deployed services on Kuber-\nnetes clusters.")


def test_words_on_two_lines_stay_two_words() -> None:
    # Both halves are words of their own: nothing is joined ("Java" + "script" stays apart).
    found = _names("Built tools in Java\nscript generators for Go", "experience")
    assert "JavaScript" not in found


def test_odd_unicode_around_wrapped_words_is_safe() -> None:
    for text in (
        "Lear\n\u00adning",
        "\ud800\nning",
        "Deep Lear\u00ad\nning 😀",
        "\x00\n\x00",
        "\n",
    ):
        extract_skills(text, sections={"skills": text})


# --- Tools, translations and soft skills the taxonomy learnt ----------------------------------


def test_well_known_tools_in_skills_lists() -> None:
    found = _names(
        "PyTorch  JAX  Python  OpenCV\nDocker  Linux  Git  OpenGL  WebGPU\n"
        "Stack: Ruby on Rails, Puma, PostgreSQL\nC++, openFrameworks, Kinect, Spektral\n"
        "StyleGAN2, GAN, VAE, Unity ML-Agents, OpenAI Gym",
        "skills",
    )
    assert {"JAX", "WebGPU", "Puma", "openFrameworks", "Kinect", "Spektral"} <= found
    assert {"StyleGAN", "Generative adversarial networks", "Variational autoencoders"} <= found
    assert {"Unity", "OpenAI Gym"} <= found


def test_a_brand_that_is_also_a_tool_needs_its_context() -> None:
    assert "Puma" not in _names("Sold Puma and Adidas trainers in a sports shop.")
    thesis = "Thesis: pruning of vision transformers and neural architecture search (NAS)."
    assert "Storage systems" not in _names(thesis)
    assert "Neural architecture search" in _names(thesis)
    assert "Storage systems" in _names("Configured NAS backups with RAID for the office.")


def test_customer_service_work_described_in_spanish() -> None:
    found = _names(
        "Funciones: recepción de llamadas, resolución de incidencias y reclamaciones · emisión "
        "de llamadas para promoción y venta · agente de apoyo administrativo en back-office · "
        "retención y fidelización de clientes · gestión de recobros a clientes"
    )
    assert {"Complaint handling", "Telemarketing", "Back office"} <= found
    assert {"Customer retention", "Debt collection"} <= found


def test_model_work_described_in_chinese() -> None:
    found = _names("掌握基础模型部署工作，具备本地部署AI大模型能力。", "skills")
    assert {"Model deployment", "Large language models"} <= found


def test_a_quality_has_no_plural() -> None:
    # "initiatives" are projects, "leaderships" is no word: a soft skill is read in the singular.
    assert "Self-motivation" not in _names("Led the self-starters programme.", "skills")
    assert "Self-motivation" in _names("Self-starter, Python, SQL", "skills")
    assert "Problem solving" in _names("Problem solving, Python", "skills")


def test_label_spellings_map_to_the_taxonomy_name() -> None:
    from resumate.ai.skills import canonical_skill

    assert canonical_skill("Single-page applications") == "Single Page Applications"
    assert canonical_skill("PL-SQL") == "PL/SQL"


def test_a_hyphenated_context_word_counts() -> None:
    # "front-end" is two tokens; it still tells that "Bootstrap" is the CSS framework.
    assert "Bootstrap" in _names("Styled the front-end with Bootstrap.")
    assert "Bootstrap" not in _names("Helped Bootstrap the charity in 2019.")


# --- Letters, issuers and names in capitals ---------------------------------------------------


def test_letter_spaced_headings_are_not_skills() -> None:
    found = _names("B I L D U N G\nO K TO BE R 2 0 2 3 – M AI 2 0 2 4\nPython, SQL", "skills")
    assert not {"Business intelligence", "Artificial intelligence"} & found
    assert {"Python", "SQL"} <= found


def test_a_letter_among_consecutive_letters_is_not_a_language() -> None:
    assert "C" not in _names("Zertifikate: Unternehmerführerschein – Module A, B, C & UP", "skills")
    assert "C" not in _names("Driving licence classes B/C", "skills")
    assert {"R", "C", "C++"} <= _names("Languages: R, C, C++, Python", "skills")
    assert "C" in _names("Embedded C, A/B testing, Go", "skills")


def test_an_issuer_on_a_certificate_line_is_not_a_skill() -> None:
    found = _names(
        "2020 Certified Kubernetes Application Developer (CKAD), The Linux Foundation\n"
        "2022 AWS Certified Solutions Architect – Professional, Amazon Web Services (AWS)",
        "certifications",
    )
    assert "Linux" not in found
    assert "AWS Certified Solutions Architect" in found
    assert "Cisco" not in _names(
        "CCNAv7: Routing y Switching, Cisco Network Academy, 2023", "other"
    )


def test_a_word_of_a_company_name_in_capitals_is_not_a_skill() -> None:
    assert "Robotics" not in _names("SIM ROBOTICS – Boqueirão, Curitiba\nTécnico em automação")
    crm = "ARVATO CRM división del grupo Bertelsmann. Teleoperadora."
    assert "Customer relationship management" not in _names(crm)
    # Capitals that are all skills are still skills.
    assert {"Amazon Web Services", "Docker"} <= _names("AWS DOCKER KUBERNETES pipelines")
    assert "Robotics" in _names("Research in ROBOTICS and control.")


def test_an_unknown_item_that_describes_a_bracketed_skill_is_not_kept() -> None:
    found = _names(
        "Datenbanken: Graphdatenbank (Neo4j), Zeitreihen-DB (InfluxDB), SQL, Redis", "skills"
    )
    assert {"Neo4j", "InfluxDB", "SQL", "Redis"} <= found
    assert not {"Graphdatenbank", "Zeitreihen-DB"} & found
    # An unknown tool followed by a note that is not a skill is still kept.
    assert "Snorkelwise" in _names(
        "Tools: Snorkelwise (advanced), Zorblex, Python, Docker", "skills"
    )


# --- A bold line taken for a heading that names no section ------------------------------------


def test_skills_on_a_line_set_like_a_heading_still_count() -> None:
    import typst

    from resumate.ai.analyzer import analyze_document

    source = """#set page(width: 210mm, height: 297mm, margin: 20mm)
#set text(size: 10pt)
#text(size: 18pt)[*Jana Roe*] \\
jana.roe\\@example.org

#text(size: 12pt)[*Skills*] \\
Excel, Jira, Canva

#text(size: 12pt)[*Power BI (DAX, PowerQuery)*] \\
Monthly reports for the board.

#text(size: 12pt)[*Experience*] \\
Analyst, Acme GmbH, 01/2020 - 03/2023 \\
Built monthly reports.
"""
    analysis = analyze_document(bytes(typst.compile(source.encode(), format="pdf")), "pdf")
    skills = {s.name: s for s in analysis.skills}
    assert {"Power BI", "DAX", "Power Query", "Microsoft Excel"} <= set(skills)
    assert "PowerQuery" in skills["Power Query"].snippet  # the evidence is that line


def test_spellings_of_office_tools() -> None:
    found = _names(
        "Excel (Pivot, SVERWEIS), JIRA, MS Office 365, Google Suite, SqlServer", "skills"
    )
    assert {"VLOOKUP", "Microsoft 365", "Google Workspace", "Microsoft SQL Server"} <= found
    assert "Microsoft Office" not in found  # Office 365 is Microsoft 365
