"""Evaluate the offline CV analyzer on the real-CV development set (benchmarks/cv_real/).

    .venv/bin/python benchmarks/cv_real_eval.py [--set real|unseen|dev2|dev3|holdout] [--cache DIR]
        [--only ID ...] [-v] [--json OUT]

The set is public CVs collected from public repositories and labelled by hand (see
benchmarks/cv_real/README.md). The CV files themselves are not in git: they live in a cache
directory (default benchmarks/.cache/cv_real/, or $RESUMATE_CV_REAL_DIR) that
`benchmarks/cv_real/collect.py` fills from the coordinates in the manifest. Files that are
missing are skipped and counted, so the table always says how many CVs it is based on.

Per field it reports: name / email / phone / location accuracy; positions found with their
dates (recall and precision); total years within a recruiter-acceptable range; skills
precision and recall (aliases normalised through the taxonomy, spoken languages left out);
false-positive skills grouped by what they really are (company, industry, degree subject,
place, other); per-file failures with reasons; p50/p95 analysis time per document type.

`--set unseen` scores the held-out set in benchmarks/cv_unseen/ instead (same manifest and label
format; cache benchmarks/.cache/cv_unseen/ or $RESUMATE_CV_UNSEEN_DIR). No accuracy decision is
taken on it: it says whether the development-set figures hold on CVs nobody tuned for.
`--set holdout` scores benchmarks/cv_holdout/ (cache benchmarks/.cache/cv_holdout/ or
$RESUMATE_CV_HOLDOUT_DIR): a second held-out set, for measuring only, built once the unseen set had
been looked at while tuning. `--set dev2` scores benchmarks/cv_dev2/ (cache
benchmarks/.cache/cv_dev2/ or $RESUMATE_CV_DEV2_DIR), the third development set; `--set dev3` scores
benchmarks/cv_dev3/ (cache benchmarks/.cache/cv_dev3/ or $RESUMATE_CV_DEV3_DIR), the fourth.

The table's goal for the number of CVs is the size each set was built to (60 for the first
development set, 20 for the others), not the first set's 60 everywhere.

Importable: `evaluate()` returns a plain dict, `format_report()` renders it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SET_DIR = HERE / "cv_real"
DEFAULT_CACHE = HERE / ".cache" / "cv_real"
# Each set: its manifest/labels directory, default cache, and the variable that overrides it.
SETS = {
    "real": (SET_DIR, DEFAULT_CACHE, "RESUMATE_CV_REAL_DIR"),
    "unseen": (HERE / "cv_unseen", HERE / ".cache" / "cv_unseen", "RESUMATE_CV_UNSEEN_DIR"),
    "holdout": (HERE / "cv_holdout", HERE / ".cache" / "cv_holdout", "RESUMATE_CV_HOLDOUT_DIR"),
    "dev2": (HERE / "cv_dev2", HERE / ".cache" / "cv_dev2", "RESUMATE_CV_DEV2_DIR"),
    "dev3": (HERE / "cv_dev3", HERE / ".cache" / "cv_dev3", "RESUMATE_CV_DEV3_DIR"),
}
# How many CVs each set was built to hold (issue 10 asks for >= 60 in the development set; the
# held-out and later sets were built to >= 20, >= 30 and >= 25). Shown as the goal of the first row.
CV_COUNT_GOAL = {"real": 60, "unseen": 20, "holdout": 20, "dev2": 30, "dev3": 25}

# A recruiter reads "about N years": within one year, or 15 % on long careers, is the same answer.
YEARS_ABS_TOLERANCE = 1.0
YEARS_REL_TOLERANCE = 0.15

# False positives are grouped by what the words really are in that CV: a job title, a
# company, a degree subject or school, a sector, a place, or "other" (generic words, misreads).
# Words that name a sector, not a skill: reported when the analyzer returns them as skills.
INDUSTRY_WORDS = {
    "insurance", "retail", "banking", "finance", "financial services", "healthcare", "health care",
    "media", "logistics", "freight forwarding", "shipping", "telecommunications", "telecom",
    "e-commerce", "ecommerce", "automotive", "energy", "oil and gas", "pharmaceuticals", "pharma",
    "real estate", "hospitality", "education", "government", "public sector", "aerospace",
    "manufacturing", "construction", "agriculture", "fintech", "gaming", "tourism", "consulting",
    "entertainment", "fashion", "food and beverage", "transportation", "defense", "utilities",
    "biotech", "biotechnology", "sales", "marketing", "advertising", "journalism", "publishing",
}  # fmt: skip

MONTHS_PER_YEAR = 12


# --------------------------------------------------------------------------------------------
# Normalisation helpers


def fold(text: str | None) -> str:
    """Casefold, strip accents and collapse whitespace: how two spellings of a name compare."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


