"""The contact block as designed CVs print it: a name over two lines, a degree after the name,
organisations and street addresses in large type, an address wrapped over two lines, a name
drawn as a picture that only the profile address spells.

Each test builds its own PDF (Typst) or plain text.
"""

from __future__ import annotations

from datetime import date

import pytest
import typst

from resumate.ai.analyzer import analyze_document
from resumate.ai.contact import _clean_name, _name_from_profile, find_emails, postal_town

TODAY = date(2025, 6, 1)


def _pdf(source: str) -> bytes:
    return bytes(typst.compile(source.encode(), format="pdf"))


def _name(source: str) -> str | None:
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    return analysis.contact.name


def test_a_degree_after_the_name_is_not_part_of_it_and_a_university_is_not_a_name() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#align(center)[#text(size: 17pt)[Djordje Djokic B.Sc.] \\
Kranebitter Allee 146, 6020 Innsbruck | +43 676 4603620 \\
djordje.djokic\\@example.at]
== Ausbildung
Master – Experimental and Empirical Economics #h(1fr) 10/2024 – laufend \\
Universität Innsbruck
"""
    assert _name(source) == "Djordje Djokic"


@pytest.mark.parametrize(
    "text",
    ["Universität Innsbruck", "UNIVERSITÄT WIEN", "Institut für Anglistik", "Hochschule Fulda",
     "Rua Santa Fé", "Calle Mayor", "Avenida Paulista", "Kranebitter Allee", "Mühlfeldstraße Ost"],
)  # fmt: skip
def test_organisations_and_streets_are_not_names(text: str) -> None:
    assert _clean_name(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Jane Doe M.Sc.", "Jane Doe"), ("Jane Doe PhD", "Jane Doe"), ("Jane Doe MBA", "Jane Doe"),
     ("Jack Ma", "Jack Ma"), ("JACK MA", "Jack Ma")],
)  # fmt: skip
def test_degrees_after_a_name_are_dropped_but_short_surnames_stay(text: str, expected: str) -> None:
    # "Ma" and "MA" are surnames, not a Master of Arts
    assert _clean_name(text) == expected


def test_a_street_in_the_contact_block_is_not_taken_for_a_lower_case_name() -> None:
    source = """#set text(font: "DejaVu Sans", size: 11pt)
#text(size: 40pt, weight: "bold")[luiz henrique]
#v(2em)
*CONTATO* \\
Email: pereira.jesus.luiz\\@escola.example.br \\
Telefone: 42 967259965 \\
Rua Santa Fé
== OBJETIVO
Profissional de vendas com mais de 4 anos de experiência em lojas.
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.name == "Luiz Henrique"
    assert analysis.contact.email == "pereira.jesus.luiz@escola.example.br"


def test_a_display_name_that_goes_on_to_a_second_line() -> None:
    source = """#set text(font: "DejaVu Sans", size: 9pt)
#align(center)[#text(size: 24pt)[ANYI YOJANNA FLORES \\ RODRIGUEZ]]
#align(center)[#text(size: 18pt)[FRONT-END DEVELOPER]]
ajfr79\\@example.com | 605 854 358
== EXPERIENCIA LABORAL
Agente de Contact Center, Arvato #h(1fr) 2010 – 2024
"""
    assert _name(source) == "Anyi Yojanna Flores Rodriguez"


def test_a_name_in_single_words_on_two_lines_after_a_heading() -> None:
    source = """#set text(font: "DejaVu Sans", size: 9pt)
#text(size: 20pt, weight: "bold")[Relevant experience] \\
#text(size: 26pt, weight: "bold")[PRANAV \\ UNNIKRISHNAN] \\
#text(size: 12pt, weight: "bold")[PhD candidate] \\
upranav\\@example.com \\
Conference organiser, EMPSEB29 #h(1fr) 2023 – 2024 \\
Communications Support, PEC2023 #h(1fr) 2023
"""
    assert _name(source) == "Pranav Unnikrishnan"


@pytest.mark.parametrize(
    ("second", "expected"),
    [("Data Engineer", "Jane Doe"), ("Madrid", "Jane Doe"), ("Experience", "Jane Doe"),
     ("Python", "Jane Doe"), ("Smith-Jones", "Jane Doe Smith-Jones")],
)  # fmt: skip
def test_what_may_continue_a_display_name(second: str, expected: str) -> None:
    source = f"""#set text(font: "DejaVu Sans", size: 9pt)
#text(size: 24pt)[Jane Doe \\ {second}] \\
jane\\@example.com \\
== Skills
Python, SQL
"""
    assert _name(source) == expected


def test_a_name_drawn_as_a_picture_is_read_from_the_profile_address() -> None:
    source = """#set text(font: "DejaVu Sans", size: 11pt)
#rect(width: 6cm, height: 1.5cm, fill: gray) \\
8585999811 \\
tiwari4431\\@example.com \\
linkedin.com/in/adv-rahul-tiwari
== Experience
Advocate, Delhi High Court #h(1fr) July 2019 – present
"""
    assert _name(source) == "Rahul Tiwari"


