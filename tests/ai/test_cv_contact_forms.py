"""Names and phones as forms, tables and signatures print them: a label column without values,
labels before the name, credentials after it, a name only in a text box or under the
signature, a Chinese title line; dates, DOIs and address numbers that are not phones."""

from __future__ import annotations

from datetime import date

import pytest
import typst

from resumate.ai.analyzer import analyze_document, analyze_text
from resumate.ai.contact import _clean_name, find_phone, street_town
from resumate.ai.documents import ExtractedText, TextLine

TODAY = date(2025, 6, 1)


def _contact(text: str) -> tuple[str | None, str | None]:
    a = analyze_text(ExtractedText.from_plain_text(text), today=TODAY)
    return a.contact.name, a.contact.phone_e164


def test_a_label_column_without_values_is_not_the_name() -> None:
    text = (
        "Lebenslauf\nPersönliche Daten\nGeburtsdatum\nGeburtsort\nStaatsangehörigkeit\n"
        "Familienstand\nKosilova Olga\nProfsouznaja 91 – 252 117279, Moscow, Russia\n"
        "Tel. +79104062206\nkosilova04@example.com\n\nBerufserfahrung\n"
        "01/2010 – 12/2020  Marketingleiterin, Nestlé Moskau\n"
    )
    name, phone = _contact(text)
    assert name == "Kosilova Olga"
    # the labelled number, not the street number and flat of the address line above it
    assert phone == "+79104062206"


@pytest.mark.parametrize(
    "word", ["Geburtsdatum Geburtsort", "Nationality Status", "Fecha Nacimiento", "Luogo Nascita"]
)
def test_personal_data_labels_are_not_names(word: str) -> None:
    assert _clean_name(word) is None


def test_a_heading_under_the_name_is_not_part_of_it() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 14pt)[Olha Mykchalchuk] \\
#text(size: 13pt)[PERSÖNLICHES] \\
Name: Olha Mykchalchuk \\
Mobil: +4917645617533 \\
#text(size: 13pt)[BERUFSERFAHRUNG] \\
03/2017 – 10/2020 Gesundheits- und Krankenpflegerin, UKE Hamburg
"""
    pdf = bytes(typst.compile(source.encode(), format="pdf"))
    assert analyze_document(pdf, "pdf", today=TODAY).contact.name == "Olha Mykchalchuk"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nombre Completo: Benjamín Ignacio Álvarez Montes", "Benjamín Ignacio Álvarez Montes"),
        ("Full name: Jane Mary Doe", "Jane Mary Doe"),
        ("Nome completo: João Silva", "João Silva"),
        ("Nombre:\t\t\tGiancarlo Tomás Medina Orosco.", "Giancarlo Tomás Medina Orosco"),
        ("Jasmine Smith BSN, RN, OCN", "Jasmine Smith"),
        ("Jane Doe RN", "Jane Doe"),
        ("THOMAS CANISARES–MORÈRE", "Thomas Canisares-Morère"),  # an en dash as the hyphen
        ("John F.", "John F."),  # an initial keeps its stop
    ],
)
def test_labels_credentials_and_a_final_stop(text: str, expected: str | None) -> None:
    assert _clean_name(text) == expected


def test_a_country_after_a_wide_gap_is_not_part_of_the_name() -> None:
    name, _ = _contact("Tianxiang Gao      China\ngao@example.cn\n\nEducation\n2015 – 2018 M.Sc.")
    assert name == "Tianxiang Gao"


def test_the_name_the_email_spells_wins_over_an_employer_at_the_top() -> None:
    # A Word file whose table comes first and whose name is in a text box after the body.
    text = (
        "Beruflicher Werdegang\n01.08.2016 – 31.07.2018\nAusbildung zum Verkäufer\n"
        "Edeka M. Bahrs\n01.08.2018 – 19.06.2019\nVerkäufer\nAldi Nord\n\nInteressen\n- Sport\n"
        "Benjamin Rocha Nogueira\nbenny.nogueira@example.de\n"
    )
    assert _contact(text)[0] == "Benjamin Rocha Nogueira"


def test_a_label_of_the_forms_own_before_a_name_the_email_spells() -> None:
    text = "Curriculum Vitae\nSOGGETTO: Tintori Matteo\nE-MAIL: tintori.matteo@example.com\n"
    assert _contact(text)[0] == "Tintori Matteo"


def test_an_unrelated_email_does_not_move_a_name_found_at_the_top() -> None:
    text = (
        "Maria Rossi\nsunshine77@example.com\n\nExperience\n2019 – 2024  Nurse, Ospedale\n"
        "References\nSunshine Keller\n"
    )
    assert _contact(text)[0] == "Maria Rossi"


def test_the_name_under_the_place_and_date_of_a_signature() -> None:
    text = (
        "Fakultät für Informatik\n09.2015 - 05.2022  Technisches Lyzeum, Kyjiw\n"
        "Sprachkenntnisse  Ukrainisch, Englisch, Deutsch\nDuisburg, 25.01.2024\n"
        "Oleksii Prokopishyn\n"
    )
    assert _contact(text)[0] == "Oleksii Prokopishyn"


@pytest.mark.parametrize(
    "first_lines",
    [
        "林敏润的工作简历\n联系方式\n手机:15999530949",
        "个人简历\n个人信息\n林敏润/男/1997\n本科/北京师范大学",
    ],
)
def test_a_chinese_name_in_the_title_or_before_the_gender(first_lines: str) -> None:
    name, _ = _contact(first_lines + "\n工作经历\n2019.07 - 至今 软件工程师 腾讯\n")
    assert name == "林敏润"


def test_a_name_over_two_lines_in_a_sidebar_of_large_headings() -> None:
    # The sidebar's headings share the name's size: the body size is the page's, not theirs.
    source = """#set page(margin: 1cm)
