"""What a careless or hostile user types gets a message, never a traceback (issue 16).

The command line runs in this process (``agentkit.cli.main(argv)`` returns the exit status),
so hundreds of generated mistakes take seconds: wrong argument types, files of every kind
(fifos, devices, folders, loops, binary and huge files), corrupt run databases and memory
stores, bad inputs and templates that do not fit their values.
"""

from __future__ import annotations

import os
import random
import socket
import time
from pathlib import Path

import pytest

from agentkit.cli import main

# A graph that needs no model: every path through it is reachable with a python node.
PLAIN = """
name: plain
state: {price: {type: any}, line: {type: str}, text: {type: str}}
input: [price]
output: [line]
entry: show
nodes:
  show: {kind: python, function: format_line}
"""
TEMPLATED = """
name: templated
state: {price: {type: any}, line: {type: str}}
input: [price]
output: [line]
entry: say
nodes:
  say: {kind: tool, tool: calculator, args: {expression: "{price:.2f} * 2"}, output: line}
"""
CALC = """
name: calc
state: {expression: {type: str}, result: {type: str}}
input: [expression]
output: [result]
entry: calc
nodes:
  calc: {kind: tool, tool: calculator, args: {expression: "{expression}"}, output: result}
"""


@pytest.fixture()
def hostile(tmp_path: Path) -> dict[str, Path]:
    """Files of every kind a user might name by mistake (or on purpose)."""
    files = {"missing": tmp_path / "missing.yaml", "folder": tmp_path / "folder.yaml"}
    files["folder"].mkdir()
    os.mkfifo(tmp_path / "fifo.yaml")
    files["fifo"] = tmp_path / "fifo.yaml"
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    files["device"] = tmp_path / "zero.yaml"
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    files["loop"] = tmp_path / "loop.yaml"
    files["binary"] = tmp_path / "binary.yaml"
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["huge"] = tmp_path / "huge.yaml"
    files["huge"].write_text("# padding\n" * 200_000)
    files["bomb"] = tmp_path / "bomb.yaml"
    files["bomb"].write_text("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)))
    files["python_tag"] = tmp_path / "tag.yaml"
    files["python_tag"].write_text("name: !!python/object/apply:os.system ['true']\n")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.yaml"))
    files["socket"] = tmp_path / "sock.yaml"
    files["plain"] = tmp_path / "plain.yaml"
    files["plain"].write_text(PLAIN)
    files["templated"] = tmp_path / "templated.yaml"
    files["templated"].write_text(TEMPLATED)
    files["calc"] = tmp_path / "calc.yaml"
    files["calc"].write_text(CALC)
    yield files
    sock.close()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_inputs_from_files_and_standard_input(hostile: dict[str, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str], agentkit_registry: None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import json

    import agentkit

    agentkit.register_function("format_line", lambda state: {"line": f"{len(str(state['price']))} characters"})
    big = tmp_path / "big.txt"
    big.write_text("word " * 40_000)  # 200 KB: more than fits in a command line's arguments
    status, output = _run(["run", str(hostile["plain"]), "-i", f"price=@{big}", "--json"], capsys)
    assert status == 0, output
    assert json.loads(output.splitlines()[-1])["output"] == {"line": "200000 characters"}
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"from a pipe")))
    status, output = _run(["run", str(hostile["plain"]), "-i", "price=@-", "--json"], capsys)
    assert status == 0 and json.loads(output.splitlines()[-1])["output"] == {"line": "11 characters"}
    status, output = _run(["run", str(hostile["plain"]), "-i", "price=@@x", "--json"], capsys)
    assert status == 0 and json.loads(output.splitlines()[-1])["output"] == {"line": "2 characters"}
    for name in ("fifo", "device", "loop", "folder", "missing", "socket"):
        started = time.monotonic()
        status, output = _run(["run", str(hostile["plain"]), "-i", f"price=@{hostile[name]}"], capsys)
        assert status == 2 and "Traceback" not in output, (name, output)
        assert time.monotonic() - started < 2, name
    status, output = _run(["run", str(hostile["plain"]), "-i", f"price=@{hostile['binary']}"], capsys)
    assert status == 2 and "is not UTF-8 text" in output


