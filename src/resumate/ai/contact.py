"""Contact details: name, email, phone (E.164), location, LinkedIn, GitHub and website."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

import phonenumbers

from resumate.ai.dates import find_date_ranges
from resumate.ai.documents import TextLine
from resumate.ai.schemas import Contact
from resumate.ai.sections import match_heading

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"(?:\.[a-z0-9-]+)*(?![\w@])"  # the whole domain as printed, not cut at a short label
)
LINKEDIN_RE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub|profile)/([A-Za-z0-9\-_%.]+)", re.I
)
GITHUB_RE = re.compile(
    r"(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))", re.I
)
URL_RE = re.compile(
    r"(?:https?://[^\s|,;<>()]+|www\.[^\s|,;<>()]+|"
    r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|io|dev|me|net|org|co|app|design|art|info|"
    r"tech|site|online|blog|page|xyz|ai|de|fr|es|it|nl|uk|ca|au|ch|at|be|pt|br|in)"
    r"(?:/[^\s|,;<>()]*)?)",
    re.I,
)
_PHONE_CANDIDATE_RE = re.compile(r"\(?(?:\+|00)?\(?\d[\d\s().\-/‐–]{5,22}\d")
_PHONE_LABEL_RE = re.compile(
    r"\b(?:phone|tel|telephone|mobile|mob|cell|handy|telefon|téléphone|tél|portable|móvil|"
    r"movil|teléfono|telefono|celular|telemóvel|cellulare|mobiel|telefoon|gsm|fon|whatsapp)\b"
    r"|^\s*[tmpc]\s*[:.]",
    re.I,
)
_SPLIT_RE = re.compile(r"\s*(?:\||•|·|●|▪|◆|\u2022|\s{2,}|\t| – | — | - | / )\s*")
_LABEL_RE = re.compile(
    r"^(?:e-?mail|email|mail|phone|tel|telephone|mobile|cell|address|location|adresse|"
    r"anschrift|wohnort|dirección|direccion|endereço|indirizzo|adres|ort|city|linkedin|"
    r"github|website|web|portfolio|homepage|handy|telefon|téléphone|teléfono|telefono|"
    r"domicilio|residence|based in)\s*[:.]?\s*",
    re.I,
)
_NAME_LABEL_RE = re.compile(
    r"^(?:(?:full |complete )?name|nom(?: complet)?|nombre(?: completo)?|nombres y apellidos|"
    r"apellidos y nombres?|nome(?: completo)?|naam|volledige naam|vorname und name|"
    r"vollständiger name)\s*[:：]\s*(.+)$"
    # Europass prints its label column beside the name, without a colon
    r"|^(?:personal information|información personal|informations personnelles|"
    r"persönliche angaben|informazioni personali|informação pessoal|persoonlijke informatie)"
    r"\s*[:：]?\s+(.+)$",
    re.I,
)

_NOT_NAME_WORDS = {
    "curriculum", "vitae", "resume", "résumé", "cv", "lebenslauf", "profile", "page", "contact",
    "السيرة", "الذاتية", "سيرة", "ذاتية", "קורות", "חיים", "applied",
    "engineer", "developer", "manager", "nurse", "teacher", "analyst", "consultant", "director",
    "assistant", "designer", "specialist", "officer", "accountant", "architect", "lead",
    "senior", "junior", "intern", "student", "technician", "coordinator", "administrator",
    "executive", "scientist", "representative", "associate", "advisor", "attorney", "lawyer",
    "chef", "driver", "electrician", "mechanic", "pharmacist", "physician", "therapist",
    "head", "president", "supervisor", "clerk", "agent", "operator", "planner", "recruiter",
    "university", "college", "school", "street", "road", "avenue", "inc", "ltd", "gmbh",
    "llc", "professional", "summary", "experience", "education", "skills", "personal",
    "information", "details", "references", "available", "request", "confidential",
    "phone", "number", "email", "e-mail", "address", "mobile", "telephone", "additional",
    "adicional", "informacion", "información", "informations", "complementaires",
    "complémentaires", "civil", "etat", "état", "datos", "personales", "dados", "pessoais",
    "persönliche", "daten", "angaben", "dati", "personali", "gegevens", "persoonlijke",
    "objective", "objetivo", "objectif", "skill", "competences", "compétences",
    "habilidades", "kenntnisse", "hobbies", "interests", "languages", "idiomas", "langues",
    "sprachen", "profil", "perfil", "profilo", "experiencia", "expérience", "formation",
    "formación", "ausbildung", "berufserfahrung", "vita", "template", "sample", "example",
    "your", "name", "firstname", "lastname", "surname", "group", "company", "corporation",
    "technologies", "solutions", "systems", "services", "consulting", "agency", "bank",
    "ingénieur", "ingenieur", "ingeniero", "ingeniera", "engenheiro", "ingegnere", "logiciel",
    "développeur", "developpeur", "desarrollador", "desenvolvedor", "sviluppatore",
    "entwickler", "full-stack", "fullstack", "stack", "software", "research", "design",
    "court", "district", "high", "delegate", "universidad", "université", "universität",
    "data", "web", "frontend", "backend", "devops", "ux", "ui",
    # Organisations: a school or an employer printed in large type is not the person.
    "institut", "institute", "instituto", "istituto", "hochschule", "fachhochschule",
    "università", "universita", "universidade", "faculdade", "facultad", "fakultät", "faculty",
    "academy", "akademie", "academia", "école", "escuela", "escola", "lycée", "gymnasium",
    "department", "departamento", "ministry", "ministerio", "hospital", "klinik", "clinic",
    "clinique", "foundation", "stiftung", "fundación", "fundação", "association", "verein",
    "laboratory", "labor", "centre", "center", "centro",
    # Streets: an address line is not a name ("Rua Santa Fé", "Calle Mayor").
    "rua", "rue", "calle", "avenida", "av", "straße", "strasse", "str", "boulevard", "blvd",
    "via", "viale", "piazza", "platz", "allee", "gasse",
    "travessa", "praça", "largo", "carrer", "paseo", "plaza", "camino", "chemin", "chaussee",
    # Labels of the personal-data block ("Geburtsdatum Geburtsort": a label column whose values
    # are elsewhere) and its headings ("PERSÖNLICHES").
    "geburtsdatum", "geburtsort", "geburtstag", "geburtsdaten", "staatsangehörigkeit",
    "nationalität", "familienstand", "persönliches", "nationality", "citizenship", "marital",
    "status", "birthday", "birthplace", "gender", "geschlecht", "nacionalidad", "nacimiento",
    "fecha", "lugar", "sexo", "sexe", "naissance", "nationalité", "situation", "familiale",
    "nascita", "luogo", "nazionalità", "cittadinanza", "nascimento", "naturalidade",
    "nacionalidade", "geboortedatum", "geboorteplaats", "nationaliteit", "burgerlijke",
    "datum", "date", "place", "age", "edad", "idade",
}  # fmt: skip
_STREET_SUFFIXES = ("strasse", "gasse", "allee", "chaussee")
# Academic degrees printed after a name without a comma ("Djordje Djokic B.Sc.").
_DEGREE_TOKEN_RE = re.compile(
    r"^(?:[BM]\.(?:Sc|A|Eng|Ed|Comm|Tech|Phil|Des|Arch|Mus|Fin)\.?|"
    r"[BM](?:Sc|Eng|Ed|Comm|Tech|Phil|Des|Arch|Mus|Fin)|Ph\.?D\.?|LL\.[BM]\.?|LLB|LLM|"
    r"MBA|M\.D\.|Dipl\.-?\w+\.?|DPhil|CPA|PMP|CFA|ACCA|"
    # nursing and care credentials ("Jasmine Smith BSN, RN, OCN")
    r"BSN|MSN|BScN|RN|LPN|APRN|DNP|FNP|CNA|CCRN|OCN|CNL|CNS)[,.]?$"
)
_PARTICLES = {
    "van", "von", "de", "der", "den", "da", "di", "del", "della", "la", "le", "du",
    "dos", "das", "do", "bin", "ben", "al", "el", "y", "e", "ter", "zu", "mc",
}  # fmt: skip
_NAME_TOKEN_RE = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:[-'’][^\W\d_]+)*\.?$")


@lru_cache(maxsize=1)
def _places() -> dict[str, Any]:
    data = resources.files("resumate.ai.data").joinpath("places.json").read_text("utf-8")
    places: dict[str, Any] = json.loads(data)
    return places


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in t if not unicodedata.combining(c))


_NOT_NAME_WORDS = {_fold(w) for w in _NOT_NAME_WORDS}


@lru_cache(maxsize=1)
def _place_index() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    places = _places()
    countries = {_fold(n): iso for iso, names in places["countries"].items() for n in names}
    cities = {_fold(n): iso for iso, names in places["cities"].items() for n in names}
    regions: dict[str, str] = {}
    for iso, mapping in places["regions"].items():
        for abbr, name in mapping.items():
            regions.setdefault(abbr, iso)
            regions.setdefault(_fold(name), iso)
    return countries, cities, regions


def country_of(text: str) -> str | None:
    """ISO country code suggested by a location text ("Austin, TX", "10115 Berlin", "Lyon")."""
    countries, cities, regions = _place_index()
    parts = [p.strip(" .") for p in re.split(r"[,/|()]", text) if p.strip(" .")]
    for part in reversed(parts):
        folded = _fold(part)
        if folded in countries and (len(folded) > 2 or part.isupper()):
            return countries[folded]
        if part in regions and part.isupper():
            return regions[part]
        m = re.match(r"^([A-Z]{2})\s+\d{5}(?:-\d{4})?$", part)
        if m and m.group(1) in regions:
            return regions[m.group(1)]
        if folded in regions and len(folded) > 3:
            return regions[folded]
    for part in parts:
        folded = _fold(re.sub(r"^\d{4,5}\s+|\s+\d{4,5}$", "", part))
        if folded in cities:
            return cities[folded]
    return None


def looks_like_location(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > 60 or "@" in text or re.search(r"\d{6,}", text):
        return False
    if any(ch.isdigit() for ch in text) and not re.search(r"\b\d{4,5}\b|\b[A-Z]{1,2}\d", text):
        return False
    return country_of(text) is not None


def is_country_or_region(text: str) -> bool:
    """A country ("Russia", "Perú", "Deutschland") or a region or state ("Bavaria", "TX"), not a
    town: what a CV writes after a town ("Moscow, Russia", "Austin, TX")."""
    part = text.strip(" .")
    if not part or len(part) > 40:
        return False
    countries, _cities, regions = _place_index()
    folded = _fold(part)
    if folded in countries and (len(folded) > 2 or part.isupper()):
        return True
    if part in regions and part.isupper():
        return True
    if folded in regions and len(folded) > 3:
        return True
    return folded in _world_index()[1]


@lru_cache(maxsize=1)
def _world_index() -> tuple[dict[str, str], dict[str, str]]:
    """(folded town -> ISO country, folded country name -> ISO) from `data/towns.txt`: the
    GeoNames towns of 15,000 people or more (CC BY 4.0). Only for text where a place is
    expected (the contact block, an address label): many of these towns are also people's
    names or common words, so names are never checked against it."""
    towns: dict[str, str] = {}
    countries: dict[str, str] = {}
    data = resources.files("resumate.ai.data").joinpath("towns.txt").read_text("utf-8")
    for line in data.splitlines():
        if not line or line.startswith("#"):
            continue
        iso, _, names = line.partition("\t")
        if names.startswith("="):
            countries[names[1:]] = iso
            continue
        towns.update(dict.fromkeys(names.split("|"), iso))  # stored folded
    return towns, countries


# Towns that are also words a contact block prints on their own (a gender, a phone label, a
# level): never read as the place there.
_NOT_TOWNS = {
    "male", "mobile", "university", "basic", "best", "young", "normal", "union", "mission",
    "independence", "opportunity", "enterprise", "liberty", "paradise", "surprise", "orange",
    "most", "bar", "sale", "split", "nice", "eden", "victoria", "florence", "regina", "julia",
    "anna", "marion", "mercedes", "dolores", "isabela", "carmen", "home", "office", "remote",
}  # fmt: skip
_ICON_PREFIX_RE = re.compile(r"^(?:[^\w\s]|[A-Za-z])\s+(?=[^\W\d_]{2})")


def world_country_of(text: str) -> str | None:
    """ISO country of a place text in the contact block, also for a town only the world
    gazetteer knows ("Ramallah, West Bank, Palestine", "Viedma", "Koura District, Irbid,
    Jordan", "Nha Trang City"): the small list first, then the world one, part by part."""
    text = text.strip()
    if not text or len(text) > 60 or "@" in text:
        return None
    parts = [p.strip(" .") for p in re.split(r"[,/|()]|\s[-–—]\s", text) if p.strip(" .")]
    for part in parts:
        # Each part is a name of capitalised words, or a postcode or state code on its own.
        words = part.split()
        if all(_CODE_RE.match(w) for w in words):
            continue
        if not 1 <= len(words) <= 4 or not all(w[0].isupper() for w in words):
            return None
        if any(not re.fullmatch(r"[^\W\d_][^\W\d_'’.\-]*", w) for w in words):
            return None
    known = country_of(text)
    if known:
        return known
    towns, countries = _world_index()
    for part in reversed(parts):
        folded = _fold(part)
        if folded in countries:
            return countries[folded]
    for part in parts:
        folded = _fold(part)
        candidates = [folded]
        if folded.endswith((" city", " town")):
            candidates.append(folded[:-5])  # "Nha Trang City"
        for candidate in candidates:
            if candidate in _NOT_TOWNS or candidate in _NOT_NAME_WORDS:
                continue
            if candidate in towns:
                if match_heading(part) is not None or _is_skill_or_term(part):
                    return None
                return towns[candidate]
    return None


def _norm_phone(raw: str, regions: list[str]) -> tuple[str | None, bool]:
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return None, False
    candidate = raw.strip()
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    fallback: str | None = None
    for region in regions:
        try:
            num = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164), True
        if fallback is None and phonenumbers.is_possible_number(num) and candidate.startswith("+"):
            fallback = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return fallback, False


