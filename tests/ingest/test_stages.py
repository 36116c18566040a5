"""corridor.ingest.stages: the clean and meta stages put a dateline into metadata."""

from __future__ import annotations

from corridor.document import Document
from corridor.ingest.stages import clean, meta

HEADLINE = "Harbour towns sign ferry agreement"
FIRST = (
    "The mayors of Port Amber and Greyhaven signed an agreement on Tuesday to run a daily "
    "ferry between the two towns, with the first crossing planned for the spring."
)
SECOND = (
    "Officials said the service would carry freight as well as passengers and that ticket "
    "prices would be reviewed after six months of operation."
)


def _run(raw: str, **kw: object) -> Document:
    doc = Document("k", raw_text=raw, decoded=raw, fmt="text", **kw)  # type: ignore[arg-type]
    return meta(clean(doc))


def test_dated_dateline_is_the_only_date() -> None:
    doc = _run(f"{HEADLINE}\nGREYHAVEN, March 4, 2025 (Coast Wire): {FIRST}\n\n{SECOND}")
    assert doc.text == f"{FIRST}\n\n{SECOND}"
    assert (doc.dateline_place, doc.source) == ("Greyhaven", "Coast Wire")
    assert (doc.published, doc.date_source, doc.dateline_date) == (
        "2025-03-04",
        "dateline",
        "2025-03-04",
    )


def test_dateline_without_a_year_takes_the_publication_year() -> None:
    raw = f"{HEADLINE}\nGREYHAVEN, Dec 31 /CW/ – {FIRST}\n\n{SECOND}"
    doc = _run(raw, hint_date="2025-01-02", source="Harbour Times")
    assert doc.text == f"{FIRST}\n\n{SECOND}"
    assert (doc.published, doc.date_source) == ("2025-01-02", "metadata")
    assert doc.dateline_date == "2024-12-31"
    assert doc.source == "Harbour Times"  # the source the input named is kept
    assert doc.dateline_place == "Greyhaven"


def test_no_dateline() -> None:
    doc = _run(f"{HEADLINE}\n{FIRST}\n\n{SECOND}")
    assert (doc.dateline_place, doc.dateline_date, doc.source) == (None, None, None)
    assert doc.text.startswith("The mayors")
    assert "dateline" not in doc.extra
