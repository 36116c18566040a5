"""Pipeline: ordered stages, each ``Document -> Document``.

Each stage declares the Document fields it ``requires`` and ``assigns``; the
pipeline checks the order once when built (a stage may only require what the
source or an earlier stage provides) and checks at run time that each stage
returned a Document. Failures go to a swappable error handler: the default
re-raises; ``CollectErrors`` hands back the error so the caller can quarantine.
"""

from ._runner import (
    CollectErrors,
    Drop,
    ErrorHandler,
    Pipeline,
    RaiseErrors,
    Stage,
    StageFailed,
    stage,
)

__all__ = [
    "CollectErrors",
    "Drop",
    "ErrorHandler",
    "Pipeline",
    "RaiseErrors",
    "Stage",
    "StageFailed",
    "stage",
]
