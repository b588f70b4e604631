"""The pure CV-to-job score: components, redistribution, explanation and suggestions."""

from __future__ import annotations

from resumate.ai.matching import (
    CvProfile,
    JobProfile,
    _list,
    calibrate,
    score_match,
    suggestions,
)

MODEL = "all-MiniLM-L6-v2-int8"


def cv(**kw: object) -> CvProfile:
    base = {
        "skills": ["Python", "PostgreSQL", "Docker"],
        "years": 6.0,
        "text": "Backend engineer: Python, Django, PostgreSQL, Docker.",
    }
    base.update(kw)
    return CvProfile(**base)  # type: ignore[arg-type]


def job(**kw: object) -> JobProfile:
    base = {
        "title": "Backend Engineer",
        "required_skills": ["Python", "PostgreSQL"],
        "min_years": 5.0,
    }
    base.update(kw)
    return JobProfile(**base)  # type: ignore[arg-type]


def test_calibration_is_monotone_and_spreads_the_band() -> None:
    values = [calibrate(c, MODEL) for c in (0.2, 0.35, 0.5, 0.65, 0.85)]
    assert values == sorted(values)
    assert values[0] < 0.15 and values[-1] > 0.9 and abs(values[2] - 0.5) < 0.01


def test_more_matched_skills_never_lower_the_score() -> None:
    few = score_match(cv(skills=["Python"], text="Python"), job(), cosine=0.45, model=MODEL)
    more = score_match(cv(), job(), cosine=0.45, model=MODEL)
    assert more.score > few.score
    assert few.missing_skills == ["PostgreSQL"] and more.missing_skills == []


def test_related_skills_count_partly() -> None:
    result = score_match(
        cv(skills=["PostgreSQL"], text="PostgreSQL"),
        job(required_skills=["MySQL"]),
        cosine=None,
        model=MODEL,
    )
    assert result.partial_skills == [{"skill": "MySQL", "via": "PostgreSQL"}]
    skills_part = next(p for p in result.breakdown if p["name"] == "skills")
    assert 0 < skills_part["points"] < skills_part["max_points"]


def test_experience_gap_and_unstated_requirements() -> None:
    junior = score_match(cv(years=2.0), job(min_years=5.0), cosine=0.45, model=MODEL)
    senior = score_match(cv(years=8.0), job(min_years=5.0), cosine=0.45, model=MODEL)
    assert junior.experience_gap_years == 3.0 and senior.experience_gap_years == 0
    assert senior.score > junior.score
    bare = score_match(cv(), job(required_skills=[], min_years=None), cosine=0.85, model=MODEL)
    applied = {p["name"]: p["applies"] for p in bare.breakdown}
    assert applied == {
        "skills": False,
        "semantic": True,
        "experience": False,
        "nice_to_have": False,
    }
    assert bare.score >= 90  # only what the ad states is scored


def test_breakdown_adds_up_and_explanation_names_gaps() -> None:
    result = score_match(
        cv(), job(required_skills=["Python", "Kubernetes"]), cosine=0.4, model=MODEL
    )
    assert abs(sum(p["points"] for p in result.breakdown) - result.score) <= 1
    assert "Kubernetes" in result.explanation and f"{result.score}/100" in result.explanation


def test_suggestions_are_concrete() -> None:
    result = score_match(
        cv(),
        job(required_skills=["Python", "Terraform"], nice_to_have_skills=["AWS"]),
        cosine=0.4,
        model=MODEL,
    )
    tips = suggestions(
        result, cv(), job(required_skills=["Python", "Terraform"]), sections=["experience"]
    )
    assert any("Terraform" in t for t in tips)
    assert any("summary" in t for t in tips) and any("skills section" in t for t in tips)


def test_list_wording() -> None:
    assert _list(["a"]) == "a"
    assert _list(["a", "b", "c"]) == "a, b and c"
    assert _list(["a", "b", "c", "d", "e"]) == "a, b, c, d and 1 more"


def test_years_in_an_unrelated_field_do_not_make_a_fit() -> None:
    nurse = cv(
        skills=["Nursing", "Patient care"], years=15.0, text="Registered nurse, ICU, 15 years."
    )
    unrelated = score_match(nurse, job(), cosine=0.2, model=MODEL)
    experience = next(p for p in unrelated.breakdown if p["name"] == "experience")
    assert experience["applies"] and experience["points"] == 0
    fitting = score_match(cv(years=15.0), job(), cosine=0.2, model=MODEL)
    assert next(p for p in fitting.breakdown if p["name"] == "experience")["points"] > 0
    # Without required skills, text similarity stands in for the fit.
    close = score_match(nurse, job(required_skills=[]), cosine=0.8, model=MODEL)
    far = score_match(nurse, job(required_skills=[]), cosine=0.1, model=MODEL)
    points = [
        next(p for p in r.breakdown if p["name"] == "experience")["points"] for r in (close, far)
    ]
    assert points[0] > 5 * points[1]
