"""Kill-and-resume trials shared by the test suite and benchmarks/bench_kill_resume.py."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests import crash_worker

WORKER = Path(crash_worker.__file__)


@dataclass(kw_only=True)
class Trial:
    thread: str
    killed_after_s: float
    killed: bool  # False: the run finished before the kill
    committed: list[str]  # nodes whose writes were in the database when the process died
    reran: list[str]  # committed nodes that ran again after the resume (must be empty)
    final_trace: list[str]
    correct: bool


def _start(workdir: Path, thread: str, database: str | Path | None = None) -> subprocess.Popen[str]:
    db, log, spec = database or workdir / "runs.sqlite", workdir / "effects.log", workdir / "crashy.yaml"
    if not spec.exists():
        spec.write_text(crash_worker.spec_text())
    return subprocess.Popen([sys.executable, str(WORKER), str(db), str(log), str(spec), thread],
                            stdout=subprocess.PIPE, text=True, cwd=str(WORKER.parents[1]))


def run_length_s(workdir: Path, runs: int = 2, database: str | Path | None = None) -> float:
    """How long an uninterrupted run takes here, from ``ready`` to ``done`` (the longest of
    ``runs``): kills drawn from U(0, that) land before, inside and after the run's steps
    on a fast machine and on a loaded one alike."""
    lengths = []
    for i in range(runs):
        proc = _start(workdir, f"calibrate{i}", database)
        assert proc.stdout is not None
        proc.stdout.readline()  # "ready"
        started = time.perf_counter()
        proc.stdout.readline()  # "done"
        lengths.append(time.perf_counter() - started)
        proc.wait()
    return max(lengths)


def run_trial(workdir: Path, thread: str, rng: random.Random, *, max_delay_s: float = 0.6,
              database: str | Path | None = None) -> Trial:
    """Start the worker, SIGKILL it at a random moment, resume in this process, check
    (``database``: an SQLite file or a PostgreSQL URL; default ``workdir/runs.sqlite``)."""
    from agentkit.runtime import Runner, UnknownRunError

    db, log, spec = database or workdir / "runs.sqlite", workdir / "effects.log", workdir / "crashy.yaml"
    proc = _start(workdir, thread, database)
    assert proc.stdout is not None
    proc.stdout.readline()  # "ready": imports are done, the run is starting
    delay = rng.uniform(0, max_delay_s)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed = proc.returncode == -signal.SIGKILL
    crash_worker.configure(log, thread)
    with Runner(db) as runner:
        try:
            snapshot = runner.snapshot(thread)
        except UnknownRunError:  # killed before the run was indexed: start it here
            committed: list[str] = []
            before = len(crash_worker.logged(log, thread))
            result = runner.start(spec, {}, thread_id=thread)
        else:
            committed = list(snapshot.values.get("trace", [])) + [
                t.name for t in snapshot.tasks if getattr(t, "result", None)]
            before = len(crash_worker.logged(log, thread))
            result = runner.resume(thread)
    after = crash_worker.logged(log, thread)[before:]
    reran = [n for n in after if n in committed]
    final = list(result.values.get("trace", []))
    return Trial(thread=thread, killed_after_s=delay, killed=killed, committed=committed, reran=reran,
                 final_trace=final, correct=final == crash_worker.EXPECTED_TRACE and not reran)
