"""What an evaluation reports: each case's verdicts and costs, totals by split and tag, and
the comparison of two reports (regressions, improvements, the pass-rate change per split).

A report is plain data: ``EvalReport.to_dict()`` is the JSON report ``agentkit eval --json``
prints and ``-o`` writes; ``compare_reports`` takes two reports, either as ``EvalReport`` or
as the dicts read back from such files (``read_report``).
"""

from __future__ import annotations

import json
import os
import platform
import stat
import statistics
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.errors import UserError, UserFileError
from agentkit.evaluation.checks import Verdict
from agentkit.files import file_kind, read_user_file, shown

__all__ = [
    "CaseChange",
    "CaseResult",
    "check_report_target",
    "Comparison",
    "EvalReport",
    "Totals",
    "compare_reports",
    "load_average",
    "machine_line",
    "read_report",
]

MAX_REPORT_BYTES = 64 * 2**20
REPORT_FORMAT = 1


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as text ("?" where the system has none)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine_line(load_at_start: str, load_at_end: str) -> str:
    return (f"python {platform.python_version()}, {os.cpu_count()} cpu(s), loadavg at start {load_at_start}, "
            f"at end {load_at_end}")


@dataclass(kw_only=True)
class CaseResult:
    """One case's run and verdicts.  ``passed``: the run finished and every check passed."""

    id: str
    split: str
    tags: list[str]
    passed: bool
    status: str  # the run's status (done, failed, budget_exceeded, ...)
    error: str = ""  # why the run did not finish, when it did not
    checks: list[Verdict] = field(default_factory=list)
    answer: Any = None
    thread_id: str = ""
    seconds: float = 0.0
    llm_calls: int = 0
    tokens: int = 0
    route: list[str] = field(default_factory=list)  # the nodes that ran, in the order they first ran
    models: list[str] = field(default_factory=list)  # the models its LLM calls were recorded with

    @property
    def failed_checks(self) -> list[Verdict]:
        return [v for v in self.checks if not v.passed]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "split": self.split, "tags": self.tags, "passed": self.passed,
                "status": self.status, "error": self.error, "checks": [v.to_dict() for v in self.checks],
                "answer": self.answer, "thread_id": self.thread_id, "seconds": round(self.seconds, 3),
                "llm_calls": self.llm_calls, "tokens": self.tokens, "route": self.route, "models": self.models}


@dataclass(frozen=True, kw_only=True)
class Totals:
    """Pass rate and median seconds of a group of cases."""

    cases: int
    passed: int
    median_seconds: float

    @property
    def pass_rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    @classmethod
    def of(cls, cases: Iterable[CaseResult]) -> Totals:
        cases = list(cases)
        seconds = [c.seconds for c in cases]
        return cls(cases=len(cases), passed=sum(c.passed for c in cases),
                   median_seconds=statistics.median(seconds) if seconds else 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {"cases": self.cases, "passed": self.passed, "pass_rate": round(self.pass_rate, 4),
                "median_seconds": round(self.median_seconds, 3)}


@dataclass(kw_only=True)
class EvalReport:
    """An evaluation of one graph on one dataset (``evaluate`` returns it)."""

    dataset: str
    graph: str
    cases: list[CaseResult]
    description: str = ""
    graph_path: str | None = None
    model: str | None = None  # the model every LLM node ran on (--model), or None: each node's own
    models_used: list[str] = field(default_factory=list)
    workspace: str = ""
    started: float = 0.0
    seconds: float = 0.0
    machine: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    setup: dict[str, Any] = field(default_factory=dict)  # what was ingested
    interrupted: bool = False  # Ctrl-C stopped it: ``cases`` holds only the cases that finished
    cases_not_run: int = 0  # selected cases that did not finish (the one running when stopped included)

    @property
    def totals(self) -> Totals:
        return Totals.of(self.cases)

    @property
    def pass_rate(self) -> float:
        return self.totals.pass_rate

    def by_split(self) -> dict[str, Totals]:
        splits = dict.fromkeys(c.split for c in self.cases)
        return {s: Totals.of(c for c in self.cases if c.split == s) for s in splits}

    def by_tag(self) -> dict[str, Totals]:
        tags = sorted({t for c in self.cases for t in c.tags})
        return {t: Totals.of(c for c in self.cases if t in c.tags) for t in tags}

    @property
    def model_line(self) -> str:
        if self.model:
            return f"every LLM node on {self.model}"
        return f"each node's own model ({', '.join(self.models_used) or 'no LLM call recorded'})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT, "dataset": self.dataset, "description": self.description,
            "graph": self.graph, "graph_path": self.graph_path, "model": self.model,
            "model_note": self.model_line, "models_used": self.models_used, "workspace": self.workspace,
            "started": self.started, "seconds": round(self.seconds, 3), "machine": self.machine,
            "filters": self.filters, "setup": self.setup,
            "interrupted": self.interrupted, "cases_not_run": self.cases_not_run,
            "totals": {"all": self.totals.to_dict(),
                       "by_split": {k: v.to_dict() for k, v in self.by_split().items()},
                       "by_tag": {k: v.to_dict() for k, v in self.by_tag().items()}},
            "cases": [c.to_dict() for c in self.cases],
        }

    def write_json(self, path: str | os.PathLike[str], *, extra: Mapping[str, Any] | None = None) -> None:
        """Write the JSON report to ``path`` whole or not at all (a temporary file, then renamed)."""
        text = json.dumps({**self.to_dict(), **(extra or {})}, indent=2, default=str, ensure_ascii=False)
        target = check_report_target(path)
        try:
            fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            os.replace(temporary, target)
        except OSError as exc:
            raise UserError(f"cannot write {shown(target)}: {exc.strerror or exc}") from None


