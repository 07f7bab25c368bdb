"""Small helpers shared by the benchmark scripts (timing, medians, tables)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:  # allow `python benchmarks/x.py` from the repo root
    sys.path.insert(0, REPO_ROOT)

now = time.perf_counter


def median(values: Iterable[float]) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> str:
    """'min..max' of a sample, for a quick look at the noise."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return f"{min(values):.2f}..{max(values):.2f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with right-aligned columns (first column left-aligned)."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=False)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def machine_line() -> str:
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    import llama_cpp

    return (f"python {platform.python_version()}, llama-cpp-python {llama_cpp.__version__}, "
            f"{os.cpu_count()} cpu(s), loadavg at start {load}")


def loadavg_end_line() -> str:
    """The load average when a benchmark ends (above ~1 means something else used the CPUs)."""
    try:
        return "loadavg at end " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "loadavg at end ?"


def dump_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, default=str))
