"""The offline CV analyzer: document text in, a complete CVAnalysis out (sync, CPU-bound)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from typing import Any

from resumate.ai.contact import EMAIL_RE, extract_contact
from resumate.ai.dates import (
    DateRange,
    interval_months,
    merge_intervals,
    total_years,
    weighted_years,
)
from resumate.ai.documents import ExtractedText, TextLine, extract_text
from resumate.ai.education import education_lines, parse_education, stray_education
from resumate.ai.entries import (
    WorkEntry,
    fallback_ranges,
    is_course,
    is_doctorate,
    is_non_job,
    is_schooling,
    is_study_period,
    is_work_study,
    names_role,
    parse_work,
    school_period,
    strip_bullet,
    work_ranges,
    work_weight,
)
from resumate.ai.schemas import CVAnalysis, Extraction, SkillMatch
from resumate.ai.scoring import (
    CvFacts,
    ats_checks,
    image_only_result,
    score_cv,
)
from resumate.ai.sections import (
    CANONICAL_ORDER,
    Section,
    inline_skill_lists,
    section_texts,
    split_sections,
)
from resumate.ai.skills import extract_skills, find_occurrences
from resumate.ai.summary import build_summary

ANALYZER_VERSION = "resumate-offline-1"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _wordset(
        """
the and of to in for with on at by is was as an are from this that my have
"""
    ),
    "de": _wordset(
        """
und der die das mit für von zu im ist bei den auf des ein eine als nicht
"""
    ),
    "fr": _wordset(
        """
et le la les des de du pour avec dans en une est au aux sur par
"""
    ),
    "es": _wordset(
        """
y el la los las de del para con en una es por al como su sus
"""
    ),
    "pt": _wordset(
        """
e o a os as de do da dos das para com em uma no na por ao
"""
    ),
    "it": _wordset(
        """
e il la lo gli le di del della per con in una è nel al dei sono
"""
    ),
    "nl": _wordset(
        """
en de het van een voor met in op is bij als aan te zijn
"""
    ),
    # Languages without a summary phrasebook vote too, so that their short words ("na", "do",
    # "o") do not make a Polish or Turkish CV Portuguese: the summary is then in English.
    "pl": _wordset(
        """
i w z na do się nie że od po jest dla oraz przez jak przy lub ze
"""
    ),
    "tr": _wordset(
        """
ve bir bu ile için olarak olan çok gibi daha ki veya üzerine ben
"""
    ),
    "ca": _wordset(
        """
i el la els les de del per amb en una és al que dels als
"""
    ),
    "da": _wordset(
        """
og i at det en til er på med af for som den der har jeg
"""
    ),
    "sv": _wordset(
        """
