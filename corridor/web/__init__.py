"""The HTTP API and web UI (``corridor serve``): FastAPI + server-side Jinja2 pages.

Optional at import time for the rest of the package: only ``corridor serve``
and code that calls :func:`create_app` import FastAPI. ``create_app`` is
imported from :mod:`.app` on first use, so that a module of this package that
needs no FastAPI (the ingest worker process runs :mod:`.ingest_job`) starts
without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import WebConfig

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["WebConfig", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
