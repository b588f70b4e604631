import pytest

from resumate.ai.contact import extract_contact, find_name, find_phone
from resumate.ai.documents import TextLine
from resumate.ai.sections import match_heading, split_sections


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("WORK EXPERIENCE", "experience"),
        ("Professional Experience:", "experience"),
        ("Berufserfahrung", "experience"),
        ("Experiencia laboral", "experience"),
        ("Expérience professionnelle", "experience"),
        ("Esperienze professionali", "experience"),
        ("Werkervaring", "experience"),
        ("Experiência Profissional", "experience"),
        ("Clinical Experience", "experience"),
        ("E D U C A T I O N", "education"),
        ("Ausbildung", "education"),
        ("Formación académica", "education"),
        ("Core Competencies", "skills"),
        ("Kenntnisse", "skills"),
        ("Compétences", "skills"),
        ("Sprachkenntnisse", "languages"),
        ("Idiomas", "languages"),
        ("Licenses & Certifications", "certifications"),
        ("Honors and Awards", "awards"),
        ("1. Profile", "summary"),
        ("Über mich", "summary"),
    ],
)
def test_heading_variants(heading: str, section: str) -> None:
    hit = match_heading(heading)
    assert hit is not None and hit[0] == section


def test_ordinary_sentences_are_not_headings() -> None:
    assert match_heading("I gained experience in many departments across the company") is None


@pytest.mark.parametrize(
    "heading",
    [
        "Interest and Hobbies",
        "Interests/hobbies",
        "Hobbies & other interests",
        "Interest",
        "Hobbies und Interessen",
        "Loisirs et centres d'intérêt",
        "Intereses y aficiones",
    ],
)
def test_interest_headings_in_any_combination(heading: str) -> None:
    assert match_heading(heading) == ("interests", False)


@pytest.mark.parametrize("heading", ["Research interests", "Other", "Personal", "Activities"])
def test_interest_vocabulary_needs_an_interest_word(heading: str) -> None:
    hit = match_heading(heading)
    assert hit is None or hit[0] != "interests"


def test_hobbies_after_languages_leave_the_languages_section() -> None:
    lines = [
        TextLine("Ana Costa"),
        TextLine("LANGUAGES"),
        TextLine("English, Portuguese"),
        TextLine("INTEREST AND HOBBIES"),
        TextLine("Cooking, photography"),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "languages", "interests"]


def test_split_sections_with_inline_heading_and_weak_words() -> None:
    lines = [
        TextLine("Jane Doe"),
        TextLine("EXPERIENCE"),
        TextLine("Nurse, City Hospital 2019 - 2021"),
        TextLine("Skills: Excel, SAP"),
        TextLine("Leadership"),
    ]
    sections = split_sections(lines)
    names = [s.name for s in sections]
    assert names[:3] == ["header", "experience", "skills"]
    skills = next(s for s in sections if s.name == "skills")
    assert skills.lines[0].text == "Excel, SAP"


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("Phone: (512) 555-0142", "US", "+15125550142"),
        ("Tel. 030 12345678", "DE", "+493012345678"),
        ("Mobile +44 7700 900123", None, "+447700900123"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("0044 20 7946 0958", None, "+442079460958"),
    ],
)
def test_phone_normalisation(text: str, region: str | None, e164: str) -> None:
    _raw, normalised = find_phone([text], region)
    assert normalised == e164


def test_date_ranges_are_not_phone_numbers() -> None:
    assert find_phone(["Engineer 2015 - 2019 and 2019 - 2021"], "US") == (None, None)


def test_contact_with_region_from_location() -> None:
    header = [
        TextLine("ANNA MÜLLER", font_size=20, bold=True),
        TextLine("anna.mueller@example.de | 0151 23456789 | München, Deutschland"),
        TextLine("linkedin.com/in/anna-mueller | github.com/annam"),
    ]
    contact = extract_contact(header, header, "\n".join(ln.text for ln in header))
    assert contact.name == "Anna Müller"
    assert contact.email == "anna.mueller@example.de"
    assert contact.phone_e164 == "+4915123456789"
    assert contact.location == "München, Deutschland"
    assert contact.linkedin == "https://www.linkedin.com/in/anna-mueller"
    assert contact.github == "https://github.com/annam"


def test_name_skips_titles_and_headings() -> None:
    lines = [
        TextLine("Curriculum Vitae", font_size=14),
        TextLine("Senior Software Engineer", font_size=12),
        TextLine("Carlos de la Cruz", font_size=22, bold=True),
    ]
    assert find_name(lines) == "Carlos de la Cruz"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ["M a r i a", "O l i v e i r a", "Product designer", "maria@example.org"],
            "Maria Oliveira",
        ),
        (["J A N  K O W A L S K I", "Frontend developer", "jan@example.org"], "Jan Kowalski"),
    ],
)
def test_letter_spaced_display_name(texts: list[str], expected: str) -> None:
    lines = [TextLine(t) for t in texts]
    contact = extract_contact(lines, lines, "\n".join(texts))
    assert contact.name == expected


def test_ordinary_lines_are_not_unspaced() -> None:
    from resumate.ai.contact import unspace_letters

    assert unspace_letters("I am a C programmer") == "I am a C programmer"
    assert unspace_letters("Skills: C, R, Go") == "Skills: C, R, Go"
