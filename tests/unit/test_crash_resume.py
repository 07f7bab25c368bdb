"""Crash safety with real processes: SIGKILL at random moments, resume, compare with an uninterrupted run."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests import crash_worker
from tests.crash_trials import WORKER, run_length_s, run_trial

TRIALS = 20


@pytest.mark.slow
def test_killed_runs_resume_to_the_same_state_without_rerunning_committed_nodes(tmp_path: Path,
                                                                                run_database: str | Path) -> None:
    rng = random.Random(7)
    window = run_length_s(tmp_path, database=run_database)  # kills spread over a whole run, however fast this is
    trials = [run_trial(tmp_path, f"trial{i}", rng, max_delay_s=window, database=run_database) for i in range(TRIALS)]
    failures = [t for t in trials if not t.correct]
    assert not failures, failures
    summary = [window] + [(round(t.killed_after_s, 2), t.killed, len(t.committed)) for t in trials]  # shown on failure
    assert sum(t.killed for t in trials) >= TRIALS // 2, summary  # most kills landed while the run was alive
    assert any(0 < len(t.committed) < len(crash_worker.EXPECTED_TRACE) for t in trials), summary  # some mid-run


def test_two_processes_write_one_database_at_the_same_time(tmp_path: Path, run_database: str | Path) -> None:
    from agentkit.runtime import Runner

    db, log, spec = run_database, tmp_path / "effects.log", tmp_path / "crashy.yaml"
    spec.write_text(crash_worker.spec_text())
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(db), str(log), str(spec), f"proc{i}"],
                              stdout=subprocess.PIPE, text=True, cwd=str(WORKER.parents[1])) for i in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    with Runner(db) as runner:
        for i in range(2):
            assert runner.snapshot(f"proc{i}").values["trace"] == crash_worker.EXPECTED_TRACE
            assert runner.run(f"proc{i}").status == "done"
            assert sorted(crash_worker.logged(log, f"proc{i}")) == sorted(crash_worker.EXPECTED_TRACE)  # each ran once


class _Killed(BaseException):
    """Stands for SIGKILL inside this process: nothing after it is written by the dying run."""


def test_a_run_that_died_right_after_its_start_step_resumes_from_its_inputs(tmp_path: Path,
                                                                           run_database: str | Path) -> None:
    """The window found by kill trials: the start step's writes were saved, its checkpoint was
    not; LangGraph then shows no `next` node, and resume must still run the whole graph."""
    from agentkit.runtime import Runner

    db, log, spec = run_database, tmp_path / "effects.log", tmp_path / "crashy.yaml"
    spec.write_text(crash_worker.spec_text())
    crash_worker.configure(log, "early")
    with Runner(db) as runner:
        real_put = runner.saver.put

        def put(config, checkpoint, metadata, versions):  # dies before the first step's checkpoint
            if metadata.get("step") == 0:
                raise _Killed
            return real_put(config, checkpoint, metadata, versions)

        runner.saver.put = put
        with pytest.raises(_Killed):
            runner.start(spec, {}, thread_id="early")
    assert crash_worker.logged(log, "early") == []  # no node ran
    with Runner(db) as runner:
        assert runner.snapshot("early").next == ()  # what made resume think the run had finished
        result = runner.resume("early")
    assert result.status == "done" and result.values["trace"] == crash_worker.EXPECTED_TRACE
    assert sorted(crash_worker.logged(log, "early")) == sorted(crash_worker.EXPECTED_TRACE)


def test_the_seconds_a_killed_session_spent_are_kept(tmp_path: Path, run_database: str | Path) -> None:
    """A run's time is stored as each node ends, so a SIGKILL loses at most the node in flight
    (and a `seconds` budget holds across crashes)."""
    import time

    from agentkit.runtime import Runner

    db, log, spec = run_database, tmp_path / "effects.log", tmp_path / "crashy.yaml"
    spec.write_text(crash_worker.spec_text())
    proc = subprocess.Popen([sys.executable, str(WORKER), str(db), str(log), str(spec), "timed"],
                            stdout=subprocess.PIPE, text=True, cwd=str(WORKER.parents[1]))
    deadline = time.monotonic() + 60
    while "p1" not in crash_worker.logged(log, "timed") and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    with Runner(db) as runner:
        rows = runner.history("timed")
        stored = runner.run("timed").seconds
    assert [row.node for row in rows][:3] == ["n0", "n1", "n2"]  # these ended before the kill
    assert stored >= sum(row.seconds for row in rows) > 0
