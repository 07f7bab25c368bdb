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
