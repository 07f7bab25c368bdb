"""Graph specs: loading, located errors, cross-graph checks, safety and round trips."""

from __future__ import annotations

import copy
import json
import random
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from agentkit.cli import app
from agentkit.spec import GraphBuilder, GraphSpec, SpecError, dump_spec, load_spec, parse_spec, spec_json_schema

VALID = Path(__file__).parent / "specs" / "valid.yaml"
VALID_DATA = yaml.safe_load(VALID.read_text())


def _text(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False)


def _issues(text: str) -> list:
    with pytest.raises(SpecError) as info:
        parse_spec(text, source="g.yaml")
    return info.value.issues


def test_the_reference_spec_loads_with_every_node_kind() -> None:
    spec = load_spec(VALID)
    assert {n.kind for n in spec.nodes.values()} == {"llm", "agent", "tool", "router", "map", "subgraph", "python"}
    assert spec.nodes["plan"].output_schema == {"type": "array", "items": {"type": "string"}}
    assert spec.edges[0].source == "plan" and spec.recursion_limit == 40


def test_yaml_round_trip_gives_an_equal_spec() -> None:
    spec = load_spec(VALID)
    again = parse_spec(dump_spec(spec))
    assert again == spec
    assert dump_spec(again) == dump_spec(spec)


def test_python_built_spec_equals_the_yaml_one() -> None:
    built = GraphSpec.model_validate(json.loads(json.dumps(VALID_DATA)))
    assert load_spec(built) == load_spec(VALID)
    builder = GraphBuilder(VALID_DATA["name"], description=VALID_DATA["description"],
                           recursion_limit=VALID_DATA["recursion_limit"])
    for name, f in VALID_DATA["state"].items():
        builder.field(name, f["type"], reducer=f.get("reducer", "replace"), default=f.get("default"))
    builder.inputs(*VALID_DATA["input"]).outputs(*VALID_DATA["output"])
    for name, node in VALID_DATA["nodes"].items():
        builder.node(name, **node)
    for edge in VALID_DATA["edges"]:
        builder.edge(edge["from"], edge["to"])
    assert builder.build() == load_spec(VALID)


def test_builder_errors_carry_field_paths() -> None:
    with pytest.raises(SpecError) as info:
        GraphBuilder("g").field("q", "str").node("a", "llm", prompt="{q}", output="missing").build()
    assert [(i.path, i.line) for i in info.value.issues] == [("nodes.a.output", None)]
    assert "output 'missing' is not a state field" in info.value.issues[0].message


def test_errors_name_line_path_and_valid_choices() -> None:
    text = VALID.read_text().replace("kind: tool\n", "kind: toool\n").replace("max_steps: 4", "max_steps: four")
    issues = {i.path: i for i in _issues(text)}
    kind = issues["nodes.lookup.kind"]
    assert "unknown node kind 'toool'" in kind.message and "llm, agent, tool" in kind.message
    assert kind.line == text.splitlines().index("    kind: toool") + 1
    steps = issues["nodes.summarize.max_steps"]
    assert "integer" in steps.message and '"four"' in steps.message
    assert steps.line == next(i for i, line in enumerate(text.splitlines(), 1) if "max_steps" in line)


def test_unknown_keys_list_the_valid_ones() -> None:
    data = copy.deepcopy(VALID_DATA)
    data["nodes"]["lookup"]["colour"] = "red"
    data["entrypoint"] = "plan"
    issues = {i.path: i.message for i in _issues(_text(data))}
    assert issues["nodes.lookup.colour"].startswith("unknown key 'colour'; valid keys:")
    assert "tool, args, output" in issues["nodes.lookup.colour"]
    assert "entry" in issues["entrypoint"]


