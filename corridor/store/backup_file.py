"""Writing a backup file so that a crash never leaves a half-written one under its name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError

__all__ = ["part_file"]


@contextmanager
def part_file(dest: str) -> Iterator[Path]:
    """A path next to ``dest`` (``dest.part``) to write the backup to; when the block
    ends without error it is flushed to disk and renamed to ``dest``, else removed."""
    target = Path(dest)
    if target.is_dir():
        raise StoreError(f"backup target {dest} is a folder; give a file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        yield part
        with open(part, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
