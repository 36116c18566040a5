"""How a filter given as text is read, the same from a query string and an option."""

from __future__ import annotations

__all__ = ["opt", "upper_opt"]


def opt(value: str | None) -> str | None:
    """Blank is absent (HTML forms send empty fields as ''); else the value, stripped."""
    return value.strip() or None if value is not None else None


def upper_opt(value: str | None) -> str | None:
    """:func:`opt`, upper-cased (entity and event types, verdicts)."""
    value = opt(value)
    return value.upper() if value else None
