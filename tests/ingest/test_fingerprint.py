from __future__ import annotations

from corridor.ingest.fingerprint import (
    band_keys,
    content_hash,
    estimate_similarity,
    minhash_signature,
    normalize,
)

BODY = (
    "Officials from both countries met in the capital on Tuesday to review progress on the "
    "railway upgrade, the new port terminal and a training programme for engineers. They "
    "agreed to meet again before the end of the year and to publish a joint report on the "
    "results of the first phase of the programme, which began two years ago."
)


def test_hash_ignores_typography() -> None:
    assert content_hash(BODY) == content_hash(BODY.upper().replace(",", " ,"))
    assert normalize("Ａ  “B”") == "a b"


def test_small_edit_is_near_not_exact() -> None:
    edited = BODY.replace("Tuesday", "Wednesday")
    assert content_hash(edited) != content_hash(BODY)
    sim = estimate_similarity(minhash_signature(BODY), minhash_signature(edited))
    assert sim > 0.7


def test_different_story_is_far() -> None:
    other = "The weather service forecast heavy rain for the northern valleys this weekend " * 3
    assert estimate_similarity(minhash_signature(BODY), minhash_signature(other)) < 0.2


def test_band_keys_shared_by_near_duplicates() -> None:
    a = band_keys(minhash_signature(BODY), 0.7)
    b = band_keys(minhash_signature(BODY + " Officials said more."), 0.7)
    assert set(a) & set(b)
    assert len(a) == 14