_BIRTH_RE = re.compile(
    r"\b(?:geb\.|geboren|geburt\w*|born|birth|date of birth|d\.?o\.?b|né[e]? le|naissance|"
    r"nacimiento|nascimento|nascita|geboortedatum|dni|nie|passport|pasaporte|id number|"
    r"identity number|ausweis)\b",
    re.I,
)


def _inside_token(line: str, start: int, end: int) -> bool:
    before = line[start - 1] if start > 0 else " "
    after = line[end] if end < len(line) else " "
    # Chinese and Japanese need no space around a number ("电话：18516994586邮箱：…").
    if (before.isalnum() and not _CJK_RE.match(before)) or before in "_=":
        return True
    if _CJK_RE.match(after):
        return False
    return after.isalpha() or (after == "-" and line[end + 1 : end + 2].isalpha())


def _in_address(line: str, start: int, end: int) -> bool:
    """The match lies in a web address or a DOI (the whitespace-free word around it)."""
    word_start = max(line.rfind(" ", 0, start), line.rfind("\t", 0, start)) + 1
    word_end = min(
        (i for i in (line.find(" ", end), line.find("\t", end)) if i >= 0), default=len(line)
    )
    word = line[word_start:word_end].lower()
    return "://" in word or word.startswith(("www.", "doi:", "doi.org"))


_FALLBACK_REGIONS = ["US", "GB", "DE", "FR", "IN", "ES", "IT", "NL", "CA", "AU", "BR"]


def find_phone(lines: list[str], region_hint: str | None) -> tuple[str | None, str | None]:
    """(raw phone as written, E.164) from the most likely lines first."""
    regions = ([region_hint] if region_hint else []) + [
        r for r in _FALLBACK_REGIONS if r != region_hint
    ]
    best: tuple[int, str, str | None] | None = None
    for order, line in enumerate(lines):
        if EMAIL_RE.fullmatch(line.strip()):
            continue
        labelled = bool(_PHONE_LABEL_RE.search(line))
        if _BIRTH_RE.search(line) and not labelled:
            continue
        for m in _PHONE_CANDIDATE_RE.finditer(line):
            raw = m.group(0).strip(" -–/.")
            if _inside_token(line, m.start() + (line[m.start()] == "("), m.end()):
                continue  # "rohit-tiwari-0b8302198", "53741253-M": part of a URL or an ID
            if _in_address(line, m.start(), m.end()):
                continue  # "https://doi.org/10.2143/IG.180.0.3292822"
            if re.fullmatch(r"[0-3]?\d([./-])[01]?\d\1(?:19|20)\d\d", raw):
                continue  # a full date ("09-04-1984" too)
            if re.fullmatch(r"(?:19|20)\d\d\s?[-/]\s?\d{1,6}", raw) and not labelled:
                continue  # "2025-0011": a report or publication number
            if re.fullmatch(r"\d{13,}|[1-9]\d{11}", raw) and not labelled:
                continue  # "9611245750083": an identity or account number, not a phone
            if find_date_ranges(raw) and not labelled and not raw.startswith("+"):
                continue
            if re.fullmatch(r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)\d\d", raw):
                continue
            e164, valid = _norm_phone(raw, regions)
            if e164 is None:
                if labelled and best is None:
                    best = (9, raw, None)
                continue
            # A number labelled as a phone near the top beats a bare one there ("Profsouznaja
            # 91 – 252 117279" above "Tel. +7 910..."); a labelled one further down does not.
            near = order < 12
            rank = (0 if valid else 3) + (0 if labelled and near else 1 if near or labelled else 2)
            if best is None or rank < best[0]:
                best = (rank, raw, e164)
            if rank == 0:
                return raw, e164
    if best is None:
        return None, None
    return best[1], best[2]


