"""A job ad split into its parts: about the company, responsibilities, requirements,
nice-to-have, benefits, how to apply, legal boilerplate.

Headings decide first (in English, Spanish, German, French, Portuguese, Italian and Dutch); a
line under no recognised heading is classified by its wording ("we offer", "equal opportunity
employer", "you have 3 years of ...").  A strongly legal or benefit line is moved out of
whatever part it sits in, since ads often end their last section without a new heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

PartKind = Literal[
    "intro",
    "company",
    "responsibilities",
    "requirements",
    "nice_to_have",
    "benefits",
    "apply",
    "legal",
    "location",
    "other",
]
KINDS: tuple[str, ...] = (
    "intro",
    "company",
    "responsibilities",
    "requirements",
    "nice_to_have",
    "benefits",
    "apply",
    "legal",
    "location",
    "other",
)


def fold(text: str) -> str:
    """Lower case without accents, for wording tests in any of the languages."""
    low = text.lower().replace("’", "'")
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


def _alt(*phrases: str) -> str:
    return "|".join(sorted((fold(p) for p in phrases), key=len, reverse=True))


# Heading vocabularies, tried in this order (nice-to-have before requirements, because
# "preferred qualifications" contains "qualifications").
_HEADINGS: list[tuple[str, str]] = [
    (
        "legal",
        _alt(
            "equal opportunity", "equal employment", "eeo", "eoe", "diversity", "inclusion",
            "diversity and inclusion", "our commitment", "accommodation", "accommodations",
            "reasonable adjustments", "disclaimer", "privacy", "data protection", "gdpr",
            "datenschutz", "chancengleichheit", "vielfalt", "protection des donnees",
            "egalite des chances", "diversite", "igualdad de oportunidades", "diversidad",
            "proteccion de datos", "privacidade", "diversidade", "pari opportunita",
            "privacy policy", "gelijke kansen", "diversiteit", "legal", "notice",
            "e-verify", "security clearance notice", "veterans", "fraud", "recruitment fraud",
            "security", "security responsibilities", "civil service competencies",
        ),
    ),
    (
        "nice_to_have",
        _alt(
            "nice to have", "nice-to-have", "nice to haves", "nice-to-haves", "bonus",
            "bonus points", "bonus skills", "preferred", "preferred qualifications",
            "preferred skills", "preferred experience", "desirable", "desirable criteria",
            "desirable skills", "desired", "desired skills", "desired qualifications",
            "pluses", "plus", "good to have", "great to have", "it would be great if",
            "extra credit", "even better", "ideally", "additional qualifications",
            "desirable skills and experience", "desirable skills", "desirable criteria",
            "wunschenswert", "von vorteil", "idealerweise", "ein plus", "pluspunkte",
            "atouts", "un plus", "les plus", "serait un plus", "apreciable", "valorable",
            "se valorara", "deseable", "valoraremos", "diferenciais", "desejavel",
            "sera um diferencial", "gradito", "graditi", "costituisce titolo preferenziale",
            "titoli preferenziali", "pre", "pluspunten", "een pre", "mooi meegenomen",
        ),
    ),
    (
        "requirements",
        _alt(
            "requirements", "requirement", "required", "required qualifications",
            "minimum qualifications", "basic qualifications", "minimum requirements",
            "qualifications", "qualification", "must have", "must haves", "must-haves",
            "what you'll need", "what you will need", "what you need", "what you bring",
            "what we ask", "what we ask for", "what we expect", "what we need",
            "our ideal candidate has", "our ideal candidate", "a good match might have",
            "a good match", "tools", "technical skills", "skills and competences",
            "skills and competencies", "essential skills and experience",
            "essential skills and expertise", "essential skills and expertise for this role are",
            "was ihr mitbringen solltet", "was du mitbringen solltest", "anforderungsprofil",
            "ihre anforderungen", "vorraussetzungen", "wir sollten uns kennenlernen, wenn sie",
            "das sollten sie mitbringen", "das solltest du mitbringen", "was uns bewegt",
            "what you'll bring", "what we're looking for", "what we are looking for",
            "who you are", "about you", "your profile", "profile", "you have", "you bring",
            "a lot about you", "a bit about you", "more about you",
            "you are", "skills", "skills and experience", "experience", "education",
            "knowledge, skills and abilities", "knowledge skills and abilities",
            "skills and qualifications", "essential criteria", "essential", "essential skills",
            "person specification", "the ideal candidate", "ideal candidate", "candidate profile",
            "your skills", "your experience", "competencies", "licenses", "certifications",
            "licenses and certifications", "training and experience", "experience and training",
            "minimum education and experience", "we are looking for", "we're looking for",
            "anforderungen", "ihr profil", "dein profil", "profil", "das bringst du mit",
            "das bringen sie mit", "was du mitbringst", "was sie mitbringen", "voraussetzungen",
            "qualifikationen", "deine qualifikationen", "ihre qualifikationen", "was wir erwarten",
            "das zeichnet dich aus", "was dich auszeichnet", "wen wir suchen",
            "profil recherche", "votre profil", "ton profil", "competences requises",
            "competences", "qualifications requises", "exigences", "prerequis",
            "ce que nous recherchons", "requisitos", "perfil", "perfil buscado",
            "lo que buscamos", "que buscamos", "buscamos", "requerimientos", "que necesitas",
            "requisitos minimos", "tu perfil", "o que esperamos", "qualificacoes",
            "o que buscamos", "seu perfil", "requisiti", "profilo", "profilo ricercato",
            "cosa cerchiamo", "competenze richieste", "requisiti richiesti", "il tuo profilo",
            "functie-eisen", "functie eisen", "wat wij vragen", "wat vragen wij", "wie ben jij",
            "jouw profiel", "wat breng je mee", "wat we zoeken", "wat wij zoeken", "eisen",
            "wie zoeken wij", "je profiel",
        ),
    ),
    (
        "responsibilities",
        _alt(
            "responsibilities", "key responsibilities", "main responsibilities",
            "your responsibilities", "duties", "main duties", "major duties", "key duties",
            "examples of duties", "essential functions", "essential duties", "typical duties",
            "what you'll do", "what you will do", "what you'll be doing", "what you'll work on",
            "your role", "the role", "role", "about the role", "role description",
            "job description", "position description", "position summary", "job summary",
            "your tasks", "tasks", "day to day", "day-to-day", "in this role", "your mission",
            "the job", "the position", "what the job involves", "job purpose",
            "deine aufgaben", "ihre aufgaben", "aufgaben", "das erwartet dich",
            "das erwartet sie", "deine rolle", "ihre rolle", "stellenbeschreibung",
            "taetigkeiten", "tatigkeiten", "deine mission", "missions", "vos missions",
            "aufgabengebiet", "ihr aufgabengebiet", "aufgabenbereich", "aufgabenbereiche",
            "folgende aufgaben erwarten sie", "ihre aufgaben beinhalten im einzelnen",
            "was sie bewegt", "some things you might find yourself doing",
            "tes missions", "ton role", "votre role", "descriptif du poste", "le poste",
            "description du poste", "responsabilites", "responsabilidades", "funciones",
            "tus funciones", "tareas", "que haras", "tu rol", "descripcion del puesto",
            "el puesto", "atividades", "suas atividades", "atribuicoes", "o que voce vai fazer",
            "responsabilita", "mansioni", "cosa farai", "il ruolo", "attivita",
            "taken", "jouw taken", "je taken", "wat ga je doen", "functieomschrijving",
            "de functie", "wat ga jij doen", "verantwoordelijkheden",
        ),
    ),
    (
        "benefits",
        _alt(
            "benefits", "what we offer", "we offer", "perks", "perks and benefits",
            "benefits and perks", "compensation", "compensation and benefits", "salary",
            "pay", "salary and benefits", "why join us", "why work with us", "why us",
            "what's in it for you", "our offer", "what you get", "what you'll get", "rewards",
            "total rewards", "wir bieten", "was wir bieten", "das bieten wir", "unser angebot",
            "deine vorteile", "ihre vorteile", "das bieten wir dir", "das bieten wir ihnen",
            "benefits fur dich", "verguetung", "gehalt", "nous offrons", "ce que nous offrons",
            "unser angebot", "wilo bietet als arbeitgeber viele vorteile",
            "ce que nous proposons", "avantages", "nos avantages", "remuneration",
            "ofrecemos", "que ofrecemos", "beneficios", "te ofrecemos", "salario",
            "oferecemos", "beneficios", "o que oferecemos", "remuneracao", "offriamo",
            "cosa offriamo", "cosa ti offriamo", "wij bieden", "wat wij bieden",
            "wat bieden wij", "arbeidsvoorwaarden", "salaris",
        ),
    ),
    (
        "apply",
        _alt(
            "how to apply", "to apply", "apply", "apply now", "application process",
            "applying", "interview process", "hiring process", "recruitment process",
            "next steps", "application", "how to apply for this job", "contact",
            "bewerbung", "so bewirbst du dich", "bewerbungsprozess", "kontakt",
            "interesse", "candidature", "comment postuler", "postuler", "processus de recrutement",
            "postulacion", "como aplicar", "proceso de seleccion", "candidatura",
            "como se candidatar", "processo seletivo", "come candidarsi", "sollicitatie",
            "solliciteren", "interesse gewekt", "sollicitatieprocedure", "selection process",
            "selection process details", "things you need to know", "interview", "interviews",
            "interview process", "country hiring guidelines", "your privacy",
        ),
    ),
    (
        "company",
        _alt(
            "about us", "about the company", "who we are", "our company", "company description",
            "the company", "company", "our mission", "about the team", "the team", "our team",
            "a bit about us", "a little about us", "about the eclipse foundation", "summary",
            "who you'll work with", "our story", "mission", "about", "uber uns",
            "wer wir sind", "das sind wir", "unternehmen", "unser unternehmen", "uber das team",
            "qui sommes-nous", "qui sommes nous", "a propos", "l'entreprise", "la societe",
            "notre entreprise", "sobre nosotros", "quienes somos", "la empresa", "sobre nos",
            "quem somos", "a empresa", "chi siamo", "l'azienda", "azienda", "over ons",
            "wie zijn wij", "wie zijn we", "het bedrijf", "over het bedrijf",
        ),
    ),
    (
        "location",
        _alt(
            "location", "locations", "work location", "where", "standort", "arbeitsort", "lieu",
            "localisation", "ubicacion", "localizacao", "local", "sede", "locatie", "werkplek",
        ),
    ),
]  # fmt: skip
_HEADING_RES = [
    (kind, re.compile(rf"^(?:{words})(?:\s*\([^)]*\))?\s*$", re.IGNORECASE))
    for kind, words in _HEADINGS
]
# A heading may be longer than its key phrase: "Your profile at ACME", "About Acme".
_HEADING_PREFIX_RES = [
    (kind, re.compile(rf"^(?:{words})\b", re.IGNORECASE)) for kind, words in _HEADINGS
]

_BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦○◆►▶➢➤✓✔☑→\-–—*·+]|\d{1,2}[.)])\s+")
_MARKUP_RE = re.compile(r"^\s*#{1,6}\s*|\*\*|__|<[^>]{1,40}>")

# Wording of lines outside any recognised heading.
_LEGAL_RE = re.compile(
    r"equal (?:employment )?opportunit|without regard to|regardless of (?:race|age|gender|sex)|"
    r"\beeo\b|\beoe\b|affirmative action|protected veteran|reasonable accommodation|"
    r"reasonable adjustment|disabilit(?:y|ies) (?:status|confident)|e-verify|"
    r"background (?:check|investigation)|drug (?:screen|test)|privacy (?:notice|policy)|"
    r"\bgdpr\b|personal data|we (?:celebrate|value|welcome|embrace) diversity|"
    r"diverse (?:workforce|team|candidates)|all qualified applicants|"
    r"applications from (?:all|people|candidates) of|pay transparency|"
    r"(?:race|colou?r|religion),? (?:colou?r|religion|sex|national origin)|"
    r"sexual orientation|gender identity|chancengleichheit|schwerbehindert|"
    r"unabhangig von geschlecht|datenschutz|egalite des chances|situation de handicap|"
    r"igualdad de oportunidades|sin distincion|pari opportunita|gelijke kansen|"
    r"recruitment agenc|no agencies|unsolicited (?:resumes|cvs)|right to work in|"
    r"visa sponsorship|sponsorship",
    re.IGNORECASE,
)
_BENEFIT_RE = re.compile(
    r"\bwe offer\b|we provide|you(?:'ll| will) (?:get|receive|enjoy)|health (?:insurance|care "
    r"plan|benefits)|dental|vision insurance|medical(?:,| and) dental|401\s*\(?k\)?|pension|"
    r"retirement (?:plan|savings)|paid time off|\bpto\b|paid (?:holidays|leave|vacation)|"
    r"vacation days|days (?:of )?(?:annual )?leave|annual leave|holiday allowance|"
    r"parental leave|maternity|paternity|gym (?:membership)?|wellness|wellbeing|"
    r"well-being|stock options|equity (?:package|grant)|employee assistance|"
    r"life insurance|tuition (?:reimbursement|assistance)|learning budget|training budget|"
    r"commuter|free (?:lunch|snacks|coffee|meals)|company car|flexible (?:working )?hours|"
    r"flexible working|cycle to work|childcare|sick (?:leave|pay)|"
    r"wir bieten|bieten (?:wir|dir|ihnen)|urlaubstage|\burlaub\b|altersvorsorge|"
    r"jobrad|jobticket|zuschuss|ofrecemos|seguro medico|vacaciones|retribucion flexible|"
    r"nous (?:offrons|proposons)|mutuelle|tickets? restaurant|conges|\brtt\b|"
    r"oferecemos|plano de saude|vale[- ](?:refeicao|alimentacao|transporte)|"
    r"offriamo|buoni pasto|welfare aziendale|wij bieden|pensioenregeling|vakantiedagen|"
    r"reiskostenvergoeding|competitive (?:salary|compensation|pay)",
    re.IGNORECASE,
)
_APPLY_RE = re.compile(
    r"^(?:to apply|apply (?:now|here|online|via|through|at|by)|please (?:apply|send|submit)|"
    r"send (?:your|us your) (?:cv|resume|application)|submit (?:your|a) (?:cv|resume|"
    r"application|cover letter)|interested (?:candidates|applicants)|applications? "
    r"(?:close|closing|deadline|must)|closing date|deadline|"
    r"schick(?:e)? (?:uns )?deine|senden sie|bewirb dich|bewerben sie sich|"
    r"envoyez|postulez|envia(?:nos)? tu|postula|envie (?:seu|o seu) curriculo|candidate-se|"
    r"invia(?:ci)? il tuo|candidati|stuur (?:je|jouw)|solliciteer)",
    re.IGNORECASE,
)
_COMPANY_RE = re.compile(
    r"^(?:we are (?:a|an|the)\b|we're (?:a|an|the)\b|founded in|our mission|our company|"
    r"our clients|our customers|[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*)* (?:is|are) (?:a|an|the) "
    r"(?:leading|global|fast(?![- ]paced)|growing|world|award|innovative|international|national|"
    r"non-?profit|public|private|family|young|small|large|\w+-based|[\w-]+ (?:company|"
    r"startup|firm|agency|organi[sz]ation|provider|platform|leader))|"
    r"wir sind (?:ein|eine|der|die|das)|nous sommes (?:un|une|le|la)|somos (?:un|una|la|el|"
    r"uma|o|a)\b|siamo (?:un|una|il|la|l)|wij zijn (?:een|de|het)|headquartered|"
    r"with (?:offices|over \d|more than \d)|since \d{4})",
    re.IGNORECASE,
)
_NICE_RE = re.compile(
    r"nice[\s-]to[\s-]have|\bbonus\b|\bpreferred\b|preferably|\ba plus\b|is a plus|are a plus|"
    r"an advantage|advantageous|desirable|\bdesired\b|\bideally\b|\boptional\b|"
    r"would be great|would be nice|nice if|good to have|great to have|extra points|"
    r"plus points|even better|a bonus|wunschenswert|von vorteil|idealerweise|ein plus|"
    r"pluspunkt|souhaite|souhaitable|un plus|serait un plus|\bun atout\b|apreciable|"
    r"deseable|valorable|se valorara|valoraremos|(?:sera|e) um diferencial|diferencial|"
    r"desejavel|\bgradit[oa]\b|costituisce (?:un plus|titolo)|preferenziale|"
    r"\bis een pre\b|\been pre\b|pluspunt|strekt tot aanbeveling|\ban asset\b|"
    r"\bbevorzugt\b|\bbestenfalls\b|\bpreferable\b|\bpreferred\b|idealmente|"
    r"preferiblemente|de preferencia|preferencialmente|preferibilmente|bij voorkeur|idealement",
    re.IGNORECASE,
)
_REQUIREMENT_RE = re.compile(
    r"\byou (?:have|bring|are|possess|should have|must|need)\b|\brequired\b|\bmust\b|"
    r"\brequires?\b|experience (?:with|in|of|using|working)|years? of (?:\w+ )?experience|"
    r"knowledge of|proficien(?:t|cy) (?:in|with)|familiar(?:ity)? with|degree in|"
    r"\bdegree\b|bachelor|master'?s|diploma|certified|certification in|ability to|"
    r"understanding of|strong (?:\w+ )?skills|track record|"
    r"du hast|du bringst|sie haben|sie bringen|kenntnisse|erfahrung (?:in|mit)|"
    r"abgeschlossene|studium|ausbildung|vous avez|vous maitrisez|maitrise|"
    r"connaissance|experience (?:en|de|significative)|diplome|tu as|"
    r"experiencia (?:en|con|de|minima)|conocimientos?|titulacion|grado en|"
    r"experiencia|experiencia com|conhecimentos?|formacao|graduacao|"
    r"esperienza|conoscenza|laurea|ervaring (?:met|in)|kennis van|opleiding|hbo|\bwo\b",
    re.IGNORECASE,
)
_DUTY_RE = re.compile(
    r"^(?:you will|you'll|you would|responsible for|in this role|your (?:role|job) "
    r"(?:is|will)|du wirst|sie werden|vous (?:serez|allez)|tu vas|seras responsable|"
    r"seras|sera responsable|voce (?:ira|vai)|sarai|je gaat|jij gaat|you are responsible)",
    re.IGNORECASE,
)


@dataclass
class Part:
    kind: str
    heading: str | None
    lines: list[str]
    headed: bool  # the kind comes from a heading, not from wording

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _clean(line: str) -> str:
    return _MARKUP_RE.sub("", line).strip().strip("*_").strip()


def heading_kind(line: str) -> str | None:
    """The part kind a heading line opens, or None when it is not a heading we know."""
    raw = _clean(line).rstrip(":：").strip()
    if not raw or len(raw) > 80 or len(raw.split()) > 9:
        return None
    key = fold(raw)
    key = re.sub(r"[!?.…]+$", "", key).strip()
    for kind, pattern in _HEADING_RES:
        if pattern.match(key):
            return kind
    # "About Acme", "Your profile at Acme", "Benefits at Acme", "Requirements (must have)".
    if len(raw.split()) <= 7:
        for kind, pattern in _HEADING_PREFIX_RES:
            if pattern.match(key) and not re.search(r"[.;]", key):
                return kind
    return None


def _looks_like_heading(raw_line: str) -> bool:
    line = raw_line.strip()
    if not line or _BULLET_RE.match(raw_line):
        return False
    if re.match(r"^#{1,6}\s", line) or (line.startswith("**") and line.rstrip(":").endswith("**")):
        return True
    bare = _clean(line)
    if not bare or len(bare) > 80 or len(bare.split()) > 9:
        return False
    if bare.endswith((":", "：")):
        return True
    return not bare.endswith((".", ",", ";")) and len(bare.split()) <= 6


def wording_kind(line: str) -> str | None:
    """A part kind from a line's own wording, for lines under no recognised heading."""
    text = fold(_BULLET_RE.sub("", line))
    if _LEGAL_RE.search(text):
        return "legal"
    if _APPLY_RE.search(text):
        return "apply"
    if _BENEFIT_RE.search(text):
        return "benefits"
    if _COMPANY_RE.search(_BULLET_RE.sub("", line).strip()):
        return "company"
    if _NICE_RE.search(text):
        return "nice_to_have"
    if _DUTY_RE.search(text.strip()):
        return "responsibilities"
    if _REQUIREMENT_RE.search(text):
        return "requirements"
    return None


