"""Specs compile to real LangGraph graphs; scripted fake models stand in for the LLM."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Literal

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt
from pydantic import Field

import agentkit
from agentkit.compile import compile_spec
from agentkit.errors import ExpressionError, NodeTimeoutError, UserError
from agentkit.nodes import BuildContext, NodeKind, NodeSpec
from agentkit.nodes.expressions import compile_expression
from agentkit.spec import SpecError, parse_spec
from agentkit.testing import scripted


@tool
def shout(text: str) -> str:
    """Upper-case a text."""
    return text.upper()


@tool
def word_count(text: str) -> int:
    """Count the words in a text."""
    return len(text.split())


def _build(yaml_text: str, **options: Any):
    return compile_spec(parse_spec(yaml_text), **options)


LOOP = """
name: loop
entry: step
state: {n: {type: int}, xs: {type: list}, squares: {type: list, reducer: append}}
input: [n, xs]
output: [n, squares]
nodes:
  step: {kind: python, function: add_one}
  check:
    kind: router
    expression: "'again' if n < 5 else 'done'"
    routes: {again: step, done: fan}
  fan: {kind: map, over: xs, node: square, item: item, output: squares}
  square: {kind: python, function: square_item, output: squares}
edges: [{from: step, to: check}]
"""


def test_loop_router_and_map_fan_out() -> None:
    graph = _build(LOOP)
    result = graph.invoke({"n": 1, "xs": [1, 2, 3]})
    assert result["n"] == 5 and sorted(result["squares"]) == [1, 4, 9]
    assert set(result) == {"n", "squares"}  # the declared output fields only


def test_every_langgraph_stream_mode_works() -> None:
    graph = _build(LOOP)
    for mode in ("values", "updates", "debug", "tasks", "checkpoints", "custom", "messages"):
        events = list(graph.stream({"n": 4, "xs": [2]}, stream_mode=mode))
        assert mode in ("custom", "messages", "checkpoints") or events  # no checkpointer: no checkpoints
    updates = [next(iter(e)) for e in graph.stream({"n": 4, "xs": [2]}, stream_mode="updates")]
    assert updates == ["step", "check", "fan", "square"]


def test_recursion_limit_comes_from_the_spec() -> None:
    from langgraph.errors import GraphRecursionError

    graph = _build(LOOP.replace("name: loop", "name: loop\nrecursion_limit: 3"))
    with pytest.raises(GraphRecursionError):
        graph.invoke({"n": -100, "xs": []})


def test_llm_node_fills_the_template_and_writes_its_output() -> None:
    factory, seen = scripted("Paris")
    graph = _build("""
name: qa
entry: answer
state: {question: {type: str}, answer: {type: str}}
nodes:
  answer: {kind: llm, model: smollm2-135m, system: "Be brief.", prompt: "Q: {question}", output: answer}
""", model_factory=factory)
    assert graph.invoke({"question": "capital of France?"})["answer"] == "Paris"
    assert seen == ["smollm2-135m"]


def test_tool_node_passes_whole_fields_with_their_type_and_renders_text() -> None:
    graph = _build("""
name: t
entry: count
state: {text: {type: str}, n: {type: int}, loud: {type: str}}
nodes:
  count: {kind: tool, tool: word_count, args: {text: "{text}"}, output: n}
  shout: {kind: tool, tool: shout, args: {text: "words: {text}"}, output: loud}
edges: [{from: count, to: shout}]
""")
    assert graph.invoke({"text": "a b c"}) == {"text": "a b c", "n": 3, "loud": "WORDS: A B C"}


def test_agent_node_runs_the_tool_loop() -> None:
    call = AIMessage("", tool_calls=[{"name": "word_count", "args": {"text": "one two"}, "id": "c1"}])
    factory, _ = scripted(call, "There are 2 words.")
    graph = _build("""
