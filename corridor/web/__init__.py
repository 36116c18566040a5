"""The HTTP API and web UI (``corridor serve``): FastAPI + server-side Jinja2 pages.

Optional at import time for the rest of the package: only ``corridor serve``
and code that calls :func:`create_app` import FastAPI.
"""

from __future__ import annotations

from .app import create_app
from .config import WebConfig

__all__ = ["WebConfig", "create_app"]
