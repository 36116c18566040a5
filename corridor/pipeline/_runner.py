from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Protocol

from ..document import Document
from ..errors import StageError

StageFunc = Callable[[Document], Document]

#: fields a freshly made Document from a source may carry
SOURCE_FIELDS = frozenset(
    {"source_key", "origin", "raw", "raw_text", "fmt", "url", "source", "hint_title",
     "hint_date", "encoding_hint"}
)
_DOC_FIELDS = frozenset(f.name for f in fields(Document))


@dataclass(frozen=True)
class Stage:
    name: str
    func: StageFunc
    requires: frozenset[str]
    assigns: frozenset[str]

    def __call__(self, doc: Document) -> Document:
        return self.func(doc)


def stage(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
) -> Callable[[StageFunc], Stage]:
    """Declare a function as a pipeline stage."""

    def wrap(func: StageFunc) -> Stage:
        req, asg = frozenset(requires), frozenset(assigns)
        bad = (req | asg) - _DOC_FIELDS
        if bad:
            raise StageError(f"stage {name!r} names unknown Document fields: {sorted(bad)}")
        return Stage(name, func, req, asg)

    return wrap


class Drop(Exception):
    """Raised by a stage for a normal rejection (empty, too short, not news).

    Not an error: the input is counted under ``reason`` and not stored.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


class StageFailed(Exception):
    """Raised by the pipeline around the original error, naming the stage."""

    def __init__(self, stage_name: str, doc: Document, error: Exception) -> None:
        super().__init__(f"stage {stage_name!r} failed on {doc.source_key}: {error}")
        self.stage_name = stage_name
        self.doc = doc
        self.error = error


class ErrorHandler(Protocol):
    def __call__(self, failure: StageFailed) -> Document | None: ...


class RaiseErrors:
    """Default handler: re-raise the failure."""

    def __call__(self, failure: StageFailed) -> Document | None:
        raise failure


class CollectErrors:
    """Handler that keeps failures in ``self.failures`` and drops the document."""

    def __init__(self) -> None:
        self.failures: list[StageFailed] = []

    def __call__(self, failure: StageFailed) -> Document | None:
        self.failures.append(failure)
        return None


class Pipeline:
    def __init__(
        self,
        stages: Sequence[Stage],
        on_error: ErrorHandler | None = None,
        provided: Iterable[str] = SOURCE_FIELDS,
    ) -> None:
        self.stages = list(stages)
        self.on_error: ErrorHandler = on_error or RaiseErrors()
        have = set(provided)
        for st in self.stages:
            missing = st.requires - have
            if missing:
                raise StageError(
                    f"stage {st.name!r} requires {sorted(missing)}, which no earlier stage assigns"
                )
            have |= st.assigns

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document | None:
        for st in self.stages:
            try:
                out = st(doc)
                if not isinstance(out, Document):
                    raise StageError(
                        f"stage {st.name!r} returned {type(out).__name__}, not Document"
                    )
            except Exception as exc:  # handed to the swappable handler
                return self.on_error(StageFailed(st.name, doc, exc))
            doc = out
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterable[Document]:
        for doc in docs:
            out = self(doc)
            if out is not None:
                yield out
