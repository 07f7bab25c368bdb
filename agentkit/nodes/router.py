"""The ``router`` node kind: choose the next node by an expression over state, or by the LLM.

```yaml
triage:                       # a rule: an expression that evaluates to a label
  kind: router
  expression: "'picture' if image else 'text'"
  routes: {picture: look, text: answer}
  default: answer             # optional: where any other label goes
pick:                         # the model picks a label
  kind: router
  prompt: "Question: {question}"
  routes: {receipt: receipt, story: story}
gate:                         # a measured yes/no gate, with its own instructions and examples
  kind: router
  system: "You decide whether answering a question needs arithmetic. Reply yes or no."
  examples: [{prompt: "Question: How much do four adult tickets cost?", label: "yes"},
             {prompt: "Question: How much is an adult ticket?", label: "no"}]
  prompt: "Question: {question}"
  routes: {"yes": research, "no": documents}
  threshold: {"yes": 0.74}    # choose yes when P(yes) >= 0.74, else the most likely label
  output: kind_p              # optional: {label: probability} into state, for a later node to weigh
```

The expression language is ``agentkit.nodes.expressions`` (never Python's ``eval``).  An
LLM router shows the model each label with its target node's ``description`` (choices
first, the request last) -- or, with ``system``/``examples``, exactly that conversation.
On a model that scores choices (agentkit's llama.cpp model), the label is read from the
next-token probabilities of the labels (lower-case and capitalised), one forward pass, and
``threshold`` picks a label once its probability reaches the value; on any other model the
label is decoded under a one-of grammar.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field

from agentkit.errors import UserError
from agentkit.nodes import (
    BuildContext,
    BuiltNode,
    GraphSpec,
    Name,
    NodeKind,
    NodeSpec,
    Problem,
    Route,
    render,
    structured_output,
)
from agentkit.nodes.expressions import compile_expression

__all__ = ["KIND", "RouterNode", "build_router"]


class RouterExample(BaseModel):
    """A worked example for an LLM router: a request and the label it should get."""

    model_config = ConfigDict(extra="forbid")
    prompt: str = Field(min_length=1)
    label: Name


class RouterNode(NodeSpec):
    """Choose the next node: by an expression over state, or by the LLM picking a label."""

    kind: Literal["router"]
    routes: dict[Name, Name] = Field(min_length=1, description="label -> target node (or 'end')")
    expression: str | None = Field(default=None, description="evaluates to a label")
    prompt: str | None = Field(default=None, description="asks the LLM to choose a label")
    system: str | None = Field(default=None, description="instructions for an LLM router (replaces the "
                                                         "described choices)")
    examples: list[RouterExample] = Field(default_factory=list, max_length=32,
                                          description="worked examples shown to the model as earlier turns")
    threshold: dict[Name, float] = Field(default_factory=dict, description="label -> probability at which it "
                                                                           "is chosen (checked in order)")
    model: str | None = None
    default: Name | None = None
    output: Name | None = Field(default=None, description="an LLM router: the state field that gets each label's "
                                                          "probability (1.0 for the chosen label on a model that "
                                                          "scores no choices)")

    def templates(self) -> dict[str, str | None]:
        return {"prompt": self.prompt, "system": self.system}

    def writes(self) -> dict[str, str | None]:
        return {"output": self.output}

    def branches(self) -> list[Route]:
        routes = [Route(target=target, label=label, key=f"routes.{label}") for label, target in self.routes.items()]
        return routes + ([Route(target=self.default, label="default", key="default")] if self.default else [])

    def check(self, graph: GraphSpec) -> list[Problem]:
        problems: list[Problem] = []
        if (self.expression is None) == (self.prompt is None):
            problems.append(((), "a router needs exactly one of 'expression' or 'prompt'"))
        if self.output is not None and self.expression is not None:
            problems.append((("output",), "only an LLM router ('prompt') has probabilities to write; an expression "
                                          "router's choice follows from state already"))
        for i, example in enumerate(self.examples):
            if example.label not in self.routes:
                problems.append((("examples", i, "label"), f"label {example.label!r} is not one of the routes: "
                                                           f"{', '.join(self.routes)}"))
        for label, value in self.threshold.items():
            if label not in self.routes:
                problems.append((("threshold", label), f"{label!r} is not one of the routes: {', '.join(self.routes)}"))
            if not 0 <= value <= 1:
                problems.append((("threshold", label), f"a threshold is a probability between 0 and 1, not {value}"))
        return problems


def build_router(name: str, node: RouterNode, context: BuildContext) -> BuiltNode:
    labels = list(node.routes)

    def target(label: Any) -> str:
        label = str(label)
        if label in node.routes:
            return node.routes[label]
        if node.default:
            return node.default
        raise UserError(f"router {name!r} chose {label!r}, which is not one of its routes: {', '.join(labels)}")

    if node.expression is not None:
        evaluate = compile_expression(node.expression, set(context.graph.state))
        return BuiltNode(action=lambda state: {}, route=lambda state: target(evaluate(state)))

    chat_model = context.model(node.model)
    scores_choices = bool(getattr(chat_model, "scores_choices", False))
    picker = structured_output(chat_model, {"title": "choice", "type": "object",
                                            "properties": {"label": {"enum": labels}}, "required": ["label"]})
    # Each label with what its target does (the target node's description), so the model
    # chooses between specialists by what they are for, not by their names alone; the
    # choices come first and the request last, which the 0.5B default model follows best.
    nodes = context.graph.nodes
    choices = "\n".join(f"- {label}: {nodes[to].description}" if to in nodes and nodes[to].description
                        else f"- {label}" for label, to in node.routes.items())
    prompt = node.prompt or ""
    worked: list[Any] = []
    for example in node.examples:
        worked += [HumanMessage(example.prompt), AIMessage(example.label)]
    # Each label scored by its lower-case and capitalised first token (when they differ).
    variants = {label: list(dict.fromkeys([label, label[:1].upper() + label[1:]])) for label in labels}
    options = [v for label in labels for v in variants[label]]

    def messages(state: dict[str, Any]) -> list[Any]:
        if node.system or node.examples:
            system = [SystemMessage(render(node.system, state))] if node.system else []
            return [*system, *worked, HumanMessage(render(prompt, state))]
        return [HumanMessage(f"Choices:\n{choices}\n\n{render(prompt, state)}\n"
                             f"Reply with the label of the one choice that fits.")]

    def label_probabilities(state: dict[str, Any]) -> dict[str, float]:
        reply = chat_model.bind(choices=options).invoke(messages(state))
        p = reply.response_metadata.get("choice_probabilities") or {}
        totals = {label: sum(float(p.get(v, 0.0)) for v in variants[label]) for label in labels}
        norm = sum(totals.values())
        return {label: value / norm for label, value in totals.items()} if norm > 0 else totals

    def probabilities(state: dict[str, Any]) -> dict[str, float]:
        if not scores_choices:  # decoded under a one-of grammar: that label, certain
            return {str(picker.invoke(messages(state))["label"]): 1.0}
        return label_probabilities(state)

    def choose(p: dict[str, float]) -> str:
        likeliest = max(p, key=p.__getitem__, default=None)
        if likeliest is not None and likeliest not in node.routes:
            return target(likeliest)  # the default route, or a clear error
        chosen = next((label for label, value in node.threshold.items() if p.get(label, 0.0) >= value), None)
        if chosen is None:
            rest = [label for label in labels if label not in node.threshold] or labels
            chosen = max(rest, key=lambda label: p.get(label, 0.0))
        return target(chosen)

    if node.output is not None:  # the probabilities land in state, and the route is read from there
        output = node.output
        return BuiltNode(action=lambda state: {output: probabilities(state)},
                         route=lambda state: choose(state.get(output) or {}))
    return BuiltNode(action=lambda state: {}, route=lambda state: choose(probabilities(state)))


KIND = NodeKind(name="router", spec=RouterNode, build=build_router)