name: a
entry: agent
state: {text: {type: str}, answer: {type: str}}
nodes:
  agent: {kind: agent, prompt: "How many words in {text}?", tools: [word_count], max_steps: 3, output: answer}
""", model_factory=factory)
    assert graph.invoke({"text": "one two"})["answer"] == "There are 2 words."


@tool
def open_report(name: str) -> str:
    """Open a report by name."""
    if name != "q3":
        raise UserError(f"no report {name!r}; reports: q3")
    return "Q3 revenue: 12"


class _SeenMessages(BaseCallbackHandler):
    """Every chat-model call's messages and invocation parameters."""

    def __init__(self) -> None:
        self.batches: list[list[Any]] = []
        self.params: list[dict[str, Any]] = []

    def on_chat_model_start(self, serialized: Any, messages: list[list[Any]], **kwargs: Any) -> None:
        self.batches.extend(messages)
        self.params.append(kwargs.get("invocation_params") or {})

    @property
    def prompts(self) -> list[str]:
        return [str(m.content) for batch in self.batches for m in batch]


def test_agent_node_returns_a_refused_tool_call_to_the_model_as_an_error() -> None:
    wrong = AIMessage("", tool_calls=[{"name": "open_report", "args": {"name": "q4"}, "id": "c1"}])
    bad_args = AIMessage("", tool_calls=[{"name": "open_report", "args": {"title": "q3"}, "id": "c2"}])
    right = AIMessage("", tool_calls=[{"name": "open_report", "args": {"name": "q3"}, "id": "c3"}])
    factory, _ = scripted(wrong, bad_args, right, "Revenue was 12.")
    graph = _build("""
name: a
entry: agent
state: {q: {type: str}, answer: {type: str}}
nodes:
  agent: {kind: agent, prompt: "{q}", tools: [open_report], max_steps: 5, output: answer}
""", model_factory=factory)
    seen = _SeenMessages()
    assert graph.invoke({"q": "Q3 revenue?"}, {"callbacks": [seen]})["answer"] == "Revenue was 12."
    tool_results = [m for m in seen.batches[-1] if m.type == "tool"]
    assert [m.status for m in tool_results] == ["error", "error", "success"]
    assert "no report 'q4'; reports: q3" in tool_results[0].content
    assert "name" in tool_results[1].content and "Field required" in tool_results[1].content
    assert tool_results[2].content == "Q3 revenue: 12"


def test_llm_router_picks_a_label() -> None:
    factory, _ = scripted(structured=[{"label": "no"}])
    graph = _build("""
name: r
entry: ask
state: {q: {type: str}, n: {type: int}}
nodes:
  ask: {kind: router, prompt: "Is {q} a yes?", routes: {yes: bump, no: end}}
  bump: {kind: python, function: add_one}
""", model_factory=factory)
    assert graph.invoke({"q": "x", "n": 1})["n"] == 1


def test_subgraph_maps_inputs_and_outputs(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(
        "name: child\nentry: inc\nstate: {n: {type: int}}\nnodes:\n  inc: {kind: python, function: add_one}\n")
    (tmp_path / "parent.yaml").write_text("""
name: parent
entry: sub
state: {count: {type: int}, result: {type: int}}
nodes:
  sub: {kind: subgraph, graph: child.yaml, inputs: {n: count}, outputs: {result: n}}
""")
    assert agentkit.load(tmp_path / "parent.yaml").invoke({"count": 41})["result"] == 42


def test_subgraphs_by_name_are_found_in_graphs_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "inc.yaml").write_text(
        "name: inc\nentry: inc\nstate: {n: {type: int}}\nnodes:\n  inc: {kind: python, function: add_one}\n")
    (tmp_path / "main.yaml").write_text(
        "name: m\nentry: s\nstate: {n: {type: int}}\n"
        "nodes:\n  s: {kind: subgraph, graph: inc, inputs: {n: n}, outputs: {n: n}}\n")
    with pytest.raises(SpecError, match=r"nodes.s.graph: no graph named 'inc'"):
        agentkit.load(tmp_path / "main.yaml")
    monkeypatch.setenv("AGENTKIT_GRAPHS_PATH", str(library))
    assert agentkit.load(tmp_path / "main.yaml").invoke({"n": 1})["n"] == 2


