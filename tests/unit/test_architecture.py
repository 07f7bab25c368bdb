"""The architecture's rules that import-linter (run by .ci/run) cannot see: private names stay
inside their package, the tool packs know nothing of the engine, and every node kind --
agentkit's own and the example plug-in -- is written with the public plug-in API only."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ("agentkit.registry", "agentkit.spec", "agentkit.nodes", "agentkit.compile", "agentkit.runtime",
          "agentkit.evaluation", "agentkit.recipes", "agentkit.testing", "agentkit.cli", "agentkit.studio")


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[0] == "tools":
        parts[0:1] = ["agentkit", "tools"]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> Iterator[tuple[str, str, int]]:
    """(imported module, imported name or "", line) for every import in ``path``, lazy ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, "", node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name, node.lineno


def _sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def _package(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def test_no_module_imports_a_private_name_from_another_package() -> None:
    offences = []
    for path in _sources("agentkit", "tools"):
        here = _package(_module_name(path), path.name == "__init__.py")
        for module, name, line in _imports(path):
            if not (module == "agentkit" or module.startswith("agentkit.")):
                continue
            private_module = any(part.startswith("_") for part in module.split("."))
            private_name = name.startswith("_") and name != "__version__"
            owner = module if not private_module else module.rpartition(".")[0]
            if (private_module or private_name) and owner != here:
                offences.append(f"{path.relative_to(ROOT)}:{line}: {module} {name}".strip())
    assert not offences, "\n".join(offences)


def test_tool_packs_know_nothing_of_the_engine() -> None:
    offences = [f"{path.relative_to(ROOT)}:{line}: imports {module}" for path in _sources("tools")
                for module, _, line in _imports(path) if module.startswith(ENGINE)]
    assert not offences, "\n".join(offences)


def test_every_node_kind_is_written_with_the_public_plugin_api_only() -> None:
    allowed = ("agentkit.nodes", "agentkit.errors", "agentkit.memory", "agentkit.llm", "agentkit.vision",
               "agentkit.media", "agentkit.words")
    kinds = [p for p in _sources("agentkit/nodes") if p.name != "__init__.py"]
    kinds += _sources("examples/custom_node_kind/agentkit_regex_extract")
    assert len(kinds) >= 15
    offences = [f"{path.relative_to(ROOT)}:{line}: imports {module}" for path in kinds
                for module, _, line in _imports(path)
                if module.startswith("agentkit.") and not module.startswith(allowed)]
    assert not offences, "\n".join(offences)