_WORD = re.compile(r"[\w+#]+(?:[.'][\w+#]+)*", re.UNICODE)
_STOP = {
    "the", "of", "and", "de", "la", "le", "du", "des", "en", "et", "y", "del", "at", "in", "für",
    "und", "der", "die", "das", "e", "da", "do", "dos", "inc", "ltd", "gmbh", "sa", "s.a",
    "co", "corp", "llc", "ag", "a", "an", "for", "to",
}  # fmt: skip


def words(text: str | None) -> set[str]:
    return {w for w in _WORD.findall(fold(text)) if w not in _STOP}


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


class SkillNormaliser:
    """Map any spelling of a skill to one key, using the taxonomy's names and aliases.

    AWS and Amazon Web Services, JS and JavaScript, ... give the same key. Names the taxonomy
    does not know are folded and compared as they are. `extra` holds aliases the labels use
    that the taxonomy does not list.
    """

    def __init__(self, taxonomy_path: Path | None = None, extra: dict[str, str] | None = None):
        self.key_of: dict[str, str] = {}
        self.category_of: dict[str, str] = {}
        if taxonomy_path is None:
            import resumate.ai

            taxonomy_path = Path(resumate.ai.__file__).parent / "data" / "skills.json"
        data = json.loads(taxonomy_path.read_text("utf-8"))
        for skill in data["skills"]:
            canonical = fold(skill["name"])
            self.category_of[canonical] = skill.get("category", "")
            for spelling in [skill["name"], *skill.get("aliases", [])]:
                self.key_of.setdefault(fold(spelling), canonical)
        for spelling, target in (extra or {}).items():
            self.key_of[fold(spelling)] = self.key_of.get(fold(target), fold(target))

    def key(self, name: str) -> str:
        f = fold(name)
        if f in self.key_of:
            return self.key_of[f]
        # "Node" / "Node.js", "ReactJS" / "React": try without punctuation and a js suffix.
        bare = re.sub(r"[\s.\-_/]", "", f)
        for cand in (bare, bare.removesuffix("js")):
            if cand in self.key_of:
                return self.key_of[cand]
        return f

    def is_spoken_language(self, key: str) -> bool:
        return self.category_of.get(key) == "Spoken languages"


# --------------------------------------------------------------------------------------------
# Dates


