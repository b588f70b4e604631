"""Education entries: which degree, at which school, when.

An education section is read as blocks. A block opens on a line that brings a date when the
block already has one, or a degree or school when the block already has that; a line that
ends with a comma, a bullet, or a line with neither is part of the block above. Each block is
then cut into parts (commas, bars, wide gaps) and the parts are told apart by what they say:
a degree ("Bacharel em Ciências da Computação", "Licence 2", "本科"), a school ("Universidad
de Almería", "IES Celia Viñas", "FH OÖ" after a degree), or a place, which is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resumate.ai.contact import looks_like_location
from resumate.ai.dates import DateRange, PartialDate, find_date_ranges, lone_dates
from resumate.ai.documents import TextLine
from resumate.ai.entries import (
    _DEGREE_RE,
    _SCORE_RE,
    EducationEntry,
    WorkEntry,
    _join_split_dates,
    is_study_period,
)
from resumate.ai.sections import Section, match_heading

# Degrees, diplomas and school levels beyond the ones work entries also check (`_DEGREE_RE`):
# words that name a level of schooling in an education section but would name a job elsewhere
# ("Técnico en ..." is a diploma here, a technician in a work section).
_EDU_DEGREE_RE = re.compile(
    r"(?<!\w)(?:bacharel\w*|licenciad[oa]s?|t[eé]cnic[oa](?:\s+(?:superior|universitario|"
    r"en|em|de|medio|profesional))?|tecnicatura|tecn[oó]log[oa]|tecnologia em|"
    r"ensino\s+(?:m[eé]dio|fundamental|superior|t[eé]cnico|b[aá]sico|secund[aá]rio|prim[aá]rio)|"
    r"ense[nñ]anza\s+(?:media|b[aá]sica|secundaria)|educaci[oó]n\s+(?:secundaria|media|b[aá]sica)|"
    r"bachiller\w*|secundaria|preparatoria|posgrado|p[oó]s-gradua[cç][aã]o|especializa[cç][aã]o|"
    r"especializaci[oó]n|diplomado|ingenier[ií]a|engenharia|ingegneria|ing[eé]nieur\w*|"
    r"dipl[oô]me|dipl\.-?\s?\w+|brevet|bfem|cfee|bts|dut|deug|dea|dess|doctorant\w*|doctorat|"
    r"th[eè]se de doctorat|licence\s+\d|master\s+[12]|[ml][1-3]|cpge|classes?\s+pr[eé]paratoires?|"
    r"pr[eé]pa\b|cycle\s+ing[eé]nieur|grandes?\s+[eé]coles?|studium|magister\w*|"
    r"\w*fachwirt\w*|\w*betriebswirt\w*|kauf(?:frau|mann)\s+f[uü]r|lehre\b|meister\w*|"
    r"techniker\w*|\w+ingenieur(?:in)?|"
    r"\w*schulabschluss|fachoberschulreife|allgemeinbildung|integrationskurs|weiterbildung|"
    r"umschulung|laurea|maturit[àa]|doktor\w*|(?<![^\W\d_]\s)promotion|propedeuse|"
    r"havo|vwo|mbo|hbo|aso|tso|"
    r"бакалавр\w*|магистр\w*|магістр\w*|специалист\w*|аспирант\w*|диплом\w*|"
    r"exchange\s+(?:semester|program\w*|student|year)|semestre\s+d'[eé]change|erasmus|"
    r"intercambio|mooc'?s?|bootcamp|online course|certificat\w*|zertifikat|"
    r"high school|matric\w*|class\s+(?:x{1,2}i{0,2}|ix|\d{1,2})\b|a-levels?|gcse\w*|"
    r"batchelor\w*|graduad[oa]\s+en|estudiante\s+de|(?-i:AA|A\.A\.|A\.S\.|ESO|STX|HHX|HTX)|"
    r"vmbo|in[zż]ynier\w*|licencjat|lisans|[öo]nlisans|gymnasieeksamen|studentereksamen|"
    r"cfg[ms]|batxillerat|educaci[óo]\s+secund[àa]ria|grau\s+en)(?!\w)"
    r"|本科|专科|大专|硕士|博士|学士|研究生|高中",
    re.IGNORECASE,
)
# Schools beyond `_INSTITUTION_RE`: the words other languages and systems use, and the
# online course platforms CVs list among their education.
_EDU_SCHOOL_RE = re.compile(
    r"(?<!\w)(?:facul(?:dade|tad|t[eé]|ty)|col[eé]gio|coll[eè]ge|liceo|liceu|lyz[eä]um|lyceum|"
    r"ies|etec|fatec|senai|sesi|iut|inp|(?-i:ENS[A-Z]*)|centro\s+(?:de|universit)\w*|instituto|"
    r"instituut|campus|ihk|fh|htw\w*|htbla|hak|hbla|htl|gymnas\w*|univ\.|acad[eé]mie|"
    r"academia|accademia|akademia|uniwersytet\w*|politechni\w*|szko[lł]\w*|liceum|"
    r"[üu]niversite\w*|lisesi|fak[üu]lte\w*|y[üu]ksekokul\w*|"
    r"университет\w*|институт\w*|колледж\w*|школ\w*|лице\w*|гимнази\w*|академи\w*|"
    r"університет\w*|інститут\w*|"
    r"udemy|coursera|edx|alura|openclassrooms|codecademy|datacamp|linkedin learning|"
    r"\w+(?:school|schule|skola|skole|college))(?!\w)"
    r"|(?:大学|学院|学校|中学|高中)",
    re.IGNORECASE,
)
_AREA_RE = re.compile(
    r"^(?P<type>.*?)\s+(?:in|of|en|in der|im|em|di|in de|de)\s+(?P<area>.+)$", re.I
)
# "Schwerpunkt: Industrielle Informatik", "Relevant coursework: ...", "mention Très Bien": a
# detail of the entry above, never its degree or school.
_DETAIL_RE = re.compile(
    r"^(?:[^:：]{2,40}[:：]|mention\b|note\b|grade\b|gpa\b|thesis\b|th[eè]se\b|tesis\b|"
    r"tesi\b|titolo\b|masterarbeit\b|bachelorarbeit\b|relevant\b|courses?\b|coursework\b|"
    r"(?:bachelor|master|diploma|doctoral|ph\.?d\.?)(?:'s|’s)?\s+(?:thesis|dissertation|project)\b|"
    r"modules?\b|voto\b|relatore\b|supervis\w*|advis\w*|betreu\w*|directeur\b|"
    r"directora?\b|orientador\w*|promotor\b|thema\b|topic\b|data di\b|geboren\b|born\b|"
    r"n[ée]e?\b|nacid[oa]\b|nascid[oa]\b|awarded\b|honou?rs\b|activities\b|subjects?\b|"
    r"financ\w*|funded\b|gef[öo]rdert\b|scholarship\b|bourse\b|beca\b|stipendium\b|"
    r"(?:page|seite|p[aá]gina)\s+\d+\s+(?:of|von|de|sur)\s+\d+\s*$)",
    re.IGNORECASE,
)
# A label that is itself a level of study: "Ensino Superior: Bacharel em ...".
_DEGREE_START_RE = re.compile(
    r"^(?:(?:ensino|ense[nñ]anza|educaci[oó]n|formation|formação|formación|degree|diploma|"
    r"master|bachelor|licence|licenciatura|grado|laurea|abschluss|studium)\b"
    r"(?![^:：]*\b(?:thesis|dissertation|project|arbeit)\b)[^:：]{0,25}[:：]|"
    r"th[eè]se de doctorat\b|tesis doctoral\b|tese de doutorado\b)",
    re.IGNORECASE,
)
# A label of a thesis or of a person ("Diploma thesis: ...", "PhD supervisor Prof. G: Marsella"):
# a detail, whatever it says.
_DETAIL_LABEL_RE = re.compile(
    r"supervis|advis|betreu|directeur|director|orientador|relatore|promotor|tutor|thesis|"
    r"dissertation|th[eè]se|tesis|tesi\b|m[eé]moire|arbeit\b|project|课程|排名|成绩|"
    r"\bnota\b|\bnote\b|\bgrade\b|\bgpa\b|moyenne|durchschnitt|trabajo (?:fin|final)",
    re.IGNORECASE,
)
# A line that says how the entry above ended ("Abschluss Juni 2026", "Graduated with
# honours", "Expected graduation: May 2026"): it goes on with that entry.
_ENDS_ENTRY_RE = re.compile(
    r"^(?:abschluss|abgeschlossen\w*|graduated|graduation|expected|obtention|obtenu\w*|"
    r"mention|concluído|concluido|completed|matriculated|passed)\b",
    re.IGNORECASE,
)
# Words a wrapped line breaks after ("Grado en Ing. Geomática y" / "Topografía"): the next
# line goes on with it.
_OPEN_END_RE = re.compile(
    r"(?:\s(?:of|and|in|for|the|de|del|la|las|los|el|en|y|e|em|da|do|das|dos|du|des|et|"
    r"di|della|delle|degli|für|und|der|die|das|im|zum|zur|van|het|voor|mention|"
    r"sp[ée]cialit[ée]|option|specialization|specialisation)|[-‐])$",
    re.IGNORECASE,
)
# The header row of a table of studies ("Period  School  Major  Degree  GPA", "时间 学校 专业").
_COLUMN_NAME_RE = re.compile(
    r"^(?:period|dates?|years?|time|school|institution|university|major|subject|field|degree|"
    r"qualification|gpa|grade|score|level|location|zeitraum|schule|abschluss|note|fach|"
    r"période|école|diplôme|periodo|escuela|título|titulo|período|escola|curso|"
    r"时间|学校|专业|学历|学位|成绩|院校|起止时间)$",
    re.IGNORECASE,
)
_CONTACT_PART_RE = re.compile(
    r"@|https?://|www\.|^\(?\+?\d[\d\s()./-]{6,}\d$|\(\+?\d{1,4}\)\s*\d", re.IGNORECASE
)
_FIELD_LABEL_RE = re.compile(
    r"^(?:escola|school|institui[cç][aã]o|institution|instituci[oó]n|universidad|university|"
    r"[eé]tablissement|schule|hochschule|college|col[eé]gio|faculdade|facultad|centro|instituto|"
    r"curso|course|degree|diploma|abschluss|t[ií]tulo|titre|formação|formación|formation|"
    r"programa?|programme|program|studiengang|studienfach|major|carrera|grado|level|niveau|"
    r"n[ií]vel)$",
    re.IGNORECASE,
)
_LABEL_DEGREE_RE = re.compile(r"^\s*([^:：]{2,40})[:：]\s*(.+)$")
_PART_SPLIT_RE = re.compile(
    r"\s*[|•]\s*|\s+[–—]\s+|\s{2,}|\t|[:：]\s+|(?<=[\u3400-\u9fff])\s*/\s*(?=[\u3400-\u9fff])"
    # A middle dot parts an entry, except inside a name written in Han ("安德烈斯·贝洛大学").
    r"|(?<![\u3400-\u9fff])\s*·\s*|\s*·\s*(?![\u3400-\u9fff])"
)
_COMMA_RE = re.compile(r",(?![^()]*\))")
# A year, with the month written before it in digits ("11/2024"): what a date leaves behind.
_YEAR_RE = re.compile(r"(?:\b\d{1,2}\s?[./]\s?)?\b(?:19|20)\d{2}\b")


def _starts_degree(text: str) -> bool:
    m = _DEGREE_RE.search(text) or _EDU_DEGREE_RE.search(text)
    return m is not None and m.start() == 0


def _is_degree(text: str) -> bool:
    return bool(_DEGREE_RE.search(text) or _EDU_DEGREE_RE.search(text))


# The school words of `_INSTITUTION_RE`, with its acronyms matched in capitals only: "mit" and
# "tu" are words in German and French, MIT and TU are schools.
_SCHOOL_WORDS_RE = re.compile(
    r"\b(?:universit\w*|college|school|institut\w*|academy|akademie|hochschule|fachhochschule|"
    r"école|ecole|escuela|escola|scuola|politecnico|polytechnic|lycée|lycee|gymnasium|"
    r"universidad|universidade|università|hogeschool|universiteit|conservatoire|conservatory|"
    r"seminary|kolleg|berufsschule|\w*schule)\b"
    r"|\b(?-i:IUT|INSA|TU|ETH|EPFL|MIT|UCLA|NYU)\b",
    re.IGNORECASE,
)


def _is_school(text: str) -> bool:
    return bool(_SCHOOL_WORDS_RE.search(text) or _EDU_SCHOOL_RE.search(text))


@dataclass(slots=True)
class _Line:
    text: str
    rest: str  # without dates and grade
    ranges: list[DateRange]
    years: list[PartialDate]
    score: str | None
    bullet: bool
    detail: bool
    degree: bool
    school: bool
    prose: bool = False  # a sentence about the entry, not a part of it
    stop: bool = False  # the heading of another section ("Cursos complementares e ...")
    columns: bool = False  # the header row of a table
    row: bool = False  # a row of a table set with bars ("Ensino médio | 2011 | EE ...")
    place: bool = False  # a town alone
    ends_entry: bool = False  # "Abschluss Juni 2026": how the entry above ended
    open_end: bool = False  # ends with "of", "y", "für": the next line goes on with it

    @property
    def dated(self) -> bool:
        return bool(self.ranges or self.years)


def _read_line(text: str, bullet: bool) -> _Line:
    ranges = find_date_ranges(text)
    years = lone_dates(text, ranges)
    rest = _strip_dates(text, ranges).lstrip("*:;,.-–—•· ")
    score = _SCORE_RE.search(rest)
    if score:
        rest = (rest[: score.start()] + rest[score.end() :]).strip()
    detail = bool(_DETAIL_RE.match(rest)) and not _DEGREE_START_RE.match(rest)
    label = _LABEL_DEGREE_RE.match(rest)
    if label and _FIELD_LABEL_RE.match(label.group(1)):
        # "Escola: [Maria Ana Mogas]", "Curso: ...": a form's label, then the value.
        rest, detail = label.group(2).strip(" []"), False
    elif (
        detail
        and label
        and not _DETAIL_LABEL_RE.search(label.group(1))
        and (
            _is_degree(label.group(2))
            or _is_school(label.group(2))
            or _starts_degree(label.group(1))
            or _is_school(label.group(1))
        )
    ):
        # "Angestrebter Abschluss: Master of Science ...", "Ingeniería Eléctrica: Universidad",
        # "HTWG Konstanz: Environmental technology"
        detail = False
    dated = bool(ranges or years)
    pieces = [p.strip() for p in _PART_SPLIT_RE.split(rest) if p.strip()]
    return _Line(
        text,
        rest,
        ranges,
        years,
        (score.group(1) or score.group(2)).strip() if score else None,
        bullet,
        detail,
        not detail and _is_degree(rest),
        not detail and _is_school(rest),
        prose=not dated and len(pieces) < 3 and _prose(rest),
        stop=not dated and not bullet and _other_heading(rest),
        columns=len(pieces) >= 2 and all(_COLUMN_NAME_RE.match(p) for p in pieces),
        row=text.count("|") >= 2,
        place=bool(rest)
        and (looks_like_location(rest) or bool(_TOWN_CODE_RE.match(rest)))
        and not _names_study(rest),
        # "Matriculated 2020" ends the entry above; "2003-2005 : Obtention DEUG" is one.
        ends_entry=not ranges and bool(_ENDS_ENTRY_RE.match(rest)),
        open_end=bool(_OPEN_END_RE.search(rest)),
    )


_MAX_ENTRY_WORDS = 14
_DATE_START_RE = re.compile(r"^\W*(?:\d{1,2}[./-])?(?:19|20)\d{2}\b")
# A town with its province or department: "Castelvetrano (TP)", "Toulouse (31)".
_TOWN_CODE_RE = re.compile(r"^[^\W\d_][\w'’. -]{1,40}\s*\((?:[A-Z]{2}|\d{2,3})\)$")


def _prose(rest: str) -> bool:
    """A sentence about the entry ("Double degree in management, economics, management
    courses.", "Quite glad I didn't continue ... in PhD ..."): long, or a full sentence, and
    not opening with a degree or a school."""
    words = rest.split()
    if not (len(words) > _MAX_ENTRY_WORDS or (len(words) >= 6 and rest.endswith("."))):
        return False
    return not _starts_degree(rest) and not _starts_school(rest)


def _starts_school(text: str) -> bool:
    m = _SCHOOL_WORDS_RE.search(text) or _EDU_SCHOOL_RE.search(text)
    return m is not None and m.start() == 0


def _other_heading(rest: str) -> bool:
    """A line that heads another section ("Educação Adicional e Certificados", "Andere
    activiteiten"), which the section splitter left inside the studies."""
    if len(rest) > 60 or rest.endswith((".", ",")):
        return False
    first = re.split(r"\s+(?:and|und|et|y|e|en|&)\s+", rest.strip(" :："), maxsplit=1)[0]
    for text in dict.fromkeys((rest.strip(" :："), first)):
        hit = match_heading(text)
        if hit is not None and not hit[1] and hit[0] not in ("education", "header"):
            return True
    return False


_MAX_LINE = 400
_MAX_WRAP = 120  # a wrapped line goes on with the part above only when it is line-sized
_MAX_LINES = 300


def parse_education(lines: list[TextLine]) -> list[EducationEntry]:
    """The entries of an education section, in the order the CV lists them."""
    # An entry line is short: longer text (a pasted paragraph) is read only in part, so that
    # no line costs more than a few milliseconds whatever it holds.
    items = [
        _read_line(item.text.strip()[:_MAX_LINE], item.bullet)
        for item in _join_split_dates(lines[:_MAX_LINES])
    ]
    # Whether a date opens an entry ("2014 - 2016  Master ...", or a date line above it) or
    # closes it (degree, school, then the dates): the first line that says anything tells.
    first = next((ln for ln in items if ln.dated or ln.degree or ln.school), None)
    dates_first = first is not None and first.dated
    # Whether an entry names its degree before its school: then a school line right after
    # the dates is still that entry's ("Laurea ...  2021 – 2024" / "Università di Palermo").
    named = next((ln for ln in items if ln.degree or ln.school), None)
    degree_first = named is not None and named.degree and not named.school
    entries: list[EducationEntry] = []
    parts: list[list[str]] = []  # the text parts of each entry
    cur: EducationEntry | None = None
    has_date = has_degree = has_school = False
    cur_bullet = False
    glued = False  # the line before ended with a comma: this one goes on with it
    cur_row = False
    in_detail = False  # the line before was a detail: its wrapped end is one too
    in_list = False  # under a label that opens a list ("Modules:"): its bullets are details
    prev_unit = False  # the line before named a faculty or a department
    for ln in items:
        if ln.stop and not (in_list or in_detail):
            break  # the studies end where another section's heading stands
        if ln.columns:
            continue
        wrapped = glued or ln.rest[:1].islower()
        listed = in_list and ln.bullet  # "Subjects:" / "• Geography (Level 4)"
        if (
            ln.detail
            or listed
            or (ln.prose and cur is not None)
            or (in_detail and wrapped and not ln.dated)
        ):
            ln.detail, ln.degree, ln.school = True, False, False
        in_detail = ln.detail
        in_list = listed or (cur is not None and ln.detail and ln.rest.endswith((":", "：")))
        if cur is None:
            opens = not ln.detail and (dates_first is False or ln.dated or ln.degree or ln.school)
        elif ln.detail or glued or ln.ends_entry or (_is_unit(ln) and not ln.dated):
            opens = False  # a faculty, a doctoral school: part of the entry above
        elif ln.row and cur_row:
            opens = True  # a table set with bars: each row is an entry
        elif ln.bullet and not cur_bullet:
            # A bullet under an entry is its detail, unless it is an entry of a bulleted list
            # ("* 2013 : BFEM au lycée de ..."). Where the entries are bullets themselves (a
            # Word list), bullets are read like lines.
            opens = (ln.dated and has_date and (ln.degree or ln.school)) or (
                ln.degree and ln.school
            )
        else:
            # Dates closing each entry: the line after them opens the next one, unless it is
            # the place, or the school of an entry that has its degree but no school yet
            # ("Laurea Triennale ...  2021 – 2024" / "Palermo" / "Università degli Studi").
            joins = ln.place or (
                degree_first and ln.school and not ln.degree and has_degree and not has_school
            )
            # A faculty and its university on lines of their own are one school.
            unit = ln.school and (bool(_UNIT_RE.match(ln.rest)) or prev_unit)
            opens = (
                (ln.dated and has_date)
                or (not dates_first and has_date and bool(ln.rest) and not joins)
                or (
                    ln.school
                    and has_school
                    and (not ln.degree or has_degree)
                    and not unit
                    # Where dates open the entries, a school named again under one (its
                    # branch, its town: "GYMNASIUM IN KAMERUN") is that entry's.
                    and not (dates_first and has_date and not ln.degree)
                )
                or (ln.degree and has_degree and (not ln.school or has_school))
                or (ln.bullet and cur_bullet and ln.degree and ln.school and has_degree)
                # A line opening with its date, a degree and a school is an entry of its own
                # ("2022  Educació Secundària Obligatòria  Institut Martí Dot").
                or (ln.degree and ln.school and has_degree and bool(_DATE_START_RE.match(ln.text)))
            )
        # A comma before dates at the end of the line ("IHK Hannover, Handelsfachwirt, 07/2018")
        # ends the line; one at its very end carries it on.
        glued_before, glued = glued, ln.text.rstrip().endswith(",") or ln.open_end
        prev_unit = ln.school and bool(_UNIT_RE.match(ln.rest))
        if opens:
            cur_bullet, cur_row = ln.bullet, ln.row
            cur = EducationEntry()
            entries.append(cur)
            parts.append([])
            has_date = has_degree = has_school = False
        if cur is None:
            continue  # text before the first entry (an intro line)
        cur.lines.append(ln.text)
        has_degree, has_school = has_degree or ln.degree, has_school or ln.school
        has_date = _add_dates(cur, ln) or has_date
        if ln.score and cur.score is None:
            cur.score = ln.score
        if not ln.detail:
            _add_parts(parts[-1], ln.rest, glued_before)
    out: list[EducationEntry] = []
    for entry, pieces in zip(entries, parts, strict=True):
        _read_parts(entry, pieces)
        # An entry names a degree or a school, or has dates: a line on its own that does
        # neither ("Taoyuan", "Page 3 of 3") is not one.
        known = _has_degree(entry) or _has_school(entry)
        parts_named = entry.institution or entry.study_type or entry.area
        if known and parts_named and not any(_repeats(entry, seen) for seen in out):
            out.append(entry)
    return out


def _repeats(entry: EducationEntry, seen: EducationEntry) -> bool:
    """The same entry read again (a sidebar printed on every page): the same school and
    dates, and nothing the first reading lacked."""

    def same(a: str | None, b: str | None) -> bool:
        return a is None or (b is not None and a.casefold() == b.casefold())

    return (
        entry.institution is not None
        and same(entry.institution, seen.institution)
        and same(entry.study_type, seen.study_type)
        and same(entry.area, seen.area)
        and (entry.start, entry.end) == (seen.start, seen.end)
    )


def _add_dates(entry: EducationEntry, ln: _Line) -> bool:
    if ln.ranges and entry.start is None:
        entry.start, entry.end = ln.ranges[0].start, ln.ranges[0].end
        return True
    years = ln.years
    if not years:
        return False
    if entry.start is None and entry.end is None:
        entry.end = years[-1]
        if len(years) > 1 and years[0] != years[-1]:
            entry.start, entry.end = _ordered(years[0], years[-1])
    elif entry.start is None and entry.end is not None and years[0] != entry.end:
        # "2018" / "2017" stacked in a date column: the two ends of one period.
        entry.start, entry.end = _ordered(entry.end, years[0])
    return True


def _ordered(a: PartialDate, b: PartialDate) -> tuple[PartialDate, PartialDate]:
    def key(d: PartialDate) -> tuple[int, int]:
        return (d.year, d.month or 0)

    return (a, b) if key(a) <= key(b) else (b, a)


def _has_school(entry: EducationEntry) -> bool:
    return any(_is_school(line) for line in entry.lines)


def _has_degree(entry: EducationEntry) -> bool:
    return any(_is_degree(line) for line in entry.lines)


def _strip_dates(text: str, ranges: list[DateRange]) -> str:
    rest = text
    for r in sorted(ranges, key=lambda r: -r.span[0]):
        rest = rest[: r.span[0]] + " " + rest[r.span[1] :]
    rest = _YEAR_RE.sub(" ", rest)
    rest = re.sub(r"\(\s*[-–—/.]?\s*\)|^\s*[-–—/.]\s+|\s+[-–—/]\s*$", " ", rest)
    return " ".join(rest.split()) if "  " not in rest.strip() else rest.strip()


def _add_parts(pieces: list[str], text: str, glued: bool) -> None:
    """Cut a line into parts; a line that goes on from a comma joins the last part when it
    is not a new part itself ("Bacharel em Ciências" / "da Computação.")."""
    for i, part in enumerate(_sentences(_PART_SPLIT_RE.split(text))):
        split = _COMMA_RE.split(part) if "," in part else _at_split(part)
        for j, piece in enumerate(p for s in split for p in _dash_split(s)):
            piece = _clean_piece(piece).strip(" .")
            if not piece:
                continue
            lower_start = piece[0].islower() and not _is_school(piece)
            wrapped = lower_start or (glued and not _starts_new(piece))
            if pieces and i == 0 and j == 0 and wrapped and len(piece) <= _MAX_WRAP:
                pieces[-1] = f"{pieces[-1]} {piece}"
            else:
                pieces.append(piece)


_AT_RE = re.compile(
    r"\s+(?:à l[’']|à|au|aux|at|an der|am|bei|presso l[’']|presso|chez|op de|op het|aan de|"
    r"aan het|@)\s*(?<=\s|[’'])",
    re.IGNORECASE,
)


def _dash_split(piece: str) -> list[str]:
    """ "Colégio Estadual, Campinas - Ensino Médio completo": a spaced hyphen parts a degree
    from what comes before or after it; elsewhere it is part of a name ("Lessing - Realschule")."""
    sides = [s.strip() for s in piece.split(" - ")]
    if len(sides) > 1 and any(_is_degree(s) for s in sides) and all(sides):
        return sides
    return [piece]


def _at_split(part: str) -> list[str]:
    """ "BFEM au lycée de Thillè Boubacar", "LICENCE 1 à ITECOM", "BSc at MIT": the degree,
    then the school."""
    m = _AT_RE.search(part)
    if m is None or part[: m.start()].count("(") > part[: m.start()].count(")"):
        return [part]
    left, right = part[: m.start()], part[m.end() :]
    if _is_degree(left) or _is_school(right):
        return [left, right]
    return [part]


def _sentences(parts: list[str]) -> list[str]:
    """Split parts at a full stop that ends a sentence ("classe LM-17. Università degli
    studi"): after a word of five or more letters or a number, before a capital."""
    out: list[str] = []
    for part in parts:
        start = 0
        for m in re.finditer(r"(?<=\S)\.\s+(?=[A-ZÀ-Þ])", part):
            word = part[start : m.start()].split()[-1] if part[start : m.start()].split() else ""
            if len(word) >= 5 or any(ch.isdigit() for ch in word):
                out.append(part[start : m.start()])
                start = m.end()
        out.append(part[start:])
    return out


def _starts_new(piece: str) -> bool:
    return _is_school(piece) or _is_degree(piece) or looks_like_location(piece)


def _read_parts(entry: EducationEntry, pieces: list[str]) -> None:
    pieces = [
        p for p in pieces if not _only_noise(p) and (_is_school(p) or not looks_like_location(p))
    ]
    if not pieces:
        return
    degrees = [i for i, p in enumerate(pieces) if _is_degree(p) and not _is_school(p)]
    # Of two degree parts ("Laurea magistrale" / "Corso di Laurea magistrale in Fisica"), the
    # one that names the field.
    degree_i = next(
        (i for i in degrees if _names_field(pieces[i])), degrees[0] if degrees else None
    )
    if degree_i is None:
        degree_i = next((i for i, p in enumerate(pieces) if _is_degree(p)), None)
    schools = [i for i, p in enumerate(pieces) if i != degree_i and _is_school(p)]
    # Of a faculty and its university, the university ("Facultad de Matemática, ...",
    # "Universidad Nacional de Córdoba").
    school_i = next((i for i in schools if not _UNIT_RE.match(pieces[i])), None)
    if school_i is None and schools:
        school_i = schools[0]
    if school_i is None and degree_i is not None and _CJK_SCHOOL_RE.match(pieces[degree_i]):
        # "无锡太湖学院通信工程本科": the school, the major and the degree written as one.
        _cjk_entry(entry, pieces[degree_i])
        return
    if degree_i is not None and school_i is None and _CJK_RE.search(pieces[degree_i]):
        # "计算机科学与技术  工学本科": in Chinese CVs the part beside the degree is the major.
        other = next((i for i, p in enumerate(pieces) if i != degree_i), None)
        if other is not None:
            entry.area = _major(pieces[other])
        _split_degree(entry, pieces[degree_i])
        return
    if degree_i is not None and school_i is None:
        # The school is the first short part that is not the degree ("IFSP", "FH OÖ").
        school_i = next(
            (i for i, p in enumerate(pieces) if i != degree_i and _school_like(p)), None
        )
    if degree_i is None and school_i is not None:
        other = next((i for i, p in enumerate(pieces) if i != school_i and _short_name(p)), None)
        if other is not None:
            entry.area = _major(pieces[other])
    if school_i is not None:
        entry.institution = pieces[school_i]
    if degree_i is not None:
        _split_degree(entry, pieces[degree_i])
    elif school_i is None and _short_name(pieces[0]):
        entry.area = pieces[0]
        if len(pieces) > 1 and _short_name(pieces[1]):
            entry.institution = pieces[1]


_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_CJK_SCHOOL_RE = re.compile(r"^([\u3400-\u9fff]{2,}?(?:大学|学院|学校))(.+)$")
# A part of a school: its faculty, department or laboratory.
_UNIT_RE = re.compile(
    r"^(?:facult\w*|faculdade|fakult\w*|department|dept\.|d[ée]partement|departamento|"
    r"dipartimento|school of|college of|institut f[üu]r|laborat\w*|lab\b|"
    r"[ée]cole doctorale|doctoral school|graduate school)",
    re.IGNORECASE,
)


def _cjk_entry(entry: EducationEntry, text: str) -> None:
    m = _CJK_SCHOOL_RE.match(text)
    assert m is not None
    entry.institution = m.group(1)
    _split_degree(entry, m.group(2).strip())
    if entry.study_type and not entry.area:
        head = _CJK_DEGREE_RE.match(m.group(2).strip())
        if head and _CJK_RE.search(head.group(1)):
            major = re.sub(
                r"(?:工学|理学|文学|管理学|经济学|法学|医学)?(?:本科|专科|大专|硕士|博士|学士|研究生)$",
                "",
                head.group(1).strip(),
            )
            entry.area = _major(major) or None


_CJK_DEGREE_RE = re.compile(r"^(.*?(?:本科|专科|大专|硕士|博士|学士|研究生|高中))")


def _names_field(piece: str) -> bool:
    return bool(re.search(r"\s(?:in|of|en|em|de|di|in der|im)\s", piece, re.IGNORECASE))


def _major(piece: str) -> str:
    """A field of study, without the word for "major" Chinese CVs put after it (软件工程专业)."""
    return re.sub(r"(?<=[\u3400-\u9fff])(?:专业|專業)$", "", piece)


def _school_like(piece: str) -> bool:
    return _short_name(piece) and not _is_degree(piece)


def _only_noise(piece: str) -> bool:
    return (
        not re.search(r"[^\W\d_]{2}", piece)
        or bool(_CONTACT_PART_RE.search(piece))
        or bool(_STATUS_RE.match(piece))
    )


# A part that only says where the studies stand ("Cursant", "Concluído", "(In progress)").
_STATUS_RE = re.compile(
    r"^\(?(?:cursant|cursando|conclu[íi]d[oa]|incomplet[oa]|inconclus[oa]|en cours|"
    r"in progress|ongoing|laufend|abgeschlossen|completed|actualmente|actualidad|"
    r"atualmente|present|heute)\)?\.?$",
    re.IGNORECASE,
)


def _short_name(piece: str) -> bool:
    """A part that can be a name of a school or a field: a few words, not a sentence."""
    words = piece.split()
    return (1 <= len(words) <= 10 and not piece.endswith((".", ";"))) or len(words) <= 3


def _clean_piece(text: str) -> str:
    """Trim separators, and brackets only where they are left open ("(Orlando, FL)" stays)."""
    text = text.strip(" ,;:|–—-~\t")
    while text.endswith((")", "]")) and text.count("(") + text.count("[") < text.count(
        ")"
    ) + text.count("]"):
        text = text[:-1].rstrip(" ,;:|–—-~\t")
    while text.startswith(("(", "[")) and text.count("(") + text.count("[") > text.count(
        ")"
    ) + text.count("]"):
        text = text[1:].lstrip(" ,;:|–—-~\t")
    return text


# The words after "Bachelor of" / "Master of" that belong to the degree's name.
_OF_FIELDS = (
    r"science|arts|engineering|business administration|fine arts|laws|philosophy|education|"
    r"technology|commerce|computer applications|applied science|music|nursing|architecture|"
    r"public health|public administration|information technology|social work|medicine|"
    r"surgery|design|economics|management|mathematics|statistics|pharmacy"
)


def _split_degree(entry: EducationEntry, text: str) -> None:
    text = text.strip()
    cjk = _CJK_DEGREE_RE.match(text)
    if cjk and _CJK_RE.search(text):
        # "工学本科大二在读": the degree, then the year of study the person is in.
        entry.study_type = cjk.group(1).strip()
        return
    labelled = _LABEL_DEGREE_RE.match(text)
    if labelled and _is_degree(labelled.group(2)):
        # "Ensino Superior: Bacharel em Ciências da Computação"
        text = labelled.group(2).strip()
    m = re.match(r"^(?P<first>[^()]+?)\s*\((?P<second>[^)]+)\)\s*$", text)
    if m and _is_degree(m.group("second")) and not _is_degree(m.group("first")):
        # "Informatik (B.Sc.)"
        entry.study_type, entry.area = m.group("second").strip(), m.group("first").strip()
        return
    if m and _is_degree(m.group("first")) and not _is_degree(m.group("second")):
        # "Bachelor of Science (Maschinenbau)"
        entry.study_type, entry.area = m.group("first").strip(), m.group("second").strip()
        return
    # "Bachelor of Science in Nursing", "MSc Computer Science", "Master en Droit"
    m = re.match(
        rf"^(?P<type>(?:bachelor|batchelor|master|doctor|associate)\w*(?:'s)?"
        rf"(?:\s+of\s+(?:{_OF_FIELDS}|\w+)|\s+[1-3](?!\w))?)"
        r"(?:\s+(?:degree\s+)?(?:in|en|em|in der|di|de)\s+|\s*[,:-]\s*|\s+)(?P<area>.+)$",
        text,
        re.I,
    )
    if m and not re.match(r"of\s", m.group("area"), re.I):
        entry.study_type, entry.area = m.group("type").strip(), m.group("area").strip()
        return
    if m:  # "Master of Science" alone: the degree's name, no field
        entry.study_type = text
        return
    m = _AREA_RE.match(text)
    if m and _is_degree(m.group("type")):
        entry.study_type, entry.area = m.group("type").strip(), m.group("area").strip()
        return
    found = [m for m in (_DEGREE_RE.search(text), _EDU_DEGREE_RE.search(text)) if m]
    assert found
    # The earliest match, and of two there the longer ("Licence 2" over "Licence").
    start, end = min((m.start(), -m.end()) for m in found)
    end = -end
    if start > 0 and not _clean_piece(text[:start]):
        start = 0
    if start == 0:
        entry.study_type = text[:end].strip()
        area = _clean_piece(text[end:])
        if area:
            entry.area = re.sub(r"^(?:in|of|en|em|de|di)\s+", "", area, flags=re.I)
    else:
        # "Computer Science Bachelor", "物联网 工学本科": the field comes first.
        entry.study_type = text


def education_lines(sections: list[Section]) -> list[TextLine]:
    """The lines of the education sections. A line under one that was taken for a heading of
    its own, but names a degree or a school ("NIT Srinagar" set large and bold under
    "EDUCATION"), is its entry."""
    out: list[TextLine] = []
    under_education = False
    for section in sections:
        if section.name == "education":
            out.extend(section.lines)
            under_education = True
        elif under_education and not section.known and _heads_entry(section):
            out.append(TextLine(section.heading))
            out.extend(section.lines)
        else:
            under_education = False
    return out


def _names_study(text: str) -> bool:
    return _is_degree(text) or _is_school(text)


def _is_unit(ln: _Line) -> bool:
    return ln.school and bool(_UNIT_RE.match(ln.rest))


def _heads_entry(section: Section) -> bool:
    """An unlisted heading that is an entry's first line: it names a degree or a school, or
    the line under it opens with a degree ("NIT Srinagar" / "Bachelor of Technology ...")."""
    if _names_study(section.heading):
        return True
    first = section.lines[0].text.strip(" •·*-–") if section.lines else ""
    return len(first.split()) <= _MAX_ENTRY_WORDS and _starts_degree(first)


# Where a CV's studies may stand when it has no education heading: its top lines and contact
# block, a profile, a section under a heading no one lists; never among its jobs, projects,
# awards or publications, where a university or a degree is the place or subject of the work.
_STRAY_SECTIONS = frozenset({"header", "contact", "summary", "other", "references", "additional"})
_MAX_STRAY_WORDS = 14


def stray_education(sections: list[Section], studies: list[WorkEntry]) -> list[EducationEntry]:
    """Entries of a CV whose education section gave none: a dated degree or school listed
    among the jobs ("Fachoberschule im Bereich Wirtschaft, Carl-Hahn-Schule"), or a line that
    names both a degree and a school where a CV keeps its personal facts ("本科/北京大学/软件工程",
    "Qualification: Master of Statistics, Australian National University"). An entry needs
    both its degree (or field) and its school here: a single word is no evidence outside
    the section."""
    out: list[EducationEntry] = []
    for work in studies:
        if work.dates is None or not is_study_period(work):
            continue
        # The header of a job entry is one entry: its lines are its parts.
        for entry in parse_education([TextLine(", ".join(work.header))]):
            if entry.start is None and entry.end is None:
                entry.start, entry.end = work.dates.start, work.dates.end
            out.append(entry)
    for section in sections:
        if section.name not in _STRAY_SECTIONS:
            continue
        for i, line in enumerate(section.lines):
            text = line.text.strip()
            if len(text.split()) > _MAX_STRAY_WORDS or text.endswith("."):
                continue
            ln = _read_line(text[:_MAX_LINE], False)
            if not (ln.degree and ln.school):
                continue
            group = [TextLine(text)]
            after = section.lines[i + 1].text.strip() if i + 1 < len(section.lines) else ""
            if after and not _read_line(after, False).rest:
                group.append(TextLine(after))  # its dates, on the line below
            out.extend(parse_education(group))
    kept: list[EducationEntry] = []
    for entry in out:
        if not (entry.institution and (entry.study_type or entry.area)):
            continue
        # The same studies read twice (a dated job entry and its line): the first one.
        if not any(_same_studies(entry, seen) for seen in kept):
            kept.append(entry)
    return kept


def _same_studies(a: EducationEntry, b: EducationEntry) -> bool:
    def key(text: str | None) -> str:
        return " ".join((text or "").casefold().split())

    return key(a.institution) == key(b.institution) and key(a.study_type) == key(b.study_type)
