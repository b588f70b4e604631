"""Skill extraction against the curated taxonomy in data/skills.json.

Matching works on tokens, longest alias first, so "Java" never fires inside "JavaScript" and
"C" never fires inside "C++" or "Objective-C". Aliases flagged as case-sensitive only match as
written ("Go", "R", "Excel", "SAP"); aliases flagged as ambiguous also need evidence that the
word means the skill: being listed in a skills section, sitting in a list next to other skills,
or a context word on the same line ("Go" next to "Kubernetes", "Swift" next to "iOS").
Spoken languages count only in a languages/skills section or next to a proficiency word.
Items of a skills-section list that the taxonomy does not know are kept in the CV's own words
(category "Other"); every skill carries the line it was read from as its evidence.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from resumate.ai.schemas import Evidence, SkillMatch

# Word characters except CJK ideographs and kana, which are tokens of one character each, so
# "熟悉Java开发" and "kafka、flink" still yield "Java", "kafka" and "flink".
_W = r"(?:(?![\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff])\w)"
# LaTeX PDFs often carry accents as separate characters ("D´eveloppement", "Th`ese"): they
# stay inside the word and fold away, so the word reads as "Développement" does. A "+" ends a
# word ("C++", "C++11") unless a letter follows: "Claude+DeepSeek" is two names.
_STRAY_ACCENTS = "´`¨ˆ˜"
_TOKEN_RE = re.compile(
    rf"(?<!\w)\.{_W}+|{_W}+(?:[.'’#{_STRAY_ACCENTS}]{_W}+)*(?:[+#]+(?![^\W\d_]))?"
    r"|[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[/&]"
)
_STRAY_TABLE = str.maketrans("", "", _STRAY_ACCENTS)
_LIST_SEPARATORS = set(",;/|·•()[]&:、，；：（）。") | {"–", "-"}
_LIST_WORDS = {"and", "or", "und", "oder", "et", "ou", "y", "o", "e", "en", "of"}
_PROFICIENCY_RE = re.compile(
    r"\b(?:native|mother tongue|fluent|fluency|fluently|bilingual|proficient|proficiency|"
    r"basic|beginner|elementary|intermediate|advanced|conversational|business|professional|"
    r"working knowledge|full professional|limited|first language|second language|"
    r"[abc][12]|toefl|ielts|delf|dalf|dele|goethe|jlpt|hsk|"
    r"muttersprache|muttersprachlich|fließend|fliessend|verhandlungssicher|grundkenntnisse|"
    r"gute kenntnisse|sehr gute kenntnisse|langue maternelle|courant|bilingue|notions|"
    r"nativo|nativa|lengua materna|fluido|avanzado|básico|intermedio|materna|fluente|"
    r"madrelingua|ottimo|buono|moedertaal|vloeiend|goed)\b",
    re.IGNORECASE,
)
_SKILL_SECTIONS = {"skills", "certifications", "languages", "courses"}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Last words of aliases that name a job rather than a skill ("software engineer" -> a title).
_JOB_WORDS = _wordset(
    """engineer engineers developer developers manager managers analyst analysts accountant
    nurse teacher teachers recruiter specialist assistant administrator officer consultant
    designer technician agent representative generalist partner auditor economist
    psychologist photographer journalist physiotherapist therapist pharmacist dentist
    carpenter joiner plumber electrician welder bookkeeper statistician translator counselor
    counsellor worker paramedic lead owner scientist architect coordinator supervisor
    operator chef cook driver trainer tutor librarian lawyer attorney paralegal
    secretary receptionist cashier clerk mechanic"""
)
# Words after a name that make it a company or school: "Pinecone Creative Agency".
_ORG_WORDS = _wordset(
    """inc inc. ltd ltd. llc llp plc gmbh ag sa sas sarl srl spa bv nv oy ab kg co corp
    corporation company group holdings partners technologies technology solutions systems
    labs lab bank hospital clinic university school college institute agency services
    foundation consulting consultancy studio studios media digital ventures capital
    industries international enterprises networks software associates limited trust
    committee society club council association union federation forum academy summit
    schule gymnasium kindergarten kinderhaus kita verlag stiftung verein klinik klinikum
    akademie hochschule universität institut zentrum"""
)
_WORKED_AT = _wordset(
    "worked working work employed interned intern internship role position job time career "
    "engineer developer manager analyst consultant"
)
_DEGREE_LINE_RE = re.compile(
    r"\b(?:bachelor\w*|master(?:'?s|’s|arbeit|studium|studiengang|abschluss|thesis)?|ph\.?\s?d|doctor\w*|mba|b\.?sc|m\.?sc|b\.?eng|m\.?eng|"
    r"b\.?a\.|m\.?a\.|b\.?s\.|m\.?s\.|diploma|degree|major|minor|licenciatura|grado|laurea|"
    r"diplom\w*|studium|licence|mestrado|máster|university|universit\w+|college|"
    r"school|institut\w*|hochschule|école|escuela|faculty|faculdade|facultad|"
    r"\w*opleiding|hbo|mbo|vmbo|havo|vwo|uniwersytet\w*|üniversite\w*|fakülte\w*|lisans|"
    r"coursework|modules|core courses|mémoire|thesis|tesis|tese|tesi|\w*arbeit)\b"
    r"|课程|专业|本科|硕士|学士|博士|学院|大学|学位",
    re.IGNORECASE,
)
# A line that names studies: a field on it is a subject of study, not a skill ("Studium der
# Informatik, Elektrotechnik oder Physik", "degree in Statistics or Economics").
_STUDY_LINE_RE = re.compile(
    r"\b(?:studium\w*|studier\w*|studieng[aä]ng\w*|studienfach|fachrichtung\w*|"
    r"hochschulabschluss|degree|bachelor\w*|master'?s|diplom\w*|diplôme|licenciatura|"
    r"grado en|laurea|graduação|titulación|majoring|major in)\b",
    re.IGNORECASE,
)
_EXPERIENCE_SECTIONS = {"experience", "projects", "volunteer", "activities"}
_IGNORED_SECTIONS = {"header", "contact", "references", "interests"}


@lru_cache(maxsize=65536)
def _fold(token: str) -> str:
    low = token.lower().replace("’", "'").translate(_STRAY_TABLE)
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    return [(_fold(m.group()), m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


_ELISION_RE = re.compile(r"(?:d|l|j|qu|s|n|c|m|t|dell|all|nell|dall|sull|un)'(?=\w)")


def _unelided(tok: tuple[str, str, int, int], vocab: frozenset[str]) -> tuple[str, str, int, int]:
    folded, raw, start, end = tok
    m = _ELISION_RE.match(folded)
    if m is None or folded in vocab or folded[m.end() :] not in vocab:
        return tok
    return folded[m.end() :], raw[m.end() :], start + m.end(), end


_CAMEL_RE = re.compile(r"(?<=[a-zß-öø-ÿ])(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ])")


def _unglued(
    tok: tuple[str, str, int, int], vocab: frozenset[str]
) -> list[tuple[str, str, int, int]]:
    """Words a PDF's text layer ran together, split where a capital follows a small letter:
    "methodologiesCommunication", "StudioAgile". A word the taxonomy knows as written
    ("JavaScript", "PowerPoint") stays whole, and so does one whose parts it does not know."""
    folded, raw, start, _end = tok
    if folded in vocab or not _CAMEL_RE.search(raw):
        return [tok]
    parts: list[tuple[str, str, int, int]] = []
    pos = 0
    for cut in [m.start() for m in _CAMEL_RE.finditer(raw)] + [len(raw)]:
        piece = raw[pos:cut]
        parts.append((_fold(piece), piece, start + pos, start + cut))
        pos = cut
    if not any(p[0] in vocab and len(p[0]) >= 5 for p in parts):
        return [tok]
    return parts


# A name with its version or model glued on ("Java8", "Vue3", "Angular2+", "STM32F4", "PIC18F")
# and an acronym with a plural s ("UATs", "LLMs", "PLCs") read as the name. The name must be a
# word the taxonomy uses, of three characters or more, and the whole token one it does not.
_VERSIONED_RE = re.compile(r"([^\W\d_]{3,})(\d+(?:\.\d+)?\+?)|(\w{2,}\d)([A-Z]+\d*)")
_ACRONYMS_RE = re.compile(r"([A-Z][A-Z0-9]{1,})s")


def _bare(tok: tuple[str, str, int, int], vocab: frozenset[str]) -> tuple[str, str, int, int]:
    folded, raw, start, end = tok
    if folded in vocab:
        return tok
    m = _VERSIONED_RE.fullmatch(raw) or _ACRONYMS_RE.fullmatch(raw)
    if m is None:
        return tok
    name = m.group(1) or m.group(3)
    if len(name) < 3 or _fold(name) not in vocab:
        return tok
    return _fold(name), name, start, end


def _text_tokens(text: str, vocab: frozenset[str]) -> list[tuple[str, str, int, int]]:
    """Tokens of a CV text, with words wrapped onto the next line joined again: "Deep Lear" /
    "ning" and "Trans-" / "formers" read as one word when the whole word is one the taxonomy
    uses and neither part is. An elided article stays out of the word it is written onto:
    "d'apprentissage", "l'analyse", "dell'informatica" read as "apprentissage", "analyse"."""
    toks = [_bare(p, vocab) for t in _tokens(text) for p in _unglued(_unelided(t, vocab), vocab)]
    if "\n" not in text:
        return toks
    out: list[tuple[str, str, int, int]] = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if i + 1 < n:
            nxt = toks[i + 1]
            gap = text[tok[3] : nxt[2]]
            if (
                gap in ("\n", "-\n", "\u00ad\n")
                and nxt[1][:1].islower()
                and tok[1][-1:].isalpha()
                and tok[0] not in vocab
                and nxt[0] not in vocab
                and tok[0] + nxt[0] in vocab
            ):
                out.append((tok[0] + nxt[0], tok[1] + nxt[1], tok[2], nxt[3]))
                i += 2
                continue
        out.append(tok)
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    context: frozenset[str] = frozenset()
    context_phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    spoken_language: bool = False
    generic: bool = False
    """An industry, field of study or broad job word: a skill only where the CV lists skills."""


@dataclass(frozen=True, slots=True)
class _Alias:
    tokens: tuple[str, ...]
    case_sensitive: bool
    ambiguous: bool
    skill: Skill
    title: bool = False
    """The alias names a job ("software engineer", "accountant"), not a skill."""
    generic: bool = False
    """An everyday word for the skill ("collaboration", "algorithms", "consulting"): it counts
    where the CV lists skills, not in prose, where it usually means something broader."""
    shouted: tuple[str, ...] | None = None
    """A case-sensitive name in capitals ("EXCEL", "WORD" for "Excel", "Word"): lists written
    in capitals name the same tools. Only for names of four letters or more written as words
    (not "SAFe", which in capitals is the structural program SAFE, nor acronyms)."""


@dataclass
class Taxonomy:
    skills: dict[str, Skill] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)
    lookup_cs: dict[str, str] = field(default_factory=dict)
    lookup_ci: dict[str, str] = field(default_factory=dict)
    first: dict[str, list[_Alias]] = field(default_factory=dict)
    related: dict[str, set[str]] = field(default_factory=dict)
    vocab: frozenset[str] = frozenset()
    """Every word of every name and alias, folded."""

    def __len__(self) -> int:
        return len(self.skills)


def _alias_variants(alias: str, case_sensitive: bool, singular: bool) -> list[tuple[str, ...]]:
    toks = _tokens(alias)
    if not toks:
        return []
    base = tuple(t[1] if case_sensitive else t[0] for t in toks)
    out = [base]
    last = base[-1]
    if not case_sensitive and not singular and len(last) >= 3 and last.isalpha():
        if not last.endswith("s"):
            out.append((*base[:-1], last + "s"))
        if last.endswith("y") and len(last) > 4:
            out.append((*base[:-1], last[:-1] + "ies"))
    return out


# Context words that a CV in another language writes its own way: "Linguagem C", "Programación
# en C", "framework Ionic", "Sviluppo in Unity" give the name the same evidence as in English.
_CONTEXT_TRANSLATIONS: dict[str, tuple[str, ...]] = {
    k: tuple(_fold(w) for w in v.split())
    for k, v in {
        "programming": "programmierung programmieren programmation programmer programación "
        "programar programação programmazione programmare programmeren "
        "编程 程序设计 プログラミング",
        "language": "sprache programmiersprache langage lenguaje linguagem linguaggio taal "
        "programmeertaal 语言 言語",
        "languages": "sprachen programmiersprachen langages lenguajes linguagens linguaggi talen "
        "programmeertalen",
        "developer": "entwickler entwicklerin développeur développeuse desarrollador "
        "desarrolladora desenvolvedor desenvolvedora sviluppatore sviluppatrice ontwikkelaar",
        "development": "entwicklung développement desarrollo desenvolvimento sviluppo ontwikkeling "
        "开发 開発",
        "mobile": "mobil móvil móvel mobili mobiel mobiele",
        "game": "spiel jeu juego jogo gioco",
        "games": "spiele jeux juegos jogos giochi videojogos videogiochi",
        "statistics": "statistik statistique statistiques estadística estatística statistica "
        "statistiek",
        "statistical": "statistisch statistische statistique estadístico estadística estatístico "
        "statistico",
        "embedded": "eingebettet eingebettete embarqué embarqués embebido embebidos embarcado "
        "embarcados 嵌入式 組み込み",
        "microcontroller": "mikrocontroller microcontrôleur microcontrolador microcontrollore "
        "单片机",
        "framework": "框架 フレームワーク",
        "backend": "后端 后台 バックエンド",
        "frontend": "前端 前台 フロントエンド",
    }.items()
}


_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _phrase(context: str) -> bool:
    """A context word of more than one token ("front-end", "嵌入式") is looked for as a phrase."""
    return " " in context or "-" in context or bool(_CJK_RE.search(context))


@lru_cache(maxsize=1)
def get_taxonomy() -> Taxonomy:
    """Load and index the taxonomy once per process."""
    raw = resources.files("resumate.ai.data").joinpath("skills.json").read_text("utf-8")
    data = json.loads(raw)
    tax = Taxonomy()
    first: dict[str, list[_Alias]] = defaultdict(list)
    related: dict[str, set[str]] = defaultdict(set)
    # Every name and alias as written: a plural made up for one skill ("Canva" + s) must not
    # shadow another skill's own name ("Canvas").
    base_forms = {
        " ".join(t[0] for t in _tokens(form))
        for entry in data["skills"]
        for form in (entry["name"], *entry.get("aliases", []))
    }
    for entry in data["skills"]:
        context = [_fold(c) for c in entry.get("context", [])]
        context += [t for c in context for t in _CONTEXT_TRANSLATIONS.get(c, ())]
        skill = Skill(
            name=entry["name"],
            category=entry["category"],
            aliases=tuple(entry.get("aliases", [])),
            related=tuple(entry.get("related", [])),
            # "front-end", "ml-agents" are two tokens: they are looked for as phrases.
            context=frozenset(c for c in context if not _phrase(c)),
            context_phrases=tuple(c for c in context if _phrase(c)),
            exclude=tuple(_fold(x) for x in entry.get("exclude", [])),
            spoken_language=bool(entry.get("spoken_language")),
            generic=bool(entry.get("generic")),
        )
        tax.skills[skill.name] = skill
        cs_forms = set(entry.get("case_sensitive", []))
        amb_forms = set(entry.get("ambiguous", []))
        generic_forms = set(entry.get("generic_aliases", []))
        for form in (skill.name, *skill.aliases):
            cs = form in cs_forms
            if cs:
                tax.lookup_cs.setdefault(form, skill.name)
                tax.lookup_ci.setdefault(" ".join(t[0] for t in _tokens(form)), skill.name)
            else:
                tax.lookup.setdefault(" ".join(t[0] for t in _tokens(form)), skill.name)
            is_title = _fold(form.split()[-1]) in _JOB_WORDS and form != skill.name
            # A quality has no plural: "initiatives" are projects, not "Initiative".
            singular = skill.spoken_language or skill.category == "Soft skills"
            for n, variant in enumerate(_alias_variants(form, cs, singular)):
                if n and " ".join(_fold(t) for t in variant) in base_forms:
                    continue
                shouted = None
                if cs and len("".join(variant)) >= 4 and all(t[1:].islower() for t in variant):
                    shouted = tuple(t.upper() for t in variant)
                alias = _Alias(
                    variant, cs, form in amb_forms, skill, is_title, form in generic_forms, shouted
                )
                first[_fold(variant[0])].append(alias)
        for other in skill.related:
            related[skill.name].add(other)
            related[other].add(skill.name)
    for key, aliases in first.items():
        # Longest first; among equals, case-sensitive (more specific) first.
        aliases.sort(key=lambda a: (-len(a.tokens), not a.case_sensitive))
        tax.first[key] = aliases
    tax.related = dict(related)
    tax.vocab = frozenset(t for aliases in first.values() for a in aliases for t in a.tokens)
    tax.vocab |= frozenset(_fold(t) for t in tax.vocab)
    return tax


def canonical_skill(name: str) -> str | None:
    """The taxonomy's name for a skill or alias ("js" -> "JavaScript"), or None if unknown."""
    tax = get_taxonomy()
    name = name.strip()
    if not name:
        return None
    if name in tax.lookup_cs:
        return tax.lookup_cs[name]
    key = " ".join(t[0] for t in _tokens(name))
    hit = tax.lookup.get(key)
    if hit:
        return hit
    if key.endswith("s") and key[:-1] in tax.lookup:
        return tax.lookup[key[:-1]]
    return tax.lookup_ci.get(key)


