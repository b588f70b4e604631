"""The resume editor's form: every JSON Resume section as fields, the form read back into a
document, and the structural edits (add, remove, move an entry; add or remove a highlight).

Field names are dotted paths into the document (``work.2.highlights.0``), so a plain form post
carries the whole resume and no JavaScript is needed to edit it. Keys the form does not show
(a photo, unknown keys of an entry) are kept from the stored document."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
PAPERS = ("a4", "us-letter")
MAX_ENTRIES = 200


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text, textarea, month, url, email, tel, list (one input per item), tags
    wide: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    fields: tuple[Field, ...]
    title_field: str
    subtitle_field: str | None = None
    entries: bool = True
    extra: tuple[str, ...] = field(default=())


def _f(name: str, kind: str = "text", wide: bool = False) -> Field:
    return Field(name, kind, wide or kind in ("textarea", "list"))


BASICS = (
    _f("name"),
    _f("label"),
    _f("email", "email"),
    _f("phone", "tel"),
    _f("url", "url"),
    _f("summary", "textarea"),
)
LOCATION = (_f("address"), _f("city"), _f("postalCode"), _f("region"), _f("countryCode"))
PROFILE = Section("profiles", (_f("network"), _f("username"), _f("url", "url")), "network")

SECTIONS: tuple[Section, ...] = (
    Section(
        "work",
        (
            _f("position"),
            _f("name"),
            _f("location"),
            _f("url", "url"),
            _f("startDate", "month"),
            _f("endDate", "month"),
            _f("summary", "textarea"),
            _f("highlights", "list"),
        ),
        "position",
        "name",
    ),
    Section(
        "education",
        (
            _f("institution"),
            _f("area"),
            _f("studyType"),
            _f("score"),
            _f("url", "url"),
            _f("startDate", "month"),
            _f("endDate", "month"),
            _f("courses", "tags", wide=True),
        ),
        "institution",
        "area",
    ),
    Section(
        "projects",
        (
            _f("name"),
            _f("entity"),
            _f("url", "url"),
            _f("type"),
            _f("startDate", "month"),
            _f("endDate", "month"),
            _f("description", "textarea"),
            _f("highlights", "list"),
            _f("roles", "tags"),
            _f("keywords", "tags"),
        ),
        "name",
    ),
    Section(
        "skills",
        (_f("name"), _f("level"), _f("keywords", "tags", wide=True)),
        "name",
        "level",
    ),
    Section(
        "languages",
        (_f("language"), _f("fluency")),
        "language",
        "fluency",
    ),
    Section(
        "volunteer",
        (
            _f("position"),
            _f("organization"),
            _f("url", "url"),
            _f("startDate", "month"),
            _f("endDate", "month"),
            _f("summary", "textarea"),
            _f("highlights", "list"),
        ),
        "position",
        "organization",
    ),
    Section(
        "awards",
        (_f("title"), _f("awarder"), _f("date", "month"), _f("summary", "textarea")),
        "title",
        "awarder",
    ),
    Section(
        "certificates",
        (_f("name"), _f("issuer"), _f("date", "month"), _f("url", "url")),
        "name",
        "issuer",
    ),
    Section(
        "publications",
        (
            _f("name"),
            _f("publisher"),
            _f("releaseDate", "month"),
            _f("url", "url"),
            _f("summary", "textarea"),
        ),
        "name",
        "publisher",
    ),
    Section("interests", (_f("name"), _f("keywords", "tags", wide=True)), "name"),
    Section("references", (_f("name"), _f("reference", "textarea")), "name"),
)
SECTION_KEYS = frozenset(s.key for s in SECTIONS)
_INDEX = re.compile(r"^\d{1,4}$")


class EditError(ValueError):
    """A structural edit that does not apply (bad path, too many entries)."""


def _text(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    if not values:
        return None
    return values[-1]


def _month(value: str, previous: object) -> str:
    """Month precision in the form; a stored full date in the same month is kept as it was."""
    value = value.strip()
    if isinstance(previous, str) and len(previous) > 7 and previous[:7] == value:
        return previous
    return value


def _apply_fields(
    target: dict[str, Any], fields: tuple[Field, ...], form: dict[str, list[str]], prefix: str
) -> None:
    for fld in fields:
        name = f"{prefix}{fld.name}"
        if fld.kind == "list":
            items: list[str] = []
            present = False
            for index in range(MAX_ENTRIES):
                value = _text(form, f"{name}.{index}")
                if value is None:
                    continue
                present = True
                if value.strip():
                    items.append(value.strip())
            if present or f"{name}.present" in form:
                if items:
                    target[fld.name] = items
                else:
                    target.pop(fld.name, None)
            continue
        value = _text(form, name)
        if value is None:
            continue
        if fld.kind == "tags":
            tags = [part.strip() for part in value.split(",") if part.strip()]
            if tags:
                target[fld.name] = tags
            else:
                target.pop(fld.name, None)
            continue
        if fld.kind == "month":
            value = _month(value, target.get(fld.name))
        if value.strip():
            target[fld.name] = value if fld.kind == "textarea" else value.strip()
        else:
            target.pop(fld.name, None)


def _entries(
    stored: list[Any] | None, section: Section, form: dict[str, list[str]], prefix: str
) -> list[Any] | None:
    count_text = _text(form, f"{prefix}.count")
    if count_text is None or not _INDEX.match(count_text):
        return stored
    count = min(int(count_text), MAX_ENTRIES)
    result: list[Any] = []
    for index in range(count):
        base = stored[index] if stored and index < len(stored) else {}
        entry = copy.deepcopy(base) if isinstance(base, dict) else {}
        _apply_fields(entry, section.fields, form, f"{prefix}.{index}.")
        result.append(entry)
    return result


def document_from_form(stored: dict[str, Any], form: dict[str, list[str]]) -> dict[str, Any]:
    """The stored document with every field the form carries replaced by its value."""
    document = copy.deepcopy(stored)
    basics = document.get("basics")
    basics = copy.deepcopy(basics) if isinstance(basics, dict) else {}
    _apply_fields(basics, BASICS, form, "basics.")
    location = basics.get("location")
    location = location if isinstance(location, dict) else {}
    _apply_fields(location, LOCATION, form, "basics.location.")
    if location:
        basics["location"] = location
    else:
        basics.pop("location", None)
    profiles = _entries(basics.get("profiles"), PROFILE, form, "basics.profiles")
    if profiles:
        basics["profiles"] = profiles
    else:
        basics.pop("profiles", None)
    document["basics"] = basics
    for section in SECTIONS:
        entries = _entries(document.get(section.key), section, form, section.key)
        if entries:
            document[section.key] = entries
        else:
            document.pop(section.key, None)
    meta = document.get("meta")
    meta = dict(meta) if isinstance(meta, dict) else {}
    language, paper = _text(form, "meta.language"), _text(form, "meta.paper")
    if language in LANGUAGES:
        meta["language"] = language
    if paper in PAPERS:
        meta["paper"] = paper
    if meta:
        document["meta"] = meta
    return document


def _container(document: dict[str, Any], parts: list[str]) -> list[Any]:
    """The list at ``parts`` (created when missing), for the known editable lists only."""
    node: Any = document
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        if isinstance(node, dict):
            if part not in node or node[part] is None:
                node[part] = [] if last else {}
            node = node[part]
        elif isinstance(node, list) and _INDEX.match(part) and int(part) < len(node):
            node = node[int(part)]
        else:
            raise EditError("no such entry")
    if not isinstance(node, list):
        raise EditError("not a list")
    return node


def _allowed(parts: list[str]) -> bool:
    if parts == ["basics", "profiles"]:
        return True
    if len(parts) == 1:
        return parts[0] in SECTION_KEYS
    return (
        len(parts) == 3
        and parts[0] in ("work", "projects", "volunteer")
        and _INDEX.match(parts[1]) is not None
        and parts[2] == "highlights"
    )


def apply_edit(document: dict[str, Any], op: str) -> str:
    """Apply ``add:work``, ``remove:work.2``, ``up:work.2``, ``down:work.2``,
    ``add:work.0.highlights``, ``remove:work.0.highlights.1``. Returns the anchor (dotted
    path) of the entry to show afterwards."""
    verb, _, path = op.partition(":")
    parts = [p for p in path.split(".") if p]
    if verb == "add":
        if not _allowed(parts):
            raise EditError("unknown list")
        items = _container(document, parts)
        if len(items) >= MAX_ENTRIES:
            raise EditError("too many entries")
        items.append("" if parts[-1] == "highlights" else {})
        return f"{'.'.join(parts)}.{len(items) - 1}"
    if verb in ("remove", "up", "down"):
        if not parts or not _INDEX.match(parts[-1]) or not _allowed(parts[:-1]):
            raise EditError("unknown entry")
        items = _container(document, parts[:-1])
        index = int(parts[-1])
        if index >= len(items):
            raise EditError("no such entry")
        if verb == "remove":
            del items[index]
            return ".".join(parts[:-1])
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
            return ".".join([*parts[:-1], str(other)])
        return ".".join(parts)
    raise EditError("unknown edit")


def entries_of(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key)
    return [e if isinstance(e, dict) else {} for e in value] if isinstance(value, list) else []


def value_at(entry: dict[str, Any], fld: Field) -> Any:
    value = entry.get(fld.name)
    if fld.kind == "month" and isinstance(value, str):
        return value[:7]
    if fld.kind == "tags" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if fld.kind == "list":
        return [str(v) for v in value] if isinstance(value, list) else []
    return value if isinstance(value, str) else ""


def form_lists(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, value in pairs:
        result.setdefault(key, []).append(value)
    return result