@dataclass(frozen=True)
class Ym:
    year: int
    month: int | None  # None when only the year is known

    @classmethod
    def parse(cls, value: Any) -> Ym | None:
        if value is None:
            return None
        text = str(value).strip()
        m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-\d{1,2})?", text)
        if not m:
            return None
        return cls(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    def index(self, end: bool = False) -> int:
        """Months since year 0; a bare year counts as January (start) or December (end)."""
        month = self.month if self.month else (12 if end else 1)
        return self.year * MONTHS_PER_YEAR + month - 1

    def same(self, other: Ym | None) -> bool:
        if other is None or other.year != self.year:
            return False
        return self.month is None or other.month is None or self.month == other.month


def is_present(value: Any) -> bool:
    return value is None or fold(str(value)) in {"present", "now", "current", "today", ""}


def union_years(spans: list[tuple[int, int]]) -> float:
    months = 0
    last_end = -1
    for start, end in sorted(spans):
        if end <= last_end:
            continue
        months += end - max(start, last_end)
        last_end = end
    return months / MONTHS_PER_YEAR


def label_years(label: dict[str, Any], as_of: date) -> float:
    if label.get("years") is not None:
        return float(label["years"])
    today = as_of.year * MONTHS_PER_YEAR + as_of.month - 1
    spans = []
    for pos in label.get("positions") or []:
        if pos.get("internship") or pos.get("exclude_from_years"):
            continue
        start = Ym.parse(pos.get("start"))
        if start is None:
            continue
        end_raw = pos.get("end")
        end = today + 1 if is_present(end_raw) else None
        if end is None:
            parsed = Ym.parse(end_raw)
            if parsed is None:
                continue
            end = parsed.index(end=True) + 1
        spans.append((start.index(), min(end, today + 1)))
    return union_years(spans)


# --------------------------------------------------------------------------------------------
# Loading


def load_manifest(set_dir: Path = SET_DIR) -> list[dict[str, Any]]:
    data = yaml.safe_load((set_dir / "manifest.yaml").read_text("utf-8"))
    return list(data["documents"])


def load_label(set_dir: Path, doc_id: str) -> dict[str, Any]:
    return yaml.safe_load((set_dir / "labels" / f"{doc_id}.yaml").read_text("utf-8")) or {}


def cache_dir_default(set_name: str = "real") -> Path:
    _, default, variable = SETS[set_name]
    env = os.environ.get(variable)
    return Path(env) if env else default


# --------------------------------------------------------------------------------------------
# Scoring one CV


@dataclass
class FileResult:
    id: str
    kind: str
    seconds: float = 0.0
    error: str | None = None
    name_ok: bool = False
    email_ok: bool = False
    phone_ok: bool = False
    location_ok: bool = False
    location_labelled: bool = False
    years_ok: bool = False
    years_got: float = 0.0
    years_want: float = 0.0
    pos_labelled: int = 0
    pos_predicted: int = 0
    pos_matched: int = 0
    edu_labelled: int = 0
    edu_matched: int = 0
    edu_predicted: int = 0
    skills_tp: int = 0
    skills_fp: int = 0
    skills_fn: int = 0
    fp_skills: list[tuple[str, str]] = field(default_factory=list)  # (skill, category)
    fp_snippets: dict[str, str] = field(default_factory=dict)  # skill -> text it was read from
    fn_skills: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    got: dict[str, Any] = field(default_factory=dict)


def _name_ok(got: str | None, want: str | None) -> bool:
    if not want:
        return not got
    if not got:
        return False
    g, w = fold(got), fold(want)
    return g == w or sorted(g.split()) == sorted(w.split())


def _phone_ok(got_raw: str | None, got_e164: str | None, want: str | None) -> bool:
    if not want:
        return not (got_raw or got_e164)
    w = digits(want).lstrip("0")
    if not w:
        return False
    for g in (got_e164, got_raw):
        d = digits(g)
        # E.164 carries a country code the CV may not print; national numbers drop a leading 0.
        if d and (d.endswith(w) or w.endswith(d.lstrip("0"))) and len(d.lstrip("0")) >= 6:
            return True
    return False


def _location_ok(got: str | None, want: str | None) -> bool:
    if not want:
        return not got
    if not got:
        return False
    city = fold(want.split(",")[0])
    return city in fold(got) or bool(words(want) & words(got))


def _entry_matches(pred: dict[str, Any], pos: dict[str, Any]) -> bool:
    start = Ym.parse(pos.get("start"))
    p_start = Ym.parse(pred.get("startDate"))
    if start is None or p_start is None or not start.same(p_start):
        return False
    want_present = is_present(pos.get("end"))
    p_end_raw = pred.get("endDate")
    if want_present:
        if p_end_raw is not None:
            return False
    else:
        want_end = Ym.parse(pos.get("end"))
        if want_end is None or not want_end.same(Ym.parse(p_end_raw)):
            return False
    want_words = words(pos.get("title")) | words(pos.get("company"))
    got_words = words(pred.get("position")) | words(pred.get("name")) | words(pred.get("location"))
    # Dates agree; the entry must also name the title or the employer (or the label has neither).
    return not want_words or bool(want_words & got_words)


def _match_positions(
    preds: list[dict[str, Any]], labels: list[dict[str, Any]]
) -> tuple[int, list[dict[str, Any]]]:
    """How many labelled positions a predicted work entry matches, and the labels left over."""
    used: set[int] = set()
    matched = 0
    left: list[dict[str, Any]] = []
    for pos in labels:
        for i, pred in enumerate(preds):
            if i not in used and _entry_matches(pred, pos):
                used.add(i)
                matched += 1
                break
        else:
            left.append(pos)
    return matched, left


# Words that make a labelled position volunteering, wherever the label writes them.
_VOLUNTEER_WORDS_RE = re.compile(
    r"\b(?:volunteer\w*|ehrenamt\w*|b[eé]n[eé]vol\w*|voluntari[oa]s?|voluntariado|"
    r"volontari[oa]|volontariato|vrijwillig\w*|freiwillig\w*)",
    re.IGNORECASE,
)
# `--work-only` restores the scoring of sessions before this switch existed: every labelled
# position is looked for in parsed_content["work"] only.
VOLUNTEER_SCORING = True


def _is_volunteering(pos: dict[str, Any]) -> bool:
    """A labelled position JSON Resume would list under "volunteer": flagged as no professional
    experience, or named as volunteering."""
    flagged = bool(pos.get("exclude_from_years") or pos.get("internship"))
    named = _VOLUNTEER_WORDS_RE.search(f"{pos.get('title') or ''} {pos.get('company') or ''}")
    return flagged or bool(named)


def _volunteer_matches(volunteer: list[dict[str, Any]], left: list[dict[str, Any]]) -> int:
    """Labelled volunteering found among the analyzer's volunteer entries ("organization" is
    the employer there): each counts as found, and as predicted."""
    preds = [{**v, "name": v.get("organization")} for v in volunteer]
    matched, _ = _match_positions(preds, [p for p in left if _is_volunteering(p)])
    return matched


def _match_education(preds: list[dict[str, Any]], labels: list[dict[str, Any]]) -> int:
    used: set[int] = set()
    matched = 0
    for edu in labels:
        want = words(edu.get("institution")) | words(edu.get("degree"))
        for i, pred in enumerate(preds):
            got = words(pred.get("institution")) | words(pred.get("area"))
            got |= words(pred.get("studyType"))
            if i not in used and want and len(want & got) >= min(2, len(want)):
                used.add(i)
                matched += 1
                break
    return matched


def _fp_category(name: str, label: dict[str, Any], places: set[str]) -> str:
    f = fold(name)
    if not f:
        return "other"
    pattern = re.compile(r"(?<!\w)" + re.escape(f) + r"(?!\w)")

    def mentions(*texts: Any) -> bool:
        return any(pattern.search(fold(str(t))) for t in texts if t)

    titles = [p.get("title") for p in label.get("positions") or []]
    if mentions(*titles) or (_stems(f) and _stems(f) <= set().union(*map(_stems, titles), set())):
        return "job title"
    companies = [p.get("company") for p in label.get("positions") or []]
    if mentions(*companies, *(label.get("companies_other") or [])):
        return "company"
    edu = label.get("education") or []
    if mentions(*[e.get("degree") for e in edu], *[e.get("institution") for e in edu]):
        return "degree subject"
    if f in INDUSTRY_WORDS:
        return "industry"
    locations = [label.get("location"), *[p.get("location") for p in label.get("positions") or []]]
    if f in places or mentions(*locations):
        return "place"
    return "other"


def _stems(text: Any) -> set[str]:
    """First five letters of each word: "Full-stack development" ~ "Full Stack Developer"."""
    return {w[:5] for w in re.split(r"[\W_]+", fold(str(text or ""))) if len(w) > 2}


def _places() -> set[str]:
    try:
        import resumate.ai

        data = json.loads(
            (Path(resumate.ai.__file__).parent / "data" / "places.json").read_text("utf-8")
        )
    except (OSError, ValueError):
        return set()
    out: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, str):
            out.add(fold(node))
        elif isinstance(node, dict):
            for k, v in node.items():
                out.add(fold(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return out


def score_one(
    doc_id: str,
    kind: str,
    analysis: Any,
    label: dict[str, Any],
    as_of: date,
    norm: SkillNormaliser,
    places: set[str],
) -> FileResult:
    r = FileResult(id=doc_id, kind=kind)
    c = analysis.contact
    r.name_ok = any(
        _name_ok(c.name, want) for want in [label.get("name"), *(label.get("name_also") or [])]
    )
    r.email_ok = fold(c.email) == fold(label.get("email"))
    r.phone_ok = _phone_ok(c.phone, c.phone_e164, label.get("phone"))
    r.location_labelled = bool(label.get("location"))
    r.location_ok = r.location_labelled and _location_ok(c.location, label.get("location"))
    parsed = analysis.parsed_content or {}
    work = list(parsed.get("work") or [])
    positions = list(label.get("positions") or [])
    r.pos_labelled, r.pos_predicted = len(positions), len(work)
    r.pos_matched, left = _match_positions(work, positions)
    if VOLUNTEER_SCORING and left:
        extra = _volunteer_matches(list(parsed.get("volunteer") or []), left)
        r.pos_matched += extra
        r.pos_predicted += extra
    education = list(label.get("education") or [])
    r.edu_labelled = len(education)
    r.edu_matched = _match_education(list(parsed.get("education") or []), education)
    r.edu_predicted = len(parsed.get("education") or [])
    r.years_want = round(label_years(label, as_of), 2)
    r.years_got = float(analysis.total_experience_years)
    tolerance = max(YEARS_ABS_TOLERANCE, YEARS_REL_TOLERANCE * r.years_want)
    r.years_ok = abs(r.years_got - r.years_want) <= tolerance

    want = {norm.key(s): s for s in label.get("skills") or []}
    want = {k: v for k, v in want.items() if not norm.is_spoken_language(k)}
    got: dict[str, Any] = {}
    for s in analysis.skills:
        if s.category == "Spoken languages":
            continue
        got.setdefault(norm.key(s.name), s)
    r.skills_tp = len(want.keys() & got.keys())
    r.skills_fp = len(got.keys() - want.keys())
    r.skills_fn = len(want.keys() - got.keys())
    r.fp_skills = sorted(
        (got[k].name, _fp_category(got[k].name, label, places)) for k in got.keys() - want.keys()
    )
    r.fn_skills = sorted(want[k] for k in want.keys() - got.keys())
    for k in got.keys() - want.keys():
        snippet = getattr(got[k], "snippet", "") or ""
        if snippet:
            r.fp_snippets[got[k].name] = " ".join(snippet.split())[:80]

    r.got = {
        "name": c.name,
        "email": c.email,
        "phone": c.phone_e164 or c.phone,
        "location": c.location,
        "years": r.years_got,
        "work": [
            {k: w.get(k) for k in ("position", "name", "startDate", "endDate") if w.get(k)}
            for w in work
        ],
    }
    if not r.name_ok:
        r.problems.append(f"name: got {c.name!r}, want {label.get('name')!r}")
    if not r.email_ok:
        r.problems.append(f"email: got {c.email!r}, want {label.get('email')!r}")
    if not r.phone_ok:
        r.problems.append(f"phone: got {c.phone!r}/{c.phone_e164!r}, want {label.get('phone')!r}")
    if r.location_labelled and not r.location_ok:
        r.problems.append(f"location: got {c.location!r}, want {label.get('location')!r}")
    if r.pos_matched < r.pos_labelled or r.pos_predicted > r.pos_matched:
        r.problems.append(
            f"positions: {r.pos_matched}/{r.pos_labelled} found with dates, "
            f"{r.pos_predicted} predicted: {r.got['work']}"
        )
    if not r.years_ok:
        r.problems.append(f"years: got {r.years_got:.1f}, want {r.years_want:.1f}")
    if r.fp_skills:
        listed = [
            f"{n} [{cat}]" + (f" <- {r.fp_snippets[n]!r}" if n in r.fp_snippets else "")
            for n, cat in r.fp_skills
        ]
        r.problems.append("extra skills: " + ", ".join(listed))
    if r.fn_skills:
        r.problems.append("missed skills: " + ", ".join(r.fn_skills))
    return r


# --------------------------------------------------------------------------------------------
# Running the set


def _as_of(entry: dict[str, Any]) -> date:
    raw = entry.get("as_of") or (entry.get("source") or {}).get("committed")
    if isinstance(raw, date):
        return raw
    return date.fromisoformat(str(raw)) if raw else date.today()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def evaluate(
    cache_dir: Path | None = None,
    set_dir: Path = SET_DIR,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """Run the offline analyzer over every available CV of the set and score it."""
    from resumate.ai.analyzer import analyze_text
    from resumate.ai.documents import DocumentError, detect_kind, extract_text

    set_name = next((name for name, (d, _, _) in SETS.items() if d == set_dir), None)
    cache = cache_dir or cache_dir_default(set_name or "real")
    norm = SkillNormaliser(extra=_extra_aliases(set_dir))
    places = _places()
    entries = load_manifest(set_dir)
    if only:
        entries = [e for e in entries if e["id"] in set(only)]
    results: list[FileResult] = []
    missing: list[str] = []
    warmed = False
    for entry in entries:
        path = cache / entry["file"]
        if not path.is_file():
            missing.append(entry["id"])
            continue
        data = path.read_bytes()
        label = load_label(set_dir, entry["id"])
        as_of = _as_of(entry)
        kind = entry.get("kind") or path.suffix.lstrip(".").lower()
        if entry.get("text_layer") == "none":
            kind = f"{kind} without text layer (OCR)"
        if not warmed:  # load the taxonomy and pdfium once, outside the timings
            with contextlib.suppress(Exception):  # the timed run below reports it
                analyze_text(extract_text(data, detect_kind(data) or kind), today=as_of)
            warmed = True
        t0 = time.perf_counter()
        try:
            detected = detect_kind(data)
            if detected is None:
                raise DocumentError("not recognised as PDF or DOCX")
            analysis = analyze_text(extract_text(data, detected), today=as_of)
        except Exception as exc:  # a crash is a result to report, not to hide
            results.append(
                FileResult(
                    id=entry["id"],
                    kind=kind,
                    seconds=time.perf_counter() - t0,
                    error=f"{type(exc).__name__}: {exc}",
                    problems=[f"analysis failed: {type(exc).__name__}: {exc}"],
                )
            )
            continue
        elapsed = time.perf_counter() - t0
        r = score_one(entry["id"], kind, analysis, label, as_of, norm, places)
        r.seconds = elapsed
        results.append(r)
    return {"set": set_name, **summarise(results, missing, entries)}


def _extra_aliases(set_dir: Path) -> dict[str, str]:
    """Label spellings the taxonomy lacks: the development set's, then the set's own."""
    out: dict[str, str] = {}
    for path in dict.fromkeys([SET_DIR / "aliases.yaml", set_dir / "aliases.yaml"]):
        if path.exists():
            out.update(yaml.safe_load(path.read_text("utf-8")) or {})
    return out


def summarise(
    results: list[FileResult], missing: list[str], entries: list[dict[str, Any]]
) -> dict[str, Any]:
    ok = [r for r in results if r.error is None]
    n = len(results)

    def rate(flag: str) -> float:
        return sum(getattr(r, flag) for r in ok) / n if n else float("nan")

    pos_l = sum(r.pos_labelled for r in ok)
    pos_p = sum(r.pos_predicted for r in ok)
    pos_m = sum(r.pos_matched for r in ok)
    edu_l = sum(r.edu_labelled for r in ok)
    edu_m = sum(r.edu_matched for r in ok)
    edu_p = sum(r.edu_predicted for r in ok)
    tp = sum(r.skills_tp for r in ok)
    fp = sum(r.skills_fp for r in ok)
    fn = sum(r.skills_fn for r in ok) + 0
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    fp_by_cat: dict[str, Counter[str]] = defaultdict(Counter)
    for r in ok:
        for name, cat in r.fp_skills:
            fp_by_cat[cat][name] += 1
    times: dict[str, list[float]] = defaultdict(list)
    for r in results:
        times[r.kind].append(r.seconds)
        times["all"].append(r.seconds)
    meta = {e["id"]: e for e in entries}
    coverage = {
        key: dict(Counter(str(meta[r.id].get(key, "?")) for r in results))
        for key in ("language", "profession", "layout", "producer", "kind")
    }
    return {
        "cvs_in_manifest": len(entries),
        "cvs_evaluated": n,
        "cvs_missing": missing,
        "crashes": [r.id for r in results if r.error],
        "name_acc": rate("name_ok"),
        "email_acc": rate("email_ok"),
        "phone_acc": rate("phone_ok"),
        "location_acc": sum(r.location_ok for r in ok)
        / max(1, sum(r.location_labelled for r in results)),
        "positions_labelled": pos_l,
        "positions_predicted": pos_p,
        "positions_matched": pos_m,
        "positions_recall": pos_m / pos_l if pos_l else float("nan"),
        "positions_precision": pos_m / pos_p if pos_p else float("nan"),
        "cvs_with_no_position_found": [r.id for r in ok if r.pos_labelled and r.pos_predicted == 0],
        "education_recall": edu_m / edu_l if edu_l else float("nan"),
        # Of the entries reported, how many are a labelled one (an entry counts once).
        "education_precision": edu_m / edu_p if edu_p else float("nan"),
        "years_within_range": rate("years_ok"),
        "years_mae": statistics.fmean(abs(r.years_got - r.years_want) for r in ok)
        if ok
        else float("nan"),
        "skills_tp": tp,
        "skills_fp": fp,
        "skills_fn": fn,
        "skills_precision": precision,
        "skills_recall": recall,
        "skills_f1": 2 * precision * recall / (precision + recall)
        if tp and precision + recall
        else 0.0,
        "cvs_with_zero_skills": [r.id for r in ok if r.skills_tp + r.skills_fp == 0],
        "fp_skills_by_category": {
            cat: dict(counter.most_common()) for cat, counter in sorted(fp_by_cat.items())
        },
        "latency_ms": {
            kind: {"n": len(v), "p50": _pct(v, 0.5), "p95": _pct(v, 0.95)}
            for kind, v in sorted(times.items())
        },
        "coverage": coverage,
        "files": [r.__dict__ for r in results],
    }


# --------------------------------------------------------------------------------------------
# Output


def format_report(r: dict[str, Any], verbose: bool = False, opened: bool = False) -> str:
    """The table of figures, then (not for the holdout unless `opened`) the wrong skills by
    category, the set's coverage and, with `verbose`, each file's problems."""
    out: list[str] = []
    tol = f"+/- max({YEARS_ABS_TOLERANCE:g} y, {YEARS_REL_TOLERANCE:.0%})"
    goal = CV_COUNT_GOAL.get(r.get("set") or "")
    count_goal = f">= {goal}" if goal else ""
    rows = [
        (
            "CVs evaluated / in manifest",
            f"{r['cvs_evaluated']} / {r['cvs_in_manifest']}",
            count_goal,
        ),
        ("Analysis crashes", f"{len(r['crashes'])}", "0"),
        ("Name accuracy", f"{r['name_acc']:.3f}", ">= 0.95"),
        ("Email accuracy", f"{r['email_acc']:.3f}", ">= 0.98"),
        ("Phone accuracy", f"{r['phone_acc']:.3f}", ">= 0.98"),
        ("Location accuracy (CVs that print one)", f"{r['location_acc']:.3f}", ""),
        (
            "Positions found with dates: recall",
            f"{r['positions_recall']:.3f} ({r['positions_matched']}/{r['positions_labelled']})",
            ">= 0.90",
        ),
        (
            "Positions found with dates: precision",
            f"{r['positions_precision']:.3f} ({r['positions_matched']}/{r['positions_predicted']})",
            "",
        ),
        ("CVs with no position found", f"{len(r['cvs_with_no_position_found'])}", "0"),
        ("Education entries found (recall)", f"{r['education_recall']:.3f}", ""),
        ("Education entries: precision", f"{r['education_precision']:.3f}", ""),
        (f"Total years within {tol}", f"{r['years_within_range']:.3f}", ">= 0.85"),
        ("Total years MAE", f"{r['years_mae']:.2f}", ""),
        ("Skills precision (micro)", f"{r['skills_precision']:.3f}", ">= 0.85"),
        ("Skills recall (micro)", f"{r['skills_recall']:.3f}", ">= 0.80"),
        ("Skills F1 (micro)", f"{r['skills_f1']:.3f}", ""),
        ("CVs with zero skills found", f"{len(r['cvs_with_zero_skills'])}", "0"),
    ]
    for kind, v in r["latency_ms"].items():
        rows.append(
            (f"Latency p50 / p95, {kind} (n={v['n']}) (ms)", f"{v['p50']:.0f} / {v['p95']:.0f}", "")
        )
    width = max(len(a) for a, _, _ in rows)
    vwidth = max(len(b) for _, b, _ in rows)
    out.append(f"| {'metric':<{width}} | {'value':<{vwidth}} | goal    |")
    out.append(f"|{'-' * (width + 2)}|{'-' * (vwidth + 2)}|---------|")
    for a, b, c in rows:
        out.append(f"| {a:<{width}} | {b:<{vwidth}} | {c:<7} |")
    if r["cvs_missing"]:
        out.append(f"\nSkipped (file not in the cache): {len(r['cvs_missing'])}")
    if r.get("set") == "holdout" and not opened:
        # The holdout is for measuring only: its wrong skills, coverage and per-file problems
        # would tell whoever tunes the analyzer what its CVs hold (see cv_holdout/README.md).
        return "\n".join(out)
    out.append("\nFalse-positive skills by category (skill x CVs):")
    for cat, names in r["fp_skills_by_category"].items():
        total = sum(names.values())
        listed = ", ".join(f"{k} x{v}" if v > 1 else k for k, v in list(names.items())[:40])
        out.append(f"- {cat} ({total}): {listed}")
    cov = r["coverage"]
    out.append(
        "\nCoverage: " + "; ".join(f"{k}: {dict(sorted(v.items()))}" for k, v in cov.items())
    )
    if verbose:
        out.append("\nPer-file problems:")
        for f in r["files"]:
            if not f["problems"]:
                continue
            out.append(f"--- {f['id']} ({f['kind']}, {f['seconds'] * 1000:.0f} ms)")
            out.extend(f"  {p}" for p in f["problems"])
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="real", help="which labelled set")
    parser.add_argument("--cache", type=Path, help="directory holding the CV files")
    parser.add_argument("--only", nargs="*", help="evaluate these ids only")
    parser.add_argument("-v", "--verbose", action="store_true", help="print per-file problems")
    parser.add_argument("--json", type=Path, help="also write the full result as JSON here")
    parser.add_argument(
        "--open-holdout",
        action="store_true",
        help="show the holdout's details too: it stops being a holdout (say so in RESULTS.md)",
    )
    parser.add_argument(
        "--work-only",
        action="store_true",
        help="look for labelled volunteering in the work entries only (the scoring before "
        "volunteer entries counted)",
    )
    args = parser.parse_args(argv)
    global VOLUNTEER_SCORING
    VOLUNTEER_SCORING = not args.work_only
    if args.set == "holdout" and (args.verbose or args.json) and not args.open_holdout:
        print(
            "The holdout is for measuring only: its table is printed, not its per-file problems"
            " or its full result. --open-holdout shows them and retires the set"
            " (benchmarks/cv_holdout/README.md).",
            file=sys.stderr,
        )
        return 2
    result = evaluate(args.cache, set_dir=SETS[args.set][0], only=args.only)
    print(format_report(result, args.verbose, opened=args.open_holdout))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), "utf-8")
    if result["cvs_evaluated"] == 0:
        print(
            "\nNo CV file was found in the cache: run benchmarks/cv_real/collect.py first"
            f" (with --set {args.set}).",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
