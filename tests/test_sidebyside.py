"""Small model runs side by side (``corridor._sidebyside``)."""

from __future__ import annotations

import threading

import pytest

from corridor._sidebyside import SideBySide


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_every_job_runs_once(workers: int) -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def job(i: int) -> None:
        with lock:
            seen.append(i)

    runs = SideBySide(workers, "test")
    runs.run(37, job)
    assert sorted(seen) == list(range(37))
    runs.run(0, job)  # nothing to do
    assert len(seen) == 37


def test_one_worker_runs_in_the_calling_thread() -> None:
    where: set[str] = set()
    SideBySide(1, "test").run(5, lambda i: where.add(threading.current_thread().name))
    assert where == {threading.current_thread().name}


def test_a_failing_job_is_raised_and_stops_the_rest() -> None:
    done: list[int] = []

    def job(i: int) -> None:
        if i == 3:
            raise ValueError("job 3 failed")
        done.append(i)

    with pytest.raises(ValueError, match="job 3 failed"):
        SideBySide(2, "test").run(1000, job)
    assert len(done) < 999