och i att det en som på är för med av till den har jag
"""
    ),
}
# An address is no language: "gmail.com" is not Portuguese "com".
_ADDRESS_RE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\b[\w-]+\.(?:com|net|org|io|dev)\b", re.I)
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_RE = re.compile(r"[іїєґІЇЄҐ]")
_CONTROL_RE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2060\ufeff]")


_HAN_RE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")


def detect_language(text: str) -> str:
    """Cheap stop-word vote; "en" when unsure. A CV written mostly in Han characters is "zh"
    ("ja" with kana among them), mostly in Hangul "ko": those write no spaces to vote with;
    mostly in Cyrillic, "uk" (with its own letters) or "ru"."""
    sample = text[:20000]
    letters = sum(1 for c in sample if c.isalpha())
    if letters:
        han = len(_HAN_RE.findall(sample))
        kana = len(_KANA_RE.findall(sample))
        if (han + kana) / letters >= 0.3:
            return "ja" if kana >= 0.1 * (han + kana) else "zh"
        if len(_HANGUL_RE.findall(sample)) / letters >= 0.3:
            return "ko"
        cyrillic = len(_CYRILLIC_RE.findall(sample))
        if cyrillic / letters >= 0.3:
            return "uk" if len(_UKRAINIAN_RE.findall(sample)) >= 0.01 * cyrillic else "ru"
    words = re.findall(r"[^\W\d_]+", _ADDRESS_RE.sub(" ", sample).lower())
    if not words:
        return "en"
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 3 and scores[best] > scores["en"] * 1.1 else "en"


# TeX fonts without T1 encoding draw an accent as a glyph of its own before the letter
# ("H´ebert"): NFKC turns it into a space and a combining mark, which go back onto the letter.
# A cedilla or ogonek follows its letter ("c¸"); an accent left at the end of a word, whose letter
# cannot be told, is dropped.
_ACCENT_BEFORE_RE = re.compile(r" ([\u0300-\u0326\u0329-\u036f]+)([^\W\d_])")
_CEDILLA_BEFORE_RE = re.compile(r" (\u0327(?=[cCsStT])|\u0328(?=[aAeEiIuU]))(\w)")
_ACCENT_AFTER_RE = re.compile(r"([cCsStT]) ([\u0327])")
_ACCENT_DANGLING_RE = re.compile(r"(?<=[^\W\d_]) [\u0300-\u036f]+(?=\W|$)")


_GRAVE_RE = re.compile(r"(?<=[^\W\d_])`([aeiouAEIOU])")


def _join_accents(text: str) -> str:
    if "`" in text:
        text = _GRAVE_RE.sub("\\1\u0300", text)
    if not any("\u0300" <= c <= "\u036f" for c in text):
        return text
    text = _ACCENT_BEFORE_RE.sub(r"\2\1", text)
    text = _CEDILLA_BEFORE_RE.sub(r"\2\1", text)
    text = _ACCENT_AFTER_RE.sub(r"\1\2", text)
    text = _ACCENT_DANGLING_RE.sub("", text)
    text = re.sub("[ıȷ](?=[\u0300-\u036f])", lambda m: "i" if m.group(0) == "ı" else "j", text)
    return unicodedata.normalize("NFC", text)


def _normalize_lines(lines: list[TextLine]) -> list[TextLine]:
    out: list[TextLine] = []
    for line in lines:
        text = _join_accents(unicodedata.normalize("NFKC", line.text))
        text = _CONTROL_RE.sub("", text).replace("\u00a0", " ").strip()
        if text:
            out.append(replace(line, text=text))
    return out


def analyze_document(data: bytes, kind: str, *, today: date | None = None) -> CVAnalysis:
    """Extract and analyse a PDF or DOCX; raises DocumentError for unreadable files."""
    return analyze_text(extract_text(data, kind), today=today)


def analyze_text(doc: ExtractedText, *, today: date | None = None) -> CVAnalysis:
    today = today or date.today()
    warnings = list(doc.warnings)
    extraction = Extraction(
        method="ocr" if doc.ocr_used else ("none" if doc.image_only else "text"),
        text_layer=doc.text_layer,
        ocr_confidence=doc.ocr_confidence,
        ocr_pages=doc.ocr_pages,
    )
    if doc.image_only or (doc.text_layer == "garbled" and not doc.ocr_used):
        garbled = doc.text_layer == "garbled"
        score, comps, findings = image_only_result(garbled=garbled)
        findings = ats_checks(findings, doc)
        if garbled:
            summary = (
                "The text of this CV is unreadable: its fonts map letters to private codes, "
                "so software (and applicant tracking systems) read nonsense. It was not analysed."
            )
        else:
            summary = (
                "No text could be read from this CV, so it could not be analysed. "
                "It appears to be a scanned image."
            )
        empty = _empty_resume()
        empty["meta"] = {"analyzer": ANALYZER_VERSION, "extraction": extraction.model_dump()}
        extraction.method = "none"
        empty["meta"]["extraction"]["method"] = "none"
        return CVAnalysis(
            parsed_content=empty,
            summary=summary,
            extraction=extraction,
            quality_score=score,
            quality_breakdown=comps,
            ats_feedback=findings,
            warnings=warnings,
            model=ANALYZER_VERSION,
        )
    lines = _normalize_lines(doc.lines)
    text = "\n".join(ln.text for ln in lines)
    language = detect_language(text)
    sections = split_sections(lines)
    header = [ln for s in sections if s.name in ("header", "contact") for ln in s.lines]
    header_and_top = header or lines[:12]
    contact = extract_contact(lines, header_and_top, text, language)
    texts = section_texts(sections)
    skill_texts = dict(texts)
    # A line taken for a heading that names no section ("Power BI (DAX, PowerQuery)") is the
    # CV's own words: its skills count where the section's do.
    for section in sections:
        if not section.known and section.heading.strip():
            prev = skill_texts.get(section.name)
            skill_texts[section.name] = f"{prev}\n{section.heading}" if prev else section.heading
    rest = ""
    head = next((s for s in sections if s.name == "header"), None)
    if head is not None and head.lines:
        # Before the first heading (or with no heading at all), sentences and everything past
        # the contact block are the CV itself: their skills count.
        body = [ln for i, ln in enumerate(head.lines) if i >= 8 or len(ln.text.split()) > 8]
        rest = "\n".join(ln.text for ln in body)
    if rest.strip():
        skill_texts["other"] = f"{skill_texts['other']}\n{rest}" if "other" in skill_texts else rest
    listed = inline_skill_lists(sections)
    if listed:
        known = skill_texts.get("skills")
        skill_texts["skills"] = f"{known}\n{listed}" if known else listed
    skills = extract_skills(text, sections=skill_texts)

    exp_lines = [ln for s in sections if s.name == "experience" for ln in s.lines]
    work = parse_work(exp_lines, single_dates=True)
    ranges = work_ranges(work)
    if not ranges and "experience" not in texts:
        # Sections whose dated lines are never jobs: studies, courses, lists, hobbies.
        skip = {
            "education", "courses", "certifications", "awards", "publications", "interests",
            "languages", "skills", "references", "contact", "projects",
        }  # fmt: skip
        other_lines = [ln for s in sections if s.name not in skip for ln in s.lines]
        ranges = fallback_ranges(other_lines)
        if not work:
            # No experience section: a dated line makes a position only where the entry names
            # a job or an employer (an undated degree's years, a project's dates do not).
            found = parse_work(other_lines) if ranges else []
            work = [w for w in found if names_role(w)]
            if found:  # the dates were read as entries: only those that are jobs count
                ranges = []
    # A dated degree, school year or thesis is education, not a position.
    # A dated course or certificate is learning; a doctorate among jobs is research work.
    studies = [
        w.dates for w in work if w.dates is not None and is_study_period(w) and not is_doctorate(w)
    ]
    studied = [w for w in work if is_schooling(w)]
    work = [w for w in work if not is_schooling(w) and not is_course(w) and not is_non_job(w)]
    jobs = [w for w in work if w.dates is not None and (not is_study_period(w) or is_doctorate(w))]
    education = parse_education(education_lines(sections)) or stray_education(sections, studied)
    # Studies still under way ("10/2024 – laufend") run to today.
    studies += [DateRange(e.start, e.end, (0, 0)) for e in education if e.start is not None]
    if jobs:
        weighted = [(w.dates, _weight(w, studies, today)) for w in jobs if w.dates]
        schooling = [r for r in map(school_period, education) if r is not None]
        years = weighted_years(weighted, today, blocked=schooling)
    else:
        years = total_years(ranges, today)
    _attach_positions(skills, work)

    bullets, prose = _bullets_and_prose(sections)
    languages = _spoken_languages(texts.get("languages", ""), skills)
    certificates = _certificates(texts.get("certifications", ""), skills)
    facts = CvFacts(
        doc=doc,
        sections=sections,
        contact=contact,
        skills=skills,
        work=work,
        education=education,
        years=years,
        words=len(text.split()),
        bullets=bullets,
        prose=prose,
        contact_only_in_header_footer=_contact_only_in_header_footer(lines, contact.email),
        languages=languages,
        certificates=certificates,
    )
    score, comps, findings = score_cv(facts)
    canonical = [s.name for s in sections if s.name not in ("header", "other") and s.lines]
    found_sections = [name for name in CANONICAL_ORDER if name in canonical]
    parsed = _json_resume(facts, texts, language)
    parsed["meta"]["extraction"] = extraction.model_dump()
    return CVAnalysis(
        parsed_content=parsed,
        summary=build_summary(facts, language),
        quality_score=score,
        quality_breakdown=comps,
        ats_feedback=findings,
        skills=skills,
        total_experience_years=years,
        sections=found_sections,
        contact=contact,
        language=language,
        model=ANALYZER_VERSION,
        warnings=warnings,
        extraction=extraction,
    )


def _weight(entry: WorkEntry, studies: list[DateRange], today: date) -> float:
    """A position's weight toward years of experience: an internship, student or part-time
    job held while studying (mostly inside a dated degree) counts nothing, elsewhere half;
    full-time positions count in full, studies or not."""
    weight = work_weight(entry)
    if weight >= 1.0 or entry.dates is None or not studies or is_work_study(entry):
        return weight
    start, end = interval_months(entry.dates, today)
    if end <= start:
        return weight
    covered = merge_intervals(
        [(max(start, s), min(end, e)) for s, e in (interval_months(r, today) for r in studies)]
    )
    inside = sum(e - s for s, e in covered if e > s)
    return 0.0 if inside >= 0.5 * (end - start) else weight


def _attach_positions(skills: list[SkillMatch], work: list[WorkEntry]) -> None:
    """Name the job a skill's snippet comes from ("Backend Engineer at Acme")."""
    for skill in skills:
        if skill.source != "experience" or not skill.snippet:
            continue
        needle = skill.snippet.strip("…")
        for entry in work:
            texts = [*entry.header, *entry.highlights, *entry.summary]
            if any(needle in " ".join(t.split()) for t in texts):
                label = " at ".join(p for p in (entry.title, entry.company) if p)
                skill.source = "position"
                skill.position = label[:160] or None
                break


