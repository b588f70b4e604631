"""The font set every template compiles with, built once per process.

Fonts come from Python packages (declared in pyproject.toml) plus the fonts embedded in the
`typst` wheel; system fonts are ignored so that a PDF looks the same on every server.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import typst

__all__ = ["FONT_PACKAGES", "font_dirs", "typst_fonts"]

# (module, folder inside it holding the font files) — one entry per PyPI package.
FONT_PACKAGES: tuple[tuple[str, str], ...] = (
    ("fontpkg_source_serif_4", "files"),  # Source Serif 4: Latin, Greek, Cyrillic
    ("fontpkg_source_sans_3", "files"),  # Source Sans 3: Latin, Greek, Cyrillic
    ("fontpkg_inter", "files"),  # Inter: Latin, Greek, Cyrillic
    ("fontpkg_noto_sans", "files"),  # Noto Sans: wide Latin/Greek/Cyrillic fallback, Devanagari
    ("fontpkg_amiri", "files"),  # Amiri: Arabic (Naskh), text extracts cleanly
    ("pylopdf_fonts_zh_cn", "."),  # Noto Sans SC and Noto Serif SC: Chinese, kana
)

_lock = threading.Lock()
_fonts: typst.Fonts | None = None


def font_dirs() -> list[Path]:
    """Folders of the packaged fonts; a missing package is an installation error."""
    dirs = []
    for module_name, sub in FONT_PACKAGES:
        module = importlib.import_module(module_name)
        if module.__file__ is None:  # pragma: no cover - namespace packages are not fonts
            raise RuntimeError(f"font package {module_name} has no files")
        dirs.append((Path(module.__file__).parent / sub).resolve())
    return dirs


def typst_fonts() -> typst.Fonts:
    """The process-wide Typst font set (scanned once, shared by every compiler)."""
    global _fonts
    if _fonts is None:
        with _lock:
            if _fonts is None:
                _fonts = typst.Fonts(
                    include_system_fonts=False,
                    include_embedded_fonts=True,
                    font_paths=[str(d) for d in font_dirs()],
                )
    return _fonts