def normalize_linkedin(match: re.Match[str]) -> str:
    return f"https://www.linkedin.com/in/{match.group(1).rstrip('/.')}"


def _clean_name(text: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """`allowed`: words the person's email address spells ("alistair.senior@"), which are
    their name even when they are also title words ("Senior", "Head")."""
    text = text.strip().strip(",;|")
    m = _NAME_LABEL_RE.match(text)
    if m:
        text = (m.group(1) or m.group(2)).strip()
    text = re.sub(r"\s*[,|]\s*(?:ph\.?d|m\.?d|mba|cpa|pmp|rn|msc|bsc|ma|ba|jr|sr)\.?\b.*$", "",
                  text, flags=re.I)  # fmt: skip
    text = re.sub(r"\s*\([^()]{1,30}\)\s*", " ", text)  # "Hugo (Chun-Ho) Lin": a nickname
    # A double-barrelled name set with a typographic hyphen or an en dash ("CANISARES–MORÈRE").
    text = re.sub(r"(?<=[^\W\d_])[\u2010\u2011\u2013](?=[^\W\d_])", "-", text)
    tokens = text.split()
    if tokens and len(tokens[-1]) > 3 and tokens[-1].endswith("."):
        tokens[-1] = tokens[-1][:-1]  # "Medina Orosco.": the full stop of a form's line
    while len(tokens) > 2 and _DEGREE_TOKEN_RE.match(tokens[-1]):
        tokens.pop()  # "Djordje Djokic B.Sc.": the degree after the name
    text = " ".join(tokens)
    if not 2 <= len(tokens) <= 5:
        return None
    caps_words = 0
    folded = [_fold(tok.strip(".,")) for tok in tokens]
    # A title word is a name only beside another word of the name the email also spells.
    vouched = any(f in allowed and f not in _NOT_NAME_WORDS for f in folded)
    for tok in tokens:
        low = _fold(tok.strip(".,"))
        if low in _NOT_NAME_WORDS and not (vouched and low in allowed):
            return None
        if low.endswith(_STREET_SUFFIXES) and low not in allowed:
            return None  # "Kranebitter Allee", "Mühlfeldstraße": a street
        if not _NAME_TOKEN_RE.match(tok) and not (
            # a Hebrew name's geresh ("רחמילביץ'"), typed as an apostrophe or as U+05F3
            _caseless_letter(tok[0]) and tok[-1] in "'’\u05f3" and _NAME_TOKEN_RE.match(tok[:-1])
        ):
            return None
        if low in _PARTICLES:
            continue
        if tok[0].isupper() or _caseless_letter(tok[0]):
            caps_words += 1
        else:
            return None
    if caps_words < 2 or match_heading(text) is not None or looks_like_location(text):
        return None
    if _is_skill_or_term(text):
        return None  # "Strategic Planning", "Red Hat": a skill or product, not a person
    if text.isupper():
        text = " ".join(
            t if t in _PARTICLES else "-".join(p.capitalize() for p in t.split("-"))
            for t in text.lower().split()
        )
    return text


_CJK_RE = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _caseless_letter(ch: str) -> bool:
    """A letter of a script without capitals in which names are written as separate words
    (Arabic, Hebrew, Persian, Devanagari, Thai...): such a word counts as capitalised. Chinese,
    Japanese and Korean names are written without spaces and found elsewhere (`_cjk_name`)."""
    return ch.isalpha() and ch.lower() == ch == ch.upper() and not _CJK_RE.match(ch)


def _is_skill_or_term(text: str) -> bool:
    from resumate.ai.skills import canonical_skill

    return canonical_skill(text) is not None


_FIRST_NAME_RE = re.compile(
    r"^\s*(?:first name|given names?|forenames?|pr[ée]noms?|vorname|nombres?|nome|voornaam|"
    r"name\(s\))\s*(?:[:：]\s*|\s{1,3}(?=[A-ZÀ-Ý]))(.+?)\.?$",
    re.I,
)
_LAST_NAME_RE = re.compile(
    r"^\s*(?:last name|surname|family name|nom(?: de famille)?|nachname|apellidos?|sobrenome|"
    r"cognome|achternaam)\s*(?:[:：]\s*|\s{1,3}(?=[A-ZÀ-Ý]))(.+?)\.?$",
    re.I,
)
_BOTH_NAMES_RE = re.compile(
    r"^\s*(?:vorname,?\s*(?:und\s*)?nachname|first (?:name )?and last name|nombre y apellidos?|"
    r"nome e cognome|prénom et nom)\s*[:：]\s*([^,]+),\s*(.+)$",
    re.I,
)
_CJK_NAME_LABEL_RE = re.compile(r"姓\s*名\s*[:：]\s*([\u3400-\u9fff]{2,4})")
_CJK_NAME_RE = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_CJK_SPACED_RE = re.compile(r"^[\u3400-\u9fff](?:\s{1,4}[\u3400-\u9fff]){1,3}$")
# Words of a Chinese CV's titles and headings: "个人简历" (personal CV) is not a name.
_CJK_NOT_NAME_RE = re.compile(
    r"简历|履历|个人|信息|经历|经验|技能|教育|工作|联系|求职|自我|评价|项目"
)


def _labelled_name(lines: list[TextLine]) -> str | None:
    """'Prénom : Aminata' + 'Nom : DJIGO' -> 'Aminata Djigo'."""
    first = last = None
    for line in lines[:40]:
        text = line.text.replace("\u00a0", " ")
        m = _CJK_NAME_LABEL_RE.search(text)
        if m:
            return m.group(1)
        m = _BOTH_NAMES_RE.match(text)
        if m:
            return _clean_name(f"{m.group(1).strip()} {m.group(2).strip()}")
        m = _FIRST_NAME_RE.match(text)
        if m and first is None:
            first = m.group(1).strip()
            continue
        m = _LAST_NAME_RE.match(text)
        if m and last is None:
            last = m.group(1).strip()
    if first and last:
        return _clean_name(f"{first} {last}")
    return None


_CJK_TITLE_NAME_RE = re.compile(r"^([\u3400-\u9fff]{2,4})的(?:个人|工作|求职)?(?:简历|履历)$")
_CJK_FIELDS_NAME_RE = re.compile(r"^([\u3400-\u9fff]{2,4})\s*[/|｜,，、]\s*[男女]\b")


def _cjk_name(lines: list[TextLine]) -> str | None:
    """A Chinese or Japanese name: 2-4 Han characters alone on one of the first lines, in the
    title ('林敏润的工作简历': Lin's work CV) or before the gender ('林敏润/男/1997')."""
    for line in lines[:6]:
        text = line.text.strip()
        if _CJK_SPACED_RE.match(text):
            text = re.sub(r"\s+", "", text)  # letter-spaced: "徐  赞"
        if (
            _CJK_NAME_RE.match(text)
            and match_heading(text) is None
            and not _CJK_NOT_NAME_RE.search(text)
        ):
            return text
    for line in lines[:20]:
        text = line.text.strip()
        m = _CJK_TITLE_NAME_RE.match(text) or _CJK_FIELDS_NAME_RE.match(text)
        if m:
            return m.group(1)
    return None


def _two_line_name(lines: list[TextLine]) -> str | None:
    """'Cristian' / 'González Guerrero': a first name alone on the top line, the rest below."""
    top = [ln for ln in lines[:4] if ln.text.strip()]
    biggest = max((ln.font_size for ln in lines[:80] if ln.page == 0), default=0.0)
    for a, b in itertools.pairwise(top):
        one = a.text.strip()
        if len(one.split()) > 2 or not _NAME_TOKEN_RE.match(one.split()[0]):
            continue
        if len(one.split()) == 2 and _clean_name(one) is None:
            continue
        if _is_skill_or_term(one) or match_heading(one) is not None or looks_like_location(one):
            continue
        two = b.text.strip()
        if len(two.split()) > 3 or (len(two.split()) >= 2 and _clean_name(two) is None):
            continue
        if not _may_end_a_name(two):
            continue  # "Jane Doe" / "Madrid", "Jane Doe" / "Python"
        if len(one.split()) == 2 and world_country_of(_ICON_PREFIX_RE.sub("", two)):
            continue  # "Oday Hmydat" / "Presidente Epitácio": a whole name, then the town
        if len(one.split()) == 2 and len(two.split()) == 1 and not (a.font_size and b.font_size):
            continue  # "Hlumelo Faltein" / "Stundent" in a Word header: a whole name, a title
        # OCR sizes come from box heights: a few points apart on the same display name.
        tol = 0.3 * max(a.font_size, b.font_size) if a.source == "ocr" else 1.0
        # "NORBERT" / "OCIOS": a display name whose two words are set in two sizes.
        stacked_caps = one.isupper() and two.isupper() and len(one.split()) == len(two.split()) == 1
        if (
            a.font_size
            and b.font_size
            and abs(a.font_size - b.font_size) > tol
            and not (stacked_caps and min(a.font_size, b.font_size) >= 0.5 * biggest)
        ):
            continue
        if a.font_size and max(a.font_size, b.font_size) < biggest - max(0.5, tol):
            continue  # larger type above or below holds the name
        joined = _clean_name(f"{one} {b.text.strip()}")
        if joined and len(joined.split()) <= 5:
            return joined
    return None


def _name_prefix(text: str) -> str | None:
    """'Dmitry Safonov Kernel Engineer' -> 'Dmitry Safonov' (a title follows the name)."""
    tokens = text.split()
    if len(tokens) < 3:
        return None
    for cut in range(2, min(len(tokens), 5)):
        rest = {_fold(t.strip(".,|")) for t in tokens[cut:]}
        if rest & _NOT_NAME_WORDS or match_heading(" ".join(tokens[cut:])) is not None:
            name = _clean_name(" ".join(tokens[:cut]))
            if name and not ({_fold(t) for t in name.split()} & _NOT_NAME_WORDS):
                return name
    return None


def unspace_letters(text: str) -> str:
    """A letter-spaced display line ("I g n a c i o", "J O H N  S M I T H") as the words it
    spells; any other line unchanged. Wider gaps, when the text keeps them, separate words."""
    tokens = text.split()
    if len(tokens) < 4 or not all(t.isalpha() for t in tokens):
        return text
    if max(len(t) for t in tokens) > 3 or sum(len(t) == 1 for t in tokens) < 0.6 * len(tokens):
        return text
    return " ".join("".join(word.split()) for word in re.split(r"\s{2,}", text.strip()))


def split_run_together(word: str, vocabulary: set[str]) -> str | None:
    """'BUSAMOKOENA' -> 'BUSA MOKOENA' when the CV spells those words elsewhere (a letter-spaced
    display name whose word gap the PDF lost): the split into the fewest known words."""
    low = _fold(word)
    n = len(low)
    if n < 5 or n > 40:
        return None
    best: list[list[int] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        path = best[i]
        if path is None or len(path) >= 4:
            continue
        for j in range(i + 2, n + 1):
            known = best[j]
            if low[i:j] in vocabulary and (known is None or len(known) > len(path) + 1):
                best[j] = [*path, j]
    cuts = best[n]
    if not cuts or len(cuts) < 2:
        return None
    parts, start = [], 0
    for cut in cuts:
        parts.append(word[start:cut])
        start = cut
    return " ".join(parts)


def _unspaced(
    lines: list[TextLine], vocabulary: set[str] | None = None, display: float = 0.0
) -> list[TextLine]:
    """`display`: the largest type of the first page. A long single word in it ('BUSAMOKOENA'
    as PDF text read with its tracking) is split too, like a letter-spaced one."""
    out = []
    for ln in lines:
        text = unspace_letters(ln.text)
        run_together = (
            text == ln.text
            and display > 0
            and ln.page == 0
            and ln.font_size >= display - 0.5
            and len(text) >= 8
            and text.isalpha()
            and match_heading(text) is None
        )
        if (text != ln.text or run_together) and vocabulary and " " not in text:
            # The run-together word itself is in the CV's words: split it by the others.
            text = split_run_together(text, vocabulary - {_fold(text)}) or text
        out.append(ln if text == ln.text else dataclasses.replace(ln, text=text))
    return out


def _email_words(email: str | None) -> frozenset[str]:
    if not email:
        return frozenset()
    local = email.split("@", 1)[0]
    return frozenset(_fold(w) for w in re.split(r"[\W\d_]+", local) if len(w) >= 3)


def find_name(
    lines: list[TextLine], email: str | None = None, body: float | None = None
) -> str | None:
    """The person's name: a short capitalised line near the top, preferring large type.
    The largest type on the first page counts wherever it is (a Word file's text boxes and
    tables come in an order that is not the page's). `body`: the page's body type size, when
    `lines` are only some of its lines (mostly headings, whose size would pass for body)."""
    if not lines:
        return None
    allowed = _email_words(email)
    first_page = [ln for ln in lines if ln.page == 0] or lines
    tops = [ln.top for ln in first_page if ln.top]
    limit = (max(tops) * 0.3) if tops else 0.0
    sizes = [ln.font_size for ln in first_page[:80] if ln.font_size]
    biggest = max(sizes) if sizes else 0.0
    if body is None:
        body = sorted(sizes)[len(sizes) // 2] if sizes else 0.0
    scored: list[tuple[float, int, str]] = []
    for order, line in enumerate(first_page[:80]):
        near_top = order < 8 or (limit and line.top <= limit) or line.source == "header"
        largest = biggest >= 1.5 * body > 0 and line.font_size >= biggest - 0.5
        if not (near_top and order < 60) and not largest:
            continue
        following = first_page[order + 1] if order + 1 < len(first_page) else None
        if following is not None and _name_goes_on(line, following, body):
            # "ANYI YOJANNA FLORES" / "RODRIGUEZ", "PRANAV" / "UNNIKRISHNAN": one display name
            joined = _clean_name(f"{line.text} {following.text}", allowed)
            if joined:
                score = line.font_size * 2 + (3 if line.bold else 0) - min(order, 20) * 0.5
                scored.append((score, -order, joined))
                continue
        for piece in _name_pieces(line.text):
            name = _clean_name(piece, allowed) or _name_prefix(piece)
            if name:
                score = line.font_size * 2 + (3 if line.bold else 0) - min(order, 20) * 0.5
                if piece != line.text:
                    score -= 2
                scored.append((score, -order, name))
                break
    if not scored:
        return None
    scored.sort(reverse=True)
    return scored[0][2]


_CV_TITLE_WORDS = frozenset(
    {"curriculum", "vitae", "vitæ", "resume", "cv", "lebenslauf", "curriculo", "hoja", "de",
     "vida"}
)  # fmt: skip


def _is_cv_title(text: str) -> bool:
    """ "Curriculum Vitae", "Résumé", "Hoja de vida": the document's title, not a name."""
    words = [_fold(w) for w in re.findall(r"[^\W\d_]+", text)]
    return bool(words) and all(w in _CV_TITLE_WORDS for w in words) and words != ["de"]


def _name_pieces(text: str) -> list[str]:
    """The line itself, then its fields. A name printed with a place or a heading after a
    wide gap ("Tianxiang Gao    China") tries the name field first."""
    pieces = [p for p in _SPLIT_RE.split(text) if p.strip()]
    if len(pieces) > 1 and all(
        looks_like_location(p) or match_heading(p) is not None or _is_cv_title(p)
        for p in pieces[1:]
    ):
        return [pieces[0], text]
    return [text, *pieces][:4]


_MAILBOX_WORDS = frozenset(
    {"info", "mail", "email", "contact", "kontakt", "office", "hello", "jobs", "career", "careers",
     "admin", "post", "bewerbung", "candidature", "resume", "gmail", "yahoo", "outlook"}
)  # fmt: skip
_LABEL_PREFIX_RE = re.compile(r"^[^\W\d_][^:：]{0,30}[:：]\s*")


def _vouched_name(lines: list[TextLine], allowed: frozenset[str]) -> str | None:
    """A name line anywhere in the CV that spells a word of the email address ('Benjamin Rocha
    Nogueira' with benny.nogueira@...): the name in a text box after the body, a sidebar, a
    signature, or after a label of the form's own ('SOGGETTO: Tintori Matteo')."""
    strong = frozenset(w for w in allowed if len(w) >= 4)
    if not strong:
        return None
    for line in lines:
        text = _LABEL_PREFIX_RE.sub("", line.text.strip())
        for piece in _name_pieces(text):
            name = _clean_name(piece, allowed)
            if name and _spells(name, strong):
                return name
    return None


def _spells(name: str, words: frozenset[str]) -> bool:
    return any(_fold(t) in words for t in re.split(r"[\s\-'’]+", name))


# "Duisburg, 25.01.2024", "Berlin, den 3. März 2024": the place and date above a signature.
_SIGNED_RE = re.compile(
    r"^[^\W\d_][^\W\d_ .'-]*(?:[ -][^\W\d_][^\W\d_.'-]*){0,2},\s*(?:den\s+|le\s+|el\s+)?"
    r"\d{1,2}\.?\s*(?:\d{1,2}\.\s*\d{2,4}|[^\W\d_]+\.?\s+\d{4})$"
)


def _signature_name(lines: list[TextLine]) -> str | None:
    """The name signed under the place and date at the end of a CV (German and Swiss CVs end
    so), for a CV that prints it nowhere else."""
    tail = [ln for ln in lines[-8:] if ln.text.strip()]
    for i, line in enumerate(tail):
        if not _SIGNED_RE.match(line.text.strip()):
            continue
        for other in tail[i + 1 : i + 3] + tail[max(0, i - 1) : i]:
            name = _clean_name(other.text)
            if name:
                return name
    return None


def _given_name_alone(lines: list[TextLine]) -> str | None:
    """'Alejandro': a CV that prints one name only, as its first line in display type (the
    largest on the first page, at least twice the body size), a word that is nothing else."""
    page_one = [ln for ln in lines if ln.page == 0 and ln.text.strip()][:80]
    sizes = sorted(ln.font_size for ln in page_one if ln.font_size)
    if not page_one or not sizes:
        return None
    body = sizes[len(sizes) // 2]
    top = min(page_one[:3], key=lambda ln: ln.top if ln.top else 0.0)
    word = top.text.strip()
    if top.font_size < max(2.0 * body, sizes[-1] - 0.5) or " " in word or len(word) < 3:
        return None
    if not _NAME_TOKEN_RE.match(word) or not word[0].isupper() or word.endswith("."):
        return None
    if _fold(word) in _NOT_NAME_WORDS or match_heading(word) is not None:
        return None
    if looks_like_location(word) or _is_skill_or_term(word):
        return None
    return word.capitalize() if word.isupper() else word


def _name_goes_on(line: TextLine, following: TextLine, body: float) -> bool:
    """True when `following` continues a display name begun on `line`: the next line in the
    same large type, right below it and overlapping it, of one or two name-shaped words."""
    first, rest = line.text.split(), following.text.split()
    if not 1 <= len(first) <= 4 or not 1 <= len(rest) <= 2 or line.page != following.page:
        return False
    size = max(line.font_size, following.font_size)
    tol = 0.3 * size if line.source == "ocr" else 0.5
    if not size or abs(line.font_size - following.font_size) > tol or size < 1.3 * body:
        return False
    if line.top or following.top:
        if not 0 < following.top - line.top <= 2.0 * size:
            return False
        if min(line.x1, following.x1) <= max(line.x0, following.x0):
            return False  # side by side or apart: not the same block of type
    elif line.source != following.source:
        return False
    if not all(_NAME_TOKEN_RE.match(t) and t[0].isupper() for t in rest):
        return False
    return _may_end_a_name(following.text)


def _may_end_a_name(text: str) -> bool:
    """The words on a name's second line: not a heading, a place, a skill or a title."""
    tail = text.strip()
    return (
        match_heading(tail) is None
        and not looks_like_location(tail)
        and not _is_skill_or_term(tail)
        and not ({_fold(t.strip(".,")) for t in tail.split()} & _NOT_NAME_WORDS)
    )


_HONORIFICS = {"adv", "advocate", "dr", "er", "ca", "cs", "mr", "mrs", "ms", "prof", "eng", "ing"}


def _name_from_profile(linkedin: str | None, email: str | None) -> str | None:
    """'linkedin.com/in/adv-rahul-tiwari' with 'tiwari4431@gmail.com': 'Rahul Tiwari'. For a
    CV whose name is drawn as a picture: the profile address spells it, and the email must
    spell one of its words too."""
    if not linkedin or not email:
        return None
    slug = linkedin.rstrip("/").rsplit("/", 1)[-1]
    parts = [p for p in re.split(r"[-_.]", slug) if p]
    while parts and (re.search(r"\d", parts[-1]) or len(parts[-1]) < 2):
        parts.pop()  # "-0b8302198": the number LinkedIn adds
    while parts and _fold(parts[0]) in _HONORIFICS:
        parts.pop(0)
    if not 2 <= len(parts) <= 3 or not all(p.isalpha() and len(p) >= 2 for p in parts):
        return None
    local = _fold(email.split("@", 1)[0])
    if not any(len(p) >= 3 and _fold(p) in local for p in parts):
        return None
    return _clean_name(" ".join(p.capitalize() for p in parts))


def _lowercase_name(lines: list[TextLine]) -> str | None:
    """'jhonny ferreira dos santos': a name typed in lower case, accepted only as the first
    line of the CV set in its largest type, made of plain words that name nothing else."""
    top = [ln for ln in lines[:8] if ln.text.strip()]
    if not top or not top[0].font_size or match_heading(top[0].text) is not None:
        return None
    line = top[0]
    if line.font_size < max(ln.font_size for ln in top) or line.text != line.text.lower():
        return None
    tokens = line.text.split()
    if not 2 <= len(tokens) <= 5 or not all(t.isalpha() for t in tokens):
        return None
    titled = " ".join(t if t in _PARTICLES else t.capitalize() for t in tokens)
    return _clean_name(titled)


def _header_pieces(lines: list[TextLine]) -> list[str]:
    pieces: list[str] = []
    for line in lines:
        for piece in _SPLIT_RE.split(line.text):
            piece = piece.strip(" ,;")
            if piece:
                pieces.append(piece)
    return pieces


_POSTCODE_CITY_RE = re.compile(r"^(?:[A-Z]{1,2}-)?\d{4,5}\s+[^\W\d_][^\d,;|@]{1,40}$")


_ADDRESS_HEADING_RE = re.compile(
    r"^\s*(?:(?:physical|residential|home|current|postal|mailing|permanent|private) )?"
    r"(?:address|adresse|anschrift|wohnort|dirección|direccion|endereço|endereco|indirizzo|"
    r"adres|domicilio)\s*[:：]?\s*$",
    re.I,
)


# "Slingerbos 8", "Main Street 12a": a street and its house number, no town.
_HOUSE_RE = re.compile(r"^[^\W\d_][^\d,;|]{2,40}\s\d{1,4}\s?[a-zA-Z]?$")
_CJK_RESIDENCE_RE = re.compile(
    r"(?:现居住于|现居住地|现居地|现居|居住地|所在地|现住址|住址|家庭住址|地址)\s*[:：]?\s*(.+)"
)
_CJK_PROVINCES = frozenset(
    {"广东", "江苏", "浙江", "山东", "河南", "四川", "湖北", "湖南", "河北", "福建",
     "安徽", "辽宁", "陕西", "江西", "广西", "云南", "山西", "贵州", "吉林", "黑龙江",
     "内蒙古", "新疆", "甘肃", "海南", "宁夏", "青海", "西藏", "台湾"}
)  # fmt: skip
_CJK_CITY_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,4}?)市")
# a line that is only a city and its district: "上海市闵行区", not "上海市第一人民医院"
_CJK_ADDRESS_LINE_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{2,3}省)?[\u4e00-\u9fff]{2,4}?市(?:[\u4e00-\u9fff]{1,4}[区县])?"
)


