"""Working state shared by the extraction modules (internal).

``Analysis`` holds one document's sentences, tokens and mention candidates
while the modules fill it in; ``extract`` turns it into the public
``Document`` fields at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document

__all__ = ["Analysis", "Cand", "SentInfo", "Tok"]


@dataclass
class Tok:
    """A token with absolute character offsets into ``Document.text``."""

    i: int
    start: int
    end: int
    text: str
    lemma: str = ""
    pos: str = ""
    tag: str = ""
    dep: str = ""
    head: int = -1  # index of the syntactic head within the sentence (-1: none)

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class SentInfo:
    index: int
    start: int
    end: int
    text: str
    toks: list[Tok] = field(default_factory=list)

    def tok_at(self, char: int) -> int | None:
        """Index of the token starting at absolute offset ``char``."""
        for t in self.toks:
            if t.start == char:
                return t.i
            if t.start > char:
                return None
        return None

    def tok_covering(self, char: int) -> int | None:
        for t in self.toks:
            if t.start <= char < t.end:
                return t.i
        return None


@dataclass
class Cand:
    """A mention candidate before resolution."""

    start: int
    end: int
    label: str  # PERSON, ORG, PLACE, PROJECT
    source: str  # lexicon, title, ner, chunk, ref, script
    sent: int
    lex_id: str | None = None
    role: str | None = None
    role_start: int | None = None
    role_end: int | None = None
    country: str | None = None
    is_ref: bool = False
    entity_id: str | None = None
    metonymy: bool = False  # capital city used for its government
    post_end: int | None = None  # end of a title stated after the name (", chairman of X")
    ner_label: str | None = None  # the statistical NER label, when NER proposed it

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Analysis:
    doc: Document
    text: str
    sents: list[SentInfo]
    cands: list[Cand] = field(default_factory=list)
    statistical: bool = False
    pair: tuple[str, str] = ("pakistan", "china")
    dateline_end: int = 0  # text[:dateline_end]: headline and dateline (never a venue, no events)
    dateline_start: int = 0  # where the dateline itself begins
    english: bool = True
