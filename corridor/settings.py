"""Every setting once: name, default, help.

Values come from (highest first) explicit arguments, environment variables
``CORRIDOR_<NAME>`` and the defaults below.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from .errors import ConfigError

__all__ = ["SETTINGS_HELP", "Settings"]

SETTINGS_HELP: dict[str, str] = {
    "db": "Database: a SQLite file path (default corridor.db) or a postgresql:// URL.",
    "max_bytes": "Largest input accepted, in bytes; larger inputs are quarantined.",
    "fetch_timeout": "Seconds to wait for a URL or feed before giving up.",
    "user_agent": "User-Agent sent when fetching URLs and feeds.",
    "near_dup_threshold": "Estimated Jaccard similarity of 5-word shingles above "
    "which two articles are the same story (near-duplicate).",
    "num_perm": "MinHash permutations (signature length).",
    "min_words": "Articles with fewer words after cleaning are dropped as 'too_short'.",
    "quarantine_keep_bytes": "How many raw bytes of a quarantined input to keep.",
    "fetch_article_links": "When ingesting a feed, fetch each item's page if the "
    "feed carries only a summary.",
    "allow_private_urls": "Allow fetching URLs on private or loopback addresses.",
}


@dataclass
class Settings:
    db: str = "corridor.db"
    max_bytes: int = 20_000_000
    fetch_timeout: float = 20.0
    user_agent: str = "Corridor/0.1 (+news research tool)"
    near_dup_threshold: float = 0.7
    num_perm: int = 128
    min_words: int = 20
    quarantine_keep_bytes: int = 1_000_000
    fetch_article_links: bool = False
    allow_private_urls: bool = True

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        for f in fields(cls):
            env = os.environ.get(f"CORRIDOR_{f.name.upper()}")
            if env is not None:
                values[f.name] = _coerce(f.name, env, type(getattr(cls(), f.name)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**values)


def _coerce(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"setting {name}: cannot read {raw!r} as {kind.__name__}") from exc
