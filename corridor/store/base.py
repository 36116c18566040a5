"""The store's public names in one place: its records and its interface.

The records live in ``records.py``, the interface (one protocol per role, and
``Store``, all of them) in ``roles.py``; the SQL behind it, written once for
both backends, in ``sql.py`` and the ``sql_*.py`` modules.
"""

from __future__ import annotations

from . import records, roles
from .records import *  # noqa: F403
from .roles import *  # noqa: F403

__all__ = [*records.__all__, *roles.__all__]