def _cjk_residence(text: str) -> str | None:
    """Where a Chinese CV says the person lives: "现居住于：广东 深圳-宝安区" -> 深圳,
    "上海市闵行区" alone on its line -> 上海 (a city before 市, a province before it skipped)."""
    m = _CJK_RESIDENCE_RE.search(text)
    value = m.group(1) if m else text.strip()
    value = re.split(r"[|｜,，;；]", value)[0].strip()
    city = _CJK_CITY_RE.match(value.replace(" ", ""))
    if city and (m or _CJK_ADDRESS_LINE_RE.fullmatch(value)):
        return city.group(1)
    if not m:
        return None
    for part in re.split(r"[\s\-·・/]+", value):
        part = re.sub(r"省$", "", part)
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", part) or part in _CJK_PROVINCES:
            continue
        if part.endswith(("区", "县", "镇", "街道", "路")):
            continue
        return part
    return None


def find_location(
    header: list[TextLine], all_lines: list[TextLine], name: str | None = None
) -> str | None:
    """`name`: the person's name, whose words are not a place even where a town bears them
    ("ANYI YOJANNA FLORES" / "RODRIGUEZ")."""
    name_words = frozenset(_fold(w) for w in re.split(r"[\s,]+", name or "") if w)
    for i, line in enumerate(all_lines[:80]):
        heading = match_heading(line.text)
        if heading is not None and heading[0] == "references":
            break  # the referees' addresses are not the person's
        cjk = _cjk_residence(line.text)
        if cjk:
            return cjk
        m = re.match(
            r"^\s*(?:(?:home |current |postal |mailing )?address|location|adresse|anschrift|"
            r"wohnort|wohnhaft|dirección|direccion|endereço|endereco|morada|indirizzo|residenza|"
            r"residente|residência|residencia|domicilio|domicílio|adres|woonplaats|residence|"
            r"based in|domicile|city|plaats|postcode,? plaats|ort|plz,? ort|ville|"
            r"code postal,? ville|ciudad|città|cidade)\s*[:：]\s*(.+)$",
            line.text,
            re.I,
        )
        if m:
            value = m.group(1).strip()
            following = all_lines[i + 1].text.strip() if i + 1 < len(all_lines) else ""
            if country_of(value) is None and _POSTCODE_CITY_RE.match(following):
                return _tidy_location(following)  # "Anschrift: Mühlfeldstraße 16" / "4690 Ort"
            if _HOUSE_RE.match(value):
                # "Adres: Slingerbos 8" / "Postcode, plaats: 8331 DS, Steenwijk": a street and
                # its number; the town is on the next line.
                town = postal_town(_LABEL_RE.sub("", following)) if following else None
                if town:
                    return town
                continue
            return street_town(value) or _tidy_location(value)
        if _ADDRESS_HEADING_RE.match(line.text):
            # "PHYSICAL ADDRESS" over "5947 Extension 5" / "Meriting" / "Rustenburg, North
            # West Province": the address block's town.
            below, _ = _place_in(all_lines[i + 1 : i + 5], name_words)
            if below:
                return below
    specific, country = _place_in(header, name_words)
    if specific:
        return specific
    # The contact block may sit in a side column, away from the header: the lines around the
    # email address or phone number.
    for i, line in enumerate(all_lines[:120]):
        labelled_phone = _PHONE_LABEL_RE.search(line.text) and _PHONE_CANDIDATE_RE.search(
            line.text
        )  # not "Mobile and Website to become more": a sentence about mobile apps
        if not (EMAIL_RE.search(line.text) or labelled_phone):
            continue
        near_specific, near_country = _place_in(all_lines[max(0, i - 3) : i + 4], name_words)
        return near_specific or country or near_country
    return country or _signature_place(all_lines)


