"""Everything read from a job ad: its parts, requirements and stated facts.

Where requirements come from (decided on real ads, see benchmarks/job_real/):
- required skills come from the requirement parts ("Requirements", "Your profile",
  "Requisitos", lines worded "you have ...", "experience with ..."), plus the job title;
- when an ad has no requirement part at all, from its responsibilities and its unheaded lines
  (a short ad often says "You will build our APIs in Go" and nothing else);
- nice-to-haves come from nice-to-have parts and from requirement sentences worded as a plus
  ("... is a plus", "von Vorteil", "se valorará");
- company, benefits, how-to-apply and legal parts never give requirements, and neither does a
  legal or benefit line inside another part;
- spoken languages are not skills: a language with a stated level in a requirement part
  ("fluent German", "English C1") is reported in ``required_languages``;
- industry words ("Insurance", "Retail") count only in a requirement sentence that asks for
  experience or knowledge of them.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any

from resumate.ai.jobs import fields
from resumate.ai.jobs.structure import Part, classified_lines, fold, is_nice_wording, split_posting
from resumate.ai.skills import find_occurrences

_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?;])\s+")
_INDUSTRY = {
    "Insurance", "Aviation", "Construction", "Real estate", "Retail", "Banking", "Hospitality",
    "E-commerce", "Logistics", "Public sector", "Non-profit", "Automotive", "Telecommunications",
}  # fmt: skip
_EXPERIENCE_WORD_RE = re.compile(
    r"experience|background|knowledge|expertise|familiar|understanding|worked|"
    r"erfahrung|kenntnisse|experiencia|conocimiento|experiencia|conhecimento|esperienza|"
    r"conoscenza|ervaring|kennis",
    re.IGNORECASE,
)
# German writes language requirements as one word ("verhandlungssichere Deutschkenntnisse").
_LANGUAGE_COMPOUND_RE = re.compile(
    r"(deutsch|englisch|franzosisch|spanisch|italienisch|niederlandisch|portugiesisch|"
    r"polnisch|russisch|turkisch|arabisch|chinesisch|japanisch)(?:kenntnisse|sprachig)",
    re.IGNORECASE,
)
_COMPOUND_LANGUAGES = {
    "deutsch": "German", "englisch": "English", "franzosisch": "French", "spanisch": "Spanish",
    "italienisch": "Italian", "niederlandisch": "Dutch", "portugiesisch": "Portuguese",
    "polnisch": "Polish", "russisch": "Russian", "turkisch": "Turkish", "arabisch": "Arabic",
    "chinesisch": "Chinese", "japanisch": "Japanese",
}  # fmt: skip
_SOURCE_KINDS = ("requirements", "nice_to_have")
_FALLBACK_KINDS = ("responsibilities", "intro", "other")


@dataclass
class JobPosting:
    required_skills: list[str] = field(default_factory=list)
    nice_to_have_skills: list[str] = field(default_factory=list)
    required_languages: list[str] = field(default_factory=list)
    # Skills named in the duties of an ad that also has a requirement part: not requirements,
    # but what the work involves (a light signal for matching, never listed as missing).
    duty_skills: list[str] = field(default_factory=list)
    min_experience_years: float | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    location: str | None = None
    location_type: str | None = None
    seniority: str | None = None
    language: str | None = None
    parts: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _add(target: list[str], name: str) -> None:
    if name not in target:
        target.append(name)


def _skills_of(sentence: str, *, industry_ok: bool) -> tuple[list[str], list[str]]:
    """(skills, spoken languages) mentioned in one sentence."""
    skills: list[str] = []
    languages: list[str] = []
    for occ in find_occurrences(sentence, "other"):
        skill = occ.skill
        if skill.spoken_language:
            _add(languages, skill.name)
        elif skill.name in _INDUSTRY and not industry_ok:
            continue
        else:
            _add(skills, skill.name)
    for m in _LANGUAGE_COMPOUND_RE.finditer(fold(sentence)):
        _add(languages, _COMPOUND_LANGUAGES[m.group(1).lower()])
    return skills, languages


def parse_posting(description: str, *, title: str = "") -> JobPosting:
    parts = split_posting(description)
    lines = classified_lines(parts)
    kinds_present = {kind for kind, _ in lines}
    has_requirements = "requirements" in kinds_present
    source = _SOURCE_KINDS if has_requirements else (*_SOURCE_KINDS, *_FALLBACK_KINDS)

    required: list[str] = []
    nice: list[str] = []
    languages: list[str] = []
    required_text: list[str] = []
    nice_text: list[str] = []
    if title:
        for name in _skills_of(title, industry_ok=False)[0]:
            _add(required, name)
    duties: list[str] = []
    for kind, line in lines:
        if kind == "responsibilities" and has_requirements:
            for name in _skills_of(line, industry_ok=False)[0]:
                _add(duties, name)
            continue
        if kind not in source:
            continue
        for sentence in _SENTENCE_SPLIT_RE.split(line):
            if not sentence.strip():
                continue
            is_nice = kind == "nice_to_have" or is_nice_wording(sentence)
            (nice_text if is_nice else required_text).append(sentence)
            skills, spoken = _skills_of(
                sentence, industry_ok=bool(_EXPERIENCE_WORD_RE.search(fold(sentence)))
            )
            for name in skills:
                if is_nice:
                    if name not in required:
                        _add(nice, name)
                else:
                    _add(required, name)
                    if name in nice:
                        nice.remove(name)
            if not is_nice:
                for name in spoken:
                    _add(languages, name)

    years = fields.min_experience_years(
        description,
        required_text="\n".join(required_text) or None,
        nice_text="\n".join(nice_text) or None,
    )
    # Pay is usually in the benefits or an unheaded line; never read it from legal text
    # (pay-transparency notices quote other roles' ranges rarely, but company parts quote
    # revenue often).
    pay_text = "\n".join(line for kind, line in lines if kind not in ("company",))
    salary = fields.extract_salary(f"{title}\n{pay_text}")
    return JobPosting(
        required_skills=required,
        nice_to_have_skills=[n for n in nice if n not in required],
        required_languages=languages,
        duty_skills=[d for d in duties if d not in required and d not in nice][:40],
        min_experience_years=years,
        salary_min=salary.minimum if salary else None,
        salary_max=salary.maximum if salary else None,
        salary_currency=salary.currency if salary else None,
        salary_period=salary.period if salary else None,
        location=fields.extract_location(description),
        location_type=fields.work_mode(f"{title}\n{description}"),
        seniority=fields.seniority(title, years) if title else None,
        language=fields.detect_language(f"{title}\n{description}"),
        parts=_part_summary(parts),
    )


def _part_summary(parts: list[Part]) -> list[dict[str, Any]]:
    return [
        {"kind": p.kind, "heading": (p.heading or "")[:120] or None, "lines": len(p.lines)}
        for p in parts
        if p.lines
    ][:40]


def skill_id(name: str) -> int:
    """A stable positive int32 for a skill name (canonical, case-folded): the keyword stage
    of matching compares these in an integer array with a GIN index."""
    from resumate.ai.skills import canonical_skill

    key = re.sub(r"\s+", " ", (canonical_skill(name) or name).strip().lower())
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) & 0x7FFFFFFF


def skill_ids(names: list[str]) -> list[int]:
    return sorted({skill_id(n) for n in names if n and n.strip()})
