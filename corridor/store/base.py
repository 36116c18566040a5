"""The store's public names in one place: its records and its interface.

The records live in ``records.py``, the interface (one protocol per role, and
``Store``, all of them) in ``roles.py``; the SQL behind it, written once for
both backends, in ``sql.py`` and the ``sql_*.py`` modules.
"""

from __future__ import annotations

from .records import (
    ApiToken,
    CheckRun,
    Citation,
    ClaimLink,
    CommitmentFilters,
    CommitmentRecord,
    EntityRecord,
    EventFilters,
    EventRecord,
    MentionRecord,
    QuarantineRecord,
    RoleStamp,
    SearchFilters,
    SearchHit,
    SentenceEvent,
    SentenceHit,
    SentenceMention,
    SentenceRecord,
    SourceLink,
    StoredCheck,
    StoredDocument,
)
from .roles import (
    AdminStore,
    CheckStore,
    DocumentStore,
    FactStore,
    SentenceStore,
    Store,
    TokenStore,
)

__all__ = [
    "AdminStore",
    "ApiToken",
    "CheckRun",
    "CheckStore",
    "Citation",
    "ClaimLink",
    "CommitmentFilters",
    "CommitmentRecord",
    "DocumentStore",
    "EntityRecord",
    "EventFilters",
    "EventRecord",
    "FactStore",
    "MentionRecord",
    "QuarantineRecord",
    "RoleStamp",
    "SearchFilters",
    "SearchHit",
    "SentenceEvent",
    "SentenceHit",
    "SentenceMention",
    "SentenceRecord",
    "SentenceStore",
    "SourceLink",
    "Store",
    "StoredCheck",
    "StoredDocument",
    "TokenStore",
]
