"""Synthetic news corpus generator for benchmarks (not tests).

Each article covers one topic (diplomacy, trade, energy, infrastructure,
security, education and health, finance, agriculture) in 120-1,250 words
(median about 540, a long tail of features): a dateline, then sentences
drawn *without repetition* from that topic's bank and a general one, with
slots filled from pools of people, organisations, places, projects, sectors,
numbers and dates. People and
projects are drawn with a skewed (Zipf-like) popularity, so a few entities
recur in many articles, as in real coverage, and a long tail appears rarely.

A share of articles are copies of earlier ones:

* exact syndicated copies (same text, another URL);
* near-duplicates as agencies and portals make them: a new headline, another
  source in the dateline, one or two sentences reworded, the last paragraph
  cut, a "first published by" line added;
* follow-ups: another article on the same event (same people, place and
  project, different sentences), which must *not* be taken for duplicates.

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
    ("Foreign Minister", "Amina Rahimtoola", "pk"), ("Vice Foreign Minister", "Zhou Liang", "cn"),
    ("Planning Minister", "Faisal Qureshi", "pk"), ("Ambassador", "Chen Haoran", "cn"),
    ("Commerce Secretary", "Nadia Baloch", "pk"), ("Chairman", "Wang Jiandong", "cn"),
    ("Information Minister", "Tariq Mehmood", "pk"), ("Deputy Director", "Li Xiaomei", "cn"),
    ("Railways Secretary", "Imran Siddiqui", "pk"), ("Vice Chairman", "Sun Weiguo", "cn"),
    ("Energy Minister", "Saima Khattak", "pk"), ("Consul General", "Huang Jie", "cn"),
    ("Finance Minister", "Omar Farooq Sheikh", "pk"), ("Vice Governor", "Liu Ming", "cn"),
    ("Interior Minister", "Javed Akhtar Rana", "pk"), ("Party Secretary", "Zhao Dehai", "cn"),
    ("Education Minister", "Rubina Jamali", "pk"), ("Director General", "Ma Qiang", "cn"),
    ("Maritime Affairs Minister", "Kamran Lashari", "pk"), ("Special Envoy", "Yang Fan", "cn"),
    ("Chief Minister", "Sardar Abdul Qadir", "pk"), ("Deputy Mayor", "Xu Hong", "cn"),
    ("Agriculture Minister", "Mehreen Bhutto", "pk"), ("Professor", "Gao Yuan", "cn"),
]
ORGS = [
    "the Ministry of Planning", "the National Development and Reform Commission",
    "the CPEC Authority", "the Board of Investment", "the Ministry of Railways",
    "the State Bank", "the Ministry of Commerce", "the Joint Cooperation Committee",
    "the Federation of Chambers of Commerce", "the Higher Education Commission",
    "the Gwadar Port Authority", "the Water and Power Development Authority",
    "the Export-Import Bank of China", "the China Overseas Ports Holding Company",
    "the National Highway Authority", "the Securities and Exchange Commission",
    "the Trade Development Authority", "the Chinese Academy of Sciences",
]
PLACES = ["Islamabad", "Beijing", "Karachi", "Lahore", "Gwadar", "Urumqi", "Kashgar",
          "Peshawar", "Shanghai", "Quetta", "Multan", "Chengdu", "Hyderabad", "Gilgit",
          "Faisalabad", "Xi'an", "Sukkur", "Guangzhou"]
PROJECTS = ["the ML-1 railway upgrade", "Gwadar Port", "the Karakoram Highway realignment",
            "the Rashakai Special Economic Zone", "the Karachi Circular Railway",
            "the Kohala hydropower project", "the new Gwadar airport", "the Thar coal block",
            "the Orange Line metro", "the Suki Kinari hydropower station",
            "the Dhabeji Special Economic Zone", "the Peshawar-Karachi motorway",
            "the Azad Pattan hydropower project", "the Lahore safe city project"]
SECTORS = ["agriculture", "information technology", "energy", "mining", "tourism",
           "education", "health", "media", "science and technology", "trade", "banking",
           "climate resilience", "security", "industry", "fisheries", "water management"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth"]
SOURCES = ["APP", "Xinhua", "Dawn", "The News", "Business Recorder", "Global Times",
           "Express Tribune", "China Daily", "Radio Pakistan", "PTV News"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SAID = ["said", "told reporters", "noted", "stressed", "added", "said in a statement",
        "told the meeting", "remarked"]
GOODS = ["rice", "sesame", "seafood", "copper", "cotton yarn", "surgical instruments",
         "citrus", "marble", "leather goods", "pine nuts", "textiles", "cherries"]

GENERAL = [
    "{p1t} {p1} met {p2t} {p2} in {place} on {day} to review cooperation in {s1} and {s2}.",
    "{org} {said} that the {ord} meeting of the working group would be held in {place2} in "
    "{month}.",
    "The two sides reaffirmed their commitment to the early completion of {proj}.",
    "{p2} {said} that {org2} was ready to share its experience in {s1} with its partners.",
    "The delegation later visited {place2}, where it was briefed on progress in {s2}.",
    "A memorandum of understanding on {s3} was signed in the presence of both ministers.",
    "{p1} {said} that cooperation in {s1} would create jobs and raise exports.",
    "Participants called for closer coordination between {org} and {org2}.",
    "Analysts {said} the {ord} round of talks showed steady, if slow, progress on {proj}.",
    "The meeting also reviewed plans for youth exchanges and {n2} scholarships in {s2}.",
    "Officials {said} the next review would take place before the end of {year}.",
    "According to a statement issued after the talks, both sides agreed to meet again in "
    "{month}.",
    "{p1} thanked the visiting delegation and invited {p2} to visit {place} again.",
    "A joint statement issued in {place} described the talks as candid and productive.",
    "Neither side gave details of the timetable, but officials said the plan was on track.",
]
TOPICS: dict[str, list[str]] = {
    "diplomacy": [
        "{p1} {said} that the friendship between the two countries had stood the test of time.",
        "The foreign ministers exchanged views on regional developments, including the "
        "situation in Afghanistan.",
        "Both sides agreed to hold the {ord} round of strategic dialogue in {place2}.",
        "{p2} conveyed a message of greetings from the Chinese leadership to the people of "
        "Pakistan.",
        "The two countries will mark the anniversary of diplomatic relations with events in "
        "{place} and {place2}.",
        "{p1} {said} Pakistan supported the one-China policy and the Global Development "
        "Initiative.",
        "Diplomats {said} the visit had been planned for months and was not linked to recent "
        "events.",
        "The envoys discussed consular matters, including visas for students and traders.",
        "A cultural troupe from {place2} will perform in {place} as part of the celebrations.",
    ],
    "trade": [
        "Bilateral trade rose by {pct} percent to {bn} billion dollars in the last fiscal year.",
        "Exporters of {g1} and {g2} {said} that certification delays were still costing them "
        "orders.",
        "{org} will open a trade office in {place2} to help small firms find buyers.",
        "Under the second phase of the free trade agreement, tariffs on {g1} were cut to zero.",
        "A trade fair in {place2} drew more than {n3} exhibitors, organisers {said}.",
        "{p1} {said} the trade deficit could only be narrowed by exporting more {g2}.",
        "Traders asked for the Khunjerab Pass to stay open all year to cut freight costs.",
        "The two sides agreed to settle part of their trade in local currencies.",
        "Online sales of {g1} to Chinese buyers doubled last year, according to {org}.",
    ],
    "energy": [
        "{proj} will add {mw} megawatts to the national grid once complete.",
        "{org} {said} that unpaid dues to power producers had reached {bn} billion rupees.",
        "Engineers {said} the turbines for {proj} had arrived at the site in {month}.",
        "The government is reviewing tariffs agreed with independent power producers.",
        "{p1} {said} the shift to local coal and hydropower would cut the import bill.",
        "Solar parks in {place2} will be built by Chinese firms under a new framework.",
        "Transmission lines from {proj} to the main grid are expected to be ready by {year}.",
        "Critics {said} the cost of electricity had become a burden on industry.",
        "A feasibility study for a new hydropower station on the Indus was approved.",
    ],
    "infrastructure": [
        "Work on {proj} is {pct} percent complete, according to {org}.",
        "The financing agreement for {proj} is expected to be signed before the end of {year}.",
        "{p1} {said} land acquisition for {proj} had been completed in {place2}.",
        "The contractor has hired {n3} local workers and {n2} Chinese engineers.",
        "The new road will cut travel time between {place} and {place2} by half.",
        "Residents {said} they had not been consulted about the route of {proj}.",
        "Trains on the upgraded track will run at up to 160 kilometres an hour.",
        "{org} {said} the project cost had risen to {bn} billion dollars because of inflation.",
        "A technical team from {place2} inspected the bridges and tunnels along the route.",
    ],
    "security": [
        "{p1} assured {p2} that Chinese nationals working in Pakistan would be fully protected.",
        "A special security division of {n3} personnel guards projects in {place2}.",
        "The two sides agreed to set up a joint working group on counter-terrorism.",
        "{p2} {said} China hoped those responsible for the attack would be brought to justice.",
        "Security was tightened at {proj} after threats were reported in {month}.",
        "Police in {place} {said} the convoy routes of Chinese engineers had been changed.",
        "The interior ministry will issue new rules for the movement of foreign workers.",
        "Both sides condemned the attack and pledged to deepen security cooperation.",
    ],
    "education": [
        "More than {n3} Pakistani students are currently enrolled in Chinese universities.",
        "{org} announced {n2} new scholarships in {s1} and {s2}.",
        "A Confucius Institute in {place} has started evening classes in Mandarin.",
        "Doctors from {place2} will train staff at a new cardiac unit in {place}.",
        "The two sides agreed to set up a joint laboratory for {s1} research.",
        "{p1} {said} vocational training would prepare young people for jobs on {proj}.",
        "A medical team donated equipment to the district hospital in {place2}.",
        "Universities in both countries will exchange faculty for one semester each year.",
    ],
    "finance": [
        "{org} {said} China had rolled over a loan of {bn} billion dollars.",
        "The central bank's reserves rose after the deposit was received in {month}.",
        "A panda bond of {bn} billion yuan is expected to be issued before the end of {year}.",
        "{p1} {said} the IMF programme and Chinese financing were complementary.",
        "Analysts {said} the rollover would ease pressure on the rupee for a few months.",
        "The currency swap line between the two central banks was increased.",
        "{org2} will finance part of {proj} through a syndicated loan.",
        "Debt service payments to Chinese lenders are due in {month}, officials {said}.",
    ],
    "agriculture": [
        "Chinese experts will help farmers in {place2} grow hybrid rice and drought-tolerant "
        "wheat.",
        "Exports of {g1} to China rose by {pct} percent after new quarantine rules were agreed.",
        "{p1} {said} higher yields were the only way to cut imports of edible oil.",
        "A pilot project for drip irrigation covers {n3} acres near {place}.",
        "{org} and {org2} signed an agreement on livestock vaccines.",
        "Farmers complained that seed prices had doubled in two years.",
        "A processing plant for {g1} will be built with Chinese investment in {place2}.",
        "The agriculture ministry will send {n2} young farmers to China for training.",
    ],
}
FURNITURE = ["This story was first published by {src}.", "With input from {src}.",
             "Copyright {src}. All rights reserved.", "Follow {src} for more updates."]
REWORD = [(" said ", " stated "), (" will ", " would "), (" two countries ", " two nations "),
          (" agreed ", " decided "), (" rose ", " increased "), (" new ", " fresh "),
          (" also ", " further ")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _zipf(rng: random.Random, pool: list[object], skew: float = 1.1) -> object:
    """A pool item, the first ones much more often (Zipf-like popularity)."""
    weights = [1 / (i + 1) ** skew for i in range(len(pool))]
    return rng.choices(pool, weights)[0]


def _fill(rng: random.Random, published: date) -> dict[str, str]:
    p1 = p2 = _zipf(rng, list(PEOPLE))
    while p2 == p1:
        p2 = _zipf(rng, list(PEOPLE))
    assert isinstance(p1, tuple) and isinstance(p2, tuple)
    s1, s2, s3 = rng.sample(SECTORS, 3)
    org, org2 = rng.sample(ORGS, 2)
    place, place2 = rng.sample(PLACES, 2)
    g1, g2 = rng.sample(GOODS, 2)
    return dict(p1t=p1[0], p1=p1[1], p2t=p2[0], p2=p2[1], s1=s1, s2=s2, s3=s3, org=org,
                org2=org2, place=place, place2=place2, g1=g1, g2=g2,
                proj=str(_zipf(rng, list(PROJECTS), 0.9)), ord=rng.choice(ORDINALS),
                day=rng.choice(DAYS), month=rng.choice(MONTHS),
                year=str(published.year + rng.randrange(0, 3)), pct=str(rng.randrange(3, 95)),
                bn=f"{rng.randrange(2, 90) / 10:.1f}", n2=str(rng.randrange(20, 400)),
                n3=str(rng.randrange(1_000, 30_000)), mw=str(rng.randrange(50, 1_300)),
                said=rng.choice(SAID))


def _sentences(rng: random.Random, topic: str, fill: dict[str, str], words: int) -> list[str]:
    bank = TOPICS[topic] + GENERAL
    rng.shuffle(bank)
    out: list[str] = []
    count = 0
    for template in bank:
        if count >= words:
            break
        local = dict(fill, said=rng.choice(SAID))
        sentence = template.format(**local)
        out.append(sentence[0].upper() + sentence[1:])
        count += len(sentence.split())
    return out


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    paras: list[str] = []
    i = 0
    while i < len(sentences):
        step = rng.randrange(1, 4)
        paras.append(" ".join(sentences[i:i + step]))
        i += step
    return paras


def _article(rng: random.Random, n: int) -> dict[str, str]:
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2500))
    topic = rng.choice(list(TOPICS))
    fill = _fill(rng, published)
    # lengths skewed as in news: many short items, some long features
    words = int(min(1_100, max(120, rng.lognormvariate(6.0, 0.45))))
    sentences = _sentences(rng, topic, fill, words)
    # a long article continues with a second, related bank (background)
    extra = [t for t in TOPICS if t != topic]
    while sum(len(s.split()) for s in sentences) < words and extra:
        more = _sentences(rng, extra.pop(rng.randrange(len(extra))), fill, words)
        sentences += [s for s in more if s not in sentences]
    src = rng.choice(SOURCES)
    dateline = f"{fill['place'].upper()}, {published:%b} {published.day} ({src}):"
    body = _paragraphs(rng, sentences)
    body[0] = f"{dateline} {body[0]}"
    title = (f"{fill['p1t']} {fill['p1']} and {fill['p2t']} {fill['p2']} discuss "
             f"{fill['s1']} and {fill['proj'].removeprefix('the ')}")
    return {"url": f"https://news.example/{n}", "title": title, "source": src,
            "date": published.isoformat(), "text": "\n\n".join(body),
            "_topic": topic, "_fill": json.dumps(fill)}


def _near_duplicate(rng: random.Random, base: dict[str, str], n: int) -> dict[str, str]:
    """A syndicated rewrite: new headline and source, a sentence or two reworded,
    maybe the last paragraph cut, a credit line added."""
    paras = base["text"].split("\n\n")
    if len(paras) > 4 and rng.random() < 0.5:
        paras = paras[:-1]
    for _ in range(rng.randrange(1, 3)):
        i = rng.randrange(len(paras))
        old, new = rng.choice(REWORD)
        paras[i] = paras[i].replace(old, new, 1)
    src = rng.choice(SOURCES)
    old_src = base["source"]
    paras[0] = paras[0].replace(f"({old_src}):", f"({src}):", 1)
    paras.append(rng.choice(FURNITURE).format(src=src))
    title = base["title"].replace(" discuss ", rng.choice([" hold talks on ", " review "]), 1)
    return dict(base, url=f"https://syndication.example/{n}", title=title, source=src,
                text="\n\n".join(paras))


def _follow_up(rng: random.Random, base: dict[str, str], n: int) -> dict[str, str]:
    """Another article on the same event: same people, place and project, new sentences."""
    fill = json.loads(base["_fill"])
    published = date.fromisoformat(base["date"]) + timedelta(days=rng.randrange(0, 3))
    topic = rng.choice([t for t in TOPICS if t != base["_topic"]])
    sentences = _sentences(rng, topic, fill, rng.randrange(150, 500))
    src = rng.choice(SOURCES)
    body = _paragraphs(rng, sentences)
    body[0] = f"{fill['place'].upper()}, {published:%b} {published.day} ({src}): {body[0]}"
    return {"url": f"https://news.example/{n}", "title": base["title"] + ": what was agreed",
            "source": src, "date": published.isoformat(), "text": "\n\n".join(body),
            "_topic": topic, "_fill": base["_fill"]}


def generate(n: int, seed: int = 7, near_dup_rate: float = 0.06,
             exact_dup_rate: float = 0.03, follow_up_rate: float = 0.05,
             ) -> Iterator[dict[str, str]]:
    """``n`` article objects: the JSONL fields url, title, source, date, text."""
    rng = random.Random(seed)
    recent: list[dict[str, str]] = []
    for i in range(n):
        roll = rng.random()
        if recent and roll < exact_dup_rate:
            art = dict(rng.choice(recent), url=f"https://mirror.example/{i}")
        elif recent and roll < exact_dup_rate + near_dup_rate:
            art = _near_duplicate(rng, rng.choice(recent), i)
        elif recent and roll < exact_dup_rate + near_dup_rate + follow_up_rate:
            art = _follow_up(rng, rng.choice(recent), i)
        else:
            art = _article(rng, i)
            recent.append(art)
            if len(recent) > 500:
                recent.pop(0)
        yield {k: v for k, v in art.items() if not k.startswith("_")}


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
