"""The ``plan_execute`` node kind: plan tool steps, run them, answer from their results.

```yaml
solve:
  kind: plan_execute
  prompt: "{question}"
  system: "You are careful with numbers."     # optional
  tools: [calculator, search_memory]          # at least one registered tool
  pin: {search_memory: {collection: docs}}    # arguments the graph fixes; the model never sets them
  max_steps: 4                                # 1..10: the plan's longest length
  output: answer
  steps_output: steps                         # optional: [{step, tool, goal, args, result}]
```

Three steps, run as a small LangGraph graph inside the node (``plan`` -> ``execute``
once per planned step -> ``synthesize``):

- **plan**: one structured call whose JSON schema only admits 1..``max_steps`` steps,
  each naming one of the node's tools (``{"goal": ..., "tool": {"enum": tools}}``), so
  with grammar-constrained decoding the plan cannot be longer or name another tool;
- **execute**: per step, one call with that step's tool forced (``tool_choice``), run
  through the agent node's tool-call path: a call to a tool other than the step's is
  refused, and a tool's error comes back as text; both are kept as the step's result,
  as is a reply without a tool call or a call cut off at ``max_tokens``, and the next
  step runs;
- **synthesize**: one plain call answers the task from the numbered step results.

Tools marked high-risk are refused here, as on an agent node without ``allow_high_risk``.
"""

from __future__ import annotations

import json
from typing import Any, Literal, TypedDict

from langchain_core.messages import AIMessage
from langgraph.graph import END, START, StateGraph
from pydantic import Field

from agentkit.errors import ToolCallTruncatedError
from agentkit.nodes import (
    BuildContext,
    NodeAction,
    NodeKind,
    ToolName,
    call_tool,
    chat_messages,
    structured_output,
    template_fields,
    traced_step,
)
from agentkit.nodes._patterns import PatternNode, clip, outputs, run_inner

__all__ = ["KIND", "PlanExecuteNode", "build_plan_execute", "plan_schema"]


class PlanExecuteNode(PatternNode):
    """Plan up to ``max_steps`` tool steps for the task, run them, answer into ``output``."""

    kind: Literal["plan_execute"]
    tools: list[ToolName] = Field(min_length=1)
    pin: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="tool -> arguments the graph fixes (templated from state); the model "
                                          "never sees or sets them")
    max_steps: int = Field(default=4, ge=1, le=10)
    steps_output: str | None = None

    def templates(self) -> dict[str, str | None]:
        return {**super().templates(), **{f"pin.{tool}.{arg}": value for tool, args in self.pin.items()
                                          for arg, value in args.items() if isinstance(value, str)}}

    def writes(self) -> dict[str, str | None]:
        return {**super().writes(), "steps_output": self.steps_output}


class _State(TypedDict, total=False):
    task: str
    system: str
    planned: list[dict[str, Any]]  # [{tool, goal}]
    steps: list[dict[str, Any]]  # [{step, tool, goal, args, result}]
    answer: str
    pin_state: dict[str, Any]  # the parent's fields the pinned arguments read


def plan_schema(tools: list[str], max_steps: int) -> dict[str, Any]:
    """The planner's JSON schema: 1..``max_steps`` steps, each one of ``tools`` and a goal."""
    # the goal first: a small model that names the tool first tends to copy its description as the goal
    step = {"type": "object", "properties": {"goal": {"type": "string", "minLength": 1, "maxLength": 160},
                                             "tool": {"enum": list(tools)}},
            "required": ["goal", "tool"]}
    return {"title": "plan", "type": "object",
            "properties": {"steps": {"type": "array", "items": step, "minItems": 1, "maxItems": max_steps}},
            "required": ["steps"]}


def _plan_prompt(task: str, tools: dict[str, Any], max_steps: int) -> str:
    listing = "\n".join(f"- {name}: {access.tool.description}" for name, access in tools.items())
    return (f"Available tools:\n{listing}\n\nTask: {task}\n\n"
            f"Break the task into 1 to {max_steps} steps; use only the tools the task needs. For each step write "
            f"its goal in the task's own terms (what to compute or look up), then the one tool that does it.")


def _results(steps: list[dict[str, Any]]) -> str:
    lines = [f"{s['step']}. {s['tool']}({json.dumps(s['args'], ensure_ascii=False)}) -> {clip(s['result'])}"
             for s in steps]
    return "\n".join(lines) or "(none yet)"


