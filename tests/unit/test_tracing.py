"""OpenTelemetry traces of runs: spans and their parent/child structure (a subgraph, an agent's
tool loop, a map fan-out), the GenAI attributes, the CLI's --trace and AGENTKIT_TRACE, and what
recording keeps for the studio (prompts, time, nested nodes) without breaking replay."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import agentkit
from agentkit import tracing
from agentkit.cli import main
from agentkit.runtime import Runner
from agentkit.runtime.store import SqliteRunStore
from agentkit.testing import scripted

CHILD = """
name: child
entry: answer
state: {q: {type: str}, a: {type: str}}
input: [q]
output: [a]
nodes:
  answer: {kind: llm, prompt: "Q: {q}", output: a}
"""

PARENT = """
name: parent
entry: sub
state: {q: {type: str}, a: {type: str}, xs: {type: list}, out: {type: list, reducer: append}, answer: {type: str}}
input: [q, xs]
nodes:
  sub: {kind: subgraph, graph: child.yaml, inputs: {q: q}, outputs: {a: a}}
  agent: {kind: agent, prompt: "Work out {a}", tools: [calculator], max_steps: 3, output: answer}
  fan: {kind: map, over: xs, node: double, item: item, output: out}
  double: {kind: python, function: double, output: out}
edges: [{from: sub, to: agent}, {from: agent, to: fan}]
"""


@pytest.fixture
def graphs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agentkit_registry) -> Path:
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv(tracing.ENV_VAR, raising=False)
    (tmp_path / "child.yaml").write_text(CHILD)
    (tmp_path / "parent.yaml").write_text(PARENT)
    agentkit.register_function("double", lambda state: state["item"] * 2)
    yield tmp_path
    tracing.disable()


def _factory():
    call = AIMessage("", tool_calls=[{"name": "calculator", "args": {"expression": "6*7"}, "id": "call-1"}])
    return scripted("the child's answer", call, "It is 42.", "a second answer")[0]


def _tree(spans) -> list[tuple[int, str]]:
    """(depth, name) in start order, children under their parent."""
    children: dict[int | None, list] = {}
    for span in sorted(spans, key=lambda s: s.start_time):
        children.setdefault(span.parent.span_id if span.parent else None, []).append(span)
    rows: list[tuple[int, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for span in children.get(parent, []):
            rows.append((depth, span.name))
            walk(span.context.span_id, depth + 1)

    walk(None, 0)
    return rows


def test_a_run_is_one_trace_of_workflow_nodes_llm_and_tool_calls(graphs: Path) -> None:
    exporter = InMemorySpanExporter()
    tracing.enable(exporter)
    with Runner(graphs / "runs.sqlite", model_factory=_factory()) as runner:
        result = runner.start(graphs / "parent.yaml", {"q": "six sevens?", "xs": [1, 2, 3]}, thread_id="t1")
    assert result.status == "done" and result.values["out"] == [2, 4, 6]
    spans = exporter.get_finished_spans()
    assert len({s.context.trace_id for s in spans}) == 1
    assert _tree(spans) == [
        (0, "invoke_workflow parent"),
        (1, "sub"),
        (2, "answer"),  # the subgraph's own node, under the node that ran it
        (3, "chat generic-fake-chat-model"),
        (1, "invoke_agent agent"),
        (2, "chat generic-fake-chat-model"),
        (2, "execute_tool calculator"),
        (2, "chat generic-fake-chat-model"),
        (1, "fan"),
        (1, "double"), (1, "double"), (1, "double"),  # the fan-out's three sends
    ]
    by_name = {s.name: s for s in spans}
    workflow = by_name["invoke_workflow parent"].attributes
    assert workflow["gen_ai.operation.name"] == "invoke_workflow"
    assert workflow["gen_ai.workflow.name"] == "parent" and workflow["gen_ai.conversation.id"] == "t1"
    assert workflow["agentkit.run.status"] == "done"
    agent = by_name["invoke_agent agent"].attributes
    assert agent["gen_ai.operation.name"] == "invoke_agent" and agent["agentkit.node.kind"] == "agent"
    tool = by_name["execute_tool calculator"].attributes
    assert tool["gen_ai.operation.name"] == "execute_tool" and tool["gen_ai.tool.name"] == "calculator"
    chats = [s for s in spans if s.name.startswith("chat ")]
    assert all(s.attributes["gen_ai.operation.name"] == "chat" for s in chats)
    assert [s.attributes["gen_ai.usage.input_tokens"] for s in chats] == [10, 10, 10]
    assert chats[0].attributes["gen_ai.usage.output_tokens"] == 3  # "the child's answer": three words
    assert by_name["sub"].attributes["agentkit.node.kind"] == "subgraph"


def test_an_active_handler_traces_llm_and_tool_calls_without_being_in_the_callbacks(graphs: Path) -> None:
    """An agentkit-compiled graph run with an active handler and no callbacks at all: the nodes time
    themselves and the handler reaches the LLM and tool calls made inside them, the same tree as a
    runner's run (and as with the handler also in the callbacks: no call is traced twice)."""
    from langchain_core.messages import HumanMessage

    from agentkit.compile import compile_spec
    from agentkit.spec import load_spec

    expected = [(0, "invoke_workflow parent"), (1, "sub"), (2, "answer"), (3, "chat generic-fake-chat-model"),
                (1, "invoke_agent agent"), (2, "chat generic-fake-chat-model"), (2, "execute_tool calculator"),
                (2, "chat generic-fake-chat-model"), (1, "fan"), (1, "double"), (1, "double"), (1, "double")]
    for config in ({}, "callbacks"):
        factory = _factory()
        graph = compile_spec(load_spec(graphs / "parent.yaml"), model_factory=factory)
        exporter = InMemorySpanExporter()
        handler = tracing.TraceHandler(provider=tracing.enable(exporter), kinds={})
        handler.open_workflow("parent", "t")
        with handler:
            values = graph.invoke({"q": "six sevens?", "xs": [1, 2, 3]},
                                  {"callbacks": [handler]} if config == "callbacks" else {})
        assert values["out"] == [2, 4, 6] and values["answer"] == "It is 42."
        spans = exporter.get_finished_spans()
        assert _tree(spans) == expected, config
        chats = [s for s in spans if s.name.startswith("chat ")]
        assert [s.attributes["gen_ai.usage.input_tokens"] for s in chats] == [10, 10, 10]
        tool = next(s for s in spans if s.name == "execute_tool calculator")
        assert tool.attributes["gen_ai.tool.name"] == "calculator"
        # outside a traced node nothing reaches the handler: a model called after the run is not traced
        assert tracing._CALLS.get() is None and tracing._CURRENT.get() is None
        factory("x").invoke([HumanMessage("after the run")])
        assert len(exporter.get_finished_spans()) == len(spans)


