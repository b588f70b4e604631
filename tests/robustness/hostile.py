"""A hostile-text corpus and a way to send it: JSON with lone surrogates cannot be encoded by
``httpx``'s ``json=`` (it writes UTF-8), so ``send_json`` sends ASCII-escaped JSON, as any
JavaScript client would for a string holding half an emoji."""

from __future__ import annotations

import json
from typing import Any

import httpx

HOSTILE: dict[str, str] = {
    "rtl_arabic": "مهندسة برمجيات أولى في الرياض",
    "rtl_hebrew": "מהנדסת תוכנה בכירה, תל אביב",
    "bidi_override": "abc\u202edcba\u202c and \u2066isolate\u2069",
    "cjk": "高级软件工程师 東京都 서울특별시 ソフトウェア",
    "devanagari_thai": "वरिष्ठ सॉफ्टवेयर इंजीनियर และ วิศวกรซอฟต์แวร์",
    "emoji_zwj": "👩🏽‍💻 family 👨‍👩‍👧‍👦 flag 🇪🇸 keycap 1️⃣",
    "combining": "Ñ = N\u0303, Zalgo: Z\u0351\u0364\u0351a\u0300\u0301l\u0336g\u0489o",
    "nul": "before\x00after\x00",
    "c0_controls": "bell\x07 backspace\x08 esc\x1b[31m form\x0cfeed del\x7f",
    "c1_controls": "nel\x85 csi\x9b",
    "crlf": "line one\r\nline two\rline three",
    "lone_high_surrogate": "heading \ud83d end",
    "lone_low_surrogate": "\ude80 start",
    "split_pair": "pair \ud83d\ude80 ok",
    "bom": "\ufeffstarts with a BOM",
    "noncharacters": "nonchar \ufffe \uffff \U0010ffff",
    "zero_width": "zero\u200bwidth\u200cnon\u200djoiner\u2060",
    "html_sql": "<script>alert(1)</script> ' OR 1=1 -- \"; DROP TABLE users; {{7*7}}",
    "long_100k": ("Løng ✓ текст 長い " * 6250)[:100_000],
    "whitespace_only": " \t \u00a0\u3000 ",
    "empty": "",
}


def deeply_nested(depth: int) -> bytes:
    """JSON text nested ``depth`` levels (written directly: ``json.dumps`` itself would
    overflow the stack)."""
    return b'{"k":[' * depth + b'"leaf"' + b"]}" * depth


def with_deep_member(payload: dict[str, Any], depth: int) -> bytes:
    """``payload`` as JSON with one more member, ``"deep"``, nested ``depth`` levels."""
    head = dumps(payload)[:-1]
    separator = b"," if payload else b""
    return head + separator + b'"deep":' + deeply_nested(depth) + b"}"


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=True).encode("ascii")


async def send_json(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    payload: Any,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.request(
        method,
        url,
        content=dumps(payload),
        headers={**(headers or {}), "Content-Type": "application/json"},
    )
