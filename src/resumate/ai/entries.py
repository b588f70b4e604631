"""Work and education entries: who, where, when, and the bullets that go with them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from resumate.ai.contact import is_country_or_region, looks_like_location, world_country_of
from resumate.ai.dates import (
    DASHES,
    DateRange,
    PartialDate,
    find_date_ranges,
    find_dates,
    leading_present,
    month_number,
)
from resumate.ai.documents import TextLine
from resumate.ai.sections import match_heading


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦○◆◇►▶➢➤✓✔\-–—*·]|\d{1,2}[.)])\s+")
_SPLIT_RE = re.compile(
    r"\s+(?:at|@|chez|bei|en|presso|bij|na|em)\s+|\s*[|•·]\s*|\s+[–—-]\s+|,\s*|\s{2,}|\t|"
    r"(?<=[^\W\d_])[–—-]\s+(?=[A-Z])"  # "Lead Software Engineer- New York"
)

_TITLE_WORDS = _wordset(
    """
engineer developer manager director analyst consultant specialist assistant associate
coordinator officer lead head architect designer administrator technician nurse teacher
accountant intern internship trainee apprentice representative executive advisor adviser
agent clerk supervisor operator scientist researcher professor lecturer tutor chef cook
waiter waitress bartender barista driver electrician plumber carpenter welder mechanic
mason worker attorney lawyer paralegal counsel solicitor pharmacist physician doctor
therapist technologist auditor controller buyer planner recruiter partner founder
co-founder owner president vp cfo ceo cto coo cmo cio editor writer journalist
photographer producer artist receptionist secretary cashier salesperson support guard
instructor coach trainer caregiver aide midwife paramedic dentist hygienist surgeon pilot
steward stewardess attendant housekeeper cleaner janitor landscaper gardener farmer
programmer tester strategist owner principal fellow postdoc student volunteer ambassador
estimator surveyor inspector dispatcher storekeeper warehouse picker packer foreman
superintendent merchandiser stylist hairdresser therapist counselor counsellor
psychologist social librarian curator translator interpreter officer consultant nanny
babysitter carer housekeeper host hostess ingenieur ingenieurin entwickler entwicklerin
leiter leiterin berater beraterin referent referentin sachbearbeiter sachbearbeiterin
kaufmann kauffrau mitarbeiter mitarbeiterin pfleger pflegerin krankenschwester lehrer
lehrerin werkstudent praktikant praktikantin geschäftsführer projektleiter ingénieur
développeur développeuse responsable directeur directrice chargé chargée stagiaire
infirmier infirmière enseignant enseignante comptable technicien technicienne vendeur
vendeuse ingeniero ingeniera desarrollador desarrolladora jefe jefa gerente analista
consultor consultora asistente enfermera enfermero profesor profesora contador contadora
técnico técnica becario becaria engenheiro engenheira desenvolvedor coordenador coordenadora
enfermeiro estagiário estagiária ingegnere sviluppatore impiegato impiegata infermiere
infermiera insegnante tecnico stagista ontwikkelaar medewerker verpleegkundige docent
adviseur beheerder demonstrator reader postdoctoral advocate aushilfe helfer helferin
verkäufer verkäuferin kassierer kassiererin kellner kellnerin monteur monteurin elektroniker
mechatroniker erzieher erzieherin fahrer fahrerin
разработчик инженер менеджер программист аналитик руководитель директор специалист
консультант бухгалтер учитель преподаватель стажер стажёр тестировщик дизайнер
розробник інженер програміст аналітик керівник спеціаліст вчитель викладач стажист
programista inżynier kierownik specjalista analityk konsultant księgowa księgowy
nauczyciel nauczycielka dyrektor asystent asystentka praktykant stażysta sprzedawca
projektant mühendis mühendisi uzman müdür müdürü yönetici stajyer öğretmen danışman
analist geliştirici utvecklare ingenjör konsult vývojář inženýr ředitel účetní
"""
)
_COMPANY_WORDS = _wordset(
    """
