"""The core ``agentkit`` commands and the entry point.

Library errors become CLI errors in one place (``main``): a ``UserError`` prints its
message and exits with status 2; a ``TransientError`` (a server or database that may
come back) and any other ``AgentkitError`` print theirs and exit with status 1 --
never a traceback.  Command groups of other concepts live in their own modules of this
package and are added here.
"""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from agentkit.cli.batch import batch_command, with_ray_default
from agentkit.cli.common import DatabaseOption, JsonFlag, ThreadsOption
from agentkit.cli.common import err as _err
from agentkit.cli.common import out as _out
from agentkit.cli.evaluation import eval_command
from agentkit.cli.mcp import mcp_app
from agentkit.cli.memory import memory_app
from agentkit.cli.runs import ApproveFlag, BudgetOption, RejectFlag, TraceOption, fork, replay, resume, runs_app
from agentkit.cli.studio import studio
from agentkit.errors import AgentkitError, TransientError, UserError

__all__ = ["app", "main"]

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Local-first agent graphs on LangGraph and llama.cpp.")
models_app = typer.Typer(no_args_is_help=True, help="Local models: list what is known and installed.")
app.add_typer(models_app, name="models")
app.add_typer(memory_app, name="memory")
app.add_typer(runs_app, name="runs")
app.add_typer(mcp_app, name="mcp")


@models_app.command("list")
def models_list(as_json: JsonFlag = False) -> None:
    """Show each known model: name, size, license, installed or not, path."""
    from agentkit.llm.registry import DEFAULT_MODEL, KNOWN_MODELS, model_status

    rows = []
    for card in KNOWN_MODELS.values():
        installed, path = model_status(card)
        rows.append({"name": card.name, "title": card.title, "size_bytes": card.size_bytes,
                     "license": card.license, "installed": installed, "default": card.name == DEFAULT_MODEL,
                     "path": str(path) if path else None, "tool_router": card.tool_router,
                     "install": None if installed else card.install_command})
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title="agentkit models")
    for column in ("name", "size", "license", "installed", "path / how to install"):
        table.add_column(column)
    for row in rows:
        name = row["name"] + (" (default)" if row["default"] else "")
        table.add_row(name, f"{row['size_bytes'] / 2**20:.0f} MiB", row["license"],
                      "yes" if row["installed"] else "no", row["path"] or row["install"])
    _out.print(table)
    for row in rows:
        if row["tool_router"]:
            _out.print(f"{row['name']}: tool_choice='auto' decisions are taken by {row['tool_router']}'s "
                       "yes/no gate when it is installed (ChatLlamaCpp(tool_router=...) to change).")
    _out.print("Any path to a .gguf file works as a model name too.")


