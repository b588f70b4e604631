"""Find section headings (in several languages and typographic styles) and split a CV by them."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from resumate.ai.dates import find_date_ranges, find_dates
from resumate.ai.documents import TextLine

# Canonical section -> heading variants (lower case; accents are ignored when matching).
# Variants marked with a leading "~" are ordinary words too ("Leadership", "Training"): they only
# count as headings when the line also looks like a heading (caps, bold, larger, colon, style).
HEADINGS: dict[str, list[str]] = {
    "summary": [
        "summary", "professional summary", "career summary", "executive summary", "profile",
        "professional profile", "personal profile", "career profile", "about me", "~about",
        "objective", "career objective", "professional objective", "personal statement",
        "~overview", "~introduction", "summary of qualifications", "qualifications summary",
        "career overview", "professional overview", "who i am", "bio", "~highlights",
        "profil", "kurzprofil", "zusammenfassung", "über mich", "persönliches profil",
        "berufliches profil", "profil professionnel", "à propos", "a propos", "à propos de moi",
        "objectif", "objectif professionnel", "résumé", "résumé professionnel", "perfil",
        "perfil profesional", "resumen", "resumen profesional", "sobre mí", "acerca de mí",
        "objetivo", "objetivo profesional", "extracto", "resumo", "resumo profissional",
        "sobre mim", "perfil profissional", "objetivo profissional", "profilo",
        "profilo professionale", "sommario", "chi sono", "obiettivo", "presentazione",
        "profiel", "samenvatting", "over mij", "persoonlijk profiel", "profielschets",
        "о себе", "обо мне", "про себе", "профиль", "профіль",
        "个人简介", "自我评价", "个人总结", "个人概况", "职业概述", "求职意向", "自我介绍",
        "专业简介", "个人优势", "个人评价",
    ],
    "experience": [
        "experience", "work experience", "professional experience", "employment history",
        "employment", "work history", "career history", "relevant experience",
        "professional background", "~career", "positions held", "experience history",
        "professional history", "employment experience", "job history", "work", "~background",
        "berufserfahrung", "berufliche erfahrung", "berufspraxis", "werdegang",
        "beruflicher werdegang", "praxiserfahrung", "erfahrung", "berufliche laufbahn",
        "tätigkeiten", "expérience professionnelle", "expériences professionnelles",
        "expérience", "expériences", "parcours professionnel", "experiencia",
        "experiencia laboral", "experiencia profesional", "trayectoria profesional",
        "historial laboral", "experiência profissional", "experiência", "experiências",
        "histórico profissional", "experiência laboral", "esperienza", "esperienze",
        "esperienza lavorativa", "esperienza professionale", "esperienze professionali",
        "esperienze lavorative", "werkervaring", "ervaring", "professionele ervaring",
        "loopbaan", "arbeidsverleden", "experiencia profesional y laboral", "工作经历", "工作经验",
        "实习经历", "实习经验", "工作履历", "职业经历", "任职经历", "工作及教育经历",
        "relevant employment", "current employment", "previous employment", "employment record",
        "previous experience", "beschäftigung", "beschäftigungen", "arbeitserfahrung",
        "erfahrungen", "erfahrungen und tätigkeiten", "berufliche tätigkeiten", "trayectoria",
        "trayectoria y experiencia", "опыт работы", "опыт", "трудовая деятельность",
        "досвід", "досвід роботи", "професійний досвід", "doświadczenie", "doświadczenie zawodowe",
        "internships", "~internship", "internship experience", "praktika", "~praktikum",
        "praktische erfahrung", "stages", "~stage", "expérience de stage", "prácticas",
        "experiencia práctica", "estágios", "~estágio", "tirocini", "~tirocinio", "stages en werk",
        "stageervaring", "经验", "实践经历", "实习", "work and internship experience",
        "praktische erfahrungen", "praxiserfahrungen",
        "berufstätigkeit", "berufstätigkeiten", "berufsleben", "arbeitserfahrungen",
        "berufliche stationen", "activité professionnelle", "activités professionnelles",
        "carrière professionnelle", "historique professionnel", "expérience de travail",
        "actividad profesional", "actividades profesionales", "carrera profesional",
        "antecedentes laborales", "experiencia de trabajo", "atividade profissional",
        "atividades profissionais", "percurso profissional", "trajetória profissional",
        "experiência de trabalho", "attività professionale", "attività professionali",
        "percorso professionale", "esperienza di lavoro", "esperienze di lavoro",
        "beroepservaring", "werkgeschiedenis", "arbeidservaring", "professionele loopbaan",
        "career experience", "professional employment", "work record",
        "erfaring", "erhvervserfaring", "arbejdserfaring", "arbeidserfaring", "yrkeserfaring",
        "erfarenhet", "arbetslivserfarenhet", "arbetserfarenhet", "yrkeslivserfarenhet",
        "työkokemus", "doświadczenie", "deneyim", "iş deneyimi", "profesyonel deneyim",
    ],
    "education": [
        "education", "academic background", "education and training", "academic history",
        "academic qualifications", "educational background", "education history", "studies",
        "academics", "qualifications and education", "education and qualifications",
        "ausbildung", "bildung", "bildungsweg", "schulbildung", "studium",
        "akademischer werdegang", "schul und berufsausbildung", "aus und weiterbildung",
        "formation", "formations", "éducation", "études", "parcours académique",
        "formation académique", "educación", "formación", "formación académica", "estudios",
        "formação", "educação", "formação acadêmica", "formação académica", "escolaridade",
        "istruzione", "formazione", "istruzione e formazione", "studi", "opleiding",
        "opleidingen", "onderwijs", "opleiding en training", "formation suivie",
        "formations suivies", "cursus", "教育背景", "教育经历", "学历", "教育", "образование",
        "学历背景", "教育情况", "学习经历", "教育及培训", "教育与培训",
        "освіта", "wykształcenie",
    ],
    "skills": [
        "skills", "technical skills", "core competencies", "competencies", "key skills",
        "areas of expertise", "~expertise", "technologies", "tech stack", "~tools",
        "skills and abilities", "~qualifications", "~strengths", "proficiencies", "it skills",
        "computer skills", "core skills", "skill set", "skillset", "professional skills",
        "skills summary", "key competencies", "technical proficiencies", "tools and technologies",
        "technical expertise", "soft skills", "hard skills", "~software", "core strengths",
        "kenntnisse", "fähigkeiten", "kompetenzen", "fachkenntnisse", "it kenntnisse",
        "edv kenntnisse", "qualifikationen", "fertigkeiten", "fachliche kompetenzen",
        "kenntnisse und fähigkeiten", "compétences", "compétences techniques",
        "compétences clés", "savoir faire", "habilidades", "competencias", "aptitudes",
        "conocimientos", "habilidades técnicas", "competências", "conhecimentos",
        "competências técnicas", "competenze", "abilità", "capacità", "competenze tecniche",
        "vaardigheden", "competenties", "kennis", "kennis en vaardigheden", "专业技能", "技能",
        "技能特长", "个人技能", "技术技能", "专业能力", "навыки", "ключевые навыки",
        "профессиональные навыки", "навички", "ключові навички", "umiejętności",
        "aptitudes principales", "schlagworte",
        "~informatique", "compétences informatiques", "~werkzeuge", "~programme",
        "conocimientos informáticos", "competências informáticas",
    ],
    "projects": [
        "projects", "personal projects", "key projects", "selected projects", "side projects",
        "academic projects", "project experience", "notable projects", "projekte",
        "projets", "proyectos", "projetos", "progetti", "projecten", "项目经历", "项目经验",
        "projets réalisés", "projets personnels", "proyectos personales", "projetos pessoais",
        "проекты", "проєкти",
    ],
    "certifications": [
        "certifications", "certificates", "licenses", "licences", "licenses and certifications",
        "licences and certifications", "certifications and licenses", "accreditations",
        "credentials", "certification", "professional certifications", "zertifikate",
        "zertifizierungen", "certificats", "certificaciones", "certificados", "certificações",
        "certificazioni", "certificaten", "certificeringen", "diplomas and certificates",
        "证书", "资格证书", "证书资质",
    ],
    "languages": [
        "languages", "language skills", "language", "spoken languages", "language proficiency",
        "sprachen", "sprachkenntnisse", "fremdsprachen", "langues", "compétences linguistiques",
        "idiomas", "lenguas", "línguas", "lingue", "conoscenze linguistiche", "talen",
        "talenkennis", "taalvaardigheid", "语言能力", "外语能力", "языки", "знание языков", "мови",
        "语言", "外语", "langues étrangères", "langues etrangeres", "langues vivantes",
        "idiomas y certificaciones",
        "języki",
    ],
    "awards": [
        "awards", "honors", "honours", "achievements", "awards and honors",
        "awards and honours", "honors and awards", "accomplishments", "~recognition",
        "key achievements", "auszeichnungen", "erfolge", "prix", "distinctions", "récompenses",
        "premios", "logros", "reconocimientos", "prêmios", "prémios", "conquistas", "premi",
        "riconoscimenti", "prijzen", "onderscheidingen", "获奖情况", "荣誉奖项", "所获荣誉",
        "~prizes", "~grants", "grants and awards", "~scholarships", "获奖经历", "荣誉",
    ],
    "volunteer": [
        "volunteer", "volunteering", "volunteer experience", "volunteer work",
        "community involvement", "community service", "ehrenamt", "ehrenamtliches engagement",
        "~engagement", "bénévolat", "voluntariado", "volontariato", "vrijwilligerswerk",
        "soziales engagement", "gesellschaftliches engagement", "engagement associatif",
        "engagement social", "engagement bénévole",
    ],
    "publications": [
        "publications", "selected publications", "~research", "~papers", "publikationen",
        "publication record", "papers presented", "conference papers", "conference contributions",
        "~presentations", "~talks", "présentations", "submitted articles", "论文", "发表论文",
        "veröffentlichungen", "publicaciones", "publicações", "pubblicazioni", "publicaties",
    ],
    "interests": [
        "interests", "hobbies", "hobbies and interests", "interests and hobbies",
        "personal interests", "interessen", "hobbys", "freizeit", "centres d'intérêt",
        "centres d'intérêts", "loisirs", "intereses", "aficiones", "interesses",
        "hobbies e interessi", "interessi", "hobby's", "hobby", "vrije tijd", "兴趣爱好",
    ],
    "references": [
        "references", "referees", "referenzen", "références", "referencias", "referências",
        "referenze", "referenties",
    ],
    "contact": [
        "contact", "contact information", "contact details", "personal details",
        "personal information", "personal data", "contacts", "persönliche daten", "kontakt",
        "persönliche angaben", "coordonnées", "informations personnelles", "datos personales",
        "contacto", "dados pessoais", "contato", "dati personali", "contatti",
        "informazioni personali", "persoonlijke gegevens", "contactgegevens", "personalia",
        "état civil", "etat civil", "个人信息", "基本信息", "联系方式", "контакты", "контакти",
        "contact info", "contact me", "how to reach me", "联系", "联系信息", "接触", "kontaktdaten",
    ],
    "courses": [
        "courses", "~training", "trainings", "professional development", "continuing education",
        "relevant coursework", "coursework", "workshops", "weiterbildung", "fortbildung",
        "fortbildungen", "weiterbildungen", "formation continue", "cursos", "corsi", "cursussen",
        "formación complementaria", "formação complementar", "formation complémentaire",
        "formations complémentaires", "formazione complementare", "educação adicional",
        "educación adicional", "cursos complementares", "cursos complementarios",
        "écoles d'été", "summer schools", "formació complementària", "kursy", "szkolenia",
    ],
    "memberships": [
        "memberships", "professional memberships", "affiliations", "professional affiliations",
        "associations", "mitgliedschaften", "adhésions", "membresías", "afiliações",
    ],
    "activities": [
        "~activities", "extracurricular activities", "~leadership", "leadership experience",
        "leadership and activities", "aktivitäten", "activités", "actividades", "atividades",
        "attività", "activiteiten", "andere activiteiten", "nevenactiviteiten",
    ],
    "additional": [
        "additional information", "additional", "other information", "miscellaneous",
        "información adicional", "informacion adicional", "otros datos", "datos adicionales",
        "informations complémentaires", "informations supplémentaires", "divers",
        "zusätzliche informationen", "sonstiges", "weitere informationen",
        "informazioni aggiuntive", "altre informazioni", "informações adicionais",
        "outras informações", "aanvullende informatie", "overige", "其他信息", "其他",
    ],
}  # fmt: skip

# Arabic and Hebrew headings (right-to-left CVs), kept apart so the lists above stay readable.
_RTL_HEADINGS: dict[str, list[str]] = {
    "summary": [
        "الملخص", "ملخص", "الملخص المهني", "نبذة", "نبذة عني", "نبذة شخصية", "الهدف الوظيفي",
        "الهدف المهني", "الهدف", "الملف الشخصي", "تعريف", "פרופיל", "תקציר", "על עצמי",
        "מטרה", "סיכום", "תמצית",
    ],
    "experience": [
        "الخبرة", "الخبرات", "الخبرة العملية", "الخبرات العملية", "الخبرة المهنية",
        "الخبرات المهنية", "الخبرات الوظيفية", "الخبرة الوظيفية", "الخبرات السابقة",
        "التاريخ الوظيفي", "السجل الوظيفي", "المسيرة المهنية", "ניסיון", "ניסיון תעסוקתי",
        "ניסיון מקצועי", "ניסיון בעבודה", "היסטוריה תעסוקתית",
    ],
    "education": [
        "التعليم", "المؤهلات العلمية", "المؤهل العلمي", "المؤهلات الأكاديمية", "التحصيل العلمي",
        "الدراسة", "التعليم الأكاديمي", "الخلفية التعليمية", "השכלה", "השכלה אקדמית", "לימודים",
    ],
    "skills": [
        "المهارات", "مهارات", "المهارات التقنية", "المهارات الشخصية", "المهارات الفنية",
        "المهارات المهنية", "الكفاءات", "القدرات", "כישורים", "מיומנויות", "כישורים מקצועיים",
        "כישורים טכניים", "יכולות",
    ],
    "projects": ["المشاريع", "مشاريع", "פרויקטים"],
    "certifications": [
        "الشهادات", "الشهادات المهنية", "الشهادات والدورات", "תעודות", "הסמכות",
    ],
    "languages": ["اللغات", "اللغة", "שפות"],
    "awards": ["الجوائز", "الإنجازات", "الجوائز والإنجازات", "פרסים", "הישגים"],
    "volunteer": ["العمل التطوعي", "الأعمال التطوعية", "التطوع", "התנדבות"],
    "publications": ["المنشورات", "الأبحاث", "פרסומים"],
    "interests": ["الهوايات", "الاهتمامات", "תחביבים"],
    "references": ["المراجع", "المعرفون", "ממליצים", "המלצות"],
    "contact": [
        "معلومات الاتصال", "بيانات الاتصال", "التواصل", "معلومات شخصية", "البيانات الشخصية",
        "المعلومات الشخصية", "פרטים אישיים", "פרטי קשר",
    ],
    "courses": ["الدورات", "الدورات التدريبية", "الدورات التدريبية والشهادات", "קורסים"],
    "memberships": ["العضويات", "חברות בארגונים"],
}  # fmt: skip
for _section, _variants in _RTL_HEADINGS.items():
    HEADINGS[_section].extend(_variants)

CANONICAL_ORDER = list(HEADINGS)

# Trailing words that make an unlisted heading belong to a section: "Clinical Experience".
_SUFFIX_RULES: list[tuple[str, str]] = [
    ("volunteer experience", "volunteer"),
    ("experience", "experience"),
    ("erfahrung", "experience"),
    ("history", "experience"),
    ("employment", "experience"),
    ("skills", "skills"),
    ("competencies", "skills"),
    ("kenntnisse", "skills"),
    ("projects", "projects"),
    ("education", "education"),
    ("certifications", "certifications"),
    ("certificates", "certifications"),
    ("awards", "awards"),
    ("publications", "publications"),
]
_PREFIX_RULES: list[tuple[str, str]] = [
    ("experiencia", "experience"),
    ("erfahrung", "experience"),
    ("berufserfahrung", "experience"),
    ("expérience", "experience"),
    ("experiência", "experience"),
    ("esperienz", "experience"),
    ("competenc", "skills"),
    ("compétences", "skills"),
    ("habilidades", "skills"),
    ("competenze", "skills"),
    ("formación", "education"),
    ("formação", "education"),
]


# Persian letter forms that Arabic fonts and keyboards use for Arabic letters ("العملیة").
_ARABIC_FORMS = str.maketrans({"\u06cc": "\u064a", "\u0649": "\u064a", "\u06a9": "\u0643",
                               "\u06be": "\u0647", "\u06c1": "\u0647"})  # fmt: skip


def normalize_heading(text: str) -> str:
    """Lower case, no accents, no numbering, punctuation or decoration; "&" becomes "and"."""
    t = text.strip().translate(_ARABIC_FORMS)
    if t.startswith("(") and t.endswith(")") and t.count("(") == 1:
        t = t[1:-1]  # "(الملخص المهني)": a heading set in brackets
    tokens = t.split()
    if len(tokens) >= 4 and all(len(tok) == 1 for tok in tokens):
        t = "".join(tokens)  # letter-spaced "E X P E R I E N C E"
    t = t.replace("&", " and ").replace("+", " and ").replace("_", " ")
    t = re.sub(r"[’‘ʼ`´′]", "'", t)  # typographic apostrophes: "Centres d’intérêt"
    t = unicodedata.normalize("NFKD", t.lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"^[\W\d_ivx]{0,4}[.)]\s+", " ", t)  # "1. ", "IV) "
    t = re.sub(r"\(.*?\)", " ", t)
    t = re.sub(r"[^\w\s']", " ", t)
    t = re.sub(r"\d+", " ", t)
    return " ".join(t.split())


def _build_index() -> tuple[dict[str, str], set[str]]:
    index: dict[str, str] = {}
    weak: set[str] = set()
    for canonical, variants in HEADINGS.items():
        for variant in variants:
            is_weak = variant.startswith("~")
            key = normalize_heading(variant.lstrip("~"))
            if key not in index:
                index[key] = canonical
                if is_weak:
                    weak.add(key)
    return index, weak


_INDEX, _WEAK = _build_index()
# The same headings with their spaces taken out: a heading set with one space too many or too
# few ("A CERCA DE MI", "Habilidadesadicionales", "WORKEXPERIENCE") is still that heading.
_SPACELESS: dict[str, str] = {}
for _key in _INDEX:
    if _key not in _WEAK and len(_key.replace(" ", "")) >= 8:
        _SPACELESS.setdefault(_key.replace(" ", ""), _key)
_MAX_HEADING_WORDS = 6

# A heading made only of these words, with at least one of the first set, is the interests
# section however it is combined: "Interest and Hobbies", "Interests/hobbies", "Hobbies and
# other interests", "Hobbies und Interessen", "Loisirs et centres d'intérêt".
_INTEREST_WORDS = {
    "interest", "interests", "hobby", "hobbies", "hobbys", "hobby's", "pastimes", "leisure",
    "interessen", "freizeit", "loisirs", "interet", "interets", "interes", "intereses",
    "aficiones", "interesses", "interessi",
}  # fmt: skip
_INTEREST_FILLERS = {
    "and", "other", "personal", "my", "und", "et", "y", "e", "en", "centre", "centres",
    "d'interet", "d'interets", "activities", "personliche", "personnels", "personales",
}  # fmt: skip


# A heading made of a word for a job and a word placing it in time ("Current position", "Jetzige
# Arbeit", "Arbeit in der Vergangenheit", "Poste actuel", "Expériences passées", "Empleos
# anteriores", "Cargo atual", "Esperienze precedenti", "Eerdere functies"), or a word for jobs
# and one that says they were held or are detailed ("Positions held", "Postes occupés", "Work in
# detail"), is the experience section however the words are combined. Accents are already gone.
_JOB_WORDS = {
    # en
    "work", "job", "jobs", "position", "positions", "role", "roles", "employment", "employments",
    "experience", "experiences", "appointment", "appointments", "post", "posts", "employer",
    "employers", "occupation", "occupations",
    # de
    "arbeit", "arbeiten", "tatigkeit", "tatigkeiten", "stelle", "stellen", "positionen",
    "anstellung", "anstellungen", "beschaftigung", "beschaftigungen", "arbeitgeber", "rolle",
    "rollen", "funktion", "funktionen", "erfahrung", "erfahrungen", "arbeitsverhaltnis",
    "arbeitsverhaltnisse", "berufserfahrung", "berufstatigkeit", "berufstatigkeiten",
    # fr
    "poste", "postes", "emploi", "emplois", "fonction", "fonctions", "travail",
    "employeurs", "employeur",
    # es
    "puesto", "puestos", "empleo", "empleos", "trabajo", "trabajos", "cargo", "cargos",
    "experiencia", "experiencias", "posicion", "posiciones", "funcion", "funciones",
    # pt
    "emprego", "empregos", "trabalho", "trabalhos", "posicao", "posicoes", "funcao", "funcoes",
    "empregadores",
    # it
    "posizione", "posizioni", "impiego", "impieghi", "lavoro", "lavori", "ruolo", "ruoli",
    "incarico", "incarichi", "esperienza", "esperienze", "occupazione", "occupazioni",
    # nl
    "functie", "functies", "baan", "banen", "werk", "werkgever", "werkgevers", "rol",
    "ervaring", "ervaringen", "positie", "posities", "betrekking", "betrekkingen",
    "dienstverband", "dienstverbanden", "werkervaring",
}  # fmt: skip
_JOB_TIME_WORDS = {
    # en
    "current", "currently", "previous", "past", "former", "earlier", "prior",
    "recent", "latest", "other", "additional", "further", "academic", "research", "industry",
    "professional", "teaching",
    # de
    "aktuelle", "aktueller", "aktuelles", "aktuell", "jetzige", "jetziger", "jetziges",
    "derzeitige", "derzeitiger", "gegenwartige", "gegenwartiger", "bisherige", "bisheriger",
    "bisherigen", "fruhere", "fruherer", "fruheren", "vorherige", "vorheriger", "vorherigen",
    "vergangene", "vergangenen", "vergangenheit", "letzte", "letzten", "weitere", "sonstige",
    "ausgewahlte", "heute", "gegenwart",
    # fr
    "actuel", "actuelle", "actuels", "actuelles", "passe", "passee", "passes", "passees",
    "precedent", "precedente", "precedents", "precedentes", "anterieur", "anterieure",
    "anterieurs", "anterieures", "ancien", "ancienne", "anciens", "anciennes", "recente",
    "recents", "recentes", "autres", "autre",
    # es, pt
    "actual", "actuales", "anterior", "anteriores", "previo", "previos", "previa", "previas",
    "pasado", "pasados", "pasada", "pasadas", "reciente", "recientes", "otros", "otras",
    "atual", "atuais", "passado", "passados", "passadas", "outros", "outras",
    # it
    "attuale", "attuali", "precedenti", "passata", "passate", "passati",
    "recenti", "altre", "altri",
    # nl
    "huidige", "huidig", "eerdere", "vorige", "vroegere", "andere", "overige",
}  # fmt: skip
_JOB_HELD_WORDS = {
    "held", "detail", "details", "detailed", "occupied", "bekleidet", "bekleidete", "occupe",
    "occupes", "occupees", "ocupados", "ocupadas", "ocupado", "desempenados", "exercidos",
    "ricoperti", "ricoperte", "bekleed", "beklede", "detalle", "detalhe", "dettaglio",
}  # fmt: skip
_JOB_FILLERS = {
    "and", "of", "the", "my", "in", "im", "at", "und", "der", "die", "das", "des", "et", "du",
    "de", "la", "le", "les", "l", "el", "los", "las", "y", "e", "en", "di", "del", "della",
    "delle", "degli", "dei", "da", "do", "dos", "van", "het", "mijn", "meine", "mes", "mis",
    "ma", "mon", "i", "have", "ich", "a", "an",
}  # fmt: skip
# Chinese: "当前工作", "目前职位", "以往工作经历", "过去的工作".
_ZH_JOB_RE = re.compile(
    r"^(?:当前|目前|现任|现在|以往|过去|之前|曾任|历任|近期|最近)的?"
    r"(?:工作|职位|岗位|职务|任职|就业)(?:经历|经验|情况|履历)?$"
)


_VOLUNTEER_STEMS = ("volunteer", "ehrenamt", "benevol", "voluntari", "volontari", "vrijwillig")
_VOLUNTEER_WORDS = {
    "activities", "activity", "activites", "activite", "actividades", "atividades", "attivita",
    "aktivitaten", "community", "service", "services", "associations", "association",
    "associatif", "associative", "engagement", "engagements", "involvement", "commitments",
    "social", "civic", "citoyen", "roles", "leadership", "projects", "projekte",
}  # fmt: skip


def _volunteer_heading(words: list[str]) -> bool:
    """A heading that opens with a word for volunteering and goes on with words for what was
    done ("Volunteer Activities/Community", "Ehrenamtliche Tätigkeiten", "Bénévolat et
    associations"), never a title ("Ehrenamtlicher Nachhilfelehrer")."""
    if not words or not words[0].startswith(_VOLUNTEER_STEMS):
        return False
    rest = set(words[1:])
    return rest <= _VOLUNTEER_WORDS | _JOB_WORDS | _JOB_TIME_WORDS | _JOB_FILLERS


def _job_heading(key: str) -> bool:
    """A heading of current or past jobs made of the words above (see _JOB_WORDS)."""
    if _ZH_JOB_RE.match(key.replace(" ", "")):
        return True
    words = set(key.split())
    if not words & _JOB_WORDS:
        return False
    if not words <= _JOB_WORDS | _JOB_TIME_WORDS | _JOB_HELD_WORDS | _JOB_FILLERS:
        return False
    return bool(words & (_JOB_TIME_WORDS | _JOB_HELD_WORDS))


def match_heading(text: str) -> tuple[str, bool] | None:
    """(canonical section, is a weak word) when the text is a known heading, else None."""
    side_by_side = _GAP_RE.split(text.strip())
    if len(side_by_side) >= 2:
        # The headings of two columns read as one line ("EDUCATION  CERTIFICATIONS",
        # "EDUCACIÓN  IDIOMAS"): the first one heads what follows.
        hits = [_match_one(part) for part in side_by_side]
        if all(hit is not None and not hit[1] for hit in hits):
            return hits[0]
    return _match_one(text)


_GAP_RE = re.compile(r"\s{2,}")


def _match_one(text: str) -> tuple[str, bool] | None:
    key = normalize_heading(text)
    if not key or len(key.split()) > _MAX_HEADING_WORDS:
        return None
    if key in _INDEX:
        return _INDEX[key], key in _WEAK
    joined = _SPACELESS.get(key.replace(" ", ""))
    if joined is not None:
        return _INDEX[joined], False
    words = key.split()
    if set(words) <= _INTEREST_WORDS | _INTEREST_FILLERS and set(words) & _INTEREST_WORDS:
        return "interests", False
    if _job_heading(key):
        return "experience", False
    if _education_heading(words):
        return "education", False
    if _volunteer_heading(words):
        return "volunteer", False
    if len(words) == 1 and len(key) >= 10:
        near = _one_letter_off(key)
        if near is not None:
            return _INDEX[near], near in _WEAK
    # Studies joined with another heading ("Educación y Certificados", "Ausbildung und
    # Weiterbildung"): the studies come first, the section is education.
    parts = _CONJUNCTION_RE.split(key)
    if len(parts) == 2 and _INDEX.get(parts[0]) == "education" and parts[0] not in _WEAK:
        # ... unless the other half is events ("Formations et écoles d'été"): trainings then.
        return ("courses" if parts[1] in _EVENT_HEADINGS else "education"), False
    if len(words) <= 4:
        for suffix, canonical in _SUFFIX_RULES:
            if key.endswith(" " + suffix):
                return canonical, False
        for prefix, canonical in _PREFIX_RULES:
            if words[0].startswith(normalize_heading(prefix)):
                return canonical, False
        if len(words) >= 2 and words[0] in _CAREER_ADJECTIVES:
            # "Berufliche Stationen", "Beruflicher Hintergrund", a misspelt "Berufliche
            # Tätlichkeit": the career, unless the rest names another section, which it is
            # then ("Berufliche Weiterbildung", "Berufliche Kompetenzen").
            rest = " ".join(words[1:])
            known = _INDEX.get(rest) or _INDEX.get(_SPACELESS.get(rest.replace(" ", ""), ""))
            return known or "experience", False
    return None


_CONJUNCTION_RE = re.compile(r" (?:and|und|et|y|e|en|i) ")
_EVENT_HEADINGS = frozenset(
    normalize_heading(h)
    for h in ("écoles d'été", "summer schools", "workshops", "conferences", "séminaires")
)

# A heading made only of words for studies and schooling, with at least one of the first set:
# "Akademische Ausbildung", "Ausbildung/ Schule", "Bildungsabschlüsse", "Parcours de formation".
# German compounds on -bildung / -ausbildung are schooling too ("Hochschulbildung",
# "Berufsausbildung"), further training aside ("Weiterbildung", "Fortbildung").
_EDU_WORDS = {
    "education", "educational", "studies", "schooling", "academic", "academics", "degrees",
    "ausbildung", "bildung", "studium", "schule", "studien", "bildungsabschlusse",
    "schulabschlusse", "abschlusse", "formation", "formations", "etudes", "diplomes",
    "scolarite", "formacion", "educacion", "estudios", "titulos", "escolaridad", "formacao",
    "educacao", "escolaridade", "istruzione", "formazione", "studi", "titoli", "opleiding",
    "opleidingen", "onderwijs", "studie", "akademische", "akademischer", "academique",
    "academiques", "academica", "academico", "academicos", "academicas", "accademica",
    "scolaire", "formacio", "educacio", "estudis", "edukacja", "egitim", "ogrenim",
    "uddannelse", "uddannelser", "utbildning", "utdanning", "schulische", "schulischer",
    "schulischen", "cursus", "formativo", "formativa", "habilitacoes", "educatie", "scholing",
    "ausbildungen", "bildungsgang",
}  # fmt: skip
_EDU_FILLERS = {
    "and", "und", "et", "y", "e", "en", "i", "my", "meine", "mes", "mis", "de", "du", "la",
    "le", "des", "del", "der", "die", "das", "im", "parcours", "background", "history",
    "schulische", "schulischer", "hochschul", "universitaire", "universitaires", "accademico",
    "realizados", "realizadas", "datos", "dados", "reglada", "regladas", "reglados", "bilgileri",
    "qualifications", "qualification", "profile", "credentials", "record", "summary", "formal",
    "initiale", "literarias", "percorso", "di", "studio", "werdegang", "laufbahn",
    "universitaria", "universitarios", "hintergrund",
}  # fmt: skip


def _education_heading(words: list[str]) -> bool:
    word = words[0]
    if len(words) == 1 and word.endswith(("bildung", "bildungen", "studium")) and len(word) > 8:
        # "Hochschulbildung", "Berufsausbildungen", "Hochschulstudium"
        return "weiterbildung" not in word and "fortbildung" not in word
    return set(words) <= _EDU_WORDS | _EDU_FILLERS and bool(set(words) & _EDU_WORDS)


# Adjectives that only a heading of the professional career opens with (a job title never
# does): German "berufliche(r/s)".
_CAREER_ADJECTIVES = frozenset({"berufliche", "beruflicher", "berufliches", "beruflichen"})


@lru_cache(maxsize=4096)
def _one_letter_off(key: str) -> str | None:
    """A known one-word heading of 10 letters or more that `key` spells with one letter
    left out, added or changed ('BERUFSERFARUNG', 'EXPERIANCE'...): a typo in a heading."""
    for known in _LONG_KEYS.get(len(key), ()):
        if _edit_one(key, known):
            return known
    for known in _LONG_KEYS.get(len(key) + 1, ()):
        if _edit_one(key, known):
            return known
    for known in _LONG_KEYS.get(len(key) - 1, ()):
        if _edit_one(key, known):
            return known
    return None


def _edit_one(a: str, b: str) -> bool:
    """One letter apart, not at the end: a different ending ('Referencia' / 'referencias',
    'Werkzeugen' / 'werkzeuge') is another word form, which may be a label or plain text."""
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if i >= len(a) - 1:
        return False
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


_LONG_KEYS: dict[int, list[str]] = {}
for _known in _INDEX:
    if " " not in _known and len(_known) >= 9 and _known.isalpha():
        _LONG_KEYS.setdefault(len(_known), []).append(_known)


@dataclass
class Section:
    name: str
    """Canonical name, "header" for the text before the first heading, or "other"."""
    heading: str
    lines: list[TextLine] = field(default_factory=list)
    known: bool = True

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


_INLINE_RE = re.compile(r"^\s*([^:：]{2,40})\s*[:：]\s*(.*)$")


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _style(line: TextLine) -> tuple[float, bool, bool]:
    return (round(line.font_size), line.bold, _is_caps(line.text))


def _cue(line: TextLine, body_size: float) -> bool:
    text = line.text.strip()
    return (
        line.heading_style
        or _is_caps(text)
        or (line.bold and not line.bullet)
        or (body_size > 0 and line.font_size >= body_size + 1.0)
        or text.endswith((":", "："))
    )


_ENTRY_SECTIONS = frozenset({"experience", "projects", "volunteer"})


def _continues(prev: TextLine, line: TextLine) -> bool:
    """`line` wraps `prev`: same page, column and type, set at the line pitch right below it."""
    if not (prev.font_size and line.font_size and prev.x1 and line.x1):
        return False
    if prev.page != line.page or prev.column != line.column or _style(prev) != _style(line):
        return False
    pitch = line.top - prev.top
    return 0 < pitch <= 1.6 * line.font_size and abs(prev.x0 - line.x0) <= 3.0


# A rule drawn with characters after (or before) a heading: "EDUCATION______________".
_RULE_ENDS_RE = re.compile(r"^(?:[_=─━]{3,}|[-—–]{3,})\s*|\s*(?:[_=─━]{3,}|[-—–]{3,})$")


def _unruled(text: str) -> str:
    """The text of a line without a rule of underscores, dashes or box lines glued to it."""
    return _RULE_ENDS_RE.sub("", text.strip()).strip()


def _date_line(text: str) -> bool:
    """A line that is a date or a range and little else ("10.2006 - 03.2008", "von 08.2013")."""
    dates = find_dates(text)
    if not dates:
        return False
    rest = text
    for _, start, end in sorted(dates, key=lambda d: -d[1]):
        rest = rest[:start] + rest[end:]
    return sum(1 for c in rest if c.isalpha()) <= 6


def _looks_like_heading_line(line: TextLine) -> bool:
    text = _unruled(line.text)
    if not text or len(text) > 60 or line.bullet:
        return False
    if text[0] in "•●▪■◦○◆►▶➢➤✓✔*·-–" and not text.strip("-–=_ ").isalpha():
        return False
    if "@" in text or (text.endswith((".", ",", ";")) and not text.endswith("etc.")):
        return False
    return not find_date_ranges(text)


def _bulleted_heading(line: TextLine, body_size: float) -> bool:
    """A heading set as a list paragraph (a Word list style on "Experiencia"): a known heading
    word for word, bold or larger than the body text, alone on its line."""
    larger = body_size > 0 and line.font_size >= body_size + 1.0
    if not line.bullet or not (line.bold or line.heading_style or larger):
        return False
    text = line.text.strip()
    if not text or len(text) > 60 or find_date_ranges(text):
        return False
    key = normalize_heading(text)
    return key in _INDEX and key not in _WEAK


def _wraps_bullet(prev: TextLine, line: TextLine) -> bool:
    """`line` is the wrapped end of the bullet item `prev`: right below it at the line pitch,
    in the same type, indented past the bullet sign (a hanging indent)."""
    if not (prev.bullet and not line.bullet and prev.font_size and line.font_size):
        return False
    if prev.page != line.page or prev.column != line.column:
        return False
    if abs(prev.font_size - line.font_size) > 0.5 or prev.text.rstrip().endswith((".", "!", "?")):
        return False
    pitch = line.top - prev.top
    return 0 < pitch <= 1.6 * line.font_size and 0 < line.x0 - prev.x0 <= 3.0 * line.font_size


def _column_keys(lines: list[TextLine]) -> list[int]:
    """Which column each line sits in (1 left, 2 right), 0 for full-width text. A line read
    as full width that starts over the right column, level with the columns (the right
    column's first heading, read above them because it stands higher), is the right column's."""
    left_edge: dict[int, float] = {}  # page -> where the right column starts
    span: dict[int, tuple[float, float]] = {}  # page -> top and bottom of the column text
    for ln in lines:
        if ln.column in (1, 2) and ln.x1:
            if ln.column == 2:
                left_edge[ln.page] = min(left_edge.get(ln.page, ln.x0), ln.x0)
            lo, hi = span.get(ln.page, (ln.top, ln.top))
            span[ln.page] = (min(lo, ln.top), max(hi, ln.top))
    keys: list[int] = []
    for ln in lines:
        if ln.column in (1, 2):
            keys.append(ln.column)
            continue
        edge = left_edge.get(ln.page)
        lo, hi = span.get(ln.page, (0.0, -1.0))
        size = ln.font_size or 10.0
        if edge is None or not ln.x1 or not (lo - 3.0 * size <= ln.top <= hi):
            keys.append(0)  # above or below the columns, or no columns on this page
        elif ln.x0 >= edge - 3.0:
            keys.append(2)
        else:
            keys.append(0)
    return keys


def split_sections(lines: list[TextLine]) -> list[Section]:
    """Split lines into sections; inline headings ("Skills: Python, SQL") keep their content."""
    sizes = Counter(round(ln.font_size) for ln in lines if ln.font_size and len(ln.text) > 30)
    body_size = float(sizes.most_common(1)[0][0]) if sizes else 0.0
    has_styling = any(ln.font_size or ln.bold or ln.heading_style for ln in lines)

    sections: list[Section] = [Section("header", "")]
    known_styles: set[tuple[float, bool, bool]] = set()
    decisions: list[tuple[int, str, str, str | None]] = []  # (line index, name, heading, rest)

    for i, line in enumerate(lines):
        text = _unruled(line.text)
        listed = match_heading(text) if _bulleted_heading(line, body_size) else None
        if listed is not None:
            decisions.append((i, listed[0], text.rstrip(":： "), None))
            known_styles.add(_style(line))
            continue
        if i > 0 and _wraps_bullet(lines[i - 1], line):
            continue  # "•  Ethical Hacking CEH v10 by Supraja" / "Technologies"
        if not _looks_like_heading_line(line):
            m = _INLINE_RE.match(text)
            if m and not line.bullet:
                hit = match_heading(m.group(1))
                if hit and not hit[1] and m.group(2).strip():
                    decisions.append((i, hit[0], m.group(1).strip(), m.group(2).strip()))
            continue
        labelled = _INLINE_RE.match(text)
        # "Compétences acquises : Autonomie, Rigueur" is a label and its list: the label
        # decides, not the whole line read as a heading by its first word.
        hit = None if labelled and labelled.group(2).strip() else match_heading(text)
        if hit is None:
            m = labelled
            if m:
                inline = match_heading(m.group(1))
                if inline and not inline[1] and m.group(2).strip():
                    decisions.append((i, inline[0], m.group(1).strip(), m.group(2).strip()))
            continue
        canonical, weak = hit
        if weak and has_styling and not _cue(line, body_size):
            continue
        if line.x1 and not _cue(line, body_size) and normalize_heading(text) not in _INDEX:
            # Matched by its last or first word only ("Independent Projects", "Grotti Projects")
            # and set like the body text on a measured page (PDF): an entry's line (an
            # employer, a title), no heading. Word files often style headings in ways the
            # text does not carry (shaded cells), so there the words decide.
            continue
        if weak and not has_styling and not (_is_caps(text) or text.endswith(":")):
            continue
        if canonical == "contact" and i > 0 and not _cue(line, body_size) and has_styling:
            continue
        decisions.append((i, canonical, text.rstrip(":： "), None))
        known_styles.add(_style(line))

    # Unlisted headings that share the typography of the recognised ones ("MISSION", "Teaching").
    decided = {d[0] for d in decisions}
    if known_styles and has_styling:
        first_heading = min(decided) if decided else len(lines)
        for i, line in enumerate(lines):
            if i in decided or i < first_heading or not _looks_like_heading_line(line):
                continue
            text = _unruled(line.text)
            words = text.split()
            if not (1 <= len(words) <= 4) or any(ch.isdigit() for ch in text):
                continue
            style = _style(line)
            if style in known_styles and (style[1] or style[2] or line.heading_style):
                if line.font_size and body_size and line.font_size < body_size:
                    continue
                if i > 0 and _continues(lines[i - 1], line) and i - 1 not in decided:
                    continue  # the wrapped end of a bold entry line ("..., Beck &" / "GmbH")
                if i > 0 and _wraps_bullet(lines[i - 1], line):
                    continue  # "• Optimierung einer Abteilung zur" / "Effizienzsteigerung"
                decisions.append((i, "other", text.rstrip(":： "), None))
    decisions.sort()
    # A heading broken over two lines ("EHRENAMTLICHE" / "TÄTIGKEITEN", "VOLUNTEER" /
    # "EXPERIENCE"): the second line heads the section the two name together.
    for n in range(1, len(decisions)):
        (i, _, text, rest), (j, name, heading, rest2) = decisions[n - 1], decisions[n]
        if j != i + 1 or rest is not None or rest2 is not None:
            continue
        if lines[i].page != lines[j].page or lines[i].column != lines[j].column:
            continue
        both = match_heading(f"{text} {heading}")
        if both is not None and not both[1] and both[0] != name:
            decisions[n] = (j, both[0], f"{text} {heading}", None)
    # "Technologies: Python, SQL" or "Schlagworte: C#, .NET" under a job, with more dated
    # entries after it, is part of that job: not a skills section ending the experience.
    # An unlisted heading-like line inside a section of dated entries, with a date range right
    # under it, is an entry's title ("Weiterbildung zur KI-Managerin (IHK)" / "10/2022 – ...").
    # Unlisted heading-like lines one after another, with nothing under them, are list items
    # set in bold ("Business Cases", "KPIs", "Reporting"), not sections.
    starts = {dec[0] for dec in decisions}
    top_size = max(
        (lines[dec[0]].font_size for dec in decisions if dec[1] != "other" and dec[3] is None),
        default=0.0,
    )
    kept: list[tuple[int, str, str, str | None]] = []
    current = "header"
    current_from = 0
    parent_size = 0.0
    # A heading written again and again ("Funciones principales", "Logros" under each job) is a
    # label inside the entries of the section it first appears in, not a section; so is a label
    # with its text on the same line ("Objectif : réduire ...") written under each job.
    repeated = Counter(normalize_heading(d[2]) for d in decisions)
    for n, dec in enumerate(decisions):
        stop = decisions[n + 1][0] if n + 1 < len(decisions) else len(lines)
        if (
            current in _ENTRY_SECTIONS
            and dec[1] not in _ENTRY_SECTIONS | {"education"}
            and repeated[normalize_heading(dec[2])] >= 2
        ):
            continue
        nxt_dec = next((d for d in decisions[n + 1 :] if d[1] != "other"), None)
        if (
            current == "experience"
            and dec[1] == "projects"
            and nxt_dec is not None
            and nxt_dec[1] == "experience"
            and repeated[normalize_heading(nxt_dec[2])] >= 2
        ):
            # "Projekte: ..." between the "Tätigkeiten" labels of one job after another: the
            # job's projects, inside the experience, not a section that takes the next job away.
            continue
        inline_list = dec[3] is not None and dec[1] in ("skills", "courses")
        dated_after = any(find_date_ranges(ln.text) for ln in lines[dec[0] + 1 : stop])
        if inline_list and current in _ENTRY_SECTIONS and dated_after:
            continue
        if dec[1] == "other" and dec[3] is None:
            line = lines[dec[0]]
            minor = bool(line.font_size) and line.font_size < top_size - 1.0
            # Set like the headings, but with a line of dates right under it: an entry's title
            # ("Auszubildender" / "10.2006 - 03.2008", "Grafikdesigner in Berlin" / "von 08.2013").
            dated_next = dec[0] + 1 < stop and _date_line(lines[dec[0] + 1].text)
            # Or with one of the next two entry lines carrying the range ("DOMY PROPERTIES,
            # Arequipa" / "Desarrollador Web Principal (Julio 2024 – Diciembre 2024)", "Acme
            # Corp   Remote" / "Engineer" / "2020 – 2022"): an employer, when it opens the
            # section or dated entries stand above it.
            ranged_next = (
                current in _ENTRY_SECTIONS
                and (
                    current_from == dec[0]
                    or any(find_date_ranges(ln.text) for ln in lines[current_from : dec[0]])
                )
                and any(
                    find_date_ranges(ln.text) for ln in lines[dec[0] + 1 : min(stop, dec[0] + 3)]
                )
            )
            if current in _ENTRY_SECTIONS | {"education"} and (
                dated_next
                or ranged_next
                or (
                    minor
                    and any(
                        find_date_ranges(ln.text)
                        for ln in lines[dec[0] + 1 : min(stop, dec[0] + 3)]
                    )
                )
            ):
                continue
            if dec[0] + 1 in starts or (n > 0 and kept and kept[-1][0] == dec[0] - 1
                                        and kept[-1][1] == "other"):  # fmt: skip
                continue
        line = lines[dec[0]]
        if parent_size and line.font_size and line.font_size < parent_size - 0.5:
            continue  # a sub-heading of an entry section ("Experience" / "Research", "Teaching")
        parent_size = 0.0
        nxt = decisions[n + 1] if n + 1 < len(decisions) else None
        if (
            dec[1] in _ENTRY_SECTIONS
            and dec[3] is None
            and nxt is not None
            and nxt[0] == dec[0] + 1
            and nxt[3] is None
            and line.font_size
            and 0 < lines[nxt[0]].font_size < line.font_size - 0.5
            and lines[nxt[0]].column == line.column
            and lines[nxt[0]].x0 >= line.x0 - 2.0
        ):
            # An entry section's heading with a smaller heading right under it (in its column,
            # not left of it): the smaller headings that follow are its parts, until a heading
            # as large as it.
            parent_size = line.font_size
        kept.append(dec)
        current = dec[1]
        current_from = dec[0] + 1
    decisions = kept

    by_index = {d[0]: d for d in decisions}
    # Two columns read one after the other: a line belongs to the last heading of its own
    # column, not to the last heading read (the right column's first heading may be read
    # above the left column, the left column's last section must not swallow the right one).
    keys = _column_keys(lines)
    # A column with no heading of its own on its page (dates set beside the entries, a photo
    # caption) is no column of sections: its lines follow the reading order.
    # A column that is mostly headings is a label column beside its content: one flow.
    heads = Counter((lines[i].page, keys[i]) for i in by_index if keys[i])
    per_column = Counter((ln.page, k) for k, ln in zip(keys, lines, strict=True) if k)
    labels = {page for (page, k), n in heads.items() if 2 * n >= per_column[(page, k)]}
    keys = [
        k if (ln.page, k) in heads and ln.page not in labels else 0
        for k, ln in zip(keys, lines, strict=True)
    ]
    in_column: dict[int, Section] = {0: sections[0], 1: sections[0], 2: sections[0]}
    for i, line in enumerate(lines):
        d = by_index.get(i)
        key = keys[i]
        if d is None:
            (in_column[key] if key else sections[-1]).lines.append(line)
            continue
        _, name, heading, rest = d
        section = Section(name, heading, known=name != "other")
        if key:
            in_column[key] = section
        else:
            in_column = {0: section, 1: section, 2: section}
        if rest:
            section.lines.append(
                TextLine(
                    text=rest,
                    page=line.page,
                    x0=line.x0,
                    x1=line.x1,
                    top=line.top,
                    font_size=line.font_size,
                    column=line.column,
                    source=line.source,
                )
            )
        sections.append(section)
    _undated_experience(sections)
    return sections


def _undated_experience(sections: list[Section]) -> None:
    """Experience headings over no date at all, while the dated entries stand elsewhere (text
    boxes read before their headings, a heading over a list of tools): those headings did not
    find the jobs, so they hold no experience section and the jobs are looked for everywhere."""
    experience = [s for s in sections if s.name == "experience"]
    if not experience or any(find_date_ranges(ln.text) for s in experience for ln in s.lines):
        return
    dated = sum(
        1
        for s in sections
        if s.name in ("header", "other")
        for ln in s.lines
        if find_date_ranges(ln.text)
    )
    if dated >= 2:
        for s in experience:
            s.name = "other"


def inline_skill_lists(sections: list[Section]) -> str:
    """The items of "Technologies: Python, SQL" lines inside jobs and projects: skill lists,
    although they stay part of the entry they describe."""
    out = []
    for section in sections:
        if section.name not in _ENTRY_SECTIONS:
            continue
        for line in section.lines:
            m = _INLINE_RE.match(line.text.strip())
            if m and m.group(2).strip():
                hit = match_heading(m.group(1))
                if hit and hit[0] == "skills" and not hit[1]:
                    out.append(m.group(2).strip())
    return "\n".join(out)


def section_texts(sections: list[Section]) -> dict[str, str]:
    """Canonical section name -> its text (sections of the same kind are concatenated)."""
    out: dict[str, str] = {}
    for section in sections:
        if section.lines:
            prev = out.get(section.name)
            out[section.name] = f"{prev}\n{section.text}" if prev else section.text
    return out
