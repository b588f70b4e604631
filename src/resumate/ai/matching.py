"""Explained CV-to-job scoring (pure: no database, no I/O).

A score a candidate can understand, out of 100:
- required skills covered (exact, or partially through a closely related skill),
- semantic similarity of the whole texts, calibrated per embedding model,
- experience against the stated minimum,
- nice-to-have skills.
Components that do not apply (no required skills given, no minimum stated) hand their weight
to the others, so a sparse job ad is not scored against requirements it never stated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

SCORING_VERSION = "match-3"

WEIGHTS = {"skills": 45.0, "semantic": 30.0, "experience": 15.0, "nice_to_have": 10.0}
RELATED_CREDIT = 0.5
# Share of the skills component given to the skills named in the ad's duties (when it also
# states requirements): what the work involves, weaker evidence than a stated requirement.
DUTY_SHARE = 0.3

# Sentence-embedding cosine similarities between CVs and job ads bunch in a narrow band; a
# logistic around each model's midpoint between fitting and unrelated pairs spreads them
# over 0-1. (center, spread) per model; measured in benchmarks/match_eval.py.
CALIBRATION: dict[str, tuple[float, float]] = {
    # Whole CV vs job ad: median cosine 0.76 for best fits, 0.26 for unrelated pairs on the
    # labelled set (benchmarks/match_eval.py).
    "all-MiniLM-L6-v2-int8": (0.50, 0.15),
    "ollama:nomic-embed-text": (0.62, 0.05),
}
DEFAULT_CALIBRATION = (0.50, 0.15)


@dataclass
class CvProfile:
    skills: list[str]
    years: float | None
    text: str
    title: str | None = None
    # Per-CV memo of "is this skill named in the text": ranking scores one CV against a
    # hundred or more ads that share most of their skills.
    _mentions: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _lower: str | None = field(default=None, repr=False, compare=False)
    _have: dict[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def have(self) -> dict[str, str]:
        """The CV's skills by normalised canonical name (made once per profile)."""
        if self._have is None:
            self._have = {_key(_canonical(s)): s for s in self.skills}
        return self._have

    def mentions(self, skill: str) -> bool:
        hit = self._mentions.get(skill)
        if hit is None:
            if self._lower is None:
                self._lower = self.text.lower()
            hit = self._mentions[skill] = _mentioned(skill, self._lower)
        return hit


@dataclass
class JobProfile:
    title: str
    required_skills: list[str]
    nice_to_have_skills: list[str] = field(default_factory=list)
    min_years: float | None = None
    description: str = ""
    duty_skills: list[str] = field(default_factory=list)


@dataclass
class SkillCoverage:
    matched: list[str]
    partial: list[dict[str, str]]  # {"skill": required, "via": what the CV has}
    missing: list[str]

    @property
    def fraction(self) -> float:
        total = len(self.matched) + len(self.partial) + len(self.missing)
        if total == 0:
            return 1.0
        return (len(self.matched) + RELATED_CREDIT * len(self.partial)) / total


@dataclass
class MatchResult:
    score: int
    semantic_similarity: float
    raw_cosine: float | None
    matched_skills: list[str]
    partial_skills: list[dict[str, str]]
    missing_skills: list[str]
    matched_nice_to_have: list[str]
    missing_nice_to_have: list[str]
    experience_gap_years: float
    breakdown: list[dict[str, Any]]
    explanation: str
    scoring_version: str = SCORING_VERSION

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "semantic_similarity": self.semantic_similarity,
            "raw_cosine": self.raw_cosine,
            "matched_skills": self.matched_skills,
            "partial_skills": self.partial_skills,
            "missing_skills": self.missing_skills,
            "matched_nice_to_have": self.matched_nice_to_have,
            "missing_nice_to_have": self.missing_nice_to_have,
            "experience_gap_years": self.experience_gap_years,
            "breakdown": self.breakdown,
            "explanation": self.explanation,
            "scoring_version": self.scoring_version,
        }


def calibrate(cosine: float, model: str) -> float:
    center, spread = CALIBRATION.get(model, DEFAULT_CALIBRATION)
    return round(1.0 / (1.0 + math.exp(-(cosine - center) / spread)), 4)


@lru_cache(maxsize=16384)
def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


@lru_cache(maxsize=8192)
def _canonical(name: str) -> str:
    from resumate.ai.skills import canonical_skill

    return canonical_skill(name) or name.strip()


@lru_cache(maxsize=8192)
def _related(name: str) -> frozenset[str]:
    from resumate.ai.skills import related_skills

    return frozenset(related_skills(name))


