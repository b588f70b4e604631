"""Skills precision, evidence, names, ATS checks and early-career years (issue 10)."""

from datetime import date

import pytest

from resumate.ai.analyzer import analyze_text
from resumate.ai.documents import ExtractedText
from resumate.ai.skills import canonical_skill, extract_skills, related_skills

TODAY = date(2025, 6, 1)


def _names(text: str, section: str = "experience") -> set[str]:
    return {m.name for m in extract_skills(text, sections={section: text})}


def test_company_names_are_not_skills() -> None:
    found = _names("Senior Designer, Pinecone Creative Agency, 2019 - 2022\nEngineer at Oracle")
    assert "Pinecone" not in found
    assert "Oracle Database" not in found


def test_skills_after_at_are_kept_when_not_a_workplace() -> None:
    assert "Microsoft Excel" in _names("Very good at Excel and reporting.")


def test_industries_degrees_and_broad_words_need_a_skills_list() -> None:
    text = "Built pricing models in insurance, retail and media. Grew sales by 20%."
    found = _names(text)
    assert not found & {"Insurance", "Retail", "Sales"}
    assert not _names("BSc Computer Science, University of Leeds", "education")
    assert not _names("Shipping React front-ends every week.") & {"Freight forwarding"}
    # Stated as skills, they count.
    assert {"Sales", "Insurance"} <= _names("Sales, Insurance, Excel", "skills")


def test_job_titles_are_not_skills_outside_a_skills_list() -> None:
    assert "Software development" not in _names("Software Engineer, Acme Ltd 2020 - 2023")


def test_named_tools_are_skills_of_their_own() -> None:
    text = "DFM reviews, ANSYS, root cause analysis, VAT returns, Power Query, cold calling, "
    text += "succession planning"
    found = _names(text, "skills")
    assert {
        "Design for manufacturing", "ANSYS", "Root cause analysis", "VAT", "Power Query",
        "Cold calling", "Succession planning",
    } <= found  # fmt: skip
    assert canonical_skill("DFM") == "Design for manufacturing"
    assert "Finite element analysis" in related_skills("ANSYS")


def test_capitals_titles_are_not_read_as_skills() -> None:
    assert not _names("NWU RAG ANNUAL CHARITY BASH", "awards")


def test_every_skill_has_its_snippet_and_position() -> None:
    text = """Jane Doe
jane@example.com
EXPERIENCE
Data Engineer, Acme Ltd
Jan 2020 - Present
- Built pipelines in Apache Spark and Airflow for 40 teams.
SKILLS
Python, SQL, Docker
"""
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    by = {s.name: s for s in a.skills}
    assert by["Python"].source == "skills section"
    assert "Python" in by["Python"].snippet
    spark = by["Apache Spark"]
    assert spark.source == "position"
    assert "Apache Spark" in spark.snippet
    assert spark.position == "Data Engineer at Acme Ltd"
    assert all(s.snippet for s in a.skills)


def test_ats_feedback_lists_every_check_even_for_a_good_cv() -> None:
    text = """Jane Doe
jane@example.com | +44 20 7946 0958 | London, UK | linkedin.com/in/janedoe
SUMMARY
Data engineer with five years of experience building pipelines.
EXPERIENCE
Data Engineer, Acme Ltd
Jan 2020 - Present
- Built pipelines in Apache Spark for 40 teams, cutting costs by 30%.
- Reduced report latency from 6 hours to 20 minutes.
- Migrated 120 jobs to Airflow with zero downtime.
EDUCATION
BSc Mathematics, University of Leeds, 2016 - 2019
SKILLS
Python, SQL, Docker, Kubernetes, Terraform, AWS
"""
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    checks = {f.check for f in a.ats_feedback}
    assert {"parsable_text", "standard_headings", "contact_details", "dates", "layout", "file",
            "length"} <= checks  # fmt: skip
    for f in a.ats_feedback:
        assert f.status in ("passed", "warning", "failed")
        assert bool(f.fix) == (f.status != "passed")
    statuses = [f.status for f in a.ats_feedback]
    assert statuses == sorted(statuses, key=["failed", "warning", "passed"].index)


def test_image_only_cv_still_gets_checks() -> None:
    a = analyze_text(ExtractedText.from_plain_text(""), today=TODAY)
    by = {f.check: f for f in a.ats_feedback}
    assert by["parsable_text"].status == "failed"
    assert by["file"].status == "passed"


@pytest.mark.parametrize(
    ("top", "name"),
    [
        ("John  Smith\njohn@example.com", "John Smith"),
        ("Informacion Adicional\nAna Ruiz\nana@example.com", "Ana Ruiz"),
        ("Strategic Planning\nMaria Lopez\nmaria@example.com", "Maria Lopez"),
        ("Dmitry Safonov Kernel Engineer\nd@example.com", "Dmitry Safonov"),
        ("ETAT CIVIL\nPrénom : Aminata\nNom : Diallo\nE-mail : a@example.com", "Aminata Diallo"),
        ("Hugo (Chun-Ho) Lin\nh@example.com", "Hugo Lin"),
    ],
)
def test_names(top: str, name: str) -> None:
    a = analyze_text(ExtractedText.from_plain_text(top + "\nEXPERIENCE\n"), today=TODAY)
    assert a.contact.name == name


def test_red_hat_is_not_a_name() -> None:
    text = "Red Hat\nSenior Engineer 2019 - 2022\nPeter Novak\npeter@example.com"
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    assert a.contact.name == "Peter Novak"


def test_internships_and_study_periods_do_not_inflate_years() -> None:
    text = """Lena Fischer
lena@example.com
EXPERIENCE
Registered Nurse, City Hospital
Jun 2024 - Present
Nursing Intern, City Hospital
Jan 2023 - Dec 2023
Part-time Cashier, Corner Shop
Jan 2020 - Dec 2023
EDUCATION
BSc Nursing, University of Hamburg 2020 - 2024
"""
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    # 1 year as a nurse. The internship and the part-time job were held while studying
    # (2020-2024): a recruiter does not count them (issue 10: "a 1-year nurse"), so they add
    # nothing; outside studies they would count half (test_cv_years.py).
    assert a.total_experience_years == pytest.approx(1.0, abs=0.1)


def test_overlapping_full_time_job_counts_once() -> None:
    text = """Lena Fischer
EXPERIENCE
Engineer, Foo GmbH
Jan 2020 - Dec 2021
Working student, Foo GmbH
Jan 2019 - Dec 2020
"""
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    assert a.total_experience_years == pytest.approx(2.5, abs=0.05)
