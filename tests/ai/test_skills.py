import json
from importlib import resources

from resumate.ai.skills import (
    canonical_skill,
    extract_skills,
    get_taxonomy,
    related_skills,
    skill_category,
)


def _names(text: str, section: str = "experience") -> set[str]:
    return {m.name for m in extract_skills(text, sections={section: text})}


def test_taxonomy_is_large_and_covers_many_professions() -> None:
    raw = resources.files("resumate.ai.data").joinpath("skills.json").read_text("utf-8")
    skills = json.loads(raw)["skills"]
    assert len(skills) >= 1500
    categories = {s["category"] for s in skills}
    for expected in ("Healthcare", "Finance & accounting", "Legal", "Skilled trades", "Education",
                     "Logistics & supply chain", "Hospitality & food service", "Certifications"):  # fmt: skip
        assert expected in categories
    assert len(get_taxonomy()) == len(skills)


def test_java_is_not_found_inside_javascript_and_c_not_inside_cpp() -> None:
    found = _names("Built front ends in JavaScript and firmware in C++.")
    assert "JavaScript" in found
    assert "C++" in found
    assert "Java" not in found
    assert "C" not in found


def test_ambiguous_short_names_need_context() -> None:
    assert "Go" not in _names("Ready to go the extra mile. Go team!")
    assert "Go" in _names("Wrote microservices in Go and Python on Kubernetes.")
    assert "R" in _names("Statistical modelling in R and SAS.")
    assert "R" not in _names("Led the R&D team for two years.")
    assert "C" not in _names("Presented results to C-level executives.")
    assert "C" in _names("Languages: C, C++, Rust", section="skills")
    assert "Swift" not in _names("Known for a swift response to incidents.")
    assert "Swift" in _names("Shipped two iOS apps written in Swift and SwiftUI.")


def test_excel_verb_and_word_are_not_skills() -> None:
    found = _names("Excel at building relationships. The word of mouth grew sales.")
    assert "Microsoft Excel" not in found
    assert "Microsoft Word" not in found
    assert {"Microsoft Excel", "Microsoft Word"} <= _names("Daily use of Excel, Word and Outlook.")


def test_spring_season_is_not_the_framework() -> None:
    assert "Spring" not in _names("Joined in Spring 2019 as an intern.")
    assert "Spring Boot" in _names("Built REST APIs with Spring Boot.")


def test_spoken_languages_need_a_languages_section_or_a_level() -> None:
    assert "German" not in _names("Worked for a German car maker.")
    assert "German" in _names("Fluent in German and English.")
    assert {"French", "Spanish"} <= _names("French (C1)\nSpanish (native)", section="languages")


def test_aliases_and_plurals_map_to_one_canonical_name() -> None:
    assert _names("Experience with Postgres databases and JS.") >= {"PostgreSQL", "JavaScript"}
    assert canonical_skill("js") == "JavaScript"
    assert canonical_skill("k8s") == "Kubernetes"
    assert canonical_skill("MS Excel") == "Microsoft Excel"
    assert canonical_skill("not a real skill at all") is None


def test_related_and_category() -> None:
    assert "MySQL" in related_skills("PostgreSQL")
    assert "PostgreSQL" in related_skills("mysql")
    assert skill_category("wound care") == "Healthcare"
    assert skill_category("PMP") == "Certifications"


def test_non_software_professions() -> None:
    text = (
        "Provided wound care and medication administration for 20 patients; "
        "prepared month-end close and bank reconciliations in SAP; "
        "operated a forklift and handled HACCP food safety checks; contract drafting."
    )
    found = _names(text)
    assert {"Wound care", "Medication administration", "Month-end close", "Reconciliation",
            "SAP", "Forklift operation", "Food safety", "Contract drafting"} <= found  # fmt: skip


def test_ranking_prefers_skills_section_evidence() -> None:
    matches = extract_skills(
        "",
        sections={"skills": "Python, Docker", "experience": "Used Docker and Terraform daily."},
    )
    by_name = {m.name: m for m in matches}
    assert by_name["Docker"].evidence == "skills_section"
    assert by_name["Terraform"].evidence == "experience"
    assert by_name["Docker"].mentions == 2
    assert matches[0].name == "Docker"
    assert by_name["Python"].score > by_name["Terraform"].score


def test_clinical_adherence_and_android_hacking_are_not_those_skills() -> None:
    assert "Compliance" not in _names("Taught patients about medication compliance at discharge.")
    assert "Compliance" in _names("Ran regulatory compliance reviews for the bank.")
    assert "Android development" not in _names("Courses: Android Hacking, network forensics")
    assert "Android development" in _names("Shipped two Android apps with Jetpack Compose.")


def test_ambiguous_item_of_a_wrapped_list_or_closed_by_a_full_stop() -> None:
    wrapped = "Web: HTML, CSS, Vue,\nBootstrap.\nQA: Cypress, Playwright,\nPostman"
    assert {"Bootstrap", "Postman"} <= _names(wrapped, "skills")
    # A lone word on its own line, with no list above it, still needs its context.
    assert "Postman" not in _names("Worked nights as a rural postman.\nPostman.", "experience")