def _step_prompt(task: str, steps: list[dict[str, Any]], tool: str, goal: str) -> str:
    return (f"Task: {task}\n\nResults so far:\n{_results(steps)}\n\n"
            f"This step: use the tool {tool} to {goal}\nCall {tool} with the arguments this step needs.")


def _answer_prompt(task: str, steps: list[dict[str, Any]]) -> str:
    return (f"Task: {task}\n\nSteps taken (number. tool(arguments) -> result):\n{_results(steps)}\n\n"
            f"Answer the task using these results.")


def build_plan_execute(name: str, node: PlanExecuteNode, context: BuildContext) -> NodeAction:
    tools = context.tools(node.tools, pin=node.pin)  # an unknown tool or a high-risk one is refused here
    model = context.model(node.model)
    planner = structured_output(model, plan_schema(list(tools), node.max_steps))
    callers = {tool_name: model.bind_tools([access.model_view()], tool_choice=tool_name)
               for tool_name, access in tools.items()}
    pin_fields = sorted({f for args in node.pin.values() for v in args.values() if isinstance(v, str)
                         for f in template_fields(v)})

    def plan(state: _State) -> dict[str, Any]:
        reply = planner.invoke(chat_messages(state["system"], _plan_prompt(state["task"], tools, node.max_steps)))
        steps = reply.get("steps") if isinstance(reply, dict) else None
        planned = [{"tool": str(s.get("tool", "")), "goal": str(s.get("goal", ""))}
                   for s in steps or [] if isinstance(s, dict)]
        return {"planned": planned[:node.max_steps]}  # the schema's bound, kept for models without grammars

    def execute(state: _State) -> dict[str, Any]:
        done = state["steps"]
        step = state["planned"][len(done)]
        tool_name, goal = step["tool"], step["goal"]
        if tool_name not in callers:  # only a model that ignores the schema's enum gets here
            call = {"name": tool_name, "args": {}, "id": f"plan_{len(done) + 1}"}
            result, args = call_tool(call, tools, state=state["pin_state"], node=name).content, {}
        else:
            try:
                reply = callers[tool_name].invoke(chat_messages(state["system"], _step_prompt(state["task"], done,
                                                                                          tool_name, goal)))
            except ToolCallTruncatedError as exc:  # a runaway argument: this step fails, the plan goes on
                reply = AIMessage(f"(its call was cut off: {clip(str(exc), 200)})")
            if reply.tool_calls:
                call = reply.tool_calls[0]
                # only this step's tool may run: a call to any other is refused, errors come back as text
                result = call_tool(call, {tool_name: tools[tool_name]}, state=state["pin_state"], node=name).content
                args = tools[tool_name].arguments(call["args"], state["pin_state"])
            else:
                result, args = f"no tool call; the model replied: {clip(reply.content, 500)}", {}
        record = {"step": len(done) + 1, "tool": tool_name, "goal": goal, "args": args, "result": str(result)}
        return {"steps": [*done, record]}

    def synthesize(state: _State) -> dict[str, Any]:
        reply = model.invoke(chat_messages(state["system"], _answer_prompt(state["task"], state["steps"])))
        return {"answer": reply.content}

    def next_step(state: _State) -> str:
        return "execute" if len(state["steps"]) < len(state["planned"]) else "synthesize"

    graph = StateGraph(_State)
    graph.add_node("plan", traced_step("plan", plan))
    graph.add_node("execute", traced_step("execute", execute))
    graph.add_node("synthesize", traced_step("synthesize", synthesize))
    graph.add_edge(START, "plan")
    graph.add_conditional_edges("plan", next_step, ["execute", "synthesize"])
    graph.add_conditional_edges("execute", next_step, ["execute", "synthesize"])
    graph.add_edge("synthesize", END)
    inner = graph.compile(name="plan_execute")

    def run(state: dict[str, Any]) -> dict[str, Any]:
        pin_state = {f: state.get(f) for f in pin_fields}
        final = run_inner(inner, node, state, {"planned": [], "steps": [], "answer": "", "pin_state": pin_state},
                          supersteps=node.max_steps + 2)  # plan, each step, answer
        return outputs(node.output, final["answer"], node.steps_output, final["steps"])

    return run


KIND = NodeKind(name="plan_execute", spec=PlanExecuteNode, build=build_plan_execute)
