"""``agentkit memory ...``: ingest files, query, list, stats and drop collections."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from agentkit.cli.common import JsonFlag
from agentkit.cli.common import err as _err
from agentkit.cli.common import out as _out
from agentkit.errors import UserError

__all__ = ["memory_app"]

memory_app = typer.Typer(no_args_is_help=True,
                         help="Retrieval memory: ingest documents into Chroma collections and search them.")

UrlOption = Annotated[str | None, typer.Option(
    "--url", envvar="AGENTKIT_CHROMA_URL",
    help="A Chroma server (http://HOST:PORT) instead of the embedded store in the workspace.")]
CollectionOption = Annotated[str, typer.Option("--collection", "-c", help="The collection's name.")]


def _store(url: str | None) -> Any:
    from agentkit.memory.store import get_store

    return get_store(url=url)


@memory_app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files and folders (txt, md, html, pdf).")],
    collection: CollectionOption = "memory",
    chunk_size: Annotated[int, typer.Option(help="Most characters per chunk.", min=50)] = 800,
    chunk_overlap: Annotated[int, typer.Option(help="Characters shared by neighbouring chunks.", min=0)] = 100,
    max_file_mb: Annotated[float, typer.Option(help="Skip files larger than this (MiB).", min=0)] = 100.0,
    prune: Annotated[bool, typer.Option(help="Remove the chunks of files gone from the folders given.")] = False,
    url: UrlOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Add files and folders to a collection (unchanged files are skipped; changed ones replaced)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from agentkit.memory.ingest import ingest as run_ingest
    from agentkit.memory.store import check_collection_name

    check_collection_name(collection)
    store = _store(url)
    with Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=_err, transient=True, disable=as_json or not _err.is_terminal) as bar:
        task = bar.add_task("ingest", total=None)
        report = run_ingest(paths, collection, store=store, chunk_size=chunk_size, chunk_overlap=chunk_overlap,
                            max_file_bytes=int(max_file_mb * 2**20), prune=prune,
                            progress=lambda done, total: bar.update(task, completed=done, total=total))
    if as_json:
        print(json.dumps(report.to_dict(), indent=2))
        return
    counts = ", ".join(f"{n} {status}" for status, n in sorted(report.counts().items())) or "no files"
    _out.print(f"{collection} ({report.location}): {counts}; "
               f"{report.chunks_added} chunks added, {report.chunks_removed} removed")
    for source, chunks in report.pruned.items():
        _out.print(f"  pruned {escape(source)} ({chunks} chunks): its file is gone", highlight=False)
    if report.skipped:
        _err.print(f"[yellow]warning:[/yellow] skipped {len(report.skipped)} file(s):")
        for item in report.skipped:
            _err.print(f"  {escape(item.path)}: {escape(item.reason)}", highlight=False, soft_wrap=True)


@memory_app.command()
def query(
    text: Annotated[str, typer.Argument(help="What to look for.")],
    collection: CollectionOption = "memory",
    k: Annotated[int, typer.Option("-k", "--k", help="How many hits.", min=1, max=100)] = 4,
    where: Annotated[str | None, typer.Option(
        "--filter", help='A Chroma metadata filter as JSON, e.g. \'{"source": "docs/a.md"}\'.')] = None,
    mmr: Annotated[bool, typer.Option(help="Diversify the hits (maximal marginal relevance).")] = False,
    hybrid: Annotated[bool, typer.Option(help="Rank by words (BM25) as well as by meaning, fused.")] = False,
    url: UrlOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Search a collection by meaning (--hybrid: and by words); prints each hit's text, source and score."""
    from agentkit.memory.store import MMR

    try:
        parsed = json.loads(where) if where else None
    except ValueError as exc:
        raise UserError(f"--filter {where!r} is not JSON ({exc})") from None
    if parsed is not None and not isinstance(parsed, dict):
        raise UserError("--filter must be a JSON object, e.g. '{{\"source\": \"docs/a.md\"}}'")
    hits = _store(url).query(collection, text, k=k, where=parsed, mmr=MMR() if mmr else None, hybrid=hybrid)
    if as_json:
        print(json.dumps({"collection": collection, "query": text, "hits": [h.to_dict() for h in hits]}, indent=2))
        return
    if not hits:
        _out.print(f"no hits in {collection!r}")
    for n, hit in enumerate(hits, 1):
        page = f" p.{hit.metadata['page']}" if "page" in hit.metadata else ""
        _out.print(f"[bold]{n}.[/bold] [cyan]{escape(str(hit.source))}{page}[/cyan] "
                   f"[dim]score {hit.score:.3f}[/dim]")
        _out.print(escape(hit.text), highlight=False)
        _out.print()