def _bullets_and_prose(sections: list[Section]) -> tuple[list[str], list[str]]:
    bullets: list[str] = []
    prose: list[str] = []
    for section in sections:
        if section.name == "header":
            prose.extend(ln.text for ln in section.lines if len(ln.text.split()) > 6)
            continue
        if section.name not in ("experience", "projects", "volunteer", "summary"):
            continue
        for line in section.lines:
            text, is_bullet = strip_bullet(line.text)
            if is_bullet or line.bullet:
                bullets.append(text)
            elif section.name == "summary" or len(text.split()) > 8:
                prose.append(text)
            elif bullets and text[:1].islower():
                bullets[-1] += " " + text
    return bullets, prose


def _contact_only_in_header_footer(lines: list[TextLine], email: str | None) -> bool:
    if not email:
        return False
    where = {ln.source for ln in lines if email in ln.text.lower()}
    return bool(where) and where <= {"header", "footer"}


_FLUENCY_RE = re.compile(
    r"\((?P<p>[^)]{2,40})\)|[:–—-]\s*(?P<d>[\w\s/+-]{2,40})$|\s(?P<l>[ABC][12])\b", re.U
)


def _spoken_languages(text: str, skills: list[SkillMatch]) -> list[str]:
    return [s.name for s in skills if s.category == "Spoken languages"]