@pytest.mark.parametrize(("mutate", "path", "expected"), [
    (lambda d: d["edges"].append({"from": "plan", "to": "nowhere"}), "edges.5.to",
     "edge to unknown node 'nowhere'; valid targets: plan, research"),
    (lambda d: d["edges"].append({"from": "ghost", "to": "plan"}), "edges.5.from", "edge from unknown node 'ghost'"),
    (lambda d: d.update(entry="start"), "entry", "entry 'start' is not a node"),
    (lambda d: d["nodes"]["judge"]["routes"].update(maybe="limbo"), "nodes.judge.routes.maybe",
     "route 'maybe' goes to unknown node 'limbo'"),
    (lambda d: d["nodes"]["plan"].update(prompt="Topics of {questoin}"), "nodes.plan.prompt",
     "template variable {questoin} is not a state field"),
    (lambda d: d["nodes"]["lookup"]["args"].update(query="{nope}"), "nodes.lookup.args.query",
     "template variable {nope} is not a state field"),
    (lambda d: d["nodes"]["finish"].update(output="verdikt"), "nodes.finish.output",
     "output 'verdikt' is not a state field"),
    (lambda d: d["output"].append("score"), "output.2", "output field 'score' is not a state field"),
    (lambda d: d["state"]["notes"].update(reducer="concat"), "state.notes.reducer", "unknown reducer 'concat'"),
    (lambda d: d["nodes"].update(orphan={"kind": "python", "function": "f"}), "nodes.orphan",
     "node 'orphan' is unreachable from entry 'plan'"),
    (lambda d: d["nodes"]["judge"].update(expression="answer != ''"), "nodes.judge",
     "exactly one of 'expression' or 'prompt'"),
    (lambda d: d["nodes"]["plan"].update(prompt="{unclosed"), "nodes.plan.prompt", "bad template"),
    (lambda d: d["state"]["verdict"].update(type="int") or d["nodes"]["judge"].update(prompt="ok?")
     or d["nodes"]["plan"].update(output="verdict"), "nodes.plan.output",
     "writes JSON of type 'array' (list) but state field 'verdict' has type 'int'"),
    (lambda d: d["state"]["notes"].update(reducer="replace"), "nodes.research.output",
     "declare it {type: list, reducer: append}"),
])
def test_cross_graph_checks(mutate, path: str, expected: str) -> None:
    data = copy.deepcopy(VALID_DATA)
    mutate(data)
    issues = {i.path: i for i in _issues(_text(data))}
    assert path in issues, issues
    assert expected in issues[path].message
    assert issues[path].line is not None


def test_a_loop_with_no_exit_is_caught() -> None:
    data = copy.deepcopy(VALID_DATA)
    data["edges"] = [e for e in data["edges"] if e["from"] != "finish"] + [{"from": "finish", "to": "lookup"}]
    data["nodes"]["judge"]["routes"] = {"complete": "finish", "incomplete": "lookup"}
    messages = [i.message for i in _issues(_text(data))]
    assert any("in a loop with no exit" in m for m in messages)


