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
import unicodedata
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any

from resumate.ai.jobs import fields
from resumate.ai.jobs.structure import (
    Part,
    classified_lines,
    fold,
    has_headed_requirements,
    is_nice_wording,
    split_posting,
)
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
# Words after which the rest of a sentence is a plus: "scripting, ideally with Bash" asks for
# scripting and would like Bash.
_NICE_PREFIX_RE = re.compile(
    r"\b(?:ideally|preferably|preferred|idealerweise|bestenfalls|bevorzugt|vorzugsweise|"
    r"idealement|de preference|idealmente|preferiblemente|preferentemente|de preferencia|"
    r"preferencialmente|preferibilmente|bij voorkeur|se valorara|valoraremos)\b",
    re.IGNORECASE,
)
# Job-ad German the taxonomy knows in English: soft skills and fields as ads word them.
_GERMAN_TERMS = [
    (r"team(?:fahig(?:keit(?:en)?)?|arbeit|orientierung|geist)|arbeiten im team", "teamwork"),
    (r"kommunikations(?:fahig(?:keit(?:en)?)?|starke|kompetenz)", "communication skills"),
    (r"analytische(?:s|n)? (?:fahigkeit(?:en)?|denken|verstandnis|vorgehen)", "analytical skills"),
    (r"projekt ?management(?:kompetenz|erfahrung)?|projektleitung", "project management"),
    (r"softwareentwicklung|software entwicklung|software- ?entwicklung", "software development"),
    (r"auswertung und visualisierung (?:(?:gro(?:ss|ß)er )?datenmengen|von daten)",
     "data analysis and data visualization"),
    (r"datenanalysen?|auswertung (?:gro(?:ss|ß)er )?datenmengen", "data analysis"),
    (r"visualisierung (?:gro(?:ss|ß)er )?datenmengen|datenvisualisierung", "data visualization"),
    (r"(?:zielorientiertes )?losen von problemen|problemlosung", "problem solving"),
    (r"datenbankdesign|datenmodellierung", "database design"),
    (r"datenbankadministration", "database administration"),
    (r"it-infrastruktur(?:en)?", "it infrastructure"),
]  # fmt: skip
_GERMAN_RES = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), en) for p, en in _GERMAN_TERMS]
# How ads word common skills that a skills list names otherwise.
_AD_PHRASES = [
    (r"(?:manage|managing) stakeholder(?:s'?)? expectations|stakeholder management",
     "stakeholder management"),
    # "supervises assigned staff", "supervises, directs, and evaluates assigned staff"
    (r"supervis(?:e|es|ing|ion of|ory duties over)(?:,? (?:and )?\w+){0,3},? "
     r"(?:assigned |agency |the )?(?:staff|personnel|employees|team)|supervisory duties",
     "team leadership"),
    (r"answer(?:s|ing)? (?:the public['’]s |customers['’]? |clients['’]? |customer |client |"
     r"callers['’]? )(?:questions|inquiries|enquiries)", "customer service"),
    (r"(?:manages?|managing|oversee|oversees) (?:staff and )?(?:the )?budgets?", "budgeting"),
    (r"giving talks|speaking at conferences|speak (?:about .{0,40})?at (?:various )?conferences|"
     r"public speaking|spokesperson", "presentation skills"),
    (r"interaction and user interface design", "interaction design and user interface design"),
    (r"public clouds?|cloud[- ]based systems", "cloud computing"),
    (r"multiple projects (?:and \w+ )?simultaneously|several projects at (?:the same|a) time|"
     r"multiple projects at the same time", "multitasking"),
    (r"self-disciplined|self-directed", "self-motivation"),
    (r"fast-paced environment", "working under pressure"),
    (r"strategic plan\b", "strategic planning"),
    (r"data accuracy", "data quality"),
    (r"vendor contracts|liaison with (?:\w+ ){0,3}vendors", "vendor management"),
    (r"work schedules", "scheduling"),
    (r"timesheets", "payroll"),
    # "provides close (to general) supervision to deputy clerks": supervising others, not
    # being supervised.
    (r"provides? (?:(?:close|direct|general)(?: to (?:close|direct|general))? )?supervision "
     r"(?:to|of|over)\b", "team leadership"),
    # Not skills at all, though the words look like some.
    (r"(?:with |under |requiring )?(?:minimal|little|limited|close|general|direct) supervision|"
     r"without supervision", "independent work"),
    (r"triage (?:for|of) (?:inbound )?(?:calls|tickets|requests|issues)", "support requests"),
    (r"(?:research and )?advocacy (?:priorities|work|efforts|campaigns)", "policy work"),
    (r"\bespresso\b(?=[^.]{0,80}(?:test|automation|android))|"
     r"(?<=xcuitest and )espresso", "android ui testing"),
]  # fmt: skip
# "our Sales and Software Development departments": names of units, not skills.
_UNIT_AFTER_RE = re.compile(
    r"^[^,.;:()]{0,45}?\b(?:departments?|divisions?|abteilung(?:en)?|business units?)\b",
    re.IGNORECASE,
)
# "Automatic Voter Registration (AVR)": an acronym the ad defines is not a skill's alias.
_ACRONYM_RE = re.compile(r"((?:[A-Za-z][\w-]*\s+){1,6})\(([A-Z]{2,6})\)")