def test_a_subgraph_that_includes_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "name: a\nentry: s\nstate: {}\nnodes:\n  s: {kind: subgraph, graph: b.yaml}\n")
    (tmp_path / "b.yaml").write_text(
        "name: b\nentry: s\nstate: {}\nnodes:\n  s: {kind: subgraph, graph: a.yaml}\n")
    with pytest.raises(SpecError, match=r"b.yaml:5: nodes.s.graph: the graph includes itself: "
                                        r"a.yaml -> b.yaml -> a.yaml"):
        agentkit.load(tmp_path / "a.yaml")


def test_unknown_functions_and_tools_are_located_and_list_the_registered_ones() -> None:
    with pytest.raises(SpecError, match=r"<spec>:4: nodes.a.function: unknown function 'nope'; "
                                        r"registered functions: .*add_one"):
        _build("name: x\nentry: a\nnodes:\n  a: {kind: python, function: nope}\n")
    with pytest.raises(SpecError, match=r"<spec>:5: nodes.a.tool: unknown tool 'ocrr'; known tools: .*word_count"):
        _build("name: x\nentry: a\nstate: {o: {}}\nnodes:\n  a: {kind: tool, tool: ocrr, output: o}\n")


def test_dotted_imports_need_the_opt_in() -> None:
    spec = "name: x\nentry: a\nstate: {o: {}}\nnodes:\n  a: {kind: python, function: 'os:getcwd', output: o}\n"
    with pytest.raises(UserError, match="needs allow_imports=True"):
        _build(spec)
    graph = _build(spec.replace("'os:getcwd'", "'json:dumps'"), allow_imports=True)
    assert graph.invoke({})["o"] is not None


def test_retry_policy_retries_a_failing_node() -> None:
    attempts = itertools.count(1)

    def flaky(state: dict[str, Any]) -> dict[str, Any]:
        if next(attempts) < 3:
            raise RuntimeError("transient")
        return {"n": 7}

    agentkit.register_function("flaky", flaky)
    graph = _build("name: r\nentry: f\nstate: {n: {type: int}}\n"
                   "nodes:\n  f: {kind: python, function: flaky, retry: {attempts: 3, backoff_s: 0}}\n")
    assert graph.invoke({})["n"] == 7


