"""Synthetic draft posts (~50 words) with names, dates, phone numbers and emails. Fixed seed: same posts every run.

Every name, number and address here is invented.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator

SEED = 20240601
FIRST = ["Maria", "James", "Aisha", "Tomas", "Priya", "Daniel", "Grace", "Omar", "Lena", "Victor", "Hannah", "Kenji"]
LAST = ["Alvarez", "Whitfield", "Okafor", "Lindqvist", "Raman", "Costa", "Brennan", "Haddad", "Novak", "Sato"]
MONTHS = ["January", "March", "April", "June", "August", "October", "December"]
OPENERS = [
    "Huge thanks to everyone on the night shift this week.",
    "Proud of our team for another busy weekend in the clinic.",
    "Reminder that flu shots are available at all our locations.",
    "What a week on the ward, and what a group of people to share it with.",
]
MIDDLES = [
    "{name} came back today to say hello after the surgery on {date} and looked great.",
    "We finally discharged {name} on {date}, the whole floor was cheering.",
    "If you have questions about the program, call {phone} or write to {email}.",
    "{name} asked us to share that recovery is possible, reach her at {email} if you want to talk.",
    "Our volunteer coordinator {name} can be reached at {phone} during office hours.",
]
CLOSERS = [
    "Remember to hydrate and take your breaks.",
    "See you all at the staff picnic next month.",
    "Stay safe out there and look after each other.",
    "Nothing makes this job more worth it than days like these.",
]
FILLER = ("the team stayed late again and nobody complained because we all knew how much it mattered "
          "to the families waiting outside").split()


def _post(rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    values = {
        "name": f"{first} {last}",
        "date": f"{rng.choice(MONTHS)} {rng.randint(1, 28)}",
        "phone": f"({rng.randint(201, 989)}) 555-{rng.randint(1000, 9999)}",
        "email": f"{first.lower()}.{last.lower()}@example.org",
    }
    words = [rng.choice(OPENERS), rng.choice(MIDDLES).format(**values), rng.choice(MIDDLES).format(**values)]
    words.append(" ".join(rng.sample(FILLER, rng.randint(4, 10))).capitalize() + ".")
    words.append(rng.choice(CLOSERS))
    return " ".join(words)


def posts(count: int, seed: int = SEED) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield _post(rng)


def write_posts(folder: Path, count: int, seed: int = SEED) -> list[Path]:
    """Write `count` posts as post-00000.md ... into folder (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(posts(count, seed)):
        path = folder / f"post-{i:05d}.md"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    return paths