def check_report_target(path: str | os.PathLike[str]) -> Path:
    """``path`` if a report may be written there: a new file or a regular file (replaced whole),
    in an existing folder; else a ``UserError`` (never a folder, fifo, device, socket or link)."""
    target = Path(path)
    if not target.absolute().parent.is_dir():
        raise UserError(f"cannot write {shown(target)}: no folder {shown(target.absolute().parent)}; give a path "
                        f"in an existing folder")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise UserError(f"cannot write {shown(target)}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else file_kind(mode) or "not a regular file"
        raise UserError(f"cannot write {shown(target)}: it is {kind}; a report replaces only a regular file")
    return target


# -- comparison ---------------------------------------------------------------------------


def read_report(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A JSON report written by ``agentkit eval -o`` (checked enough to compare with)."""
    try:
        data = read_user_file(path, max_bytes=MAX_REPORT_BYTES, what="report")
    except UserFileError as exc:
        raise UserError(str(exc)) from None
    try:
        report = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{shown(path)} is not a JSON eval report ({exc}); write one with agentkit eval -o") from None
    _summaries(report, shown(path))
    return report


def _summaries(report: Any, name: str) -> dict[str, dict[str, Any]]:
    """``{id: {passed, split, failed}}`` of a report (an ``EvalReport`` or its dict)."""
    if isinstance(report, EvalReport):
        return {c.id: {"passed": c.passed, "split": c.split,
                       "failed": [v.check for v in c.failed_checks] or ([c.status] if not c.passed else [])}
                for c in report.cases}
    cases = report.get("cases") if isinstance(report, dict) else None
    if not isinstance(cases, list):
        raise UserError(f"{name} is not an eval report: it has no list of cases; write one with agentkit eval -o")
    summaries = {}
    for n, case in enumerate(cases):
        if not (isinstance(case, dict) and isinstance(case.get("id"), str) and isinstance(case.get("passed"), bool)):
            raise UserError(f"{name} is not an eval report: cases[{n}] needs an id (text) and passed (true/false)")
        failed = [v.get("check") for v in case.get("checks") or [] if isinstance(v, dict) and not v.get("passed")]
        summaries[case["id"]] = {"passed": case["passed"], "split": str(case.get("split", "dev")),
                                 "failed": failed or ([str(case.get("status"))] if not case["passed"] else [])}
    return summaries


@dataclass(frozen=True, kw_only=True)
class CaseChange:
    """A case whose verdict changed between two reports (``failed``: its failing checks now, or before)."""

    id: str
    split: str
    failed: list[str]


@dataclass(kw_only=True)
class Comparison:
    """How a new report differs from an old one, case by case and per split."""

    regressions: list[CaseChange]  # passed before, fail now
    improvements: list[CaseChange]  # failed before, pass now
    still_failing: list[str]
    added: list[str]  # only in the new report
    removed: list[str]  # only in the old report
    splits: dict[str, tuple[float | None, float | None]]  # split -> (old pass rate, new pass rate)

    def to_dict(self) -> dict[str, Any]:
        def change(old: float | None, new: float | None) -> float | None:
            return None if old is None or new is None else round(new - old, 4)

        return {"regressions": [vars(c) for c in self.regressions],
                "improvements": [vars(c) for c in self.improvements],
                "still_failing": self.still_failing, "added": self.added, "removed": self.removed,
                "splits": {s: {"old": old, "new": new, "change": change(old, new)}
                           for s, (old, new) in self.splits.items()}}


def _rates(summaries: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    splits: dict[str, list[bool]] = {}
    for case in summaries.values():
        splits.setdefault(case["split"], []).append(case["passed"])
    return {s: sum(v) / len(v) for s, v in splits.items()}


def compare_reports(old: EvalReport | Mapping[str, Any], new: EvalReport | Mapping[str, Any]) -> Comparison:
    """Regressions (passed in ``old``, fail in ``new``), improvements, and each split's pass rate
    in both (over all the cases each report ran)."""
    before, after = _summaries(old, "the old report"), _summaries(new, "the new report")
    common = [i for i in after if i in before]
    old_rates, new_rates = _rates(before), _rates(after)
    splits: Sequence[str] = list(dict.fromkeys([*new_rates, *old_rates]))
    return Comparison(
        regressions=[CaseChange(id=i, split=after[i]["split"], failed=after[i]["failed"]) for i in common
                     if before[i]["passed"] and not after[i]["passed"]],
        improvements=[CaseChange(id=i, split=after[i]["split"], failed=before[i]["failed"]) for i in common
                      if not before[i]["passed"] and after[i]["passed"]],
        still_failing=[i for i in common if not before[i]["passed"] and not after[i]["passed"]],
        added=[i for i in after if i not in before], removed=[i for i in before if i not in after],
        splits={s: (old_rates.get(s), new_rates.get(s)) for s in splits})
