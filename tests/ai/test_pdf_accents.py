"""Accents printed as glyphs of their own (TeX fonts in the OT1 encoding set "é" as an acute
glyph placed over an "e"): the text layer says "Universit´e", a reader sees "Université"."""

import typst

from resumate.ai.documents import extract_text

PAGE = """#set page(width: 20cm, height: auto, margin: 1cm)
#set text(font: "DejaVu Serif", size: 11pt)
"""


def _text(body: str) -> str:
    return extract_text(bytes(typst.compile((PAGE + body).encode(), format="pdf")), "pdf").text


def test_an_accent_before_its_letter_is_joined_with_it() -> None:
    text = _text(
        "Florian H#box[´]#h(-0.42em)ebert \\\n"
        "Universit#box[´]#h(-0.42em)e de Rennes, Espa#box[˜]#h(-0.45em)na, M#box[¨]#h(-0.42em)arz"
    )
    assert text.splitlines() == ["Florian Hébert", "Université de Rennes, España, März"]


def test_an_accent_over_a_dotless_i() -> None:
    assert _text("Ingenier#box[´]#h(-0.3em)#box[ı]a") == "Ingeniería"


def test_an_accent_printed_letters_after_its_letter() -> None:
    # TeX may emit the accent after the rest of the word; its place on the page decides.
    assert _text("Informatica#h(-2.2em)#box[´]#h(1.8em), Madrid") == "Informática, Madrid"


def test_an_accent_beside_letters_stays() -> None:
    # Used as an apostrophe, over no letter: nothing to join.
    assert _text("Boys´ Day, App´s, \\~/bin, 2^10") == "Boys´ Day, App´s, ~/bin, 2^10"
