"""Decoding under llama.cpp: the completion loop and what is decoded with it.

Contracts:
- every completion starts from the saved KV state that covers most of its
  prompt (``PooledModel.prefix_cache``) and saves its own state when it ends;
- the reported token count is what the reply used: the end-of-generation token
  is not counted, and a reply capped by ``max_tokens`` used all of them;
- a text answer offered tools can never start a call (the call marker is banned);
- calls and structured output are decoded under a grammar, so they parse and
  fit the schema, or a typed error says why not (cut off by ``max_tokens``).

The caller holds ``PooledModel.lock`` and passes the loaded ``llama`` in.
Nothing here knows LangChain: the chat model turns results into messages.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal

import numpy as np

from agentkit.errors import ContextOverflowError, ModelOutputError, ToolCallTruncatedError
from agentkit.llm.grammar import CALL_CLOSE, CALL_OPEN, validate_grammar
from agentkit.llm.pool import PooledModel

__all__ = ["DecodeRequest", "Decoder", "Piece"]

DecodeMode = Literal["text", "auto", "call", "json", "choice", "grammar"]


@dataclass(frozen=True, kw_only=True)
class DecodeRequest:
    """What one call decodes: the prompt, and which branch(es) the reply may take."""

    tokens: list[int]
    text_tokens: list[int]  # auto mode: the prompt without tool schemas, for a text answer
    mode: DecodeMode
    tools: list[dict[str, Any]]
    grammar: str | None  # call grammar (auto/call) or JSON grammar (json)
    max_calls: int
    max_tokens: int | None
    stop: list[str]
    sampling: dict[str, Any]  # the instance's settings with this call's overrides
    route: dict[str, Any] | None = None  # the auto-mode decision, reported in response_metadata
    choices: tuple[str, ...] = ()  # choice mode: the options whose first token is scored


@dataclass(frozen=True)
class Piece:
    """A piece of a reply: its text, the finish reason (on the last piece) and the
    number of tokens generated so far."""

    text: str
    finish: str | None
    generated: int


class Decoder:
    """Decodes requests on one pooled llama.cpp instance."""

    def __init__(self, pooled: PooledModel, *, n_ctx: int, model: str) -> None:
        self.pooled = pooled
        self.n_ctx = n_ctx
        self.model = model

    # -- prompt tokens ------------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        """The prompt tokens of ``text`` (rendered chat template: special tokens parsed)."""
        return self.pooled.llama.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def check_fits(self, tokens: list[int], max_tokens: int | None) -> None:
        """Raise ``ContextOverflowError`` if ``tokens`` plus the reply's budget exceed the context."""
        reserved = max_tokens if max_tokens and max_tokens > 0 else 1
        if len(tokens) + reserved > self.n_ctx:
            limit = self.pooled.info.context_length
            raise ContextOverflowError(
                f"the prompt is {len(tokens):,} tokens and {reserved:,} more are reserved for the "
                f"reply (max_tokens), over the {self.n_ctx:,}-token context of {self.model!r}; "
                f"shorten the messages, lower max_tokens, or raise n_ctx (this model allows up "
                f"to {limit:,})",
                prompt_tokens=len(tokens), n_ctx=self.n_ctx, reserved=reserved,
            )

    # -- the completion loop ------------------------------------------------------------

    @staticmethod
    def first_token(llama: Any, text: str) -> int:
        """The first token of ``text`` as the start of a reply (no BOS, no special tokens)."""
        return llama.tokenize(text.encode(), add_bos=False, special=False)[0]

    def next_token_probabilities(self, llama: Any, tokens: list[int], candidates: list[int]) -> np.ndarray:
        """P(next token) of each candidate after ``tokens`` (one forward pass, prefix reused)."""
        from llama_cpp import LogitsProcessorList

        seen: dict[str, np.ndarray] = {}

        def capture(_ids: Any, scores: np.ndarray) -> np.ndarray:
            if "p" not in seen:
                z = np.exp(scores.astype(np.float64) - float(np.max(scores)))
                seen["p"] = z[candidates] / z.sum()
            return scores

        self.pooled.prefix_cache.restore_best(llama, tokens)
        for _ in llama.create_completion(tokens, max_tokens=1, temperature=0.0, stream=True,
                                         logits_processor=LogitsProcessorList([capture])):
            pass
        self.pooled.prefix_cache.save(llama)
        return seen["p"]

    def completion(self, llama: Any, tokens: list[int], *, max_tokens: int | None,
                   stop: list[str], sampling: dict[str, Any], grammar: str | None = None,
                   logits_processor: list[Callable[..., Any]] | None = None) -> Iterator[Piece]:
        """Decode a reply to ``tokens``, piece by piece."""
        import llama_cpp
        from llama_cpp import LlamaGrammar, LogitsProcessorList, StoppingCriteriaList

        seen = {"n": 0, "last": -1}

        def count(ids: Any, _logits: Any) -> bool:
            # llama-cpp-python calls this with the sequence so far, for every sampled
            # token (the end-of-generation token included) and once more at the end.
            seen["n"] = max(seen["n"], len(ids) - len(tokens))
            seen["last"] = int(ids[-1]) if len(ids) else -1
            return False

        def generated(finish: str | None) -> int:
            if finish == "length" and max_tokens:
                return max_tokens  # a capped reply used its whole budget
            n = seen["n"]
            if n and llama_cpp.llama_vocab_is_eog(llama._model.vocab, seen["last"]):
                n -= 1  # the end-of-generation token is not part of the reply
            return min(n, max_tokens) if max_tokens else n

        self.pooled.prefix_cache.restore_best(llama, tokens)
        compiled = None
        if grammar is not None:
            validate_grammar(grammar, llama._model.vocab)
            compiled = LlamaGrammar.from_string(grammar, verbose=False)
        for chunk in llama.create_completion(
            tokens, max_tokens=max_tokens if max_tokens else -1, stop=stop or None, stream=True,
            grammar=compiled, stopping_criteria=StoppingCriteriaList([count]),
            logits_processor=LogitsProcessorList(logits_processor) if logits_processor else None,
            **sampling,
        ):
            choice = chunk["choices"][0]
            if choice.get("finish_reason"):
                self.pooled.prefix_cache.save(llama)
            yield Piece(choice["text"], choice.get("finish_reason"), generated(choice.get("finish_reason")))

    # -- what is decoded ----------------------------------------------------------------

    def text(self, llama: Any, request: DecodeRequest, *, ban_call: bool) -> Iterator[Piece]:
        """A free-text reply; ``ban_call``: it may not start a tool call."""
        processors = None
        if ban_call:  # no half-written call markup in a text answer
            marker = self._call_marker_tokens(llama)[0]

            def ban(_ids: Any, scores: np.ndarray) -> np.ndarray:
                scores[marker] = -math.inf
                return scores

            processors = [ban]
        yield from self.completion(llama, request.tokens, max_tokens=request.max_tokens, stop=request.stop,
                                   sampling=request.sampling, logits_processor=processors)

    def calls(self, llama: Any, request: DecodeRequest) -> tuple[list[dict[str, Any]], int]:
        """The tool calls (``{"name", "args": JSON text, "id", "index"}``) and the tokens used."""
        text, generated = self._constrained(llama, request, CALL_OPEN, "a tool call")
        calls = []
        for index, raw in enumerate(part for part in text.split(CALL_CLOSE) if part.strip()):
            raw = raw.replace(CALL_OPEN.strip(), "").strip()
            try:
                payload = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ModelOutputError(f"the model's tool call is not JSON ({exc}): {raw[:200]!r}") from None
            calls.append({"name": payload["name"], "args": json.dumps(payload["arguments"]),
                          "id": f"call_{uuid.uuid4().hex[:24]}", "index": index})
        return calls, generated

    def json(self, llama: Any, request: DecodeRequest) -> tuple[str, int]:
        """The structured output's JSON text and the tokens used."""
        return self._constrained(llama, request, "", "the structured output")

    def _constrained(self, llama: Any, request: DecodeRequest, prefix: str, what: str) -> tuple[str, int]:
        tokens = request.tokens + (llama.tokenize(prefix.encode(), add_bos=False, special=True) if prefix else [])
        self.check_fits(tokens, request.max_tokens)
        pieces, finish, generated = [], None, 0
        for piece in self.completion(llama, tokens, max_tokens=request.max_tokens, stop=[],
                                     sampling=request.sampling, grammar=request.grammar):
            pieces.append(piece.text)
            finish, generated = piece.finish or finish, piece.generated
        text = "".join(pieces)
        if finish == "length":
            raise ToolCallTruncatedError(
                f"the reply reached max_tokens={request.max_tokens} in the middle of {what} "
                f"({len(text)} characters so far: {text[:80]!r}...); raise max_tokens"
            )
        return text, generated

    @staticmethod
    def _call_marker_tokens(llama: Any) -> list[int]:
        return llama.tokenize(CALL_OPEN.strip().encode(), add_bos=False, special=True)
