"""JSON Resume v1.0.0 documents (https://jsonresume.org/schema) as Pydantic models.

Lenient where real documents vary (unknown keys are kept and round-trip, empty strings in
date/URL/email fields mean "absent", URLs may omit their scheme), strict where the renderer
depends on it (no coercion between strings, numbers, lists and objects), and bounded so that
one document cannot make the renderer work without limit.

Every key and string is free text in the sense of ``resumate.core.text``: documents are often
made from text extracted out of PDFs, so NUL and other control characters are dropped and
unpaired surrogates replaced, never refused (``parse_resume`` cleans the whole tree first, and
the field types clean again for code that validates a model directly).
"""

from __future__ import annotations

import calendar
import json
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from resumate.core.text import MAX_JSON_DEPTH, FreeText, clean_json

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_LIST_ITEMS",
    "MAX_LONG_TEXT",
    "MAX_SECTION_ITEMS",
    "MAX_SHORT_TEXT",
    "Award",
    "Basics",
    "Certificate",
    "Education",
    "Interest",
    "Language",
    "Location",
    "Meta",
    "Profile",
    "Project",
    "Publication",
    "Reference",
    "ResumeDocument",
    "ResumeValidationError",
    "Skill",
    "Volunteer",
    "Work",
    "parse_resume",
]