def test_a_trace_not_sampled_or_a_tracer_not_the_sdk_s_runs_the_graph_and_exports_nothing(graphs: Path) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
    from opentelemetry.trace import NoOpTracerProvider

    from agentkit.compile import compile_spec
    from agentkit.spec import load_spec

    exporter = InMemorySpanExporter()
    unsampled = TracerProvider(sampler=ALWAYS_OFF)
    unsampled.add_span_processor(SimpleSpanProcessor(exporter))
    for provider in (unsampled, NoOpTracerProvider()):
        graph = compile_spec(load_spec(graphs / "parent.yaml"), model_factory=_factory())
        handler = tracing.TraceHandler(provider=provider)
        handler.open_workflow("parent", "t")
        with handler:
            values = graph.invoke({"q": "six sevens?", "xs": [1, 2, 3]})
        assert values["out"] == [2, 4, 6] and values["answer"] == "It is 42."
        assert tracing._CURRENT.get() is None
    assert exporter.get_finished_spans() == ()


def test_node_spans_encode_as_otlp_and_console_json_like_the_sdk_s_own(graphs: Path) -> None:
    """Node, LLM and tool spans are agentkit's ``ReadableSpan`` subclass, filled in as they run: the
    OTLP encoder and the console exporter read them exactly as the SDK's own workflow span."""
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans

    exporter = InMemorySpanExporter()
    tracing.enable(exporter)
    with Runner(graphs / "runs.sqlite", model_factory=_factory()) as runner:
        runner.start(graphs / "parent.yaml", {"q": "six sevens?", "xs": [1, 2, 3]}, thread_id="t1")
    spans = exporter.get_finished_spans()
    encoded = [s for r in encode_spans(spans).resource_spans for scope in r.scope_spans for s in scope.spans]
    assert sorted(s.name for s in encoded) == sorted(s.name for s in spans) and len(encoded) == 12
    ids = {s.span_id for s in encoded}
    root = next(s for s in encoded if not s.parent_span_id)
    assert root.name == "invoke_workflow parent" and all(s.parent_span_id in ids for s in encoded if s is not root)
    assert all(s.end_time_unix_nano >= s.start_time_unix_nano > 0 for s in encoded)
    chat = next(s for s in encoded if s.name.startswith("chat "))
    assert {a.key: a.value.int_value for a in chat.attributes}["gen_ai.usage.input_tokens"] == 10
    for span in spans:
        shown = json.loads(span.to_json())
        assert shown["name"] == span.name and shown["context"]["span_id"] == f"0x{span.context.span_id:016x}"
        assert shown["kind"] == "SpanKind.INTERNAL" and shown["status"]["status_code"] in ("UNSET", "ERROR")
    assert {s.instrumentation_scope.name for s in spans} == {"agentkit"}


