"""Facts stated in a job ad: minimum years, salary, place and way of working, seniority,
language of the ad."""

from __future__ import annotations

import re
from dataclasses import dataclass

from resumate.ai.contact import looks_like_location
from resumate.ai.jobs.structure import fold

# ---- minimum years -----------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "a": 1, "an": 1, "several": 3, "a few": 2, "a couple of": 2,
    "ein": 1, "einem": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "zehn": 10, "un": 1, "une": 1, "deux": 2, "trois": 3,
    "quatre": 4, "cinq": 5, "six ": 6, "dix": 10, "uno": 1, "dos": 2, "tres": 3,
    "cuatro": 4, "cinco": 5, "seis": 6, "diez": 10, "um": 1, "dois": 2, "quatro": 4,
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "een": 1, "twee": 2, "drie": 3,
    "vier ": 4, "vijf": 5,
}  # fmt: skip
_NUM = (
    r"(\d+(?:[.,]5)?|"
    + "|".join(sorted(map(re.escape, (k.strip() for k in _NUMBER_WORDS)), key=len, reverse=True))
    + ")"
)
_YEARS_WORD = r"(?:years?|yrs?|jahre[n]?|ans|annees|anos|anni|jaar|jaren)"
_EXPERIENCE_RE = re.compile(
    rf"(?<![\w.,])(?:(?:at\s+least|a\s+minimum\s+of|minimum(?:\s+of)?|min\.?|over|"
    rf"more\s+than|mindestens|mind\.|uber|au\s+moins|minimum|al\s+menos|como\s+minimo|"
    rf"minimo(?:\s+de)?|pelo\s+menos|no\s+minimo|almeno|minimaal|ten\s+minste)\s+)?"
    rf"{_NUM}\s*(?:\+|plus)?\s*(?:(?:-|–|to|bis|a|à|tot)\s*{_NUM}\s*\+?\s*)?"
    rf"(?:\(\d+\)\s*)?{_YEARS_WORD}\b",
    re.IGNORECASE,
)
_EXPERIENCE_CONTEXT_RE = re.compile(
    r"experience|experienced|erfahrung|berufserfahrung|praxis|experiencia|experiencia|"
    r"esperienza|ervaring|werkervaring|background|track record|\bworking\b|"
    r"in (?:a|an|the)\s+\w+ role|as an? \w+|anos en|anos como|anni di|jaar als|"
    r"professional|post-qualification|pqe",
    re.IGNORECASE,
)
# "a company with 20 years of history", "for 3 years", contract lengths, ages.
_NOT_EXPERIENCE_RE = re.compile(
    r"(?:history|founded|in business|old\b|of age|years? of age|contract|fixed[- ]term|"
    r"befristet|duree|duracion|per (?:week|month)|warranty|anniversary|seit \d+ jahren|"
    r"depuis \d+ ans|desde hace|(?:for|over) the (?:past|last|next)|within \d+|"
    r"(?:next|first) \d+ (?:years|months)|innerhalb von)",
    re.IGNORECASE,
)
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?;])\s+|\n")


def _to_number(raw: str) -> float | None:
    raw = fold(raw.strip())
    if raw in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[raw])
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def _years_in(sentence: str, *, need_context: bool = True) -> list[float]:
    folded = fold(sentence)
    if _NOT_EXPERIENCE_RE.search(folded):
        return []
    if need_context and not _EXPERIENCE_CONTEXT_RE.search(folded):
        return []
    out = []
    for m in _EXPERIENCE_RE.finditer(folded):
        if m.group(1).strip() in ("a", "an", "un", "une", "een", "um") and not re.search(
            r"(?:at least|minimum|mindestens|au moins|al menos|pelo menos|almeno)\s+\S+\s*$",
            folded[: m.end(1)],
        ):
            continue  # "a year of ..." alone is too weak a signal
        value = _to_number(m.group(1))
        if value is not None and 0 < value <= 40:
            out.append(value)
    return out


