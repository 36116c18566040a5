"""What an ingest engine is: something that runs an ingest of sources into a store.

Every engine writes through the same functions (``corridor.ingest.run`` for
the inputs, ``corridor.extract.run`` for the facts and vectors), from one
process, so that where the CPU-heavy stages run changes nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..document import Document, Failure
    from ..ingest.run import IngestReport, ProgressCallback
    from ..settings import Settings
    from ..store.base import Store

__all__ = ["Engine", "Pool"]


class Pool(Protocol):
    """What an engine needs of a pool: its store and settings (a ``Corridor`` is one)."""

    store: Store
    settings: Settings


class Engine(Protocol):
    def ingest(
        self, pool: Pool, targets: Sequence[str], progress: ProgressCallback | None = None,
        *, extract: bool = True, items: Iterable[Document | Failure] | None = None,
        catch_up: bool = True,
    ) -> IngestReport:
        """Ingest ``targets`` (or ``items``, which ``targets`` then only label) into
        ``pool``, and with ``extract`` extract and embed the new documents; with
        ``catch_up`` too, whatever an earlier run left unextracted or unembedded.
        ``progress`` is called once per input."""
        ...