def _mentioned(skill: str, text_lower: str) -> bool:
    """The skill's name appears in the text on word boundaries (for skills outside the
    taxonomy, which extraction cannot have found)."""
    needle = skill.lower().strip()
    if len(needle) < 2:
        return False
    pattern = r"(?<![\w+#.])" + re.escape(needle) + r"(?![\w+#])"
    return re.search(pattern, text_lower) is not None


def cover_skills(wanted: list[str], cv: CvProfile) -> SkillCoverage:
    have = cv.have()
    matched: list[str] = []
    partial: list[dict[str, str]] = []
    missing: list[str] = []
    seen: set[str] = set()
    for raw in wanted:
        skill = _canonical(raw)
        key = _key(skill)
        if not key or key in seen:
            continue
        seen.add(key)
        if key in have or cv.mentions(skill) or (raw != skill and cv.mentions(raw)):
            matched.append(skill)
            continue
        via = next((have[_key(r)] for r in _related(skill) if _key(r) in have), None)
        if via is not None:
            partial.append({"skill": skill, "via": via})
        else:
            missing.append(skill)
    return SkillCoverage(matched=matched, partial=partial, missing=missing)


def _experience_fit(years: float | None, minimum: float | None) -> tuple[float | None, float]:
    """(fit 0-1 or None when no minimum applies, gap in years)."""
    if not minimum:
        return None, 0.0
    have = years or 0.0
    gap = round(max(0.0, minimum - have), 1)
    fit = min(1.0, have / minimum) if minimum > 0 else 1.0
    return fit**1.5, gap


def score_match(cv: CvProfile, job: JobProfile, *, cosine: float | None, model: str) -> MatchResult:
    required = cover_skills(job.required_skills, cv)
    nice = cover_skills(job.nice_to_have_skills, cv)
    duties = cover_skills(job.duty_skills, cv) if job.duty_skills else None
    semantic = calibrate(cosine, model) if cosine is not None else None
    exp_fit, gap = _experience_fit(cv.years, job.min_years)
    if exp_fit is not None:
        # Years count in proportion to how well the skills fit: ten years of nursing do not
        # make a nurse a fit for a data-engineering ad.
        if job.required_skills:
            relevance = required.fraction
        else:
            relevance = semantic if semantic is not None else 1.0
        exp_fit *= relevance

    parts: dict[str, float | None] = {
        "skills": (
            (1 - DUTY_SHARE) * required.fraction + DUTY_SHARE * duties.fraction
            if duties is not None and job.required_skills
            else (required.fraction if job.required_skills else None)
        ),
        "semantic": semantic,
        "experience": exp_fit,
        "nice_to_have": nice.fraction if job.nice_to_have_skills else None,
    }
    active = {name: value for name, value in parts.items() if value is not None}
    if not active:
        active = {"semantic": 0.5}
    total_weight = sum(WEIGHTS[name] for name in active)
    breakdown = []
    score = 0.0
    for name in WEIGHTS:
        value = active.get(name)
        max_points = 100.0 * WEIGHTS[name] / total_weight if value is not None else 0.0
        points = (value or 0.0) * max_points
        score += points
        breakdown.append(
            {
                "name": name,
                "points": round(points, 1),
                "max_points": round(max_points, 1),
                "applies": value is not None,
                "detail": _detail(
                    name, required, nice, semantic, cv.years, job.min_years, gap, duties
                ),
            }
        )
    final = max(0, min(100, round(score)))
    result = MatchResult(
        score=final,
        semantic_similarity=semantic if semantic is not None else 0.0,
        raw_cosine=round(cosine, 4) if cosine is not None else None,
        matched_skills=required.matched,
        partial_skills=required.partial,
        missing_skills=required.missing,
        matched_nice_to_have=nice.matched,
        missing_nice_to_have=nice.missing,
        experience_gap_years=gap,
        breakdown=breakdown,
        explanation="",
    )
    result.explanation = explain(result, cv, job)
    return result


def _detail(
    name: str,
    required: SkillCoverage,
    nice: SkillCoverage,
    semantic: float | None,
    years: float | None,
    minimum: float | None,
    gap: float,
    duties: SkillCoverage | None = None,
) -> str:
    if name == "skills":
        total = len(required.matched) + len(required.partial) + len(required.missing)
        if total == 0:
            return "The job states no required skills."
        text = f"{len(required.matched)} of {total} required skills found"
        if required.partial:
            text += f", {len(required.partial)} partly through related skills"
        if duties is not None:
            named = len(duties.matched) + len(duties.partial) + len(duties.missing)
            text += f"; {len(duties.matched)} of {named} skills named in the duties"
        return text + "."
    if name == "semantic":
        if semantic is None:
            return "No text similarity available yet."
        return f"Text similarity {round(semantic * 100)}/100 (calibrated)."
    if name == "experience":
        if not minimum:
            return "No minimum experience stated."
        have = years or 0.0
        if gap <= 0:
            return f"{have:g} years of experience meet the {minimum:g} asked for."
        return f"{have:g} years of experience against {minimum:g} asked for ({gap:g} short)."
    total = len(nice.matched) + len(nice.missing)
    if total == 0:
        return "No nice-to-have skills stated."
    return f"{len(nice.matched)} of {total} nice-to-have skills found."


