"""A batch's inputs: one JSON object per line of a JSONL file, each checked against the graph.

Every line becomes a ``BatchItem`` -- a run to do, or a problem to record: a line that is not
JSON, not an object, or whose inputs the graph refuses (a missing input, one the graph does
not declare, an image file that is not there) is recorded as failed with its line number and
what is wrong, and the other lines still run.  Image paths (``image``, ``images``) are relative
to the inputs file's folder.

An input's key is ``sha256(graph name, canonical JSON of its inputs, model override)``; its run's
thread id is derived from the key, so a re-run finds the run an earlier batch started (done:
its result is written again without running; unfinished: resumed from its checkpoint).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.files import open_user_file, shown
from agentkit.spec import GraphSpec

__all__ = ["MAX_LINE_BYTES", "BatchItem", "input_key", "read_inputs", "thread_for"]

MAX_LINE_BYTES = 1 << 20  # one input line; a longer one is recorded as a problem, not read whole
MAX_INPUTS_BYTES = 1 << 30  # the whole file
IMAGE_FIELDS = ("image", "images")


@dataclass(kw_only=True)
class BatchItem:
    """One line of the inputs file: the inputs of a run, or why it cannot run (``problem``)."""

    line: int
    key: str
    thread_id: str
    inputs: dict[str, Any] = field(default_factory=dict)
    problem: str = ""
    attempt: int = 0  # how many times a worker died while running it

    def to_task(self) -> dict[str, Any]:
        """What a worker gets (plain data: it crosses process and machine boundaries)."""
        return {"line": self.line, "key": self.key, "thread_id": self.thread_id, "inputs": self.inputs}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def input_key(graph: str, inputs: Any, model: str | None = None) -> str:
    """The key of one input of a batch of ``graph`` (the same input gives the same key in every batch)."""
    text = f"{graph}\n{canonical(inputs)}\n{model or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def thread_for(key: str) -> str:
    """The thread id of the run for an input key."""
    return f"batch-{key[:20]}"


def _problems(spec: GraphSpec, inputs: dict[str, Any], folder: Path) -> tuple[dict[str, Any], str]:
    """The inputs with image paths made absolute, and what the graph would refuse ("" if nothing)."""
    declared = list(spec.input or spec.state)
    unknown = [k for k in inputs if k not in declared]
    if unknown:
        return inputs, (f"{unknown[0]!r} is not an input of graph {spec.name!r}; its inputs: "
                        f"{', '.join(declared) or 'none'}")
    missing = spec.missing_inputs(dict(inputs))
    if missing:
        return inputs, f"graph {spec.name!r} needs input {', '.join(map(repr, missing))} (declared under input:)"
    fixed = dict(inputs)
    for name in IMAGE_FIELDS:
        value = fixed.get(name)
        paths = [value] if isinstance(value, str) else value if isinstance(value, list) else None
        if paths is None:
            continue
        resolved = []
        for item in paths:
            if not isinstance(item, str):
                return inputs, f"{name}: an image is a path (a string), not {type(item).__name__}"
            path = Path(item).expanduser()
            path = path if path.is_absolute() else folder / path
            if not path.is_file():
                return inputs, f"{name}: image file {shown(path)} does not exist"
            resolved.append(str(path))
        fixed[name] = resolved[0] if isinstance(value, str) else resolved
    return fixed, ""


def read_inputs(path: str | Path, spec: GraphSpec, *, model: str | None = None) -> Iterator[BatchItem]:
    """Every non-blank line of the JSONL file at ``path`` as a ``BatchItem`` (lines numbered from 1).

    The file is opened as a user file (``agentkit.files``: a regular file, bounded reads); a file
    that cannot be opened is a ``UserError`` before anything runs."""
    source = Path(path).expanduser()
    with open_user_file(source, what="inputs file", max_bytes=MAX_INPUTS_BYTES) as handle, \
            os.fdopen(os.dup(handle.fileno()), "rb") as file:
        folder = source.absolute().parent
        for number, raw in enumerate(_lines(file), 1):
            if raw is None:  # longer than MAX_LINE_BYTES
                key = input_key(spec.name, {"line": number, "problem": "too long"}, model)
                yield BatchItem(line=number, key=key, thread_id=thread_for(key),
                                problem=f"longer than {MAX_LINE_BYTES:,} bytes")
                continue
            text = raw.strip()
            if not text:
                continue
            try:
                value = json.loads(text)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                key = input_key(spec.name, {"raw": text.decode("utf-8", "replace")}, model)
                yield BatchItem(line=number, key=key, thread_id=thread_for(key),
                                problem=f"not JSON ({exc})")
                continue
            key = input_key(spec.name, value, model)
            if not isinstance(value, dict):
                yield BatchItem(line=number, key=key, thread_id=thread_for(key),
                                problem=f"a line is a JSON object of the graph's inputs, not "
                                        f"{type(value).__name__}")
                continue
            inputs, problem = _problems(spec, value, folder)
            yield BatchItem(line=number, key=key, thread_id=thread_for(key), inputs=inputs,
                            problem=problem)


def _lines(file: Any) -> Iterator[bytes | None]:
    """The file's lines as bytes; None for a line longer than ``MAX_LINE_BYTES`` (skipped, not held)."""
    while True:
        line = file.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # drop the rest of the long line
                rest = file.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line