@memory_app.command("list")
def list_collections(url: UrlOption = None, as_json: JsonFlag = False) -> None:
    """List the collections and how many chunks each holds."""
    store = _store(url)
    rows = [{"name": name, "chunks": store.count(name)} for name in store.collection_names()]
    if as_json:
        print(json.dumps({"store": store.location, "collections": rows}, indent=2))
        return
    if not rows:
        _out.print(f"no collections in {store.location}")
        return
    _out.print(f"memory collections in {store.location}:")
    table = Table()
    table.add_column("name")
    table.add_column("chunks", justify="right")
    for row in rows:
        table.add_row(row["name"], str(row["chunks"]))
    _out.print(table)


@memory_app.command()
def stats(collection: CollectionOption = "memory", url: UrlOption = None, as_json: JsonFlag = False) -> None:
    """Show a collection's size, its sources and the embedding model."""
    from agentkit.memory.embeddings import EMBEDDING_MODEL

    store = _store(url)
    sources = store.sources(collection)
    data = {"collection": collection, "store": store.location, "chunks": sum(sources.values()),
            "sources": dict(sorted(sources.items())), "embedding_model": EMBEDDING_MODEL.name,
            "dimension": EMBEDDING_MODEL.dimension}
    if as_json:
        print(json.dumps(data, indent=2))
        return
    _out.print(f"{collection} in {store.location}: {data['chunks']} chunks from {len(sources)} sources "
               f"({EMBEDDING_MODEL.name}, {EMBEDDING_MODEL.dimension} dimensions)")
    table = Table()
    table.add_column("source")
    table.add_column("chunks", justify="right")
    for source, count in sorted(sources.items()):
        table.add_row(escape(source), str(count))
    _out.print(table)


@memory_app.command()
def drop(
    collection: Annotated[str, typer.Argument(help="The collection to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    url: UrlOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Delete a collection and everything in it."""
    store = _store(url)
    count = store.count(collection)  # a missing collection fails here, before the question
    if not yes and not typer.confirm(f"delete {collection!r} ({count} chunks) from {store.location}?"):
        raise typer.Exit(1)
    store.drop(collection)
    if as_json:
        print(json.dumps({"dropped": collection, "chunks": count, "store": store.location}))
    else:
        _out.print(f"dropped {collection} ({count} chunks)")


AnswersOption = Annotated[str, typer.Option("--collection", "-c", help="Where answers are remembered.")]


@memory_app.command()
def forget(
    question: Annotated[str, typer.Argument(help="The question whose remembered answer to forget.")],
    collection: AnswersOption = "answers",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    url: UrlOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Forget a remembered answer: asking the question again goes back to the documents."""
    from agentkit.memory.notes import forget_answer, remembered_answers

    _store(url)
    found = remembered_answers(question, collection=collection)
    if not found:
        raise UserError(f"no remembered answer to {question!r} in {collection!r}")
    if not yes and not as_json:
        for hit in found:
            _out.print(f"  {escape(hit.text)} -> {escape(str(hit.metadata.get('answer', '')))}", highlight=False)
        if not typer.confirm(f"forget {len(found)} remembered answer(s)?"):
            raise typer.Exit(1)
    forgotten = forget_answer(question, collection=collection)
    if as_json:
        print(json.dumps({"forgotten": [{"question": h.text, "answer": h.metadata.get("answer")} for h in forgotten]}))
    else:
        _out.print(f"forgot {len(forgotten)} remembered answer(s)")


@memory_app.command()
def correct(
    question: Annotated[str, typer.Argument(help="The question whose remembered answer to correct.")],
    answer: Annotated[str, typer.Option("--answer", help="The right answer, remembered in place of the old one.")],
    collection: AnswersOption = "answers",
    url: UrlOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Correct a remembered answer (or remember one): the next ask gets this answer."""
    from agentkit.memory.notes import correct_answer

    _store(url)
    if not answer.strip():
        raise UserError("--answer is empty; give the right answer, or use `agentkit memory forget`")
    ids = correct_answer(question, answer.strip(), collection=collection)
    if as_json:
        print(json.dumps({"question": question, "answer": answer.strip(), "ids": ids}))
    else:
        _out.print(f"remembered the corrected answer to {escape(question)!r}")
