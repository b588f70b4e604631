"""The quality rubric and ATS findings of a CV (the written summary is in `summary.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resumate.ai.dates import find_dates
from resumate.ai.documents import ExtractedText
from resumate.ai.entries import EducationEntry, WorkEntry
from resumate.ai.schemas import AtsFinding, Contact, ScoreComponent, Severity, SkillMatch
from resumate.ai.sections import Section

_NUMBER_RE = re.compile(
    r"\d|%|\$|€|£|¥|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|"
    r"thousand|million|billion|double[ds]?|tripled?|halved|zwei|drei|deux|trois|dos|tres)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_RE = re.compile(
    r"\b(?:I|I'm|I've|I'd|my|me|myself|ich|mein|meine|je|j'ai|moi|yo|mi)\b"
)
_WEAK_START_RE = re.compile(
    r"^(?:responsible for|duties (?:included|include)|worked on|helped|assisted with|"
    r"tasks included|in charge of|involved in|participated in)\b",
    re.IGNORECASE,
)


@dataclass
class CvFacts:
    """What the analyzer found, gathered for scoring and the summary."""

    doc: ExtractedText
    sections: list[Section]
    contact: Contact
    skills: list[SkillMatch]
    work: list[WorkEntry]
    education: list[EducationEntry]
    years: float
    words: int
    bullets: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    contact_only_in_header_footer: bool = False
    languages: list[str] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {s.name for s in self.sections}


def _finding(code: str, severity: Severity, message: str, fix: str) -> AtsFinding:
    return AtsFinding(code=code, severity=severity, message=message, fix=fix)


_CHECK_OF: dict[str, str] = {
    "NO_TEXT": "parsable_text",
    "UNREADABLE_TEXT": "parsable_text",
    "OCR_TEXT": "parsable_text",
    "MISSING_EMAIL": "contact_details",
    "MISSING_PHONE": "contact_details",
    "MISSING_PROFILE_LINK": "contact_details",
    "CONTACT_IN_HEADER": "contact_details",
    "NO_SECTION_HEADINGS": "standard_headings",
    "NONSTANDARD_HEADINGS": "standard_headings",
    "MISSING_SUMMARY": "standard_headings",
    "MISSING_SKILLS_SECTION": "standard_headings",
    "MISSING_EDUCATION": "standard_headings",
    "MISSING_EXPERIENCE": "standard_headings",
    "MISSING_DATES": "dates",
    "INCONSISTENT_DATES": "dates",
    "MULTI_COLUMN": "layout",
    "TABLES": "layout",
    "TEXT_BOXES": "layout",
    "IMAGES": "layout",
    "UNMAPPED_GLYPHS": "layout",
    "FILE_TYPE": "file",
    "FILE_SIZE": "file",
    "TOO_SHORT": "length",
    "TOO_LONG": "length",
}
_CHECK_ORDER = [
    "parsable_text", "standard_headings", "contact_details", "dates", "layout", "file", "length",
    "content",
]  # fmt: skip
MAX_COMFORTABLE_BYTES = 2 * 1024 * 1024


def _file_findings(doc: ExtractedText) -> list[AtsFinding]:
    out: list[AtsFinding] = []
    if doc.kind not in ("pdf", "docx"):
        return out
    if doc.size_bytes > MAX_COMFORTABLE_BYTES:
        mb = doc.size_bytes / 1024 / 1024
        out.append(
            _finding(
                "FILE_SIZE",
                "low",
                f"The file is large ({mb:.1f} MB); some application portals refuse files "
                "over 2 MB.",
                "Compress the images (or remove the photo) and export again; a text CV is "
                "usually under 500 KB.",
            )
        )
    return out


def _passed(check: str, facts: CvFacts | None, doc: ExtractedText) -> AtsFinding:
    kind = {"pdf": "PDF", "docx": "Word (.docx)"}.get(doc.kind, doc.kind)
    if check == "parsable_text":
        if doc.ocr_used:
            msg = "The text was read with OCR from images of the pages."
        else:
            words = facts.words if facts else 0
            msg = f"The text can be selected and read by software ({words} words)."
    elif check == "standard_headings":
        msg = "Standard section headings (experience, education, skills) were recognised."
    elif check == "contact_details":
        msg = "Email, phone and a profile link were found in the body of the CV."
    elif check == "dates":
        if facts is not None and not facts.work:
            msg = "No dated positions to check (see the headings check)."
        else:
            msg = "Every position has dates, written in one consistent format."
    elif check == "layout":
        msg = "A simple layout: no columns, tables, text boxes or pictures that confuse an ATS."
    elif check == "file":
        size = f"{doc.size_bytes / 1024:.0f} KB" if doc.size_bytes else "a reasonable size"
        msg = f"A {kind} file of {size}: a type and size every ATS accepts."
    elif check == "length":
        msg = "The length suits the experience shown."
    else:
        msg = "Bullets are concise, active and quantified."
    return AtsFinding(
        code=f"{check.upper()}_OK",
        severity="low",
        message=msg,
        fix="",
        check=check,
        status="passed",
    )


def ats_checks(
    findings: list[AtsFinding], doc: ExtractedText, facts: CvFacts | None = None
) -> list[AtsFinding]:
    """Every check that was run: problems first (with fixes), then the checks that passed."""
    findings = findings + _file_findings(doc)
    failed: set[str] = set()
    for f in findings:
        f.check = _CHECK_OF.get(f.code, "content")  # type: ignore[assignment]
        f.status = "warning" if f.severity == "low" else "failed"
        failed.add(f.check)
    checks = _CHECK_ORDER if facts is not None else ["parsable_text", "file"]
    passed = [_passed(c, facts, doc) for c in checks if c not in failed]
    rank = {"failed": 0, "warning": 1}
    sev = {"high": 0, "medium": 1, "low": 2}
    findings.sort(key=lambda f: (rank[f.status], sev[f.severity], _CHECK_ORDER.index(f.check)))
    return findings + passed


def image_only_result(
    *, garbled: bool = False
) -> tuple[int, list[ScoreComponent], list[AtsFinding]]:
    if garbled:
        components = [
            ScoreComponent(
                name="Readable text",
                points=0,
                max_points=100,
                reason="The text layer is mostly not words, so nothing else could be assessed.",
            )
        ]
        findings = [
            _finding(
                "UNREADABLE_TEXT",
                "high",
                "The file has text, but it is unreadable: its fonts map letters to private "
                "codes, so an ATS reads nonsense instead of your CV.",
                "Export the CV again with standard fonts embedded (in Word: Save as PDF with "
                "'ISO 19005-1 (PDF/A)'; in LaTeX: use T1 font encoding or XeLaTeX/LuaLaTeX) and "
                "check that text copied from the PDF reads correctly.",
            )
        ]
        return 0, components, findings
    components = [
        ScoreComponent(
            name="Readable text",
            points=0,
            max_points=100,
            reason="No text could be read from the file, so nothing else could be assessed.",
        )
    ]
    findings = [
        _finding(
            "NO_TEXT",
            "high",
            "No text could be read from this file: it looks like a scan or an image. "
            "Applicant tracking systems will see an empty CV.",
            "Export the CV from your word processor as a text-based PDF or DOCX instead of "
            "scanning or saving it as an image.",
        )
    ]
    return 0, components, findings


def score_cv(facts: CvFacts) -> tuple[int, list[ScoreComponent], list[AtsFinding]]:
    comps: list[ScoreComponent] = []
    findings: list[AtsFinding] = []
    c = facts.contact
    if facts.doc.ocr_used:
        conf = facts.doc.ocr_confidence or 0.0
        findings.append(
            _finding(
                "OCR_TEXT",
                "high",
                "The CV has no readable text layer (a scan or pictures of pages); it was read "
                f"here with OCR (confidence {conf:.2f}), but many ATS do not run OCR and see "
                "an empty CV.",
                "Upload the CV exported directly from your word processor as PDF or DOCX, not "
                "a scan or photo.",
            )
        )
    names = facts.names

    # 1. Contact details (10)
    pts = (4 if c.email else 0) + (3 if c.phone else 0) + (1 if c.location else 0)
    pts += 2 if (c.linkedin or c.website or c.github) else 0
    missing = [
        label
        for label, value in (
            ("email", c.email),
            ("phone", c.phone),
            ("location", c.location),
            ("LinkedIn or website", c.linkedin or c.website or c.github),
        )
        if not value
    ]
    reason = "All key contact details found." if not missing else f"Missing: {', '.join(missing)}."
    comps.append(ScoreComponent(name="Contact details", points=pts, max_points=10, reason=reason))
    if not c.email:
        findings.append(
            _finding(
                "MISSING_EMAIL",
                "high",
                "No email address was found.",
                "Add a professional email address at the top of the CV, as plain text.",
            )
        )
    if not c.phone:
        findings.append(
            _finding(
                "MISSING_PHONE",
                "medium",
                "No phone number was found.",
                "Add a phone number with its country code (e.g. +44 20 7946 0958).",
            )
        )
    if not (c.linkedin or c.website or c.github):
        findings.append(
            _finding(
                "MISSING_PROFILE_LINK",
                "low",
                "No LinkedIn profile or personal website was found.",
                "Add your LinkedIn URL (linkedin.com/in/your-name) or a portfolio link.",
            )
        )
    if facts.contact_only_in_header_footer:
        findings.append(
            _finding(
                "CONTACT_IN_HEADER",
                "medium",
                "Contact details sit in the page header or footer, which many ATS ignore.",
                "Move your email and phone number into the body of the first page.",
            )
        )

    # 2. Structure and headings (10)
    other = [s.heading for s in facts.sections if s.name == "other"]
    pts = (3 if "experience" in names else 0) + (2 if "education" in names else 0)
    pts += (2 if "skills" in names else 0) + (1 if "summary" in names else 0)
    pts += 2 if not other else (1 if len(other) == 1 else 0)
    found = [s for s in ("summary", "experience", "education", "skills") if s in names]
    reason = f"Standard sections found: {', '.join(found) or 'none'}."
    if other:
        reason += f" Non-standard headings: {', '.join(other[:4])}."
    comps.append(
        ScoreComponent(name="Structure and headings", points=pts, max_points=10, reason=reason)
    )
    if not any(s.name not in ("header", "other") for s in facts.sections):
        findings.append(
            _finding(
                "NO_SECTION_HEADINGS",
                "high",
                "No standard section headings were recognised, so an ATS cannot tell your "
                "experience from your education.",
                "Use clear headings such as 'Experience', 'Education' and 'Skills' on their "
                "own lines.",
            )
        )
    elif other:
        findings.append(
            _finding(
                "NONSTANDARD_HEADINGS",
                "low",
                f"Some headings are not standard: {', '.join(other[:4])}.",
                "Prefer common headings ('Experience', 'Education', 'Skills', 'Projects') "
                "that every ATS maps to the right fields.",
            )
        )
    if "summary" not in names:
        findings.append(
            _finding(
                "MISSING_SUMMARY",
                "low",
                "There is no profile or summary section.",
                "Open with a 2-3 sentence summary: your role, years of experience and your "
                "strongest skills.",
            )
        )
    if "skills" not in names:
        findings.append(
            _finding(
                "MISSING_SKILLS_SECTION",
                "medium",
                "There is no dedicated skills section.",
                "Add a 'Skills' section listing your key tools, methods and qualifications, "
                "using the same words as the job ads you target.",
            )
        )

    # 3. Work experience (20)
    work = facts.work
    dated = [w for w in work if w.dates]
    pts = 0
    if "experience" in names or work:
        pts += 4
    if dated:
        pts += 6
        if len(dated) == len(work):
            pts += 2
    identified = [w for w in work if w.title and w.company]
    if work and len(identified) >= max(1, len(work) // 2):
        pts += 4
    if len(facts.bullets) >= 3:
        pts += 4
    reason = (
        f"{len(work)} positions found, {len(dated)} with dates; {len(facts.bullets)} bullet points."
    )
    comps.append(ScoreComponent(name="Work experience", points=pts, max_points=20, reason=reason))
    if "experience" not in names and not work:
        findings.append(
            _finding(
                "MISSING_EXPERIENCE",
                "high",
                "No work experience section was found.",
                "Add an 'Experience' section with job title, employer, dates and achievements "
                "for each position (internships and volunteering count).",
            )
        )
    elif not dated:
        findings.append(
            _finding(
                "MISSING_DATES",
                "high",
                "No dates were found for your positions.",
                "Give each position a start and end date, e.g. 'Mar 2019 - Present'.",
            )
        )
    if work and len(facts.bullets) < 2:
        findings.append(
            _finding(
                "NO_BULLETS",
                "low",
                "Positions are described in paragraphs rather than bullet points.",
                "Use 3-6 short bullet points per role, each starting with an action verb.",
            )
        )

    # 4. Quantified achievements (15)
    bullets = facts.bullets
    quantified = [b for b in bullets if _NUMBER_RE.search(_strip_dates(b))]
    share = len(quantified) / len(bullets) if bullets else 0.0
    pts = round(15 * min(1.0, share / 0.5)) if bullets else 0
    reason = (
        f"{len(quantified)} of {len(bullets)} bullet points contain numbers ({share:.0%})."
        if bullets
        else "No bullet points to assess."
    )
    comps.append(
        ScoreComponent(name="Quantified achievements", points=pts, max_points=15, reason=reason)
    )
    if bullets and share < 0.3:
        findings.append(
            _finding(
                "UNQUANTIFIED_BULLETS",
                "medium",
                f"Only {share:.0%} of your bullet points contain a number or measurable result.",
                "Add figures where you can: team size, budget, volume, % improvement, time "
                "saved (e.g. 'cut invoice processing time by 30%').",
            )
        )

    # 5. Skills (15)
    hard = [s for s in facts.skills if s.category not in ("Soft skills", "Spoken languages")]
    pts = min(10, round(len(hard) * 10 / 12)) + (5 if "skills" in names else 0)
    reason = f"{len(hard)} job-related skills recognised"
    reason += "; a skills section is present." if "skills" in names else "; no skills section."
    comps.append(ScoreComponent(name="Skills", points=pts, max_points=15, reason=reason))
    if len(hard) < 5:
        findings.append(
            _finding(
                "FEW_SKILLS",
                "medium",
                f"Only {len(hard)} job-related skills were recognised.",
                "Name the tools, methods and qualifications you use explicitly (e.g. "
                "'Excel', 'SAP', 'wound care', 'AutoCAD') so keyword searches find you.",
            )
        )

    # 6. Education (5)
    if facts.education:
        pts, reason = 5, f"{len(facts.education)} education entries found."
    elif "education" in names:
        pts, reason = 3, "An education section exists but no degree or school was recognised."
    else:
        pts, reason = 0, "No education section."
    comps.append(ScoreComponent(name="Education", points=pts, max_points=5, reason=reason))
    if "education" not in names:
        findings.append(
            _finding(
                "MISSING_EDUCATION",
                "low",
                "No education section was found.",
                "Add your highest qualification (degree, diploma, apprenticeship or "
                "certificate) with the institution and year.",
            )
        )

    # 7. Writing style (10)
    pts = 10
    notes: list[str] = []
    texts = bullets + facts.prose
    first_person = sum(len(_FIRST_PERSON_RE.findall(t)) for t in texts)
    if first_person > 2:
        pts -= 3
        notes.append(f"{first_person} first-person pronouns")
        findings.append(
            _finding(
                "FIRST_PERSON",
                "low",
                f"The text uses the first person {first_person} times ('I', 'my').",
                "Write bullets without pronouns, starting with a verb: 'Led a team of 6' "
                "instead of 'I led a team of 6'.",
            )
        )
    long_bullets = [b for b in bullets if len(b.split()) > 35]
    if bullets and len(long_bullets) / len(bullets) > 0.2:
        pts -= 3
        notes.append(f"{len(long_bullets)} very long bullets")
        findings.append(
            _finding(
                "LONG_BULLETS",
                "low",
                f"{len(long_bullets)} bullet points are longer than 35 words.",
                "Keep bullets to one or two lines: one achievement each, result first.",
            )
        )
    weak = [b for b in bullets if _WEAK_START_RE.match(b)]
    if bullets and len(weak) / len(bullets) > 0.3:
        pts -= 2
        notes.append("many bullets start with duties rather than actions")
        findings.append(
            _finding(
                "WEAK_BULLET_STARTS",
                "low",
                "Many bullets start with 'Responsible for' or similar duty phrases.",
                "Start with a strong action verb and the result: 'Reduced...', 'Built...', "
                "'Trained...'.",
            )
        )
    formats = _date_formats(work)
    if len(formats) > 1:
        pts -= 2
        notes.append("mixed date formats")
        findings.append(
            _finding(
                "INCONSISTENT_DATES",
                "low",
                f"Dates are written in {len(formats)} different formats.",
                "Use one date format throughout, e.g. 'Jan 2020 - Mar 2023'.",
            )
        )
    reason = "Concise, active writing." if not notes else "Issues: " + "; ".join(notes) + "."
    comps.append(
        ScoreComponent(name="Writing style", points=max(0, pts), max_points=10, reason=reason)
    )

    # 8. Length and ATS-friendly layout (15)
    pts = 0
    words = facts.words
    pages = facts.doc.pages
    max_pages = 3 if facts.years >= 10 else 2
    notes = [f"{words} words on {pages} page{'s' if pages != 1 else ''}"]
    if 250 <= words <= 1200:
        pts += 5
    elif 150 <= words < 250 or 1200 < words <= 1600:
        pts += 3
    if pages <= max_pages:
        pts += 3
    if words < 200:
        findings.append(
            _finding(
                "TOO_SHORT",
                "medium",
                f"The CV is very short ({words} words).",
                "Describe each role with concrete achievements; 400-800 words is typical for "
                "one to two pages.",
            )
        )
    elif words > 1300 or pages > max_pages:
        findings.append(
            _finding(
                "TOO_LONG",
                "low",
                f"The CV is long ({words} words, {pages} pages).",
                f"Trim older or less relevant roles to stay within {max_pages} pages.",
            )
        )
    hints = facts.doc.layout_hints
    layout = 7
    if hints.multi_column:
        layout -= 3
        notes.append("multi-column layout")
        findings.append(
            _finding(
                "MULTI_COLUMN",
                "medium",
                "The CV uses a multi-column layout; some ATS read across columns and mix up "
                "sections.",
                "Use a single-column layout, or make sure each column is a self-contained "
                "block with its own headings.",
            )
        )
    if hints.tables:
        layout -= 2
        notes.append("tables")
        findings.append(
            _finding(
                "TABLES",
                "medium",
                "Content is laid out in tables, which many ATS parse poorly.",
                "Replace tables with plain paragraphs and tab stops.",
            )
        )
    if hints.text_boxes:
        layout -= 2
        notes.append("text boxes")
        findings.append(
            _finding(
                "TEXT_BOXES",
                "high",
                "Some text is inside text boxes or shapes, which many ATS skip entirely.",
                "Move the text out of text boxes into the normal document flow.",
            )
        )
    if hints.images and facts.doc.kind == "pdf":
        findings.append(
            _finding(
                "IMAGES",
                "low",
                "The CV contains images or graphics (photo, icons, skill bars); ATS ignore them.",
                "Make sure nothing important exists only as a picture; skill levels and icons "
                "should also be written as text.",
            )
        )
    pts += max(0, layout)
    comps.append(
        ScoreComponent(
            name="Length and layout", points=pts, max_points=15, reason="; ".join(notes) + "."
        )
    )
    total = sum(c.points for c in comps)
    return max(0, min(100, total)), comps, ats_checks(findings, facts.doc, facts)


def _strip_dates(text: str) -> str:
    for _d, s, e in reversed(find_dates(text)):
        text = text[:s] + text[e:]
    return text


def _date_formats(work: list[WorkEntry]) -> set[str]:
    formats: set[str] = set()
    for w in work:
        if w.dates is None:
            continue
        for d in (w.dates.start, w.dates.end):
            if d is not None:
                formats.add("month" if d.fmt in ("month_name", "season") else d.fmt)
    if formats == {"year", "month"}:
        return formats
    return formats
