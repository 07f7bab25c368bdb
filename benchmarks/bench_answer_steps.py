"""One answer step of the flagship, measured alone on the quality sets, against a peer variant of
the same step in the same run.

Claim under test: the one named by the variants.  A tuning experiment ("does the yes/no step need
its sentence of reasoning?", "is reasoning before the arithmetic expression worth its time?") is a
change of one node field; this script runs the step's graph with each value of that field on the
same cases, in the same process, and prints the pass counts side by side, so the experiment can be
re-run from the repo instead of from a throwaway harness:

    .venv/bin/python benchmarks/bench_answer_steps.py --graph graphs/rag_qa.yaml --node answer \\
        --vary reasoning_tokens=80,0 --tag yes-no --sets dev,heldout2,heldout3,heldout4
    .venv/bin/python benchmarks/bench_answer_steps.py --graph graphs/research.yaml --node compute \\
        --vary reasoning_tokens=200,0 --tag arithmetic

- The step: ``--graph`` (a graph YAML path, or the name of one in this repo's ``graphs/``) whose
  ``--node`` gets each value of ``--vary FIELD=V1,V2,...`` (values read as YAML scalars: ``80``,
  ``0.25``, ``null``); the first value is the baseline.  Several ``--vary`` make a grid (every
  combination; the baseline is the first value of each).  Each variant is the YAML file's data with
  the field set, validated as a spec whose origin is the file (subgraphs still resolve).
- The cases: those of each set named by ``--sets`` (default ``dev``; only the spent sets ``dev`` and
  ``heldout2`` to ``heldout8`` may be named: ``heldout`` is never run) with any of the ``--tag``s;
  with ``--yes-no-questions`` only the questions ``grounded_answer.is_yes_no`` calls yes/no.  The
  ``ran``/``not_ran`` checks are dropped (they name the assistant's nodes, not the step graph's);
  every other check is kept.  A case the step graph cannot run (a picture input) is skipped, named.
- The runs: each case is an ``agentkit.evaluation.evaluate`` run; all variants of one set share one
  workspace (its documents embedded once); the variants take turns, in the order swapped from set
  to set, so that machine noise falls on all of them.  The models load once (the process's pool);
  the first variant's first case pays for that, so seconds are medians.

Printed: pass counts by set and by tag, median seconds per case, and the cases whose verdict
differs from the baseline's (``+set/id`` passes only with the variant, ``-set/id`` only with the
baseline).  ``--out DIR`` writes each set x variant's EvalReport JSON there (for
``agentkit eval ... --compare``) and keeps the workspaces (``agentkit runs show THREAD`` there).

Needs an idle machine for fair seconds: the load average is printed at start and end.  Pass
counts do not depend on the load (greedy decoding).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

try:
    from benchmarks._common import REPO_ROOT, loadavg_end_line, machine_line, median, table
except ImportError:  # run as a script from benchmarks/
    from _common import REPO_ROOT, loadavg_end_line, machine_line, median, table  # type: ignore[no-redef]

from agentkit.errors import SpecError, UserError
from agentkit.evaluation import Dataset, EvalReport, graph_problems, load_dataset
from agentkit.spec import GraphSpec

QUALITY = Path(REPO_ROOT) / "benchmarks" / "data" / "quality"
# spent sets only: `heldout` and the sets written later are never run here
TUNING_SETS = ("dev", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8")
ROUTE_CHECKS = ("ran", "not_ran")


@dataclasses.dataclass(frozen=True)
class Variant:
    """One version of the step: the field values set on the node, and the spec they make."""

    settings: dict[str, Any]
    spec: GraphSpec

    @property
    def label(self) -> str:
        return ",".join(f"{k}={_scalar(v)}" for k, v in self.settings.items())


def _scalar(value: Any) -> str:
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, SpecError):
        return "; ".join(issue.format(exc.source) for issue in exc.issues)
    return " ".join(line.strip() for line in str(exc).splitlines() if line.strip())


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """``"reasoning_tokens=80,0"`` -> ``("reasoning_tokens", [80, 0])`` (values as YAML scalars)."""
    field, sep, values = text.partition("=")
    field = field.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field) or not values.strip():
        raise UserError(f"--vary {text!r}: write FIELD=V1,V2,... (e.g. reasoning_tokens=80,0)")
    parsed = []
    for raw in values.split(","):
        try:
            value = yaml.safe_load(raw.strip())
        except yaml.YAMLError:
            raise UserError(f"--vary {text!r}: {raw.strip()!r} is not a YAML scalar") from None
        if isinstance(value, (dict, list)) or raw.strip() == "":
            raise UserError(f"--vary {text!r}: {raw.strip()!r} is not a single value (a number, a text, null)")
        parsed.append(value)
    if len({repr(v) for v in parsed}) != len(parsed):
        raise UserError(f"--vary {text!r}: a value is given twice")
    return field, parsed


def graph_path(reference: str) -> Path:
    """A graph YAML path, or the name of a graph in this repo's ``graphs/`` folder."""
    path = Path(reference).expanduser()
    if path.is_file():
        return path.resolve()
    named = Path(REPO_ROOT) / "graphs" / f"{reference}.yaml"
    if "/" not in reference and named.is_file():
        return named
    raise UserError(f"--graph {reference!r}: no such file (nor a graph of that name in {Path(REPO_ROOT) / 'graphs'})")


