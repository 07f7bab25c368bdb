"""agentkit's SQLite saver passes LangGraph's own checkpointer conformance suite
(langgraph-checkpoint-conformance): every capability it offers behaves as LangGraph's
savers must, through the async API that ``ainvoke`` and ``astream`` use."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

from langgraph.checkpoint.conformance import checkpointer_test, validate

from agentkit.runtime.checkpoints import SqliteRunSaver, sqlite_saver


async def test_the_sqlite_run_saver_passes_langgraph_checkpoint_conformance() -> None:
    folder = tempfile.TemporaryDirectory()
    made_so_far = itertools.count()

    @checkpointer_test(name="agentkit SqliteRunSaver")
    async def saver() -> AsyncGenerator[SqliteRunSaver, None]:  # a fresh database per capability suite
        made = sqlite_saver(Path(folder.name) / f"runs-{next(made_so_far)}.sqlite")
        try:
            yield made
        finally:
            made.conn.close()

    try:
        report = await validate(saver)
    finally:
        folder.cleanup()
    detected = {name: result for name, result in report.results.items() if result.detected}
    failures = {name: result.failures for name, result in detected.items() if result.passed is not True}
    assert not failures, failures
    assert {"put", "put_writes", "get_tuple", "list", "delete_thread"} <= set(detected)
    assert report.passed_all_base()
    assert sum(result.tests_passed for result in detected.values()) >= 50  # the suite really ran (58 in 0.0.2)


async def test_the_postgres_run_saver_passes_langgraph_checkpoint_conformance() -> None:
    """The same suite against agentkit's PostgreSQL saver (langgraph-checkpoint-postgres with the
    strict serializer and the async API served from its sync half), on the test server."""
    from agentkit.runtime.postgres import postgres_saver
    from tests._databases import postgres_schema

    schemas: list[Any] = []

    @checkpointer_test(name="agentkit PostgresRunSaver")
    async def saver() -> AsyncGenerator[Any, None]:  # a fresh schema per capability suite
        schema = postgres_schema()
        url = schema.__enter__()
        schemas.append(schema)
        made = postgres_saver(url)
        try:
            yield made
        finally:
            made.conn.close()

    try:
        report = await validate(saver)
    finally:
        for schema in schemas:
            schema.__exit__(None, None, None)
    detected = {name: result for name, result in report.results.items() if result.detected}
    failures = {name: result.failures for name, result in detected.items() if result.passed is not True}
    assert not failures, failures
    assert {"put", "put_writes", "get_tuple", "list", "delete_thread"} <= set(detected)
    assert report.passed_all_base()
    assert sum(result.tests_passed for result in detected.values()) >= 50