def test_the_tool_route_decision_and_cache_reuse_are_span_attributes() -> None:
    from langchain_core.outputs import ChatGeneration, LLMResult

    exporter = InMemorySpanExporter()
    provider = tracing.enable(exporter)
    try:
        handler = tracing.TraceHandler(provider=provider)
        import uuid

        run_id = uuid.uuid4()
        handler.on_chat_model_start({}, [[]], run_id=run_id, invocation_params={
            "model": "qwen2.5-coder-0.5b", "_type": "agentkit-llamacpp", "temperature": 0.0, "max_tokens": 64,
            "tools": [{"type": "function", "function": {"name": "ocr"}}], "tool_choice": "auto"})
        reply = AIMessage("", tool_calls=[{"name": "ocr", "args": {}, "id": "c"}],
                          usage_metadata={"input_tokens": 900, "output_tokens": 12, "total_tokens": 912,
                                          "input_token_details": {"cache_read": 850}},
                          response_metadata={"model_name": "qwen2.5-coder-0.5b", "finish_reason": "tool_calls",
                                             "tool_route": {"tool": "ocr", "p_yes": 0.91,
                                                            "probabilities": {"ocr": 0.8, "none": 0.2}}})
        handler.on_llm_end(LLMResult(generations=[[ChatGeneration(message=reply)]]), run_id=run_id)
    finally:
        tracing.disable()
    (span,) = exporter.get_finished_spans()
    assert span.name == "chat qwen2.5-coder-0.5b"
    attributes = span.attributes
    assert attributes["gen_ai.provider.name"] == "llama.cpp"
    assert attributes["gen_ai.request.temperature"] == 0.0 and attributes["gen_ai.request.max_tokens"] == 64
    assert attributes["gen_ai.usage.cache_read.input_tokens"] == 850
    assert attributes["gen_ai.response.finish_reasons"] == ("tool_calls",)
    assert attributes["agentkit.tool_route.tool"] == "ocr" and attributes["agentkit.tool_route.p_yes"] == 0.91
    assert json.loads(attributes["agentkit.tool_route.probabilities"]) == {"none": 0.2, "ocr": 0.8}
    assert attributes["agentkit.request.tools"] == ("ocr",)


def test_tracing_is_off_unless_asked(graphs: Path) -> None:
    assert not tracing.active()
    assert tracing.run_handler("g", "t") is None