def variant_spec(path: Path, node: str, settings: dict[str, Any]) -> GraphSpec:
    """The spec of the YAML file ``path`` with ``settings`` set on its node ``node``, its origin the
    file (so subgraphs and relative names resolve as for the file).  An unknown node, an unknown
    field or a bad value is a one-line ``UserError``."""
    from agentkit.spec import load_spec
    from agentkit.spec.loader import validate_data

    try:
        load_spec(path)  # the file as it is must load: its own problems are not the variant's
    except UserError as exc:
        raise UserError(_one_line(exc)) from None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    nodes = data.get("nodes") or {}
    if node not in nodes:
        raise UserError(f"--node {node!r}: graph {path.name} has no such node; nodes: {', '.join(nodes)}")
    if "kind" in settings:
        raise UserError("--vary kind: a node's kind is not a setting of the step; vary its fields")
    nodes[node].update(settings)
    try:
        return validate_data(data, source=str(path))
    except SpecError as exc:
        raise UserError(_one_line(exc)) from None


def build_variants(path: Path, node: str, varies: Sequence[tuple[str, list[Any]]]) -> list[Variant]:
    """One variant per combination of the ``varies`` values, the baseline (first values) first."""
    fields = [f for f, _ in varies]
    if len(set(fields)) != len(fields):
        raise UserError(f"--vary: field {next(f for f in fields if fields.count(f) > 1)!r} is varied twice")
    variants = []
    for values in itertools.product(*(vs for _, vs in varies)):
        settings = dict(zip(fields, values, strict=True))
        variants.append(Variant(settings=settings, spec=variant_spec(path, node, settings)))
    return variants


def step_cases(dataset: Dataset, *, tags: Sequence[str] = (), yes_no: bool = False,
               limit: int | None = None) -> Dataset:
    """``dataset`` with only the cases that have any of ``tags`` (all when none), only yes/no
    questions when ``yes_no``, at most ``limit``, each without its route checks (``ran``,
    ``not_ran``); a case left with no check at all is dropped."""
    from agentkit.nodes.grounded_answer import is_yes_no

    chosen = []
    for case in dataset.cases:
        if tags and not set(tags) & set(case.tags):
            continue
        question = case.inputs.get("question")
        if yes_no and not (isinstance(question, str) and is_yes_no(question)):
            continue
        checks = {name: check for name, check in case.checks.items() if name not in ROUTE_CHECKS}
        if checks:
            chosen.append(dataclasses.replace(case, checks=checks))
    return dataclasses.replace(dataset, cases=tuple(chosen[:limit] if limit is not None else chosen))


def runnable(dataset: Dataset, spec: GraphSpec) -> tuple[Dataset, list[str]]:
    """The cases the step graph can run (its inputs, outputs and checked fields), and the ids of the others."""
    bad = {case.id for case in dataset.cases if graph_problems(spec, [case])}
    return (dataclasses.replace(dataset, cases=tuple(c for c in dataset.cases if c.id not in bad)),
            [c.id for c in dataset.cases if c.id in bad])


def set_path(name: str) -> Path:
    if name not in TUNING_SETS:
        raise UserError(f"--sets: {name!r} is not a set this benchmark may run; choose among "
                        f"{', '.join(TUNING_SETS)} (held-out sets are never run for tuning)")
    return QUALITY / name / f"{name}.jsonl"


def differences(base: dict[tuple[str, str], bool], other: dict[tuple[str, str], bool]) -> list[str]:
    """``+set/id`` for a case only ``other`` passes, ``-set/id`` for one only ``base`` passes."""
    return [f"{'+' if other[key] else '-'}{key[0]}/{key[1]}" for key in base
            if key in other and other[key] != base[key]]


def _file_name(set_name: str, variant: Variant) -> str:
    return f"{set_name}--{re.sub(r'[^A-Za-z0-9_.=,-]+', '_', variant.label)}.json"