@pytest.mark.parametrize(("text", "expected"), [
    ("!!python/object/apply:os.system ['echo pwned']", "YAML tag"),
    ("name: x\nentry: !!python/name:os.system\n", "YAML tag"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", "alias bomb"),
    ("[" * 5000 + "]" * 5000, "nest"),  # "nested too deeply", or libyaml's "maximum nesting depth"
    ("name: x\nname: y\n", "duplicate key 'name'"),
    ("base: &b {kind: llm}\nnode:\n  <<: *b\n", "merge keys"),
    ("", "empty"),
    ("- just\n- a list\n", "a spec is a mapping"),
    ("name: [unclosed\n", "invalid YAML"),
    ("name: x\n" + "description: " + "y" * 1_100_000 + "\n", "larger than"),
])
def test_hostile_yaml_is_refused_without_running_anything(text: str, expected: str) -> None:
    started = time.perf_counter()
    issues = _issues(text)
    assert expected in issues[0].message
    # Not a speed test: an expanded bomb or an unbounded read takes minutes, a refusal well under a second
    # when idle; the bound is loose so that a busy machine does not fail it.
    assert time.perf_counter() - started < 15.0


def _mutations(rng: random.Random):
    junk = [None, 0, -1, 3.5, True, "", "x" * 5000, [], {}, [1, 2], {"k": "v"}, "{undefined}", "end", "🙂"]

    def paths(node, prefix=()):
        yield prefix
        if isinstance(node, dict):
            for k, v in node.items():
                yield from paths(v, (*prefix, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from paths(v, (*prefix, i))

    all_paths = [p for p in paths(VALID_DATA) if p]
    while True:
        data = copy.deepcopy(VALID_DATA)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(all_paths)
            parent = data
            try:
                for key in path[:-1]:
                    parent = parent[key]
                op = rng.random()
                if op < 0.4:
                    parent[path[-1]] = rng.choice(junk)
                elif op < 0.6 and isinstance(parent, dict):
                    del parent[path[-1]]
                elif op < 0.8 and isinstance(parent, dict):
                    parent[rng.choice(["extra", "kind", "nodes", "to", "type"]) + "_x"] = rng.choice(junk)
                else:
                    deep = "x"
                    for _ in range(rng.randint(1, 80)):
                        deep = [deep]
                    parent[path[-1]] = deep
            except (KeyError, IndexError, TypeError):
                continue
        yield _text(data)


def test_fuzzed_specs_are_rejected_with_located_messages_and_no_tracebacks() -> None:
    rng = random.Random(1234)
    rejected = accepted = 0
    slowest = 0.0
    for _, text in zip(range(1000), _mutations(rng), strict=False):
        started = time.perf_counter()
        try:
            parse_spec(text, source="fuzz.yaml")
            accepted += 1
        except SpecError as exc:  # anything else escapes and fails the test
            rejected += 1
            assert exc.issues
            for issue in exc.issues:
                assert issue.message and issue.line is not None, issue
        slowest = max(slowest, time.perf_counter() - started)
    assert rejected >= 900, (rejected, accepted)
    assert slowest < 1.0


def test_json_schema_describes_every_node_kind() -> None:
    schema = spec_json_schema()
    assert schema["title"] == "agentkit graph spec"
    assert {"LLMNode", "AgentNode", "ToolNode", "RouterNode", "MapNode", "SubgraphNode", "PythonNode"} <= set(
        schema["$defs"])


runner = CliRunner()


def test_cli_validate_and_schema(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["validate", str(VALID), "--no-resolve", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["valid"] is True
    unresolved = runner.invoke(app, ["validate", str(VALID), "--json"])  # its tools are not registered here
    assert unresolved.exit_code == 2
    problem = json.loads(unresolved.output)["problems"][0]
    assert problem["path"].startswith("nodes.") and problem["line"] > 1 and "unknown" in problem["message"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID.read_text().replace("tool: search_memory", "tool: [oops]"))
    result = runner.invoke(app, ["validate", str(bad), "--no-resolve", "--json"])
    assert result.exit_code == 2
    problems = json.loads(result.output)["problems"]
    assert problems[0]["path"] == "nodes.lookup.tool" and problems[0]["line"] > 1
    out = tmp_path / "schema.json"
    assert runner.invoke(app, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["title"] == "agentkit graph spec"


def test_show_draws_every_edge_offline() -> None:
    result = runner.invoke(app, ["show", str(VALID), "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    edges = {(e["from"], e["to"], e["label"]) for e in shown["edges"]}
    assert ("start", "plan", "") in edges and ("judge", "finish", "complete") in edges
    assert ("research", "summarize", "each topic in topics") in edges and ("finish", "end", "") in edges
    assert shown["mermaid"].startswith("flowchart TD") and "judge -- incomplete --> lookup" in shown["mermaid"]
    tree = runner.invoke(app, ["show", str(VALID)])
    assert tree.exit_code == 0 and "summarize" in tree.output and "flowchart TD" in tree.output
