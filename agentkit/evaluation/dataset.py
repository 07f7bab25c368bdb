"""Evaluation datasets: a JSONL file of cases (the format is described in ``agentkit.evaluation``).

``load_dataset(path)`` reads and checks the whole file before anything runs: every line
that is not valid JSON or not a valid case or header, every unknown key or check, every
file it names that cannot be read is reported at its line, together, in one
``DatasetError``; a dataset with any problem is refused as a whole.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.errors import DatasetError, UserError, UserFileError
from agentkit.evaluation.checks import check_problems
from agentkit.files import open_user_file, printable, read_user_file, shown

__all__ = ["CASE_KEYS", "MEDIA_KEYS", "SPLITS", "Case", "Dataset", "Setup", "load_dataset", "parse_dataset"]

SPLITS = ("dev", "heldout")
CASE_KEYS = ("id", "inputs", "checks", "tags", "split", "field", "note")
SETUP_KEYS = ("ingest", "collection", "description")
MEDIA_KEYS = ("image", "images", "media")  # input values that are paths relative to the dataset
MAX_DATASET_BYTES = 32 * 2**20
_ANY_SIZE = 2**62  # media files are only checked here (present, regular); their readers bound what they read


@dataclass(frozen=True, kw_only=True)
class Setup:
    """The optional header: what to ingest into the eval workspace's memory before the cases run."""

    ingest: tuple[Path, ...] = ()
    collection: str = "memory"
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Case:
    """One case: the graph's inputs (media paths resolved), its checks, labels and where it is."""

    id: str
    inputs: dict[str, Any]
    checks: dict[str, Any]
    tags: tuple[str, ...] = ()
    split: str = "dev"
    field: str = "answer"
    note: str = ""
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Dataset:
    """A loaded, checked dataset."""

    path: Path
    setup: Setup = field(default_factory=Setup)
    cases: tuple[Case, ...] = ()

    @property
    def media_folders(self) -> list[Path]:
        """The folders holding the media files the cases name (added to the image roots while the eval runs)."""
        folders = [Path(p).parent for case in self.cases for p in _media_paths(case.inputs)]
        return list(dict.fromkeys(folders))

    def select(self, *, tags: Sequence[str] = (), split: str | None = None, ids: Sequence[str] = ()) -> list[Case]:
        """The cases with any of ``tags``, in ``split``, among ``ids`` (each filter optional).
        An unknown id, split or tag is a ``UserError`` naming what exists; so is an empty selection."""
        known = {c.id for c in self.cases}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise UserError(f"--ids: no case {', '.join(map(repr, unknown))} in {shown(self.path)}; "
                            f"ids: {', '.join(sorted(known))}")
        if split is not None and split not in SPLITS:
            raise UserError(f"--split {split!r}: splits are {', '.join(SPLITS)}")
        all_tags = sorted({t for c in self.cases for t in c.tags})
        missing_tags = [t for t in tags if t not in all_tags]
        if missing_tags:
            raise UserError(f"--tag: no case is tagged {', '.join(map(repr, missing_tags))}; "
                            f"tags: {', '.join(all_tags) or 'none'}")
        chosen = [c for c in self.cases if (not ids or c.id in ids) and (split is None or c.split == split)
                  and (not tags or set(tags) & set(c.tags))]
        if not chosen:
            raise UserError(f"no case of {shown(self.path)} is selected by "
                            f"{_filters(tags, split, ids)}; nothing to run")
        return chosen


def _filters(tags: Sequence[str], split: str | None, ids: Sequence[str]) -> str:
    parts = ([f"--tag {' --tag '.join(tags)}"] if tags else []) + ([f"--split {split}"] if split else []) + \
            ([f"--ids {','.join(ids)}"] if ids else [])
    return " ".join(parts) or "no filter"


def _media_paths(inputs: dict[str, Any]) -> list[str]:
    paths: list[str] = []
    for key in MEDIA_KEYS:
        value = inputs.get(key)
        if isinstance(value, str):
            paths.append(value)
        elif isinstance(value, list):
            paths += [v for v in value if isinstance(v, str)]
    return paths


def _resolve(base: Path, name: str) -> Path:
    path = Path(name).expanduser()
    return Path(os.path.normpath(path if path.is_absolute() else base / path))


def _check_file(path: Path, what: str) -> str | None:
    """Why ``path`` cannot be used as a ``what`` (missing, not a regular file...), or None."""
    try:
        with open_user_file(path, max_bytes=_ANY_SIZE, what=what):
            return None
    except UserFileError as exc:
        return f"{what} {shown(path)} {exc.reason}"


def _texts(value: Any, where: str) -> tuple[tuple[str, ...], list[str]]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return (), [f"{where} must be a list of non-empty texts"]
    return tuple(value), []


