"""The reasoning-pattern node kinds (plan_execute, reflect, self_consistency) on scripted fake models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langchain_core.tools import ToolException
from langchain_core.tools import tool as to_tool

import agentkit
from agentkit.compile import compile_spec
from agentkit.nodes.self_consistency import normalise_answer
from agentkit.runtime import Runner
from agentkit.runtime.checkpoints import memory_saver
from agentkit.spec import SpecError, parse_spec
from agentkit.testing import scripted

SECRETS_OPENED: list[str] = []


@to_tool
def pe_lookup(city: str) -> str:
    """Look up a city's population."""
    if city != "Oslo":
        raise ToolException(f"no data for {city!r}; known cities: Oslo")
    return "Oslo: 700000"


@to_tool
def pe_secret(name: str) -> str:
    """Open a secret file (not offered to the plan_execute nodes below)."""
    SECRETS_OPENED.append(name)
    return "secret"


def _wipe(path: str) -> str:
    """Delete a file."""
    return "deleted"


@pytest.fixture(autouse=True)
def _registered(agentkit_registry: None) -> None:
    """This module's tools, registered for each test and forgotten after it."""
    agentkit.register_tool(pe_lookup)
    agentkit.register_tool(pe_secret)
    agentkit.register_tool(to_tool(_wipe), name="pe_wipe").metadata = {"risk": "high"}


def call(tool: str, **args: Any) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": tool, "args": args, "id": f"c_{tool}_{len(args)}"}])


def build(yaml_text: str, factory: Any, **options: Any) -> Any:
    return compile_spec(parse_spec(yaml_text), model_factory=factory, **options)


PLAN = """
name: pe
entry: solve
state: {q: {type: str}, answer: {type: str}, steps: {type: list}}
input: [q]
nodes:
  solve: {kind: plan_execute, prompt: "{q}", system: "Be exact.", tools: [calculator, pe_lookup],
          max_steps: MAX, output: answer, steps_output: steps}
"""


def plan_spec(max_steps: int = 4) -> str:
    return PLAN.replace("MAX", str(max_steps))


def steps(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"steps": [{"tool": tool, "goal": goal} for tool, goal in pairs]}


# -- plan_execute ----------------------------------------------------------------------


def test_a_step_whose_call_is_cut_off_is_kept_as_its_result_and_the_plan_goes_on() -> None:
    from agentkit.errors import ToolCallTruncatedError

    class FirstCallCutOff:
        """The model's replies: the first tool call runs away past max_tokens, then a normal call."""

        replies = iter([call("calculator", expression="2 + 4"), AIMessage("It is 6.")])
        cut = False

        def __iter__(self) -> Any:
            return self

        def __next__(self) -> Any:
            if not self.cut:
                self.cut = True
                raise ToolCallTruncatedError("the reply reached max_tokens=512 in the middle of a tool call")
            return next(self.replies)

    factory, _ = scripted(structured=[steps(("calculator", "multiply"), ("calculator", "add 4"))])
    factory.model.messages = FirstCallCutOff()
    result = build(plan_spec(), factory).invoke({"q": "What is 2 + 4?"})
    first, second = result["steps"]
    assert first["args"] == {} and "cut off" in first["result"] and "max_tokens=512" in first["result"]
    assert second["result"] == "6" and result["answer"] == "It is 6."


def test_plan_execute_plans_runs_each_step_and_answers_from_the_results() -> None:
    factory, seen = scripted(call("calculator", expression="17 * 23"), call("calculator", expression="391 + 4"),
                             "It is 395.",
                             structured=[steps(("calculator", "multiply 17 by 23"), ("calculator", "add 4"))])
    result = build(plan_spec(), factory).invoke({"q": "What is 17 * 23 + 4?"})
    assert result["answer"] == "It is 395."
    assert result["steps"] == [
        {"step": 1, "tool": "calculator", "goal": "multiply 17 by 23", "args": {"expression": "17 * 23"},
         "result": "391"},
        {"step": 2, "tool": "calculator", "goal": "add 4", "args": {"expression": "391 + 4"}, "result": "395"},
    ]
    planner, first, second, answer = factory.model.calls
    schema = planner["structured_schema"]["properties"]["steps"]
    assert schema["items"]["properties"]["tool"] == {"enum": ["calculator", "pe_lookup"]}
    assert (schema["minItems"], schema["maxItems"]) == (1, 4)
    assert planner["messages"][0] == "Be exact."
    assert "- calculator: Evaluate an arithmetic" in planner["messages"][1]
    assert "- pe_lookup: Look up a city's population." in planner["messages"][1]
    # each step forces its own tool, and sees the task, the results so far and its goal
    assert (first["bound_tools"], first["tool_choice"]) == (["calculator"], "calculator")
    assert "What is 17 * 23 + 4?" in second["messages"][1] and "add 4" in second["messages"][1]
    assert '1. calculator({"expression": "17 * 23"}) -> 391' in second["messages"][1]
    assert '2. calculator({"expression": "391 + 4"}) -> 395' in answer["messages"][1]
    assert "bound_tools" not in answer and seen == [None]