# Bounds that protect the renderer; generous enough for a long academic CV.
MAX_DOCUMENT_BYTES = 2_000_000
MAX_SECTION_ITEMS = 500
MAX_LIST_ITEMS = 200
MAX_SHORT_TEXT = 500
MAX_LONG_TEXT = 20_000
MAX_URL_LENGTH = 2_048

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+$")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PORT_RE = re.compile(r"\d+(?:[/?#]|$)")
_HOST_RE = re.compile(r"^(?:[\w-]+\.)+[\w-]{2,}$|^\d{1,3}(?:\.\d{1,3}){3}$|^localhost$")


class ResumeValidationError(ValueError):
    """A document is not a valid JSON Resume; `.errors` lists `{"path", "message"}` items."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        summary = "; ".join(f"{e['path']}: {e['message']}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"invalid JSON Resume document: {summary}{more}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (ResumeValidationError, (self.errors,))


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _check_date(value: str) -> str:
    match = _DATE_RE.match(value)
    if match is None:
        raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"month {month} is out of range 01-12")
    if day is not None:
        last = calendar.monthrange(int(year), int(month))[1]
        if not 1 <= int(day) <= last:
            raise ValueError(f"day {day} is out of range for {year}-{month}")
    return value


def _check_url(value: str) -> str:
    if any(ch.isspace() for ch in value):
        raise ValueError("a URL cannot contain spaces")
    scheme_match = _SCHEME_RE.match(value)
    has_authority = "://" in value
    if scheme_match is not None and (
        has_authority or not _PORT_RE.match(value, scheme_match.end())
    ):
        # "host:8080/path" has a port, not a scheme; anything else before ":" is a scheme.
        scheme = scheme_match.group(1).lower()
        if scheme not in {"http", "https"}:
            raise ValueError(f"URL scheme {scheme!r} is not allowed; use http or https")
        if not has_authority:
            raise ValueError("expected a URL such as https://example.com")
        candidate = value
    else:
        candidate = "https://" + value.lstrip("/")
    try:
        host = urlsplit(candidate).hostname
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from None
    if not host or not _HOST_RE.match(host):
        raise ValueError("expected a URL such as https://example.com")
    return value


def _check_email(value: str) -> str:
    if not _EMAIL_RE.match(value):
        raise ValueError("expected an email address such as name@example.com")
    return value


ShortText = Annotated[FreeText, StringConstraints(max_length=MAX_SHORT_TEXT)]
LongText = Annotated[FreeText, StringConstraints(max_length=MAX_LONG_TEXT)]
Date = Annotated[
    Annotated[FreeText, StringConstraints(max_length=10), AfterValidator(_check_date)] | None,
    BeforeValidator(_blank_to_none),
]
Url = Annotated[
    Annotated[FreeText, StringConstraints(max_length=MAX_URL_LENGTH), AfterValidator(_check_url)]
    | None,
    BeforeValidator(_blank_to_none),
]
Email = Annotated[
    Annotated[FreeText, StringConstraints(max_length=254), AfterValidator(_check_email)] | None,
    BeforeValidator(_blank_to_none),
]
# A photo may be a data: URI, so it is a long string that no built-in template fetches.
ImageRef = Annotated[FreeText, StringConstraints(max_length=MAX_DOCUMENT_BYTES)]
TextList = Annotated[list[LongText], Field(max_length=MAX_LIST_ITEMS)]
ShortList = Annotated[list[ShortText], Field(max_length=MAX_LIST_ITEMS)]


class _Node(BaseModel):
    model_config = ConfigDict(
        extra="allow",
        strict=True,
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
    )


class Location(_Node):
    address: LongText | None = None
    postal_code: ShortText | None = None
    city: ShortText | None = None
    country_code: ShortText | None = None
    region: ShortText | None = None


class Profile(_Node):
    network: ShortText | None = None
    username: ShortText | None = None
    url: Url = None


class Basics(_Node):
    name: ShortText | None = None
    label: ShortText | None = None
    image: ImageRef | None = None
    email: Email = None
    phone: ShortText | None = None
    url: Url = None
    summary: LongText | None = None
    location: Location | None = None
    profiles: Annotated[list[Profile], Field(max_length=MAX_LIST_ITEMS)] | None = None


class Work(_Node):
    name: ShortText | None = None
    location: ShortText | None = None
    description: LongText | None = None
    position: ShortText | None = None
    url: Url = None
    start_date: Date = None
    end_date: Date = None
    summary: LongText | None = None
    highlights: TextList | None = None


class Volunteer(_Node):
    organization: ShortText | None = None
    position: ShortText | None = None
    url: Url = None
    start_date: Date = None
    end_date: Date = None
    summary: LongText | None = None
    highlights: TextList | None = None


class Education(_Node):
    institution: ShortText | None = None
    url: Url = None
    area: ShortText | None = None
    study_type: ShortText | None = None
    start_date: Date = None
    end_date: Date = None
    score: ShortText | None = None
    courses: ShortList | None = None


class Award(_Node):
    title: ShortText | None = None
    date: Date = None
    awarder: ShortText | None = None
    summary: LongText | None = None


class Certificate(_Node):
    name: ShortText | None = None
    date: Date = None
    url: Url = None
    issuer: ShortText | None = None


class Publication(_Node):
    name: LongText | None = None
    publisher: ShortText | None = None
    release_date: Date = None
    url: Url = None
    summary: LongText | None = None


class Skill(_Node):
    name: ShortText | None = None
    level: ShortText | None = None
    keywords: ShortList | None = None


class Language(_Node):
    language: ShortText | None = None
    fluency: ShortText | None = None


class Interest(_Node):
    name: ShortText | None = None
    keywords: ShortList | None = None


class Reference(_Node):
    name: ShortText | None = None
    reference: LongText | None = None


class Project(_Node):
    name: ShortText | None = None
    description: LongText | None = None
    highlights: TextList | None = None
    keywords: ShortList | None = None
    start_date: Date = None
    end_date: Date = None
    url: Url = None
    roles: ShortList | None = None
    entity: ShortText | None = None
    type: ShortText | None = None


class Meta(_Node):
    canonical: Url = None
    version: ShortText | None = None
    last_modified: ShortText | None = None


class ResumeDocument(_Node):
    """A JSON Resume v1.0.0 document; every section is optional."""

    schema_: ShortText | None = Field(default=None, alias="$schema")
    basics: Basics | None = None
    work: Annotated[list[Work], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    volunteer: Annotated[list[Volunteer], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    education: Annotated[list[Education], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    awards: Annotated[list[Award], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    certificates: Annotated[list[Certificate], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    publications: Annotated[list[Publication], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    skills: Annotated[list[Skill], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    languages: Annotated[list[Language], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    interests: Annotated[list[Interest], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    references: Annotated[list[Reference], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    projects: Annotated[list[Project], Field(max_length=MAX_SECTION_ITEMS)] | None = None
    meta: Meta | None = None

    def to_json(self) -> dict[str, Any]:
        """The document as JSON-ready data: unset and null fields dropped, unknown keys kept."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)


def _json_path(loc: tuple[int | str, ...]) -> str:
    path = "$"
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            path += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            path += f"['{escaped}']"
    return path


_TYPE_MESSAGES = {
    "string_type": "expected a string",
    "list_type": "expected a list",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "dict_type": "expected an object",
}


def _error_message(error: Any) -> str:
    if error["type"] in _TYPE_MESSAGES:
        return f"{_TYPE_MESSAGES[error['type']]}, got {_json_type(error.get('input'))}"
    message = str(error["msg"])
    # Our own validators raise ValueError; Pydantic prefixes them with "Value error, ".
    return message.removeprefix("Value error, ")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def parse_resume(data: object) -> ResumeDocument:
    """Validate `data` as a JSON Resume document or raise `ResumeValidationError`."""
    if not isinstance(data, dict):
        raise ResumeValidationError([{"path": "$", "message": "expected a JSON object"}])
    try:
        data = clean_json(data)
    except ValueError:
        message = f"nested deeper than {MAX_JSON_DEPTH} levels"
        raise ResumeValidationError([{"path": "$", "message": message}]) from None
    try:
        size = len(json.dumps(data, ensure_ascii=False, default=str).encode())
    except (TypeError, ValueError) as exc:
        raise ResumeValidationError([{"path": "$", "message": f"not JSON data: {exc}"}]) from None
    if size > MAX_DOCUMENT_BYTES:
        raise ResumeValidationError(
            [
                {
                    "path": "$",
                    "message": f"document is {size} bytes; the limit is {MAX_DOCUMENT_BYTES}",
                }
            ]
        )
    try:
        return ResumeDocument.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"path": _json_path(tuple(err["loc"])), "message": _error_message(err)}
            for err in exc.errors(include_url=False)
        ]
        raise ResumeValidationError(errors) from None
