"""What the judge reads: each evidence sentence with what the record knows of it.

The model reads words only. Extraction knows more: the day "today" stands for,
who an opening "He" is, which person "The President" is, that "China Pakistan
Economic Corridor" is the claim's "CPEC", who "the two sides" are. Each is put in
the sentence, in brackets and in the claim's own words ("The President (Alvi)
said ...", "The two sides (Pakistan and China) welcomed ..."): the judge, which
reads a name of the claim that the evidence does not write as another party,
can then compare like with like. The cited sentence is shown as written; only
the model's input carries these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..store.base import SentenceHit, SentenceMention, SentenceRecord
from .facts import EntityRef, Facts, id_names
from .features import TITLE_WORDS, written

if TYPE_CHECKING:
    from .evidence import EvidenceStore

__all__ = ["model_readings", "reading", "with_claim_names"]

#: a date phrase that names its day only relative to the article's date
_RELATIVE = re.compile(r"(?:(?:on|last|this|next)\s+)?(?:today|yesterday|tomorrow|tonight|"
                       r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                       r"(?:\s+(?:morning|afternoon|evening|night))?", re.IGNORECASE)
#: how far back an opening "He"/"She" is looked for (``_speakers``)
SPEAKER_BACK = 3
#: at most this many words before the person a sentence opens on (``_opening_person``)
_SUBJECT_WORDS = 4


def model_readings(store: EvidenceStore, claim: Facts, hits: Sequence[SentenceHit],
                   records: dict[tuple[str, int], SentenceRecord]
                   ) -> dict[tuple[str, int], str]:
    """Each sentence of ``hits`` as the model reads it against ``claim``, where the
    record adds to its words (sentences read as written are left out). ``records``
    gains the event participants a sentence does not name, as mentions."""
    _participant_refs(store, records, {})
    speakers = _speakers(store, hits, records)
    sides = _the_two_sides(store, claim, hits)
    titled = _titled_forms(store, claim, hits)
    out: dict[tuple[str, int], str] = {}
    for h in hits:
        read = reading(h, records.get(h.key), claim, speakers.get(h.key),
                       titled.get(h.doc_id))
        if h.key in sides:
            read = _with_parties(read or h.text, sides[h.key])
        if read is not None:
            out[h.key] = read
    return out


def _participant_refs(store: EvidenceStore, records: dict[tuple[str, int], SentenceRecord],
                      cache: dict[str, EntityRef | None]) -> None:
    """Add event participants as mentions (the record resolves "he" to a person)."""
    for rec in records.values():
        named = {m.entity_id for m in rec.mentions}
        for ev in rec.events:
            for pid in ev.participants:
                if pid in named:
                    continue
                if pid not in cache:
                    ent = store.find_entity(pid)
                    cache[pid] = EntityRef(ent.id, ent.type, ent.name) if ent else None
                ref = cache[pid]
                if ref is not None:
                    rec.mentions.append(SentenceMention(ref.id, ref.label, ref.name, None, -1,
                                                        -1))
                    named.add(pid)


_OPENING_PRONOUN = re.compile(r"(?:He|She)\b")
#: "the two sides" as a sentence's subject
_COLLECTIVE_SUBJECT = re.compile(
    r"(?:the two|both) (?:sides|countries|nations|governments|leaders|delegations|"
    r"neighbours|neighbors|parties)\b", re.IGNORECASE)
#: a sentence's opening adverbial or participial phrase, up to its comma
_LEAD_PHRASE = re.compile(r"(?:[A-Z][a-z]+ing|On|During|In|At|After|Before|While|Following|"
                          r"Later|Earlier|Meanwhile|Separately|Besides|Also)\b[^,.]{0,100},\s*")


def _opening_person(hit: SentenceHit, record: SentenceRecord | None) -> str | None:
    """The person a sentence opens on, by name or title, as its subject: the first
    person the record finds in it, after at most a few words ("On Monday, Chinese
    Foreign Minister Qin Gang said", "The President said"); ``None`` when it opens on
    anything else ("This was discussed at a meeting between President Alvi and ...")."""
    if record is None:
        return None
    # an opening phrase before a comma is not the subject ("Welcoming the Foreign
    # Minister of China, the President said ...", "On Monday, Qin Gang said ...")
    skip = hit.start + _lead_end(hit.text)
    people = sorted((m for m in record.mentions if m.start >= skip and m.entity_id
                     and m.entity_id.startswith("person:")), key=lambda m: m.start)
    if not people:
        return None
    before = hit.text[skip - hit.start: people[0].start - hit.start]
    return people[0].entity_id if len(before.split()) <= _SUBJECT_WORDS else None


def _speakers(store: EvidenceStore, hits: Sequence[SentenceHit],
              records: dict[tuple[str, int], SentenceRecord]) -> dict[tuple[str, int], EntityRef]:
    """Who an opening "He"/"She" is, where the record does not say: the person the
    nearest earlier sentence of the article opens on, passing over sentences that open
    on "He"/"She" themselves (they go on about the same person) — a reporter's chain
    of attributions ("The President said ... He said ... He also appreciated ...").
    At most ``SPEAKER_BACK`` sentences back; nothing when that sentence opens on
    anything else."""
    wanting = [h for h in hits if _OPENING_PRONOUN.match(h.text)]
    keys = {(h.doc_id, h.idx - k) for h in wanting for k in range(1, SPEAKER_BACK + 1)
            if h.idx - k >= 0}
    if not keys:
        return {}
    earlier = {s.key: s for s in store.get_sentences(sorted(keys))}
    missing = [k for k in keys if k not in records]
    recs = {**store.sentence_records(missing), **records} if missing else records
    found: dict[tuple[str, int], str] = {}
    for h in wanting:
        for k in range(1, SPEAKER_BACK + 1):
            s = earlier.get((h.doc_id, h.idx - k))
            if s is None:
                break
            if _OPENING_PRONOUN.match(s.text):
                continue
            person = _opening_person(s, recs.get(s.key))
            if person is not None:
                found[h.key] = person
            break
    out: dict[tuple[str, int], EntityRef] = {}
    names: dict[str, EntityRef | None] = {}
    for key, pid in found.items():
        if pid not in names:
            ent = store.find_entity(pid)
            names[pid] = EntityRef(ent.id, ent.type, ent.name) if ent else None
        ref = names[pid]
        if ref is not None:
            out[key] = ref
    return out


def _claim_pair(claim: Facts) -> tuple[str, list[EntityRef]] | None:
    """The two parties the claim names, when it names exactly two countries or exactly
    two persons: ``("country" | "person", [first, second])`` in the claim's order (the
    kind it names first, when both: "Hashmi and Liu discussed Pakistan-China ties")."""
    from ..domain import load_pack

    entities = load_pack().entities
    countries = [r for r in claim.entities
                 if getattr(entities.get(r.id or ""), "kind", "") == "country"]
    persons = [r for r in claim.entities if (r.id or "").startswith("person:")]
    kinds = [("country", countries), ("person", persons)]
    if persons and countries and claim.entities.index(persons[0]) < claim.entities.index(
            countries[0]):
        kinds.reverse()
    for kind, refs in kinds:
        names = list(dict.fromkeys(r.name for r in refs))
        if len(names) == 2:
            return kind, [next(r for r in refs if r.name == n) for n in names]
    return None


def _the_two_sides(store: EvidenceStore, claim: Facts,
                   hits: Sequence[SentenceHit]) -> dict[tuple[str, int], str]:
    """Who "the two sides" / "both countries" opening a sentence are, in the claim's
    words, where the claim names two parties: the article's two most named parties of
    that kind (countries, or persons), when they are the claim's two ("Pakistan and
    China" for "The two sides welcomed ..." in a report of Pakistan-China talks). A
    report of other parties (the claim's two are not its most named) gets nothing."""
    from ..domain import load_pack

    pair = _claim_pair(claim)
    if pair is None:
        return {}
    kind, refs = pair
    entities = load_pack().entities
    wanting = [h for h in hits if _COLLECTIVE_SUBJECT.match(h.text, _lead_end(h.text))]
    out: dict[tuple[str, int], str] = {}
    tops: dict[str, list[str]] = {}
    for h in wanting:
        if h.doc_id not in tops:
            counts: dict[str, int] = {}
            for m in store.document_mentions(h.doc_id):
                eid = m.entity_id or ""
                if (eid.startswith("person:") if kind == "person"
                        else getattr(entities.get(eid), "kind", "") == "country"):
                    counts[eid] = counts.get(eid, 0) + 1
            ranked = sorted(counts, key=lambda e: -counts[e])
            # two clear leaders: a third party named as often leaves "the two" open
            clear = len(ranked) == 2 or (len(ranked) > 2
                                         and counts[ranked[2]] < counts[ranked[1]])
            tops[h.doc_id] = ranked[:2] if clear else []
        top = tops[h.doc_id]
        found = [_claim_ref(e, claim) for e in top]
        if len(top) == 2 and all(found) and {f.name for f in found if f} == {
                r.name for r in refs}:
            out[h.key] = f"{refs[0].name} and {refs[1].name}"
    return out


def _lead_end(text: str) -> int:
    lead = _LEAD_PHRASE.match(text)
    return lead.end() if lead else 0


def _with_parties(text: str, parties: str) -> str:
    """``text`` with ``parties`` after its opening "the two sides" ("The two sides
    (Pakistan and China) welcomed ...")."""
    m = _COLLECTIVE_SUBJECT.match(text, _lead_end(text))
    return _insert(text, [(m.end(), f" ({parties})")]) if m else text


def reading(hit: SentenceHit, record: SentenceRecord | None,
            claim: Facts | None = None, speaker: EntityRef | None = None,
            forms: dict[str, str] | None = None) -> str | None:
    """The sentence as the model reads it, when the record adds something the words do
    not say (``None`` otherwise): the day a relative date phrase stands for, as
    extraction resolved it from the article's date ("today (11 November 2025)"), and
    the one person an opening "He"/"She" is, when the record makes them the event's
    participant ("He (Qin Gang) also thanked ..."). The model reads words only; these
    are the record's, and they let it compare the claim's days and names. (Names after
    titles, "the President (Arif Alvi)", were tried: no better on claims about the seed
    articles, and fewer gold sentences cited.)"""
    if record is None:
        return None
    text = hit.text
    adds: list[tuple[int, str]] = []
    for e in record.events:
        phrase = (e.date_phrase or "").strip()
        if not (e.date and phrase and _RELATIVE.fullmatch(phrase)):
            continue
        try:
            day = date.fromisoformat(e.date[:10])
        except ValueError:
            continue
        at = text.find(phrase)
        if at >= 0:
            adds.append((at + len(phrase), f" ({day.day} {day:%B} {day.year})"))
    # participants the sentence does not name (``_participant_refs`` adds them as mentions
    # without offsets, under the entity's name: the record's reading of "he")
    unnamed = [m.text for m in record.mentions
               if m.start < 0 and (m.entity_id or "").startswith("person:")
               and m.text not in text]
    opening = _OPENING_PRONOUN.match(text)
    person = None
    if opening and len(set(unnamed)) == 1:
        person = next((m for m in record.mentions if m.start < 0 and m.text == unnamed[0]), None)
        who = EntityRef(person.entity_id, person.label, person.text) if person else None
    else:
        who = speaker if opening and speaker and speaker.id not in {
            m.entity_id for m in record.mentions if m.start >= 0} else None
    if opening and who is not None:
        ref = _claim_ref(who.id or "", claim) if claim else None
        name = (forms or {}).get(ref.name, ref.name) if ref else who.name
        adds.append((opening.end(), f" ({name})"))
    if claim is not None:
        adds.extend(_claim_forms(hit, record, claim, forms or {}))
        adds.extend(_claim_numbers(text, claim))
    return _insert(text, adds) if adds else None


def _claim_numbers(text: str, claim: Facts) -> list[tuple[int, str]]:
    """The claim's figure after a count the sentence writes in words ("a dozen (12)
    documents", "twelve (12)"): the record reads the words as the number, the model
    does not (it took "signed a dozen agreements" as contradicting "signed 12")."""
    from .text import analyse_text

    wanted = {q.value: q.text for q in claim.text.quantities if any(c.isdigit() for c in q.text)}
    if not wanted:
        return []
    adds = []
    for q in analyse_text(text).quantities:
        if q.value in wanted and not any(c.isdigit() for c in q.text):
            adds.append((q.start + len(q.text), f" ({wanted[q.value]})"))
    return adds


def _claim_ref(entity_id: str, claim: Facts) -> EntityRef | None:
    """The claim's reference to the entity ``entity_id`` of the record: the same id, or
    for a person the claim's name whose words are all in the record's ("Alvi" for
    ``person:arif-alvi``; a claim's lone surname may be tagged a body: "org:alvi")."""
    for ref in claim.entities:
        if ref.id and ref.id == entity_id:
            return ref
    if entity_id.startswith("person:"):
        for ref in claim.entities:
            if (ref.id or "").startswith(("person:", "org:")) and id_names(ref.name, entity_id):
                return ref
    return None


def _claim_forms(hit: SentenceHit, record: SentenceRecord, claim: Facts,
                 forms: dict[str, str]) -> list[tuple[int, str]]:
    """The claim's name put after a mention the record ties to the same entity but the
    sentence writes another way: a title standing for its holder ("The President
    (Alvi) said"), a body's full name for the claim's acronym ("China Pakistan Economic
    Corridor (CPEC)"). The model reads words only and takes a name of the claim that the
    evidence does not write for a different party; this is the record's identification,
    in the claim's own words. Countries (written alike nearly everywhere) are left."""
    from ..domain import load_pack

    entities = load_pack().entities
    adds: list[tuple[int, str]] = []
    done: set[str] = set()
    for m in record.mentions:
        if m.start < hit.start or m.end > hit.end or not m.entity_id:
            continue
        ref = _claim_ref(m.entity_id, claim)
        if ref is None or ref.name in done:
            continue
        done.add(ref.name)
        entry = entities.get(ref.id or "")
        if (entry is not None and entry.kind == "country") or len(ref.name) < 2:
            continue
        form = forms.get(ref.name, ref.name)
        if _written(form, hit.text) is not None:
            continue
        adds.append((m.end - hit.start, f" ({form})"))
    return adds


#: a word of a title that names no office of its own ("IDCPC chief", "party boss")
_HEAD_WORDS = frozenset({"chief", "head", "boss", "leader", "top", "senior", "top-level"})
#: a title's abbreviations as posts and headlines write them
_TITLE_ABBREVIATIONS = {"fm": "foreign minister", "pm": "prime minister",
                        "info": "information", "cm": "chief minister", "def": "defence",
                        "amb": "ambassador", "pres": "president", "min": "minister"}
_TITLE_TOKEN = re.compile(r"[\w'’.-]+")


def _claim_title(claim: Facts, ref: EntityRef) -> str | None:
    """The title the claim writes before a person's name ("FM" in "says FM Qin Gang",
    "Info Minister" in "Info Minister Tarar"): the capitalised or title words right
    before the name, at most three."""
    text = claim.text.text
    at = text.find(ref.name)
    if at <= 0 or not (ref.id or "").startswith("person:"):
        return None
    words = _TITLE_TOKEN.findall(text[:at])
    title: list[str] = []
    for w in reversed(words[-3:]):
        if not (w[:1].isupper() or w.lower() in _HEAD_WORDS or w.lower() in TITLE_WORDS):
            break
        title.insert(0, w)
    if title and text[:at].rstrip().endswith((",", ":", ";", ".")):
        return None  # "..., Tarar": the words before belong to another clause
    return " ".join(title) or None


def _title_stated(title: str, article: str) -> bool:
    """Does the article write every word of ``title`` (abbreviations spelt out; a head
    word such as "chief" stands for any office)?"""
    low = article.lower()
    for w in title.split():
        word = _TITLE_ABBREVIATIONS.get(w.lower().strip("."), w.lower())
        if word in _HEAD_WORDS:
            continue
        if not all(re.search(rf"(?<!\w){re.escape(x)}", low) for x in word.split()):
            return False
    return True


def _titled_forms(store: EvidenceStore, claim: Facts,
                  hits: Sequence[SentenceHit]) -> dict[str, dict[str, str]]:
    """For each article of ``hits``: the claim's person names that the model reads with
    the claim's title ("FM Qin Gang" for "Qin Gang"), where the article itself gives that
    title. The model reads a title of the claim that the evidence leaves out as another
    party ("FM Qin Gang said ..." against "Qin Gang said ...": p 0.95 refutes); a title
    the article never gives is left for the record and the model to judge."""
    titles = {ref.name: t for ref in claim.entities if (t := _claim_title(claim, ref))}
    if not titles:
        return {}
    out: dict[str, dict[str, str]] = {}
    for doc_id in {h.doc_id for h in hits}:
        article = store.get_document(doc_id).text
        out[doc_id] = {name: f"{title} {name}" for name, title in titles.items()
                       if _title_stated(title, article)}
    return out


def with_claim_names(text: str, claim: Facts) -> str:
    """``text`` with the claim's name for a body, place or programme that the text
    writes another way the lexicon knows ("BRI (Belt and Road Initiative)", "Xizang
    (Tibet)"): the record's identification, which the model cannot make from the words.
    Countries (written the same nearly everywhere) and people are left as written."""
    from ..domain import load_pack

    pack = load_pack()
    adds: list[tuple[int, str]] = []
    for ref in claim.entities:
        entry = pack.entities.get(ref.id or "")
        if entry is None or entry.kind == "country" or (ref.id or "").startswith("person:"):
            continue
        if _written(ref.name, text) is not None:
            continue
        for form in sorted({*entry.aliases, *entry.acronyms, entry.name}, key=len,
                           reverse=True):
            at = _written(form, text)
            if form != ref.name and at is not None:
                adds.append((at + len(form), f" ({ref.name})"))
                break
    return _insert(text, adds)


def _written(form: str, text: str) -> int | None:
    """Where ``form`` (two characters or more) is first written in ``text``."""
    m = next(written(form, text), None) if len(form) >= 2 else None
    return m.start() if m else None


def _insert(text: str, adds: list[tuple[int, str]]) -> str:
    """``text`` with each ``(offset, words)`` put in at its offset (taken last to first,
    so that the earlier offsets hold)."""
    for at, add in sorted(set(adds), reverse=True):
        text = text[:at] + add + text[at:]
    return text