@app.command()
def chat(
    question: Annotated[str, typer.Argument(help="What to ask the model.")],
    model: Annotated[str | None, typer.Option(help="Model name, .gguf path, models file entry or URL of an "
                                              "OpenAI-compatible server (default: the default model).")] = None,
    system: Annotated[str | None, typer.Option(help="A system message.")] = None,
    max_tokens: Annotated[int, typer.Option(help="Most tokens to generate.", min=1)] = 512,
    temperature: Annotated[float, typer.Option(help="Sampling temperature (0: greedy).")] = 0.0,
    seed: Annotated[int | None, typer.Option(help="Random seed for sampling.")] = None,
    n_ctx: Annotated[int | None, typer.Option(help="Context window in tokens (local models; default 8192).",
                                              min=256)] = None,
    threads: ThreadsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Ask the local model one question and stream its answer."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from agentkit.llm import get_chat_model

    settings: dict[str, object] = {"max_tokens": max_tokens, "temperature": temperature, "seed": seed}
    if n_ctx is not None:
        settings["n_ctx"] = n_ctx
    llm = get_chat_model(model, **settings)
    messages = ([SystemMessage(system)] if system else []) + [HumanMessage(question)]
    started = time.perf_counter()
    merged = None
    for chunk in llm.stream(messages):
        merged = chunk if merged is None else merged + chunk
        if not as_json:
            _out.print(chunk.content, end="", markup=False, highlight=False)
    elapsed = time.perf_counter() - started
    usage = dict(merged.usage_metadata or {}) if merged is not None else {}
    if as_json:
        print(json.dumps({"model": llm.model, "answer": merged.content if merged else "",
                          "usage": usage, "seconds": round(elapsed, 3)}))
        return
    _out.print()
    _err.print(f"[dim]{llm.model}: {usage.get('input_tokens', 0)} prompt + "
               f"{usage.get('output_tokens', 0)} generated tokens in {elapsed:.1f} s[/dim]")


@app.command()
def validate(
    file: Annotated[str, typer.Argument(help="A graph spec (YAML).")],
    resolve: Annotated[bool, typer.Option(help="Also resolve the tools, functions and subgraphs it names.")] = True,
    allow_imports: Annotated[bool, typer.Option(help="Let the spec run code of its own while resolving: "
                                                "'module:function' imports, stdio MCP servers' commands.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check a graph spec without running it; every problem is located (file:line: field).

    Besides the spec itself this resolves every tool, function and subgraph it
    names (registered and plug-in ones), so it builds the graph without running it.
    """
    from agentkit.errors import SpecError
    from agentkit.runtime import load
    from agentkit.spec import load_spec

    try:
        spec = load_spec(file)
        if resolve:
            load(spec, allow_imports=allow_imports)
    except SpecError as exc:
        if not as_json:
            raise
        print(json.dumps({"valid": False, "file": file, "problems": [
            {"path": i.path, "line": i.line, "message": i.message} for i in exc.issues]}, indent=2))
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps({"valid": True, "file": file, "name": spec.name, "nodes": list(spec.nodes)}))
    else:
        _out.print(f"{file}: valid ({spec.name}: {len(spec.nodes)} nodes, {len(spec.edges)} edges)")


@app.command()
def show(
    file: Annotated[str, typer.Argument(help="A graph spec (YAML).")],
    mermaid_only: Annotated[bool, typer.Option("--mermaid", help="Print only the Mermaid text.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show a graph: its nodes and edges in the terminal, and as Mermaid text."""
    from rich.tree import Tree

    from agentkit.spec import load_spec
    from agentkit.spec.diagram import edge_list, mermaid

    spec = load_spec(file)
    edges = edge_list(spec)
    if as_json:
        print(json.dumps({"name": spec.name, "entry": spec.entry,
                          "nodes": {n: node.kind for n, node in spec.nodes.items()},
                          "edges": [{"from": a, "to": b, "label": label} for a, b, label in edges],
                          "mermaid": mermaid(spec)}, indent=2))
        return
    if mermaid_only:
        print(mermaid(spec))
        return
    tree = Tree(f"[bold]{spec.name}[/bold] (entry: {spec.entry})")
    for name, node in spec.nodes.items():
        branch = tree.add(f"[cyan]{name}[/cyan] [dim]{node.kind}[/dim]")
        for source, target, label in edges:
            if source == name:
                branch.add(f"-> {target}" + (f" [dim]({escape(label)})[/dim]" if label else ""))
    _out.print(tree)
    _out.print("\n[dim]Mermaid (paste into any Mermaid viewer):[/dim]")
    print(mermaid(spec))


@app.command()
def run(
    file: Annotated[str, typer.Argument(help="A graph spec (YAML).")],
    inputs: Annotated[list[str], typer.Option(
        "--input", "-i", help="key=value (repeatable): JSON or text; key=@FILE reads a text file, key=@- standard "
                              "input, key=@@x is the text @x.")] = [],  # noqa: B006
    allow_imports: Annotated[bool, typer.Option(help="Let the spec run code of its own: python nodes' "
                                                "'module:function' imports, stdio MCP servers' commands.")] = False,
    thread: Annotated[str | None, typer.Option(help="Thread id for the run (default: a new one).")] = None,
    budget: BudgetOption = [],  # noqa: B006
    approve: ApproveFlag = False,
    reject: RejectFlag = False,
    images: Annotated[list[str], typer.Option("--image", help="An image for the graph's 'image' or 'images' input "
                                              "(repeatable; inside the current folder or AGENTKIT_IMAGE_ROOTS).")] = [],  # noqa: B006
    media: Annotated[list[str], typer.Option("--media", help="An audio or video file for the graph's 'media' input "
                                             "(inside the current folder or AGENTKIT_IMAGE_ROOTS).")] = [],  # noqa: B006
    trace: TraceOption = None,
    database: DatabaseOption = None,
    threads: ThreadsOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Run a graph with checkpoints (resumable), streaming node events and tokens live.

    Prints the thread id first; ends with a per-node table (time, LLM calls, tokens)
    and the output state.  --json prints one JSON object per event, the last one the result.
    """
    from agentkit.cli.runs import start_run, tracing_to
    from agentkit.runtime import image_inputs, media_inputs, parse_input_pairs

    given = {**parse_input_pairs(inputs), **image_inputs(file, images), **media_inputs(file, media)}
    with tracing_to(trace):
        start_run(file, given, thread=thread, budget=budget,
                  approve=approve, reject=reject, allow_imports=allow_imports, as_json=as_json, database=database)


for _command in (resume, fork, replay):  # defined with the runs group, listed after `run`
    app.command()(_command)
app.command()(studio)
app.command("eval")(eval_command)
app.command("batch")(batch_command)


@app.command()
def schema(
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Write the JSON Schema of graph spec files (for editors' YAML validation)."""
    from agentkit.spec import spec_json_schema

    text = json.dumps(spec_json_schema(), indent=2)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        except OSError as exc:
            raise UserError(f"cannot write {output}: {exc.strerror or exc}; give a path in an existing "
                            f"folder you may write to") from None
        _err.print(f"wrote {output}; add '# yaml-language-server: $schema={output}' to a spec file")
    else:
        print(text)


def main(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: the process's arguments) in this process;
    return the exit status (library errors become messages here, never tracebacks)."""
    import sys

    argv = with_ray_default(list(sys.argv[1:] if argv is None else argv))
    try:
        app(args=argv, prog_name="agentkit")  # click handles usage errors itself (exit status 2)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    except UserError as exc:
        _err.print(f"[bold red]error:[/bold red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return 2
    except TransientError as exc:
        _err.print(f"[bold red]error ({type(exc).__name__}):[/bold red] {escape(str(exc))} "
                   f"[dim](this may pass: try again)[/dim]", highlight=False, soft_wrap=True)
        return 1
    except AgentkitError as exc:
        _err.print(f"[bold red]error ({type(exc).__name__}):[/bold red] {escape(str(exc))}", highlight=False,
                   soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        _err.print("interrupted")
        return 130
    return 0
