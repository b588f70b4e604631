"""The text hygiene types: free text is cleaned, short fields refuse what they cannot hold."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from resumate.core.text import (
    MAX_JSON_DEPTH,
    FreeText,
    JsonObject,
    ShortText,
    clean_json,
    clean_text,
    problem_char,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Se busca\x00 ingeniero", "Se busca ingeniero"),
        ("a\tb\nc", "a\tb\nc"),
        ("line\r\nnext\rlast", "line\nnext\nlast"),
        ("bell\x07 esc\x1b del\x7f", "bell esc del"),
        ("lone \ud83d heading", "lone \ufffd heading"),
        ("low \ude00 half", "low \ufffd half"),
        ("pair \ud83d\ude80 joined", "pair \U0001f680 joined"),
        ("Ингрид Søgaard 履歴書 مرحبا", "Ингрид Søgaard 履歴書 مرحبا"),
        ("\ufeffBOM kept", "\ufeffBOM kept"),
        ("👩‍💻 ZWJ kept", "👩‍💻 ZWJ kept"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    clean_text(raw).encode("utf-8")  # always encodable


def test_clean_json_cleans_keys_and_values_and_bounds_depth() -> None:
    assert clean_json({"k\x00": ["v\ud800", {"x": "\x00"}], "n": 1, "b": None}) == {
        "k": ["v\ufffd", {"x": ""}],
        "n": 1,
        "b": None,
    }
    deep: object = "leaf"
    for _ in range(MAX_JSON_DEPTH + 1):
        deep = [deep]
    with pytest.raises(ValueError, match="nested deeper"):
        clean_json(deep)


class Form(BaseModel):
    title: Annotated[ShortText, Field(max_length=20)]
    body: FreeText = ""
    data: JsonObject = {}


def test_short_text_refuses_controls_and_surrogates_naming_the_field() -> None:
    for bad in ("a\x00b", "tab\there", "new\nline", "c1\x85", "half\udc00"):
        with pytest.raises(ValidationError) as info:
            Form(title=bad)
        error = info.value.errors()[0]
        assert error["loc"] == ("title",)
        assert "U+" in error["msg"]
    assert problem_char("fine Ñandú 🚀") is None


def test_free_text_and_json_object_are_cleaned() -> None:
    form = Form(title="ok", body="x\x00y\r\n", data={"a\x00": "b\ud800"})
    assert form.body == "xy\n"
    assert form.data == {"a": "b\ufffd"}
