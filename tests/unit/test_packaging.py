"""The wheel carries every package: pyproject lists them explicitly (tools/ maps to agentkit.tools)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> tuple[list[str], dict[str, str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return config["packages"], config.get("package-dir", {})


def test_every_package_folder_is_listed_in_pyproject() -> None:
    packages, package_dir = _declared()
    folders = {"agentkit": ROOT / "agentkit", **{name: ROOT / d for name, d in package_dir.items()}}
    found = set()
    for prefix, base in folders.items():
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base).parts
            found.add(".".join((prefix, *rel)))
    assert sorted(found) == sorted(packages), "pyproject [tool.setuptools] packages is out of date"


def test_tools_install_under_agentkit_not_as_a_bare_name() -> None:
    packages, package_dir = _declared()
    assert "tools" not in packages
    assert package_dir["agentkit.tools"] == "tools"
    import agentkit.tools

    assert Path(agentkit.tools.__file__).parent == ROOT / "tools"


def test_the_wheel_carries_the_engine_tool_packs_and_shipped_graphs(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("agentkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"agentkit/{p.relative_to(ROOT / 'agentkit')}" for p in (ROOT / "agentkit").rglob("*.py")}
    expected |= {f"agentkit/tools/{p.name}" for p in (ROOT / "tools").glob("*.py")}
    expected |= {f"agentkit/graphs/{p.name}" for p in (ROOT / "graphs").glob("*") if p.suffix in (".py", ".yaml")}
    expected |= {f"agentkit/studio/static/{p.name}" for p in (ROOT / "agentkit" / "studio" / "static").iterdir()}
    assert {"agentkit/studio/static/studio.js", "agentkit/studio/static/index.html"} <= expected  # the studio's page
    assert "agentkit/graphs/receipt_reader.yaml" in expected
    assert expected <= names, sorted(expected - names)
    assert not any(n.startswith(("tools/", "graphs/")) for n in names)  # no bare top-level names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "ocr = agentkit.tools.vision:ocr" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_a_shipped_graph_is_found_by_name_from_any_folder(tmp_path: Path, monkeypatch) -> None:
    import pytest

    from agentkit.graphs import GRAPHS_DIR, shipped_graphs
    from agentkit.spec import SpecError, load_spec
    from agentkit.spec.loader import resolve_graph

    monkeypatch.chdir(tmp_path)
    assert "receipt_reader" in shipped_graphs()
    assert load_spec("receipt_reader").name == "receipt_reader"
    assert resolve_graph("receipt_reader", tmp_path) == GRAPHS_DIR / "receipt_reader.yaml"
    with pytest.raises(SpecError, match=r"nor a shipped graph of that name: .*receipt_reader"):
        load_spec("no_such_graph")


def test_every_shipped_graph_validates_and_builds_from_any_folder(tmp_path: Path, monkeypatch) -> None:
    import agentkit
    from agentkit.graphs import shipped_graphs
    from agentkit.testing import scripted

    monkeypatch.chdir(tmp_path)  # subgraphs are found by name, not from the checkout
    names = shipped_graphs()
    assert {"assistant", "rag_qa", "receipt_reader", "image_story", "research"} <= set(names)
    for name in names:
        graph = agentkit.load(name, model_factory=scripted()[0])
        assert graph.get_graph().nodes, name


def test_loading_the_plugins_imports_no_heavy_engine() -> None:
    """A graph with no memory or vision node must not pay for chromadb, onnxruntime or OpenCV."""
    import json
    import subprocess
    import sys

    code = ("import sys, json, agentkit; from agentkit.registry import tool_names, node_kind; "
            "tool_names(); node_kind('retrieve'); "
            "print(json.dumps([m for m in ('chromadb', 'onnxruntime', 'cv2', 'rapidocr', 'llama_cpp') "
            "if m in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []
