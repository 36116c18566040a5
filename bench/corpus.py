"""Synthetic news corpus generator for benchmarks (not tests).

Articles are 250-700 words of bilateral-relations prose assembled from
templates, a pool of people, organisations, places, projects and sectors, so
entities repeat across articles as in real coverage. A share of articles are
near-duplicates of earlier ones (a sentence changed, furniture added) or exact
syndicated copies, so deduplication is exercised too.

    python bench/corpus.py -n 10000 --out bench/out/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

PEOPLE = [
    ("Foreign Minister", "Amina Rahimtoola"), ("Vice Minister", "Zhou Liang"),
    ("Planning Minister", "Faisal Qureshi"), ("Ambassador", "Chen Haoran"),
    ("Commerce Secretary", "Nadia Baloch"), ("Chairman", "Wang Jiandong"),
    ("Information Minister", "Tariq Mehmood"), ("Deputy Director", "Li Xiaomei"),
    ("Railways Secretary", "Imran Siddiqui"), ("Vice Chairman", "Sun Weiguo"),
]
ORGS = [
    "the Ministry of Planning", "the National Development and Reform Commission",
    "the CPEC Authority", "the Board of Investment", "the Ministry of Railways",
    "the State Bank", "the Ministry of Commerce", "the Joint Cooperation Committee",
    "the Chamber of Commerce", "the Higher Education Commission",
]
PLACES = ["Islamabad", "Beijing", "Karachi", "Lahore", "Gwadar", "Urumqi", "Kashgar",
          "Peshawar", "Shanghai", "Quetta"]
PROJECTS = ["the ML-1 railway upgrade", "Gwadar Port", "the Karakoram Highway realignment",
            "the Rashakai Special Economic Zone", "the Karachi Circular Railway",
            "the Kohala hydropower project", "the new Gwadar airport", "the Thar coal block"]
SECTORS = ["agriculture", "information technology", "energy", "mining", "tourism",
           "education", "health", "media", "science and technology", "trade", "banking",
           "climate resilience", "security", "industry"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]

SENTENCES = [
    "{p1t} {p1} met {p2t} {p2} in {place} on {day} to review cooperation in {s1} and {s2}.",
    "Both sides agreed to accelerate work on {proj} and to complete the next phase by {year}.",
    "{org} said the {ord} meeting of the working group would be held in {place2} later this year.",
    "The two countries reaffirmed their commitment to the security of personnel working on {proj}.",
    "Officials discussed financing, land acquisition and the training of engineers for {proj}.",
    "{p2} said {org2} was ready to share its experience in {s1} with partners.",
    "The delegation visited {place2}, where it was briefed on progress in {s2} and {s3}.",
    "Experts noted that trade between the two countries rose by {pct} percent last year.",
    "A memorandum of understanding on {s3} was signed in the presence of both ministers.",
    "{p1} stressed that cooperation in {s1} would create jobs and raise exports.",
    "The meeting also reviewed plans for youth exchanges and scholarships in {s2}.",
    "Both sides rejected attempts to spread disinformation about {proj}.",
    "{org} will publish a progress report on {proj} before the end of {year}.",
    "Participants called for closer coordination between {org} and {org2}.",
    "Analysts said the {ord} round of talks showed steady progress on {proj}.",
]
FURNITURE = ["Share this article", "Subscribe to our newsletter", "Follow us on social media"]


def _article(rng: random.Random, n: int) -> dict[str, str]:
    (p1t, p1), (p2t, p2) = rng.sample(PEOPLE, 2)
    s1, s2, s3 = rng.sample(SECTORS, 3)
    org, org2 = rng.sample(ORGS, 2)
    place, place2 = rng.sample(PLACES, 2)
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2500))
    fill = dict(p1t=p1t, p1=p1, p2t=p2t, p2=p2, s1=s1, s2=s2, s3=s3, org=org, org2=org2,
                place=place, place2=place2, proj=rng.choice(PROJECTS), ord=rng.choice(ORDINALS),
                day=rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
                year=str(published.year + 1), pct=str(rng.randrange(3, 30)))
    paragraphs = []
    target = rng.randrange(250, 700)
    words = 0
    while words < target:
        para = " ".join(rng.choice(SENTENCES).format(**fill) for _ in range(rng.randrange(2, 5)))
        paragraphs.append(para)
        words += len(para.split())
    title = f"{p1t} {p1} and {p2t} {p2} discuss {s1} and {fill['proj'].removeprefix('the ')}"
    return {"url": f"https://news.example/{n}", "title": title,
            "date": published.isoformat(), "text": "\n\n".join(paragraphs)}


def generate(n: int, seed: int = 7, near_dup_rate: float = 0.05,
             exact_dup_rate: float = 0.02) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    recent: list[dict[str, str]] = []
    for i in range(n):
        roll = rng.random()
        if recent and roll < exact_dup_rate:
            art = dict(rng.choice(recent), url=f"https://mirror.example/{i}")
        elif recent and roll < exact_dup_rate + near_dup_rate:
            base = rng.choice(recent)
            text = base["text"] + "\n\n" + rng.choice(FURNITURE)
            text = text.replace(" and ", " & ", 1)
            art = dict(base, url=f"https://syndication.example/{i}", text=text)
        else:
            art = _article(rng, i)
            recent.append(art)
            if len(recent) > 500:
                recent.pop(0)
        yield art


def write_jsonl(path: Path, n: int, seed: int = 7) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for art in generate(n, seed):
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="number of articles")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("bench/out/corpus.jsonl"))
    args = ap.parse_args()
    write_jsonl(args.out, args.n, args.seed)
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