def min_experience_years(
    text: str, *, required_text: str | None = None, other_text: str | None = None
) -> float | None:
    """The ad's minimum years of experience (a range gives its lower bound).

    ``required_text``: what the ad asks for (any "N years" there counts, even without the
    word "experience"); ``other_text``: text of no particular part, read when the requirements
    state no figure (the word "experience" or the like is needed there). Without either, the
    whole ``text``. With several figures ("5+ years of engineering, 2+ with AWS") the largest
    is the overall bar; a figure asked for only as a plus ("3 years preferred") is no minimum.
    """
    from resumate.ai.jobs.structure import is_nice_wording

    def read(source: str, need_context: bool) -> list[float]:
        found: list[float] = []
        for sentence in _SENTENCE_SPLIT_RE.split(source):
            if not is_nice_wording(sentence):
                found.extend(_years_in(sentence, need_context=need_context))
        return found

    if required_text is None and other_text is None:
        found = read(text, True)
    else:
        found = read(required_text or "", False) or read(other_text or "", True)
    return max(found) if found else None


# ---- salary ------------------------------------------------------------------------------

_CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR",
    "euro": "EUR", "euros": "EUR", "chf": "CHF", "fr.": "CHF", "cad": "CAD", "c$": "CAD",
    "ca$": "CAD", "aud": "AUD", "a$": "AUD", "au$": "AUD", "nzd": "NZD", "r$": "BRL",
    "brl": "BRL", "mxn": "MXN", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN",
    "zł": "PLN", "zl": "PLN", "inr": "INR", "₹": "INR", "¥": "JPY", "jpy": "JPY", "czk": "CZK",
    "huf": "HUF", "ron": "RON", "ars": "ARS", "clp": "CLP", "cop": "COP", "sgd": "SGD",
    "hkd": "HKD", "zar": "ZAR", "kr": "SEK",
}  # fmt: skip
_CUR = (
    r"(?P<cur>us\$|c\$|ca\$|a\$|au\$|r\$|\$|£|€|₹|¥|zł|\b(?:usd|gbp|eur|euros?|chf|cad|aud|"
    r"nzd|brl|mxn|sek|nok|dkk|pln|inr|jpy|czk|huf|ron|ars|clp|cop|sgd|hkd|zar)\b)"
)
_AMOUNT = r"\d{1,3}(?:[,.' \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_K = r"(?:\s?(?:k|K|mil|tsd\.?|Tsd\.?)\b)?"
_AMT = rf"(?:{_CUR}\s?)?(?P<a>{_AMOUNT}){_K}(?:\s?{_CUR.replace('cur', 'cur2')})?"
_AMT2 = (
    rf"(?:{_CUR.replace('cur', 'cur3')}\s?)?(?P<b>{_AMOUNT})(?P<k2>{_K})"
    rf"(?:\s?{_CUR.replace('cur', 'cur4')})?"
)
_SALARY_RE = re.compile(
    rf"{_AMT.replace('(?P<a>', '(?P<a>').replace(_K, '(?P<k1>' + _K + ')')}"
    rf"(?:\s*(?:-|–|—|to|bis|a|à|e|tot|and|und|y)\s*{_AMT2})?",
    re.IGNORECASE,
)
_PERIOD_PATTERNS = [
    ("hour", r"per hour|an hour|/\s?(?:hr|hour|h)\b|hourly|p/h|\bph\b|pro stunde|/\s?std|"
     r"stundenlohn|de l'heure|de l'?heure|par heure|por hora|all'ora|l'ora|per uur|uurloon"),
    ("month", r"per month|a month|/\s?(?:mo|month|mes|mois|monat|mese|maand)\b|monthly|"
     r"pro monat|monatlich|par mois|mensuel|brut mensuel|por mes|al mes|mensual|"
     r"por mes|mensal|al mese|mensile|per maand|p/m|\bpcm\b"),
    ("year", r"per (?:year|annum)|a year|/\s?(?:yr|year|year|ano|an|jahr|anno|jaar)\b|"
     r"annually|annual|yearly|p\.?\s?a\.?\b|pro jahr|jahrlich|jahresgehalt|brutto jahr|"
     r"par an|annuel|brut annuel|por ano|por año|al año|anual|bruto anual|l'anno|annuo|"
     r"annua|\bral\b|per jaar|jaarsalaris|bruto per jaar|salary|salaire|gehalt|salario"),
]  # fmt: skip
_PERIOD_RES = [(name, re.compile(p, re.IGNORECASE)) for name, p in _PERIOD_PATTERNS]
_SALARY_CONTEXT_RE = re.compile(
    r"salary|salaries|pay\b|pay range|pay scale|compensation|wage|rate|remuneration|"
    r"base|ote|stipend|gehalt|vergutung|entgelt|verdienst|bezahlung|salaire|remuneration|"
    r"sueldo|salario|retribucion|remuneracao|salario|stipendio|retribuzione|\bral\b|"
    r"salaris|loon|per (?:year|annum|hour|month)|hourly|annually|k\b|"
    r"grade|band|scale|step|gs-\d|tv-?l|tvod|e\s?\d{1,2}\b",
    re.IGNORECASE,
)
_NOT_SALARY_RE = re.compile(
    r"revenue|funding|raised|series [a-d]|valuation|customers|users|employees|budget|"
    r"turnover|umsatz|chiffre d'affaires|facturacion|faturamento|fatturato|omzet|"
    r"bonus of up to|relocation|sign-?on|signing|401|learning|training budget|allowance of|"
    r"stipend of|per employee|members|people|staff|organi[sz]ations|countries|locations|"
    r"offices|downloads|followers|projects|apps|mitarbeiter",
    re.IGNORECASE,
)


