"""The packaged fonts cover every script the templates promise, with no missing glyph."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from resumate.rendering import pdf as pdf_module
from resumate.rendering.fonts import font_dirs, typst_fonts
from tests.rendering.conftest import SCRIPTS, TEMPLATES

FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}


@cache
def packaged_cmaps() -> dict[str, set[int]]:
    """Family name -> code points, for every font file shipped through a package."""
    families: dict[str, set[int]] = {}
    for folder in font_dirs():
        for path in folder.iterdir():
            if path.suffix.lower() not in FONT_SUFFIXES:
                continue
            fonts = TTCollection(path).fonts if path.suffix in {".ttc", ".otc"} else [TTFont(path)]
            for font in fonts:
                name = font["name"].getBestFamilyName()
                families.setdefault(name, set()).update(font.getBestCmap())
    return families


def font_stack(slug: str) -> list[str]:
    source = (pdf_module.TEMPLATES_DIR / slug / "template.typ").read_text(encoding="utf-8")
    match = re.search(r"#set text\(\s*font: \(([^)]*)\)", source)
    assert match is not None, f"{slug} sets no font list"
    return re.findall(r'"([^"]+)"', match.group(1))


def test_font_set_is_built_once() -> None:
    assert typst_fonts() is typst_fonts()
    families = set(typst_fonts().families())
    for stack in map(font_stack, TEMPLATES):
        assert set(stack) <= families, set(stack) - families


def test_font_packages_are_installed() -> None:
    dirs = font_dirs()
    assert all(isinstance(d, Path) and d.is_dir() for d in dirs)
    assert {
        "Source Serif 4",
        "Inter",
        "Source Sans 3",
        "Amiri",
        "Noto Sans SC",
        "Noto Sans",
    } <= set(packaged_cmaps())


@pytest.mark.parametrize("slug", TEMPLATES)
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_template_fonts_cover_script(slug: str, script: str) -> None:
    """Typst falls back along the template's list, so one covering font means no tofu."""
    cmaps = packaged_cmaps()
    stack = [cmaps[family] for family in font_stack(slug) if family in cmaps]
    uncovered = {
        ch
        for text in SCRIPTS[script]
        for ch in text
        if not ch.isspace() and not any(ord(ch) in cmap for cmap in stack)
    }
    assert uncovered == set()