def _certificates(text: str, skills: list[SkillMatch]) -> list[str]:
    names = [s.name for s in skills if s.category == "Certifications"]
    if names:
        return names
    out = []
    for line in text.splitlines():
        line = strip_bullet(line)[0]
        if 3 <= len(line) <= 80:
            out.append(line)
    return out[:5]


def _empty_resume() -> dict[str, Any]:
    return {
        "basics": {"name": "", "profiles": []},
        "work": [],
        "education": [],
        "skills": [],
        "languages": [],
        "certificates": [],
        "awards": [],
        "projects": [],
        "volunteer": [],
    }


def _language_entries(text: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        for occ in find_occurrences(line, "languages"):
            name = occ.skill.name
            if name in seen or occ.skill.category != "Spoken languages":
                continue
            seen.add(name)
            tail = line[occ.end : occ.end + 40]
            m = re.match(r"\s*(?:\(|:|–|—|-)\s*([^,;()|]+)", tail)
            fluency = m.group(1).strip(" )") if m else ""
            entry = {"language": name}
            if fluency:
                entry["fluency"] = fluency
            out.append(entry)
    return out


def _list_items(text: str) -> list[str]:
    items: list[str] = []
    for line in text.splitlines():
        line = strip_bullet(line)[0]
        if not line:
            continue
        items.append(line)
    return items


def _json_resume(facts: CvFacts, texts: dict[str, str], language: str) -> dict[str, Any]:
    c = facts.contact
    latest = facts.work[0] if facts.work else None
    profiles = []
    if c.linkedin:
        profiles.append(
            {
                "network": "LinkedIn",
                "username": c.linkedin.rstrip("/").rsplit("/", 1)[-1],
                "url": c.linkedin,
            }
        )
    if c.github:
        profiles.append(
            {
                "network": "GitHub",
                "username": c.github.rstrip("/").rsplit("/", 1)[-1],
                "url": c.github,
            }
        )
    location: dict[str, str] = {}
    if c.location:
        parts = [p.strip() for p in c.location.split(",") if p.strip()]
        location["address"] = c.location
        if parts:
            location["city"] = re.sub(r"^\d{4,5}\s+", "", parts[0])
        if len(parts) > 1:
            location["region"] = parts[-1]
        from resumate.ai.contact import country_of

        country = country_of(c.location)
        if country:
            location["countryCode"] = country
    basics: dict[str, Any] = {
        "name": c.name or "",
        "label": (latest.title if latest and latest.title else ""),
        "email": c.email or "",
        "phone": c.phone_e164 or c.phone or "",
        "url": c.website or "",
        "summary": " ".join(_list_items(texts.get("summary", ""))),
        "location": location,
        "profiles": profiles,
    }
    by_category: dict[str, list[str]] = {}
    for s in facts.skills:
        if s.category == "Spoken languages":
            continue
        by_category.setdefault(s.category, []).append(s.name)
    skills = [{"name": cat, "keywords": names} for cat, names in by_category.items()]
    certificates = [{"name": name} for name in _list_items(texts.get("certifications", ""))[:20]]
    awards = [{"title": t} for t in _list_items(texts.get("awards", ""))[:20]]
    projects = _projects(texts.get("projects", ""))
    volunteer = []
    vol_lines = [ln for s in facts.sections if s.name == "volunteer" for ln in s.lines]
    for entry in parse_work(vol_lines, single_dates=True):
        item = entry.to_json_resume()
        volunteer.append({k.replace("name", "organization"): v for k, v in item.items()})
    return {
        "basics": basics,
        "work": [w.to_json_resume() for w in facts.work],
        "education": [e.to_json_resume() for e in facts.education],
        "skills": skills,
        "languages": _language_entries(texts.get("languages", ""))
        or [{"language": n} for n in facts.languages],
        "certificates": certificates,
        "awards": awards,
        "projects": projects,
        "volunteer": volunteer,
        "meta": {"language": language, "analyzer": ANALYZER_VERSION},
    }


def _projects(text: str) -> list[dict[str, Any]]:
    projects: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line, bullet = strip_bullet(raw)
        if not line:
            continue
        if not bullet and len(line) <= 90 and not line.endswith("."):
            name, _, desc = line.partition(" – ")
            if not desc:
                name, _, desc = line.partition(": ")
            projects.append({"name": name.strip(), "description": desc.strip(), "highlights": []})
        elif projects:
            projects[-1]["highlights"].append(line)
        else:
            projects.append({"name": line[:60], "description": line, "highlights": []})
    return projects[:20]


__all__ = ["ANALYZER_VERSION", "EMAIL_RE", "analyze_document", "analyze_text", "detect_language"]
