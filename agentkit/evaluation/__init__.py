"""Evaluating a graph on a dataset of cases: ``evaluate(graph, dataset)`` and ``agentkit eval``.

Each case runs as a durable run (``agentkit.runtime.Runner``) in the eval's workspace, so a
failed case can be opened with ``agentkit runs show THREAD``, replayed and forked; the report
(``EvalReport``) carries each case's thread id, verdicts, answer, seconds, LLM calls, tokens
and route, and totals by split and by tag.  ``compare_reports`` lists regressions and
improvements against an earlier report.

The dataset format
------------------
A dataset is a JSONL file. Its first line MAY be a header ``{"setup": {...}}``; every other
line is one case. Paths inside a dataset are relative to the dataset file's folder.

Header (optional)::

    {"setup": {"ingest": ["docs/"], "collection": "memory", "description": "what this set is"}}

- ``ingest``: files/folders loaded into the eval workspace's memory before the cases run (as
  ``agentkit memory ingest`` does), into ``collection`` (default ``memory``). Each eval runs in a
  fresh workspace (its own run database and memory) unless told otherwise.

Case::

    {"id": "warranty-length", "inputs": {"question": "How long is the warranty?", "image": "images/r.png"},
     "checks": {"contains_any": ["two years", "24 months"], "sources": ["warranty-policy.md"]},
     "tags": ["documents"], "split": "dev", "note": "free text for humans"}

- ``inputs``: the graph's inputs. A value under ``image``/``images`` (or ``media``) that is a
  string is a path relative to the dataset file.
- ``tags``: free labels (e.g. ``documents``, ``arithmetic``, ``picture``, ``abstain``, ``receipt``,
  ``poster``, ``yes-no``); the report aggregates by tag.
- ``split``: ``dev`` or ``heldout`` (reported separately; default ``dev``).
- ``field`` (optional, default ``answer``): the output field holding the answer text.
- ``checks`` (every check present must pass; text comparisons are case-insensitive, words match
  on word boundaries, numbers compare as numbers: ``14.74`` matches ``$14.74``, not ``114.74``):

  - ``contains``: list, every item must appear in the answer;
  - ``contains_any``: list, at least one must appear;
  - ``not_contains``: list, none may appear (e.g. citation debris ``[1]``, a wrong neighbouring fact);
  - ``regex``: a regular expression the answer must match (search);
  - ``number``: ``{"value": 5.1, "tolerance": 0.01, "unit": "litres"}`` -- some number in the answer
    equals value within tolerance (absolute), and the unit word (if given) appears;
  - ``json``: ``{"receipt.total": 14.74, "receipt.vendor": "HARROWGATE"}`` -- dot paths into the run's
    output values; numbers compare numerically, strings case-insensitively as substrings;
  - ``sources``: list of source names (file names) that must all be among the output field
    ``sources`` (each item ``{source, page}``; compare by the file's base name);
  - ``ran`` / ``not_ran``: node names that must / must not appear in the run's node history
    (e.g. ``"ran": ["research"]`` checks the route taken);
  - ``tools``: tool names that must have been called during the run (from the recorded LLM
    calls' tool calls and from steps outputs);
  - ``abstain``: true means the graph must say the documents do not hold the answer: passes when
    the output field ``supported`` is false, or (if the graph has no such field) when the answer
    matches the abstention phrases ("do not say", "does not say", "doesn't say", "no information",
    "not in the documents", "cannot find"...) and ``sources`` is empty; false means the opposite.

In items of ``contains``, ``contains_any`` and ``not_contains`` an expected text that starts with
``re:`` is a regular expression. The whole dataset is checked before anything runs -- every
malformed line, unknown key or check, missing file, and every input, answer field, node name or
output path the graph does not have -- and refused with each problem at its line.
"""

from agentkit.errors import DatasetError
from agentkit.evaluation.checks import (
    ABSTENTION_PHRASES,
    CHECKS,
    Check,
    RunFacts,
    Verdict,
    abstains,
    mentions,
    numbers_in,
    run_checks,
)
from agentkit.evaluation.dataset import SPLITS, Case, Dataset, Setup, load_dataset, parse_dataset
from agentkit.evaluation.report import (
    CaseChange,
    CaseResult,
    Comparison,
    EvalReport,
    Totals,
    compare_reports,
    read_report,
)
from agentkit.evaluation.running import evaluate, graph_problems, model_override

__all__ = [
    # running
    "evaluate",
    "model_override",
    "graph_problems",
    # datasets
    "Case",
    "Dataset",
    "Setup",
    "SPLITS",
    "load_dataset",
    "parse_dataset",
    # checks
    "CHECKS",
    "Check",
    "RunFacts",
    "Verdict",
    "run_checks",
    "mentions",
    "numbers_in",
    "abstains",
    "ABSTENTION_PHRASES",
    # reports
    "EvalReport",
    "CaseResult",
    "Totals",
    "Comparison",
    "CaseChange",
    "compare_reports",
    "read_report",
    # errors (defined in agentkit.errors)
    "DatasetError",
]
