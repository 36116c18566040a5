"""Request bodies of the HTTP API, its error body and its health answer.

What the API answers with otherwise (search results, documents, entities,
checks...) is in :mod:`corridor.views`: the same models that
``corridor ... --json`` prints.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["ArticleIn", "CheckRequest", "ErrorOut", "Health", "IngestRequest"]


_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _UnicodeIn(BaseModel):
    """A request body whose strings must be Unicode text: JSON lets a string hold
    a lone surrogate (``"\\ud800"``), which no UTF-8 store or answer can hold, so
    such a body is refused (422) before anything uses it."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_lone_surrogate(cls, value: Any) -> Any:
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, str) and _SURROGATE.search(item):
                raise ValueError("not valid Unicode text: holds a lone surrogate "
                                 "(U+D800-U+DFFF)")
        return value


class ErrorOut(BaseModel):
    detail: str
    code: str


class Health(BaseModel):
    status: Literal["ok", "error"]
    detail: str = ""
    warm: bool = Field(True, description=(
        "The models' background warm-up (spaCy, embeddings, claim judge) is done; while "
        "it runs (false), checks wait for it. True when none was started."))


class ArticleIn(_UnicodeIn):
    """One article (the fields of a JSONL line); ``text`` or ``html`` is required."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2048, description="Canonical http(s) URL")
    title: str | None = Field(None, max_length=2000)
    date: str | None = Field(None, max_length=100, description="Publication date, ISO or free")
    text: str | None = Field(None, description="Plain text body")
    html: str | None = Field(None, description="HTML body (cleaned like a fetched page)")
    source: str | None = Field(None, max_length=500, description="Publisher name")
    lang: str | None = Field(None, max_length=20)


class IngestRequest(_UnicodeIn):
    """URLs (pages or feeds, fetched by the server) and/or articles given inline."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(default_factory=list, description="http(s) pages or feeds")
    articles: list[ArticleIn] = Field(default_factory=list)


class CheckRequest(_UnicodeIn):
    model_config = ConfigDict(extra="forbid")

    claim: str = Field(min_length=1, max_length=2000, description="The claim, one sentence")
    since: str | None = Field(None, max_length=40,
                              description="Only evidence published on or after (YYYY-MM-DD)")
    until: str | None = Field(None, max_length=40,
                              description="Only evidence published on or before (YYYY-MM-DD)")
    save: bool = Field(True, strict=True,  # JSON true/false only, as the schema says
                       description="Store the check (a new run of an earlier check of "
                                   "the same claim), so it gets a page and a history")