def _signature_place(lines: list[TextLine]) -> str | None:
    """'Duisburg, 25.01.2024' above the signature at the end of a German CV: where the
    person lives, for a CV that prints no address."""
    for line in lines[-8:]:
        text = line.text.strip()
        if _SIGNED_RE.match(text):
            place = text.split(",", 1)[0].strip()
            if _fold(place) not in _NOT_NAME_WORDS and match_heading(place) is None:
                return place
    return None


def _after_email(piece: str) -> str:
    """What follows an email address glued to it in a Word run ("…@gmail.comSukuta, The
    Gambia" -> "Sukuta, The Gambia"), or "" when nothing capitalised does."""
    email = EMAIL_RE.search(piece)
    if email is None:
        return piece
    rest = piece[email.start() + len(_unglued(email.group(0))) :].strip(" ,;")
    return rest if rest[:1].isupper() else ""


def _place_in(
    lines: list[TextLine], name_words: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """(the place a contact block gives, a bare country it gives). A postal address names the
    town ('Sankt Stephansplatz 14, 78462 Konstanz', '3 Albert Road, Orpington, BR6 6JG', 'Santa
    Ninfa (TP)') even when the town is in no list; a line about birth names the birthplace, not
    where the person lives; a bare country counts only when no town is given."""
    country: str | None = None
    for line in lines:
        if _BIRTH_RE.search(line.text):
            continue  # "Geburtsdatum 28.11.1986 | Trani, Italien"
        # A one-line postal address: its postcode's town ("3 Albert Road, Chelsfield,
        # Orpington, BR6 6JG"), else the town after its street ("Via Fornaciai 24 - Casalguidi").
        address = _LABEL_RE.sub("", line.text.strip())
        town = postal_town(address) or street_town(address)
        if town:
            return town, country
        for piece in _header_pieces([line]):
            piece = _LABEL_RE.sub("", piece)
            if EMAIL_RE.search(piece):
                piece = _after_email(piece)
                if not piece:
                    continue
            if URL_RE.search(piece) and "." in piece:
                continue
            if _PHONE_CANDIDATE_RE.fullmatch(piece.strip()):
                continue
            postal = postal_town(piece)
            if postal:
                last = re.split(r"[,–—]", piece)[-1].strip(" .")
                if last != postal and _fold(last) in _place_index()[0]:
                    postal = f"{postal}, {last}"  # "Forlimpopoli (FC), Italy"
                return postal, country
            if looks_like_location(piece):
                if _fold(piece.strip(" .")) in _place_index()[0]:
                    country = country or _tidy_location(piece)
                    continue
                return _tidy_location(piece), country
    # A town alone, or with its region and country, that only the world gazetteer knows
    # ("Ramallah, West Bank, Palestine", "Viedma - Río Negro"; "R Milano": after an icon).
    for line in lines:
        if _BIRTH_RE.search(line.text):
            continue
        for piece in _header_pieces([line]):
            piece = _LABEL_RE.sub("", piece).strip(" .")
            if EMAIL_RE.search(piece):
                piece = _after_email(piece)
            if not world_country_of(piece):  # "A Coruña" as it is, else after an icon
                piece = _ICON_PREFIX_RE.sub("", piece)
            if not piece or URL_RE.search(piece) or not world_country_of(piece):
                continue
            if {_fold(w) for w in re.split(r"[\s,]+", piece) if w} <= name_words:
                continue  # a surname that is also a town
            if _fold(piece) in _world_index()[1]:
                country = country or piece
                continue
            return _tidy_location(piece), country
    return None, country


_TOWN_WORD = r"[^\W\d_][^\W\d_'’.]*(?:-[^\W\d_][^\W\d_'’.]*)*"
_TOWN_JOIN = r"(?:\s+(?:am|an der|an|bei|im|ob der|sur|sous|de|del|do|da|di|la|le|en)\s+|\s+|-)"
_TOWN = rf"{_TOWN_WORD}(?:{_TOWN_JOIN}{_TOWN_WORD}){{0,3}}"
# "78462 Konstanz", "DE-38302, Wolfenbüttel", "6020 Innsbruck": a postcode before the town.
_POSTCODE_TOWN_RE = re.compile(
    rf"(?:^|[,;]\s*|\s)(?:[A-Z]{{1,2}}[-\s]?)?(?P<code>\d{{4,6}}|\d\d\s\d{{3}})"
    rf"(?:\s?[A-Z]{{2}}(?=,|\s+[A-Z][a-z]))?,?\s+(?P<town>{_TOWN})"  # "8331 DS, Steenwijk"
)
# "Orpington, BR6 6JG": a British postcode after the town.
_TOWN_UK_POSTCODE_RE = re.compile(
    rf"(?:^|,\s*)(?P<town>{_TOWN}),?\s+[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}\b"
)
# "Cuttack- 753014": an Indian PIN code after the town.
_TOWN_PIN_RE = re.compile(rf"(?:^|,\s*)(?P<town>{_TOWN})\s*[-–,]?\s*\d{{3}}\s?\d{{3}}\b")
# "Santa Ninfa (TP)", "Sommatino (CL)": an Italian town and its province.
_TOWN_PROVINCE_RE = re.compile(rf"(?:^|,\s*)(?P<town>{_TOWN})\s*\([A-Z]{{2}}\)")


# "Sant Feliu de Llobregat, 08980": a town with its five-digit postcode after it, ending the line.
_TOWN_THEN_POSTCODE_RE = re.compile(rf"(?:^|,\s*)(?P<town>{_TOWN}),\s*\d{{5}}\s*$")


def postal_town(text: str) -> str | None:
    """The town of a postal address written in one of the common forms, else None."""
    if len(text) > 80 or len(text.split()) > 10:
        return None  # a sentence, not an address
    candidates: list[str] = []
    for m in _POSTCODE_TOWN_RE.finditer(text):
        digits = m.group("code").replace(" ", "")  # "72 190": a French postcode, spaced
        code = int(digits)
        if len(m.group("code")) == 4 and 1950 <= code <= 2039:
            continue  # a year: "2019 Berlin Marathon"
        if len(m.group("code")) == 6 and re.search(
            r"[^\W\d_]\s*[-–]?\s*$", text[: m.start("code")]
        ):
            continue  # "Cuttack- 753014, Odisha": an Indian PIN after its town, not before one
        after = text[m.end() :].strip()
        if after and after[0] not in ",;–—-(/|":
            continue  # "mit 50000 Nutzern weltweit": a number in a sentence
        candidates.append(m.group("town"))
    for m in _TOWN_UK_POSTCODE_RE.finditer(text):
        candidates.append(m.group("town"))
    if country_of(text) == "IN" or re.search(r"\bIndia\b", text):
        candidates += [m.group("town") for m in _TOWN_PIN_RE.finditer(text)]
    candidates += [m.group("town") for m in _TOWN_PROVINCE_RE.finditer(text)]
    candidates += [
        m.group("town")
        for m in _TOWN_THEN_POSTCODE_RE.finditer(text)
        if not re.fullmatch(r"[A-Z]{2}", m.group("town"))  # "Sunderland, MA, 01375": a state
    ]
    for town in candidates:
        town = town.strip(" .-")
        words = town.split()
        if not words or not all(w[0].isupper() or w in _TOWN_PARTICLES for w in words):
            continue
        folded = {_fold(w.strip(".")) for w in re.split(r"[\s-]+", town)}
        if folded & (_NOT_NAME_WORDS - _PLACE_WORDS_OK) or match_heading(town) is not None:
            continue  # "12345 Phone", "80331 Software Engineer"
        if _is_skill_or_term(town):
            continue
        if _fold(words[-1].strip(".")) in _STREET_WORDS:
            continue  # "2103 Ridgebrook Way": a house number and a street
        return town.title() if town.isupper() and len(town) > 3 else town
    return None


# Words that make a street of the words around them, in the languages of the headings.
_STREET_WORDS = {
    "street", "st", "road", "rd", "way", "lane", "ln", "drive", "dr", "avenue", "ave", "av",
    "boulevard", "blvd", "court", "ct", "place", "pl", "terrace", "close", "crescent", "square",
    "highway", "hwy", "parkway", "pkwy", "rua", "rue", "calle", "c/", "avenida", "avda",
    "carrera", "carrer", "paseo", "plaza", "camino", "chemin", "impasse", "allée", "via",
    "viale", "piazza", "corso", "vicolo", "largo", "travessa", "praça", "alameda", "estrada",
    "straße", "strasse", "str", "gasse", "weg", "allee", "platz", "ring", "damm", "ufer",
    "chaussee", "straat", "laan", "plein", "gracht", "kade", "steeg",
}  # fmt: skip
_STREET_ENDINGS = (*_STREET_SUFFIXES, "straße", "platz", "weg", "damm", "straat", "laan")
_HOUSE_NUMBER_RE = re.compile(
    r"^(?:n[º°o]\.?\s*|#)?\d{1,5}[a-zA-Z]?(?:[-/]\d{1,5}[a-zA-Z]?)?[,.]?$"
)
_STREET_GLUED_RE = re.compile(r"^[^\W\d_]+\.(?:st|rd|ave|str)\.?$", re.I)  # "cohoe.st"
_CODE_RE = re.compile(r"^(?:[A-Z]{2}|\d{4,6}(?:-\d{3,4})?|\d{2}\.?\d{3}-?\d{3})$")


# Street words written before the street's name ("rue de la Paix", "Via Fornaciai").
_STREET_OPENERS = {
    "rue", "rua", "calle", "c/", "avenida", "avda", "av", "carrera", "carrer", "paseo", "plaza",
    "camino", "chemin", "impasse", "allée", "via", "viale", "piazza", "corso", "vicolo",
    "largo", "travessa", "praça", "alameda", "estrada", "avenue", "boulevard", "place", "quai",
    "cours", "route",
}  # fmt: skip


def _street_kind(word: str) -> str | None:
    """'opens' for a street word before the name, 'closes' for one after it, else None."""
    folded = _fold(word.strip(".,"))
    if folded in _STREET_OPENERS:
        return "opens"
    if folded in _STREET_WORDS or folded.endswith(_STREET_ENDINGS) or _STREET_GLUED_RE.match(word):
        return "closes"
    return None


def _is_street(words: list[str]) -> bool:
    """A house number and a street word among `words` ("Rua Afonso Pena nº 376", "Via
    Fornaciai 24", "69 cohoe.st", "Bramfelder Chaussee 332")."""
    return any(_street_kind(w) for w in words) and any(_HOUSE_NUMBER_RE.match(w) for w in words)


def street_town(text: str) -> str | None:
    """The town of a one-line street address: the first place-shaped part after the street
    ('Rua Afonso Pena nº 376, Jandira – São Paulo' -> 'Jandira', 'Via Fornaciai 24 -
    Casalguidi' -> 'Casalguidi', '69 cohoe.st Brampton, CA' -> 'Brampton'), with a postcode
    before it dropped ('Songling Rd 238, 266100 Qingdao'). None when no street opens it."""
    text = text.strip()
    if not text or len(text) > 100 or "@" in text:
        return None
    parts = [
        p.strip(" .") for p in re.split(r"\s*(?:,|;|\||\s[-–—]\s|\s{2,})\s*", text) if p.strip(" .")
    ]
    for i, part in enumerate(parts):
        words = part.split()
        if not _is_street(words):
            continue
        # The town may follow the street in the same part ("69 cohoe.st Brampton"); after a
        # word that opens a street ("11 rue Gaston Lebeau") the street runs to its number.
        kinds = [_street_kind(w) for w in words]
        k = next(j for j, kind in enumerate(kinds) if kind)
        numbers = [j for j in range(k + 1, len(words)) if _HOUSE_NUMBER_RE.match(words[j])]
        if kinds[k] == "opens":
            last = numbers[0] if numbers else len(words) - 1
        else:
            last = k + 1 if k + 1 in numbers else k
        rest = [" ".join(words[last + 1 :])] if last + 1 < len(words) else []
        for candidate in rest + parts[i + 1 :]:
            town = _town_part(candidate)
            if town:
                return town
        return None
    return None


def _town_part(part: str) -> str | None:
    words = [w for w in part.split() if not _CODE_RE.match(w)]  # "266100 Qingdao", "SP"
    if not 1 <= len(words) <= 4:
        return None
    if not all(re.fullmatch(r"[^\W\d_][^\W\d_'’.\-]*", w) for w in words):
        return None
    if not (words[0][0].isupper() and all(w[0].isupper() or w in _TOWN_PARTICLES for w in words)):
        return None
    town = " ".join(words)
    folded = _fold(town)
    if folded in _place_index()[0] or {_fold(w) for w in words} & (_STREET_WORDS | _NOT_NAME_WORDS):
        return None  # a country alone, a street, a label
    return town.title() if town.isupper() and len(town) > 3 else town


_TOWN_PARTICLES = {"am", "an", "der", "bei", "im", "ob", "sur", "sous", "de", "del", "do", "da",
                   "di", "la", "le", "en"}  # fmt: skip
_PLACE_WORDS_OK = {"centre", "center", "centro", "platz", "plaza", "via", "la", "le"}


def _tidy_location(value: str) -> str:
    # Drop the street part of a full postal address but keep "City, Country".
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) > 2 and re.search(r"\d", parts[0]):
        parts = parts[1:]
    return ", ".join(parts)[:80]