def test_checkpointer_and_interrupts_work_unchanged() -> None:
    agentkit.register_function("ask_human", lambda s: {"n": interrupt("how many?")})
    graph = compile_spec(parse_spec("name: h\nentry: ask\nstate: {n: {type: int}}\n"
                                    "nodes:\n  ask: {kind: python, function: ask_human}\n"),
                         checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t1"}}
    first = graph.invoke({}, config)
    assert first["__interrupt__"][0].value == "how many?"
    assert graph.invoke(Command(resume=3), config)["n"] == 3


@pytest.mark.parametrize("text", [
    "__import__('os').system('x')", "n.__class__", "(lambda: 1)()", "open('/etc/passwd')",
    "[x for x in xs]", "n if n else __builtins__",
])
def test_router_expressions_refuse_anything_but_the_safe_subset(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(text, {"n", "xs"})


def test_router_expressions_evaluate_over_state() -> None:
    evaluate = compile_expression("'long' if len(xs) > 2 and lower(name) in ['ann', 'bo'] else 'short'",
                                  {"xs", "name"})
    assert evaluate({"xs": [1, 2, 3], "name": "ANN"}) == "long"
    assert evaluate({"xs": [1], "name": "ann"}) == "short"


def test_attribute_access_in_templates_is_refused_at_load() -> None:
    with pytest.raises(SpecError, match="only plain"):
        parse_spec("name: x\nentry: a\nstate: {q: {}, o: {}}\n"
                   "nodes:\n  a: {kind: llm, prompt: '{q.__class__}', output: o}\n")


class RepeatNode(NodeSpec):
    """A plug-in kind's own keys: repeat a field's text n times."""

    kind: Literal["repeat"]
    field: str
    times: int = Field(ge=1, le=10)
    output: str

    def reads(self) -> dict[str, str]:
        return {"field": self.field}


def _build_repeat(name: str, node: RepeatNode, context: BuildContext):
    return lambda state: {node.output: state[node.field] * node.times}


@pytest.fixture(autouse=True)
def _registered(agentkit_registry: None) -> None:
    """This module's functions, tools, node kind and reducer, registered for each test and
    forgotten after it (with whatever the test registers itself)."""
    agentkit.register_function("add_one", lambda s: {"n": s["n"] + 1})
    agentkit.register_function("square_item", lambda s: s["item"] ** 2)
    for made in (shout, word_count, open_report):
        agentkit.register_tool(made)
    agentkit.register_node_kind(NodeKind(name="repeat", spec=RepeatNode, build=_build_repeat))
    agentkit.register_reducer("longest", lambda old, new: new if len(new or "") > len(old or "") else old)


def test_plugin_node_kinds_and_custom_reducers() -> None:
    graph = _build("""
name: p
entry: twice
state: {word: {type: str}, out: {type: str, reducer: longest}}
nodes:
  twice: {kind: repeat, field: word, times: 2, output: out}
  once: {kind: repeat, field: word, times: 1, output: out}
edges: [{from: twice, to: once}]
""")
    assert graph.invoke({"word": "ab"})["out"] == "abab"  # the shorter second write lost


def test_plugin_node_keys_are_validated_by_the_plugin_model() -> None:
    with pytest.raises(SpecError) as info:
        parse_spec("name: p\nentry: a\nstate: {w: {}, o: {}}\n"
                   "nodes:\n  a: {kind: repeat, field: w, times: 99, output: o}\n")
    issue = info.value.issues[0]
    assert issue.path == "nodes.a.times" and issue.line == 5 and "less than or equal to 10" in issue.message
    with pytest.raises(SpecError, match=r"unknown node kind 'repeet'; known kinds: llm, .*python, .*repeat"):
        parse_spec("name: p\nentry: a\nnodes:\n  a: {kind: repeet}\n")


def test_node_timeout_stops_a_slow_node() -> None:
    import time as _time

    agentkit.register_function("slow", lambda s: _time.sleep(2) or {"n": 1})
    graph = _build("name: t\nentry: s\nstate: {n: {type: int}}\n"
                   "nodes:\n  s: {kind: python, function: slow, timeout_s: 0.2}\n")
    started = _time.perf_counter()
    with pytest.raises(NodeTimeoutError, match=r"node 's' ran longer than its timeout_s=0\.2"):
        graph.invoke({})
    assert _time.perf_counter() - started < 1.5


def test_prompts_show_passages_numbered_with_sources_and_other_data_as_json() -> None:
    from agentkit.templates import render

    docs = [{"text": "Descale every four weeks.", "source": "kettle.md", "page": None, "chunk": 3, "score": 0.7},
            {"text": "Warranty: two years.", "source": "manual.pdf", "page": 2, "chunk": 0, "score": 0.5}]
    state = {"docs": docs, "info": {"size": [640, 100], "format": "PNG"}, "price": 7.149, "none": None}
    assert render("Notes:\n{docs}", state) == (
        "Notes:\n[1] kettle.md\nDescale every four weeks.\n\n[2] manual.pdf, page 2\nWarranty: two years.")
    assert render("{info}", state) == '{"size": [640, 100], "format": "PNG"}'
    assert render("{price:.2f}|{none}|{missing}", state) == "7.15||"
    assert render("{empty}", {"empty": []}) == "[]"


def test_a_tool_node_whose_arguments_do_not_fit_its_tool_fails_with_a_located_message() -> None:
    graph = _build("""
name: t
entry: count
state: {text: {type: any}, n: {type: int}}
nodes:
  count: {kind: tool, tool: word_count, args: {text: "{text}"}, output: n}
""")
    assert graph.invoke({"text": "a b c"})["n"] == 3
    with pytest.raises(UserError, match=r"node 'count': tool 'word_count' refused its arguments: text: "):
        graph.invoke({"text": ["not", "text"]})


def test_contains_any_is_a_keyword_rule_for_routers() -> None:
    evaluate = compile_expression("'maths' if contains_any(q, ['in total', '%']) else 'docs'", {"q"})
    assert evaluate({"q": "How many litres IN TOTAL?"}) == "maths"
    assert evaluate({"q": "What is 15% of 40?"}) == "maths"
    assert evaluate({"q": "When was the bridge built?"}) == "docs"
    assert evaluate({}) == "docs"  # a missing field is no text
    with pytest.raises(ExpressionError, match="words must be a list"):
        compile_expression("contains_any(q, 'total')", {"q"})({"q": "x"})


def test_an_llm_router_shows_each_label_with_its_targets_description() -> None:
    graph = _build("""
name: r
entry: ask
state: {q: {type: str}, n: {type: int}}
nodes:
  ask: {kind: router, prompt: "Question: {q}", routes: {maths: bump, docs: end}}
  bump: {kind: python, function: add_one, description: adds one to a number}
""", model_factory=scripted(structured=[{"label": "maths"}])[0])
    recorder = _SeenMessages()
    assert graph.invoke({"q": "1+1?", "n": 1}, {"callbacks": [recorder]})["n"] == 2
    (prompt,) = recorder.prompts
    assert prompt.index("- maths: adds one to a number") < prompt.index("- docs") < prompt.index("Question: 1+1?")


def test_llm_node_settings_reach_the_model() -> None:
    factory, _ = scripted("a short reply")
    graph = _build("""
name: s
entry: say
state: {q: {type: str}, a: {type: str}}
nodes:
  say: {kind: llm, prompt: "{q}", max_tokens: 40, temperature: 0.7, output: a}
""", model_factory=factory)
    recorder = _SeenMessages()
    assert graph.invoke({"q": "hi"}, {"callbacks": [recorder]})["a"] == "a short reply"
    assert recorder.params[0]["max_tokens"] == 40 and recorder.params[0]["temperature"] == 0.7


def test_optional_inputs_start_as_their_default_and_required_ones_are_named(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text("""
name: child
entry: inc
state: {n: {type: int}, step: {type: int, default: 10}, note: {type: str, optional: true}}
input: [n, step, note]
output: [n]
nodes:
  inc: {kind: python, function: add_step}
""")
    agentkit.register_function("add_step", lambda s: {"n": s["n"] + s["step"] + (100 if s["note"] is None else 0)})
    (tmp_path / "parent.yaml").write_text("""
name: parent
entry: sub
state: {count: {type: int}, result: {type: int}}
nodes:
  sub: {kind: subgraph, graph: child.yaml, inputs: {n: count}, outputs: {result: n}}
""")
    assert agentkit.load(tmp_path / "parent.yaml").invoke({"count": 1})["result"] == 111  # default 10, note None
    with pytest.raises(UserError, match=r"subgraph node 'sub': graph 'child' needs input 'n'"):
        agentkit.load(tmp_path / "parent.yaml").invoke({})
    spec = agentkit.spec.load_spec(tmp_path / "child.yaml")
    assert spec.missing_inputs({}) == ["n"] and spec.missing_inputs({"n": 0}) == []
    assert spec.with_defaults({"n": 0}) == {"n": 0, "step": 10, "note": None}
