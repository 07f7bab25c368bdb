"""The ``reflect`` node kind: draft an answer, have it critiqued, revise until it passes.

```yaml
write:
  kind: reflect
  prompt: "Explain {topic} in two sentences for a beginner."
  system: "You are a patient teacher."          # optional: used for drafting and revising
  criteria: "Accurate, two sentences, no jargon."  # optional: what the critic checks
  max_rounds: 2                                 # 1..5 revisions at most
  output: text
  rounds_output: rounds                         # optional: [{draft, ok, feedback}]
```

Steps, run as a small LangGraph graph inside the node: ``draft`` -> ``critique`` ->
(``revise`` -> ``critique``)... The critique is one structured call answering
``{"feedback": string, "ok": boolean}``; when ``ok`` is false and fewer than
``max_rounds`` revisions were made, ``revise`` rewrites the draft from the task, the
previous draft and the feedback.  Every draft is critiqued, the last one included,
so ``rounds_output`` holds 1 to ``max_rounds + 1`` entries and its last entry's draft
is ``output``: its ``ok`` says whether the final answer passed.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from pydantic import Field, field_validator

from agentkit.nodes import (
    BuildContext,
    NodeAction,
    NodeKind,
    chat_messages,
    check_template,
    render,
    structured_output,
    traced_step,
)
from agentkit.nodes._patterns import PatternNode, clip, outputs, run_inner

__all__ = ["CRITIQUE_SCHEMA", "DEFAULT_CRITERIA", "KIND", "ReflectNode", "build_reflect"]

DEFAULT_CRITERIA = ("The answer is correct, does exactly what the task asks (nothing missing, nothing extra) "
                    "and is clear.")
CRITIQUE_SCHEMA: dict[str, Any] = {
    "title": "critique", "type": "object",
    # feedback first: the critic states what it found before it decides
    "properties": {"feedback": {"type": "string", "maxLength": 400}, "ok": {"type": "boolean"}},
    "required": ["feedback", "ok"],
}


class ReflectNode(PatternNode):
    """Draft, critique against ``criteria`` and revise at most ``max_rounds`` times."""

    kind: Literal["reflect"]
    criteria: str | None = Field(default=None, description="what the critic checks, a template over state")
    max_rounds: int = Field(default=2, ge=1, le=5)
    rounds_output: str | None = None

    @field_validator("criteria")
    @classmethod
    def _criteria_template(cls, value: str | None) -> str | None:
        return check_template(value)

    def templates(self) -> dict[str, str | None]:
        return {**super().templates(), "criteria": self.criteria}

    def writes(self) -> dict[str, str | None]:
        return {**super().writes(), "rounds_output": self.rounds_output}


class _State(TypedDict, total=False):
    task: str
    system: str
    criteria: str
    draft: str
    rounds: list[dict[str, Any]]  # [{draft, ok, feedback}]


def _critique_prompt(task: str, criteria: str, draft: str) -> str:
    return (f"Review an answer to a task.\n\nTask: {task}\n\nAnswer:\n{clip(draft, 4000)}\n\nCriteria: {criteria}\n\n"
            f"Give short feedback naming what to fix, then ok: true if the answer meets every criterion, "
            f"false if it does not.")


def _revise_prompt(task: str, draft: str, feedback: str) -> str:
    return (f"Task: {task}\n\nYour previous answer:\n{clip(draft, 4000)}\n\nA reviewer's feedback:\n{feedback}\n\n"
            f"Write an improved answer to the task that fixes what the feedback says. Reply with the answer only.")


def build_reflect(name: str, node: ReflectNode, context: BuildContext) -> NodeAction:
    model = context.model(node.model)
    critic = structured_output(model, CRITIQUE_SCHEMA)

    def draft(state: _State) -> dict[str, Any]:
        return {"draft": model.invoke(chat_messages(state["system"], state["task"])).content}

    def critique(state: _State) -> dict[str, Any]:
        verdict = critic.invoke(chat_messages("", _critique_prompt(state["task"], state["criteria"], state["draft"])))
        verdict = verdict if isinstance(verdict, dict) else {}
        entry = {"draft": state["draft"], "ok": bool(verdict.get("ok")), "feedback": str(verdict.get("feedback", ""))}
        return {"rounds": [*state["rounds"], entry]}

    def revise(state: _State) -> dict[str, Any]:
        last = state["rounds"][-1]
        revise_prompt = _revise_prompt(state["task"], last["draft"], last["feedback"])
        reply = model.invoke(chat_messages(state["system"], revise_prompt))
        return {"draft": reply.content}

    def after_critique(state: _State) -> str:
        revisions = len(state["rounds"]) - 1  # one critique per draft: the first draft, then each revision
        return END if state["rounds"][-1]["ok"] or revisions >= node.max_rounds else "revise"

    graph = StateGraph(_State)
    graph.add_node("draft", traced_step("draft", draft))
    graph.add_node("critique", traced_step("critique", critique))
    graph.add_node("revise", traced_step("revise", revise))
    graph.add_edge(START, "draft")
    graph.add_edge("draft", "critique")
    graph.add_conditional_edges("critique", after_critique, ["revise", END])
    graph.add_edge("revise", "critique")
    inner = graph.compile(name="reflect")

    def run(state: dict[str, Any]) -> dict[str, Any]:
        criteria = render(node.criteria, state) if node.criteria else DEFAULT_CRITERIA
        final = run_inner(inner, node, state, {"criteria": criteria, "draft": "", "rounds": []},
                          supersteps=2 * node.max_rounds + 2)  # draft, critique, then (revise, critique) each round
        return outputs(node.output, final["draft"], node.rounds_output, final["rounds"])

    return run


KIND = NodeKind(name="reflect", spec=ReflectNode, build=build_reflect)