_OB_DOT = r"\s?[\[({]\s?(?:dot|punto|point|punkt|\.)\s?[\])}]\s?"
_OB_AT = r"\s?[\[({]\s?(?:at|@|arroba|chez|ät)\s?[\])}]\s?"
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])([A-Za-z0-9][\w+-]*(?:(?:{_OB_DOT}|\.)[\w+-]+)*){_OB_AT}"
    rf"([A-Za-z0-9-]+(?:(?:{_OB_DOT}|\.)[A-Za-z0-9-]+)+)",
    re.I,
)


def find_obfuscated_email(text: str) -> str | None:
    """'florian[.]hebert[at]gmail.com', 'ana (at) uni (dot) es': the address it spells."""
    for m in _OBFUSCATED_EMAIL_RE.finditer(text):
        local = re.sub(_OB_DOT, ".", m.group(1), flags=re.I)
        domain = re.sub(_OB_DOT, ".", m.group(2), flags=re.I)
        address = f"{local}@{domain}"
        if EMAIL_RE.fullmatch(address):
            return address.lower()
    return None


_EMAIL_TAIL_RE = re.compile(r"(?<![\w.+-])[\w+-][\w.+-]*(?:@[\w.-]*)?$")
_EMAIL_HEAD_RE = re.compile(r"^[a-z0-9.@_+-][\w.@+-]*", re.ASCII)


