"""Content-Disposition for any file name: Latin-1 encodable, RFC 6266 filename* for the rest."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from resumate.core.downloads import content_disposition, download_name

NAMES = [
    "Ингрид Søgaard-Łukasik – Staff Platform Engineer",
    "履歴書 山田太郎",
    "سيرة ذاتية",
    'O\'Brien; "quoted" \\ back/slash',
    "nul\x00 and\r\nnewline",
    "emoji 👩‍💻 and \ud83d lone",
    "",
    "x" * 500,
]


def parse(header: str) -> tuple[str, str, str | None]:
    disposition, _, rest = header.partition("; ")
    plain = re.search(r'filename="([^"]*)"', rest)
    star = re.search(r"filename\*=UTF-8''(\S+)", rest)
    assert plain is not None
    return disposition, plain.group(1), unquote(star.group(1)) if star else None


@pytest.mark.parametrize("title", NAMES)
def test_any_title_makes_a_header_the_server_can_send(title: str) -> None:
    name = download_name(title, ".pdf", fallback="resume")
    assert name.endswith(".pdf") and len(name) <= 130
    header = content_disposition(name)
    header.encode("latin-1")  # what h11/uvicorn do with header values
    assert header.isascii() and "\r" not in header and "\n" not in header
    disposition, plain, star = parse(header)
    assert disposition == "attachment"
    assert plain.endswith(".pdf") and plain.isascii()
    real = star or plain
    assert real == name
    assert not set(real) & set('/\\"\x00\r\n')


def test_readable_ascii_fallback_and_utf8_name() -> None:
    header = content_disposition("Ингрид Søgaard-Łukasik – Staff Platform Engineer.pdf", "inline")
    disposition, plain, star = parse(header)
    assert disposition == "inline"
    assert plain == "Sogaard-Lukasik - Staff Platform Engineer.pdf"
    assert star == "Ингрид Søgaard-Łukasik – Staff Platform Engineer.pdf"
    assert content_disposition("resumate-export.json") == (
        'attachment; filename="resumate-export.json"'
    )
    assert parse(content_disposition("履歴書.pdf"))[1] == "download.pdf"


@pytest.mark.parametrize(
    "control", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u200f", "\u061c"]
)
def test_bidi_controls_cannot_disguise_the_file_type(control: str) -> None:
    # "\u202eFDP.exe" would display as "exe.PDF": the controls are dropped, the letters stay.
    name = download_name(f"Résumé {control}fdp.exe", ".pdf")
    assert name == "Résumé fdp.exe.pdf"
    _, _, star = parse(content_disposition(name))
    assert star == "Résumé fdp.exe.pdf"
    arabic = download_name(f"سيرة {control}ذاتية", ".pdf")
    assert arabic == "سيرة ذاتية.pdf"
    # Joiners are not bidi controls: emoji sequences and Persian words keep them.
    assert (
        download_name("dev 👩\u200d💻 می\u200cخواهم", ".pdf") == "dev 👩\u200d💻 می\u200cخواهم.pdf"
    )