def test_cli_trace_console_prints_spans_on_stderr_and_keeps_json_on_stdout(graphs: Path, capsys,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("agentkit.cli.runs.Runner", _runner_with(_factory()))
    status = main(["run", str(graphs / "parent.yaml"), "-i", "q=hi", "-i", "xs=[1]", "--json", "--trace", "console"])
    assert status == 0
    out, err = capsys.readouterr()
    assert all(json.loads(line) for line in out.splitlines())  # stdout is still one JSON object a line
    assert '"name": "invoke_workflow parent"' in err and '"gen_ai.operation.name": "execute_tool"' in err
    assert not tracing.active()  # flushed and off after the command


def test_agentkit_trace_variable_turns_tracing_on_and_a_bad_value_is_a_clear_error(
        graphs: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("agentkit.cli.runs.Runner", _runner_with(_factory()))
    monkeypatch.setenv(tracing.ENV_VAR, "console")
    assert main(["run", str(graphs / "parent.yaml"), "-i", "q=hi", "-i", "xs=[]", "--json"]) == 0
    assert '"name": "chat generic-fake-chat-model"' in capsys.readouterr().err
    monkeypatch.setenv(tracing.ENV_VAR, "jaeger")
    assert main(["run", str(graphs / "parent.yaml"), "-i", "q=hi", "-i", "xs=[]"]) == 2
    assert "unknown trace exporter 'jaeger'; valid: console, otlp" in capsys.readouterr().err
    monkeypatch.delenv(tracing.ENV_VAR)
    assert main(["run", str(graphs / "parent.yaml"), "-i", "q=hi", "-i", "xs=[]", "--trace", "zipkin"]) == 2


def _runner_with(factory):
    class Scripted(Runner):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "model_factory": factory})

    return Scripted


def test_recorded_calls_keep_prompt_time_and_place_and_nested_nodes_are_history(graphs: Path) -> None:
    with Runner(graphs / "runs.sqlite", model_factory=_factory()) as runner:
        result = runner.start(graphs / "parent.yaml", {"q": "six sevens?", "xs": [1]}, thread_id="t2")
        calls = runner.llm_calls("t2")
        tools = runner.tool_calls("t2")
        top = runner.history("t2")
        everything = runner.history("t2", nested=True)
        runner.start(graphs / "child.yaml", {"q": "again"}, thread_id="t3")
        replayed = runner.replay("t3")
    assert replayed.matches and replayed.status == "done"  # replay keys on the hash: unchanged
    first = calls[0]
    assert first.prompt["messages"][-1]["data"]["content"] == "Q: six sevens?"
    assert first.ms is not None and first.ms >= 0
    assert first.namespace.startswith("sub:") and "|answer:" in first.namespace
    tool_turn = calls[2].prompt["messages"]  # the agent's second call: its prompt holds the tool's result
    assert [m["type"] for m in tool_turn] == ["human", "ai", "tool"] and tool_turn[-1]["data"]["content"] == "42"
    (tool,) = tools  # the agent's tool loop: recorded where its LLM calls are, for the studio's timeline
    assert (tool.name, tool.status, tool.args, tool.output) == ("calculator", "ok", '{"expression": "6*7"}', "42")
    assert tool.node == "agent" and tool.namespace == calls[1].namespace == calls[2].namespace
    assert calls[1].created <= tool.started <= calls[2].created and tool.ms >= 0
    assert [e.node for e in top] == ["sub", "agent", "fan", "double"]
    nested = [e for e in everything if e.parent]
    assert [e.node for e in nested] == ["answer"] and nested[0].parent.startswith("sub:")
    sub = next(e for e in top if e.node == "sub")
    assert nested[0].parent == f"sub:{sub.task}"
    assert result.nodes[0].node == "sub"  # the per-node table counts top-level nodes only