_GLUED_TAIL_RE = re.compile(r"(?<=\.[a-z]{2})[a-z]*(?=[A-Z][a-z])")


def _unglued(email: str) -> str:
    """An address with the next word glued to it in a Word run ("…@gmail.comSukuta, The
    Gambia"): the capital after a lower-case top-level domain ends it."""
    m = _GLUED_TAIL_RE.search(email)
    return email[: m.end()] if m else email


def find_emails(lines: list[str]) -> list[str]:
    """Email addresses in reading order. An address wrapped over two lines ('pereira.jesus.' /
    'luiz@escola.com', 'ana@' / 'example.org') is read whole: a fragment at the end of a line
    that is not an address by itself, continued by the start of the next line."""
    found: list[str] = []
    skip: set[tuple[int, str]] = set()
    for i, line in enumerate(lines):
        for email in EMAIL_RE.findall(line):
            if (i, email) not in skip:
                found.append(_unglued(email))
        if i + 1 >= len(lines):
            break
        tail = _EMAIL_TAIL_RE.search(line.rstrip())
        head = _EMAIL_HEAD_RE.match(lines[i + 1].strip())
        if tail is None or head is None:
            continue
        frag, rest = tail.group(0), head.group(0)
        if EMAIL_RE.fullmatch(frag.rstrip(".")):
            continue  # a whole address ending the line
        if "@" in frag:
            cut = frag.endswith(("@", ".", "-")) or rest.startswith(".") or "." not in frag
        else:
            # The local part alone ('pereira.jesus.'): lower case, with a separator or digit
            # inside, alone on its line or after a label, so that a sentence ending the line
            # ('in Python.', 'using node.js.') is not taken for one.
            before = line.rstrip()[: tail.start()].strip()
            cut = (
                "@" in rest
                and (not before or before.endswith((":", "|", "•", "·")) or len(before) <= 2)
                and len(frag) >= 6
                and frag.endswith((".", "-", "_"))
                and frag == frag.lower()
                and bool(re.search(r"[._\d].", frag))
            )
        if not cut:
            continue
        joined = EMAIL_RE.fullmatch((frag + rest).rstrip("."))
        if joined is None or joined.group(0).count("@") != 1:
            continue
        if found and frag in found[-1]:
            found.pop()  # the fragment read on its own was cut
        found.append(joined.group(0))
        for email in EMAIL_RE.findall(lines[i + 1]):
            if email in joined.group(0):
                skip.add((i + 1, email))
    return found