def test_the_executor_runs_exactly_the_planned_steps_and_never_more_than_max_steps() -> None:
    factory, _ = scripted(call("calculator", expression="2 + 2"), "4.", structured=[steps(("calculator", "add"))])
    result = build(plan_spec(4), factory).invoke({"q": "2 + 2?"})
    assert [s["step"] for s in result["steps"]] == [1]
    assert len(factory.model.calls) == 3  # plan, one step, answer
    # a model that ignores the schema's maxItems still gets at most max_steps steps run
    five = steps(*[("calculator", f"step {i}") for i in range(5)])
    factory, _ = scripted(call("calculator", expression="1"), call("calculator", expression="2"), "done",
                          structured=[five])
    result = build(plan_spec(2), factory).invoke({"q": "count"})
    assert [s["goal"] for s in result["steps"]] == ["step 0", "step 1"] and result["answer"] == "done"


def test_tool_errors_and_missing_tool_calls_are_kept_as_step_results() -> None:
    factory, _ = scripted(call("pe_lookup", city="Bergen"), AIMessage("I would rather not."),
                          call("calculator", expression="1/0"), "No answer.",
                          structured=[steps(("pe_lookup", "find Bergen"), ("calculator", "x"), ("calculator", "y"))])
    result = build(plan_spec(), factory).invoke({"q": "Bergen's population / 0?"})
    assert [s["result"] for s in result["steps"]] == [
        "error: no data for 'Bergen'; known cities: Oslo",
        "no tool call; the model replied: I would rather not.",
        "error: division by zero",
    ]
    assert result["steps"][1]["args"] == {} and result["answer"] == "No answer."


def test_a_step_may_only_call_its_own_tool() -> None:
    SECRETS_OPENED.clear()
    factory, _ = scripted(call("pe_secret", name="keys"), call("pe_lookup", city="Oslo"), "ok",
                          structured=[steps(("calculator", "compute"), ("calculator", "again"))])
    result = build(plan_spec(), factory).invoke({"q": "?"})
    first, second = result["steps"]
    # refused by the agent node's tool-call path: another node tool (pe_lookup) is refused as well
    assert first["result"] == "refused: tool 'pe_secret' is not available here; available tools: calculator"
    assert second["result"] == "refused: tool 'pe_lookup' is not available here; available tools: calculator"
    assert SECRETS_OPENED == []


def test_a_planned_tool_outside_the_nodes_tools_is_refused_without_a_model_call() -> None:
    factory, _ = scripted("ok", structured=[steps(("pe_secret", "read the keys"))])
    result = build(plan_spec(), factory).invoke({"q": "?"})
    assert result["steps"][0]["result"] == ("refused: tool 'pe_secret' is not available here; "
                                            "available tools: calculator, pe_lookup")
    assert len(factory.model.calls) == 2  # plan and answer


# -- reflect ---------------------------------------------------------------------------


REFLECT = """
name: r
entry: write
state: {topic: {type: str}, text: {type: str}, rounds: {type: list}}
input: [topic]
nodes:
  write: {kind: reflect, prompt: "Explain {topic}.", criteria: "Mentions {topic} by name.", max_rounds: 2,
          output: text, rounds_output: rounds}
"""


def test_reflect_revises_until_the_critic_is_satisfied() -> None:
    factory, _ = scripted("draft one", "draft two",
                          structured=[{"feedback": "say tides", "ok": False}, {"feedback": "fine", "ok": True}])
    result = build(REFLECT, factory).invoke({"topic": "tides"})
    assert result["text"] == "draft two"
    assert result["rounds"] == [{"draft": "draft one", "ok": False, "feedback": "say tides"},
                                {"draft": "draft two", "ok": True, "feedback": "fine"}]
    drafted, critique, revise, _ = factory.model.calls
    assert drafted["messages"] == ["Explain tides."]
    assert "Mentions tides by name." in critique["messages"][0] and "draft one" in critique["messages"][0]
    assert "draft one" in revise["messages"][0] and "say tides" in revise["messages"][0]