def test_a_database_from_before_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            CREATE TABLE agentkit_node_events (id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL, node TEXT NOT NULL,
              started REAL NOT NULL, seconds REAL NOT NULL, llm_calls INTEGER NOT NULL, tokens INTEGER NOT NULL,
              status TEXT NOT NULL);
            CREATE TABLE agentkit_llm_calls (id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL, node TEXT NOT NULL,
              prompt_hash TEXT NOT NULL, params TEXT NOT NULL, model TEXT, model_sha256 TEXT, output TEXT NOT NULL,
              input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, created REAL NOT NULL);
            INSERT INTO agentkit_node_events VALUES (1, 't', 'a', 1.0, 0.5, 1, 10, 'ok');
            INSERT INTO agentkit_llm_calls VALUES (1, 't', 'a', 'h', '{}', NULL, NULL, '{}', 5, 5, 1.0);
        """)
    store = SqliteRunStore(path)
    try:
        (event,) = store.node_events("t")
        assert (event.node, event.task, event.parent) == ("a", "", "")
        (call,) = store.llm_calls("t")
        assert call.prompt is None and call.ms is None and call.namespace == ""
    finally:
        store.close()


def test_cli_trace_otlp_sends_the_spans_to_the_collector_named_by_the_environment(
        graphs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real OTLP/HTTP exchange with a collector stand-in on loopback that decodes what it gets."""
    import http.server
    import threading

    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    received: list[ExportTraceServiceRequest] = []

    class Collector(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            received.append((self.path, request))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
        monkeypatch.setattr("agentkit.cli.runs.Runner", _runner_with(_factory()))
        assert main(["run", str(graphs / "parent.yaml"), "-i", "q=hi", "-i", "xs=[1]", "--trace", "otlp"]) == 0
    finally:
        server.shutdown()
    assert received and {path for path, _ in received} == {"/v1/traces"}
    spans = [span for _, request in received for resource in request.resource_spans
             for scope in resource.scope_spans for span in scope.spans]
    names = {span.name for span in spans}
    assert {"invoke_workflow parent", "sub", "answer", "invoke_agent agent", "execute_tool calculator"} <= names
    assert len({span.trace_id for span in spans}) == 1


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("collector", ["none listening", "never answers"])
def test_cli_trace_otlp_ends_promptly_when_the_collector_is_down_or_hangs(
        graphs: Path, monkeypatch: pytest.MonkeyPatch, caplog, collector: str) -> None:
    """The SDK's defaults would retry for 10 s and then wait up to 30 s to shut down; a command's
    wait for its spans is bounded by the export timeout (1 s here) and half a second."""
    import socket
    import time

    listener = None
    if collector == "none listening":
        port = _closed_port()
    else:  # accepts the connection, never sends a byte back
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
    try:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{port}")
        monkeypatch.setattr("agentkit.cli.runs.Runner", _runner_with(_factory()))
        started = time.perf_counter()
        assert main(["run", str(graphs / "parent.yaml"), "-i", "q=hi", "-i", "xs=[1]", "--trace", "otlp"]) == 0
        took = time.perf_counter() - started
    finally:
        if listener is not None:
            listener.close()
    assert took < tracing.flush_seconds() + 2.0, f"the command took {took:.1f} s"
    assert not tracing.active()
    assert "Failed to export spans batch" in caplog.text  # the lost spans are reported, not hidden


def test_otlp_export_timeout_comes_from_the_environment_and_a_bad_value_is_a_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TIMEOUT", raising=False)
    assert tracing.flush_seconds() == tracing.OTLP_TIMEOUT_S + 0.5
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "5")
    assert tracing.flush_seconds() == 5.5
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "soon")
    with pytest.raises(agentkit.errors.UserError, match="OTEL_EXPORTER_OTLP_TRACES_TIMEOUT='soon'"):
        tracing.flush_seconds()


REFLECT = """
name: r
entry: write
state: {topic: {type: str}, text: {type: str}, boom: {type: str}}
input: [topic]
nodes:
  write: {kind: reflect, prompt: "Explain {topic}.", criteria: "Mentions {topic}.", max_rounds: 2, output: text}
  fail: {kind: python, function: explode, output: boom}
edges: [{from: write, to: fail}]
"""


