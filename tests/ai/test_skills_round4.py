"""Skills round four (issue 10): references in a publication list are weak evidence, a list
in prose is not a company's name, and skills the taxonomy lacked or named in one language only.

Each case is text written here in the shape found on real CVs; none is copied from one.
"""

from __future__ import annotations

from resumate.ai.skills import canonical_skill, extract_skills


def _names(text: str, section: str = "experience") -> set[str]:
    return {m.name for m in extract_skills(text, sections={section: text})}


# --- Publication lists -------------------------------------------------------------------------


def test_a_word_in_one_papers_title_is_not_a_skill() -> None:
    pubs = (
        "Brown, K.L., Ortiz, P. & Meyer, T. 2019. Giant pandas prefer bamboo shoots in spring.\n"
        "Ortiz, P. 2016. Pest control with aerial baits: an illustration from island birds."
    )
    found = _names(pubs, "publications")
    assert not {"pandas", "Pest control", "Illustration"} & found


def test_a_topic_that_comes_back_across_references_is_kept() -> None:
    pubs = (
        "Meyer, T. & Ortiz, P. 2018. An agent-based model of foraging. Ecol. Model. 12: 3-9.\n"
        "Ortiz, P. 2020. Agent-based modelling of nest choice. Behav. Ecol. 31: 44-51.\n"
        "Brown, K.L. 2021. Seasonal diets of robins. Oikos 7: 1-8."
    )
    assert "Agent-based modelling" in _names(pubs, "publications")


def test_lines_of_a_misfiled_section_that_are_no_reference_still_count() -> None:
    # A heading the splitter took for "publications" over a list of tools.
    assert {"Python", "Slurm"} <= _names("Python, Go, Slurm, LaTeX", "publications")


def test_an_award_title_is_not_a_skill() -> None:
    found = _names("2011 Bourse Montpetit, for student engagement", "awards")
    assert "Student engagement" not in found


# --- Lists in prose are not company names ------------------------------------------------------


def test_a_skill_followed_by_a_list_that_holds_sas_is_kept() -> None:
    found = _names(
        "SQL, R, Python, NoSQL, SAS, Azure, AWS, Hadoop, Visual Studio, Power BI", "other"
    )
    assert {"Python", "NoSQL", "Hadoop"} <= found


def test_a_name_that_a_company_word_ends_is_still_a_company() -> None:
    assert "Pinecone" not in _names("Designer at Pinecone Creative Agency, Berlin.")
    assert "Bioinformatics" not in _names("06/2022 - Bioinformatics Engineer, Stilla Technologies")


# --- Taxonomy: methods, formats and fields named on CVs ----------------------------------------


def test_statistical_methods_and_data_formats_in_a_project_line() -> None:
    found = _names(
        "Analyse statistique (R) : modélisation (GAM, ANOVA, ANCOVA). Clustering via HDBSCAN, "
        "ACP, K-Means. Pipeline (Python, Polars, PyArrow, Parquet).",
        "summary",
    )
    expected = {
        "Generalized additive models", "ANOVA", "ANCOVA", "DBSCAN", "Principal component analysis",
        "K-means clustering", "Apache Arrow", "Apache Parquet",
    }  # fmt: skip
    assert expected <= found


def test_ambiguous_new_names_need_context() -> None:
    assert "Apache Parquet" not in _names("Laid oak Parquet floors in the hallway.")
    assert "Generalized additive models" not in _names("Joined GAM as a graduate.")
    assert "Bill of materials" not in _names(
        "Produce a Software Bill of Materials (SBOM) in SPDX format."
    )
    assert "Bill of materials" in _names("Maintained the BOM in SAP ERP for production.")


def test_spellings_of_skills_map_to_one_name() -> None:
    assert canonical_skill("Struts 2") == "Struts"
    assert canonical_skill("quality management system") == "Quality management"
    assert canonical_skill("operational research") == "Operations research"
    assert canonical_skill("management control") == "Management accounting"
    assert canonical_skill("time series") == "Time series analysis"
    assert canonical_skill("WeChat Mini Program") == "WeChat Mini Programs"
    assert canonical_skill("Eigeninitiative") == "Self-motivation"
    assert canonical_skill("Zuverlässigkeit") == "Work ethic"


def test_soft_skills_in_the_cvs_language_count_in_a_skills_list_only() -> None:
    listed = _names("Autonomie, Rigueur, Communication", "skills")
    assert {"Autonomy", "Rigour"} <= listed
    assert "Autonomy" not in _names("Le projet a renforcé l'autonomie du service.")
    assert "Self-motivation" not in _names("Led a company-wide initiative to cut costs.")
    pt = _names("Organização e atenção aos detalhes; adaptação a ambientes desafiadores", "skills")
    assert {"Attention to detail", "Adaptability"} <= pt


