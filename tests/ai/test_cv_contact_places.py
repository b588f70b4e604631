"""Where the person lives when the contact block prints only a town: towns that only the world
gazetteer (GeoNames, 15,000 people or more) knows, an address under its own heading, the place
above the signature, a French postcode with a space, an icon before the town; and names that
are also towns, which stay names. Also a CV that prints one given name only.

Each test builds its own PDF (Typst) or plain text.
"""

from __future__ import annotations

from datetime import date

import pytest
import typst

from resumate.ai.analyzer import analyze_document, analyze_text
from resumate.ai.contact import looks_like_location, postal_town, world_country_of
from resumate.ai.documents import ExtractedText

TODAY = date(2025, 6, 1)

_BODY = """
Experience
Data Entry Assistant, Example Centre 04/2023 - 06/2024
- Entered and checked records
Education
BSc Computer Science, Example University 2020 - 2024
"""


def _pdf(source: str) -> bytes:
    return bytes(typst.compile(source.encode(), format="pdf"))


def _contact(text: str):  # type: ignore[no-untyped-def]
    return analyze_text(ExtractedText.from_plain_text(text), today=TODAY).contact


@pytest.mark.parametrize(
    ("line", "town"),
    [
        ("Ramallah, West Bank, Palestine", "Ramallah"),
        ("Koura District, Irbid, Jordan", "Irbid"),
        ("Viedma - Río Negro", "Viedma"),
        ("Presidente Epitácio", "Presidente Epitácio"),
        ("Братислава, Словаччина", "Братислава"),
        ("R Milano", "Milano"),
        ("A Coruña", "A Coruña"),
    ],
)
def test_a_town_alone_in_the_contact_block_is_the_location(line: str, town: str) -> None:
    contact = _contact(f"Oday Hmydat\n{line}\n+962 780 545 668\noday.h@example.com\n{_BODY}")
    assert contact.name == "Oday Hmydat"
    assert contact.location is not None and town in contact.location
    assert "Hmydat" not in contact.location and "@" not in contact.location


def test_the_world_gazetteer_is_not_used_for_names() -> None:
    # Lincoln, Hamilton and Madison are towns; as words of a name they stay a name, and the
    # small built-in list still decides what looks like a place elsewhere.
    assert world_country_of("Lincoln") == "US"
    assert not looks_like_location("Lincoln")
    contact = _contact(f"Madison Lincoln\nIrbid, Jordan\nmadison@example.com\n{_BODY}")
    assert contact.name == "Madison Lincoln"
    assert contact.location == "Irbid, Jordan"


def test_a_surname_that_is_a_town_is_not_the_location() -> None:
    # "Rodriguez" is a town of 370,000 people; here it is the second line of the name.
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 24pt, weight: "bold")[ANYI YOJANNA FLORES] \\
#text(size: 24pt, weight: "bold")[RODRIGUEZ] \\
anyi.flores\\@example.com | +34 605 854 358
== Experiencia
Teleoperadora, Example Contact Center #h(1fr) 05/2005 – 12/2017
"""
    contact = analyze_document(_pdf(source), "pdf", today=TODAY).contact
    assert contact.name == "Anyi Yojanna Flores Rodriguez"
    assert contact.location is None


@pytest.mark.parametrize("word", ["Male", "Mobile", "University", "Best", "Normal"])
def test_words_of_a_contact_block_that_are_also_towns_are_not_places(word: str) -> None:
    assert world_country_of(word) is None
    contact = _contact(f"Jane Doe\n{word}\njane@example.com\n{_BODY}")
    assert contact.location is None


def test_a_sentence_about_mobile_apps_is_not_the_contact_block() -> None:
    # The word "Mobile" in the profile does not anchor the search for the place: the lines
    # around the email address do.
    text = (
        "Thuy Nguyen\nUI designer\nProfile\nDesigning interfaces for Mobile and Website\n"
        "that are clear and easy to use, for customers and developers alike.\n"
        "Second line of the profile.\nThird line of the profile.\nFourth line.\n"
        "Contact\nTrung Hamlet, Vinh Phuong Commune,\nNha Trang City\nthuy@example.com\n"
        "+84 379 965 922\n" + _BODY
    )
    assert _contact(text).location == "Nha Trang City"


def test_an_address_under_its_own_heading() -> None:
    text = (
        "Busa Mokoena\nPersonal details\nGender: Male\nLanguages\nEnglish, Zulu\n"
        "How to reach me\nContact Number: (+27)81 003 4286\nEmail Address: busa@example.com\n"
        "PHYSICAL ADDRESS\n5947 Extension 5\nMeriting\nRustenburg, North West Province\n"
        "Postal Code: 0300\n" + _BODY
    )
    assert _contact(text).location == "Rustenburg, North West Province"


def test_the_place_above_the_signature_when_no_address_is_printed() -> None:
    text = (
        "Lebenslauf\nOleksii Prokopishyn\nPersönliche Daten\nGeburtsdatum 18.03.2005 in Kyjiw\n"
        "Ausbildung\n01.2023 - 12.2023 Integrationskurs, SfS Schulungsgesellschaft mbH\n"
        "EDV\nMicrosoft Word, Excel\nDuisburg, 25.01.2024\nOleksii Prokopishyn\n"
    )
    contact = _contact(text)
    assert contact.location == "Duisburg"
    assert contact.name == "Oleksii Prokopishyn"


def test_a_french_postcode_written_with_a_space() -> None:
    assert postal_town("72 190 Coulaines, France") == "Coulaines"
    text = (
        "Mathieu Gaborit\n20 rue de Carnac, 72 190 Coulaines, France\n"
        "(+33) 687-594-909 | gaborit@example.se\nÉducation\nDoctorat, Université du Maine "
        "2016 - 2020\nLe Mans, France\n"
    )
    assert _contact(text).location == "Coulaines"


def test_a_cv_that_prints_one_given_name_only() -> None:
    source = """#set text(font: "DejaVu Sans", size: 10pt)
