"""schema.org ClaimReview JSON-LD for a stored check.

The review is about the record, not about the world: the rating's
``alternateName`` says "Supported by the record" / "Contradicted by the
record" / "Sources conflict" / "Not enough information in the record", and
every evidence sentence is cited as the news article it comes from.
"""

from __future__ import annotations

from typing import Any

from .verdict import Verdict

__all__ = ["RATINGS", "claimreview"]

#: verdict -> (ratingValue on 1..5 or None, alternateName)
RATINGS: dict[str, tuple[int | None, str]] = {
    "SUPPORTED": (5, "Supported by the record"),
    "REFUTED": (1, "Contradicted by the record"),
    "CONFLICTING": (3, "Sources conflict"),
    "NOT_ENOUGH_INFO": (None, "Not enough information in the record"),
}


def claimreview(verdict: Verdict, *, date_published: str, url: str | None = None,
                author: str = "Corridor") -> dict[str, Any]:
    """The ClaimReview object of ``verdict`` (a dict ready for ``json.dumps``)."""
    value, name = RATINGS[verdict.verdict]
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": name,
                              "bestRating": 5, "worstRating": 1}
    if value is not None:
        rating["ratingValue"] = value
    citations = []
    seen: set[tuple[str, int]] = set()
    for c in verdict.evidence:
        if (c.doc_id, c.start) in seen:
            continue
        seen.add((c.doc_id, c.start))
        article: dict[str, Any] = {"@type": "NewsArticle", "identifier": c.doc_id,
                                   "text": c.sentence,
                                   "description": f"{c.stance}; characters {c.start}-{c.end}"}
        if c.title:
            article["headline"] = c.title
        if c.url:
            article["url"] = c.url
        if c.published:
            article["datePublished"] = c.published
        if c.source:
            article["publisher"] = {"@type": "Organization", "name": c.source}
        citations.append(article)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": verdict.claim,
        "datePublished": date_published,
        "author": {"@type": "Organization", "name": author},
        "reviewRating": rating,
        "reviewBody": verdict.reason,
        "itemReviewed": {"@type": "Claim", "text": verdict.claim},
        "citation": citations,
    }
    if verdict.check_id is not None:
        review["identifier"] = f"corridor-check-{verdict.check_id}"
    if url:
        review["url"] = url
    return review
