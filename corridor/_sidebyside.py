"""Many small model runs side by side: one onnxruntime thread each, several at once.

An int8 model whose activations are quantised per input (onnxruntime's dynamic
quantisation) must run one input at a time: in a batch, an input's result
would depend on its batch-mates. One such input (a sentence, a claim with its
evidence) is too small a job to split between cores, so each run gets one
thread and as many runs as there are workers go at once (onnxruntime releases
the GIL while it runs, and one session may be run from several threads).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["SideBySide"]


class SideBySide:
    """Runs ``job(i)`` for every ``i`` of a range on up to ``workers`` threads."""

    def __init__(self, workers: int, name: str) -> None:
        self.workers = max(1, workers)
        self._pool = (ThreadPoolExecutor(self.workers, thread_name_prefix=name)
                      if self.workers > 1 else None)

    def run(self, count: int, job: Callable[[int], None]) -> None:
        """``job(0) ... job(count - 1)``, each exactly once; returns when all are done
        (the first exception raised by a job is raised here)."""
        if self._pool is None or count <= 1:
            for i in range(count):
                job(i)
            return
        order = iter(range(count))
        take = threading.Lock()
        failed = threading.Event()

        def work() -> None:
            while not failed.is_set():
                with take:
                    i = next(order, None)
                if i is None:
                    return
                try:
                    job(i)
                except BaseException:
                    failed.set()
                    raise

        workers = [self._pool.submit(work) for _ in range(min(self.workers, count))]
        for w in workers:
            w.result()