_URL_RE = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:com|org|gov|uk|de|net)/\S*")
_BIWEEKLY_RE = re.compile(
    r"^\W{0,3}(?:bi-?weekly|every (?:two|2) weeks|per fortnight|fortnightly)", re.IGNORECASE
)
_WEEKLY_RE = re.compile(r"^\W{0,3}(?:weekly|per week|a week|/\s?(?:wk|week)\b)", re.IGNORECASE)
_UP_TO_RE = re.compile(r"(?:up to|bis zu|hasta|jusqu'a|ate|fino a|tot)\s*$", re.IGNORECASE)


@dataclass
class Salary:
    minimum: int | None
    maximum: int | None
    currency: str | None
    period: str | None


def _amount(raw: str, k: str | None) -> float | None:
    raw = raw.strip().replace("\u00a0", " ").replace("\u202f", " ")
    # 1,234.56 / 1.234,56 / 1 234 / 1'234: the last separator followed by 1-2 digits is the
    # decimal point; any other separator groups thousands.
    m = re.match(r"^(.*?)[.,](\d{1,2})$", raw)
    decimals = ""
    if m and re.search(r"[.,' ]\d{3}$", m.group(1) + "x") is None and len(m.group(2)) <= 2:
        raw, decimals = m.group(1), m.group(2)
    digits = re.sub(r"[,.' ]", "", raw)
    if not digits.isdigit():
        return None
    value = float(f"{digits}.{decimals}" if decimals else digits)
    if k and k.strip().lower() in ("k", "tsd", "tsd.", "mil"):
        value *= 1000
    return value


def _currency(m: re.Match[str]) -> str | None:
    for group in ("cur", "cur2", "cur3", "cur4"):
        value = m.group(group)
        if value:
            return _CURRENCY_SYMBOLS.get(value.lower().strip())
    return None


def _period(context: str, amount: float) -> str | None:
    hits = []
    for name, pattern in _PERIOD_RES:
        hit = pattern.search(context)
        if hit and not (
            name == "year" and hit.group().lower() in ("salary", "salaire", "gehalt", "salario")
        ):
            hits.append((hit.start(), name))
    if hits:
        return min(hits)[1]
    if amount < 300:
        return "hour"
    if amount < 15_000:
        return "month" if amount >= 800 else None
    return "year"


