"""Dates and date ranges as CVs write them, in several languages, and experience arithmetic.

Conventions (documented because "how long is 2018-2021" has no single answer):
- a month-precise range counts both its first and last month: Jan 2019 - Dec 2019 is 12 months;
- a year written alone starts with its January and ends with its December, as a recruiter reads
  it: 2018 - 2021 is 4 years, so a 2018-2021 job and a 2020-2022 job merge to 2018-2022 = 5
  years; "2019 - Mar 2020" is 15 months, "Oct 2018 - 2019" 15 months;
- a single year or a same-year range without months counts as 6 months;
- an open range ("Present", "heute", "since 2020") ends today, the current month pro rata.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_MONTHS: dict[str, int] = {}


def _add_months(names: str) -> None:
    for month, group in enumerate(names.split("|"), start=1):
        for name in group.split():
            _MONTHS[name] = month


# en, de, fr, es, pt, it, nl (accent-free forms are added automatically below)
_add_months(
    "january jan janv januar jänner janner janvier enero ene janeiro gennaio gen januari"
    "|february feb febr februar février fevrier févr fevr fév febrero fevereiro fev febbraio"
    " februari"
    "|march mar märz maerz marz mär mars marzo março marco maart mrt"
    "|april apr avril avr abril abr aprile"
    "|may mai mayo maio maggio mag mei"
    "|june jun juni juin junio junho giugno giu"
    "|july jul juli juillet juil julio julho luglio lug"
    "|august aug août aout agosto ago augustus"
    "|september sep sept septembre septiembre setiembre setembro set settembre"
    "|october oct oktober okt octobre octubre outubro out ottobre ott"
    "|november nov novembre noviembre novembro"
    "|december dec dezember dez décembre decembre déc diciembre dic dezembro dicembre"
)
# ru, uk, pl, cs (nominative and genitive: "Январь 2019", "з вересня 2019", "stycznia 2020"),
# tr, sv/da/no, ro, fi: full names only where a short form is a common word ("sie", "lis").
_add_months(
    "январь января янв січень січня styczeń stycznia styczen leden ledna ocak tammikuu"
    " tammikuuta ianuarie"
    "|февраль февраля фев лютий лютого luty lutego únor února unor unora şubat subat"
    " helmikuu helmikuuta februarie"
    "|март марта березень березня marzec marca březen března brezen brezna marts"
    " maaliskuu maaliskuuta martie"
    "|апрель апреля апр квітень квітня kwiecień kwietnia kwiecien duben dubna nisan"
    " huhtikuu huhtikuuta aprilie"
    "|май мая травень травня maj maja květen května kveten kvetna mayıs mayis toukokuu"
    " toukokuuta"
    "|июнь июня июн червень червня czerwiec czerwca červen června cerven cervna haziran"
    " kesäkuu kesäkuuta iunie"
    "|июль июля июл липень липня lipiec lipca červenec července cervenec cervence temmuz"
    " heinäkuu heinäkuuta iulie"
    "|август августа авг серпень серпня sierpień sierpnia sierpien srpen srpna ağustos"
    " agustos augusti elokuu elokuuta"
    "|сентябрь сентября сент сен вересень вересня wrzesień września wrzesien wrzesnia září"
    " zari eylül eylul syyskuu syyskuuta septembrie"
    "|октябрь октября окт жовтень жовтня październik października pazdziernik"
    " pazdziernika říjen října rijen rijna ekim lokakuu lokakuuta octombrie"
    "|ноябрь ноября листопад листопада listopad listopada listopadu kasım kasim"
    " marraskuu marraskuuta noiembrie"
    "|декабрь декабря дек грудень грудня grudzień grudnia grudzien prosinec prosince"
    " aralık aralik joulukuu joulukuuta decembrie"
)
# pl short forms as job portals and templates print them ("Kwi 2022 - Lis 2022", "Maj - Sie
# 2020"): a month word counts only before a year or in a range with one, where "Sie" or "lis"
# is never the pronoun or the fox.
_add_months("sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru")
# zh: 一月 ... 十二月 ("四月 2025"); "2019年9月" is its own pattern below.
_add_months("一月|二月|三月|四月|五月|六月|七月|八月|九月|十月|十一月|十二月")
# ar (the Gregorian names of Egypt and the Gulf, and the Levant's; Persian letter forms too)
# and he.
_AR_MONTHS = [
    "يناير كانون الثاني", "فبراير شباط", "مارس آذار", "أبريل ابريل إبريل نيسان",
    "مايو أيار", "يونيو يونية حزيران", "يوليو يولية تموز", "أغسطس آب", "سبتمبر أيلول",
    "أكتوبر اكتوبر تشرين الأول", "نوفمبر تشرين الثاني", "ديسمبر كانون الأول",
]  # fmt: skip
_HE_MONTHS = "ינואר|פברואר|מרץ מרס|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר"
_add_months(_HE_MONTHS)
for _month, _group in enumerate(_AR_MONTHS, start=1):
    _words = _group.split()
    for _k, _word in enumerate(_words):
        # two-word Levantine names: "كانون الثاني", "تشرين الأول"
        if _word in ("كانون", "تشرين"):
            continue
        _two = _k and _words[_k - 1] in ("كانون", "تشرين")
        _name = f"{_words[_k - 1]} {_word}" if _two else _word
        for _form in {_name, _name.replace("ي", "ی")}:
            _MONTHS[_form] = _month
_SEASONS = {
    "spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 1,
    "frühling": 3, "frühjahr": 3, "sommer": 6, "herbst": 9,
    "printemps": 3, "été": 6, "ete": 6, "automne": 9, "hiver": 1,
    "primavera": 3, "verano": 6, "otoño": 9, "invierno": 1,
    "verão": 6, "outono": 9, "inverno": 1, "estate": 6, "autunno": 9,
    "lente": 3, "zomer": 6, "najaar": 9,
}  # fmt: skip


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


for _name, _m in list(_MONTHS.items()):
    _MONTHS.setdefault(_strip_accents(_name), _m)
for _name, _m in list(_SEASONS.items()):
    _SEASONS.setdefault(_strip_accents(_name), _m)
# A capital often loses its accent in French ("Eté 2018", "Ete"): the word with its first
# letter bare is the same season or month.
for _table in (_MONTHS, _SEASONS):
    for _name, _m in list(_table.items()):
        _table.setdefault(_strip_accents(_name[:1]) + _name[1:], _m)

_PRESENT_WORDS = [
    "present", "current", "currently", "now", "today", "ongoing", "to date", "date",
    "heute", "bis heute", "aktuell", "derzeit", "laufend", "jetzt", "dato",
    "présent", "present day", "aujourd'hui", "aujourd’hui", "actuel", "actuellement",
    "en cours", "in progress", "à ce jour", "ce jour", "presente", "actual", "actualidad",
    "la actualidad",
    "hoy", "la fecha", "atualmente", "atual", "o momento", "momento", "oggi", "attuale",
    "in corso", "heden", "nu", "huidig", "nog steeds", "actualmente", "till date",
    "till now", "until now", "en curso", "actualidade", "presente momento", "至今", "现在", "今",
    "目前", "по настоящее время", "настоящее время", "по н.в.", "н.в.", "сейчас", "дотепер",
    "теперішній час", "по теперішній час", "наразі", "obecnie", "do teraz", "nadal",
    "do dziś", "do dzis", "do chwili obecnej", "současnost", "soucasnost", "dosud", "doposud",
    "günümüz", "gunumuz", "halen", "devam ediyor", "pågående", "pagaende", "dags dato",
    "prezent", "în prezent", "in prezent", "nykyhetki", "jatkuu",
    "الآن", "حتى الآن", "إلى الآن", "لغاية الآن", "حتى اليوم", "حاليا", "حالياً", "الحاضر",
    "اآلن", "حتى اآلن", "היום", "עד היום", "כיום", "הווה",
]  # fmt: skip
_SINCE_WORDS = [
    "since", "seit", "depuis", "desde", "dal", "dall'", "sinds", "od", "sedan", "с", "з",
    "від", "от", "din",
]  # fmt: skip

_MONTH_ALT = "|".join(sorted({re.escape(k) for k in _MONTHS}, key=len, reverse=True))
_SEASON_ALT = "|".join(sorted({re.escape(k) for k in _SEASONS}, key=len, reverse=True))
_PRESENT_ALT = "|".join(sorted({re.escape(k) for k in _PRESENT_WORDS}, key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"

_DATE_RE = re.compile(
    rf"""
    (?P<dmy>\b(?P<d1>[0-3]?\d)[./](?P<m1>[01]?\d)[./](?P<y1>{_YEAR})\b)
  | (?P<dmy2>(?<![\w.,/])(?P<d10>[0-3]\d)\.(?P<m10>[01]\d)\.(?P<y10>\d{{2}})(?![\w.,/]))
  | (?P<ymd>\b(?P<y2>{_YEAR})\s?(?P<ysep>[-./])\s?(?P<m2>[01]\d)\s?(?P=ysep)\s?[0-3]\d\b)
  | (?P<name>\b(?:(?:[0-3]?\d)\.?\s+)?(?P<mon>{_MONTH_ALT})(?:\b|(?={_YEAR}))\.?,?(?:[/-](?=\d))?\s*
        (?:de\s+|of\s+)?(?P<y3>{_YEAR}|['’]\d{{2}})(?!\d))
  | (?P<season>\b(?P<sea>{_SEASON_ALT})\s+(?:de\s+)?(?P<y4>{_YEAR})\b)
  | (?P<num>(?<!\d)(?<!\d[.])(?P<m5>0?[1-9]|1[0-2])\s?[/.\-]\s?(?P<y5>{_YEAR})\b)
  | (?P<iso>\b(?P<y6>{_YEAR})\s?[/.\-]\s?(?P<m6>1[0-2]|0?[1-9])(?![\d]))
  | (?P<short>(?<![\d./])(?P<m7>0[1-9]|1[0-2])/(?P<y7>\d{{2}})(?![\d/]))
  | (?P<quarter>(?<![\w.])(?:Q(?P<q1>[1-4])|(?P<q2>[1-4])\.?\s?(?:Q|Quartal|quarter|trimestre|
        kwartaal))\s?[/.\-']?\s?(?P<y11>{_YEAR}|\d{{2}})(?!\d))
  | (?P<cjk>(?<!\d)(?P<y9>{_YEAR})\s?年\s?(?P<m9>1[0-2]|0?[1-9])\s?月)
  | (?P<year>(?<!\d)(?<!\d[.,])(?P<y8>{_YEAR})(?![\d]))
    """,
    re.IGNORECASE | re.VERBOSE,
)
_YEAR_MONTHS_RE = re.compile(
    rf"(?<![\d.])(?P<y>{_YEAR}),?\s+(?P<m1>{_MONTH_ALT})\.?\s*[-–—]\s*(?P<m2>{_MONTH_ALT})\b\.?",
    re.IGNORECASE,
)
# "2023/2025": a year, a slash and a later year.
_YEAR_PAIR_RE = re.compile(rf"(?<![\w./])(?P<a>{_YEAR})\s?/\s?(?P<b>{_YEAR})(?![\w/])")
_MONTH_ONLY_RE = re.compile(rf"\b(?P<mon>{_MONTH_ALT})\b\.?", re.IGNORECASE)
# Word boundaries, except that Han characters do not separate words ("2019年9月至今").
_PRESENT_RE = re.compile(
    rf"(?<![^\W\u3400-\u9fff])(?:{_PRESENT_ALT})(?![^\W\u3400-\u9fff])", re.IGNORECASE
)
# Every dash Unicode has (hyphen, non-breaking hyphen, figure dash, en and em dash, minus,
# small and full-width forms), tildes and arrows.
DASHES = "\\-\u2010-\u2015\u2e3a\u2e3b\ufe58\ufe63\uff0d~→>\u00ad\u2212～〜至"
_SEP_WORDS = (
    r"to|till|until|thru|through|bis|au|à|a|al|hasta|até|ate|fino\s+al?|tot|t/m|по|до|"
    r"jusqu'?(?:à|au|en)|up\s+to|do|până\s+(?:în|la)|pana\s+(?:in|la)"
)
# A dash, a word, or a dash and a word ("10/2019 – hasta la actualidad", "2019 - to 2021"); a
# word must end there ("al 2024" is not "a" + "l 2024").
_SEP_RE = re.compile(
    rf"(?:\s?(?:гг?\.?|r\.))?[\])]?\s*(?:[{DASHES}]+\s*(?:(?:{_SEP_WORDS})(?!\w)\s*)?|(?:{_SEP_WORDS})(?!\w)\s*)"
    r"(?:the\s+)?[\[(]?",
    re.IGNORECASE,
)
# "since 2020", "seit ca. 2011", "desde aprox. 2015": an open range from that date.
_SINCE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(_SINCE_WORDS) + r")\s*"
    r"(?:(?:ca|approx|aprox|env|etwa|circa|about|around|environ)\.?\s*)?$",
    re.IGNORECASE,
)
# The word that opens a range whose end was never written ("von 08.2013", "ab 2020").
_LONE_FROM_RE = re.compile(
    r"\s*(?:from|starting|von|vom|ab|d[eè]s|[àa] partir d[eu]l?|a partire da(?:l|ll')?|vanaf)\s*",
    re.IGNORECASE,
)
# Year-only ranges before 1950 ("1869–1879"): accepted as a pair only, never as a lone year,
# where a four-digit number is more often a count or a code than a date.
_OLD_RANGE_RE = re.compile(
    r"(?<![\w.,/])(?P<a>1[89]\d\d)\s*[-–—‑‒\u2212]\s*(?P<b>1[89]\d\d|19[5-9]\d|20[0-4]\d)(?![\w.,/])"
)


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    fmt: str = "year"
    """How it was written: month_name, numeric, iso, year, season, full."""

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


@dataclass(frozen=True, slots=True)
class DateRange:
    start: PartialDate
    end: PartialDate | None
    """None means open-ended (Present)."""
    span: tuple[int, int]
    explicit_end: bool = True
    """False for a lone date with no end written (counted as a short stint)."""

    def months(self, today: date) -> float:
        start, end = interval_months(self, today)
        return end - start


def _two_digit_year(raw: str) -> int:
    value = int(raw[-2:])
    return 2000 + value if value <= (date.today().year % 100) + 1 else 1900 + value


def _match_to_date(m: re.Match[str]) -> PartialDate | None:
    g = m.groupdict()
    try:
        if g["dmy"]:
            a, b = int(g["d1"]), int(g["m1"])
            month = b if 1 <= b <= 12 else (a if 1 <= a <= 12 else None)
            return PartialDate(int(g["y1"]), month, "full")
        if g["dmy2"]:  # "10.07.21": day, month, two-digit year (German short form)
            day, month = int(g["d10"]), int(g["m10"])
            if not (1 <= day <= 31 and 1 <= month <= 12):
                return None
            return PartialDate(_two_digit_year(g["y10"]), month, "full")
        if g["ymd"]:
            return PartialDate(int(g["y2"]), int(g["m2"]), "iso")
        if g["name"]:
            mon = _MONTHS.get(_strip_accents(g["mon"].lower()))
            raw_year = g["y3"]
            year = _two_digit_year(raw_year) if not raw_year[0].isdigit() else int(raw_year)
            return PartialDate(year, mon, "month_name")
        if g["season"]:
            return PartialDate(int(g["y4"]), _SEASONS[_strip_accents(g["sea"].lower())], "season")
        if g["num"]:
            return PartialDate(int(g["y5"]), int(g["m5"]), "numeric")
        if g["iso"]:
            return PartialDate(int(g["y6"]), int(g["m6"]), "iso")
        if g["short"]:
            return PartialDate(_two_digit_year(g["y7"]), int(g["m7"]), "numeric")
        if g["quarter"]:  # "Q3 2019": the quarter's first month (an end takes its last)
            quarter = int(g["q1"] or g["q2"])
            raw = g["y11"]
            year = int(raw) if len(raw) == 4 else _two_digit_year(raw)
            return PartialDate(year, quarter * 3 - 2, "quarter")
        if g["cjk"]:
            return PartialDate(int(g["y9"]), int(g["m9"]), "numeric")
        if g["year"]:
            return PartialDate(int(g["y8"]), None, "year")
    except (KeyError, ValueError):
        return None
    return None


# Arabic-Indic and Persian digits read as digits ("٢٠١٨"); one character each, so spans hold.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def find_dates(text: str) -> list[tuple[PartialDate, int, int]]:
    out = []
    for m in _DATE_RE.finditer(text.translate(_DIGITS)):
        d = _match_to_date(m)
        if d is not None and (d.month is None or 1 <= d.month <= 12):
            out.append((d, m.start(), m.end()))
    return out


def find_date_ranges(text: str) -> list[DateRange]:
    """All date ranges in a line of text, including open ones ("2019 - Present", "since 2020")."""
    dates = find_dates(text)
    presents = [(m.start(), m.end()) for m in _PRESENT_RE.finditer(text)]
    ranges: list[DateRange] = []
    used: set[int] = set()
    for i, (d, s, e) in enumerate(dates):
        if i in used:
            continue
        rest = text[e:]
        sep = _SEP_RE.match(rest)
        if sep:
            after = e + sep.end()
            if i + 1 < len(dates) and dates[i + 1][1] == after:
                d2 = dates[i + 1][0]
                if (d2.year, d2.month or 0) >= (d.year, d.month or 0) and d2.year - d.year < 60:
                    ranges.append(DateRange(d, d2, (s, dates[i + 1][2])))
                    used.update((i, i + 1))
                    continue
                if 0 < d.year - d2.year < 60:
                    ranges.append(DateRange(d2, d, (s, dates[i + 1][2])))
                    used.update((i, i + 1))
                    continue
            pres = next((p for p in presents if e < p[0] <= after), None)
            if pres is None and text[e : e + 1] == "至":  # "2019年9月至今": 至 is "to"
                pres = next((p for p in presents if p[0] == e), None)
            if pres is not None and not _is_weak_present(text, pres):
                ranges.append(DateRange(d, None, (s, pres[1])))
                used.add(i)
                continue
        # "Present – 2025": written latest first.
        pres_before = next((p for p in presents if p[1] <= s and p[1] >= s - 4), None)
        between = text[pres_before[1] : s] if pres_before is not None else ""
        if pres_before is not None and between.strip() and _SEP_RE.fullmatch(between):
            ranges.append(DateRange(d, None, (pres_before[0], e)))
            used.add(i)
            continue
        # "Jan - Mar 2019": the first month borrows the year of the second date.
        # "since 2020", "seit 03/2019"
        since = _SINCE_RE.search(text[max(0, s - 20) : s])
        if since:  # the span takes the word in: "Seit 2018" is all date, no title
            ranges.append(DateRange(d, None, (max(0, s - 20) + since.start(), e)))
            used.add(i)
            continue
        # "von 08.2013", "ab 2020", "à partir de 2019" alone on a line: from then on, no end.
        if _LONE_FROM_RE.fullmatch(text[:s]) and not text[e:].strip(" .,;:"):
            ranges.append(DateRange(d, None, (len(text[:s]) - len(text[:s].lstrip()), e)))
            used.add(i)
            continue
    # Month without year before a dated end: "Jan – Mar 2019", "Juni - August 2020".
    for m in _MONTH_ONLY_RE.finditer(text):
        if any(r.span[0] <= m.start() < r.span[1] for r in ranges):
            continue
        sep = _SEP_RE.match(text[m.end() :])
        if not sep:
            continue
        after = m.end() + sep.end()
        for j, (d2, s2, e2) in enumerate(dates):
            if s2 == after and j not in used and d2.month:
                mon = _MONTHS[_strip_accents(m.group("mon").lower())]
                if mon <= d2.month:
                    ranges.append(DateRange(PartialDate(d2.year, mon, d2.fmt), d2, (m.start(), e2)))
                    used.add(j)
                break
    for m in _OLD_RANGE_RE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a >= 1950 or not 0 <= b - a < 60:
            continue
        if any(r.span[0] < m.end() and m.start() < r.span[1] for r in ranges):
            continue
        ranges.append(DateRange(PartialDate(a), PartialDate(b), (m.start(), m.end())))
    # Year first, then a month range: "2020, Jul-Okt.", "2019 Mar – Jun".
    for m in _YEAR_MONTHS_RE.finditer(text):
        if any(r.span[0] < m.end() and m.start() < r.span[1] for r in ranges):
            continue
        m1 = _MONTHS[_strip_accents(m.group("m1").lower())]
        m2 = _MONTHS[_strip_accents(m.group("m2").lower())]
        year = int(m.group("y"))
        if m1 <= m2:
            start, end = PartialDate(year, m1, "month_name"), PartialDate(year, m2, "month_name")
            ranges.append(DateRange(start, end, (m.start(), m.end())))
    for m in _YEAR_PAIR_RE.finditer(text):
        if any(r.span[0] < m.end() and m.start() < r.span[1] for r in ranges):
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        if 0 < b - a < 60:
            ranges.append(DateRange(PartialDate(a), PartialDate(b), (m.start(), m.end())))
    # Two month dates side by side with only spaces between them ("03/2018 08/2018 UX
    # Designer"): a range whose dash was drawn, not written.
    for (d1, s1, e1), (d2, s2, e2) in itertools.pairwise(dates):
        if d1.month is None or d2.month is None or text[e1:s2].strip() or s2 - e1 > 6:
            continue
        if any(r.span[0] < e2 and s1 < r.span[1] for r in ranges):
            continue
        if (d1.year, d1.month) < (d2.year, d2.month) and d2.year - d1.year < 60:
            ranges.append(DateRange(d1, d2, (s1, e2)))
    if not ranges and len(dates) == 2:
        # A line of two dates and nothing else ("2024 2020", "03/2019  06/2021"): a date
        # column whose dash was drawn, not written. Either order.
        (d1, s1, e1), (d2, s2, e2) = dates
        if not text[:s1].strip() and not text[e1:s2].strip() and not text[e2:].strip(" .,;"):
            k1, k2 = (d1.year, d1.month or 0), (d2.year, d2.month or 0)
            first, last = (d1, d2) if k1 <= k2 else (d2, d1)
            same_kind = (d1.month is None) == (d2.month is None)
            if k1 != k2 and last.year - first.year < 60 and same_kind:
                ranges.append(DateRange(first, last, (s1, e2)))
    ranges = [_widen(text, r) for r in ranges]
    ranges.sort(key=lambda r: r.span[0])
    return ranges


# "From 2019 to 2021", "Von 01.2017 bis 06.2019", "De janvier 2017 à juin 2019", "Dal 2017 al
# 2019": the word that opens a range is part of it, no title or employer.
_FROM_RE = re.compile(
    r"(?<![^\W\d_])(?:from|von|vom|ab|de|du|dal|dall'|da|desde|van|entre|between|od|з|с|от|"
    r"від|din)\s*$",
    re.IGNORECASE,
)


def _widen(text: str, r: DateRange) -> DateRange:
    """The range with the word that opens it taken in, and a quarter that ends it ending with
    the quarter's last month ("Q1 2019 – Q3 2021" ends in September 2021)."""
    span, end = r.span, r.end
    if end is not None and end.fmt == "quarter" and end.month is not None:
        end = PartialDate(end.year, end.month + 2, "quarter")
    if r.explicit_end:
        m = _FROM_RE.search(text[max(0, span[0] - 10) : span[0]])
        if m is not None:
            span = (max(0, span[0] - 10) + m.start(), span[1])
    if span == r.span and end is r.end:
        return r
    return DateRange(r.start, end, span, r.explicit_end)


def month_number(word: str) -> int | None:
    """The month a month name or abbreviation stands for ("Agosto" 8, "Dez." 12), else None."""
    return _MONTHS.get(_strip_accents(word.lower().rstrip(".")))


def leading_present(text: str) -> int | None:
    """Where a Present word that opens the line ends ("Actualmente  Programador ..."), else None.
    Weak words ("date", "now") do not count on their own."""
    m = _PRESENT_RE.match(text)
    if m is None or m.group(0).lower() in {"date", "momento", "nu", "now", "today", "current"}:
        return None
    return m.end()


def _is_weak_present(text: str, span: tuple[int, int]) -> bool:
    """Words such as "date" or "now" only count as Present right after a range separator."""
    word = text[span[0] : span[1]].lower()
    if word not in {"date", "momento", "nu"}:
        return False
    if re.search(r"(?:to|até|a|au|tot)\s*$", text[: span[0]].rstrip()[-4:] + " ", re.IGNORECASE):
        return False
    # After a dash and ending its phrase it is the word for "now" ("januar 2020 – nu", Danish,
    # Dutch, Swedish); going on in small letters it is not ("2019 - date of birth").
    following = re.match(r" ?([^\W\d_])", text[span[1] :])
    return word == "date" or (following is not None and following.group(1).islower())


def lone_dates(text: str, ranges: list[DateRange]) -> list[PartialDate]:
    """Dates in the text that are not part of a range (e.g. a graduation year)."""
    out = []
    for d, s, _e in find_dates(text):
        if not any(r.span[0] <= s < r.span[1] for r in ranges):
            out.append(d)
    return out


def _index(d: PartialDate) -> int:
    return d.year * 12 + ((d.month or 1) - 1)


def _now_index(today: date) -> float:
    # Months elapsed up to today, counting the current month pro rata.
    return today.year * 12 + today.month - 1 + min(today.day, 30) / 30.0


# A secondary-school period written in years blocks no month of its last year: the school
# year ends before the summer ("2008 - 2012  Lincoln High School", a job from June 2012).
SCHOOL_YEAR_END = 6


def interval_months(r: DateRange, today: date, *, year_end: int = 12) -> tuple[float, float]:
    """Half-open month interval [start, end) for a range, per the module conventions.
    `year_end`: how many months of a year written alone as the end count (12 for a job,
    `SCHOOL_YEAR_END` for a secondary-school period)."""
    now = _now_index(today)
    start: float = _index(r.start)
    end: float
    if r.end is None:
        end = now
    elif r.end.month is None:
        end = r.end.year * 12 + year_end  # a year written alone ends with its December
        if r.start.month is None and r.end.year <= r.start.year:
            end = start + 6
        elif r.start.month is not None and end <= start:
            end = start + 1
    else:
        end = _index(r.end) + 1
    end = min(end, now)
    return start, max(start, end)


def merge_intervals(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def total_years(ranges: list[DateRange], today: date) -> float:
    """Years covered by the union of the ranges (overlaps counted once), one decimal."""
    merged = merge_intervals([interval_months(r, today) for r in ranges])
    return round(sum(e - s for s, e in merged) / 12.0, 1)


def weighted_years(
    items: list[tuple[DateRange, float]], today: date, blocked: list[DateRange] | None = None
) -> float:
    """Years of the union of weighted ranges: each month counts once, at the highest weight of
    the ranges covering it (a full-time job overlapping an internship counts as full time).
    Months inside a `blocked` range (school years) count nothing."""
    edges: list[tuple[float, float, float]] = []
    for r, weight in items:
        s, e = interval_months(r, today)
        if e > s and weight > 0:
            edges.append((s, e, weight))
    if not edges:
        return 0.0
    stops = [
        iv
        for iv in (interval_months(r, today, year_end=SCHOOL_YEAR_END) for r in blocked or [])
        if iv[1] > iv[0]
    ]
    points = sorted({p for s, e, _ in edges for p in (s, e)} | {p for iv in stops for p in iv})
    total = 0.0
    for a, b in itertools.pairwise(points):
        if any(s <= a and e >= b for s, e in stops):
            continue
        w = max((wt for s, e, wt in edges if s <= a and e >= b), default=0.0)
        total += (b - a) * w
    return round(total / 12.0, 1)