def _setup(data: Any, base: Path) -> tuple[Setup, list[str]]:
    if not isinstance(data, dict):
        return Setup(), ['setup must be an object like {"ingest": ["docs/"], "collection": "memory"}']
    problems = [f"setup.{k}: unknown key; valid keys: {', '.join(SETUP_KEYS)}" for k in data if k not in SETUP_KEYS]
    names, more = _texts(data.get("ingest", []), "setup.ingest")
    problems += more
    paths = []
    for name in names:
        path = _resolve(base, name)
        if not os.path.lexists(path):
            problems.append(f"setup.ingest: no such file or folder {shown(path)}")
        elif not path.is_dir():
            reason = _check_file(path, "document")
            problems += [f"setup.ingest: {reason}"] if reason else []
        paths.append(path)
    collection = data.get("collection", "memory")
    if not isinstance(collection, str) or not collection.strip():
        problems.append("setup.collection must be a collection name (a text)")
        collection = "memory"
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append("setup.description must be a text")
        description = ""
    return Setup(ingest=tuple(paths), collection=collection, description=description), problems


def _inputs(data: Any, base: Path) -> tuple[dict[str, Any], list[str]]:
    if not isinstance(data, dict):
        return {}, ['inputs must be an object of the graph\'s inputs, like {"question": "..."}']
    inputs, problems = dict(data), []
    for key in MEDIA_KEYS:
        value = inputs.get(key)
        if isinstance(value, str):
            inputs[key] = str(_resolve(base, value))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            inputs[key] = [str(_resolve(base, v)) for v in value]
        else:
            continue
        for path in _media_paths({key: inputs[key]}):
            reason = _check_file(Path(path), "image" if key != "media" else "media file")
            problems += [f"inputs.{key}: {reason}"] if reason else []
    return inputs, problems


def _case(data: dict[str, Any], base: Path, line: int) -> tuple[Case | None, list[str]]:
    problems = [f"{k}: unknown key; valid keys: {', '.join(CASE_KEYS)}" for k in data if k not in CASE_KEYS]
    case_id = data.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        problems.append("id must be a non-empty text")
        case_id = f"<line {line}>"
    if "inputs" not in data:
        problems.append("inputs is missing (the graph's inputs, like {\"question\": \"...\"})")
    inputs, more = _inputs(data.get("inputs", {}), base)
    problems += more
    if "checks" not in data:
        problems.append("checks is missing: a case needs at least one check")
    else:
        problems += check_problems(data["checks"])
    tags, more = _texts(data.get("tags", []), "tags")
    problems += more
    split = data.get("split", "dev")
    if split not in SPLITS:
        problems.append(f"split {json.dumps(split)}: must be one of {', '.join(SPLITS)}")
    answer_field = data.get("field", "answer")
    if not isinstance(answer_field, str) or not answer_field.strip():
        problems.append("field must be the name of an output field (a text)")
    note = data.get("note", "")
    if not isinstance(note, str):
        problems.append("note must be a text")
    if problems:
        return None, problems
    return Case(id=case_id, inputs=inputs, checks=dict(data["checks"]), tags=tags, split=split,
                field=answer_field, note=note, line=line), []


def parse_dataset(text: str, *, path: str | Path) -> Dataset:
    """A dataset from its text; ``path`` names it in messages and its folder is where the
    paths it holds are relative to."""
    name = printable(path)
    path = Path(path).absolute()
    base = path.parent
    problems: list[tuple[int | None, str]] = []
    setup, cases, seen = Setup(), [], {}
    first = True
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append((number, f"not valid JSON: {exc.msg} (column {exc.colno})"))
            first = False
            continue
        if not isinstance(data, dict):
            problems.append((number, f"a line must be a JSON object (a case), not {type(data).__name__}"))
        elif "setup" in data:
            if not first:
                problems.append((number, "the setup header must be the first line"))
            elif set(data) != {"setup"}:
                problems.append((number, "the header holds only \"setup\"; a case has no \"setup\" key"))
            else:
                setup, more = _setup(data["setup"], base)
                problems += [(number, p) for p in more]
        else:
            case, more = _case(data, base, number)
            problems += [(number, p) for p in more]
            if case is not None:
                if case.id in seen:
                    problems.append((number, f"id {case.id!r} is used already at line {seen[case.id]}"))
                else:
                    seen[case.id] = number
                    cases.append(case)
        first = False
    if not cases and not problems:
        problems.append((None, "no cases (one JSON object a line; see the format in agentkit eval --help)"))
    if problems:
        raise DatasetError(name, problems)
    return Dataset(path=path, setup=setup, cases=tuple(cases))


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Read and check a dataset file (UTF-8 JSONL, at most 32 MiB); ``DatasetError`` lists every problem."""
    try:
        data = read_user_file(path, max_bytes=MAX_DATASET_BYTES, what="dataset")
    except UserFileError as exc:
        raise DatasetError(printable(path), [(None, exc.reason)]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DatasetError(printable(path), [(line, "is not UTF-8 text")]) from None
    return parse_dataset(text, path=path)