def test_a_profile_address_names_the_person_only_when_the_email_agrees() -> None:
    li = "https://www.linkedin.com/in/"
    assert _name_from_profile(f"{li}adv-rahul-tiwari", "tiwari4431@example.com") == "Rahul Tiwari"
    assert _name_from_profile(f"{li}jane-doe-0b8302198", "jdoe@example.com") == "Jane Doe"
    assert _name_from_profile(f"{li}adv-rahul-tiwari", "contact@lawfirm.example") is None
    assert _name_from_profile(f"{li}prezioso", "hello@prezioso.example") is None
    assert _name_from_profile(f"{li}data-engineer-jobs", "jobs@example.com") is None
    assert _name_from_profile(None, "tiwari@example.com") is None


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Email: pereira.jesus.luiz@escola.pr.ov.r"], ["pereira.jesus.luiz@escola.pr.ov.r"]),
        (["pereira.jesus.", "luiz@escola.com"], ["pereira.jesus.luiz@escola.com"]),
        (["E-mail: pereira.jesus.", "luiz@escola.com"], ["pereira.jesus.luiz@escola.com"]),
        (["ana@", "example.org | +1 555 0100"], ["ana@example.org"]),
        (["ana@example", ".org"], ["ana@example.org"]),
        (["ana@example.", "org"], ["ana@example.org"]),
        (["john@example.com.", "Phone 123"], ["john@example.com"]),
        (["I worked in Python.", "bob@example.com"], ["bob@example.com"]),
        (["using node.js.", "bob@example.com"], ["bob@example.com"]),
        (["Contact", "bob@example.com"], ["bob@example.com"]),
        (["a@b.com", "a@b.com"], ["a@b.com", "a@b.com"]),
        (["名前 ana@", "例.org 😀", "\u202ebob@", "\x00"], []),
    ],
)
def test_an_email_address_wrapped_over_two_lines_is_read_whole(
    lines: list[str], expected: list[str]
) -> None:
    assert find_emails(lines) == expected


def test_an_email_wrapped_in_a_narrow_sidebar() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 22pt)[Maria Pereira] \\
pereira.jesus. \\
luiz\\@escola.example.com \\
== Experiência
Vendedora, Lojas Borcelle #h(1fr) 2013 – 2018
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.email == "pereira.jesus.luiz@escola.example.com"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sankt Stephansplatz 14, 78462 Konstanz", "Konstanz"),
        ("94320, Thiais", "Thiais"),
        ("DE-38302, Wolfenbüttel", "Wolfenbüttel"),
        ("Via Bazzoni, 2, 34143 Trieste – TS", "Trieste"),
        ("Kranebitter Allee 146, 6020 Innsbruck", "Innsbruck"),
        ("60311 Frankfurt am Main", "Frankfurt am Main"),
        ("44579 Castrop-Rauxel", "Castrop-Rauxel"),
        ("10115 BERLIN", "Berlin"),
        ("3 Albert Road, Chelsfield, Orpington, BR6 6JG", "Orpington"),
        ("Plot 123, Sector-9, Cuttack- 753014, Odisha, India", "Cuttack"),
        ("Santa Ninfa (TP)", "Santa Ninfa"),
        ("C.so Roma 54, Sommatino (CL), 93019", "Sommatino"),
        ("2019 Berlin Marathon", None),
        ("mit 50000 Nutzern weltweit", None),
        ("Tel. 12345 Mobile", None),
        ("Python (ML)", None),
        ("Matrikelnummer 12345", None),
        ("名前 12345 東京", None),
        ("😀 12345 😀 \u202e\x00", None),
    ],
)
def test_the_town_of_a_postal_address(text: str, expected: str | None) -> None:
    assert postal_town(text) == expected


def test_the_town_of_the_address_in_a_sidebar_contact_block() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#grid(columns: (5cm, 1fr), column-gutter: 1cm,
  [*KONTAKT* \\
   +49 160 96835085 \\
   kevin\\@example.com \\
   Am Rinnweg 4 \\
   36037 Fulda \\
   *SKILLS* \\
   Java, SQL, Power BI \\
   SAP S/4HANA, Tableau \\
   Jira, Excel],
  [#text(size: 24pt)[Kevin Tcheuwa] \\
   *BERUFSERFAHRUNG* \\
   Werkstudent Datenerfassung, Tegut #h(1fr) 10/2023 – 05/2024 \\
   Kundendaten in CRM-Systemen gepflegt. \\
   IT-Support, Proyork #h(1fr) 01/2021 – 01/2022 \\
   Fehlerdiagnose bei Hardware und Software. \\
   Installation und Wartung von IT-Systemen.],
)
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.location == "Fulda"


def test_a_birthplace_is_not_where_the_person_lives_and_a_town_beats_a_country() -> None:
    source = """#set text(font: "DejaVu Sans", size: 9pt)
#text(size: 22pt)[Giovanni Prezioso] \\
Geburtsdatum 28.11.1986 | Trani, Italien \\
Torstraße 100, 10119 Berlin \\
Deutschland \\
hello\\@example.com
== Berufserfahrung
Art Director, Example GmbH #h(1fr) 09/2010 – 05/2013
"""
    analysis = analyze_document(_pdf(source), "pdf", today=TODAY)
    assert analysis.contact.location == "Berlin"
    source = source.replace("Torstraße 100, 10119 Berlin \\\n", "")
    assert analyze_document(_pdf(source), "pdf", today=TODAY).contact.location == "Deutschland"
