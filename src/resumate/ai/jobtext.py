"""Requirements from a job description: required and nice-to-have skills, minimum experience."""

from __future__ import annotations

import re

from resumate.ai.schemas import JobRequirements
from resumate.ai.skills import find_occurrences

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "a": 1, "an": 1, "several": 3, "a few": 2, "a couple of": 2,
    "ein": 1, "einem": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "zehn": 10, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "diez": 10, "três": 3, "quatro": 4,
    "due": 2, "tre": 3, "cinque": 5, "twee": 2, "drie": 3, "vijf": 5,
}  # fmt: skip
_NUM = (
    r"(\d+(?:[.,]5)?|"
    + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
    + ")"
)
_YEARS_WORD = r"(?:years?|yrs?|jahre[n]?|ans|années|años|anos|anni|jaar|jaren)"
_EXPERIENCE_RE = re.compile(
    rf"(?:(?:at\s+least|minimum(?:\s+of)?|min\.?|over|more\s+than|mindestens|mind\.|"
    rf"au\s+moins|al\s+menos|pelo\s+menos|almeno|minimaal|ten\s+minste)\s+)?"
    rf"{_NUM}\s*(?:\+|plus)?\s*(?:(?:-|–|to|bis|à|a)\s*{_NUM}\s*\+?\s*)?{_YEARS_WORD}",
    re.IGNORECASE,
)
_EXPERIENCE_CONTEXT_RE = re.compile(
    r"experience|experienced|erfahrung|berufserfahrung|expérience|experiencia|experiência|"
    r"esperienza|ervaring|background|track record|working|in (?:a|an|the)\s+\w+ role",
    re.IGNORECASE,
)
_NICE_RE = re.compile(
    r"nice[\s-]to[\s-]have|bonus|preferred|preferably|a plus|is a plus|are a plus|"
    r"an advantage|advantageous|desirable|desired|ideally|optional|would be great|"
    r"nice if|good to have|great to have|extra points|plus points|wünschenswert|"
    r"von vorteil|idealerweise|ein plus|souhaité|souhaitable|un plus|serait un plus|"
    r"deseable|valorable|se valorará|um diferencial|desejável|gradito|costituisce un plus|"
    r"pré|pluspunt|is een pré",
    re.IGNORECASE,
)
_REQUIRED_HEAD_RE = re.compile(
    r"^(?:requirements?|required|must[\s-]haves?|qualifications|what you(?:'ll)? (?:need|bring)|"
    r"who you are|your profile|about you|skills|minimum qualifications|basic qualifications|"
    r"anforderungen|ihr profil|dein profil|das bringst du mit|profil recherché|votre profil|"
    r"requisitos|perfil|requisiti|profilo|wat wij vragen|functie-eisen)\b",
    re.IGNORECASE,
)
_NICE_HEAD_RE = re.compile(
    r"^(?:nice[\s-]to[\s-]haves?|bonus(?: points)?|preferred(?: qualifications| skills)?|"
    r"desirable|desired|pluses|good to have|it would be great if|extra credit|"
    r"wünschenswert|von vorteil|atouts|un plus|deseable|valorable|diferenciais|gradito)\b",
    re.IGNORECASE,
)
_BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦○◆►▶➢➤✓✔\-–—*·]|\d{1,2}[.)])\s*")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?;])\s+|\n")


def _to_number(raw: str) -> float | None:
    raw = raw.strip().lower()
    if raw in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[raw])
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def min_experience_years(text: str) -> float | None:
    """The main "N years" experience requirement (a range gives its lower bound).

    With several figures ("5+ years of engineering, 2+ with AWS") the largest required one is
    the overall bar; figures in nice-to-have sentences only count when nothing else does.
    """
    found: list[float] = []
    nice: list[float] = []
    for sentence in _SENTENCE_SPLIT_RE.split(text):
        if not _EXPERIENCE_CONTEXT_RE.search(sentence):
            continue
        bucket = nice if _NICE_RE.search(sentence) else found
        for m in _EXPERIENCE_RE.finditer(sentence):
            value = _to_number(m.group(1))
            if value is not None and 0 < value <= 40:
                bucket.append(value)
    if found:
        return max(found)
    return min(nice) if nice else None


def _is_heading(line: str) -> bool:
    stripped = line.strip().rstrip(":")
    return 0 < len(stripped) <= 60 and len(stripped.split()) <= 7 and not stripped.endswith(".")


def extract_job_requirements(description: str) -> JobRequirements:
    required: list[str] = []
    nice: list[str] = []
    mode = "required"
    for raw_line in description.splitlines():
        line = _BULLET_RE.sub("", raw_line).strip()
        if not line:
            continue
        if _is_heading(line) and not _BULLET_RE.match(raw_line):
            if _NICE_HEAD_RE.match(line):
                mode = "nice"
                continue
            if _REQUIRED_HEAD_RE.match(line) or line.endswith(":"):
                mode = "required" if not _NICE_RE.search(line) else "nice"
                if not find_occurrences(line, "skills"):
                    continue
        for sentence in _SENTENCE_SPLIT_RE.split(line):
            if not sentence.strip():
                continue
            target = nice if (mode == "nice" or _NICE_RE.search(sentence)) else required
            for occ in find_occurrences(sentence, "skills"):
                name = occ.skill.name
                if name not in required and name not in nice:
                    target.append(name)
    return JobRequirements(
        required_skills=required,
        nice_to_have_skills=[n for n in nice if n not in required],
        min_experience_years=min_experience_years(description),
    )