inc inc. ltd ltd. llc llp plc gmbh ag sa s.a. sas sarl srl s.r.l. spa s.p.a. bv b.v. nv
n.v. oy ab a/s kg co. corp corp. corporation company group holdings partners technologies
technology solutions systems labs bank hospital clinic university school college institute
agency services foundation council ministry department restaurant hotel café cafe store
studio klinikum universität krankenhaus hôpital clínica banco grupo limited trust nhs
authority county city academy center centre associates consultancy industries
international software enterprises court tribunal commission chambers firm
"""
)
_INSTITUTION_RE = re.compile(
    r"\b(?:universit\w*|college|school|institut\w*|academy|akademie|hochschule|fachhochschule|"
    r"école|ecole|escuela|escola|scuola|politecnico|polytechnic|lycée|lycee|gymnasium|"
    r"universidad|universidade|università|hogeschool|universiteit|conservatoire|conservatory|"
    r"seminary|kolleg|berufsschule|iut|insa|tu|eth|epfl|mit|ucla|nyu|\w*schule)\b",
    re.IGNORECASE,
)
_DEGREE_RE = re.compile(
    r"\b(?:bachelor\w*|master\w*|ph\.?\s?d\.?|doctor\w*|doctorate|mba|m\.?b\.?a\.?|b\.?sc\.?|"
    r"m\.?sc\.?|b\.?a\.?|m\.?a\.?|b\.?s\.?|m\.?s\.?|b\.?eng\.?|m\.?eng\.?|b\.?ed\.?|m\.?ed\.?|"
    r"ll\.?b\.?|ll\.?m\.?|j\.?d\.?|m\.?d\.?|b\.?n\.?|bsn|msn|dnp|pharm\.?d|diploma|diplom\w*|"
    r"associate(?:'s)? degree|associate of|a\.?a\.?s\.?|certificate|high school|ged|abitur|"
    r"a-levels?|gcse\w*|hnd|hnc|btec|baccalaur\w*|bac\b|licence|licenciatura|licenciado|"
    r"grado|laurea|magistrale|staatsexamen|ausbildung|apprenticeship|nvq|vocational|"
    r"fachabitur|fachhochschulreife|hochschulreife|matura|mittlere reife|"
    r"bootcamp|degree|postgraduate|undergraduate|graduate diploma|mestrado|maestría|"
    r"doutorado|doctorado|dottorato|máster|carrera universitaria|carrera de|graduação)(?!\w)",
    re.IGNORECASE,
)
_SCORE_RE = re.compile(
    r"(?:\b(?:c?gpa|grade|note|nota|voto|cijfer|abschlussnote|mark)\s*[:=]?\s*"
    r"([0-9]+(?:[.,][0-9]+)?(?:\s*/\s*[0-9]+(?:[.,][0-9]+)?)?))"
    r"|((?:first|upper second|lower second|second)[- ]class(?: honou?rs)?|2[:.][12]|"
    r"summa cum laude|magna cum laude|cum laude|with (?:high )?distinction|with honou?rs|"
    r"mit auszeichnung|sehr gut|110 e lode|110/110)",
    re.IGNORECASE,
)


def strip_bullet(text: str) -> tuple[str, bool]:
    m = BULLET_RE.match(text)
    if m:
        return text[m.end() :].strip(), True
    return text.strip(), False


@dataclass
class WorkEntry:
    title: str | None = None
    company: str | None = None
    location: str | None = None
    dates: DateRange | None = None
    summary: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    below: str | None = None
    """The line right under the date line when it is no bullet, even if the next entry took
    it as its own header: what an entry says it is may be written there."""

    def to_json_resume(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.company:
            out["name"] = self.company
        if self.title:
            out["position"] = self.title
        if self.location:
            out["location"] = self.location
        if self.dates:
            out["startDate"] = self.dates.start.iso()
            if self.dates.end is not None:
                out["endDate"] = self.dates.end.iso()
        if self.summary:
            out["summary"] = " ".join(self.summary)
        out["highlights"] = list(self.highlights)
        return out


@dataclass
class EducationEntry:
    institution: str | None = None
    study_type: str | None = None
    area: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    score: str | None = None
    lines: list[str] = field(default_factory=list)

    def to_json_resume(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.institution:
            out["institution"] = self.institution
        if self.area:
            out["area"] = self.area
        if self.study_type:
            out["studyType"] = self.study_type
        if self.start:
            out["startDate"] = self.start.iso()
        if self.end:
            out["endDate"] = self.end.iso()
        if self.score:
            out["score"] = self.score
        return out


def _words(text: str) -> set[str]:
    return {w.strip(".,()").lower() for w in text.split()}


# German job nouns are compounds ("Teamleiterin", "Vertriebsmitarbeiter",
# "Softwareentwickler"): a long word ending in one of these is a job noun too.
_COMPOUND_TITLE_RE = re.compile(
    r"^[^\W\d_]{3,}(?:leiter|leiterin|mitarbeiter|mitarbeiterin|berater|beraterin|"
    r"entwickler|entwicklerin|referent|referentin|ingenieur|ingenieurin|techniker|"
    r"technikerin|verkäufer|verkäuferin|kaufmann|kauffrau|assistent|assistentin|manager|"
    r"managerin|planer|planerin|monteur|monteurin|schlosser|pfleger|pflegerin|"
    r"sachbearbeiter|sachbearbeiterin|vertreter|vertreterin|elektriker|mechaniker|"
    r"mechanikerin|koordinator|koordinatorin|redakteur|redakteurin|lehrer|lehrerin)$"
)


# Han job nouns, matched anywhere (no word boundaries): engineer, developer, manager,
# intern, director, supervisor, specialist, analyst, designer, architect, consultant,
# assistant, lead, teacher, accountant.
_CJK_TITLE_RE = re.compile(
    r"工程师|开发人员|开发者|经理|实习生|总监|主管|专员|分析师|设计师|架构师|顾问|助理|负责人|"
    r"教师|会计|研究员|技术员|程序员|エンジニア|マネージャー"
)


def _is_title(text: str) -> bool:
    words = _words(text)
    return (
        bool(words & _TITLE_WORDS)
        or any(_COMPOUND_TITLE_RE.match(w) for w in words)
        or bool(_CJK_TITLE_RE.search(text))
    )


# A school or university as an employer; its acronyms in capitals only ("MIT Media Lab",
# "TU München"), never the German "mit" or the French "tu" of a sentence.
_EMPLOYER_SCHOOL_RE = re.compile(
    _INSTITUTION_RE.pattern.replace(
        "iut|insa|tu|eth|epfl|mit|ucla|nyu|", "(?-i:IUT|INSA|TU|ETH|EPFL|MIT|UCLA|NYU)|"
    ),
    re.IGNORECASE,
)


def _is_company(text: str) -> bool:
    words = _words(text)
    return bool(words & _COMPANY_WORDS) or bool(_EMPLOYER_SCHOOL_RE.search(text))


# A leader of dots or an ellipsis that runs a name out to the right margin ("Mahsan
# Co......................"), and the arrows some templates set before a title ("> DEVOPS").
_LEADER_RE = re.compile(r"\s*(?:\.{3,}|…+|(?:\s?\.){4,})\s*$")
_MARKER_RE = re.compile(r"^[>»›→➔➜⇒]+\s*")


def _clean_piece(text: str) -> str:
    text = _MARKER_RE.sub("", _LEADER_RE.sub("", text.strip()))
    cut = text.strip(" ,;:|–—-~()[]/\t")
    if cut.count("(") > cut.count(")") and text.rstrip(" ,;:|–—-~]\t").endswith(")"):
        cut += ")"  # "Engineer Intern (Consultant)" keeps its closing bracket
    return cut


# What a header line says about itself rather than the job: a label ("Position:", "Cargo:"),
# the word of a date ("Agosto", "~ Actualidad"), a town with its province code ("Quarrata
# (PT)", "Osmannoro(FI)").
_FIELD_LABEL_RE = re.compile(
    r"^(?:position|role|title|job title|company|employer|organi[sz]ation|poste|fonction|"
    r"entreprise|employeur|cargo|puesto|empresa|funktion|position|arbeitgeber|firma|"
    r"ruolo|azienda|função|empresa|functie|werkgever|synopsis|duties|responsibilities|"
    r"tasks|aufgaben|missions?|tâches|funciones|logros|achievements|location|lieu|ort|standort|"
    r"ubicaci[oó]n|localiza[cç][aã]o|luogo|sede|plaats|locatie)\s*[:：]\s*",
    re.IGNORECASE,
)
# The label of an entry's date line ("Date: Été 2026 (2 mois)", "Zeitraum: 03/2021").
_DATE_LABEL_RE = re.compile(
    r"^(?:dates?|p[ée]riode|period|zeitraum|fechas?|per[ií]odo|data|datum)\s*[:：]\s*",
    re.IGNORECASE,
)
_TOWN_CODE_RE = re.compile(
    r"^[^\W\d_][^\W\d_' .-]*(?:\s[^\W\d_][^\W\d_' .-]*)?\s?\([A-Z][A-Za-z]\)?$"
)


# A label alone on its line, with the job's title or employer under it.
_ROLE_LABEL_RE = re.compile(
    r"^(?:position|role|job title|title|poste|fonction|cargo|puesto|funktion|position|ruolo|"
    r"função|functie)\s*[:：]$",
    re.IGNORECASE,
)


def _is_date_word(part: str) -> bool:
    """A piece made only of month names or a Present word ("Agosto", "~ Actualidad"): what a
    date left behind, neither title nor employer."""
    text = part.strip("~ .")
    if leading_present(text) == len(text):
        return True
    words = re.findall(r"[^\W\d_]+", text)
    return bool(words) and all(len(w) >= 4 and month_number(w) is not None for w in words)


def _assign_header(entry: WorkEntry, pieces: list[str]) -> None:
    parts: list[str] = []
    line_of: list[int] = []
    for k, piece in enumerate(pieces):
        if piece.rstrip().endswith((":", "：")):
            continue  # a label over text ("Synopsis:", "Position:"): no title, no employer
        piece = _FIELD_LABEL_RE.sub("", piece.strip())
        for part in _SPLIT_RE.split(piece):
            if part.strip().endswith((":", "：")) and len(part.split()) <= 2:
                continue  # a label whose value was the date ("Date:")
            part = _clean_piece(_FIELD_LABEL_RE.sub("", part.strip()))
            # A phone number, a bare date ("8447753719", "10.07.21") or how long the job
            # lasted ("(2 years 2 months)", "6 yrs 5 mos") names nobody.
            if (
                part
                and len(part) > 1
                and _LETTERS_RE.search(part)
                and not _is_date_word(part)
                and not _DURATION_RE.fullmatch(part)
            ):
                parts.append(part)
                line_of.append(k)
    rest: list[str] = []
    joined = "\n".join(pieces)
    skip = -1
    for n, part in enumerate(parts):
        if n == skip:
            continue
        if entry.location is None and _is_town(parts, line_of, n, joined):
            nxt = parts[n + 1] if n + 1 < len(parts) else ""
            if nxt and f"{part}, {nxt}" in joined and _is_region(nxt):
                entry.location, skip = f"{part}, {nxt}", n + 1  # "Moscow, Russia"
            else:
                entry.location = part
            continue
        if entry.location is None and looks_like_location(part) and not _is_title(part):
            # "Perú (Remoto)": the place without what is said about it.
            bare = re.sub(r"\s*\([^)]*\)?$", "", part)
            part = bare if bare and looks_like_location(bare) else part
            entry.location = part
            nxt = parts[n + 1] if n + 1 < len(parts) else ""
            if nxt and f"{part}, {nxt}" in joined and looks_like_location(nxt):
                entry.location, skip = f"{part}, {nxt}", n + 1  # "Dublin, Ireland"
            elif (
                len(rest) >= 2
                and is_country_or_region(part)
                and f"{rest[-2]}, {rest[-1]}, {part}" in joined
                and not _is_title(rest[-2])
                and _is_town_before(rest[-1], part)
            ):
                # "ALBATROS SERVICES, Arequipa, Perú": employer, town, country.
                entry.location = f"{rest.pop()}, {part}"
            continue
        if entry.location is None and _TOWN_CODE_RE.match(part) and not _is_title(part):
            entry.location = part if part.endswith(")") else f"{part})"
            continue
        rest.append(part)
    # A name with a legal form ("IBM Deutschland GmbH", "Acme Ltd") is the employer before
    # a piece that only has a word employers use ("Technical Support Services").
    legal = [p for p in rest if _LEGAL_FORM_RE.search(p) and not _is_title(p)]
    if legal:
        entry.company = legal[0]
    for part in rest:
        if entry.title is None and _is_title(part) and not _is_company(part):
            entry.title = part
        elif entry.company is None and _is_company(part) and not _is_title(part):
            entry.company = part
    if entry.title is None:
        # A piece with a job noun that also reads as an employer ("Junior Full-Stack Software
        # Engineer": "software" is a company word) is still the title next to a plain name.
        titled = [p for p in rest if p != entry.company and _is_title(p)]
        if titled:
            entry.title = titled[0]
    leftovers = [p for p in rest if p not in (entry.title, entry.company)]
    for part in leftovers:
        if entry.title is None:
            entry.title = part
        elif entry.company is None and not _is_title(part):
            entry.company = part  # "Becaria en TPC Match Point": the employer, not "Becaria"
    for part in leftovers:
        if entry.company is None and part != entry.title:
            entry.company = part
    if entry.title and entry.company is None:
        for part in leftovers:
            if part != entry.title:
                entry.company = part
                break


# How long a job lasted, as LinkedIn and many templates print it beside the dates.
_DURATION_RE = re.compile(
    r"(?:\d+(?:[.,]\d+)?\+?\s*(?:måneder|måned|månader|månad|mån|years?|yrs?|y|months?|mos?|mo|m|jahre?n?|monate?n?|mon\.?|"
    r"ans?|mois|años?|anos?|meses|mes|anni|anno|mesi|mese|jaar|jaren|maanden|maand|"
    r"лет|года?|месяц\w*|мес\.?|рок\w*|міс\w*|lat|lata|rok|miesi\w*|yıl|ay|år|mdr|mnd)\.?"
    r"(?:\s*(?:and|und|et|y|e|en|и|і|i|,)?\s*)?)+",
    re.IGNORECASE,
)


_DURATION_AFTER_RE = re.compile(
    rf"\s*[(\[·•|,{DASHES}]?\s*(?:{_DURATION_RE.pattern})\s*[)\]]?", re.IGNORECASE
)


def _is_region(text: str) -> bool:
    """A country or region name ("Russia", "Perú", "TX"): what follows a town."""
    return is_country_or_region(text)


def _is_town(parts: list[str], line_of: list[int], n: int, joined: str) -> bool:
    """parts[n] is a town the world gazetteer knows ("Moscow", "Arequipa") where an entry
    writes its place: before its country or region ("Moscow, Russia"), last on a line after
    the entry's other pieces ("Engineer, Yandex, Moscow"), or alone on its line, with a
    title and an employer elsewhere in the header. A town name that is the entry's only
    employer ("Engineer, Toyota") stays the employer."""
    part = parts[n]
    if looks_like_location(part) or _is_title(part) or _is_company(part):
        return False
    if world_country_of(part) is None:
        return False
    nxt = parts[n + 1] if n + 1 < len(parts) else ""
    if nxt and line_of[n + 1] == line_of[n] and f"{part}, {nxt}" in joined and _is_region(nxt):
        return True
    others = [p for k, p in enumerate(parts) if k != n and not looks_like_location(p)]
    if len(others) < 2:
        return False
    return n + 1 >= len(parts) or line_of[n + 1] != line_of[n]


_LEGAL_FORM_RE = re.compile(
    r"(?<![^\W\d_])(?:(?i:inc|ltd|llc|llp|plc|gmbh|mbh|corp|pvt|pty|ltda|sarl|s\.a|s\.r\.l|"
    r"s\.p\.a|b\.v|n\.v|s\.l|s\.a\.c|e\.v|sp\.\s?z\s?o\.\s?o|ооо|оао|зао|тов)|"
    r"AG|KG|OHG|UG|SA|SAS|SRL|SpA|SPA|BV|NV|Oy|OY|AB|AS|A/S|SL|SAC|GbR|Kft|Co)\.?(?![^\W\d_])"
)


def _is_town_before(name: str, place: str) -> bool:
    """`name` is a town written before its country or region (`place`): a short capitalised
    name with no job or employer word."""
    words = name.split()
    return (
        1 <= len(words) <= 3
        and name[:1].isupper()
        and not _is_title(name)
        and not _is_company(name)
        and len(place.split()) <= 3
        and not any(ch.isdigit() for ch in name)
    )


# A web address set in its own cell beside the title ("https://www.hp.com   Java Developer").
_URL_CELL_RE = re.compile(r"(?:^|\s{2,})(?:https?://|www\.)\S+(?=\s{2,}|$)")


# Words that open the wrapped second line of a sentence, never a title or an employer.
_CONTINUATION_RE = re.compile(
    r"^(?:and|or|the|of|to|with|for|on|by|which|that|as|und|oder|mit|für|et|ou|pour|avec|"
    r"y|con|para|e|com|per|che)\s",
)


def _is_header_like(text: str) -> bool:
    if "@" in text or "://" in text:
        return False  # a referee's or the person's contact line, not a title or employer
    text = _LEADER_RE.sub("", text)
    if _CONTINUATION_RE.match(text) or text.count(",") >= 4:
        return False  # a sentence's second line; a list of tools (".NET, Docker, SQL, ...")
    ends_sentence = text.endswith((".", ";", "。", "；"))
    return 0 < len(text) <= 90 and not ends_sentence and len(text.split()) <= 12


_OPEN_END_RE = re.compile(rf"\s*[{DASHES}]\s*$")


def _leading_date(text: str, *, years: bool = False) -> tuple[PartialDate | None, int] | None:
    """A line that opens with one month-precise date or a Present word and holds no range:
    one cell of a stacked date column ("Enero 2020  TypeScript ...", "Actualmente  ...").
    Returns (date or None for Present, where it ends)."""
    if find_date_ranges(text):
        return None
    end = leading_present(text)
    if end is not None:
        return None, end
    dates = find_dates(text)
    if dates and dates[0][1] == 0 and (years or dates[0][0].month is not None):
        return dates[0][0], dates[0][2]
    return None


def _stacked_range(prev: str, text: str, *, years: bool = False) -> str | None:
    """Two lines that each open with a single date, written as a column of stacked dates
    (end above start, as many templates print them, or start above end): one range line."""
    a, b = _leading_date(prev, years=years), _leading_date(text, years=years)
    if a is None or b is None:
        return None
    (d1, e1), (d2, e2) = a, b
    if d2 is None:
        return None
    rest = " ".join(p for p in (prev[e1:].strip(), text[e2:].strip()) if p)
    if d1 is None:  # Present above a start date
        return f"{text[:e2]} – {prev[:e1]}  {rest}".rstrip()
    k1, k2 = (d1.year, d1.month or 0), (d2.year, d2.month or 0)
    if k1 == k2 or abs(d1.year - d2.year) > 40:
        return None
    first, last = (text[:e2], prev[:e1]) if k1 > k2 else (prev[:e1], text[:e2])
    return f"{first} – {last}  {rest}".rstrip()


_MONTH_START_RE = re.compile(r"^[^\W\d_]{3,9}\.?\s*[-–—]\s*[^\W\d_]{3,9}\.?$")
_DASH_AFTER_RE = re.compile(rf"\s*[{DASHES}]+\s*")


def _open_start(text: str) -> tuple[str, str] | None:
    """A line that opens with a date and a dash but no end ("2021 – eesy-innovation Spain,
    Engineer"): the date column of a layout whose end date sits on the next line.
    Returns (the date with its dash, the rest of the line)."""
    if find_date_ranges(text):
        return None
    dates = find_dates(text)
    if not dates or dates[0][1] != 0:
        return None
    m = _DASH_AFTER_RE.match(text, dates[0][2])
    if m is None or m.end() >= len(text):
        return None
    return text[: dates[0][2]], text[m.end() :].strip()


def _tail(text: str) -> tuple[str, str]:
    """(head, the cell after the last wide gap): "Legal Intern,  Aug 2021-" -> the date cell."""
    head, sep, tail = text.rpartition("  ")
    return (head.rstrip(), tail.strip()) if sep else ("", text.strip())


def _split_tail_range(prev: str, text: str) -> tuple[str, str] | None:
    """A date range broken over the right-hand cells of two lines ("Legal Intern,  Aug 2021-" /
    "Law Dexter  Present", "Human Resource,  May - Jun" / "Aashman Foundation  2021"): the whole
    range goes on the first line, the second keeps its text."""
    head1, tail1 = _tail(prev)
    head2, tail2 = _tail(text)
    if not (head1 and head2 and tail1 and tail2) or len(tail1) > 24 or len(tail2) > 24:
        return None
    if find_date_ranges(tail1) or find_date_ranges(tail2):
        return None
    if not (find_dates(tail1) or _MONTH_START_RE.match(tail1)):
        return None
    if find_dates(tail1) and find_dates(tail2) and not _OPEN_END_RE.search(tail1):
        return None  # two dated items one under the other ("... Sep 2020" / "... Dec 2020")
    joined = f"{tail1} {tail2}"
    ranges = find_date_ranges(joined)
    if not ranges or ranges[0].span[0] > 0 or ranges[0].span[1] < len(joined) - 1:
        return None
    return f"{head1}  {joined}", head2


@dataclass
class _Item:
    text: str
    bullet: bool
    line: TextLine | None = None


def _same_column(a: TextLine | None, b: TextLine | None) -> bool:
    """Two lines that start at the same x: cells of one date column (PDF layout only)."""
    if a is None or b is None or not (a.x1 and b.x1):
        return False
    return a.page == b.page and abs(a.x0 - b.x0) <= 2.5


_LEADING_DASH_RE = re.compile(rf"^[{DASHES}]\s*\S")
# A line that opens with the word ending a range ("bis 03.2015", "to present", "au 06/2019").
_LEADING_TO_RE = re.compile(
    r"^(?:bis|to|till|until|au|à|a|al|hasta|até|tot|fino al?)\s+\S", re.IGNORECASE
)


def _dash_first_end(prev: str, raw: str) -> tuple[str, str] | None:
    """`prev` opens with a lone date and `raw` with a dash and the end date, then text of its
    own or nothing ("Diciembre 2023 Desarrollador Web Freelance" / "~ Actualidad  PatagoniaDev",
    "2022-07  Programista Fullstack" / "- obecnie"): the range goes on the first line, after its
    start; the second keeps its text."""
    m = _LEADING_DASH_RE.match(raw)
    if m is None or find_date_ranges(prev):
        return None
    after = raw[m.end() - 1 :]
    cut = leading_present(after)
    if cut is None:
        dates = find_dates(after)
        cut = dates[0][2] if dates and dates[0][1] == 0 else None
    if cut is None:
        return None
    end = m.end() - 1 + cut
    rest = raw[end:].strip()
    if rest and not raw[end:].startswith("  "):
        return None
    starts = find_dates(prev)
    if not starts or starts[0][1] != 0:
        return None
    e = starts[0][2]
    merged = f"{prev[:e]} {raw[:end].strip()}  {prev[e:].strip()}".rstrip()
    ranges = find_date_ranges(merged)
    if not ranges or ranges[0].span[0] != 0:
        return None
    return merged, rest


def _join_split_dates(lines: list[TextLine]) -> list[_Item]:
    """Lines with bullets stripped, a date range split over two lines joined again:
    "Mar 2021 –" / "Till Date" (a date column), "2021 –" / "actualidad", stacked dates each
    opening its own line ("Actualmente  Desarrollador ..." / "Enero 2020  ..."), also with
    one line of the entry between them when both dates start at the same x."""
    out: list[_Item] = []
    pending: str | None = None
    stack_ok = False  # the previous output line may be the top cell of a stacked date pair
    for line in lines:
        raw = line.text.strip()
        moved = _dash_first_end(out[-1].text, raw) if out and not out[-1].bullet else None
        if moved is not None:
            # "Diciembre 2023  Desarrollador Web" / "~ Actualidad  PatagoniaDev": the range's
            # end opens the next line, before that line's own text.
            out[-1] = _Item(moved[0], False, out[-1].line)
            if moved[1]:
                out.append(_Item(moved[1], False, line))
            pending = None
            stack_ok = False
            continue
        if out and not out[-1].bullet and len(raw) <= 30 and _LEADING_DASH_RE.match(raw):
            # The end of a range on the line under its start, dash first ("Diciembre 2023" /
            # "~ Actualidad", "Mar 2021" / "– Present"): not a bullet, the range's second half.
            joined = f"{out[-1].text} {raw}"
            if len(find_date_ranges(joined)) > len(find_date_ranges(out[-1].text)):
                out[-1] = _Item(joined, False, out[-1].line)
                pending = None
                continue
        if out and not out[-1].bullet and len(raw) <= 30 and _LEADING_TO_RE.match(raw):
            # "von 08.2013" / "bis 03.2015": the end of a range opened on the line above.
            before = find_date_ranges(out[-1].text)
            joined = f"{out[-1].text} {raw}"
            after = find_date_ranges(joined)
            if (
                len(before) == 1
                and before[0].end is None
                and len(after) == 1
                and after[0].end is not None
                and after[0].span[1] >= len(joined.rstrip(" .")) - 1
            ):
                out[-1] = _Item(joined, False, out[-1].line)
                pending = None
                continue
        text, bullet = strip_bullet(line.text)
        if not text:
            continue
        bullet = bullet or line.bullet
        if stack_ok and not bullet:
            stacked = _stacked_range(out[-1].text, text)
            if stacked is not None:
                out[-1] = _Item(stacked, False, out[-1].line)
                pending = None
                stack_ok = False
                continue
        if (
            not bullet
            and len(out) >= 2
            and not out[-2].bullet
            and _same_column(out[-2].line, line)
            and not _same_column(out[-1].line, line)
            and _leading_date(out[-1].text) is None
            and not find_date_ranges(out[-1].text)
        ):
            a, b = _leading_date(out[-2].text), _leading_date(text)
            # Years stack too when the lower one stands alone on its line ("2023  Data
            # Scientist" / "| European Commission" / "2021"); a year that opens a line of
            # text is an entry of its own ("2019 Engineer ..." / ... / "2018 Intern ...").
            years = False
            lone = find_dates(text)
            if (a is None or b is None) and lone and lone[0][2] == len(text):
                a, b = _leading_date(out[-2].text, years=True), _leading_date(text, years=True)
                years = True
            stacked = (
                _stacked_range(out[-2].text[: a[1]], text[: b[1]], years=years) if a and b else None
            )
            if a and b and stacked is not None:
                out[-2] = _Item(f"{stacked}  {out[-2].text[a[1] :].strip()}".rstrip(), False,
                                out[-2].line)  # fmt: skip
                rest = text[b[1] :].strip()
                if rest:
                    out.append(_Item(rest, False, line))
                pending = None
                stack_ok = False
                continue
        if out and not bullet and not out[-1].bullet:
            split = _split_tail_range(out[-1].text, text)
            if split is not None:
                out[-1] = _Item(split[0], False, out[-1].line)
                text = split[1]
                if not text:
                    continue
        if out and not bullet and not out[-1].bullet:
            opened = _open_start(out[-1].text)
            if opened is not None:
                end = leading_present(text)
                if end is None:
                    dates = find_dates(text)
                    if dates and dates[0][1] == 0 and not find_date_ranges(text):
                        end = dates[0][2]
                joined = f"{opened[0]} – {text[:end]}" if end is not None else ""
                if end is not None and find_date_ranges(joined):
                    out[-1] = _Item(f"{joined}  {opened[1]}", False, out[-1].line)
                    rest = text[end:].strip()
                    if rest:
                        out.append(_Item(rest, False, line))
                    pending = None
                    stack_ok = False
                    continue
        stack_ok = not bullet
        if pending is not None:
            joined = f"{pending} {text}"
            # A long line ("Studentischer Mitarbeiter – Institut für ... 12/2024 –") takes
            # only a line that is the end date and nothing else ("02/2025").
            fits = len(pending) <= 40 or (not bullet and _is_lone_date(text))
            if fits and find_date_ranges(joined) and not find_date_ranges(pending):
                out[-1] = _Item(joined, False, out[-1].line)
                pending = None
                continue
            pending = None
        if not bullet and _OPEN_END_RE.search(text) and find_dates(text):
            last = find_dates(text)[-1][2]
            if len(text) <= 40 or _OPEN_END_RE.fullmatch(text[last:]):
                pending = text
        out.append(_Item(text, bullet, line))
    return out


def _is_lone_date(text: str) -> bool:
    """The line is one date or a Present word and nothing else ("02/2025", "heute")."""
    text = text.strip(" .,;")
    if leading_present(text) == len(text):
        return True
    dates = find_dates(text)
    return len(dates) == 1 and dates[0][1] == 0 and dates[0][2] == len(text)


def _body_size(lines: list[TextLine]) -> float:
    sizes = sorted(ln.font_size for ln in lines if ln.font_size and len(ln.text) > 20)
    return sizes[len(sizes) // 2] if sizes else 0.0


def _bullet_anchor(item: _Item, r: DateRange, body_size: float) -> bool:
    """A bulleted line that is an entry's date line, not a date inside an achievement: the
    range opens it ("• 2017-2019 : Master ..."), it is nearly all the line ("· März 2024 -
    August 2025"), or the line is set in larger type than the body text (a heading line)."""
    s, e = r.span
    if s <= 1:
        return True
    rest = _clean_piece(item.text[:s] + " " + item.text[e:])
    if len(rest.split()) <= 2:
        return True
    line = item.line
    return bool(line and body_size and line.font_size >= body_size + 1.5)


def _range_ends_line(text: str, r: DateRange) -> bool:
    return r.span[1] >= len(text.rstrip(" .;")) - 1 and r.span[0] > 0


def _single_date(text: str) -> DateRange | None:
    """A line that opens with one date and holds no range: "2018 Seven Solutions SL, Engineer",
    "Februar 2019". The entry is dated to that year or month alone."""
    if find_date_ranges(text):
        return None
    dates = find_dates(text)
    if len(dates) != 1 or dates[0][1] != 0:
        return None
    d, s, e = dates[0]
    rest = text[e:].strip(" ,;:|–—-")
    if rest and (len(rest.split()) > 16 or (rest[:1].islower() and not _names_job(rest))):
        return None  # "2019 invoices were ..." is a sentence; "2016 eesy GmbH, ..." an entry
    dash = _DASH_AFTER_RE.match(text, e)
    if dash is not None and dash.group(0).strip():
        return DateRange(d, None, (s, dash.end()))  # "06/2022 – Engineer": open, still there
    return DateRange(d, d, (s, e), explicit_end=False)


def _right_cell_date(text: str) -> DateRange | None:
    """A header line whose last cell, after a wide gap, is one date and nothing else
    ("Administrative Assistant   Summer 2022", "Tutor, Self-employed   06/2021")."""
    head, tail = _tail(text)
    if not head or not _is_header_like(head) or find_date_ranges(text):
        return None
    dates = find_dates(tail)
    if len(dates) != 1 or dates[0][1] != 0 or dates[0][2] < len(tail.rstrip(" .")):
        return None
    if find_dates(head) or not _LETTERS_RE.search(head):
        return None
    d = dates[0][0]
    start = len(text) - len(tail)
    return DateRange(d, d, (start, len(text)), explicit_end=False)


_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")
_TRAILING_DASH_RE = re.compile(rf"\s[{DASHES}]\s*$")


def _trailing_date(text: str) -> DateRange | None:
    """An entry line that ends with a dash and one date ("Elektroniker, Stadtwerke Neumünster,
    24534 Neumünster – 05.2023"): a position of that month or year alone."""
    if find_date_ranges(text) or not _is_header_like(text):
        return None
    dates = find_dates(text)
    if not dates:
        return None
    d, s, e = dates[-1]
    if _OPEN_END_RE.fullmatch(text[e:]):
        return DateRange(d, None, (s, len(text)))  # "Consultant  Oct. 2014 –": still there
    if text[e:].strip(" .)"):
        return None
    head = text[:s]
    # "Technology and Strategy, Boulogne, 2023": the employer, its town, the year, commas
    # between them.
    listed = head.rstrip().endswith(",") and head.count(",") >= 2
    if not (_TRAILING_DASH_RE.search(head) or listed or _ends_with_place(head)):
        return None
    if len(head.split()) < 2:
        return None
    return DateRange(d, d, (s, e), explicit_end=False)


# A French department or postal code after a town ("TOULOUSE (31)", "Caumont (09)").
_PLACE_CODE_RE = re.compile(r"\s*\(?\d{2,3}\)?$")
_PLACE_SPLIT_RE = re.compile(rf"\s*[,|{DASHES}]\s+|\s{{2,}}|\.\s+")


def _ends_with_place(head: str) -> bool:
    """The text before a line's last date ends with the entry's place, after its employer:
    "ALFARERIA DEL TURBIO Edo. Lara, Venezuela. 2003", "RTE - TOULOUSE (31) 2025"."""
    head = head.rstrip(" .,;")
    coded = _PLACE_CODE_RE.search(head)
    if coded is not None and coded.start() > 0:
        head = head[: coded.start()]
    pieces = [p for p in _PLACE_SPLIT_RE.split(head) if p.strip()]
    if len(pieces) < 2:
        return False
    place = pieces[-1].strip()
    if len(place.split()) > 3 or _is_title(place) or _is_company(place):
        return False
    if looks_like_location(place) or is_country_or_region(place):
        return True
    # A capitalised name with its department code is a town the gazetteer may not know.
    return coded is not None and place[:1].isupper() and not any(c.isdigit() for c in place)


_LABEL_LINE_RE = re.compile(r"^\s*([^:：]{2,40}?)\s*[:：]\s*\S")


def _is_label_line(text: str) -> bool:
    """A labelled list of the entry above ("Compétences acquises : Autonomie, Rigueur",
    "Skills: Python, SQL", "Sprachen: Deutsch"): the end of that entry's body, never the
    title or employer of the entry under it."""
    m = _LABEL_LINE_RE.match(text)
    if m is None:
        return False
    listed = text[m.end() - 1 :].count(",") >= 2 and not _FIELD_LABEL_RE.match(text)
    if len(m.group(1).split()) <= 3 and listed:
        return True  # "Tech: React, TypeScript, Firebase", "Tools: Jira, Git, Figma"
    hit = match_heading(m.group(1))
    return hit is not None and hit[0] not in ("experience", "projects", "volunteer", "contact")


def parse_work(lines: list[TextLine], *, single_dates: bool = False) -> list[WorkEntry]:
    """Split an experience section into entries anchored on their date ranges.
    With `single_dates`, a line that opens with a lone date ("2018 Acme, Engineer") anchors an
    entry too (for experience sections, where such a date is the entry's date)."""
    items: list[tuple[str, bool, list[DateRange]]] = []
    joined = _join_split_dates(lines)
    body_size = _body_size(lines)
    dated: list[list[DateRange]] = [find_date_ranges(item.text) for item in joined]
    # A dated list item is an achievement of the entry above it, unless it looks like an
    # entry's date line; in a section where no line would anchor an entry then, each job set
    # as a list paragraph ("• Estágio TravelMate: de 02/2018 até 01/2019"), they are the
    # entries.
    found = [
        [] if item.bullet and r and not _bullet_anchor(item, r[0], body_size) else r
        for item, r in zip(joined, dated, strict=True)
    ]
    if not any(found):
        found = dated
    # Jobs set as a list of "• Name  range" lines: where two such lines anchor entries, a
    # third with a longer name ("• Clima Bom Ar-condicionados 02/2024 - 05/2024") does too.
    listed = [
        i
        for i, (item, r) in enumerate(zip(joined, dated, strict=True))
        if item.bullet and r and _range_ends_line(item.text, r[0])
    ]
    if sum(1 for i in listed if found[i]) >= 2:
        for i in listed:
            s, e = dated[i][0].span
            rest = _clean_piece(joined[i].text[:s])
            if not found[i] and len(rest.split()) <= 5 and not re.search(r"[\d%.:]", rest):
                found[i] = dated[i]
    # Lone dates anchor entries only in a section whose other entries carry ranges written
    # the same way (a moderncv column "2018 - 2021" / "2018"), never on their own.
    kinds = {(r[0].start.month is None) for r in found if r and r[0].span[0] <= 1}
    if not kinds and single_dates and not any(found):
        # No range anywhere: two lines or more that open with a lone date of one kind
        # ("2017 ASEM High-Level Forum, Qingdao" / "2016 Global Ocean Summit") are the entries.
        singles = [_single_date(item.text) for item in joined if not item.bullet]
        shapes = {(d.start.month is None) for d in singles if d is not None}
        if sum(1 for d in singles if d is not None) >= 2 and len(shapes) == 1:
            kinds = shapes
    # Ranges set in a right-hand cell ("Web Developer   Jan 2018 - Jan 2022"): a lone date
    # in that cell ("Administrative Assistant   Summer 2022") dates its entry too.
    right_cells = sum(
        1
        for item, r in zip(joined, found, strict=True)
        if r
        and r[0].span[1] >= len(item.text.rstrip(" ."))
        and "  " in item.text[: r[0].span[0] + 1]
    )
    for item, ranges in zip(joined, found, strict=True):
        if not ranges and single_dates and not item.bullet:
            ending = _trailing_date(item.text)
            if ending is None and right_cells >= 2:
                ending = _right_cell_date(item.text)
            if ending is not None:
                ranges = [ending]
        labelled = _DATE_LABEL_RE.match(item.text)
        if not ranges and single_dates and not item.bullet and labelled:
            # "Date: Été 2026 (2 mois)  Location: Toulouse": the label says it is the date.
            lone = _single_date(item.text[labelled.end() :])
            if lone is not None:
                s, e = lone.span
                cut = labelled.end()
                ranges = [DateRange(lone.start, lone.end, (s + cut, e + cut), lone.explicit_end)]
        if not ranges and single_dates and kinds:
            lone = _single_date(item.text)
            # A line that is one date and nothing else ("· 2016" under a title, among
            # "· März 2021 – August 2023") dates its entry, month or not.
            alone = lone is not None and _is_lone_date(item.text)
            if (
                lone is not None
                and ((lone.start.month is None) in kinds or alone)
                and (not item.bullet or lone.span[1] >= len(item.text) - 1)
            ):
                ranges = [lone]
        items.append((item.text, item.bullet and not ranges, ranges))
    anchors = [i for i, (_, _, r) in enumerate(items) if r]
    if not anchors:
        return []
    entries: list[WorkEntry] = []
    claimed: set[int] = set()
    starts: list[int] = []
    # Every date line opens with its date and goes on with the entry's words ("May 2016 -
    # Aug 2016 Computer Technician,"): a date column; lines above a date belong to the entry
    # before it.
    opens_with_date = all(
        items[i][2][0].span[0] == 0 and _LETTERS_RE.search(items[i][0][items[i][2][0].span[1] :])
        for i in anchors
    )
    for idx in anchors:
        start = idx
        # Header lines just above the date line (title / company on their own lines), unless
        # the section's first entry opens with its date line: then the lines under a date
        # line are its title and employer, not the next entry's.
        first = anchors[0]
        date_first = (
            bool(starts)
            and starts[0] == first == 0
            and (
                (
                    first + 1 < len(items)
                    and first + 1 not in anchors
                    and not items[first + 1][1]
                    and _is_header_like(items[first + 1][0])
                )
                or opens_with_date
            )
        )
        # An employer's total tenure on a line of its own ("Adtraction" / "2 år 7 måneder" /
        # "UX Engineer" / dates, as LinkedIn prints several roles at one employer) is passed
        # over: the employer's name above it is still the entry's.
        reach = 2 + sum(
            1 for k in (idx - 1, idx - 2) if k >= 0 and _DURATION_RE.fullmatch(items[k][0].strip())
        )
        for back in () if date_first else range(1, reach + 1):
            j = idx - back
            if j < 0 or j in claimed or j in anchors or items[j][1]:
                break
            if not _is_header_like(items[j][0]) or _is_label_line(items[j][0]):
                break
            if entries and j <= starts[-1]:
                break
            if any(_ROLE_LABEL_RE.match(items[k][0]) for k in range(j - 2, j) if k >= 0):
                break  # "Position:" under the date above: its title and employer follow it
            # The previous entry's body ends with bullets or sentences; a short line right
            # after bullets belongs to the next entry only if it is not a sentence.
            start = j
        starts.append(start)
        claimed.update(range(start, idx + 1))
        entries.append(WorkEntry())
    for n, (entry, start, idx) in enumerate(zip(entries, starts, anchors, strict=True)):
        end = starts[n + 1] if n + 1 < len(starts) else len(items)
        text, _, ranges = items[idx]
        entry.dates = ranges[0]
        s, e = ranges[0].span
        after = text[e:]
        lasted = _DURATION_AFTER_RE.match(after)
        if lasted is not None:
            after = after[lasted.end() :]  # "Nov 2012 - Dec 2014 (2 years 2 months)"
        remainder = _clean_piece(text[:s] + "  " + after)
        header = [items[j][0] for j in range(start, idx)]
        if remainder:
            header.append(remainder)
        body_start = idx + 1
        if body_start < len(items) and not items[body_start][1] and body_start not in anchors:
            entry.below = items[body_start][0]
        # Title/company lines right below the date line, after a "Position:" label.
        if body_start < end and _ROLE_LABEL_RE.match(items[body_start][0]):
            body_start += 1
        while body_start < end and len(header) < 3 and not items[body_start][1]:
            cand = _URL_CELL_RE.sub("  ", items[body_start][0]).strip()
            if not cand:
                break
            if not _is_header_like(cand) or _is_label_line(cand) or len(header) >= 2:
                break
            header.append(cand)
            body_start += 1
        entry.header = header
        _assign_header(entry, header)
        for j in range(body_start, end):
            text_j, bullet_j, _ = items[j]
            if bullet_j:
                entry.highlights.append(text_j)
            elif entry.highlights and not text_j[:1].isupper():
                entry.highlights[-1] += " " + text_j  # wrapped bullet line
            elif entry.summary and not entry.summary[-1].endswith((".", "!", "?")):
                entry.summary[-1] += " " + text_j
            else:
                entry.summary.append(text_j)
    return entries


_INTERNSHIP_RE = re.compile(
    r"\b(?:intern|interns|internship|trainee|traineeship|praktikum|praktikant\w*|werkstudent\w*|"
    r"working student|stage|stagiaire|stagista|tirocinio|becari[oa]|pr[aá]cticas|estagi[aá]ri[oa]|"
    r"est[aá]gio|stagiair|co-?op|summer (?:student|analyst|associate)|student assistant|"
    r"teaching assistants?|(?<!doctoral )(?<!postdoc )research assistants?|graduate assistants?|"
    r"apprentice\w*|ausbildung|auszubildende\w*|azubi|"
    r"practicum|clinical rotation|rotation|clinical placement|placement|berufspraktikum|"
    r"pflichtpraktikum|alternan(?:ce|t)|summer school|praxissemester|praxisphase|"
    r"projektarbeit|studienarbeit|forschungsprojekt|student project|"
    r"projet de fin d'[eé]tudes|trabajo de fin de grado|tutorato|"
    r"實習|实习)(?!\w)",
    re.IGNORECASE,
)
_PART_TIME_RE = re.compile(
    r"\b(?:part[- ]time|teilzeit|temps partiel|medio tiempo|media jornada|tempo parziale|"
    r"meio per[ií]odo|deeltijd|minijob|freelance|freiberuflich|volunteer\w*|ehrenamt\w*|"
    r"b[eé]n[eé]vol\w*|voluntari[oa]|seasonal|weekend|summer job|兼职|aushilfe\w*|nebenjob|"
    r"studentische hilfskraft|hilfskraft|per diem|prn|job [eé]tudiant|jobs? d'[eé]t[eé]|"
    r"trabajo de verano|studentische[rn]? (?:mitarbeiter\w*|aushilf\w*|kraft)|aushilfs\w*|hiwi|"
    r"student (?:worker|employee|job)|studentenjob|fsj|fö?j|bfd|freiwilligendienst|"
    r"freiwilliges (?:soziales|ökologisches) jahr|bundesfreiwilligendienst|service civique|"
    r"babysit\w*|baby-sitt\w*|nanny|au[- ]pair|tutor|tutoring|private tuition|nachhilfe\w*|"
    r"cours particuliers|clases particulares|aulas particulares|ripetizioni|bijles|"
    r"collaborazione studentesca|nebenbei|nebenjob\w*)(?!\w)",
    re.IGNORECASE,
)


# Unpaid work for a cause: listed among jobs, but no professional experience.
_VOLUNTEER_RE = re.compile(
    r"\b(?:volunteer\w*|ehrenamt\w*|b[eé]n[eé]vol\w*|voluntari[oa]s?|voluntariado|"
    r"volontari[oa]|volontariato|vrijwillig\w*|fsj|fö?j|bfd|freiwilligendienst|"
    r"bundesfreiwilligendienst|freiwilliges (?:soziales|ökologisches) jahr|service civique)(?!\w)",
    re.IGNORECASE,
)
_WORK_STUDY_RE = re.compile(
    r"\b(?:apprentice\w*|apprentissage|alternan(?:ce|t|te)|ausbildung|auszubildende\w*|"
    r"dual\w* (?:student|studium)|duales studium|work[- ]study|contrat pro\w*|formaci[oó]n dual)",
    re.IGNORECASE,
)


def is_work_study(entry: WorkEntry) -> bool:
    """An apprenticeship or work-study contract (alternance, Ausbildung): employment alongside
    school, which counts as experience even though the person is studying."""
    text = " ".join([*(entry.header or []), entry.title or "", entry.company or ""])
    return bool(_WORK_STUDY_RE.search(text))


def work_weight(entry: WorkEntry) -> float:
    """How much a position counts toward years of experience: internships, apprenticeships,
    student jobs and part-time work count half, memberships and volunteering (a voluntary
    service year included) nothing, full-time positions in full."""
    text = " ".join([*(entry.header or []), entry.title or "", entry.company or ""])
    if is_membership(entry) or _VOLUNTEER_RE.search(text):
        return 0.0
    if _INTERNSHIP_RE.search(text) or _PART_TIME_RE.search(text):
        return 0.5
    return 1.0


_SCHOOL_RE = re.compile(
    r"\b(?:class\s+(?:[xvi]+|\d+)|grade\s+\d+|high school|public school|secondary school|"
    r"lycée|lycee|gymnasium|gymnasie\w*|studentereksamen|realschule|gesamtschule|colegio|"
    r"instituto|liceo|escola|thesis|dissertation|masterarbeit|bachelorarbeit|diplomarbeit|abschlussarbeit|th[eè]se|"
    r"studienarbeit|"
    r"tesis|tesi|coursework|semester|exchange student|erasmus|(?<!duales )studium|"
    r"fachoberschule|berufsfachschule|\w+-schule|maturit[àa]|"
    r"中学|高中|大学|学院|本科|硕士|博士)\b",
    re.IGNORECASE,
)


# Job names that contain a degree word: "Scrum Master", "Master Electrician", "master data".
_NOT_A_DEGREE_RE = re.compile(
    r"\b(?:scrum|web|quarter|head|post|ship|band|dungeon|grand|concert|yard)\s*master\b|"
    r"\bmaster\s+(?:electrician|plumber|carpenter|craftsman|technician|data|planner|scheduler|"
    r"chef|mechanic|trainer|black ?belt)\b",
    re.IGNORECASE,
)


# Han text has no word boundaries: these are matched anywhere (degree, bachelor, master's
# student, high school, middle school).
_CJK_STUDY_RE = re.compile(r"学位|学士|本科|硕士|博士在读|高中|中学|毕业设计")


def is_study_period(entry: WorkEntry) -> bool:
    """A dated entry that is a degree or school, not a job ("BSc Economics, Bristol 2014-2017")."""
    text = _NOT_A_DEGREE_RE.sub(" ", " ".join(entry.header or []))
    # A post-doctoral researcher ("Post-doctorante", "Postdoctoral Fellow") holds a job.
    text = _POSTDOC_RE.sub("postdoc", text)
    # "Studium zum Wirtschaftsingenieur": the job studied for is no job held.
    if _is_title(_STUDY_GOAL_RE.sub("studium", text)):
        return False
    return bool(_DEGREE_RE.search(text) or _SCHOOL_RE.search(text) or _CJK_STUDY_RE.search(text))


_POSTDOC_RE = re.compile(r"\bpost[- ]?doc\w*", re.IGNORECASE)
_STUDY_GOAL_RE = re.compile(r"\bstudium\s+(?:zum|zur|als)\s+\S+", re.IGNORECASE)


_THESIS_RE = re.compile(
    r"\b(?:thesis|dissertation|masterarbeit|bachelorarbeit|diplomarbeit|abschlussarbeit|th[eè]se|"
    r"studienarbeit|"
    r"tesis|tesi|tese|scriptie|毕业设计|论文)",
    re.IGNORECASE,
)


# Clinical rotations and practicums are courses of a nursing or medical degree, taken in turn
# on the wards ("ICU Clinical Rotation, Parkland Hospital", "Senior Nursing Practicum").
_ROTATION_RE = re.compile(
    r"\b(?:clinical rotations?|rotation|practicum|clinical placement|famulatur|"
    r"stage hospitalier|pr[aá]cticas cl[ií]nicas)\b(?!\s*(?:program|programme|scheme))",
    re.IGNORECASE,
)


def is_schooling(entry: WorkEntry) -> bool:
    """A dated degree or school year listed among jobs ("Class XI, DAV Public School 2015 -
    2017"): education, not a position. A thesis written at a company or lab stays a position
    (it is work there), though it does not count toward years of experience."""
    title = entry.title or (entry.header[0] if entry.header else "")
    if _ROTATION_RE.search(title):
        return True
    return is_study_period(entry) and not _THESIS_RE.search(" ".join(entry.header or []))


_COURSE_RE = re.compile(
    r"(?<![^\W\d_])(?:\w*kurs|\w*kurse|weiterbildung\w*|fortbildung\w*|umschulung|lehrgang|"
    r"\w*zertifikat|courses?|curso|cursos|cours|corso|certificat\w*|certificado|bootcamp|mooc|"
    r"online training)(?![^\W\d_])",
    re.IGNORECASE,
)


def is_course(entry: WorkEntry) -> bool:
    """A dated course, further training or certificate listed among jobs ("Weiterbildung zur
    KI-Managerin (IHK)", "Intensivierungskurs: Power BI Data Analyst", "Curso de Inglés"):
    learning, not a position. A course word opens the entry's title, or the title has no job
    noun ("Course Instructor" and "Kursleiterin" stay jobs), and nothing else in the entry
    names a job or an employer other than a school ("..., Muster GmbH" is a job). A title
    that opens with a course word and names no job is a course wherever it was taken
    ("Weiterbildung im Bereich IT, Techstarter GmbH": a training company)."""
    title = entry.title or (entry.header[0] if entry.header else "")
    m = _COURSE_RE.search(title)
    if m is None or not (m.start() == 0 or not _is_title(title)):
        return False
    opens = m.start() == 0 and not _is_title(title)
    lines = [*entry.header, *([entry.below] if entry.below else [])]
    pieces = {_clean_piece(p) for line in lines for p in _SPLIT_RE.split(line)}
    pieces = {p for p in pieces if p and not _COURSE_RE.search(p)}
    if any(_is_title(p) for p in pieces):
        return False
    employers = {p for p in pieces if _is_company(p) and not _INSTITUTION_RE.search(p)}
    if not opens:
        return not employers
    # The course's provider alone ("Techstarter GmbH München") leaves it a course; an
    # employer with a role beside it ("Stellvertretende Leitung, Muster GmbH") is a job.
    others = pieces - employers - {p for p in pieces if looks_like_location(p)}
    return not (employers and others)


# What a dated line under an experience heading may be without being a job: a grant or
# scholarship, a membership, an event taken part in (workshop, summer school, contest,
# conference, a students' research programme).
_NON_JOB_RE = re.compile(
    r"(?<![^\W\d_])(?:\w*stipendi(?:um|en|at\w*)|scholarships?|bourses? d'[ée]tudes?|"
    r"borsa di studio|bolsas? de estudos?|programa de bolsas?|"
    r"(?:summer |winter |spring )?workshops?|(?:summer|winter|spring) schools?|sommerschule|"
    r"sommerakademie|[ée]cole d'[ée]t[ée]|escuela de verano|scuola estiva|conferences?|"
    r"\w*konferenz|congress|\w*kongress|hackathons?|competitions?|contests?|olympiads?|"
    r"olympiade|\w*wettbewerb|concours|concurso|research (?:[^\W\d_]+ )?program(?:me)?|"
    r"babypause|elternzeit|familienzeit|erziehungszeit|parental leave|maternity leave|"
    r"paternity leave|career break|sabbatical|cong[ée] parental|cong[ée] maternit[ée]|"
    r"excedencia|licen[çc]a maternidade|congedo parentale|ouderschapsverlof)"
    r"(?![^\W\d_]|-[^\W\d_])",
    re.IGNORECASE,
)
_MEMBER_RE = re.compile(
    r"(?<![^\W\d_])(?:(?<!board )(?<!staff )(?<!team )(?<!faculty )(?<!crew )(?<!cast )"
    r"members?|membership|\w*mitglied\w*|membre|miembro|membro)(?![^\W\d_])",
    re.IGNORECASE,
)
# Nouns that take part in something without making it a job: "Student Research Program".
_PARTICIPANT_WORDS = frozenset({"student", "students", "participant", "member", "volunteer"})


def is_non_job(entry: WorkEntry) -> bool:
    """A dated grant, event or career break listed among jobs ("DAAD Jahresstipendium",
    "Summer Workshop in Applied Mathematics", "Babypause"): not a position, unless a piece
    of its header names a job ("Workshop Instructor" stays one)."""
    pieces = [_clean_piece(p) for line in entry.header for p in _SPLIT_RE.split(line)]
    pieces = [p for p in pieces if p]
    if not any(_NON_JOB_RE.search(p) for p in pieces):
        return False
    return not any(_words(p) & (_TITLE_WORDS - _PARTICIPANT_WORDS) for p in pieces)


def is_membership(entry: WorkEntry) -> bool:
    """A dated membership listed among jobs ("Euclid Member", "Mitglied im Alumni-Netzwerk"):
    kept as an entry, as the CV lists it, but no time at work ("Board Member" is a role)."""
    pieces = [_clean_piece(p) for line in entry.header for p in _SPLIT_RE.split(line)]
    pieces = [p for p in pieces if p]
    if not any(_MEMBER_RE.search(p) for p in pieces):
        return False
    return not any(_words(p) & (_TITLE_WORDS - _PARTICIPANT_WORDS) for p in pieces)


def is_doctorate(entry: WorkEntry) -> bool:
    """A doctorate listed among jobs ("Thèse de doctorat, Agrocampus Ouest"): a research
    position (often a doctoral contract), counted as experience, unlike a bachelor's or
    master's thesis."""
    return bool(_DOCTORATE_RE.search(" ".join(entry.header or [])))


_DOCTORATE_RE = re.compile(
    r"(?<![^\W\d_])(?:th[eè]se de doctorat|doctora(?:l|te|do)|ph\.?\s?d\.?|dottorato|doutorado|"
    r"doktorarbeit|promotion(?:sstudium)?|doktorand\w*|dissertation)(?![^\W\d_])",
    re.IGNORECASE,
)


def names_role(entry: WorkEntry) -> bool:
    """The entry names a job ("Legal Intern") or an employer ("LNS Associates", "District
    Court") somewhere in its header lines."""
    return any(_names_job(line) for line in entry.header)


def _names_job(text: str) -> bool:
    pieces = [_clean_piece(p) for p in _SPLIT_RE.split(text)]
    return any(p and (_is_title(p) or _is_company(p)) for p in pieces)


# Secondary school, in the words CVs use for it; a university or degree word makes it study.
_SECONDARY_RE = re.compile(
    r"\b(?:high school|secondary school|middle school|public school|grammar school|"
    r"sixth form|gymnasium|realschule|gesamtschule|hauptschule|grundschule|oberschule|"
    r"fachoberschule|\w+-schule|abitur|fachabitur|fachhochschulreife|mittlere reife|matura|"
    r"lycée|lycee|collège|baccalauréat|bachillerato|liceo|diploma di maturità|ensino médio|"
    r"ensino medio|a-levels?|gcse|maturit[àa]|class (?:x|xi|xii|ix)\b|高中|初中)",
    re.IGNORECASE,
)
_HIGHER_RE = re.compile(
    r"\b(?:universit\w*|hochschule|fachhochschule|college|bachelor\w*|master\w*|ph\.?d|"
    r"licence|licenciatura|laurea|degree|b\.?sc|m\.?sc|diplom\b|diplom-)",
    re.IGNORECASE,
)


def school_period(entry: EducationEntry) -> DateRange | None:
    """The dates of a secondary-school entry ("2014-2020 Elisabethenschule (Realschule)"): time
    at school, whose side jobs and volunteering are no professional experience."""
    if entry.start is None:
        return None
    text = " ".join(entry.lines)
    if not _SECONDARY_RE.search(text) or _HIGHER_RE.search(text):
        return None
    return DateRange(entry.start, entry.end, (0, 0))


def work_ranges(entries: list[WorkEntry]) -> list[DateRange]:
    return [e.dates for e in entries if e.dates is not None]


def fallback_ranges(lines: list[TextLine]) -> list[DateRange]:
    """Date ranges of a CV without a recognised experience section, minus education lines."""
    out: list[DateRange] = []
    for line in lines:
        if _INSTITUTION_RE.search(line.text) or _DEGREE_RE.search(line.text):
            continue
        out.extend(find_date_ranges(line.text))
    return out


def today_or(today: date | None) -> date:
    return today or date.today()