def related_skills(name: str) -> set[str]:
    """Canonical names of skills related to this one (for partial credit when matching jobs)."""
    canonical = canonical_skill(name)
    if canonical is None:
        return set()
    return set(get_taxonomy().related.get(canonical, set()))


def skill_category(name: str) -> str | None:
    canonical = canonical_skill(name)
    return get_taxonomy().skills[canonical].category if canonical else None


@dataclass(slots=True)
class Occurrence:
    skill: Skill
    section: str
    start: int
    end: int
    snippet: str = ""
    """The sentence or list line the skill was read from, shortened around the mention."""
    cited: bool = False
    """Read from a reference in a publication list: weak evidence on its own."""


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, (len(text) if le == -1 else le)


_SENTENCE_END_RE = re.compile(r"[.!?;](?=\s)")


def _sentence(text: str, start: int, end: int, ls: int, le: int) -> str:
    """The sentence (or list line) around a match, within its line."""
    s = ls
    for m in _SENTENCE_END_RE.finditer(text, ls, start):
        s = m.end()
    m2 = _SENTENCE_END_RE.search(text, end, le)
    return text[s : m2.start() if m2 else le]


def _excluded(text: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    lo = max(0, start - 16)
    window = _fold(text[lo : end + 16])
    rel_s, rel_e = start - lo, end - lo
    for phrase in phrases:
        i = window.find(phrase)
        while i != -1:
            if i < rel_e and i + len(phrase) > rel_s:
                return True
            i = window.find(phrase, i + 1)
    return False


def _neighbour(text: str, pos: int, step: int) -> str:
    """The next non-space character (or word) before/after pos."""
    i = pos
    while 0 <= i < len(text) and text[i] in " \t":
        i += step
    if not 0 <= i < len(text):
        return "\n"
    if text[i].isalpha():
        j = i
        while 0 <= j < len(text) and text[j].isalpha():
            j += step
        word = text[i:j] if step > 0 else text[j + 1 : i + 1]
        return word.lower()
    return text[i]


def _in_list(text: str, start: int, end: int) -> bool:
    before = _neighbour(text, start - 1, -1)
    after = _neighbour(text, end, 1)
    if before == "\n" and start > 0:
        # A list wrapped onto this line: the line above ends with a separator ("Angular,").
        above = _neighbour(text, text.rfind("\n", 0, start) - 1, -1)
        if above in _LIST_SEPARATORS - {"(", "[", "–", "-"}:
            before = ","
    if after == "." and _neighbour(text, text.index(".", end) + 1, 1) == "\n":
        after = "\n"  # the last item of a list closed by a full stop: "Jest, Postman."

    def sep(tok: str) -> bool:
        return tok in _LIST_SEPARATORS or tok in _LIST_WORDS or tok == "\n"

    return sep(before) and sep(after) and not (before == "\n" and after == "\n")


# Between two words of one name only spaces and joining marks stand: a list separator between
# them ends the name ("ASP.Net, MVC" is not "ASP.NET MVC", "Google, Cloud" not "Google Cloud").
_NAME_BREAK_RE = re.compile(r"[,;|•·●▪、，；]")


def _match_tokens(
    toks: list[tuple[str, str, int, int]], tax: Taxonomy, text: str | None = None
) -> list[tuple[_Alias, int, int]]:
    found: list[tuple[_Alias, int, int]] = []
    n = len(toks)
    cjk_lines: dict[int, bool] = {}

    def in_cjk_line(k: int) -> bool:
        """The token stands on a line of Chinese or Japanese, where tool names are written
        in small letters as often as not ("jsp、css、js", "spring框架")."""
        if text is None:
            return False
        ls = text.rfind("\n", 0, toks[k][2]) + 1
        if ls not in cjk_lines:
            le = text.find("\n", ls)
            cjk_lines[ls] = bool(_CJK_RE.search(text, ls, le if le != -1 else len(text)))
        return cjk_lines[ls]

    i = 0
    while i < n:
        cands = tax.first.get(toks[i][0])
        hit: _Alias | None = None
        if cands:
            for alias in cands:
                length = len(alias.tokens)
                if i + length > n:
                    continue
                if text is not None and any(
                    _NAME_BREAK_RE.search(text, toks[i + k][3], toks[i + k + 1][2])
                    for k in range(length - 1)
                ):
                    continue
                if alias.case_sensitive:
                    ok = (
                        all(toks[i + k][1] == alias.tokens[k] for k in range(length))
                        or (
                            alias.shouted is not None
                            and all(toks[i + k][1] == alias.shouted[k] for k in range(length))
                        )
                        or (
                            len(toks[i][1]) >= 2
                            and all(
                                toks[i + k][1].islower()
                                and toks[i + k][0] == _fold(alias.tokens[k])
                                for k in range(length)
                            )
                            and in_cjk_line(i)
                        )
                    )
                else:
                    ok = all(toks[i + k][0] == alias.tokens[k] for k in range(length))
                if ok:
                    hit = alias
                    break
        if hit is not None:
            length = len(hit.tokens)
            found.append((hit, toks[i][2], toks[i + length - 1][3]))
            i += length
        else:
            i += 1
    return found


# Words a CV coordinates around a shared word: "unit and integration testing", "análisis y
# visualización de datos" (the shared words after), "data collection and analysis", "risk
# assessment and management" (before). A name read whole on one side lends its shared words to
# the other side, and the other side counts when the two make a name the taxonomy knows.
_CONJUNCTIONS = _wordset("and or & / y e et und o ou oder en")
_COORD_SPAN = 2  # words on the other side of the conjunction


def _name_of(tokens: list[tuple[str, str, int, int]], tax: Taxonomy) -> _Alias | None:
    """The alias these tokens spell exactly, or None."""
    hits = _match_tokens(tokens, tax)
    if len(hits) == 1 and hits[0][1] == tokens[0][2] and hits[0][2] == tokens[-1][3]:
        return hits[0][0]
    return None


class _Spans:
    """Character spans of names already read, for overlap questions in O(log n): a CV may hold
    a list of thousands of items on one line (a pasted export, a hostile file)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _e in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The spans with s < hi and e > lo."""
        i = bisect.bisect_left(self.starts, hi)
        j = bisect.bisect_left(self.starts, lo - self.longest)
        return [(s, e) for s, e in self.spans[j:i] if e > lo]


def _tokens_within(
    toks: list[tuple[str, str, int, int]], starts: list[int], lo: int, hi: int
) -> list[tuple[str, str, int, int]]:
    """The tokens that lie inside [lo, hi] (tokens are in text order)."""
    i = bisect.bisect_left(starts, lo)
    j = bisect.bisect_right(starts, hi)
    return [t for t in toks[i:j] if t[3] <= hi]


def _coordinated(
    toks: list[tuple[str, str, int, int]],
    found: list[tuple[_Alias, int, int]],
    tax: Taxonomy,
    text: str,
) -> list[tuple[_Alias, int, int]]:
    index = {t[2]: i for i, t in enumerate(toks)}

    def joined(a: int, b: int) -> bool:
        """Tokens a < b stand either side of a comma or of a conjunction alone."""
        if b == a + 1:
            return text[toks[a][3] : toks[b][2]].strip() == ","
        if b != a + 2 or toks[a + 1][0] not in _CONJUNCTIONS:
            return False
        gaps = text[toks[a][3] : toks[a + 1][2]] + text[toks[a + 1][3] : toks[b][2]]
        if "\n" in gaps:
            return False
        return not gaps.strip() if toks[a + 1][0] in ("/", "&") else gaps.isspace()

    # A side that is part of another name ("wound care, medication management") lends nothing.
    spans = _Spans([(s, e) for _a, s, e in found])

    def loose(a: int, b: int) -> bool:
        lo, hi = toks[a][2], toks[b - 1][3]
        return not any(s < lo or e > hi for s, e in spans.overlapping(lo, hi))

    out: list[tuple[_Alias, int, int]] = []
    Tok = tuple[str, str, int, int]
    work: list[tuple[list[Tok], int, int]] = []
    for alias, start, _end in found:
        if start in index and len(alias.tokens) >= 2:
            p = index[start]
            work.append((toks[p : p + len(alias.tokens)], p, p + len(alias.tokens)))
    seen: set[tuple[int, int]] = set()
    while work:
        name, p, q = work.pop()
        # Shared words after: "<A> and <B C>" reads "<A C>".
        for a_end in (p, p - 1):
            if a_end < 1 or not joined(a_end - 1, p):
                continue
            for width in range(1, _COORD_SPAN + 1):
                a0 = a_end - width
                if a0 < 0 or (a0, q) in seen or not loose(a0, a_end):
                    continue
                for k in range(1, len(name)):
                    cand = toks[a0:a_end] + name[k:]
                    hit = _name_of(cand, tax)
                    if hit is not None:
                        out.append((hit, toks[a0][2], toks[q - 1][3]))
                        seen.add((a0, q))
                        work.append((cand, a0, q))
                        break
        # Shared words before: "<A B> and <C>" reads "<A C>".
        for b0 in (q, q + 1):
            if b0 >= len(toks) or not joined(q - 1, b0):
                continue
            read = False
            for width in range(1, _COORD_SPAN + 1):
                b1 = b0 + width
                if b1 > len(toks) or (p, b1) in seen or not loose(b0, b1):
                    continue
                for k in range(len(name) - 1, 0, -1):
                    cand = name[:k] + toks[b0:b1]
                    hit = _name_of(cand, tax)
                    if hit is not None:
                        out.append((hit, toks[p][2], toks[b1 - 1][3]))
                        seen.add((p, b1))
                        work.append((cand, p, b1))
                        read = True
                        break
            free = not spans.overlapping(toks[b0][2], toks[b0][3])
            if not read and free and (p, b0 + 1) not in seen:
                # An item that makes no name does not end the list: "Google Forms / Planilhas /
                # Documentos" still reads the last one.
                seen.add((p, b0 + 1))
                work.append((name, p, b0 + 1))
    return out


# A list whose label names the kind its items qualify: "Testing: unit, integration, end-to-end",
# "Machine learning: supervised, unsupervised", "Databases (relational, graph)". An item the
# taxonomy does not know alone counts when it makes a name with a word of the label ("unit
# testing", "graph databases"), in either order ("Marketing: digital" is "marketing digital").
_QUALIFIED_PARENS_RE = re.compile(  # words of at most 40 letters: linear on a 100 KB line
    r"([^\W\d_][^\W_]{0,40}(?:[ -][^\W\d_][^\W_]{0,40}){0,2})\s*\(([^()\n]{1,120})\)"
)
_QUALIFIER_MAX = 3  # words of an item


def _qualified(
    toks: list[tuple[str, str, int, int]],
    found: list[tuple[_Alias, int, int]],
    tax: Taxonomy,
    text: str,
) -> list[tuple[_Alias, int, int]]:
    spans = _Spans([(s, e) for _a, s, e in found])
    starts = [t[2] for t in toks]
    groups: list[tuple[int, int, int, int]] = []  # label start, label end, items start, end
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        label = _LABEL_RE.match(line)
        if label:
            groups.append(
                (
                    start + label.start(1),
                    start + label.end(1),
                    start + label.end(),
                    start + len(line),
                )
            )
        for m in _QUALIFIED_PARENS_RE.finditer(line):
            groups.append(
                (start + m.start(1), start + m.end(1), start + m.start(2), start + m.end(2))
            )
    out: list[tuple[_Alias, int, int]] = []
    for l0, l1, i0, i1 in groups:
        heads = _tokens_within(toks, starts, l0, l1)[-2:]
        if not heads:
            continue
        for _piece, p0, p1 in _split_spans(text[i0:i1]):
            a, b = i0 + p0, i0 + p1
            if spans.overlapping(a, b):
                continue
            words = _tokens_within(toks, starts, a, b)
            if not 1 <= len(words) <= _QUALIFIER_MAX or not words[0][1][:1].isalpha():
                continue
            for head in heads:
                hit = _name_of([*words, head], tax) or _name_of([head, *words], tax)
                if hit is not None:
                    out.append((hit, a, b))
                    break
    return out


def _all_matches(
    toks: list[tuple[str, str, int, int]], tax: Taxonomy, text: str
) -> list[tuple[_Alias, int, int]]:
    """Names read as written, then those read from coordinated phrases and qualified lists."""
    found = _match_tokens(toks, tax, text)
    found += _coordinated(toks, found, tax, text)
    found += _qualified(toks, found, tax, text)
    return found


def find_occurrences(
    text: str, section: str = "other", *, fields_in_prose: bool = False
) -> list[Occurrence]:
    """Every accepted skill mention in a text, with its position and the text around it.

    Outside the sections where a CV lists its skills, a mention is dropped when it is part of
    an organisation's name ("at Oracle", "Pinecone Creative Agency"), sits on a degree or school
    line ("BSc Computer Science"), is a job title ("Software Engineer") or names an industry or
    field rather than a skill ("in insurance, retail and media").
    """
    tax = get_taxonomy()
    toks = _text_tokens(text, tax.vocab)
    found = _all_matches(toks, tax, text)
    plain_by_line: dict[int, int] = defaultdict(int)
    for alias, start, _end in found:
        if not alias.ambiguous and not alias.skill.spoken_language:
            plain_by_line[text.rfind("\n", 0, start)] += 1
    listed = section in _SKILL_SECTIONS
    column = set() if listed else _column_lines(text, found)
    consent = _CONSENT_RE.search(text) is not None
    spaced_lines: dict[int, bool] = {}
    out: list[Occurrence] = []
    for alias, start, end in found:
        skill = alias.skill
        ls, le = _line_bounds(text, start, end)
        line = _sentence(text, start, end, ls, le)
        if skill.exclude and _excluded(text, start, end, skill.exclude):
            continue
        if skill.spoken_language and not _accept_language(section, line):
            continue
        if (
            alias.ambiguous
            and ls not in column  # an item of a column of skills ("Canva" / "Word")
            and not _accept_ambiguous(alias, text, start, end, line, section, plain_by_line[ls - 1])
        ):
            continue
        if _in_link(text, start, end):
            continue
        if _named_body(text, start):
            continue  # "Texas Board of Nursing", "Department of Computer Science"
        if _CONTACT_LINE_RE.search(text[ls:le]):
            continue  # "tel: … | mailto: … | LinkedIn | GitHub": links, not skills
        spaced = spaced_lines.get(ls)
        if spaced is None:
            spaced = spaced_lines[ls] = _letter_spaced(text, ls, le)
        if spaced or _lettered_item(text, start, end, ls, le):
            continue  # "BI L D U N G", "Module A, B, C & UP": letters, not skills
        if _author_name(text, start, end):
            continue  # "Cox, M., Ledger, W., Gilchrist, S.": people in a reference, not skills
        if consent and _CONSENT_RE.search(text[max(0, ls - 200) : le]):
            continue  # "Autorizzo il trattamento dei miei dati personali … GDPR": a formality
        if alias.case_sensitive and _spelled_out_otherwise(text, start, end, skill):
            continue  # "Agent-Based Model - ABM" is not Account-based marketing
        if (
            skill.category == CERTIFICATION_CATEGORY
            and alias.case_sensitive
            and text[start:end].removesuffix("s").isupper()
            and section not in _SKILL_SECTIONS
            and plain_by_line[ls - 1] < 2
            and not _CERTIFIED_RE.search(line)
        ):
            continue  # "CFP proposals", "CFA/VISHNO": an acronym alone in prose is no certificate
        if alias.generic and _STUDY_LINE_RE.search(text[ls:le]):
            continue  # "Studium der Elektrotechnik, Physik …": a subject of study
        cited = section in _CITED_SECTIONS and _citation_line(text[ls:le])
        if section == "certifications" and _organisation_name(text, start, end, True):
            continue  # "…, The Linux Foundation": the issuer, not a skill
        if not listed and not skill.spoken_language and ls not in column:
            if alias.title:
                continue
            duty = (
                fields_in_prose
                and section in _FIELD_SECTIONS
                and skill.category in _FIELD_CATEGORIES
                and not _names_a_job(text, end)
            )
            enumerated = _cjk_enumeration(text, start, end, line)
            if (
                skill.generic
                and not (duty and skill.name in _TRADES)
                and not (enumerated and skill.category == "Soft skills")
            ):
                continue
            if alias.generic and not duty and not enumerated:
                continue
            if _organisation_name(text, start, end) or _capitals_name(text, start, end, tax):
                continue
            if section == "education" and _DEGREE_LINE_RE.search(text[ls:le]):
                continue
            if _shouting(text[ls:le]):
                continue  # "NWU RAG ANNUAL CHARITY BASH": a title in capitals, not a skill list
        snippet = _snippet(text, start, end, ls, le)
        out.append(Occurrence(skill, section, start, end, snippet, cited))
    return out


def _cjk_enumeration(text: str, start: int, end: int, line: str) -> bool:
    """An item of an enumeration in a Chinese or Japanese sentence ("具备良好的沟通表达、团队协作、
    独立负责和抗压能力"): such a sentence lists skills as a list line does."""
    if not _CJK_RE.search(line):
        return False
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    return bool(before and before in "、，,") or bool(after and after in "、，,")


def _column_lines(text: str, found: list[tuple[_Alias, int, int]]) -> set[int]:
    """Starts of lines that are items of a column of skills: each line holds one known skill
    and nothing else, and three such lines follow one another ("Empathie" / "Teamfähigkeit" /
    "Kommunikationsfähigkeit" under a heading the splitter missed)."""
    bare: dict[int, int] = {}  # line start -> line end
    for _alias, start, end in found:
        ls, le = _line_bounds(text, start, end)
        if text[ls:le].strip(_BULLETS + ".,;") == text[start:end]:
            bare[ls] = le
    column: set[int] = set()
    for ls in bare:
        run = [ls]
        nxt = bare[ls] + 1
        while nxt in bare:
            run.append(nxt)
            nxt = bare[nxt] + 1
        if len(run) >= _COLUMN_MIN:
            column.update(run)
    return column


_COLUMN_MIN = 3


# Lines of a publication list (and the names of awards and grants): a title's words name its
# topic, not the author's skills, unless the topic comes back in several references (a research
# field, a method). A line reads as a reference when it carries a year, author initials
# ("Senior, A.M.", "S.J. &"), a quoted title, "et al." or a journal's volume and pages
# ("11: e1004111", "vol. 3, pp. 4-9"). Lines without those (a list of tools under a heading
# taken for "Research") count as they would anywhere.
_CITED_SECTIONS = {"publications", "awards"}
_CITED_MIN = 2
_CITATION_RE = re.compile(
    r"\b(?:19|20)\d{2}[a-z]?\b|\bet al\b|[“”„«»\"]|\b(?:vol|pp|no)\.\s*\d|\bdoi\b|"
    r"\b(?:journal|proceedings|conference|symposium|workshop|published|in press|preprint|arxiv)\b|"
    r"\b\d+\s*[:(]\s*[e\d]\d*",
    re.IGNORECASE,
)
_INITIALS_RE = re.compile(r"\b[A-Z]\.\s?(?:[A-Z]\.\s?)*(?:,|&|\band\b)")


def _citation_line(line: str) -> bool:
    return bool(_CITATION_RE.search(line) or _INITIALS_RE.search(line))


_SPACED_TOKEN_RE = re.compile(r"[^\W_]+")


def _letter_spaced(text: str, ls: int, le: int) -> bool:
    """A heading set in spaced letters ("B I L D U N G", "O K T O B E R 2 0 2 3")."""
    words = _SPACED_TOKEN_RE.findall(text, ls, le)
    singles = sum(1 for w in words if len(w) == 1)
    return singles >= 4 and singles * 2 >= len(words)


_LETTER_LINE_RE = re.compile(r"[ \t]*[^\W\d_][ \t]*(?:\n|$|[ \t])")


def _vertical_letter(text: str, start: int, ls: int, le: int) -> bool:
    """A letter alone on its line between lines that open with a letter alone: a heading set
    vertically down a sidebar ("S" / "Y" / "S" / "T" ..., "R" / "A" / "W")."""
    if text[ls:le].strip() != text[start]:
        return False
    above = text.rfind("\n", 0, max(ls - 1, 0)) + 1 if ls > 0 else -1
    below = le + 1 if le < len(text) else -1
    return (above >= 0 and bool(_LETTER_LINE_RE.match(text, above)) and above < ls) or (
        below > 0 and bool(_LETTER_LINE_RE.match(text, below))
    )


def _lettered_item(text: str, start: int, end: int, ls: int, le: int) -> bool:
    """A one-letter name among consecutive letters ("Module A, B, C"; "Plan B/C")."""
    if end - start != 1 or not text[start].isupper():
        return False
    if _vertical_letter(text, start, ls, le):
        return True
    letter = ord(text[start])
    before = re.search(r"(?<![\w+#])([A-Z])\s*[,/&;]\s*$", text[ls:start])
    after = re.match(r"\s*[,/&;]\s*([A-Z])(?![\w+#])", text[end:le])
    return bool(
        (before and ord(before.group(1)) == letter - 1)
        or (after and ord(after.group(1)) == letter + 1)
    )


CERTIFICATION_CATEGORY = "Certifications"
_CERTIFIED_RE = re.compile(
    r"certifi|certificat|zertifi|credential|charter|licen[cs]|exam|accredit|diplom", re.I
)
# A consent to the processing of personal data, which many European CVs end with. "Il
# trattamento dei dati ricevuti" alone is data processing, a duty, not the consent.
_CONSENT_RE = re.compile(
    r"trattamento dei miei dati|dati personali|przetwarzanie moich danych|"
    r"danych osobowych|données personnelles|datos personales|dados pessoais|"
    r"personenbezogenen daten|processing of (?:my )?personal data|persoonsgegevens",
    re.IGNORECASE,
)
# A surname in an author list: "Ledger, W." or "C.B. Adams", on a line that names two
# authors or more that way ("Cox, M., Ledger, W., Gilchrist, R.").
_INITIALS_AFTER_RE = re.compile(r",\s*(?:[A-Z]\.\s?-?){1,3}(?=[\s,;&]|$)")
_INITIALS_BEFORE_RE = re.compile(r"(?:^|[,;&(]\s*|\band\s+)(?:[A-Z]\.\s?-?){1,3}\s*$")
_AUTHOR_RE = re.compile(r"[A-Z][\w'’-]+,\s*(?:[A-Z]\.\s?-?){1,3}(?=[\s,;&]|$)")


def _author_name(text: str, start: int, end: int) -> bool:
    if not text[start : start + 1].isupper():
        return False
    if not (
        _INITIALS_AFTER_RE.match(text, end)
        or _INITIALS_BEFORE_RE.search(text[max(0, start - 12) : start])
    ):
        return False
    ls, le = _line_bounds(text, start, end)
    return len(_AUTHOR_RE.findall(text, ls, le)) >= 2


_ACRONYM_FILLERS = _wordset("of and for the in on to de des du la le et y e di del der und")


def _spelled_out_otherwise(text: str, start: int, end: int, skill: Skill) -> bool:
    """An acronym the CV spells out as something other than the skill: "Agent-Based Model -
    ABM", "Chip Card & Security (CCS)". The words just before it (or just after it) whose
    initials spell it, small words aside, are what it stands for here."""
    acronym = text[start:end]
    if not (2 <= len(acronym) <= 6 and acronym.isalpha() and acronym.isupper()):
        return False
    ls, le = _line_bounds(text, start, end)
    before = re.findall(r"[^\W\d_]+", text[max(ls, start - 80) : start])
    after = re.findall(r"[^\W\d_]+", text[end : min(le, end + 80)])
    for words in (before[::-1], after):
        span = _initial_words(words, len(acronym))
        if words is not after:
            span = span[::-1]
        initials = "".join(w[0] for w in span if _fold(w) not in _ACRONYM_FILLERS)
        if initials.upper() == acronym and not _same_thing(" ".join(span), skill):
            return True
    return False


def _initial_words(words: list[str], n: int) -> list[str]:
    """The first words up to and including the n-th word that is not a small word."""
    taken = 0
    for i, word in enumerate(words):
        if _fold(word) not in _ACRONYM_FILLERS:
            taken += 1
            if taken == n:
                return words[: i + 1]
    return []


def _same_thing(spelled: str, skill: Skill) -> bool:
    """The words an acronym was spelled out with name this skill (or nothing else we know)."""
    known = canonical_skill(spelled)
    if known is not None:
        return known == skill.name
    words = {_fold(w) for w in re.findall(r"[^\W\d_]{3,}", spelled)} - _ACRONYM_FILLERS
    for form in (skill.name, *skill.aliases):
        theirs = {_fold(w).rstrip("s") for w in re.findall(r"[^\W\d_]{3,}", form)}
        if theirs and len({w.rstrip("s") for w in words} & theirs) * 2 >= len(words):
            return True
    return False


def _span_back(words: list[str], n: int) -> int:
    return _span_forward(words[::-1], n)


def _span_forward(words: list[str], n: int) -> int:
    count = taken = 0
    for w in words:
        count += 1
        if _fold(w) not in _ACRONYM_FILLERS:
            taken += 1
            if taken == n:
                break
    return count


_SNIPPET_CHARS = 140
_LINK_RE = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+|\b[\w.-]+\.(?:com|io|org|net|dev|me)/\S*", re.I
)