def test_a_format_spec_that_does_not_fit_and_a_refusing_tool_are_messages(
        hostile: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, output = _run(["run", str(hostile["templated"]), "-i", "price=cheap"], capsys)
    text = " ".join(output.split())
    assert status == 2 and "Traceback" not in output
    assert "price (str)" in text and "needs a number" in text
    status, output = _run(["run", str(hostile["calc"]), "-i", "expression=__import__('os').system('true')"], capsys)
    text = " ".join(output.split())
    assert status == 2 and "Traceback" not in output
    assert "tool 'calculator' refused the call" in text and "allowed" in text


def test_schema_into_a_missing_folder_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, output = _run(["schema", "-o", str(tmp_path / "no" / "such" / "schema.json")], capsys)
    assert status == 2 and "cannot write" in output and "Traceback" not in output


def test_five_hundred_generated_mistakes_get_messages_not_tracebacks(
        hostile: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(16)
    damaged = tmp_path / "damaged"
    (damaged / "memory").mkdir(parents=True)
    (damaged / "memory" / "chroma.sqlite3").write_bytes(b"not a database" * 1000)
    (damaged / "runs.sqlite").write_bytes(b"garbage" * 500)
    files = [str(p) for p in hostile.values()] + ["", "-", "--", "\x1b]0;pwned\x07.yaml", "a\nb.yaml"]
    words = ["", "0", "-5", "1e309", "nan", "abc", "{", "[]", "x" * 5000, "'; DROP TABLE runs; --", "\x00"]
    budgets = ["tokens=-1", "tokens=x", "nope=3", "a.b.c=1", "seconds=0", "llm_calls=1e9", "=", "tokens"]

    def mistake() -> list[str]:
        pick = rng.choice
        kind = rng.randrange(12)
        if kind == 0:
            return ["validate", pick(files), *pick([[], ["--json"], ["--no-resolve"]])]
        if kind == 1:
            return ["show", pick(files), *pick([[], ["--mermaid"], ["--json"]])]
        if kind == 2:
            return ["run", pick(files), "-i", pick([*words, "k", "=v", "price=@" + pick(files)])]
        if kind == 3:
            return ["run", str(hostile["plain"]), "--budget", pick(budgets)]
        if kind == 4:
            return [pick(["resume", "replay"]), pick(words) or "x"]
        if kind == 5:
            return ["fork", pick(words) or "x", "--from", pick(words) or "n"]
        if kind == 6:
            return ["runs", pick(["show", "delete", "list"]), *pick([[pick(words) or "t"], ["--limit", pick(words)]])]
        if kind == 7:
            return ["memory", "query", pick(words) or "q", "-k", pick([*words, "0", "1000"]),
                    *pick([[], ["--filter", pick(words)], ["-c", pick(words)]])]
        if kind == 8:
            return ["memory", "ingest", pick(files), "-c", pick(["docs", "a b", "x", pick(words)]),
                    *pick([[], ["--chunk-size", pick(words)], ["--max-file-mb", pick(words)]])]
        if kind == 9:
            return ["chat", pick(words) or "hi", "--model", pick([*files, "qwen-9000", "nope.gguf"]),
                    *pick([[], ["--max-tokens", pick(words)], ["--n-ctx", pick(words)]])]
        if kind == 10:
            return ["schema", "-o", pick([str(tmp_path / "a" / "b.json"), "/proc/x", str(hostile["folder"])])]
        return [pick(["memory", "runs", "models", "nope", "--nope"]), pick([*words, "list", "stats", "drop"])]

    statuses: dict[int, int] = {}
    for i in range(500):
        argv = mistake()
        # every fifth mistake meets a damaged run database and memory store
        monkeypatch.setenv("AGENTKIT_WORKSPACE", str(damaged if i % 5 == 0 else tmp_path / "ws"))
        started = time.monotonic()
        try:
            status = main(argv)
        except BaseException as exc:
            pytest.fail(f"{argv!r} raised {type(exc).__name__}: {exc}")
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out, argv
        assert status in (0, 1, 2, 3), (argv, status)
        assert time.monotonic() - started < 10, argv
        statuses[status] = statuses.get(status, 0) + 1
    assert statuses.get(2, 0) >= 300, statuses  # most are the user's mistakes, and said so
