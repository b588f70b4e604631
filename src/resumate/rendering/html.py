"""The public HTML page of a shared resume: server-rendered, self-contained, phone-friendly."""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from resumate.jsonresume import parse_resume

__all__ = ["render_resume_html"]

# The same labels the Typst templates use (section titles, months) by language.
LABELS: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "typst" / "labels.json").read_text(encoding="utf-8")
)
_BULLET_RE = re.compile(r"^\s*(?:[-*•▪‣–]|\d+[.)])\s+")
_NETWORK_BASES = {
    "github": "github.com/",
    "gitlab": "gitlab.com/",
    "linkedin": "linkedin.com/in/",
    "twitter": "x.com/",
    "x": "x.com/",
    "stackoverflow": "stackoverflow.com/users/",
    "dribbble": "dribbble.com/",
    "behance": "behance.net/",
    "medium": "medium.com/@",
    "instagram": "instagram.com/",
    "youtube": "youtube.com/@",
}


def _language(document: dict[str, Any]) -> str:
    """`meta.language` ("fr", "de-CH", ...) when we have labels for it, else English."""
    chosen = (document.get("meta") or {}).get("language")
    code = re.split(r"[-_]", chosen.strip().lower())[0] if isinstance(chosen, str) else "en"
    return code if code in LABELS else "en"


def _fmt_date(value: str | None, labels: dict[str, Any]) -> str | None:
    if not value:
        return None
    parts = value.split("-")
    if len(parts) >= 2:
        return f"{labels['months'][int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def _date_range(start: str | None, end: str | None, labels: dict[str, Any]) -> str | None:
    a, b = _fmt_date(start, labels), _fmt_date(end, labels)
    if a and b:
        return a if a == b else f"{a} – {b}"
    if a:
        return f"{a} – {labels['present']}"
    return b


def _href(url: str | None) -> str | None:
    if not url:
        return None
    # Document URLs were validated as http(s) or scheme-less by parse_resume.
    return url if re.match(r"^https?://", url, re.IGNORECASE) else "https://" + url


def _display_url(url: str) -> str:
    shown = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    shown = re.sub(r"^www\.", "", shown, flags=re.IGNORECASE)
    return shown.rstrip("/")


def _profile_url(profile: dict[str, Any]) -> str | None:
    if profile.get("url"):
        return _href(profile["url"])
    network = (profile.get("network") or "").lower().replace(" ", "")
    user = (profile.get("username") or "").lstrip("@")
    base = _NETWORK_BASES.get(network)
    return f"https://{base}{user}" if base and user else None


def _paragraphs(text: str | None) -> list[dict[str, Any]]:
    """Split prose into blocks: {"lines": [...]} paragraphs and {"bullets": [...]} lists."""
    blocks: list[dict[str, Any]] = []
    for para in re.split(r"\n[ \t]*\n", (text or "").strip()):
        current: dict[str, list[str]] | None = None
        for raw in para.split("\n"):
            line = raw.strip()
            if not line:
                continue
            kind = "bullets" if _BULLET_RE.match(line) else "lines"
            if current is None or kind not in current:
                current = {kind: []}
                blocks.append(current)
            current[kind].append(_BULLET_RE.sub("", line) if kind == "bullets" else line)
    return blocks


def _location_line(location: dict[str, Any] | None) -> str | None:
    if not location:
        return None
    city = " ".join(p for p in (location.get("postalCode"), location.get("city")) if p)
    parts = [location.get("address"), city, location.get("region"), location.get("countryCode")]
    shown = ", ".join(p for p in parts if p)
    return shown or None


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "html"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.ChainableUndefined,
)
_env.filters.update(
    href=_href,
    display_url=_display_url,
    profile_url=_profile_url,
    paragraphs=_paragraphs,
)
_env.globals.update(location_line=_location_line)


def render_resume_html(data: dict[str, Any], *, title: str, pdf_url: str | None) -> str:
    """A complete HTML page (inline CSS, no external assets) showing the resume."""
    document = parse_resume(data).to_json()
    language = _language(document)
    labels = LABELS[language]
    return _env.get_template("resume.html.jinja").render(
        r=document,
        title=title,
        pdf_url=pdf_url,
        lang=language,
        L=labels,
        fmt_date=partial(_fmt_date, labels=labels),
        date_range=partial(_date_range, labels=labels),
    )
