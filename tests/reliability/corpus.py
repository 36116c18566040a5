"""Varied synthetic news articles written for the reliability tests.

Every article is different enough not to be a near-duplicate of another
(random names, numbers, dates and filler vocabulary), yet reads like the
bilateral-relations news the extractor expects, so ingest, extraction and
embedding all do real work on it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

_CITIES = ["Islamabad", "Beijing", "Karachi", "Lahore", "Gwadar", "Urumqi", "Peshawar", "Quetta"]
_PEOPLE = ["Ahmed Khan", "Li Wei", "Sara Malik", "Zhang Min", "Omar Farooq", "Chen Jing",
           "Ayesha Raza", "Wang Tao", "Bilal Qureshi", "Liu Yang"]
_TITLES = ["Minister for Planning", "Ambassador", "Foreign Minister", "Chairman", "Secretary"]
_PROJECTS = ["the ML-1 railway", "Gwadar port", "the Karakoram Highway", "a solar park",
             "a special economic zone", "the Orange Line", "a hydropower plant"]
_VERBS = ["agreed to speed up", "pledged to complete", "reviewed progress on",
          "discussed financing for", "announced a study of", "signed an agreement on"]
_WORDS = [
    "cargo", "trade", "tariff", "budget", "training", "engineers", "workers", "security",
    "corridor", "freight", "energy", "grid", "water", "canal", "farms", "textiles", "exports",
    "investment", "loans", "bonds", "survey", "committee", "council", "panel", "delegation",
    "timeline", "milestone", "contract", "tender", "bridge", "tunnel", "station", "depot",
    "fibre", "network", "clinic", "school", "scholarship", "visa", "tourism",
]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def article(i: int, rng: random.Random) -> dict[str, str]:
    city, person, other = rng.choice(_CITIES), rng.choice(_PEOPLE), rng.choice(_PEOPLE)
    project, verb = rng.choice(_PROJECTS), rng.choice(_VERBS)
    month, day, year = rng.randrange(12), rng.randint(1, 28), rng.randint(2015, 2025)
    filler = [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 16))) for _ in range(3)]
    text = (
        f"{city.upper()}, {_MONTHS[month]} {day}: {rng.choice(_TITLES)} {person} met {other} "
        f"on Tuesday and both sides {verb} {project}, officials said in report {i}. "
        f"The talks covered {filler[0]}. "
        f"{person} said {rng.randint(2, 900)} million dollars would be spent by {year + 2}, "
        f"and that {filler[1]}. "
        f"The next meeting of the committee is due in {rng.choice(_MONTHS)}, "
        f"when {filler[2]} will be reviewed."
    )
    return {"url": f"https://reliability.example.org/{i}", "title": f"Talks on {project} ({i})",
            "date": f"{year}-{month + 1:02d}-{day:02d}", "source": "Reliability Wire",
            "text": text}


def write_jsonl(path: Path, n: int, *, start: int = 0, seed: int = 11) -> Path:
    """``n`` articles numbered from ``start``, one JSON object per line."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):  # article i is the same in every file
            fh.write(json.dumps(article(i, random.Random(seed * 1_000_003 + i))) + "\n")
    return path
