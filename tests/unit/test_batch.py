"""Batch runs: every input a durable run; results written once each; re-runs, dead workers, Ctrl-C, bad input.

The graph is tests.batch_helpers.SPEC (python nodes, no model): ``step`` -> ``die_once`` (kills its
own worker process once for the inputs named in BATCH_DIE_ON) -> ``boom`` (fails n == 13) -> ``double``.
Every node that really runs logs ``N NODE`` to BATCH_LOG, so a test can tell what ran again.
"""

from __future__ import annotations

import json
import os
import socket
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import agentkit
from agentkit.batching import ResultsFile, batch
from agentkit.cli import main
from agentkit.cli.batch import with_ray_default
from tests._needs import module as needs_module
from tests.batch_helpers import SPEC


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "g.yaml").write_text(SPEC)
    monkeypatch.setenv("BATCH_LOG", str(tmp_path / "effects.log"))
    monkeypatch.setenv("BATCH_STEP_S", "0")
    monkeypatch.delenv("BATCH_DIE_ON", raising=False)
    monkeypatch.delenv("AGENTKIT_DATABASE_URL", raising=False)
    return tmp_path


def write_inputs(folder: Path, lines: list[Any], name: str = "in.jsonl") -> Path:
    path = folder / name
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def results(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def ran(folder: Path) -> Counter[str]:
    log = folder / "effects.log"
    return Counter(log.read_text().splitlines()) if log.exists() else Counter()


def test_a_batch_records_every_line_once_and_a_rerun_skips_what_it_recorded(work: Path) -> None:
    inputs = write_inputs(work, [{"n": 1}, {"n": 2}, "{not json", {"m": 1}, {}, {"n": 13}, {"n": 2}, [1, 2]])
    out = work / "out.jsonl"
    summary = batch(work / "g.yaml", inputs, out, allow_imports=True)
    assert (summary.done, summary.failed, summary.skipped) == (2, 5, 1)  # line 7 repeats line 2
    lines = results(out)
    assert [r["line"] for r in lines] == [1, 2, 3, 4, 5, 6, 8]
    by_line = {r["line"]: r for r in lines}
    assert by_line[1]["output"] == {"out": 2, "trace": ["step", "die_once", "double"]}
    assert by_line[1]["status"] == "done"
    assert by_line[1]["thread_id"].startswith("batch-")
    assert by_line[3]["error"].startswith("not JSON")
    assert by_line[4]["error"] == "'m' is not an input of graph 'doubler'; its inputs: n"
    assert by_line[5]["error"] == "graph 'doubler' needs input 'n' (declared under input:)"
    assert by_line[6]["error"] == "RuntimeError: thirteen is unlucky" and by_line[6]["thread_id"]
    assert by_line[8]["error"] == "a line is a JSON object of the graph's inputs, not list"
    with agentkit.Runner() as runner:  # each input is a durable run, found by its thread id
        assert runner.run(by_line[2]["thread_id"]).status == "done"
        assert runner.run(by_line[6]["thread_id"]).status == "failed"
    before = out.read_bytes()
    again = batch(work / "g.yaml", inputs, out, allow_imports=True)
    assert (again.done, again.failed, again.skipped) == (0, 0, 8) and out.read_bytes() == before
    retried = batch(work / "g.yaml", inputs, out, allow_imports=True, retry_failed=True)
    assert (retried.done, retried.failed, retried.skipped) == (0, 5, 3)
    assert sorted(r["line"] for r in results(out)) == [1, 2, 3, 4, 5, 6, 8]  # still one line per input
    assert ran(work)["1 step"] == 1 and ran(work)["13 step"] == 1  # the retry resumed: step did not run again


@pytest.mark.slow
def test_a_worker_process_that_dies_costs_only_its_inputs(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                          run_database: str | Path) -> None:
    monkeypatch.setenv("BATCH_DIE_ON", "3,8")
    monkeypatch.setenv("BATCH_STEP_S", "0.02")
    inputs = write_inputs(work, [{"n": n} for n in range(12)])
    out = work / "out.jsonl"
    pids: list[int] = []
    summary = batch(work / "g.yaml", inputs, out, workers=2, database=run_database, allow_imports=True,
                    on_start=lambda s, engine: pids.extend(engine.worker_pids()))
    assert summary.done == 12 and summary.failed == 0 and summary.engine == "2 worker processes"
    lines = results(out)
    assert sorted(r["line"] for r in lines) == list(range(1, 13))  # every input exactly once
    assert all(r["output"]["out"] == 2 * (r["line"] - 1) for r in lines)
    effects = ran(work)
    assert all(effects[f"{n} step"] == 1 for n in range(12))  # committed before the kill: never again
    assert effects["3 die_once"] == 2 and effects["8 die_once"] == 2 and effects["4 die_once"] == 1
    dead = {json.loads(line)["worker"] for line in out.read_text().splitlines()} - {""}
    assert len(dead) >= 3  # the two first workers and at least one that replaced a killed one


def test_ctrl_c_stops_the_batch_and_the_same_command_continues_it(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    marker = work / "interrupted"

    def interrupt_once(state: dict[str, Any]) -> dict[str, Any]:
        if state["n"] == 2 and not marker.exists():
            marker.write_text("x")
            raise KeyboardInterrupt
        return {}

    agentkit.register_function("interrupt_once", interrupt_once)
    (work / "g.yaml").write_text(SPEC.replace('"tests.batch_helpers:boom"', "interrupt_once"))
    inputs = write_inputs(work, [{"n": n} for n in range(4)])
    out = work / "out.jsonl"
    args = ["batch", str(work / "g.yaml"), str(inputs), "-o", str(out), "--allow-imports"]
    assert main(args) == 130
    err = " ".join(capsys.readouterr().err.split())
    assert "interrupted" in err and "run the same command again to continue" in err
    assert [r["line"] for r in results(out)] == [1, 2]
    assert main(args) == 0
    lines = results(out)
    assert sorted(r["line"] for r in lines) == [1, 2, 3, 4] and all(r["status"] == "done" for r in lines)
    assert ran(work)["2 step"] == 1 and ran(work)["2 die_once"] == 1  # resumed after the interrupted node


def test_a_results_line_cut_short_by_a_crash_is_dropped_before_the_batch_appends(work: Path) -> None:
    out = work / "out.jsonl"
    good = json.dumps({"line": 1, "key": "k1", "status": "done"})
    out.write_text(good + "\n" + '{"line": 2, "key": "k2", "sta')
    results_file = ResultsFile.open(out)
    try:
        assert list(results_file.recorded) == ["k1"]
        assert out.read_text() == good + "\n"
        with pytest.raises(agentkit.UserError, match="another batch is writing"):
            ResultsFile.open(out)
    finally:
        results_file.close()
    ResultsFile.open(out).close()  # the lock went with the first


def test_an_unreachable_database_stops_the_batch_with_nothing_written(work: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inputs = write_inputs(work, [{"n": 1}])
    out = work / "out.jsonl"
    status = main(["batch", str(work / "g.yaml"), str(inputs), "-o", str(out), "--allow-imports",
                   "--database", f"postgresql://agentkit:pw@127.0.0.1:{port}/runs"])
    err = " ".join(capsys.readouterr().err.split())
    assert status == 1 and f"cannot reach the run database postgresql://agentkit:***@127.0.0.1:{port}/runs" in err
    assert "Traceback" not in err and "pw@" not in err
    assert not out.exists() and not ran(work)


def test_bad_batch_arguments_are_refused_before_anything_runs(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = write_inputs(work, [{"n": 1}])
    cases = [
        (["batch", str(work / "g.yaml"), str(work / "missing.jsonl"), "-o", str(work / "o.jsonl"),
          "--allow-imports"], "inputs file"),
        (["batch", str(work / "g.yaml"), str(inputs), "-o", str(work / "no" / "o.jsonl"), "--allow-imports"],
         "does not exist"),
        (["batch", str(work / "g.yaml"), str(inputs), "-o", str(work), "--allow-imports"], "is a folder"),
        (["batch", str(work / "g.yaml"), str(inputs), "-o", str(work / "o.jsonl")], "allow"),
        (["batch", str(work / "g.yaml"), str(inputs), "-o", str(work / "o.jsonl"), "--allow-imports",
          "--ray", "127.0.0.1:notaport"], "not an address"),
    ]
    for args, message in cases:
        assert main(args) == 2, args
        err = " ".join(capsys.readouterr().err.split())
        assert message in err and "Traceback" not in err, (args, err)
    assert not (work / "o.jsonl").exists() and not ran(work)


def test_ray_alone_means_a_local_cluster_and_an_address_is_kept() -> None:
    assert with_ray_default(["batch", "g.yaml", "in.jsonl", "--ray"]) == ["batch", "g.yaml", "in.jsonl", "--ray",
                                                                          "local"]
    assert with_ray_default(["batch", "--ray", "--workers", "2"])[:3] == ["batch", "--ray", "local"]
    assert with_ray_default(["batch", "--ray", "g.yaml", "in.jsonl"])[:3] == ["batch", "--ray", "local"]
    assert with_ray_default(["batch", "g.yaml", "--ray", "10.1.2.3:6379"]) == ["batch", "g.yaml", "--ray",
                                                                               "10.1.2.3:6379"]


def test_an_unreachable_ray_cluster_is_named_with_how_to_start_one(work: Path) -> None:
    needs_module("ray", "ray")
    from agentkit.batching.engines import RayUnreachableError

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inputs = write_inputs(work, [{"n": 1}])
    with pytest.raises(RayUnreachableError, match=rf"127.0.0.1:{port}.*ray start --head") as info:
        batch(work / "g.yaml", inputs, work / "o.jsonl", workers=2, ray=f"127.0.0.1:{port}", allow_imports=True)
    assert isinstance(info.value, agentkit.TransientError)
    assert not (work / "o.jsonl").exists() and not ran(work)


@pytest.mark.slow
def test_ray_actors_run_a_batch_and_a_killed_actor_costs_only_its_input(work: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    needs_module("ray", "ray")
    monkeypatch.setenv("BATCH_DIE_ON", "4")
    monkeypatch.setenv("BATCH_STEP_S", "0.02")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[2]))  # the actors import tests.batch_helpers
    inputs = write_inputs(work, [{"n": n} for n in range(8)])
    out = work / "out.jsonl"
    summary = batch(work / "g.yaml", inputs, out, workers=2, ray=True, allow_imports=True)
    assert summary.done == 8 and summary.failed == 0 and summary.engine == "2 Ray actors (local cluster)"
    lines = results(out)
    assert sorted(r["line"] for r in lines) == list(range(1, 9))
    assert all(r["output"]["out"] == 2 * (r["line"] - 1) for r in lines)
    effects = ran(work)
    assert all(effects[f"{n} step"] == 1 for n in range(8)) and effects["4 die_once"] == 2
    assert os.environ.get("RAY_ADDRESS") is None