def _list(items: list[str], limit: int = 4) -> str:
    """'a, b and c'; past ``limit``: 'a, b, c, d and 2 more'."""
    if not items:
        return ""
    shown = items[:limit]
    if len(items) > limit:
        return ", ".join(shown) + f" and {len(items) - limit} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def explain(result: MatchResult, cv: CvProfile, job: JobProfile) -> str:
    if result.score >= 75:
        opening = f"A strong match for {job.title}"
    elif result.score >= 55:
        opening = f"A reasonable match for {job.title}"
    elif result.score >= 35:
        opening = f"A partial match for {job.title}"
    else:
        opening = f"A weak match for {job.title}"
    sentences = [opening + f" ({result.score}/100)."]
    total_required = (
        len(result.matched_skills) + len(result.partial_skills) + len(result.missing_skills)
    )
    if total_required:
        line = f"The CV shows {len(result.matched_skills)} of the {total_required} required skills"
        if result.matched_skills:
            line += f" ({_list(result.matched_skills)})"
        sentences.append(line + ".")
        if result.partial_skills:
            pairs = [f"{p['via']} for {p['skill']}" for p in result.partial_skills]
            sentences.append(f"Related experience partly covers others: {_list(pairs, 3)}.")
        if result.missing_skills:
            sentences.append(f"Missing: {_list(result.missing_skills)}.")
    if job.min_years:
        have = cv.years or 0.0
        if result.experience_gap_years > 0:
            sentences.append(
                f"Experience is {have:g} years against the {job.min_years:g} asked for."
            )
        else:
            sentences.append(f"{have:g} years of experience meet the {job.min_years:g} asked for.")
    if result.raw_cosine is not None:
        if result.semantic_similarity >= 0.7:
            sentences.append("The CV's overall content is closely related to the role.")
        elif result.semantic_similarity < 0.3:
            sentences.append("The CV's overall content is about a different kind of work.")
    return " ".join(sentences)


def suggestions(
    result: MatchResult,
    cv: CvProfile,
    job: JobProfile,
    *,
    sections: list[str] | None = None,
    ats_codes: list[str] | None = None,
) -> list[str]:
    """Concrete, honest edits: what to add if true, what to reword, what to strengthen."""
    tips: list[str] = []
    for skill in result.missing_skills[:6]:
        tips.append(
            f"If you have used {skill}, name it in your skills section and show where you used "
            f"it in an experience bullet; the job lists it as required."
        )
    for pair in result.partial_skills[:4]:
        tips.append(
            f"The job asks for {pair['skill']}; you list {pair['via']}. If you have touched "
            f"{pair['skill']}, say so, or describe the comparable work so a reader makes the link."
        )
    for skill in result.missing_nice_to_have[:3]:
        tips.append(f"{skill} is a plus for this job: mention it if you have it.")
    title_words = [
        w for w in re.findall(r"[A-Za-z][A-Za-z+#.-]{2,}", job.title) if w.lower() not in _STOP
    ]
    absent = [w for w in title_words if w.lower() not in cv.text.lower()]
    if absent:
        tips.append(
            f"The CV never uses the words of the job title ({', '.join(absent[:4])}); if they "
            f"describe your work, use them in your summary or a job title line."
        )
    if result.experience_gap_years > 0:
        tips.append(
            f"The job asks for {job.min_years:g} years; make every relevant role, project or "
            f"freelance period visible with dates so none of your experience is missed."
        )
    present = set(sections or [])
    if sections is not None and "summary" not in present:
        tips.append(
            "Add a 2-3 line summary aimed at this role, naming your strongest matching skills."
        )
    if sections is not None and "skills" not in present:
        tips.append("Add a skills section listing the job's required skills you genuinely have.")
    codes = set(ats_codes or [])
    if codes & {"unquantified_bullets", "few_numbers", "no_metrics"}:
        tips.append(
            "Quantify results in your bullets (numbers, percentages, team sizes) for the "
            "skills this job values."
        )
    return tips


_STOP = {
    "and",
    "the",
    "for",
    "with",
    "senior",
    "junior",
    "lead",
    "head",
    "mid",
    "level",
    "intern",
    "remote",
    "hybrid",
    "full",
    "part",
    "time",
    "m/f/d",
    "w/m/d",
    "all",
    "genders",
}
