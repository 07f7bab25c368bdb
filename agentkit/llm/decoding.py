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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from agentkit.errors import ContextOverflowError, ModelOutputError, ToolCallTruncatedError
from agentkit.llm.grammar import CALL_CLOSE, CALL_OPEN, validate_grammar
from agentkit.llm.pool import PooledModel

__all__ = ["DecodeRequest", "Decoder", "Piece", "PromptLookup"]

DecodeMode = Literal["text", "auto", "call", "json", "choice", "grammar"]


@dataclass(frozen=True, kw_only=True)
class PromptLookup:
    """Prompt-lookup speculative decoding: draft the next tokens by finding the last
    ``max_ngram`` tokens (down to ``min_ngram``) earlier in the prompt or the reply and
    copying what followed them there; the model checks a whole draft in one batch.

    Used only under greedy decoding (temperature 0, no repeat penalty).  Every token is still the model's most likely
    one, checked by the model, so the reply is the one plain decoding gives -- up to
    llama.cpp's rounding: a batch is evaluated with other kernels than one token
    (logits differ by up to ~0.4 here), so where two tokens are nearly tied the
    choice can flip (seen on free text, never on the quoted answers benchmarked).
    Drafts that do not pay (fewer than ``pays_from`` right tokens) pause drafting
    for 2, 4, ... 32 tokens; each miss shortens the next draft."""

    max_ngram: int = 3
    min_ngram: int = 3
    draft_tokens: int = 10
    min_draft: int = 4
    pays_from: int = 3  # a draft with fewer right tokens cost more than it saved (measured, 2 cores)

    def draft(self, history: np.ndarray, limit: int) -> list[int]:
        """Up to ``limit`` tokens that followed the first earlier occurrence of the
        history's last n-gram, for the longest n from ``max_ngram`` down to ``min_ngram``
        (llama-cpp-python's ``LlamaPromptLookupDecoding`` always goes down to 1)."""
        n = min(self.draft_tokens, limit)
        if n < self.min_draft:
            return []
        for size in range(self.max_ngram, self.min_ngram - 1, -1):
            if n <= 0 or len(history) <= size:
                continue
            windows = np.lib.stride_tricks.sliding_window_view(history[:-1], size)
            for idx in np.nonzero(np.all(windows == history[-size:], axis=1))[0]:
                return [int(t) for t in history[idx + size: idx + size + n]]
        return []


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
    lookup: PromptLookup | None = None  # prompt-lookup drafts, when greedy decoding allows them


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
        self.drafted = 0  # prompt-lookup draft tokens checked, and how many were right
        self.accepted = 0
        self.reused = 0  # prompt tokens the last decode took from the KV prefix cache (not evaluated again)

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

        self.reused = self.pooled.prefix_cache.restore_best(llama, tokens)
        for _ in llama.create_completion(tokens, max_tokens=1, temperature=0.0, stream=True,
                                         logits_processor=LogitsProcessorList([capture])):
            pass
        self.pooled.prefix_cache.save(llama)
        return seen["p"]

    def completion(self, llama: Any, tokens: list[int], *, max_tokens: int | None,
                   stop: list[str], sampling: dict[str, Any], grammar: str | None = None,
                   ban: Sequence[int] = (), lookup: PromptLookup | None = None) -> Iterator[Piece]:
        """Decode a reply to ``tokens``, piece by piece; ``ban``: tokens never sampled;
        ``lookup``: prompt-lookup drafts when the sampling is greedy."""
        if lookup is not None and _is_greedy(sampling):
            yield from self.lookup_completion(llama, tokens, max_tokens=max_tokens, stop=stop,
                                              lookup=lookup, grammar=grammar, ban=ban)
            return
        import llama_cpp
        from llama_cpp import LlamaGrammar, LogitsProcessorList, StoppingCriteriaList

        processors: list[Callable[..., Any]] = []
        if ban:
            banned = list(ban)

            def ban_tokens(_ids: Any, scores: np.ndarray) -> np.ndarray:
                scores[banned] = -math.inf
                return scores

            processors.append(ban_tokens)

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

        self.reused = self.pooled.prefix_cache.restore_best(llama, tokens)
        compiled = None
        if grammar is not None:
            validate_grammar(grammar, llama._model.vocab)
            compiled = LlamaGrammar.from_string(grammar, verbose=False)
        for chunk in llama.create_completion(
            tokens, max_tokens=max_tokens if max_tokens else -1, stop=stop or None, stream=True,
            grammar=compiled, stopping_criteria=StoppingCriteriaList([count]),
            logits_processor=LogitsProcessorList(processors) if processors else None,
            **sampling,
        ):
            choice = chunk["choices"][0]
            if choice.get("finish_reason"):
                self.pooled.prefix_cache.save(llama)
            yield Piece(choice["text"], choice.get("finish_reason"), generated(choice.get("finish_reason")))

    def lookup_completion(self, llama: Any, tokens: list[int], *, max_tokens: int | None, stop: list[str],
                          lookup: PromptLookup, grammar: str | None = None,
                          ban: Sequence[int] = ()) -> Iterator[Piece]:
        """Greedy decoding with prompt-lookup drafts: the same tokens as ``completion`` at
        temperature 0, fewer forward passes when the reply copies the prompt."""
        import llama_cpp

        ctx, vocab = llama.ctx, llama._model.vocab
        memory = llama_cpp.llama_get_memory(ctx)
        budget = max_tokens if max_tokens and max_tokens > 0 else self.n_ctx - len(tokens)
        batch = llama_cpp.llama_batch_init(max(lookup.draft_tokens + 1, 1), 0, 1)
        sampler = _greedy_sampler(llama, grammar, ban)
        try:
            self.reused = self.pooled.prefix_cache.restore_best(llama, tokens)
            live = llama.input_ids[: llama.n_tokens].tolist()
            shared = 0
            for a, b in zip(live, tokens, strict=False):
                if a != b:
                    break
                shared += 1
            llama.n_tokens = min(shared, len(tokens) - 1)  # the last prompt token is always evaluated
            llama.eval(tokens[llama.n_tokens:])  # drops the KV cells after n_tokens, then prefills
            text = _TextStream(llama, stop)
            generated, finish, n_draft, misses, pause = 0, None, lookup.draft_tokens, 0, 0
            token = llama_cpp.llama_sampler_sample(sampler, ctx, -1)
            while True:
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    finish = "stop"
                    break
                generated += 1
                piece, stopped = text.add(token)
                if piece:
                    yield Piece(piece, None, generated)
                if stopped or generated >= budget:
                    finish = "stop" if stopped else "length"
                    break
                history = np.append(llama.input_ids[: llama.n_tokens], np.intc(token))
                if pause:
                    pause -= 1
                    draft = []
                else:
                    draft = lookup.draft(history, min(n_draft, budget - generated, self.n_ctx - llama.n_tokens - 1))
                start = llama.n_tokens
                _decode(llama, batch, [token, *draft], start)
                token = None
                self.drafted += len(draft)
                for i, guess in enumerate(draft):
                    sampled = llama_cpp.llama_sampler_sample(sampler, ctx, i)
                    if sampled != guess:
                        n_draft = max(lookup.min_draft, i + 1)  # a miss: draft no further than what was right
                        misses = misses + 1 if i < lookup.pays_from else 0
                        pause = min(2 ** misses, 32) if misses else 0  # drafts that did not pay: pause longer
                        token = sampled
                        llama.n_tokens = start + 1 + i  # keep what was checked, drop the rest
                        llama_cpp.llama_memory_seq_rm(memory, -1, llama.n_tokens, -1)
                        break
                    self.accepted += 1
                    if llama_cpp.llama_vocab_is_eog(vocab, guess):
                        finish = "stop"
                        break
                    generated += 1
                    piece, stopped = text.add(guess)
                    if piece:
                        yield Piece(piece, None, generated)
                    if stopped or generated >= budget:
                        finish = "stop" if stopped else "length"
                        break
                if finish:
                    break
                if token is None:
                    if draft:
                        n_draft, misses = min(lookup.draft_tokens, n_draft * 2), 0  # all right: draft further
                    token = llama_cpp.llama_sampler_sample(sampler, ctx, len(draft))
            yield Piece(text.flush(), finish, generated)
        finally:
            llama_cpp.llama_sampler_free(sampler)
            llama_cpp.llama_batch_free(batch)
            llama._requires_eval = True  # the context's logits may belong to a rejected draft
        self.pooled.prefix_cache.save(llama)

    # -- what is decoded ----------------------------------------------------------------

    def text(self, llama: Any, request: DecodeRequest, *, ban_call: bool) -> Iterator[Piece]:
        """A free-text reply; ``ban_call``: it may not start a tool call."""
        ban = self._call_marker_tokens(llama)[:1] if ban_call else []  # no half-written call markup
        yield from self.completion(llama, request.tokens, max_tokens=request.max_tokens, stop=request.stop,
                                   sampling=request.sampling, ban=ban, lookup=request.lookup)

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
                                     sampling=request.sampling, grammar=request.grammar, lookup=request.lookup):
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