# "Salary CAD 120,000": a currency code next to an amount is no skill (CAD, computer-aided
# design).
_CURRENCY_CODES = {
    "CAD", "AUD", "NZD", "USD", "EUR", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "INR", "JPY", "CNY", "BRL", "MXN", "ZAR", "SGD", "HKD",
}  # fmt: skip
_AMOUNT_AFTER_RE = re.compile(r"^\s?[$€£]?\d")
_AMOUNT_BEFORE_RE = re.compile(r"\d[\d.,]*\s?[kKmM]?\s?$")


def _is_currency(sentence: str, start: int, end: int) -> bool:
    if sentence[start:end] not in _CURRENCY_CODES:
        return False
    return bool(
        _AMOUNT_AFTER_RE.match(sentence[end:]) or _AMOUNT_BEFORE_RE.search(sentence[:start])
    )


def _defined_acronyms(text: str) -> set[str]:
    found = set()
    for m in _ACRONYM_RE.finditer(text):
        words = m.group(1).split()
        acronym = m.group(2)
        initials = "".join(w[0] for w in words[-len(acronym) :]).upper()
        if initials == acronym:
            found.add(acronym)
    return found


_AD_PHRASE_RES = [(re.compile(rf"\b(?:{p})", re.IGNORECASE), en) for p, en in _AD_PHRASES]
# "Kommunikations- und Teamfähigkeit", "Deutsch- und Englischkenntnisse": the first word
# borrows the second one's head.
_COMPOUND_RE = re.compile(
    r"\b(\w+)-\s*(und|oder|sowie|&|,)\s+(\w+?)(fahigkeit(?:en)?|fahig|kenntnisse|starke|"
    r"kompetenz(?:en)?|erfahrung(?:en)?|entwicklung)\b",
    re.IGNORECASE,
)


def _unaccent(text: str) -> str:
    """The text without accents, letter case kept ("Lösen von R-Problemen" -> "Losen von
    R-Problemen"): the same letters as ``fold`` gives, in their case."""
    text = text.replace("’", "'")
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _normalise(sentence: str) -> str:
    """The sentence with German compounds spelt out, common job-ad German in English and
    common ad phrasings in the words of the skills list."""
    sentence = sentence.replace("\u00ad", "")  # soft hyphens: "Software\u00ad entwicklung"
    for pattern, english in _AD_PHRASE_RES:
        sentence = pattern.sub(english, sentence)
    folded = fold(sentence)
    # The German rules are matched without regard to case on the unaccented sentence, whose
    # letters keep their case: names read case-sensitively ("R", "SAP", "React", "Go") are
    # found in a German or Spanish sentence as in an English one.
    text = re.sub(r"(\w)-\s+(kenntnisse)\b", r"\1\2", _unaccent(sentence), flags=re.IGNORECASE)
    text = _COMPOUND_RE.sub(lambda m: f"{m[1]}{m[4]} {m[2]} {m[3]}{m[4]}", text)
    for pattern, english in _GERMAN_RES:
        text = pattern.sub(english, text)
    plain = folded.isascii() and not re.search(r"[a-z]-\s", folded) and "fahig" not in folded
    return sentence if plain and fold(text) == folded else text


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


def _skills_of(
    sentence: str,
    *,
    industry_ok: bool,
    acronyms: frozenset[str] = frozenset(),
    section: str = "other",
) -> tuple[list[str], list[str]]:
    """(skills, spoken languages) mentioned in one sentence. A requirement part is read as a
    CV's skills list is ("skills" section: fields such as "software development" count there),
    any other text as prose."""
    skills: list[str] = []
    languages: list[str] = []
    for occ in find_occurrences(sentence, section):
        skill = occ.skill
        if _UNIT_AFTER_RE.match(sentence[occ.end :]) or sentence[occ.start : occ.end] in acronyms:
            continue
        if _is_currency(sentence, occ.start, occ.end):
            continue
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
    acronyms = frozenset(_defined_acronyms(description))
    # Only a requirement *heading* makes the ad strict; an ad in one paragraph says what it
    # needs among its duties.
    has_requirements = has_headed_requirements(parts)
    source = _SOURCE_KINDS if has_requirements else (*_SOURCE_KINDS, *_FALLBACK_KINDS)

    required: list[str] = []
    nice: list[str] = []
    languages: list[str] = []
    required_text: list[str] = []
    nice_text: list[str] = []
    duties: list[str] = []
    if title:
        # The title names the work, not a requirement; grades and tech in brackets
        # ("Service Designer (SEO)") say even less.
        bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", title)
        for name in _skills_of(bare, industry_ok=False, section="skills")[0]:
            _add(duties, name)
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
            sentence = _normalise(sentence)
            industry_ok = bool(_EXPERIENCE_WORD_RE.search(fold(sentence)))
            # (text, is it a plus?) pieces: a sentence worded as a plus is one; "X, ideally
            # Y" asks for X and would like Y.
            pieces: list[tuple[str, bool]]
            prefix = _NICE_PREFIX_RE.search(fold(sentence))
            if kind == "nice_to_have":
                pieces = [(sentence, True)]
            elif prefix is not None and prefix.start() > 0:
                head, tail = sentence[: prefix.start()], sentence[prefix.start() :]
                pieces = [(head, is_nice_wording(head)), (tail, True)]
            else:
                pieces = [(sentence, is_nice_wording(sentence))]
            for piece, is_nice in pieces:
                (nice_text if is_nice else required_text).append(piece)
                skills, spoken = _skills_of(
                    piece,
                    industry_ok=industry_ok,
                    acronyms=acronyms,
                    section="skills" if kind in _SOURCE_KINDS else "other",
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
        required_text="\n".join(required_text),
        other_text="\n".join(
            line for kind, line in lines if kind in ("intro", "other", "responsibilities")
        ),
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