def extract_contact(
    lines: list[TextLine], header: list[TextLine], text: str, language: str | None = None
) -> Contact:
    contact = Contact()
    header0, lines0 = header, lines  # as read: the name is looked for in unspaced copies
    emails = find_emails([ln.text for ln in header]) or find_emails(text.splitlines())
    if not emails:
        hidden = find_obfuscated_email(text)
        emails = [hidden] if hidden else []
    if emails:
        contact.email = emails[0].rstrip(".").lower()
    li = LINKEDIN_RE.search(text)
    if li:
        contact.linkedin = normalize_linkedin(li)
    gh = GITHUB_RE.search(text)
    if gh and gh.group(1).lower() not in {"features", "about", "pricing", "orgs", "topics"}:
        contact.github = f"https://github.com/{gh.group(1)}"
    vocabulary = {
        _fold(w) for w in re.findall(r"[^\W\d_]{2,}", text) if not w.isupper() or len(w) > 3
    } - {"and", "the", "of", "in", "at", "for"}
    vocabulary |= set(_email_words(contact.email))
    # "I g n a c i o": a display name; "B U S A M O K O E N A": one split by words seen elsewhere
    display_size = max((ln.font_size for ln in lines[:80] if ln.page == 0), default=0.0)
    header = _unspaced(header, vocabulary, display_size)
    lines = _unspaced(lines, vocabulary, display_size)
    page_one = [ln for ln in lines if ln.page == 0][:80]
    sizes = sorted(ln.font_size for ln in page_one if ln.font_size)
    body = sizes[len(sizes) // 2] if sizes else 0.0
    # The top of the first page and its largest type, wherever that is, may hold the name too.
    display = [
        ln
        for i, ln in enumerate(page_one)
        if ln not in header
        and (
            i < 8 or (sizes and ln.font_size >= max(1.5 * sizes[len(sizes) // 2], sizes[-1] - 0.5))
        )
    ]
    contact.name = (
        _labelled_name(lines)
        or _two_line_name(header or lines)
        or find_name((header + display) if header else lines, contact.email, body)
        or find_name(lines, contact.email)
        or _cjk_name(lines)
        or _lowercase_name(header or lines)
        or _name_from_profile(contact.linkedin, contact.email)
    )
    spelled = _email_words(contact.email) - _MAILBOX_WORDS
    if spelled and not (contact.name and _spells(contact.name, spelled)):
        # The email spells a name the top of the page does not show: look for it in the
        # contact block and in text boxes, page headers and footers (not among references).
        apart = [ln for ln in lines if ln.source in ("textbox", "header", "footer")]
        contact.name = _vouched_name(header + apart, spelled) or contact.name
    if contact.name is None:
        contact.name = _signature_name(lines) or _given_name_alone(lines)
    contact.location = find_location(header0, lines0, contact.name)
    region = world_country_of(contact.location) if contact.location else None
    if region is None and contact.email:
        tld = contact.email.rsplit(".", 1)[-1].upper()
        region = {"UK": "GB"}.get(tld, tld) if len(tld) == 2 else None
    if region is None and language:
        region = {"de": "DE", "fr": "FR", "es": "ES", "pt": "PT", "it": "IT", "nl": "NL"}.get(
            language
        )
    head_texts = [ln.text for ln in header0]
    rest = [ln.text for ln in lines0 if ln.source in ("header", "footer")]
    labelled = [ln.text for ln in lines0 if _PHONE_LABEL_RE.search(ln.text)]
    ordered = head_texts + rest + labelled + [ln.text for ln in lines0[:40]]
    contact.phone, contact.phone_e164 = find_phone(ordered, region)
    if contact.phone is None:
        contact.phone, contact.phone_e164 = find_phone([ln.text for ln in lines0], region)
    contact.website = _find_website(header0 + lines0[:40], contact)
    return contact


def _find_website(lines: list[TextLine], contact: Contact) -> str | None:
    email_domain = contact.email.split("@", 1)[1] if contact.email else ""
    for line in lines:
        for m in URL_RE.finditer(line.text):
            url = m.group(0).rstrip(".,;)")
            low = url.lower()
            if (
                "linkedin.com" in low
                or "github.com" in low
                or (
                    "@" in line.text[max(0, m.start() - 40) : m.end() + 1]
                    and low.split("/")[0] in email_domain
                )
            ):
                continue
            if low == email_domain or re.fullmatch(r"[\d.]+", low):
                continue
            if not low.startswith(("http", "www")) and not re.search(r"[a-z]{3,}", low):
                continue
            if re.fullmatch(r"[a-z]+\.(?:js|net|io)", low):  # Node.js, ASP.NET, socket.io
                continue
            return url if low.startswith("http") else f"https://{url}"
    return None