def test_reflect_stops_after_max_rounds_when_the_critic_never_agrees() -> None:
    no = {"feedback": "worse", "ok": False}
    factory, _ = scripted("d1", "d2", "d3", "d4", structured=[no, no, no, no])
    result = build(REFLECT, factory).invoke({"topic": "tides"})
    assert result["text"] == "d3"  # two revisions, each critiqued
    assert [r["draft"] for r in result["rounds"]] == ["d1", "d2", "d3"]
    assert len(factory.model.calls) == 6 and len(factory.model.structured) == 1


def test_reflect_with_an_approving_critic_keeps_the_first_draft() -> None:
    factory, _ = scripted("only draft", structured=[{"feedback": "", "ok": True}])
    spec = REFLECT.replace(', criteria: "Mentions {topic} by name."', "")
    result = build(spec, factory).invoke({"topic": "tides"})
    assert result["text"] == "only draft" and len(result["rounds"]) == 1
    assert "is correct" in factory.model.calls[1]["messages"][0]  # the default criteria


# -- self_consistency ------------------------------------------------------------------


VOTE = """
name: v
entry: answer
state: {q: {type: str}, answer: {type: any}, votes: {type: dict}}
input: [q]
nodes:
  answer: {kind: self_consistency, prompt: "{q}", samples: N, temperature: 0.9, output: answer, votes_output: votes}
"""


def test_self_consistency_draws_seeded_samples_and_the_most_common_answer_wins() -> None:
    factory, _ = scripted("Paris.", "Lyon", "paris", "  PARIS ", "Lyon")
    result = build(VOTE.replace("N", "5"), factory).invoke({"q": "Capital of France?"})
    assert result["answer"] == "Paris."  # the first winning sample, as drawn
    assert result["votes"] == {"answer": "Paris.", "votes": {"paris": 3, "lyon": 2}, "samples": 5}
    assert [(c["temperature"], c["seed"]) for c in factory.model.calls] == [(0.9, i) for i in range(5)]


def test_a_tie_goes_to_the_answer_seen_first() -> None:
    factory, _ = scripted("B", "A", "a!", "b")
    result = build(VOTE.replace("N", "4"), factory).invoke({"q": "?"})
    assert result["answer"] == "B" and result["votes"]["votes"] == {"b": 2, "a": 2}


def test_structured_samples_vote_on_one_key() -> None:
    spec = VOTE.replace("samples: N", "samples: 3, vote_on: label, schema: {type: object, properties: "
                                      "{label: {enum: [bug, feature]}, why: {type: string}}}")
    samples = [{"label": "bug", "why": "crash"}, {"label": "feature", "why": "asks"},
               {"why": "new", "label": "feature"}]
    factory, _ = scripted(structured=samples)
    result = build(spec, factory).invoke({"q": "ticket"})
    assert result["answer"] == {"label": "feature", "why": "asks"}
    assert result["votes"]["votes"] == {"bug": 1, "feature": 2}
    calls = factory.model.calls  # the seed reaches structured samples too
    drawn = [(c["temperature"], c["seed"], "structured_schema" in c) for c in calls]
    assert drawn == [(0.9, i, True) for i in range(3)]


def test_structured_samples_without_vote_on_compare_canonical_json() -> None:
    spec = VOTE.replace("samples: N", "samples: 3, schema: {type: object, properties: {n: {type: integer}}}")
    factory, _ = scripted(structured=[{"n": 1, "unit": "m"}, {"n": 2}, {"unit": "m", "n": 1}])
    result = build(spec, factory).invoke({"q": "?"})
    assert result["answer"] == {"n": 1, "unit": "m"}
    assert result["votes"]["votes"] == {'{"n":1,"unit":"m"}': 2, '{"n":2}': 1}


def test_normalised_answers() -> None:
    assert normalise_answer("  The  Answer\nis 42. ") == "the answer is 42"
    assert normalise_answer("STRASSE!?") == "strasse" and normalise_answer("3.5") == "3.5"


# -- spec checks -----------------------------------------------------------------------