def _in_link(text: str, start: int, end: int) -> bool:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    line = text[ls : le if le != -1 else len(text)]
    return any(m.start() <= start - ls < m.end() for m in _LINK_RE.finditer(line))


def _shouting(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 1]
    return len(words) >= 3 and all(w.isupper() for w in words)


def _snippet(text: str, start: int, end: int, ls: int, le: int) -> str:
    """The line around a mention, at most about 140 characters, cut at word boundaries."""
    lo, hi = ls, le
    if hi - lo > _SNIPPET_CHARS:
        half = max(20, (_SNIPPET_CHARS - (end - start)) // 2)
        lo = max(ls, start - half)
        hi = min(le, end + half)
        if lo > ls:
            space = text.find(" ", lo, start)
            lo = space + 1 if space != -1 else lo
        if hi < le:
            space = text.rfind(" ", end, hi)
            hi = space if space != -1 else hi
    piece = " ".join(text[lo:hi].split()).strip(" •-–*·|")
    return ("…" if lo > ls else "") + piece + ("…" if hi < le else "")


# "<Board> of <field>" names a body, wherever it stands: "Texas Board of Nursing".
_BODY_OF_RE = re.compile(
    r"\b(?:board|department|dept\.?|faculty|school|college|institute|ministry|academy|council|"
    r"association|society|chamber|bureau|office|centre|center|journal|proceedings)\s+of\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)


# A line with an email address or a tel:/mailto: link is contact details: the "LinkedIn" or
# "GitHub" on it names a profile, not a skill.
_CONTACT_LINE_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\bmailto:|\btel:", re.IGNORECASE)


def _named_body(text: str, start: int) -> bool:
    return bool(_BODY_OF_RE.search(text[max(0, start - 40) : start]))


# Words that open an organisation's name in languages that put them first: "Agencia de
# Desarrollo Web y Marketing Digital", "Institut für Regelungstechnik", "Scuola di Design".
_ORG_HEADS = _wordset(
    """agencia agence agenzia agentur instituto institut istituto institute escuela école ecole
    escola scuola schule hochschule universidad université universite universidade università
    universita universität universitat fundación fundacion fondation fundação fundacao
    fondazione stiftung empresa société societe grupo groupe gruppo gruppe centro centre zentrum
    departamento département departement dipartimento facultad faculté faculte faculdade
    facoltà hospital hôpital hopital ospedale krankenhaus klinikum klinik clínica clinica
    clinique colegio colégio collège college liceo lycée lycee ministerio ministère ministerio
    ministero ministerium asociación asociacion association associação associacao associazione
    verein cámara camara chambre banco banque banca laboratorio laboratoire laboratório
    laboratorium"""
)
_NAME_LINKS = _wordset(
    "de del la las los des du d' y e et und für fur di da do dos das della delle dei van voor "
    "en of and for the &"
)


def _inside_named_organisation(text: str, start: int) -> bool:
    """The mention is a word of a name that an organisation word opens, with only capitalised
    words and linking words between them: "Agencia de Desarrollo Web, Apps y Marketing
    Digital", "Institut für Mess- und Regelungstechnik"."""
    ls = text.rfind("\n", 0, start) + 1
    words = re.findall(r"[^\s,;·|()]+", text[max(ls, start - 70) : start])
    for word in reversed(words):
        bare = word.strip(".:-–'’")
        if not bare:
            continue
        folded = _fold(bare)
        if folded in _ORG_HEADS and bare[0].isupper():
            return True
        if folded in _NAME_LINKS or bare.endswith("-"):
            continue
        if not bare[0].isupper():
            return False
    return False


def _organisation_name(text: str, start: int, end: int, issuer_apart: bool = False) -> bool:
    """The mention is (part of) a company or school name, not a skill."""
    if not text[start : start + 1].isupper():
        return False
    if _inside_named_organisation(text, start):
        return True
    before = _neighbour(text, start - 1, -1)
    if before in ("@", "chez", "bei", "presso", "bij", "joined"):
        return True
    if before == "at":
        i = text.rfind("at", max(0, start - 8), start)
        prev = text[max(0, i - 30) : i].split()
        word = prev[-1].strip(",;:") if prev else ""
        if word[:1].isupper() or word.lower() in _WORKED_AT:
            return True
    # Capitalised words right after it that end in a company word: "Pinecone Creative Agency".
    # The name goes on right after the mention ("Pinecone Creative Agency"); on a certificate
    # line the issuer after a comma is another name ("…Architect, Amazon Web Services").
    # Past a comma a word that opens a skill's name is the list going on ("Python, NoSQL,
    # SAS", "Hadoop, Visual Studio"), not the rest of a company's name.
    cut = r"[\n,;|()]" if issuer_apart else r"\n"
    tail = re.split(cut, text[end : end + 60], maxsplit=1)[0]
    for n, m in enumerate(re.finditer(r"([,;|]?)[^\S\n]*([^\s,;|()]+)", tail)):
        if n == 3:
            break
        bare = m.group(2).strip(".,")
        if not bare or not (bare[0].isupper() or bare[0] == "&"):
            return False
        word = bare.lower().rstrip(".")
        if m.group(1) and _fold(bare) in get_taxonomy().first:
            return False
        if word in _ORG_WORDS:
            return True
    return False


_CAPS_WORD_BEFORE_RE = re.compile(r"(?<![\w-])([A-Z][A-Z0-9&]+)[ \t]+$")
_CAPS_WORD_AFTER_RE = re.compile(r"[ \t]+([A-Z][A-Z0-9&]+)(?![\w-])")


def _capitals_name(text: str, start: int, end: int, tax: Taxonomy) -> bool:
    """The mention is a word of a name written in capitals with a word that names no skill:
    "SIM ROBOTICS – Curitiba", "ARVATO CRM división del grupo"."""
    word = text[start:end]
    if len(word) < 2 or not word.isupper():
        return False
    for m in (
        _CAPS_WORD_BEFORE_RE.search(text, max(0, start - 30), start),
        _CAPS_WORD_AFTER_RE.match(text, end, end + 30),
    ):
        if m and len(m.group(1)) >= 2 and _fold(m.group(1)) not in tax.vocab:
            return True
    return False


def _accept_language(section: str, line: str) -> bool:
    if section in ("languages",):
        return True
    if _PROFICIENCY_RE.search(line):
        return True
    return section == "skills" and bool(re.match(r"\s*(?:languages?|sprachen|langues|idiomas|"
                                                 r"lingue|talen)\s*[:：]", line, re.I))  # fmt: skip


# "Kenntnisse in C und Python", "experience with Go", "conocimientos de Word", "Windows-
# Kenntnisse": a word after a phrase that states knowledge, or with such a word joined to it, is
# named as a skill, whatever else it can mean. Only names, commas and "and" may stand between the
# phrase and the word.
_KNOWN_CUE_RE = re.compile(
    r"(?:\w*kenntnisse|\w*erfahrung|know-how|knowledge|experience|experienced|proficient|"
    r"proficiency|skilled|expertise|connaissances?|maîtrise|conocimientos?|experiencia|dominio|"
    r"conhecimentos?|experiência|domínio|conoscenz[ae]|esperienza|kennis|ervaring)"
    r"\s+(?:in|of|with|mit|von|im|en|de|del|em|com|di|con|van|met|avec|dans)\s+"
    r"((?:[^\W\d_][\w.+#-]*(?:\s*,\s*|\s+(?:and|und|et|y|e|en|or|oder|ou|o)\s+|\s+))*)$",
    re.IGNORECASE,
)
_KNOWN_AFTER_RE = re.compile(r"-(?:kenntnisse|erfahrung|grundkenntnisse|skills|know-how)\b", re.I)


def _stated_as_known(text: str, ls: int, start: int, end: int) -> bool:
    if _KNOWN_AFTER_RE.match(text, end):
        return True
    m = _KNOWN_CUE_RE.search(text, max(ls, start - 80), start)
    if m is None:
        return False
    between = re.findall(r"[^\W\d_][\w.+#-]*", m.group(1))
    return all(w[0].isupper() or w.lower() in _LIST_WORDS | {"or", "oder", "ou"} for w in between)


def _accept_ambiguous(
    alias: _Alias, text: str, start: int, end: int, line: str, section: str, plain_on_line: int
) -> bool:
    skill = alias.skill
    # An everyday word that opens a line as its label ("Informatica: Word, Excel") names the
    # group, not itself.
    label = (
        text[start - 1 : start] in ("", "\n") and re.match(r"[ \t]*[:：]", text[end:]) is not None
    )
    if (
        section in _SKILL_SECTIONS
        and not label
        and (_in_list(text, start, end) or line.strip(" •-–*·\t") == text[start:end])
    ):
        return True
    ls = text.rfind("\n", 0, start) + 1
    if _stated_as_known(text, ls, start, end):
        return True
    alone = line.strip(_BULLETS) == text[start:end]
    if start - ls < 3 and ls > 1 and text[ls - 2] not in ".!?;:":
        # The line goes on from the one above ("… SAP Hybris e di Java" / "Spring"): its
        # words are the mention's context too.
        line = text[text.rfind("\n", 0, ls - 1) + 1 : ls - 1] + " " + line
    le = text.find("\n", end)
    if alone:
        # An item alone on its line ("-Word" under "-PowerPoint"): the short lines around it
        # are the rest of its list.
        line = " ".join([_short_line(text, ls - 1, -1), line, _short_line(text, le, 1)])
    line_tokens = {t[0] for t in _tokens(line)}
    if skill.context & line_tokens:
        return True
    folded = _fold(line)
    if any(p in folded for p in skill.context_phrases):
        return True
    return not label and plain_on_line >= 1 and _in_list(text, start, end)


_BULLETS = " •-–*·\t▪●◦►➢✓"


def _short_line(text: str, newline: int, step: int) -> str:
    """The line above (step -1) or below (step 1) a newline, if it holds a short item."""
    if newline < 0 or newline >= len(text):
        return ""
    if step < 0:
        line = text[text.rfind("\n", 0, newline) + 1 : newline]
    else:
        nxt = text.find("\n", newline + 1)
        line = text[newline + 1 : nxt if nxt != -1 else len(text)]
    return line if len(line.split()) <= 3 else ""


_EVIDENCE_BASE: dict[str, float] = {"skills_section": 0.6, "experience": 0.55, "other": 0.35}

# ---------------------------------------------------------------------------------------------
# Skills a CV lists that the taxonomy does not know ("Wireshark, Burp Suite, Nessus"): an item
# of a list in the skills section is a skill in the CV's own words. Items are cut at list
# separators (any of , ; | • · / ( ) 、 and a spaced dash, tab or wide gap), a "Label:" prefix
# names the group ("Tools:", "Framework e Librerie AI:") and is not itself a skill, and level
# words ("advanced", "C1", "8+ yrs", "gut") are dropped. Only short items are kept: a phrase of
# more than four words is a sentence, not a list item.

UNLISTED_CATEGORY = "Other"
_ITEM_SPLIT_RE = re.compile(
    r"\s*(?:[,;|•·●▪◦►➢✓✔■□◆◇★☆、，；（）()\[\]{}]|(?<=\s)[-–—/+&](?=\s)|/(?=\S)|\t|\s{3,})\s*"
)
_LABEL_RE = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s*(?=\S)")
_LEVEL_RE = re.compile(
    r"(?:\b\d+(?:[.,]\d+)?\s*\+?\s*(?:yrs?|years?|jahre|ans|años|anos|anni|%)|\b\d+\s*%|"
    r"\b[ABC][12]\b|[★☆●○◉◯■□]+|\s[-–:]\s*\S+$)",
    re.IGNORECASE,
)
_LEVEL_WORDS = _wordset(
    """basic basics beginner elementary intermediate advanced expert proficient proficiency
    fluent native good very excellent familiar familiarity working knowledge strong solid
    grundkenntnisse gut gute sehr fortgeschritten fortgeschrittene kenntnisse anfänger
    anfängerkenntnisse muttersprache débutant intermédiaire avancé courant notions bon bonne
    básico básica intermedio avanzado avanzada nativo nativa basico intermediario avancado
    fluente buono ottimo base discreto mittelstufe level niveau nivel nível livello
    avançado intermediário sprawny sprawna biegły biegła biegle podstawowy podstawowa
    średniozaawansowany zaawansowany zaawansowana dobry dobra ileri orta başlangıç temel
    avançat bàsic intermedi flydende grundlæggende flytande grundläggande avancerad flytende
    gevorderd vloeiend goed uitstekend"""
)
# The words above are compared with items folded (accents dropped): fold them the same way.
_LEVEL_WORDS = frozenset(_fold(w) for w in _LEVEL_WORDS)
_NOT_SKILL_WORDS = _wordset(
    """etc others other more various including include includes and or with in of the a an
    tools tool skills skill technologies technology languages language software frameworks
    framework libraries library systems other misc miscellaneous general personal soft hard
    technical professional interpersonal competencies competences kenntnisse fähigkeiten
    compétences competências competencias habilidades competenze conocimientos outils
    herramientas ferramentas strumenti sprachen idiomas langues lingue"""
)
_NOT_SKILL_WORDS = frozenset(_fold(w) for w in _NOT_SKILL_WORDS)


# Single words that head or fill a skills list without naming a skill.
_GENERIC_ITEMS = _wordset(
    """data open patient patients components variants protocols protocol assistant discovery
    network networks design development management analysis research programming hardware
    web mobile cloud security testing databases database office basics computer computers
    internet email windows-based online digital applications application platforms platform
    services service solutions methods methodologies concepts knowledge experience projects"""
)


def _clean_item(item: str) -> str:
    item = _LEVEL_RE.sub(" ", item)
    words = [w for w in item.split() if _fold(w).strip(".") not in _LEVEL_WORDS]
    return " ".join(words).strip(" .:-–—*+'\"`“”‘’")


def _plausible_item(item: str) -> bool:
    words = item.split()
    if not 1 <= len(words) <= 4 or not 2 <= len(item) <= 40:
        return False
    if not (item[0].isalpha() or item[0] == "."):
        return False
    if any(ch in item for ch in "@=<>{}") or "http" in item.lower() or "www." in item.lower():
        return False
    if sum(ch.isdigit() for ch in item) > len(item) // 2:
        return False
    folded = [_fold(w) for w in words]
    if all(w in _NOT_SKILL_WORDS or w in _LEVEL_WORDS for w in folded):
        return False
    # A sentence fragment ends in a full stop or starts with a lower-case function word.
    if folded[0] in _NOT_SKILL_WORDS and len(words) > 1:
        return False
    if len(words) >= 2 and all(w.islower() for w in words):
        return False  # "als auch die", "eu utilizei a": words of a sentence
    if len(words) == 1 and item.islower():
        return False
    if any(ch in item for ch in '"“”„«»'):
        return False
    last = folded[-1].strip(".")
    if last in _NOT_SKILL_WORDS or last in _JOB_WORDS or last == "member":
        return False  # "No-Code Tools", "Council Member": a group or a role, not a skill
    if len(words) == 1:
        if folded[0] in _GENERIC_ITEMS:
            return False
        if item.islower() and not item.isascii():
            return False  # "graphes", "logique": a word of the CV's language, not a tool
        if len(item) <= 3 and item[:1].isupper() and item[1:].islower():
            return False  # "Net", "Pro": a cut-off word
    # "Greiner Bio-One GmbH": an organisation, not a tool.
    return not (len(words) > 1 and last in _ORG_WORDS)


_NON_LATIN_RE = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")


def _whole_known(piece: str, body_start: int, covered: list[tuple[int, int]]) -> bool:
    """The piece is exactly a taxonomy skill (a bullet line holding one known skill)."""
    core = piece.strip(" •-–*·\t▪●◦►➢✓.")
    if not core:
        return False
    a = body_start + piece.index(core)
    return any(s <= a and e >= a + len(core) for s, e in covered)


def unlisted_skills(text: str, covered: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """List items of a skills section that no taxonomy skill covers: (item, start, end).

    A line counts as a list when it has two items or more and at least two of them (and 40 %)
    are known skills; a line holding one short item counts when the lines above and below each
    hold exactly one known skill (a bulleted column of skills). Most of a line's unknown items
    must look like skills, or the line is prose that happens to have commas. Items in other
    scripts than Latin are left to the taxonomy (its aliases translate them).
    """
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    single_known = [
        _whole_known(raw, start, covered) and len(_split_spans(raw)) == 1 for start, raw in lines
    ]
    out: list[tuple[str, int, int]] = []
    for idx, (line_start, raw) in enumerate(lines):
        body, offset = raw, 0
        label = _LABEL_RE.match(raw)
        if label:
            offset = label.end()
            body = raw[offset:]
        if not body.strip(" •-–*·\t▪●◦►➢✓") or _NON_LATIN_RE.search(body):
            continue
        pieces = _split_spans(body)
        a0 = line_start + offset
        known = sum(
            1 for _t, ps, pe in pieces if any(s < a0 + pe and e > a0 + ps for s, e in covered)
        )
        if len(pieces) >= 2:
            if known < 2 or known < 0.4 * len(pieces):
                continue
        else:
            near = [single_known[j] for j in (idx - 1, idx + 1) if 0 <= j < len(lines)]
            if label or len(near) < 2 or not all(near) or len(body.split()) > 3:
                continue
        items = []
        for piece, p_start, p_end in pieces:
            a, b = a0 + p_start, a0 + p_end
            if any(s < b and e > a for s, e in covered):
                continue
            item = _clean_item(piece)
            ok = bool(item) and _plausible_item(item) and not _described_by_parens(text, b, covered)
            items.append((item, a, b, ok))
        if not items:
            continue
        if sum(ok for *_x, ok in items) < 0.6 * len(items):
            continue  # mostly not skill-shaped: a sentence with commas
        out.extend((item, a, b) for item, a, b, ok in items if ok)
    return out


# A list item the taxonomy misses only by its spacing: glued ("Tiaportal", "Visualstudio",
# "Powerbi"). Read only in a skills section, for items of one word of six letters or more; only
# names written with a space or a hyphen are looked up so, and not those that need their case or
# context to be a skill. (One-letter-off spellings were tried too: "Prototype" read as
# Prototyping and "Protocols" as Pro Tools, so they are not.)
_GLUE_MIN = 6
_SQUASH_RE = re.compile(r"[^0-9a-z+#]")


def _squash(text: str) -> str:
    return _SQUASH_RE.sub("", _fold(text))


@lru_cache(maxsize=1)
def _glued_index() -> dict[str, str]:
    """Multi-word taxonomy names and aliases with spaces and punctuation removed."""
    data = json.loads(
        resources.files("resumate.ai.data").joinpath("skills.json").read_text("utf-8")
    )
    glued: dict[str, set[str]] = defaultdict(set)
    for entry in data["skills"]:
        if entry.get("spoken_language"):
            continue
        strict = set(entry.get("case_sensitive", [])) | set(entry.get("ambiguous", []))
        for form in (entry["name"], *entry.get("aliases", [])):
            if form in strict or len(_tokens(form)) < 2:
                continue
            key = _squash(form)
            if len(key) >= _GLUE_MIN:
                glued[key].add(entry["name"])
    return {k: next(iter(v)) for k, v in glued.items() if len(v) == 1}


def _respelt(item: str) -> str | None:
    """The taxonomy skill a list item names with its words glued together."""
    if len(_tokens(item)) != 1:
        return None
    return _glued_index().get(_squash(item))


def misspelt_skills(body: str) -> list[Occurrence]:
    """Items of a skills section that name a known skill with its words glued together."""
    tax = get_taxonomy()
    covered = [(s, e) for _a, s, e in _all_matches(_text_tokens(body, tax.vocab), tax, body)]
    out: list[Occurrence] = []
    pos = 0
    for raw in body.split("\n"):
        line_start, pos = pos, pos + len(raw) + 1
        label = _LABEL_RE.match(raw)
        offset = label.end() if label else 0
        for piece, p_start, p_end in _split_spans(raw[offset:]):
            a, b = line_start + offset + p_start, line_start + offset + p_end
            if any(s < b and e > a for s, e in covered):
                continue
            item = _clean_item(piece)
            if not 1 <= len(item.split()) <= 3 or not item[:1].isalpha():
                continue
            name = _respelt(item)
            if name is None:
                continue
            ls, le = _line_bounds(body, a, b)
            out.append(Occurrence(tax.skills[name], "skills", a, b, _snippet(body, a, b, ls, le)))
    return out


def _described_by_parens(text: str, end: int, covered: list[tuple[int, int]]) -> bool:
    """The item is followed by a known skill in brackets: "Database a grafo (Neo4j)",
    "Technologieeinsatz (Java, Angular)". It describes that skill; it is not one itself."""
    m = re.match(r"\s*[(（]\s*", text[end : end + 8])
    if not m:
        return False
    a = end + m.end()
    return any(s <= a < e for s, e in covered)


def _split_spans(body: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    last = 0
    for m in _ITEM_SPLIT_RE.finditer(body):
        if m.start() > last:
            spans.append((body[last : m.start()], last, m.start()))
        last = m.end()
    if last < len(body):
        spans.append((body[last:], last, len(body)))
    return [(t, s, e) for t, s, e in spans if t.strip()]


def evidence_of(section: str) -> Evidence:
    if section in _SKILL_SECTIONS:
        return "skills_section"
    if section in _EXPERIENCE_SECTIONS:
        return "experience"
    return "other"


# A stack named by its acronym names each of its parts: "MERN" is MongoDB, Express, React and
# Node.js. Written in capitals only (the words are common otherwise).
_STACKS = {
    "MERN": ("MongoDB", "Express.js", "React", "Node.js"),
    "MEAN": ("MongoDB", "Express.js", "Angular", "Node.js"),
    "MEVN": ("MongoDB", "Express.js", "Vue.js", "Node.js"),
}
_STACK_RE = re.compile(r"(?<![\w-])(?:" + "|".join(_STACKS) + r")(?![\w-])")


def _stack_occurrences(text: str, section: str) -> list[Occurrence]:
    tax = get_taxonomy()
    out: list[Occurrence] = []
    for m in _STACK_RE.finditer(text):
        ls, le = _line_bounds(text, m.start(), m.end())
        snippet = _snippet(text, m.start(), m.end(), ls, le)
        for name in _STACKS[m.group()]:
            out.append(Occurrence(tax.skills[name], section, m.start(), m.end(), snippet))
    return out


# A CV without a list of its skills (a nurse's, a salesman's, an economist's CV) states them as
# the fields and duties of its jobs: there the broad words ("Verkauf", "Krankenpflege",
# "atención al cliente") are its skills, as they would be in a list.
_FEW_LISTED = 4
_FIELD_SECTIONS = {"experience", "summary", "volunteer"}
_FIELD_CATEGORIES = {
    "Sales & customer service", "Business & management", "Finance & accounting", "Healthcare",
    "Human resources", "Logistics & supply chain", "Hospitality & food service", "Legal",
    "Skilled trades", "Public sector & social services", "Manufacturing & production",
    "Marketing", "Education", "Office & productivity",
}  # fmt: skip


# Broad words that name a trade a CV's duties come back to ("Verkauf", "Verkäufer", "ventas"):
# on a CV without a list they are its skill when read on two lines; an industry never is.
_TRADES = {"Sales", "Marketing", "Nursing"}
_TECH_CATEGORIES = {
    "Programming languages", "Web development", "Cloud & DevOps", "Software engineering",
    "Data & AI", "Databases", "Mobile development", "Testing & QA", "Security",
}  # fmt: skip
_TECH_PROFILE = 5
# Enough of a CV to judge: a sentence alone says nothing of the whole.
_DUTY_LINES = 6


_JOB_AFTER_RE = re.compile(r"[^\S\n]*([^\W\d_]+)")


def _names_a_job(text: str, end: int) -> bool:
    """The field is the first half of a job title: "Logistics Planner", "Sales Manager"."""
    m = _JOB_AFTER_RE.match(text, end)
    return m is not None and _fold(m.group(1)) in _JOB_WORDS | _TITLE_TAILS


_TITLE_TAILS = _wordset("planner planners expert executive director head associate")


def _lists_few_skills(parts: dict[str, str], strict: dict[str, list[Occurrence]]) -> bool:
    """The CV lists few skills and names few technical ones, and has enough duty lines to
    judge: its duties are where it states its skills."""
    listed = {occ.skill.name for occ in strict.get("skills", [])}
    tech = {
        occ.skill.name
        for found in strict.values()
        for occ in found
        if occ.skill.category in _TECH_CATEGORIES
    }
    duties = sum(
        1
        for section in _FIELD_SECTIONS
        for line in parts.get(section, "").splitlines()
        if line.strip()
    )
    return len(listed) < _FEW_LISTED and len(tech) < _TECH_PROFILE and duties >= _DUTY_LINES


def extract_skills(text: str, *, sections: dict[str, str] | None = None) -> list[SkillMatch]:
    """Skills found in a CV, ranked by evidence (skills section > experience > elsewhere).

    With `sections` (canonical section name -> text) evidence and context rules use the
    section; without it the whole text counts as "other". Each skill keeps the snippet of text
    it was read from in its best section.
    """
    parts = sections if sections is not None else {"other": text}
    stats: dict[str, dict[str, int]] = {}
    order: dict[str, int] = {}
    first: dict[str, tuple[int, Occurrence]] = {}
    rank = {"skills_section": 0, "experience": 1, "other": 2}
    cited: dict[str, int] = defaultdict(int)  # skill -> mentions read from references only
    unlisted: dict[str, tuple[str, str]] = {}  # folded item -> (item as written, snippet)
    lines_of: dict[str, set[tuple[str, int]]] = defaultdict(set)  # skill -> lines it is read on
    strict = {
        section: find_occurrences(body, section)
        for section, body in parts.items()
        if section not in _IGNORED_SECTIONS and body
    }
    if _lists_few_skills(parts, strict):
        for section in _FIELD_SECTIONS & strict.keys():
            strict[section] = find_occurrences(parts[section], section, fields_in_prose=True)
    for section, body in parts.items():
        if section not in strict:
            continue
        ev = evidence_of(section)
        found = strict[section]
        if section == "skills":
            found += misspelt_skills(body)
        for occ in [*found, *_stack_occurrences(body, section)]:
            name = occ.skill.name
            lines_of[name].add((section, body.rfind("\n", 0, occ.start)))
            if occ.cited:
                cited[name] += 1
            counts = stats.setdefault(name, {"skills_section": 0, "experience": 0, "other": 0})
            counts[ev] += 1
            order.setdefault(name, len(order))
            if name not in first or rank[ev] < first[name][0]:
                first[name] = (rank[ev], occ)
        if section == "skills":
            tax = get_taxonomy()
            toks = _text_tokens(body, tax.vocab)
            covered = [(s, e) for _a, s, e in _all_matches(toks, tax, body)]
            for item, start, end in unlisted_skills(body, covered):
                key = _fold(item)
                if key in unlisted or canonical_skill(item):
                    continue
                ls, le = _line_bounds(body, start, end)
                unlisted[key] = (item, _snippet(body, start, end, ls, le))
    tax = get_taxonomy()
    matches: list[SkillMatch] = []
    for name, counts in stats.items():
        mentions = sum(counts.values())
        if name in _TRADES and not counts["skills_section"] and len(lines_of[name]) < 2:
            continue  # a trade read once in prose ("grew sales") is its setting, not a skill
        if mentions == cited[name] < _CITED_MIN:
            continue  # one paper's title: its topic, not a skill the CV states
        best: Evidence = (
            "skills_section"
            if counts["skills_section"]
            else "experience"
            if counts["experience"]
            else "other"
        )
        score = _EVIDENCE_BASE[best]
        if counts["skills_section"] and counts["experience"]:
            score += 0.2
        score += min(0.2, 0.05 * (mentions - 1))
        occ = first[name][1]
        matches.append(
            SkillMatch(
                name=name,
                category=tax.skills[name].category,
                evidence=best,
                mentions=mentions,
                score=round(min(score, 1.0), 3),
                snippet=occ.snippet,
                source=_SOURCE_OF.get(occ.section, occ.section),
            )
        )
    listed = [m for m in matches if m.evidence == "skills_section"]
    if (
        len(listed) >= _LISTS_ITS_SKILLS
        and sum(m.category in _PROFILE_CATEGORIES for m in listed) < _BUSINESS_PROFILE
    ):
        matches = [m for m in matches if not _passing_concept(m)]
    known = {_fold(m.name) for m in matches}
    for key, (item, snippet) in unlisted.items():
        if key in known:
            continue
        order.setdefault(item, len(order))
        matches.append(
            SkillMatch(
                name=item,
                category=UNLISTED_CATEGORY,
                evidence="skills_section",
                mentions=1,
                score=0.5,
                snippet=snippet,
                source="skills section",
            )
        )
    matches.sort(key=lambda m: (-m.score, -m.mentions, order[m.name]))
    return matches


# A CV that lists its skills names the business, sales and finance skills it claims in that
# list: the same words once in its prose describe the work's setting ("financial services in
# Korea", "strategic planning resources", "handle logistics, scheduling") more often than a
# skill. Read twice, or on a CV without such a list, they still count; and on a CV whose list
# holds two such skills or more, or HR skills (an accountant's, a salesman's, an HR partner's),
# they are its trade.
_LISTS_ITS_SKILLS = 8
_BUSINESS_PROFILE = 2
_CONCEPT_CATEGORIES = {"Business & management", "Sales & customer service", "Finance & accounting"}
_PROFILE_CATEGORIES = _CONCEPT_CATEGORIES | {"Human resources"}


def _passing_concept(match: SkillMatch) -> bool:
    return (
        match.category in _CONCEPT_CATEGORIES
        and match.evidence != "skills_section"
        and match.mentions < 2
    )


# Where a snippet was read, in words a reader understands.
_SOURCE_OF = {
    "skills": "skills section",
    "certifications": "certifications",
    "languages": "languages",
    "courses": "courses",
    "experience": "experience",
    "projects": "projects",
    "volunteer": "volunteering",
    "activities": "activities",
    "summary": "summary",
    "education": "education",
    "awards": "awards",
    "publications": "publications",
    "memberships": "memberships",
    "other": "other",
}