def _is_greedy(sampling: dict[str, Any]) -> bool:
    """Sampling that always takes the most likely token (what prompt lookup reproduces exactly)."""
    return sampling.get("temperature") == 0 and sampling.get("repeat_penalty", 1.0) == 1.0


def _greedy_sampler(llama: Any, grammar: str | None, ban: Sequence[int]) -> Any:
    """A llama.cpp sampler chain: banned tokens, the grammar, then the most likely token
    (what llama-cpp-python builds for temperature 0 without a repeat penalty)."""
    import llama_cpp

    chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    if ban:
        biases = (llama_cpp.llama_logit_bias * len(ban))(
            *[llama_cpp.llama_logit_bias(token=t, bias=-math.inf) for t in ban])
        llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_logit_bias(
            llama.n_vocab(), len(ban), biases))
    if grammar is not None:
        validate_grammar(grammar, llama._model.vocab)
        llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_grammar(
            llama._model.vocab, grammar.encode(), b"root"))
    llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_greedy())
    return chain


def _decode(llama: Any, batch: Any, tokens: list[int], start: int) -> None:
    """Evaluate ``tokens`` at positions ``start``... with logits for every one of them."""
    import llama_cpp

    for i, token in enumerate(tokens):
        batch.token[i] = token
        batch.pos[i] = start + i
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = 0
        batch.logits[i] = True
    batch.n_tokens = len(tokens)
    if llama_cpp.llama_decode(llama.ctx, batch) != 0:
        raise ModelOutputError(f"llama.cpp could not evaluate {len(tokens)} tokens at position {start}")
    llama.input_ids[start:start + len(tokens)] = tokens
    llama.n_tokens = start + len(tokens)


class _TextStream:
    """Token bytes -> text pieces, cut at the first stop string (held back while a
    piece could still be the start of one)."""

    def __init__(self, llama: Any, stop: Sequence[str]) -> None:
        import codecs

        self._llama = llama
        self._stop = [s for s in stop if s]
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
        self._text = ""
        self._sent = 0

    def add(self, token: int) -> tuple[str, bool]:
        """The text that can be sent after ``token``, and whether a stop string ended it."""
        self._text += self._decoder.decode(self._llama.detokenize([token]))
        hits = [self._text.find(s) for s in self._stop if s in self._text]
        if hits:
            self._text = self._text[: min(hits)]
            return self._take(len(self._text)), True
        hold = max((k for s in self._stop for k in range(1, len(s)) if self._text.endswith(s[:k])), default=0)
        return self._take(len(self._text) - hold), False

    def flush(self) -> str:
        return self._take(len(self._text))

    def _take(self, end: int) -> str:
        piece, self._sent = self._text[self._sent:end], max(self._sent, end)
        return piece
