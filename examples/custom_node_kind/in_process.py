"""The in-process alternative to the entry point: register a node kind from your own code.

    .venv/bin/python examples/custom_node_kind/in_process.py "Mail ana@example.org or bo@example.com"

No package to install: ``agentkit.register_node_kind`` adds the kind for this process;
register it before a spec that uses it is loaded or built.  (Installed with pip, the
package's entry point registers the same ``NodeKind`` in every process instead.)
"""

from __future__ import annotations

import json
import sys

# This script's folder is on sys.path when it runs, so the package imports without being installed.
from agentkit_regex_extract import REGEX_EXTRACT

import agentkit
from agentkit.spec import GraphBuilder

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    agentkit.register_node_kind(REGEX_EXTRACT)  # a NodeKind(name=..., spec=..., build=...)
    spec = (GraphBuilder("emails")
            .field("text", "str").field("emails", "list")
            .inputs("text").outputs("emails")
            .node("find", "regex_extract", text="{text}", pattern=r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", output="emails")
            .build())
    graph = agentkit.load(spec)  # a LangGraph graph: invoke, stream...
    print(json.dumps(graph.invoke({"text": " ".join(args) or "Write to ana@example.org."})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
