"""Text hygiene at the edges: which characters may reach the database, files and headers.

PostgreSQL refuses U+0000 in ``text`` and ``jsonb``, and no unpaired UTF-16 surrogate
(U+D800-U+DFFF, which JSON ``"\\ud800"`` escapes and some PDF text layers produce) can be encoded
as UTF-8 at all. Either one reaching a query is a 500. So every string that comes in is one of
two kinds, decided per field (the table is in ``docs/text-hygiene.md``):

``FreeText``
    Text a person pasted or a program extracted from a file: job descriptions, CV text, JSON
    Resume content, template descriptions. It is *cleaned*, never refused: NUL and the other C0
    controls are dropped except tab and newline, ``\\r\\n`` and lone ``\\r`` become ``\\n``,
    surrogate pairs that arrived as two code points are joined into the real character and
    unpaired surrogates become U+FFFD. Use it for any long or multi-line text field.

``ShortText``
    Identifiers and one-line fields a person typed: emails, names, titles, slugs, skills,
    tokens, passwords. They are *refused* (422 naming the JSON path) when they contain any
    control character (C0 incl. tab/newline, DEL, C1) or a surrogate, because silently changing
    an identifier is worse than saying no. Use it for every short, single-line field.

``JsonObject``
    An arbitrary JSON object stored as ``jsonb`` (a JSON Resume document): every key and every
    string value is cleaned like ``FreeText`` and nesting is capped at ``MAX_JSON_DEPTH``.

For other string types use the markers: ``Annotated[EmailStr, NoControls]``, or ``Cleaned``.
Plain functions for code that is not a Pydantic schema: ``clean_text`` (FreeText's cleaner),
``clean_json`` (JsonObject's), ``problem_char`` (what ShortText refuses) and ``check_short``.
Bounds stay on the field: ``Annotated[FreeText, Field(max_length=...)]``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

__all__ = [
    "MAX_JSON_DEPTH",
    "Cleaned",
    "FreeText",
    "JsonObject",
    "NoControls",
    "ShortText",
    "check_short",
    "clean_json",
    "clean_text",
    "problem_char",
]

MAX_JSON_DEPTH = 32

# Dropped from free text: C0 controls except \t (09) and \n (0A); \r (0D) is handled first.
_C0_DROP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Refused in short fields: every control character (C0, DEL, C1) and every surrogate.
_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _fix_surrogates(text: str) -> str:
    # Through UTF-16 with surrogatepass: a pair that arrived as two code points becomes the one
    # character it encodes; a lone half cannot be decoded and becomes U+FFFD.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_text(text: str) -> str:
    """``text`` with NUL and other C0 controls dropped (tab and newline kept, CR normalised to
    newline) and surrogates repaired; safe for PostgreSQL, UTF-8 and JSON."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _C0_DROP.sub("", text)
    if _SURROGATE.search(text):
        text = _fix_surrogates(text)
    return text


def problem_char(text: str) -> str | None:
    """A description of the first character a short field may not hold, or None."""
    match = _REFUSED.search(text)
    if match is None:
        return None
    char = match.group()
    code = ord(char)
    kind = "an unpaired surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"contains {kind} (U+{code:04X}) at position {match.start()}"


def check_short(text: str) -> str:
    """``text`` unchanged, or ValueError saying which character is not allowed and where."""
    problem = problem_char(text)
    if problem is not None:
        raise ValueError(f"{problem}; control characters and unpaired surrogates are not allowed")
    return text


def clean_json(value: Any, *, _depth: int = 0) -> Any:
    """A JSON value with every key and string cleaned like ``clean_text``; ValueError when it
    nests deeper than ``MAX_JSON_DEPTH``."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        if _depth >= MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        return {clean_text(str(k)): clean_json(v, _depth=_depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if _depth >= MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        return [clean_json(v, _depth=_depth + 1) for v in value]
    return value


def _check_short_if_str(value: object) -> object:
    return check_short(value) if isinstance(value, str) else value


def _clean_if_str(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


def _clean_json_if_dict(value: object) -> object:
    return clean_json(value) if isinstance(value, dict) else value


# Markers for other string-like types, e.g. ``Annotated[EmailStr, NoControls]``.
NoControls = BeforeValidator(_check_short_if_str)
Cleaned = BeforeValidator(_clean_if_str)

FreeText = Annotated[str, Cleaned]
ShortText = Annotated[str, NoControls]
JsonObject = Annotated[dict[str, Any], BeforeValidator(_clean_json_if_dict)]