def extract_salary(text: str) -> Salary | None:
    """The first stated pay: a single figure or a range, with currency and period.

    Needs a currency or a pay word next to it, so "3-5 years" or "100,000 users" never
    count; government pay scales count when they state an amount ("GS-13, $103,409 to
    $134,435 per year", "Grade 7: £36,000")."""
    best: tuple[int, Salary] | None = None
    for line in text.splitlines():
        folded = _URL_RE.sub(" ", line)
        for m in _SALARY_RE.finditer(folded):
            cur = _currency(m)
            a = _amount(m.group("a"), m.group("k1"))
            b = _amount(m.group("b"), m.group("k2")) if m.group("b") else None
            if a is None:
                continue
            k_any = bool((m.group("k1") or "").strip() or (m.group("k2") or "").strip())
            k_second_only = (m.group("k2") or "").strip() and not (m.group("k1") or "").strip()
            if b is not None and k_second_only and a < 1000 <= b:
                a *= 1000  # "80-100k"
            window = folded[max(0, m.start() - 60) : m.end() + 60]
            if _NOT_SALARY_RE.search(folded[max(0, m.start() - 40) : m.end() + 30]):
                continue
            if cur is None and not (_SALARY_CONTEXT_RE.search(window) and (k_any or a >= 1000)):
                continue
            if cur is None and re.search(_YEARS_WORD, fold(folded[m.end() : m.end() + 12])):
                continue
            if a < 5 or (b is not None and b < a):
                continue
            if a >= 10_000_000 or (b is not None and b >= 10_000_000):
                continue
            if not cur and b is None and 1900 <= a <= 2100 and a == int(a):
                continue  # a year
            before = fold(folded[max(0, m.start() - 12) : m.start()])
            if b is None and not cur and not k_any and a < 1000:
                continue
            after = folded[m.end() : m.end() + 30]
            factor = 1
            period: str | None
            if _BIWEEKLY_RE.search(after):
                period, factor = "year", 26
            elif _WEEKLY_RE.search(after):
                period, factor = "year", 52
            else:
                period = _period(folded[m.start() : m.end() + 50] + " " + window, b or a)
            low = round(a * factor)
            high = round(b * factor) if b is not None else low
            if b is None and _UP_TO_RE.search(before):
                salary = Salary(None, low, cur, period)
            else:
                salary = Salary(low, high, cur, period)
            if cur is None and period is None:
                continue
            score = (
                (2 if cur else 0)
                + (1 if b is not None else 0)
                + (1 if _SALARY_CONTEXT_RE.search(window) else 0)
            )
            if best is None or score > best[0]:
                best = (score, salary)
    return best[1] if best else None


# ---- place, way of working, seniority, language -----------------------------------------

_REMOTE_RE = re.compile(
    r"\b(?:fully remote|100% remote|remote[- ]first|remote only|work from home|"
    r"work from anywhere|remote position|remote role|this is a remote|remote \(|"
    r"\bremote\b|home ?office|homeoffice|telearbeit|mobiles arbeiten|teletravail|"
    r"teletrabajo|en remoto|remoto|trabalho remoto|home office|da remoto|thuiswerken|"
    r"op afstand)",
    re.IGNORECASE,
)
_HYBRID_RE = re.compile(
    r"\bhybrid|hybride|hibrido|ibrido|\d\s?days? (?:a|per) week (?:in|at) (?:the|our) office|"
    r"partly remote|partially remote|teilweise remote|remote (?:and|or|/) (?:office|on-?site)|"
    r"teletravail partiel|parcialmente remoto",
    re.IGNORECASE,
)
_ONSITE_RE = re.compile(
    r"\bon[- ]?site\b|\bin[- ]office\b|office[- ]based|in person|\bvor ort\b|presencial|"
    r"presentiel|sur site|in sede|op kantoor|not remote|no remote",
    re.IGNORECASE,
)
_NO_REMOTE_RE = re.compile(
    r"(?:not|no|isn't|is not|kein|pas de|sin|sem|non)\s+(?:a\s+)?(?:fully\s+)?remote",
    re.IGNORECASE,
)


def work_mode(text: str) -> str | None:
    """remote, hybrid or on-site when the ad says so (None when it does not)."""
    folded = fold(text)
    if _HYBRID_RE.search(folded):
        return "hybrid"
    if _NO_REMOTE_RE.search(folded):
        return "on-site"
    remote = _REMOTE_RE.search(folded)
    if remote:
        return "remote"
    if _ONSITE_RE.search(folded):
        return "on-site"
    return None


