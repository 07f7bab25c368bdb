"""The ``self_consistency`` node kind: sample several answers, keep the most common.

```yaml
answer:
  kind: self_consistency
  prompt: "{question} Answer with a number only."
  system: "You are good at arithmetic."      # optional
  samples: 5                                # 2..15 answers drawn
  temperature: 0.7                          # > 0: samples must be able to differ
  output: answer
  votes_output: votes                       # optional: {answer, votes: {normalised: count}, samples}
# structured samples: each is a dict under `schema`; vote on one key (optional)
classify:
  kind: self_consistency
  prompt: "Classify this ticket: {ticket}"
  schema: {type: object, properties: {label: {enum: [bug, feature, question]}, why: {type: string}},
           required: [label, why]}
  vote_on: label
  output: verdict
```

Sample ``i`` (0-based) is drawn with ``model.bind(temperature=T, seed=i)``: samples differ
from each other, and a rerun draws the same ones (on llama.cpp, when the prompt is in the
same cache state: its numbers differ slightly between a cold and a cached prompt).  Text
samples vote by their normalised form (trimmed, case-folded,
whitespace collapsed, trailing punctuation dropped); with ``schema`` a sample votes
by the canonical JSON of the whole dict or, with ``vote_on``, of that key's value
(a text value normalised as above).  The most common wins, a tie going to the
answer seen first, and ``output`` gets the first winning sample as it was drawn
(text, or the whole dict).  Samples run one after another as steps of a small
LangGraph graph inside the node (``sample`` x ``samples``, then ``vote``).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from pydantic import Field, model_validator

from agentkit.nodes import BuildContext, NodeAction, NodeKind, chat_messages, structured_output
from agentkit.nodes._patterns import PatternNode, outputs, run_inner

__all__ = ["KIND", "SelfConsistencyNode", "build_self_consistency", "normalise_answer", "tally"]

_TRAILING = ".,;:!?…。"


class SelfConsistencyNode(PatternNode):
    """Draw ``samples`` answers at ``temperature``; the most common goes into ``output``."""

    kind: Literal["self_consistency"]
    samples: int = Field(default=5, ge=2, le=15)
    temperature: float = Field(default=0.7, gt=0, le=2)
    output_schema: dict[str, Any] | None = Field(default=None, alias="schema")
    vote_on: str | None = None
    votes_output: str | None = None

    @model_validator(mode="after")
    def _vote_key(self) -> SelfConsistencyNode:
        if self.output_schema is not None and self.output_schema.get("type") != "object":
            raise ValueError("schema: must be a JSON schema of an object (type: object, with properties)")
        if self.vote_on is not None:
            properties = (self.output_schema or {}).get("properties") or {}
            if self.output_schema is None:
                raise ValueError("vote_on: needs a schema whose properties include it")
            if self.vote_on not in properties:
                raise ValueError(f"vote_on: {self.vote_on!r} is not a property of the schema; "
                                 f"properties: {', '.join(properties) or '(none)'}")
        return self

    def writes(self) -> dict[str, str | None]:
        return {**super().writes(), "votes_output": self.votes_output}


class _State(TypedDict, total=False):
    task: str
    system: str
    samples: list[Any]  # text or dicts, in the order drawn
    result: dict[str, Any]  # {answer, votes, samples}


def normalise_answer(text: str) -> str:
    """A text answer's voting form: trimmed, case-folded, whitespace collapsed, no trailing punctuation."""
    collapsed = " ".join(str(text).casefold().split())
    return collapsed.rstrip(_TRAILING).rstrip()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _ballot(sample: Any, structured: bool, vote_on: str | None) -> str:
    if not structured:
        return normalise_answer(sample)
    if vote_on is not None:
        value = sample.get(vote_on) if isinstance(sample, dict) else None
        return normalise_answer(value) if isinstance(value, str) else _canonical(value)
    return _canonical(sample)


def tally(samples: list[Any], *, structured: bool = False, vote_on: str | None = None) -> dict[str, Any]:
    """``{"answer", "votes", "samples"}``: the first sample of the most common ballot (ties
    go to the ballot seen first), the count of each ballot, and how many were drawn."""
    ballots = [_ballot(s, structured, vote_on) for s in samples]
    votes = Counter(ballots)  # keeps first-seen order, and max() returns the first of equal counts
    winner = max(votes, key=votes.__getitem__) if votes else None
    answer = samples[ballots.index(winner)] if winner is not None else None
    return {"answer": answer, "votes": dict(votes), "samples": len(samples)}


def _sampler(model: Any, schema: dict[str, Any] | None, temperature: float, seed: int) -> Any:
    """The runnable drawing one sample with this temperature and seed."""
    if schema is None:
        return model.bind(temperature=temperature, seed=seed)
    return structured_output(model, {"title": "answer", **schema}, temperature=temperature, seed=seed)


def build_self_consistency(name: str, node: SelfConsistencyNode, context: BuildContext) -> NodeAction:
    model = context.model(node.model)
    structured = node.output_schema is not None
    samplers = [_sampler(model, node.output_schema, node.temperature, seed) for seed in range(node.samples)]

    def sample(state: _State) -> dict[str, Any]:
        drawn = state["samples"]
        reply = samplers[len(drawn)].invoke(chat_messages(state["system"], state["task"]))
        return {"samples": [*drawn, reply if structured else reply.content]}

    def vote(state: _State) -> dict[str, Any]:
        return {"result": tally(state["samples"], structured=structured, vote_on=node.vote_on)}

    def after_sample(state: _State) -> str:
        return "sample" if len(state["samples"]) < node.samples else "vote"

    graph = StateGraph(_State)
    graph.add_node("sample", sample)
    graph.add_node("vote", vote)
    graph.add_edge(START, "sample")
    graph.add_conditional_edges("sample", after_sample, ["sample", "vote"])
    graph.add_edge("vote", END)
    inner = graph.compile(name="self_consistency")

    def run(state: dict[str, Any]) -> dict[str, Any]:
        final = run_inner(inner, node, state, {"samples": [], "result": {}}, supersteps=node.samples + 1)
        return outputs(node.output, final["result"]["answer"], node.votes_output, final["result"])

    return run


KIND = NodeKind(name="self_consistency", spec=SelfConsistencyNode, build=build_self_consistency)
