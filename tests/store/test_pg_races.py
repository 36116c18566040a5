"""PostgreSQL: saving vectors while another connection re-extracts the same document."""

from __future__ import annotations

import threading
import time

import numpy as np

from corridor.service import Corridor
from corridor.settings import Settings

ARTICLE = {
    "url": "https://race.example.org/1", "title": "Ferry talks", "date": "2024-05-02",
    "text": ("Harbour officials from both towns agreed on Thursday on a summer ferry timetable "
             "with four daily crossings. The port office said cheaper tickets would follow."),
}


def test_vectors_for_sentences_deleted_meanwhile_are_skipped(pg_url: str) -> None:
    with Corridor(settings=Settings(db=pg_url)) as first, \
            Corridor(settings=Settings(db=pg_url)) as second:
        report = first.ingest_articles([ARTICLE], extract=False)
        doc_id = report.stored_ids[0]
        first.extract([doc_id])
        rows = first.store.sentences_to_hash([doc_id])
        assert rows == []  # extract embedded them; read what a late writer would save
        stored = [(d, i, f"hash-{i}") for d, i in
                  [(doc_id, 0), (doc_id, 1), (doc_id, 99)]]  # 99: never existed
        vectors = {h: np.ones(384, dtype=np.float32) for _, _, h in stored}
        errors: list[BaseException] = []

        # the first connection deletes the document's sentences, uncommitted ...
        first.store.transaction().__enter__()
        first.store._x("DELETE FROM sentences WHERE doc_id = %s", (doc_id,))  # type: ignore[attr-defined]

        def save() -> None:  # ... while the second saves vectors for them
            try:
                with second.store.transaction():
                    second.store.save_sentence_vectors("test-model", stored, vectors)
            except BaseException as exc:
                errors.append(exc)

        saver = threading.Thread(target=save)
        saver.start()
        time.sleep(0.5)  # the saver now waits on the deleted rows' lock
        first.store._x("COMMIT")  # type: ignore[attr-defined]
        first.store._depth = 0  # type: ignore[attr-defined]
        saver.join(30)
        assert errors == []  # no foreign-key failure: vanished sentences are skipped
        n = second.store._scalar(  # type: ignore[attr-defined]
            "SELECT count(*) FROM sentence_hashes WHERE doc_id = %s", (doc_id,))
        assert n == 0
        assert first.check_integrity() == []