_LOCATION_LINE_RE = re.compile(
    r"^\s*(?:[*_#]+\s*)?(?:location|locations|work location|duty station|based in|place of work|"
    r"standort|arbeitsort|einsatzort|dienstort|lieu(?: de travail)?|localisation|ubicacion|"
    r"ubicación|localizacao|localização|local de trabalho|sede(?: di lavoro)?|luogo di lavoro|"
    r"locatie|standplaats|werkplek|city|ciudad|ville|stadt)\s*[*_]*\s*[:：\-–]\s*(.{2,120})$",
    re.IGNORECASE | re.MULTILINE,
)
_IN_CITY_RE = re.compile(
    r"\b(?:based in|located in|office in|in our (?:\w+ )?office in|"
    r"in unserem büro in|standort|en nuestra oficina de|nos bureaux de)\s+"
    r"([A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,2}(?:,\s*[A-Z][\w.]+(?: [A-Z][\w.]+)?)?)",
)


def extract_location(text: str) -> str | None:
    """The stated place of work ("Location: Berlin, Germany")."""
    m = _LOCATION_LINE_RE.search(text)
    if m:
        value = re.split(r"\.\s|;|\s\|\s", re.sub(r"[*_]+", "", m.group(1)))[0].strip(" .;")
        return value[:200] or None
    for m2 in _IN_CITY_RE.finditer(text[:4000]):
        place = m2.group(1).strip(" .,")
        if looks_like_location(place):
            return place[:200]
    return None


_SENIORITY_PATTERNS = [
    ("intern", r"\bintern(?:ship)?\b|\bpraktik|\bstagiaire|\bstage\b|\bpasant|\bbecari|"
     r"\bestagi|\btirocin|\bstagist|\bwerkstudent|working student|trainee|apprentice|"
     r"\bazubi\b|ausbildung zum|alternance"),
    ("executive", r"\bchief\b|\bc[etofi]o\b|\bvp\b|vice president|\bdirector\b|\bdirektor|"
     r"\bdirecteur|\bdirector[a]?\b|\bdiretor|\bdirettore|head of|\bleiter(?:in)?\b"),
    ("lead", r"\blead\b|\bprincipal\b|\bstaff\b|\barchitect|\bmanager\b|team lead|teamleiter|"
     r"\bresponsable\b|\bjefe\b|\bgerente\b|\bcoordinator\b|\bsupervisor\b|\bchef de\b"),
    ("senior", r"\bsenior\b|\bsr\.?\b|\bexperienced\b|\bexpert\b|\bsenior[a]?\b|\bconfirme"),
    ("junior", r"\bjunior\b|\bjr\.?\b|entry[- ]level|graduate|\bberufseinsteiger|"
     r"\bdebutant|\bjunior\b|\bassistant\b|\btrainee\b"),
    ("mid", r"\bmid[- ]?level\b|\bintermediate\b|\bmid\b|\bmedior\b|\bii\b|\bpleno\b"),
]  # fmt: skip
_SENIORITY_RES = [(n, re.compile(p, re.IGNORECASE)) for n, p in _SENIORITY_PATTERNS]


def seniority(title: str, years: float | None) -> str | None:
    """intern, junior, mid, senior, lead or executive: from the title, else from years."""
    folded = fold(title)
    for name, pattern in _SENIORITY_RES:
        if pattern.search(folded):
            return name
    if years is None:
        return None
    if years >= 5:
        return "senior"
    if years >= 2:
        return "mid"
    return "junior"


_LANGUAGE_WORDS = {
    "en": "the and of to in for with you we our your will are is be on as this that have",
    "de": "und der die das mit für wir sie du ist bei von zu den ein eine auf im deine ihre "
    "unsere nicht auch oder wird",
    "fr": "et le la les des de du en pour avec vous nous une un est sur au aux votre vos notre "
    "dans qui",
    "es": "y el la los las de del en para con que una un es por tu sus nuestro nuestra se al como",
    "pt": "e o a os as de do da em para com que uma um é por seu sua nosso nossa você na no "
    "dos das",
    "it": "e il la i gli le di del della in per con che una un è sono nostro nostra tuo "
    "delle degli nel alla",
    "nl": "en de het een van in voor met je jij wij we ons onze is op te zijn bij als die aan",
}
_LANGUAGE_SETS = {lang: set(words.split()) for lang, words in _LANGUAGE_WORDS.items()}


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the ad's language from its commonest short words."""
    words = re.findall(r"[^\W\d_]+", text[:6000].lower())
    if len(words) < 8:
        return None
    counts = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _LANGUAGE_SETS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    if counts[best] < 3:
        return None
    return best