def test_a_patterns_steps_nest_under_its_node_and_a_failing_node_is_an_error_span(graphs: Path) -> None:
    from agentkit.compile import compile_spec
    from agentkit.spec import parse_spec

    def explode(state):
        raise ValueError("no such thing")

    agentkit.register_function("explode", explode)
    factory, _ = scripted("draft one", "draft two",
                          structured=[{"feedback": "say tides", "ok": False}, {"feedback": "fine", "ok": True}])
    graph = compile_spec(parse_spec(REFLECT), model_factory=factory)
    exporter = InMemorySpanExporter()
    handler = tracing.TraceHandler(provider=tracing.enable(exporter))
    handler.open_workflow("r", "t")
    with pytest.raises(ValueError), handler:  # activated; ended as failed by the error
        graph.invoke({"topic": "tides"}, {"callbacks": [handler]})
    spans = exporter.get_finished_spans()
    assert [(depth, name) for depth, name in _tree(spans) if not name.startswith("chat")] == [
        (0, "invoke_workflow r"), (1, "write"),
        (2, "draft"), (2, "critique"), (2, "revise"), (2, "critique"),  # the pattern's inner steps
        (1, "fail")]
    by_name = {s.name: s for s in spans}
    assert by_name["write"].attributes["agentkit.node.kind"] == "reflect"
    failed = by_name["fail"]
    assert failed.status.status_code.name == "ERROR" and failed.attributes["error.type"] == "ValueError"
    assert "no such thing" in failed.status.description
    assert by_name["invoke_workflow r"].attributes["agentkit.run.status"] == "failed"
    chats = [s for s in spans if s.name.startswith("chat ")]
    assert len(chats) == 4 and all(by_name[n].context.span_id in {c.parent.span_id for c in chats}
                                   for n in ("draft", "critique", "revise"))


def test_untraced_nodes_run_without_a_handler_and_leave_nothing_behind(graphs: Path) -> None:
    from agentkit.compile import compile_spec
    from agentkit.spec import parse_spec

    graph = compile_spec(parse_spec(CHILD), model_factory=_factory())
    exporter = InMemorySpanExporter()
    tracing.enable(exporter)  # a provider, but no run handler active: nothing is traced
    assert graph.invoke({"q": "hi"}) == {"a": "the child's answer"}
    assert exporter.get_finished_spans() == ()
    assert tracing._CURRENT.get() is None