@pytest.mark.parametrize(("change", "path", "message"), [
    (("tools: [calculator, pe_lookup]", "tools: [calculator, nope]"), "nodes.solve.tools",
     "unknown tool 'nope'; known tools: "),
    (("tools: [calculator, pe_lookup]", "tools: [pe_wipe]"), "nodes.solve.tools",
     "tool 'pe_wipe' is high-risk: only an agent node's model may call it"),
    (("max_steps: MAX", "max_steps: 11"), "nodes.solve.max_steps", "Input should be less than or equal to 10"),
    (("{q}", "{question}"), "nodes.solve.prompt", "template variable {question} is not a state field"),
    (("steps_output: steps", "steps_output: trace"), "nodes.solve.steps_output",
     "steps_output 'trace' is not a state field"),
    (("tools: [calculator, pe_lookup]", "tools: []"), "nodes.solve.tools", "List should have at least 1 item"),
])
def test_plan_execute_spec_mistakes_are_located(change: tuple[str, str], path: str, message: str) -> None:
    factory, _ = scripted()
    with pytest.raises(SpecError) as info:
        build(PLAN.replace(*change).replace("MAX", "4"), factory)
    issue = info.value.issues[0]
    assert issue.path == path and message in issue.message and issue.line is not None
    if "unknown tool" in message:
        assert "calculator" in issue.message  # names the known tools


@pytest.mark.parametrize(("spec", "change", "path", "message"), [
    (REFLECT, ("max_rounds: 2", "max_rounds: 9"), "nodes.write.max_rounds", "Input should be less than or equal to 5"),
    (REFLECT, ("by name.", "by {name}."), "nodes.write.criteria", "template variable {name} is not a state field"),
    (REFLECT, ("{topic}.", "{topic.upper}."), "nodes.write.prompt", "only plain {field} names are allowed"),
    (VOTE, ("samples: N", "samples: 1"), "nodes.answer.samples", "Input should be greater than or equal to 2"),
    (VOTE, ("temperature: 0.9", "temperature: 0"), "nodes.answer.temperature", "Input should be greater than 0"),
    (VOTE, ("samples: N", "samples: 3, vote_on: label"), "nodes.answer", "vote_on: needs a schema"),
    (VOTE, ("samples: N", "samples: 3, vote_on: x, schema: {type: object, properties: {y: {type: string}}}"),
     "nodes.answer", "vote_on: 'x' is not a property of the schema; properties: y"),
])
def test_reflect_and_vote_spec_mistakes_are_located(spec: str, change: tuple[str, str], path: str,
                                                    message: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(spec.replace(*change).replace("samples: N", "samples: 3"))
    issue = info.value.issues[0]
    assert issue.path == path and message in issue.message and issue.line is not None


# -- inside a run ----------------------------------------------------------------------


def test_inner_steps_stream_as_a_subgraph() -> None:
    factory, _ = scripted("d1", structured=[{"feedback": "", "ok": True}])
    graph = build(REFLECT, factory, checkpointer=memory_saver())
    config = {"configurable": {"thread_id": "t"}}
    events = list(graph.stream({"topic": "tides"}, config, stream_mode="updates", subgraphs=True))
    inner = [next(iter(update)) for namespace, update in events if namespace]
    outer = [next(iter(update)) for namespace, update in events if not namespace]
    assert inner == ["draft", "critique"] and outer == ["write"]
    assert all(namespace[0].startswith("write:") for namespace, _ in events if namespace)


def test_a_pattern_node_runs_durably_under_the_runner(tmp_path: Path) -> None:
    spec = tmp_path / "pe.yaml"
    spec.write_text(plan_spec())
    factory, _ = scripted(call("pe_lookup", city="Oslo"), "About 700,000.",
                          structured=[steps(("pe_lookup", "find Oslo's population"))])
    with Runner(tmp_path / "runs.sqlite", model_factory=factory) as runner:  # SQLite, strict serializer
        result = runner.start(spec, {"q": "How many people live in Oslo?"})
        assert result.status == "done", result.message
        assert result.values["answer"] == "About 700,000."
        assert result.values["steps"][0]["result"] == "Oslo: 700000"
        assert [e.node for e in runner.history(result.thread_id)] == ["solve"]
        assert [c.node for c in runner.llm_calls(result.thread_id)] == ["solve"] * 3
    with Runner(tmp_path / "runs.sqlite") as again:  # the stored checkpoint loads back
        assert again.snapshot(result.thread_id).values["steps"] == result.values["steps"]