def is_nice_wording(sentence: str) -> bool:
    return _NICE_RE.search(fold(sentence)) is not None


def _logical_lines(text: str) -> list[str]:
    """Lines with hard-wrapped continuations joined back: an indented line under a bullet,
    or any line after a long line that stopped mid-sentence (ads pasted from PDFs and
    e-mails are wrapped at 70-100 characters)."""
    out: list[str] = []
    previous_blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            previous_blank = True
            continue
        if out and not previous_blank and not _BULLET_RE.match(raw):
            prev = out[-1].rstrip()
            indented = raw[:1] in (" ", "\t") and bool(_BULLET_RE.match(out[-1]))
            wrapped = (
                len(prev) >= 60
                and not prev.endswith((".", ":", "!", "?", ";", "：", "。"))
                and heading_kind(raw) is None
            )
            if indented or wrapped:
                out[-1] = prev + " " + raw.strip()
                continue
        out.append(raw)
        previous_blank = False
    return out


def split_posting(text: str) -> list[Part]:
    """The ad's parts in order. Lines before any heading form the "intro"; a heading we do
    not recognise opens an "other" part."""
    parts: list[Part] = [Part("intro", None, [], False)]
    for raw in _logical_lines(text):
        if not raw.strip():
            continue
        if _looks_like_heading(raw):
            kind = heading_kind(raw)
            if kind is not None:
                parts.append(Part(kind, _clean(raw).rstrip(":："), [], True))
                continue
            # "Requirements: Python, SQL" (a heading with its content on the same line).
        inline = re.match(r"^\s*(?:[*_#]+\s*)?([^:：]{2,60})[:：]\s*(\S.*)$", raw)
        if inline:
            kind = heading_kind(inline.group(1))
            if kind is not None and kind != "location":
                parts.append(Part(kind, _clean(inline.group(1)), [inline.group(2)], True))
                continue
        if _looks_like_heading(raw) and not _BULLET_RE.match(raw) and raw.strip().endswith(":"):
            if parts[-1].headed and not parts[-1].lines and parts[-1].kind != "other":
                continue  # a lead-in under a heading: "You'll be able to demonstrate that you:"
            parts.append(Part("other", _clean(raw).rstrip(":："), [], True))
            continue
        # "Proficiency with the following tools will be considered an asset:" opens a list.
        if (
            not _BULLET_RE.match(raw)
            and raw.strip().endswith((":", "："))
            and len(raw.split()) <= 25
            and is_nice_wording(raw)
        ):
            parts.append(Part("nice_to_have", _clean(raw).rstrip(":："), [], True))
            continue
        parts[-1].lines.append(raw)
    return [p for p in parts if p.lines or p.headed]


