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


def test_a_forked_child_runs_its_own_workers() -> None:
    import os

    runs = SideBySide(2, "test")
    runs.run(4, lambda i: None)  # the parent's worker threads exist now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the pool's threads did not come with the fork
        import signal

        signal.alarm(20)  # a child that waits on threads it does not have dies
        seen: list[int] = []
        lock = threading.Lock()

        def job(i: int) -> None:
            with lock:
                seen.append(i)

        runs.run(8, job)
        os.write(write, bytes([len(seen)]))
        os._exit(0)
    os.close(write)
    assert os.read(read, 1) == bytes([8])
    os.waitpid(pid, 0)
