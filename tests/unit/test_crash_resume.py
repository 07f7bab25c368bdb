"""Crash safety with real processes: SIGKILL at random moments, resume, compare with an uninterrupted run."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from tests import crash_worker
from tests.crash_trials import WORKER, run_length_s, run_trial

TRIALS = 20


def test_killed_runs_resume_to_the_same_state_without_rerunning_committed_nodes(tmp_path: Path) -> None:
    rng = random.Random(7)
    window = run_length_s(tmp_path)  # kills spread over a whole run, however fast this machine is
    trials = [run_trial(tmp_path, f"trial{i}", rng, max_delay_s=window) for i in range(TRIALS)]
    failures = [t for t in trials if not t.correct]
    assert not failures, failures
    summary = [window] + [(round(t.killed_after_s, 2), t.killed, len(t.committed)) for t in trials]  # shown on failure
    assert sum(t.killed for t in trials) >= TRIALS // 2, summary  # most kills landed while the run was alive
    assert any(0 < len(t.committed) < len(crash_worker.EXPECTED_TRACE) for t in trials), summary  # some mid-run


def test_two_processes_write_one_database_at_the_same_time(tmp_path: Path) -> None:
    from agentkit.runtime import Runner

    db, log, spec = tmp_path / "runs.sqlite", tmp_path / "effects.log", tmp_path / "crashy.yaml"
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
