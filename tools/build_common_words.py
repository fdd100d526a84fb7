"""Rebuild rules/tables/common-words.yaml: English words more often written in lower case than capitalised.

The source is the English word-probability table of spaCy's `spacy-lookups-data` package (MIT licence; not a
runtime dependency). Run from the repository root:

    pip install 'spacy-lookups-data==1.0.5' && python tools/build_common_words.py
"""
from __future__ import annotations

import gzip
import importlib.resources
import json
import textwrap
from pathlib import Path

import yaml

LOG_PROB_FLOOR = -16.0  # about one word in nine million: rarer words say nothing either way
LOWER_CASE_FLOOR = -14.0  # a first name whose lower-case form is this frequent is a word when written so
TABLE = Path(__file__).resolve().parents[1] / "rules" / "tables" / "common-words.yaml"
HEADER = """\
# Common English words: written more often in lower case than capitalised, with a log probability of at
# least {floor}. A "name" made only of such words ("Volunteer Corner", "Rest") is a heading or a word.
# Built by tools/build_common_words.py from en_lexeme_prob of spacy-lookups-data {version} (MIT licence).
version: spacy-lookups-data-{version}
# Words the source is too old or too general to know (phiguard's list, kept by the build).
extra:
{extra}
# First names that are also written as lower-case words often enough (log probability of the lower-case
# form at least {lower_floor}): "walker", "bay", "mason". Lower-case, they are words, not names.
names_as_words: >-
{names_as_words}
words: >-
"""


def common_words(prob: dict[str, float]) -> list[str]:
    words = []
    for word, logp in prob.items():
        if not (word.isalpha() and word.islower() and len(word) >= 2 and logp >= LOG_PROB_FLOOR):
            continue
        capitalised = prob.get(word.capitalize())
        if capitalised is None or logp > capitalised:
            words.append(word)
    return sorted(words)


def main() -> None:
    from importlib.metadata import version

    data = importlib.resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    prob = json.loads(gzip.decompress(data.read_bytes()))
    body = textwrap.fill(" ".join(common_words(prob)), width=110, initial_indent="  ", subsequent_indent="  ",
                         break_long_words=False)
    pkg = version("spacy-lookups-data")
    extra = "\n".join(f"  - {w}" for w in yaml.safe_load(TABLE.read_text(encoding="utf-8"))["extra"])
    first = yaml.safe_load((TABLE.parent / "first-names.yaml").read_text(encoding="utf-8"))["names"].split()
    lower = sorted(n for n in first if prob.get(n, -99.0) >= LOWER_CASE_FLOOR)
    names_as_words = textwrap.fill(" ".join(lower), width=110, initial_indent="  ", subsequent_indent="  ")
    TABLE.write_text(HEADER.format(floor=LOG_PROB_FLOOR, version=pkg, extra=extra, lower_floor=LOWER_CASE_FLOOR,
                                   names_as_words=names_as_words) + body + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(body.split())} words")


if __name__ == "__main__":
    main()