def test_fields_a_linguist_lists() -> None:
    found = _names("Lexicography, Lexicology, Sociolinguistics, Semantics, Pragmatics", "skills")
    assert {"Lexicography", "Lexicology", "Sociolinguistics", "Semantics", "Pragmatics"} <= found
    # Everyday words in prose: "the semantics of the API" is no linguistics.
    assert "Semantics" not in _names("Clarified the semantics of the API with the team.")


def test_new_names_are_found_in_prose() -> None:
    found = _names(
        "Built a digital twin of the plant; tuned the MPPT controller and PWM output; "
        "wrote manuals in Adobe FrameMaker following AP style."
    )
    expected = {
        "Digital twins", "Maximum power point tracking", "Pulse-width modulation",
        "Adobe FrameMaker", "AP style",
    }  # fmt: skip
    assert expected <= found


# --- Business words in the prose of a CV that lists its skills ----------------------------------

_LISTED = "Python, Java, Docker, Kubernetes, PostgreSQL, React, TypeScript, Git, Linux"


def _cv(experience: str) -> set[str]:
    sections = {"skills": _LISTED, "experience": experience}
    return {m.name for m in extract_skills(_LISTED + "\n" + experience, sections=sections)}


def test_a_business_word_once_in_the_prose_of_a_listing_cv_is_its_setting() -> None:
    found = _cv("Moved the platform to AWS to obtain a licence for financial services in Korea.")
    assert "Financial services" not in found
    assert "Amazon Web Services" in found  # a tool in the same sentence still counts


def test_a_business_word_read_twice_or_on_a_cv_without_a_list_still_counts() -> None:
    twice = _cv(
        "Led contract negotiation with suppliers.\nRan the yearly negotiation with the union."
    )
    assert "Negotiation" in twice
    prose_only = "Led contract negotiation with suppliers and key accounts."
    assert "Negotiation" in _names(prose_only)


def test_data_processing_in_italian_is_no_consent_clause() -> None:
    job = (
        "Sviluppo di un modulo per il trattamento dei dati ricevuti dalla scheda Arduino e "
        "trasmissione Bluetooth Low Energy verso un server Jetty."
    )
    assert {"Bluetooth Low Energy", "Jetty"} <= _names(job)
    consent = "Autorizzo il trattamento dei miei dati personali. Competenze: Jetty, Arduino"
    assert "Jetty" not in _names(consent, "other")


def test_machine_learning_methods_in_french() -> None:
    found = _names(
        "Agent d'apprentissage par renforcement ; méta-apprentissage few-shot", "projects"
    )
    assert {"Reinforcement learning", "Meta-learning"} <= found


def test_an_ambiguous_name_that_opens_a_wrapped_line_reads_the_line_above() -> None:
    wrapped = "Sviluppatore Junior. Utilizzo della piattaforma SAP Hybris e di Java\nSpring"
    assert "Spring" in _names(wrapped)
    # A new sentence on the next line is no continuation.
    assert "Spring" not in _names("Wrote the backend in Java.\nSpring came early that year.")


def test_on_a_business_profile_the_same_words_in_prose_are_its_trade() -> None:
    listed = "Excel, SAP, QuickBooks, Power BI, SQL, Budgeting, Accounting, Auditing, Tableau"
    prose = "Prepared variance analysis for the CFO and ran accounts payable."
    found = {
        m.name
        for m in extract_skills(
            listed + "\n" + prose, sections={"skills": listed, "experience": prose}
        )
    }
    assert {"Variance analysis", "Accounts payable"} <= found


def test_new_names_that_mean_something_else_in_other_trades() -> None:
    # Patient-controlled analgesia on a nurse's CV is no principal component analysis.
    assert "Principal component analysis" not in _names(
        "Managed IV pumps, PCA pumps and wound vacs."
    )
    assert "Principal component analysis" in _names(
        "Reduced dimensionality with PCA before clustering."
    )
    ad = "Valid driver's licence and own reliable vehicle.\nYou will have the autonomy to shape it."
    found = _names(ad, "skills")
    assert "Work ethic" not in found
    assert "Autonomy" not in found


def test_an_hr_partners_list_keeps_the_business_words_of_its_prose() -> None:
    listed = "Workday, Recruiting, Onboarding, Employee relations, Excel, Coaching, HRIS, Jira"
    prose = "Handled onboarding, HR administration, payroll inputs and employee queries."
    sections = {"skills": listed, "experience": prose}
    found = {m.name for m in extract_skills(listed + "\n" + prose, sections=sections)}
    assert "Payroll" in found
