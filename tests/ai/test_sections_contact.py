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


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Centres d’intérêt", "interests"),  # a typographic apostrophe
        ("A CERCA DE MI", "summary"),  # one space too many
        ("Habilidadesadicionales", "skills"),  # a space lost (OCR)
        ("WORKEXPERIENCE", "experience"),
        ("Berufs erfahrung", "experience"),
    ],
)
def test_a_heading_with_its_spaces_or_apostrophe_set_differently(
    heading: str, section: str
) -> None:
    hit = match_heading(heading)
    assert hit is not None and hit[0] == section


def test_short_words_run_together_are_no_heading() -> None:
    # Only headings of 8 letters or more are compared without spaces; weak words never.
    assert match_heading("Pro file") is None
    assert match_heading("Leader ship") is None


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


def _col(text: str, column: int, x0: float, top: float, size: float = 10.0) -> TextLine:
    return TextLine(text, x0=x0, x1=x0 + 150.0, top=top, font_size=size, column=column)


def test_each_column_keeps_its_own_sections() -> None:
    # Read as the PDF layer reads a two-column page: the right column's first heading above
    # the left column (it stands higher), then the left column, then the right column.
    lines = [
        TextLine("Ana Flores", x0=250.0, x1=400.0, top=60.0, font_size=24.0),
        _col("WORK EXPERIENCE", 0, 300.0, 200.0, 12.0),
        _col("Summary line on the left about me", 1, 30.0, 230.0),
        _col("EDUCATION", 1, 30.0, 400.0, 12.0),
        _col("BSc Chemistry, Universidad de Caracas 2002", 1, 30.0, 420.0),
        _col("Salesland, Sales agent 10/2019 – hasta la actualidad", 2, 250.0, 240.0),
        _col("Arvato CRM, Call centre agent 05/2005 - 12/2017", 2, 250.0, 260.0),
        _col("SKILLS", 2, 250.0, 400.0, 12.0),
        _col("Customer service, Excel", 2, 250.0, 420.0),
    ]
    sections = {s.name: [ln.text for ln in s.lines] for s in split_sections(lines)}
    assert sections["experience"] == [
        "Salesland, Sales agent 10/2019 – hasta la actualidad",
        "Arvato CRM, Call centre agent 05/2005 - 12/2017",
    ]
    assert sections["education"] == ["BSc Chemistry, Universidad de Caracas 2002"]
    assert sections["skills"] == ["Customer service, Excel"]


def test_a_column_without_headings_follows_the_reading_order() -> None:
    # Dates set in a right-hand column beside the entries: no column of sections.
    lines = [
        _col("Experience", 0, 60.0, 100.0, 14.0),
        _col("AI developer, Italtel", 1, 60.0, 120.0),
        _col("Education", 1, 60.0, 200.0, 14.0),
        _col("MSc Computer Engineering, University of Palermo", 1, 60.0, 220.0),
        _col("2021 – 2024", 2, 450.0, 220.0),
    ]
    sections = {s.name: [ln.text for ln in s.lines] for s in split_sections(lines)}
    assert sections["education"][-1] == "2021 – 2024"


def test_a_label_column_of_headings_is_one_flow() -> None:
    # Headings in a narrow left column, each beside its content in the right one.
    lines = [
        _col("Education", 1, 30.0, 100.0, 14.0),
        _col("Experience", 1, 30.0, 300.0, 14.0),
        _col("BSc Biology, University of Murcia 2020-2024", 2, 230.0, 100.0),
        _col("Lab assistant, CEBAS-CSIC Feb 2024 - Apr 2024", 2, 230.0, 300.0),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "education", "experience"]
    assert [ln.text for ln in sections[-1].lines] == [
        "BSc Biology, University of Murcia 2020-2024",
        "Lab assistant, CEBAS-CSIC Feb 2024 - Apr 2024",
    ]


def _styled(text: str, size: float, x0: float = 30.0, top: float = 0.0) -> TextLine:
    return TextLine(text, x0=x0, x1=x0 + 200.0, top=top, font_size=size)


def test_a_line_that_ends_like_a_heading_but_is_set_as_body_text_is_no_heading() -> None:
    # "Independent Projects" is the employer of the entry, in body type; the real headings are
    # larger. A heading matched by its last word only needs a heading's look.
    lines = [
        _styled("Olena Ahiienko", 28.0),
        _styled("Experience", 12.0),
        _styled("2025 – Present", 10.0),
        _styled("UX/UI designer", 10.0),
        _styled("Independent Projects", 10.0),
        _styled("Grotti, an online shop: research, information architecture, UI kit.", 10.0),
        _styled("Skills", 12.0),
        _styled("Figma, user research, wireframing and prototyping for the web", 10.0),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "experience", "skills"]
    assert "Independent Projects" in [ln.text for ln in sections[1].lines]


def test_smaller_headings_right_under_an_entry_heading_are_its_parts() -> None:
    lines = [
        _styled("Alessandra Fumagalli", 30.0),
        _styled("Experience", 14.0, x0=140.0),
        _styled("Research", 12.0, x0=140.0),
        _styled("November 2019 – Present  Euclid Member, Galaxy Clusters Working Group", 10.0),
        _styled("Teaching", 12.0, x0=140.0),
        _styled("February 2017 – July 2017  Laboratory assistant, University of Insubria", 10.0),
        _styled("Computer skills", 14.0, x0=140.0),
        _styled("Python, MATLAB, LaTeX and a few more tools for numerical work", 10.0),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "experience", "skills"]
    assert len(sections[1].lines) == 4


def test_a_heading_written_under_every_job_is_part_of_the_jobs() -> None:
    lines = [
        _styled("Lucia Pezo", 20.0),
        _styled("EXPERIENCIA PROFESIONAL", 12.0),
        _styled("ALBATROS SERVICES, Arequipa, Perú", 10.0),
        _styled("Practicante Fullstack (Diciembre 2023 – Febrero 2024)", 10.0),
        _styled("Funciones Principales", 12.0),
        _styled("Desarrollo y testeo de código para aplicaciones empresariales.", 10.0),
        _styled("Logros", 12.0),
        _styled("Cumplí consistentemente con los plazos de entrega establecidos.", 10.0),
        _styled("DOMY PROPERTIES, Arequipa, Perú", 10.0),
        _styled("Desarrollador Web Principal (Julio 2024 – Diciembre 2024)", 10.0),
        _styled("Funciones Principales", 12.0),
        _styled("Diseño y desarrollo integral de una aplicación web inmobiliaria.", 10.0),
        _styled("Logros", 12.0),
        _styled("Reduje el tiempo de carga de la aplicación optimizando el código.", 10.0),
        _styled("ESTUDIOS", 12.0),
        _styled("Bachiller en Ingeniería de Sistemas, Universidad Católica de Santa María", 10.0),
    ]
    sections = split_sections(lines)
    assert [s.name for s in sections] == ["header", "experience", "education"]
    assert "DOMY PROPERTIES, Arequipa, Perú" in [ln.text for ln in sections[1].lines]


def test_a_heading_written_once_still_ends_the_jobs() -> None:
    lines = [
        _styled("Lucia Pezo", 20.0),
        _styled("EXPERIENCIA PROFESIONAL", 12.0),
        _styled("Desarrolladora, Globant (Julio 2024 – Diciembre 2024)", 10.0),
        _styled("Logros", 12.0),
        _styled("Premio a la mejor aplicación web del año en la universidad.", 10.0),
    ]
    assert [s.name for s in split_sections(lines)] == ["header", "experience", "awards"]
