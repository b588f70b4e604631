"""JSON Resume v1.0.0 validation: lenient on unknown keys, strict on types, bounded."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from resumate.jsonresume import (
    MAX_DOCUMENT_BYTES,
    MAX_LIST_ITEMS,
    MAX_SECTION_ITEMS,
    MAX_SHORT_TEXT,
    ResumeDocument,
    ResumeValidationError,
    parse_resume,
)
from resumate.rendering import sample_resume


def errors_of(data: object) -> list[dict[str, str]]:
    with pytest.raises(ResumeValidationError) as info:
        parse_resume(data)
    return info.value.errors


def paths_of(data: object) -> list[str]:
    return [e["path"] for e in errors_of(data)]


def test_sample_round_trips_unchanged() -> None:
    sample = sample_resume()
    document = parse_resume(sample)
    assert isinstance(document, ResumeDocument)
    assert document.to_json() == sample
    assert document.basics is not None and document.basics.name == "Amélie Laurent-Østergaard"
    assert document.work is not None and document.work[0].start_date == "2021-03"


def test_empty_document_is_valid() -> None:
    assert parse_resume({}).to_json() == {}


def test_unknown_keys_are_kept_everywhere() -> None:
    data: dict[str, Any] = {
        "x-top": {"nested": [1, 2, {"deep": True}]},
        "basics": {
            "name": "A",
            "pronouns": "she/her",
            "location": {"city": "Lyon", "timezone": "Europe/Paris"},
            "profiles": [{"network": "GitHub", "followers": 12}],
        },
        "work": [{"name": "Acme", "start_date": "not validated: unknown key", "team": ["x"]}],
        "meta": {"theme": "elegant", "paper": "a4"},
    }
    assert parse_resume(data).to_json() == data


def test_nulls_and_empty_dates_are_dropped() -> None:
    data = {
        "basics": {"name": "A", "email": "", "url": None, "phone": None},
        "work": [{"name": "Acme", "startDate": "2020", "endDate": ""}],
    }
    assert parse_resume(data).to_json() == {
        "basics": {"name": "A"},
        "work": [{"name": "Acme", "startDate": "2020"}],
    }


@pytest.mark.parametrize("value", ["2020", "2020-02", "2020-02-29", "1999-12-31"])
def test_valid_dates(value: str) -> None:
    assert parse_resume({"work": [{"startDate": value}]}).to_json()["work"][0]["startDate"] == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-13", "month 13"),
        ("2021-02-29", "day 29"),
        ("2020-04-31", "day 31"),
        ("March 2020", "YYYY"),
        ("2020/01", "YYYY"),
        ("20-01-2020", "YYYY"),
        ("2020-1", "YYYY"),
        ("present", "YYYY"),
    ],
)
def test_invalid_dates(value: str, message: str) -> None:
    errors = errors_of({"education": [{}, {"endDate": value}]})
    assert errors == [{"path": "$.education[1].endDate", "message": errors[0]["message"]}]
    assert message in errors[0]["message"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "http://example.com/path?q=1#x",
        "example.com",
        "www.linkedin.com/in/someone",
        "localhost:8080/cv",
        "http://localhost:8000",
        "https://münchen.example/über",
        "HTTPS://EXAMPLE.COM",
    ],
)
def test_valid_urls(url: str) -> None:
    assert parse_resume({"basics": {"url": url}}).to_json() == {"basics": {"url": url}}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "mailto:someone@example.com",
        "ftp://example.com/file",
        "https://exa mple.com",
        "http://",
        "not-a-url",
        "data:text/html,hi",
        "https://x" + "y" * 3000 + ".com",
    ],
)
def test_invalid_urls(url: str) -> None:
    assert paths_of({"basics": {"profiles": [{}, {"url": url}]}}) == ["$.basics.profiles[1].url"]


@pytest.mark.parametrize("email", ["a@b.co", "first.last+tag@sub.example.co.uk", "ü@exämple.de"])
def test_valid_emails(email: str) -> None:
    assert parse_resume({"basics": {"email": email}}).to_json() == {"basics": {"email": email}}


@pytest.mark.parametrize("email", ["plain", "a@b", "a @b.com", "a@b.com.", "<a@b.com>", "a@@b.com"])
def test_invalid_emails(email: str) -> None:
    assert paths_of({"basics": {"email": email}}) == ["$.basics.email"]


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"basics": {"name": 42}}, "$.basics.name", "expected a string, got a number"),
        ({"basics": {"name": ["A"]}}, "$.basics.name", "expected a string, got a list"),
        ({"basics": {"name": True}}, "$.basics.name", "expected a string, got a boolean"),
        ({"basics": {"location": "Lyon"}}, "$.basics.location", "expected an object, got a string"),
        ({"basics": "Jo"}, "$.basics", "expected an object, got a string"),
        ({"work": {"name": "Acme"}}, "$.work", "expected a list, got an object"),
        ({"work": [None]}, "$.work[0]", "expected an object, got null"),
        (
            {"skills": [{"keywords": "Python"}]},
            "$.skills[0].keywords",
            "expected a list, got a string",
        ),
        ({"skills": [{"keywords": ["Go", 3]}]}, "$.skills[0].keywords[1]", "expected a string"),
        (
            {"education": [{"score": 3.8}]},
            "$.education[0].score",
            "expected a string, got a number",
        ),
        ({"work": [{"startDate": 2020}]}, "$.work[0].startDate", "expected a string, got a number"),
        ({"$schema": 1}, "$['$schema']", "expected a string"),
    ],
)
def test_types_are_strict(data: dict[str, Any], path: str, message: str) -> None:
    errors = errors_of(data)
    assert [e["path"] for e in errors] == [path]
    assert errors[0]["message"].startswith(message)


def test_every_problem_is_reported_with_its_path() -> None:
    data = {
        "basics": {"email": "x", "profiles": [{"url": "javascript:x"}]},
        "work": [{}, {"startDate": "2020-00", "highlights": ["ok", 7]}],
        "languages": [{"language": {"name": "fr"}}],
    }
    assert sorted(paths_of(data)) == sorted(
        [
            "$.basics.email",
            "$.basics.profiles[0].url",
            "$.work[1].startDate",
            "$.work[1].highlights[1]",
            "$.languages[0].language",
        ]
    )


@pytest.mark.parametrize("data", [[], "resume", 3, None])
def test_document_must_be_an_object(data: object) -> None:
    assert errors_of(data) == [{"path": "$", "message": "expected a JSON object"}]


def test_size_limits() -> None:
    assert paths_of({"work": [{}] * (MAX_SECTION_ITEMS + 1)}) == ["$.work"]
    assert paths_of({"work": [{"highlights": ["x"] * (MAX_LIST_ITEMS + 1)}]}) == [
        "$.work[0].highlights"
    ]
    assert paths_of({"basics": {"name": "x" * (MAX_SHORT_TEXT + 1)}}) == ["$.basics.name"]
    parse_resume({"basics": {"name": "x" * MAX_SHORT_TEXT}})
    huge = {"basics": {"summary": "x" * 100}, "x-blob": "y" * MAX_DOCUMENT_BYTES}
    errors = errors_of(huge)
    assert errors[0]["path"] == "$" and "limit" in errors[0]["message"]


def test_error_message_names_the_paths() -> None:
    with pytest.raises(ResumeValidationError) as info:
        parse_resume({"work": [{"startDate": "nope"}]})
    assert isinstance(info.value, ValueError)
    assert "$.work[0].startDate" in str(info.value)


def test_input_is_not_modified() -> None:
    data = {"basics": {"name": "A", "email": ""}}
    before = copy.deepcopy(data)
    parse_resume(data)
    assert data == before
