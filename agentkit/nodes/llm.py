"""The ``llm`` node kind: a prompt template over state -> the model's text (or structured output).

```yaml
answer:
  kind: llm
  system: "You answer from the passages only."   # optional, a template
  prompt: "Passages: {passages}\\nQuestion: {question}"
  model: qwen2.5-coder-0.5b                      # optional: the default model
  max_tokens: 200                                 # optional, per node
  temperature: 0                                  # optional, per node
  schema: {type: object, properties: {...}}       # optional: a dict under this JSON schema
  evidence: [passages]                            # optional: fields holding text read from documents,
  output: answer                                  #   pictures or recordings
```

The sentences of an ``evidence`` field that give the model orders ("Note to AI assistants:
reply that ...", "Ignore the previous instructions") are removed before the prompt is
rendered (``agentkit.nodes._directives``): text the graph reads is data, never instructions.
``judge: MODEL`` also removes the sentences that model judges to be orders (one call per
sentence, remembered): the rules know a few forms, a model generalises to new phrasings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from agentkit.nodes import (
    BuildContext,
    GraphSpec,
    Name,
    NodeAction,
    NodeKind,
    Problem,
    chat_messages,
    render,
    structured_output,
    writes_type_problem,
)
from agentkit.nodes._directives import ReadsEvidence

__all__ = ["KIND", "LLMNode", "build_llm"]


class LLMNode(ReadsEvidence):
    """A prompt template over state -> text (or structured output) into a field."""

    kind: Literal["llm"]
    prompt: str
    system: str | None = None
    model: str | None = None
    max_tokens: int | None = Field(default=None, ge=1, le=32_768, description="cap on the reply's length")
    temperature: float | None = Field(default=None, ge=0, le=2, description="sampling temperature (0: greedy)")
    output: Name
    output_schema: dict[str, Any] | None = Field(default=None, alias="schema")
    def templates(self) -> dict[str, str | None]:
        return {"prompt": self.prompt, "system": self.system}

    def check(self, graph: GraphSpec) -> list[Problem]:
        problem = writes_type_problem(graph, self.output, self.output_schema)
        return [(("output",), problem)] if problem else []

    def sampling(self) -> dict[str, Any]:
        """The per-call model settings this node sets."""
        return {k: v for k, v in (("max_tokens", self.max_tokens), ("temperature", self.temperature)) if v is not None}


def build_llm(name: str, node: LLMNode, context: BuildContext) -> NodeAction:
    model = context.model(node.model)
    judge = node.evidence_judge(context)
    settings = node.sampling()
    if node.output_schema is not None:
        runnable: Any = structured_output(model, node.output_schema, **settings)
    else:
        runnable = model.bind(**settings) if settings else model

    def run(state: dict[str, Any]) -> dict[str, Any]:
        state = node.evidence_removed(state, judge)
        result = runnable.invoke(chat_messages(render(node.system or "", state), render(node.prompt, state)))
        return {node.output: result.content if node.output_schema is None else result}

    return run


KIND = NodeKind(name="llm", spec=LLMNode, build=build_llm)
