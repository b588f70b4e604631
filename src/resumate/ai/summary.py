"""The short written summary of a CV, in the CV's language where there is a phrasebook for it.

English reads as prose ("Maria Rossi is an ICU Nurse with 6 years of experience, currently at
..."). German, French, Spanish, Portuguese, Italian, Dutch and Chinese use short labelled
sentences ("Maria Rossi: Pflegefachfrau mit 6 Jahren Berufserfahrung, derzeit bei ...";
"Sprachen: Deutsch und Englisch."), which need no articles or gender agreement with a job
title the analyzer cannot decline. Any other language gets the English summary. Skill names
stay the taxonomy's (they are the names the analysis lists); spoken languages are named in the
summary's language where the phrasebook knows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resumate.ai.entries import EducationEntry, WorkEntry
from resumate.ai.scoring import CvFacts

SUMMARY_LANGUAGES = ("en", "de", "fr", "es", "pt", "it", "nl", "zh")


@dataclass(frozen=True)
class _Phrasebook:
    colon: str  # after the name and each label
    stop: str  # ends a sentence
    separator: str  # between list items
    and_: str  # before the last list item ("" for none)
    decimal: str
    professional: str  # stands for the role when no position names one
    about_a_year: str
    n_years: str  # "{n}"
    experience: str  # "{years}"
    early_career: str
    current: str  # "{company}"
    recent: str
    skills: str  # labels
    education: str
    area: str  # between a degree and its subject ("Bachelor" + " in " + "Nursing")
    certificates: str
    languages: str
    language_names: dict[str, str] = field(default_factory=dict)


_BOOKS: dict[str, _Phrasebook] = {
    "de": _Phrasebook(
        colon=": ",
        stop=".",
        separator=", ",
        and_=" und ",
        decimal=",",
        professional="Fachkraft",
        about_a_year="rund einem Jahr",
        n_years="{n} Jahren",
        experience=" mit {years} Berufserfahrung",
        early_career=" am Anfang der Berufslaufbahn",
        current=", derzeit bei {company}",
        recent=", zuletzt bei {company}",
        skills="Wichtigste Kenntnisse",
        education="Ausbildung",
        area=" in ",
        certificates="Zertifikate",
        languages="Sprachen",
        language_names={
            "English": "Englisch",
            "German": "Deutsch",
            "French": "Französisch",
            "Spanish": "Spanisch",
            "Portuguese": "Portugiesisch",
            "Italian": "Italienisch",
            "Dutch": "Niederländisch",
            "Mandarin Chinese": "Chinesisch (Mandarin)",
            "Japanese": "Japanisch",
            "Arabic": "Arabisch",
            "Russian": "Russisch",
            "Turkish": "Türkisch",
            "Polish": "Polnisch",
            "Ukrainian": "Ukrainisch",
        },
    ),
    "fr": _Phrasebook(
        colon=" : ",
        stop=".",
        separator=", ",
        and_=" et ",
        decimal=",",
        professional="Profil professionnel",
        about_a_year="environ un an",
        n_years="{n} ans",
        experience=" avec {years} d'expérience",
        early_career=" en début de carrière",
        current=", actuellement chez {company}",
        recent=", dernièrement chez {company}",
        skills="Compétences clés",
        education="Formation",
        area=" en ",
        certificates="Certifications",
        languages="Langues",
        language_names={
            "English": "anglais",
            "German": "allemand",
            "French": "français",
            "Spanish": "espagnol",
            "Portuguese": "portugais",
            "Italian": "italien",
            "Dutch": "néerlandais",
            "Mandarin Chinese": "chinois (mandarin)",
            "Japanese": "japonais",
            "Arabic": "arabe",
            "Russian": "russe",
            "Turkish": "turc",
            "Polish": "polonais",
            "Ukrainian": "ukrainien",
        },
    ),
    "es": _Phrasebook(
        colon=": ",
        stop=".",
        separator=", ",
        and_=" y ",
        decimal=",",
        professional="Profesional",
        about_a_year="alrededor de un año",
        n_years="{n} años",
        experience=" con {years} de experiencia",
        early_career=" al inicio de su carrera",
        current=", actualmente en {company}",
        recent=", más recientemente en {company}",
        skills="Competencias clave",
        education="Formación",
        area=" en ",
        certificates="Certificaciones",
        languages="Idiomas",
        language_names={
            "English": "inglés",
            "German": "alemán",
            "French": "francés",
            "Spanish": "español",
            "Portuguese": "portugués",
            "Italian": "italiano",
            "Dutch": "neerlandés",
            "Mandarin Chinese": "chino mandarín",
            "Japanese": "japonés",
            "Arabic": "árabe",
            "Russian": "ruso",
            "Turkish": "turco",
            "Polish": "polaco",
            "Catalan": "catalán",
        },
    ),
    "pt": _Phrasebook(
        colon=": ",
        stop=".",
        separator=", ",
        and_=" e ",
        decimal=",",
        professional="Profissional",
        about_a_year="cerca de um ano",
        n_years="{n} anos",
        experience=" com {years} de experiência",
        early_career=" em início de carreira",
        current=", atualmente em {company}",
        recent=", mais recentemente em {company}",
        skills="Principais competências",
        education="Formação",
        area=" em ",
        certificates="Certificações",
        languages="Idiomas",
        language_names={
            "English": "inglês",
            "German": "alemão",
            "French": "francês",
            "Spanish": "espanhol",
            "Portuguese": "português",
            "Italian": "italiano",
            "Dutch": "neerlandês",
            "Mandarin Chinese": "chinês (mandarim)",
            "Japanese": "japonês",
            "Arabic": "árabe",
            "Russian": "russo",
            "Turkish": "turco",
            "Polish": "polonês",
        },
    ),
    "it": _Phrasebook(
        colon=": ",
        stop=".",
        separator=", ",
        and_=" e ",
        decimal=",",
        professional="Professionista",
        about_a_year="circa un anno",
        n_years="{n} anni",
        experience=" con {years} di esperienza",
        early_career=" a inizio carriera",
        current=", attualmente presso {company}",
        recent=", più recentemente presso {company}",
        skills="Competenze principali",
        education="Formazione",
        area=" in ",
        certificates="Certificazioni",
        languages="Lingue",
        language_names={
            "English": "inglese",
            "German": "tedesco",
            "French": "francese",
            "Spanish": "spagnolo",
            "Portuguese": "portoghese",
            "Italian": "italiano",
            "Dutch": "olandese",
            "Mandarin Chinese": "cinese (mandarino)",
            "Japanese": "giapponese",
            "Arabic": "arabo",
            "Russian": "russo",
            "Turkish": "turco",
            "Polish": "polacco",
        },
    ),
    "nl": _Phrasebook(
        colon=": ",
        stop=".",
        separator=", ",
        and_=" en ",
        decimal=",",
        professional="Professional",
        about_a_year="ongeveer een jaar",
        n_years="{n} jaar",
        experience=" met {years} werkervaring",
        early_career=" aan het begin van de loopbaan",
        current=", momenteel bij {company}",
        recent=", meest recent bij {company}",
        skills="Belangrijkste vaardigheden",
        education="Opleiding",
        area=" in ",
        certificates="Certificaten",
        languages="Talen",
        language_names={
            "English": "Engels",
            "German": "Duits",
            "French": "Frans",
            "Spanish": "Spaans",
            "Portuguese": "Portugees",
            "Italian": "Italiaans",
            "Dutch": "Nederlands",
            "Mandarin Chinese": "Chinees (Mandarijn)",
            "Japanese": "Japans",
            "Arabic": "Arabisch",
            "Russian": "Russisch",
            "Turkish": "Turks",
            "Polish": "Pools",
        },
    ),
    "zh": _Phrasebook(
        colon="：",
        stop="。",
        separator="、",
        and_="",
        decimal=".",
        professional="专业人士",
        about_a_year="约1年",
        n_years="{n}年",
        experience="，{years}工作经验",
        early_career="，职业生涯初期",
        current="，现任职于{company}",
        recent="，最近任职于{company}",
        skills="核心技能",
        education="学历",
        area="，",
        certificates="证书",
        languages="语言",
        language_names={
            "English": "英语",
            "German": "德语",
            "French": "法语",
            "Spanish": "西班牙语",
            "Portuguese": "葡萄牙语",
            "Italian": "意大利语",
            "Dutch": "荷兰语",
            "Mandarin Chinese": "普通话",
            "Cantonese": "粤语",
            "Japanese": "日语",
            "Korean": "韩语",
            "Arabic": "阿拉伯语",
            "Russian": "俄语",
        },
    ),
}


def build_summary(facts: CvFacts, language: str = "en") -> str:
    """Two to four short sentences: who, role, years and employer; key skills; a degree,
    credentials or languages. In `language` when there is a phrasebook for it, else English."""
    book = _BOOKS.get(language)
    if book is None:
        return _english(facts)
    return _labelled(facts, book)


def _clean(value: str | None) -> str:
    """A title, employer or school as a sentence can hold it: no trailing full stop or comma
    (the sentence adds its own), no bracket left open by a line that was cut."""
    text = (value or "").strip().rstrip(".,;:·。，").strip()
    if text.count("(") > text.count(")"):
        text += ")"
    return text


def _hard_skills(facts: CvFacts) -> list[str]:
    return [s.name for s in facts.skills if s.category not in ("Soft skills", "Spoken languages")]


def _english(facts: CvFacts) -> str:
    c = facts.contact
    latest = _latest_work(facts.work)
    role = _clean(latest.title if latest else None) or None
    who = c.name or "The candidate"
    years = facts.years
    if role:
        article = "an" if role[:1].lower() in "aeiou" else "a"
        first = f"{who} is {article} {role}"
    else:
        first = f"{who} is a professional"
    if years >= 1:
        first += f" with {_english_years(years)} of experience"
    elif facts.work:
        first += " early in their career"
    if latest and _clean(latest.company):
        current = latest.dates is not None and latest.dates.end is None
        first += f", {'currently' if current else 'most recently'} at {_clean(latest.company)}"
    sentences = [first + "."]
    hard = _hard_skills(facts)
    soft = [s.name.lower() for s in facts.skills if s.category == "Soft skills"]
    if hard:
        sentences.append(f"Key skills include {_join(hard[:5])}.")
    strengths: list[str] = []
    edu = facts.education[0] if facts.education else None
    if edu and (edu.study_type or edu.institution):
        degree = (edu.study_type or "a qualification").strip()
        part = f"holds {_article(degree)}{degree}"
        if edu.area and edu.area.lower() not in degree.lower():
            # "Bachelor of Science in" + "Nursing" must not become "... in in Nursing".
            joiner = " " if degree.lower().endswith((" in", " of")) else " in "
            part += f"{joiner}{edu.area}"
        if _clean(edu.institution):
            part += f" from {_clean(edu.institution)}"
        strengths.append(part)
    if facts.certificates:
        certs = facts.certificates[:2]
        strengths.append(f"has the {_join(certs)} credential{'s' if len(certs) > 1 else ''}")
    if len(facts.languages) >= 2:
        strengths.append(f"speaks {_join(facts.languages[:4])}")
    elif soft and not strengths:
        strengths.append(f"highlights {_join(soft[:3])}")
    if strengths:
        pronoun = "They" if not c.name else c.name.split()[0]
        sentences.append(f"{pronoun} {_join(strengths[:2])}.")
    return " ".join(sentences[:3])


def _labelled(facts: CvFacts, book: _Phrasebook) -> str:
    latest = _latest_work(facts.work)
    first = _clean(latest.title if latest else None) or book.professional
    if facts.contact.name:
        first = f"{facts.contact.name}{book.colon}{first}"
    if facts.years >= 1:
        first += book.experience.format(years=_years(facts.years, book))
    elif facts.work:
        first += book.early_career
    if latest and _clean(latest.company):
        current = latest.dates is not None and latest.dates.end is None
        phrase = book.current if current else book.recent
        first += phrase.format(company=_clean(latest.company))
    sentences = [first + book.stop]
    hard = _hard_skills(facts)
    if hard:
        sentences.append(_label(book, book.skills, hard[:5]))
    strengths: list[str] = []
    edu = facts.education[0] if facts.education else None
    if edu and (edu.study_type or edu.institution):
        strengths.append(_label(book, book.education, [_degree(edu, book)]))
    if facts.certificates:
        strengths.append(_label(book, book.certificates, facts.certificates[:2]))
    if len(facts.languages) >= 2:
        names = [book.language_names.get(n, n) for n in facts.languages[:4]]
        strengths.append(_label(book, book.languages, names))
    sentences.extend(strengths[:2])
    return ("" if book.stop == "。" else " ").join(sentences)


def _degree(edu: EducationEntry, book: _Phrasebook) -> str:
    degree = (edu.study_type or "").strip()
    area = _clean(edu.area)
    institution = _clean(edu.institution)
    text = degree
    if area and area.lower() not in degree.lower():
        joiner = book.area
        if degree.lower().endswith(joiner.rstrip()) and joiner.strip():
            joiner = " "
        text = f"{degree}{joiner}{area}" if degree else area
    if institution:
        if not text:
            return institution
        open_, close = ("（", "）") if book.stop == "。" else (" (", ")")
        text += f"{open_}{institution}{close}"
    return text


def _label(book: _Phrasebook, label: str, items: list[str]) -> str:
    if book.and_ and len(items) > 1:
        listed = book.separator.join(items[:-1]) + book.and_ + items[-1]
    else:
        listed = book.separator.join(items)
    return f"{label}{book.colon}{listed}{book.stop}"


def _years(years: float, book: _Phrasebook) -> str:
    if years < 1.5:
        return book.about_a_year
    number = str(round(years)) if years >= 5 else f"{years:g}".replace(".", book.decimal)
    return book.n_years.format(n=number)


def _article(word: str) -> str:
    if word.split()[0].lower() in ("a", "an", "the"):
        return ""
    return "an " if word[:1].lower() in "aeiou" or word[:2].upper() in ("MS", "MA", "MB") else "a "


def _english_years(years: float) -> str:
    if years >= 2:
        return f"{round(years)} years" if years >= 5 else f"{years:g} years"
    return "about a year" if years < 1.5 else f"{years:g} years"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _latest_work(work: list[WorkEntry]) -> WorkEntry | None:
    dated = [w for w in work if w.dates]
    if not dated:
        return work[0] if work else None

    def key(w: WorkEntry) -> tuple[int, int, int]:
        assert w.dates is not None
        end = w.dates.end
        open_end = 1 if end is None else 0
        end_key = 0 if end is None else end.year * 12 + (end.month or 12)
        return (open_end, end_key, w.dates.start.year * 12 + (w.dates.start.month or 1))

    return max(dated, key=key)


__all__ = ["SUMMARY_LANGUAGES", "build_summary"]