def _count(results: Sequence[Any]) -> str:
    return f"{sum(r.passed for r in results)}/{len(results)}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", required=True, help="the step's graph: a YAML path (or a name in graphs/)")
    parser.add_argument("--node", required=True, help="the node whose field varies")
    parser.add_argument("--vary", action="append", required=True, metavar="FIELD=V1,V2,...",
                        help="the node field and its values, the baseline first; repeat for a grid")
    parser.add_argument("--tag", action="append", default=[], help="run the cases with any of these tags")
    parser.add_argument("--yes-no-questions", action="store_true", help="only the questions is_yes_no calls yes/no")
    parser.add_argument("--sets", default="dev", help=f"comma-separated, among {', '.join(TUNING_SETS)}")
    parser.add_argument("--limit", type=int, default=None, help="at most N cases per set")
    parser.add_argument("--out", type=Path, default=None, help="write each set x variant's EvalReport JSON here")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except UserError as exc:
        print(f"bench_answer_steps: {_one_line(exc)}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from agentkit.evaluation import evaluate

    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    set_names = [s.strip() for s in args.sets.split(",") if s.strip()]
    if not set_names or len(set(set_names)) != len(set_names):
        raise UserError(f"--sets {args.sets!r}: name each set once, comma-separated")
    paths = {name: set_path(name) for name in set_names}
    variants = build_variants(graph_path(args.graph), args.node, [parse_vary(v) for v in args.vary])
    if args.out is not None:
        if args.out.exists() and not args.out.is_dir():
            raise UserError(f"--out {args.out}: not a folder")
        args.out.mkdir(parents=True, exist_ok=True)

    datasets: dict[str, Dataset] = {}
    for name, path in paths.items():
        data, skipped = runnable(step_cases(load_dataset(path), tags=args.tag, yes_no=args.yes_no_questions,
                                            limit=args.limit), variants[0].spec)
        if skipped:
            print(f"{name}: skipped {len(skipped)} case(s) graph {variants[0].spec.name!r} cannot run: "
                  f"{', '.join(skipped)}")
        if data.cases:
            datasets[name] = data
        else:
            print(f"{name}: no case selected")
    if not datasets:
        raise UserError(f"no case of {', '.join(set_names)} is selected by "
                        f"{' '.join(f'--tag {t}' for t in args.tag) or 'no tag'}"
                        f"{' --yes-no-questions' if args.yes_no_questions else ''}; nothing to run")

    print(machine_line())
    print(f"step: node {args.node!r} of {variants[0].spec.origin.path}; baseline {variants[0].label}; "
          f"cases: {' '.join(f'{n} {len(d.cases)}' for n, d in datasets.items())}"
          f"{' (tags ' + ', '.join(args.tag) + ')' if args.tag else ''}"
          f"{' (yes/no questions)' if args.yes_no_questions else ''}")
    reports: dict[tuple[str, int], EvalReport] = {}
    scratch = Path(tempfile.mkdtemp(prefix="agentkit-bench-steps-")) if args.out is None else None
    try:
        for n, (name, data) in enumerate(datasets.items()):
            workspace = (scratch or args.out) / f"workspace-{name}"
            order = list(range(len(variants)))
            if n % 2:
                order.reverse()
            for v in order:
                def progress(result: Any, i: int, total: int, name: str = name, v: int = v) -> None:
                    print(f"  {name} [{variants[v].label}] {i}/{total} {result.id}: "
                          f"{'pass' if result.passed else 'FAIL'} {result.seconds:.1f}s", flush=True)

                reports[name, v] = evaluate(variants[v].spec, data, workspace=workspace,
                                            on_case=progress, notes=lambda text, name=name: print(f"  {name}: {text}"))
                if args.out is not None:
                    reports[name, v].write_json(args.out / _file_name(name, variants[v]),
                                                extra={"step": {"node": args.node, "variant": variants[v].settings,
                                                         "tags": args.tag, "yes_no_questions": args.yes_no_questions,
                                                         "limit": args.limit}})
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)

    labels = [v.label for v in variants]
    results = {v: {name: reports[name, v].cases for name in datasets} for v in range(len(variants))}
    everything = {v: [r for name in datasets for r in results[v][name]] for v in results}
    rows = [[name, *(_count(results[v][name]) for v in results)] for name in datasets]
    rows.append(["all", *(_count(everything[v]) for v in results)])
    print("\npassed / cases, by set")
    print(table(["set", *labels], rows))
    tags = sorted({t for v in everything for r in everything[v] for t in r.tags})
    print("\npassed / cases, by tag (all sets)")
    print(table(["tag", *labels], [[t, *(_count([r for r in everything[v] if t in r.tags]) for v in results)]
                                   for t in tags]))
    print("\nmedian seconds per case")
    print(table(["", *labels], [["all sets", *(median(r.seconds for r in everything[v]) for v in results)]]))
    verdicts = {v: {(name, r.id): r.passed for name in datasets for r in results[v][name]} for v in results}
    print(f"\nverdicts that differ from the baseline ({labels[0]}): +passes only with the variant, "
          f"-passes only with the baseline")
    for v in range(1, len(variants)):
        print(f"  {labels[v]}: {' '.join(differences(verdicts[0], verdicts[v])) or 'none'}")
    if args.out is not None:
        print(f"\nreports and workspaces in {args.out}")
    print(loadavg_end_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