def classified_lines(parts: list[Part]) -> list[tuple[str, str]]:
    """(kind, line) for every content line: the heading's kind, except that legal wording
    always wins, benefit wording wins outside requirement parts, and lines of unheaded or
    unknown parts take their kind from their wording (or stay "intro"/"other"). When the ad
    has a requirement heading, wording never adds requirements elsewhere ("please ensure you
    have access to Teams" under "Interviews" is no requirement)."""
    headed = has_headed_requirements(parts)
    out: list[tuple[str, str]] = []
    for part in parts:
        for raw_line in part.lines:
            # Unheaded text is classified sentence by sentence: one paragraph often holds
            # duties, pay and an equal-opportunity statement.
            pieces = (
                [p for p in _SENTENCE_RE.split(raw_line) if p.strip()]
                if part.kind in ("intro", "other")
                else [raw_line]
            )
            for line in pieces:
                out.append(_classify(part.kind, line, headed))
    return out


_SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+(?=[\"“(\[]?[A-Z0-9ÄÖÜÉ])")


def has_headed_requirements(parts: list[Part]) -> bool:
    return any(p.headed and p.kind in ("requirements", "nice_to_have") for p in parts)


def _classify(kind: str, line: str, headed: bool) -> tuple[str, str]:
    worded = wording_kind(line)
    override = worded == "legal" or (
        worded == "benefits" and kind not in ("requirements", "nice_to_have")
    )
    if headed and worded in ("requirements", "nice_to_have") and not override:
        worded = None
    if worded is not None and (override or kind in ("intro", "other")):
        kind = worded
    return kind, line