#set text(font: "DejaVu Sans", size: 8pt)
#grid(columns: (7.5cm, 1fr), gutter: 1cm,
  [#align(center)[#text(size: 14pt, weight: "bold")[Jenny Namela Monthe] \\
   #text(size: 14pt, weight: "bold")[Kwuitchou]] \\
   Studierende Informatik \\
   #text(size: 14pt, weight: "bold")[KONTAKT] \\
   Telefon: +49 15758251127 \\
   #text(size: 14pt, weight: "bold")[SPRACHEN] \\
   Deutsch, Französisch],
  [#text(size: 14pt, weight: "bold")[ÜBER MICH] \\
   Ich studiere Informatik an der Technischen Hochschule Mittelhessen und suche eine Stelle. \\
   #text(size: 14pt, weight: "bold")[BERUFLICHER WERDEGANG] \\
   03/2023 – heute Eventhelferin, Blaumond Gießen \\
   Hilfe bei der Organisation von Events und Betreuung der Gäste am Abend.])
"""
    pdf = bytes(typst.compile(source.encode(), format="pdf"))
    name = analyze_document(pdf, "pdf", today=TODAY).contact.name
    assert name == "Jenny Namela Monthe Kwuitchou"


@pytest.mark.parametrize(
    "line",
    [
        "Geboren: 09-04-1984",  # labelled as a birth date: never a phone
        "09-04-1984 | Gent",  # a date with dashes
        "https://doi.org/10.2143/IG.180.0.3292822",
        "https://doi.org/10.1515/zrp-2025-0011",
        "Report 2025-0011",
        "9611245750083.",  # a 13-digit identity number in a personal-details table
        "961124575008",  # twelve digits not opened by a trunk 0
    ],
)
def test_dates_dois_and_report_numbers_are_not_phones(line: str) -> None:
    assert find_phone([line], "BE") == (None, None)


def test_a_twelve_digit_mobile_with_its_trunk_zero_is_a_phone() -> None:
    assert find_phone(["017632423319"], "DE")[1] == "+4917632423319"


def test_a_labelled_phone_near_the_top_beats_a_bare_number_there() -> None:
    lines = ["Profsouznaja 91 – 252 117279, Moscow", "Tel. +7 910 406-22-06"]
    assert find_phone(lines, "RU")[1] == "+79104062206"
    # a bare number at the top still wins over a labelled one further down (a referee's)
    lines = ["+49 170 1234567", *["text"] * 20, "Tel. +49 30 1234567"]
    assert find_phone(lines, "DE")[1] == "+491701234567"


@pytest.mark.parametrize(
    ("address", "town"),
    [
        ("Rua Afonso Pena nº 376, Jandira – São Paulo", "Jandira"),
        ("Via Fornaciai 24 - Casalguidi", "Casalguidi"),
        ("69 cohoe.st Brampton, CA", "Brampton"),
        ("Songling Rd 238, 266100 Qingdao", "Qingdao"),
        ("Bramfelder Chaussee 332, 22175 Hamburg", "Hamburg"),
        ("123 Main Street, Springfield, IL 62701", "Springfield"),
        ("Calle Mayor 5, 3º B, 28013 Madrid", "Madrid"),
        ("11 rue Gaston Lebeau", None),  # the street's name, not a town: it is on the next line
        ("Spring 2020, Berlin", None),  # no street
        ("Python, Java, SQL", None),
    ],
)
def test_the_town_after_a_street(address: str, town: str | None) -> None:
    assert street_town(address) == town


@pytest.mark.parametrize(
    ("lines", "town"),
    [
        ("Residente: Rua Afonso Pena nº 376, Jandira – São Paulo", "Jandira"),
        ("RESIDENZA: Via Fornaciai 24 - Casalguidi", "Casalguidi"),
        ("2103 Ridgebrook Way\nAtlanta, Georgia", "Atlanta, Georgia"),  # not the street
        ("11 rue Gaston Lebeau\n94320, Thiais", "Thiais"),
        ("3 Albert Road, Chelsfield, Orpington, BR6 6JG", "Orpington"),  # the post town
    ],
)
def test_the_town_of_a_contact_block_address(lines: str, town: str) -> None:
    a = analyze_text(
        ExtractedText.from_plain_text(f"Jane Doe\n{lines}\njane@example.com\n"), today=TODAY
    )
    assert a.contact.location == town


def _top(*texts: str, sizes: tuple[float, ...] = ()) -> list[TextLine]:
    return [
        TextLine(text=t, page=0, top=20.0 * (i + 1), font_size=(sizes[i] if sizes else 0.0))
        for i, t in enumerate(texts)
    ]


def _name(lines: list[TextLine]) -> str | None:
    from resumate.ai.contact import extract_contact

    return extract_contact(lines, [], "\n".join(ln.text for ln in lines)).name


def test_dev3_name_shapes() -> None:
    from resumate.ai.contact import find_emails

    find_name = _name

    # a CV title after a wide gap on the name's line
    assert find_name(_top("Kgomotso Ayal Bonga      Curriculum Vitae", "12 Main Street")) == (
        "Kgomotso Ayal Bonga"
    )
    # a whole name in a Word header, then a one-word title (misspelt, so unknown)
    assert find_name(_top("Hlumelo Faltein", "Stundent", "Objective")) == "Hlumelo Faltein"
    # Europass: the label column beside the name, and a label row later
    assert find_name(
        _top("Curriculum vitae", "PERSONAL INFORMATION Antonio Méndez Ruiz", "JOB APPLIED FOR Web"
             " developer", sizes=(10.0, 13.0, 13.0))
    ) == "Antonio Méndez Ruiz"  # fmt: skip
    # a display name in two sizes, one word per line, in capitals
    assert find_name(
        _top("Curriculum Vitae  Pobierz", "NORBERT", "OCIOS", "GAME DEV STUDENT", "Jestem studentem",
             sizes=(12.2, 21.3, 37.3, 8.0, 8.0))
    ) == "Norbert Ocios"  # fmt: skip
    # a Chinese name set letter-spaced under a letter-spaced title
    assert find_name(
        _top("1", "简 历", "徐  赞", "专业的 C++ 开发者", sizes=(10.5, 12, 18, 10.5))
    ) == ("徐赞")
    # a town glued to the address in a Word run
    assert find_emails(["mariamasbah05@gmail.comSukuta, The Gambia"]) == ["mariamasbah05@gmail.com"]
    assert find_emails(["John.Doe@ACME.COM"]) == ["John.Doe@ACME.COM"]
    # Chinese needs no space around a phone number
    assert find_phone(["电话：18516994586邮箱：sunyang1614@qq.com"], "CN")[1] == "+8618516994586"
    assert find_phone(["rohit-tiwari-0b8302198"], None) == (None, None)
    # the country code's brackets stay whole in the number as written
    assert find_phone(["(+34)663283369"], None) == ("(+34)663283369", "+34663283369")