def test_node_spans_reach_the_exporter_in_batches_during_a_run_and_all_by_its_end(
        graphs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agentkit.compile import compile_spec
    from agentkit.spec import parse_spec

    n = tracing._NodeSpans.BATCH + 6
    seen_during: list[int] = []
    exporter = InMemorySpanExporter()
    agentkit.register_function("look", lambda state: seen_during.append(len(exporter.get_finished_spans())) or {})
    nodes = {f"s{i}": {"kind": "python", "function": "look"} for i in range(n)}
    spec = {"name": "long", "entry": "s0", "state": {"x": {"type": "int"}}, "nodes": nodes,
            "edges": [{"from": f"s{i}", "to": f"s{i + 1}"} for i in range(n - 1)], "recursion_limit": 500}
    graph = compile_spec(parse_spec(json.dumps(spec)))
    handler = tracing.TraceHandler(provider=tracing.enable(exporter))
    handler.open_workflow("long", "t")
    with handler:
        graph.invoke({"x": 1})
    # the first batch went out while the run went on, not only at its end
    assert seen_during[0] == 0 and seen_during[-1] == tracing._NodeSpans.BATCH
    spans = exporter.get_finished_spans()
    assert sorted(s.name for s in spans) == sorted(["invoke_workflow long", *nodes])
    root = next(s for s in spans if s.parent is None)
    assert {s.parent.span_id for s in spans if s is not root} == {root.context.span_id}
    assert len({s.context.span_id for s in spans}) == n + 1  # every span its own id

    # a batch also goes out at the first span end after WAIT_NS, however few spans it holds
    monkeypatch.setattr(tracing._NodeSpans, "WAIT_NS", 0)
    exporter = InMemorySpanExporter()  # enable() shut the first one down with its provider
    seen_during.clear()
    handler = tracing.TraceHandler(provider=tracing.enable(exporter))
    handler.open_workflow("long", "t2")
    with handler:
        graph.invoke({"x": 1})
    assert seen_during[:3] == [0, 1, 2]


def test_a_span_s_id_is_made_once_when_children_in_parallel_threads_ask_for_it(graphs: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    handler = tracing.TraceHandler(provider=tracing.enable(InMemorySpanExporter()))
    root = handler.open_workflow("g", "t")
    for _ in range(20):
        span = handler._nodes.start("node", root.get_span_context(), None)
        with ThreadPoolExecutor(8) as pool:
            ids = set(pool.map(lambda _, span=span: span.context.span_id, range(64)))
        assert len(ids) == 1 and span.context.trace_id == root.get_span_context().trace_id
    handler.finish()


def _reply() -> AIMessage:
    return AIMessage("", tool_calls=[{"name": "ocr", "args": {}, "id": "c"}],
                     usage_metadata={"input_tokens": 900, "output_tokens": 12, "total_tokens": 912,
                                     "input_token_details": {"cache_read": 850}},
                     response_metadata={"model_name": "m-1", "finish_reason": "tool_calls",
                                        "tool_route": {"tool": "ocr", "p_yes": 0.91,
                                                       "probabilities": {"ocr": 0.8, "none": 0.2}}})


def _calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The LLM callbacks LangChain dispatches to any TraceHandler, by name."""
    seen: list[str] = []
    for name in ("on_chat_model_start", "on_llm_end", "on_llm_error"):
        original = getattr(tracing.TraceHandler, name)

        def spy(self, *args, _name=name, _original=original, **kwargs):
            seen.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(tracing.TraceHandler, name, spy)
    return seen


def _traced_call(call, *, bare: bool = False) -> list:
    """The spans of ``call()`` made inside a traced node (``bare``: the handler only in the call's callbacks,
    not active: LangChain's callbacks are its only way to the call)."""
    exporter = InMemorySpanExporter()
    handler = tracing.TraceHandler(provider=tracing.enable(exporter))
    if bare:
        handler.open_workflow("g", "t")
        try:
            call([handler])
        finally:
            handler.finish()
        return list(exporter.get_finished_spans())
    handler.open_workflow("g", "t")
    node = tracing.traced_node("step", "llm", lambda state: call(None))
    with handler:
        node({})
    return list(exporter.get_finished_spans())


def test_agentkit_models_record_their_chat_span_themselves_the_same_span_the_callbacks_make(
        graphs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a traced node an agentkit model (TracedChatModel) records its chat span without LangChain
    dispatching the LLM callbacks to the handler; the span is the callbacks' own: same name, parent (the
    node), request and response attributes; one per call, also when the handler is in the call's callbacks
    too or the call is a structured-output chain's."""
    from langchain_core.messages import HumanMessage

    from agentkit.testing import FunctionModel

    seen = _calls(monkeypatch)
    model = FunctionModel(function=lambda messages, options: _reply())
    bound = model.bind_tools([{"type": "function", "function": {"name": "ocr", "parameters": {}}}],
                             tool_choice="auto").bind(temperature=0.2, max_tokens=64, seed=3)
    direct = _traced_call(lambda callbacks: bound.invoke([HumanMessage("hi")]))
    assert seen == []  # no LLM callback reached the handler
    by_name = {s.name: s for s in direct}
    assert sorted(by_name) == ["chat agentkit-function", "invoke_workflow g", "step"] and len(direct) == 3
    chat = by_name["chat agentkit-function"]
    assert chat.parent.span_id == by_name["step"].context.span_id
    via_callbacks = _traced_call(lambda callbacks: bound.invoke([HumanMessage("hi")], {"callbacks": callbacks}),
                                 bare=True)
    assert seen == ["on_chat_model_start", "on_llm_end"]
    (other,) = [s for s in via_callbacks if s.name.startswith("chat ")]
    assert dict(chat.attributes) == dict(other.attributes)
    attributes = chat.attributes
    assert attributes["gen_ai.provider.name"] == "agentkit-function"
    assert attributes["gen_ai.request.temperature"] == 0.2 and attributes["gen_ai.request.max_tokens"] == 64
    assert attributes["gen_ai.request.seed"] == 3 and attributes["agentkit.request.tools"] == ("ocr",)
    assert attributes["agentkit.request.tool_choice"] == "auto"
    assert attributes["gen_ai.usage.input_tokens"] == 900 and attributes["gen_ai.usage.cache_read.input_tokens"] == 850
    assert attributes["gen_ai.response.finish_reasons"] == ("tool_calls",)
    assert attributes["agentkit.tool_route.tool"] == "ocr" and attributes["agentkit.tool_route.p_yes"] == 0.91
    assert attributes["agentkit.response.tool_calls"] == ("ocr",)

    # The handler in the call's callbacks as well (LangChain dispatches to it): still one span, the model's.
    seen.clear()
    spans = _traced_call(lambda callbacks: bound.invoke([HumanMessage("hi")], {"callbacks": [tracing.TraceHandler(
        provider=tracing._provider)]}))
    assert "on_chat_model_start" in seen and [s.name for s in spans].count("chat agentkit-function") == 1
    # A structured-output chain (model | parser): the chain's callbacks carry the handler to the model.
    structured = FunctionModel(function=lambda messages, options: {"a": 1}).with_structured_output(
        {"type": "object", "properties": {"a": {"type": "integer"}}})
    spans = _traced_call(lambda callbacks: structured.invoke([HumanMessage("hi")]))
    assert [s.name for s in spans].count("chat agentkit-function") == 1


def test_a_third_party_model_s_chat_span_comes_from_the_callbacks_once(
        graphs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import HumanMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    class ThirdParty(BaseChatModel):
        @property
        def _llm_type(self) -> str:
            return "third-party"

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            return ChatResult(generations=[ChatGeneration(message=_reply())])

    seen = _calls(monkeypatch)
    spans = _traced_call(lambda callbacks: ThirdParty().bind(temperature=0.5).invoke([HumanMessage("hi")]))
    assert seen == ["on_chat_model_start", "on_llm_end"]
    by_name = {s.name: s for s in spans}
    assert sorted(by_name) == ["chat third-party", "invoke_workflow g", "step"] and len(spans) == 3
    chat = by_name["chat third-party"]
    assert chat.parent.span_id == by_name["step"].context.span_id
    assert chat.attributes["gen_ai.request.temperature"] == 0.5
    assert chat.attributes["gen_ai.usage.cache_read.input_tokens"] == 850


def test_a_failing_model_call_is_an_error_chat_span_on_either_path(graphs: Path) -> None:
    from langchain_core.messages import HumanMessage

    from agentkit.testing import FunctionModel

    def fail(messages, options):
        raise RuntimeError("the model fell over")

    model = FunctionModel(function=fail)
    for bare in (False, True):
        def call(callbacks):
            with pytest.raises(RuntimeError):
                model.invoke([HumanMessage("hi")], {"callbacks": callbacks} if callbacks else None)

        spans = _traced_call(call, bare=bare)
        (chat,) = [s for s in spans if s.name.startswith("chat ")]
        assert chat.name == "chat agentkit-function", bare
        assert chat.status.status_code.name == "ERROR" and chat.attributes["error.type"] == "RuntimeError"
        assert "the model fell over" in chat.status.description


def test_streamed_and_batched_calls_of_agentkit_models_are_one_chat_span_each(graphs: Path) -> None:
    """Streaming goes the callback way (a ScriptedModel streams; a FunctionModel's stream is its invoke),
    a batch's calls each record their own: one chat span per call either way."""
    from langchain_core.messages import HumanMessage

    from agentkit.testing import FunctionModel

    scripted_model = scripted("one two three")[0]("m")
    spans = _traced_call(lambda callbacks: "".join(str(c.content) for c in scripted_model.stream(
        [HumanMessage("hi")])))
    assert [s.name for s in spans].count("chat generic-fake-chat-model") == 1
    function_model = FunctionModel(function=lambda messages, options: "fine")
    spans = _traced_call(lambda callbacks: list(function_model.stream([HumanMessage("hi")])))
    assert [s.name for s in spans].count("chat agentkit-function") == 1
    spans = _traced_call(lambda callbacks: function_model.batch([[HumanMessage("a")], [HumanMessage("b")]]))
    chats = [s for s in spans if s.name == "chat agentkit-function"]
    step = next(s for s in spans if s.name == "step")
    assert len(chats) == 2 and all(c.parent.span_id == step.context.span_id for c in chats)
