"""The ``corridor`` console script: the CLI behind a guard for a broken install.

A package Corridor needs that is missing or broken (an ImportError, or a
shared library that fails to load) ends in one clear line naming it and how
to repair the install, with exit status 3, instead of a traceback; the guard
covers importing the CLI itself (``corridor --help``) and every command.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

EXIT_DEPENDENCY = 3
REPAIR = "reinstall Corridor with its dependencies: pip install -e . (or pip install corridor)"


def _fail(exc: BaseException) -> int:
    name = getattr(exc, "name", None)
    what = f"the package '{name}'" if name else "a package Corridor needs"
    sys.stderr.write(f"error [dependency] {what} is missing or broken ({exc}); {REPAIR}\n")
    return EXIT_DEPENDENCY


def main() -> None:
    try:
        from .cli import main as run
    except (ImportError, OSError) as exc:
        sys.exit(_fail(exc))
    try:
        run()
    except ImportError as exc:
        sys.exit(_fail(exc))
