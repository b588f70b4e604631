"""Regenerate the built-in templates' preview images (and, optionally, the docs gallery).

    python -m resumate.rendering.previews                 # templates/<slug>/preview.png
    python -m resumate.rendering.previews --docs docs/templates

Also copies the shared helpers (typst/resume-lib.typ as lib.typ, typst/labels.json) into every
built-in template folder first, since a template may read no file outside its folder.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path
from typing import Any

from resumate.rendering.pdf import (
    TEMPLATES_DIR,
    builtin_templates,
    load_builtin_template,
    render_pdf,
    render_png,
    sample_resume,
)

LIB_SOURCE = Path(__file__).parent / "typst" / "resume-lib.typ"
LABELS_SOURCE = Path(__file__).parent / "typst" / "labels.json"
# Canonical file -> name of its copy in each built-in template folder.
SHARED_FILES = {LIB_SOURCE: "lib.typ", LABELS_SOURCE: "labels.json"}
PREVIEW_PPI = 72
DOCS_PPI = 100


def sync_lib() -> list[Path]:
    """Copy the shared helper files into each built-in template; returns the changed files."""
    changed = []
    for source_path, name in SHARED_FILES.items():
        source = source_path.read_bytes()
        for folder in sorted(TEMPLATES_DIR.iterdir()):
            target = folder / name
            if (folder / "template.typ").is_file() and (
                not target.is_file() or target.read_bytes() != source
            ):
                target.write_bytes(source)
                changed.append(target)
    if changed:
        load_builtin_template.cache_clear()
    return changed


def long_resume(jobs: int = 14) -> dict[str, Any]:
    """The sample resume stretched with more jobs, to show how a template paginates."""
    data = copy.deepcopy(sample_resume())
    base = data["work"]
    extra = []
    for i in range(jobs - len(base)):
        job = copy.deepcopy(base[i % len(base)])
        year = 2013 - i
        job["startDate"], job["endDate"] = f"{year - 1}-01", f"{year}-12"
        job["highlights"] = [*job.get("highlights", []), *base[0]["highlights"]]
        extra.append(job)
    data["work"] = base + extra
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=Path, help="also write gallery PNGs into this folder")
    args = parser.parse_args()

    for path in sync_lib():
        print(f"synced {path}")
    sample = sample_resume()
    for info in builtin_templates():
        template = load_builtin_template(info.slug)
        png = render_png(sample, template, page=1, ppi=PREVIEW_PPI)
        target = TEMPLATES_DIR / info.slug / "preview.png"
        target.write_bytes(png)
        print(f"wrote {target} ({len(png) // 1024} KB)")
        if args.docs is not None:
            args.docs.mkdir(parents=True, exist_ok=True)
            out = args.docs / f"{info.slug}-page1.png"
            out.write_bytes(render_png(sample, template, page=1, ppi=DOCS_PPI))
            print(f"wrote {out}")
            longer = long_resume()
            pages = render_pdf(longer, template).pages
            out = args.docs / f"{info.slug}-long-page2.png"
            out.write_bytes(render_png(longer, template, page=2, ppi=DOCS_PPI))
            print(f"wrote {out} (page 2 of {pages})")


if __name__ == "__main__":
    main()