#grid(columns: (1fr, 5cm), column-gutter: 1cm,
  [#text(size: 36pt)[Alejandro] \\
   #v(1cm)
   #text(size: 12pt)[Objective] \\
   To obtain a position as a software engineer where I can use my skills \\
   and experience to contribute to the success of the company. \\
   #text(size: 12pt)[EXPERIENCE] \\
   Excel work \\
   Simple coding \\
   Website developer],
  [69 cohoe.st Brampton, CA \\
   +1 (437)-979-7680 \\
   alejo2004\\@example.com \\
   #v(1cm)
   #text(size: 12pt)[SKILLS] \\
   Java, Python, C++ \\
   Eclipse, IntelliJ IDEA])
"""
    contact = analyze_document(_pdf(source), "pdf", today=TODAY).contact
    assert contact.name == "Alejandro"
    assert contact.location == "Brampton"


@pytest.mark.parametrize("word", ["Experience", "Curriculum", "Python", "London", "Hello!"])
def test_a_single_display_word_that_is_not_a_name_is_not_taken(word: str) -> None:
    source = f"""#set text(font: "DejaVu Sans", size: 10pt)
#text(size: 36pt)[{word}] \\
jane\\@example.com \\
== Experience
Clerk, Example Ltd #h(1fr) 2019 – 2021
"""
    assert analyze_document(_pdf(source), "pdf", today=TODAY).contact.name is None


@pytest.mark.parametrize(
    "text", ["\x00Irbid", "\ud800 Irbid", "😀 Milano", "الرملة", "北京", "Irbid " * 20000, ""]
)
def test_any_text_goes_through_the_place_reader(text: str) -> None:
    world_country_of(text)
    contact = _contact(f"Jane Doe\n{text}\njane@example.com\n{_BODY}")
    assert contact.location is None or len(contact.location) <= 80


def test_dev3_place_shapes() -> None:
    from resumate.ai.contact import _cjk_residence, find_location, postal_town
    from resumate.ai.documents import TextLine

    def lines(*texts: str) -> list[TextLine]:
        return [TextLine(text=t, page=0, top=12.0 * i) for i, t in enumerate(texts)]

    # a town with its postcode after it; a Dutch postcode's letters; a US state is no town
    assert postal_town("Sant Feliu de Llobregat, 08980") == "Sant Feliu de Llobregat"
    assert postal_town("8331 DS, Steenwijk") == "Steenwijk"
    assert postal_town("Sunderland, MA, 01375") != "MA"
    # a labelled street and number, the town on the next (labelled) line
    form = lines(
        "Naam:  Arjen de Haan", "Adres:  Slingerbos 8", "Postcode, plaats:  8331 DS, Steenwijk"
    )
    assert find_location([], form) == "Steenwijk"
    # a referee's labelled address is not the person's
    refs = lines(
        "Kgomotso Bonga", "1350 Monyai Street, Randfontein, Mohlakeng, 1759", "kb@example.com",
        "REFERENCES", "Mr Bokang Malumisi", "Address: 39 Penelope Street, Vereeniging, 1939",
    )  # fmt: skip
    assert find_location([], refs) == "Randfontein"
    # a place glued to the email address in a Word run
    glued = lines("MARIAMA BAH", "(+220) 7627205   mariamasbah05@gmail.comSukuta, The Gambia")
    assert find_location(glued, glued) == "Sukuta, The Gambia"
    # Chinese residence lines; a hospital in Shanghai is not where someone lives
    assert _cjk_residence("女 | 户口：广东-深圳 | 现居住于：广东 深圳-宝安区") == "深圳"
    assert _cjk_residence("上海市闵行区") == "上海"
    assert _cjk_residence("地址：浙江省杭州市西湖区") == "杭州"
    assert _cjk_residence("上海市第一人民医院") is None
    assert _cjk_residence("工作地区：深圳·南山区") is None  # where they want to work
