"""``agentkit eval`` end to end on the real default model, the real embeddings and Chroma: a
3-case dataset over a small ingested document, through the command line.

What is asserted does not depend on the model's wording: the report's structure, each case's
route, calls and thread, a case that must fail (its check cannot pass), and that the failed
case's run opens with ``runs show`` and replays from its record with no model loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentkit.cli import main
from agentkit.memory.store import close_stores
from agentkit.runtime import Runner
from agentkit.testing import no_model_loading

pytestmark = pytest.mark.integration

ORCHARD = """# The Ashby orchard

The Ashby orchard has 312 apple trees on the south slope of the valley.
The harvest starts on 14 September each year and lasts about three weeks.
The orchard manager is Mira Quill, who took over from her father in 2019.
"""


def test_eval_runs_a_dataset_on_the_default_model_and_a_failed_case_replays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "orchard.md").write_text(ORCHARD)
    cases = [
        {"setup": {"ingest": ["docs"], "description": "a small orchard document"}},
        {"id": "trees", "inputs": {"question": "How many apple trees does the Ashby orchard have?"},
         "checks": {"contains_any": ["312"], "ran": ["retrieve", "answer"]}, "tags": ["numbers"]},
        {"id": "manager", "inputs": {"question": "Who manages the Ashby orchard?"},
         "checks": {"contains": ["Quill"]}, "tags": ["people"], "split": "heldout"},
        {"id": "harvest", "inputs": {"question": "When does the harvest at the Ashby orchard start?"},
         "checks": {"contains_any": ["14 September", "September 14"], "not_ran": ["retrieve"]},
         "tags": ["numbers"], "note": "cannot pass: retrieve always runs"},
    ]
    dataset = tmp_path / "cases.jsonl"
    dataset.write_text("\n".join(json.dumps(c) for c in cases) + "\n")
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    close_stores()
    try:
        status = main(["eval", "rag_qa", str(dataset), "-o", str(tmp_path / "report.json")])
        captured = capsys.readouterr()
        assert status == 0, captured.out + captured.err
        assert "harvest" in captured.out and "split heldout" in captured.out and "tag numbers" in captured.out

        report = json.loads((tmp_path / "report.json").read_text())
        assert report["graph"] == "rag_qa" and report["model"] is None
        assert report["models_used"] == ["qwen2.5-coder-1.5b"]  # rag_qa answers on the 1.5B model
        assert "loadavg at start" in report["machine"] and report["setup"]["files"] == 1
        assert report["totals"]["all"]["cases"] == 3
        assert set(report["totals"]["by_split"]) == {"dev", "heldout"}
        assert set(report["totals"]["by_tag"]) == {"numbers", "people"}
        for case in report["cases"]:
            assert case["status"] == "done" and case["thread_id"], case
            assert case["route"] == ["retrieve", "answer"] and case["tokens"] > 0
            assert 1 <= case["llm_calls"] <= 3  # the support gate, the answer, and one re-ask at most
            assert isinstance(case["answer"], str) and case["answer"].strip()
            assert all(set(v) == {"check", "passed", "reason"} for v in case["checks"])
        trees, _, harvest = report["cases"]
        assert trees["checks"][1] == {"check": "ran", "passed": True, "reason": "ran retrieve, answer"}
        assert not harvest["passed"] and harvest["checks"][1]["check"] == "not_ran"
        assert harvest["checks"][1]["reason"] == "ran retrieve"

        workspace = Path(report["workspace"])
        assert workspace.parent == tmp_path / "ws" / "evals"
        monkeypatch.setenv("AGENTKIT_WORKSPACE", str(workspace))  # as the report says to open a case
        assert main(["runs", "show", harvest["thread_id"]]) == 0
        assert harvest["thread_id"] in capsys.readouterr().out
        with no_model_loading("a replay serves every reply from the record"), \
                Runner(workspace / "runs.sqlite") as runner:
            replayed = runner.replay(harvest["thread_id"])
        assert replayed.matches and replayed.values["answer"] == harvest["answer"]
    finally:
        close_stores()
