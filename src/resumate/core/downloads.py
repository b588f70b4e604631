"""The one way a response names a file: ``content_disposition(filename, disposition)``.

HTTP header values are Latin-1 on the wire and a name such as ``Ингрид Søgaard.pdf`` cannot be
sent as is. RFC 6266 (with RFC 5987/8187 encoding) says to send both a plain ASCII
``filename="..."`` for old clients and ``filename*=UTF-8''...`` with the real name, which every
current browser and HTTP library prefers. Use it for every download, inline or attachment:

    headers={"Content-Disposition": content_disposition(resume.title + ".pdf")}

``download_name(title, suffix)`` turns a user-chosen title into a file name (no path separators
or controls, bounded length) before it goes in.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal
from urllib.parse import quote

from starlette.responses import RedirectResponse, Response, StreamingResponse

__all__ = ["content_disposition", "download_name", "file_response"]

MAX_NAME_CHARS = 120
# Characters that cannot appear in a file name on common systems, or break the header.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f\ud800-\udfff/\\:*?"<>|;]+')
# Invisible bidirectional controls: "\u202eFDP.exe" displays as "exe.PDF", the classic way to
# disguise a file's type in its name. Dropped (letters of every script stay).
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._()\[\]'+,&!@#=~ -]+")
_SPACES = re.compile(r"\s+")
# Latin letters that do not decompose into a base letter and a mark, and common punctuation.
_ASCII_LETTERS = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
        "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i",
        "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
    }
)  # fmt: skip


def _safe(name: str) -> str:
    name = _UNSAFE.sub("_", _BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", name)))
    return _SPACES.sub(" ", name).strip(" ._")


def download_name(title: str, suffix: str, *, fallback: str = "download") -> str:
    """A file name made from ``title`` (any script kept) ending in ``suffix``."""
    name = _safe(title)[:MAX_NAME_CHARS].rstrip(" ._") or fallback
    return name + suffix


def _ascii_fallback(filename: str) -> str:
    # "Søgaard–Łukasik.pdf" -> "Sogaard-Lukasik.pdf": accents lose their marks, a few letters
    # are spelled out, anything else that is not plain ASCII becomes "_" (collapsed).
    decomposed = unicodedata.normalize("NFKD", filename.translate(_ASCII_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_name = _ASCII_UNSAFE.sub("_", stripped)
    stem, dot, ext = ascii_name.rpartition(".")
    if not dot:
        stem, ext = ascii_name, ""
    stem = stem.strip("_ .") or "download"
    return f"{stem}.{ext}" if dot else stem


def content_disposition(
    filename: str, disposition: Literal["attachment", "inline"] = "attachment"
) -> str:
    """A ``Content-Disposition`` value naming ``filename`` that any server can encode and any
    client can read: an ASCII ``filename=`` and, when it differs, ``filename*=UTF-8''...``."""
    clean = _safe(filename) or "download"
    fallback = _ascii_fallback(clean)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != clean:
        value += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return value


def file_response(
    key: str,
    *,
    filename: str,
    media_type: str,
    size: int | None = None,
    etag: str | None = None,
    inline: bool = False,
) -> Response:
    """A stored file as a response: a redirect to a short-lived presigned URL when the storage
    offers one (S3 with presigned downloads on), else the bytes streamed through this process."""
    from resumate.core.storage import get_storage

    storage = get_storage()
    direct = storage.url(key, filename=filename, content_type=media_type)
    if direct is not None:
        # 307 keeps the method; the URL expires quickly, so the redirect must not be cached.
        return RedirectResponse(direct, status_code=307, headers={"Cache-Control": "no-store"})
    headers = {
        "Content-Disposition": content_disposition(filename, "inline" if inline else "attachment")
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    if etag is not None:
        headers["ETag"] = etag
    return StreamingResponse(storage.get(key), media_type=media_type, headers=headers)
