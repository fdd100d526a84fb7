"""Synthetic posts for the tests and the benchmark: PHI-bearing ones with varied names and numbers, clean ones,
and a few with a suppression (allowlisted name, inline directive). Deterministic for a seed."""
from __future__ import annotations

import random

FIRST = ["Maria", "James", "Aisha", "Chen", "Olga", "Diego", "Priya", "Tom", "Fatima", "Liam", "Noor", "Grace"]
LAST = ["Lopez", "Okafor", "Nguyen", "Schmidt", "Haddad", "Kowalski", "Patel", "Murphy", "Silva", "Ivanova"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
PHI = [
    "Our patient {name}, MRN {mrn}, was discharged on {month} {day}, 2025.",
    "Congrats to {name} on finishing chemo! Call her at {phone} to send wishes.",
    "{name} (DOB {m}/{day}/1961) is recovering well in room {room}.",
    "Thank you {name} for sharing your story. Reach out: {email}",
    "Patient {name}, SSN {ssn}, asked us to post this update.",
    "Big day for {name}, admitted {month} {day} with a broken hip and home today.",
]
CLEAN = [
    "Wash your hands.",
    "Flu shots are available at all our clinics this week.",
    "Our nurses work hard every day. Thank you!",
    "Remember to drink water and get some sleep.",
    "Join our free blood pressure screening next month.",
    "Visiting hours have changed: check our website for details.",
]
SUPPRESSED = [
    "Dr. Ada Vance will speak about heart health on Friday.",  # allowlisted in the tests' config
    "# phiguard: disable-next-line person-name\nA thank-you from {name} to the whole team.",
]


def posts(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(id, text) pairs: about half with PHI, a third clean, the rest with a suppression."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        pool = PHI if i % 6 < 3 else CLEAN if i % 6 < 5 else SUPPRESSED
        template = rng.choice(pool)
        text = template.format(
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", mrn=rng.randint(1_000_000, 9_999_999),
            month=rng.choice(MONTHS), day=rng.randint(1, 28), m=rng.randint(1, 12), room=rng.randint(100, 999),
            phone=f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
            email=f"{rng.choice(FIRST).lower()}.{rng.randint(10, 99)}@example.org",
            ssn=f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}")
        out.append((f"post-{i:05d}", text))
    return out


CONFIG = """\
fail_on: medium
rules:
  room-number: high
allowlist:
  terms: [Ada Vance]
"""
