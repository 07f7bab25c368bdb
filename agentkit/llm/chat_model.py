"""``ChatLlamaCpp``: a LangChain chat model over a pooled local llama.cpp instance.

Contracts:
- constructing one is cheap: the model name resolves to a verified file, the
  weights load on the first call and are shared through the model pool;
- tool calls and structured output are grammar-constrained, so what comes back
  always parses and fits the schema (or a typed error says why it could not);
- with ``tool_choice="auto"`` the tool and the call-or-answer decision are
  taken by two one-token questions (``agentkit.llm.tool_router``), then the
  reply is decoded under the grammar of the branch taken; a routed call that
  cannot finish within ``max_tokens`` becomes a text answer;
- a prompt that does not fit the context raises ``ContextOverflowError`` before
  anything is evaluated.
- a call may override ``temperature``, ``top_p``, ``top_k`` and ``seed``, so
  ``model.bind(temperature=0.7, seed=3)`` samples as on other LangChain chat models.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any, Callable, Iterator, Literal, Sequence

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.language_models.chat_models import LangSmithParams
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from pydantic.v1 import BaseModel as BaseModelV1

from agentkit.errors import ContextOverflowError, ModelOutputError, ToolCallTruncatedError, UserError
from agentkit.llm.grammar import CALL_CLOSE, CALL_OPEN, json_grammar, tool_call_grammar, validate_grammar
from agentkit.llm.pool import LlamaSettings, PooledModel, default_pool
from agentkit.llm.prompt import ChatPrompter, message_text, to_template_messages
from agentkit.llm.registry import DEFAULT_MODEL, resolve_model
from agentkit.llm.tool_router import RouteDecision, option_letters, request_with_results, route_prompt, verify_prompt

__all__ = ["ChatLlamaCpp"]

_MAX_PARALLEL_CALLS = 4
# Sampling settings a call may override, as on other LangChain chat models: model.bind(temperature=0.7, seed=3)
_PER_CALL_SAMPLING = ("temperature", "top_p", "top_k", "seed")

ToolChoice = Literal["auto", "any", "none"] | str


@dataclass(frozen=True, kw_only=True)
class _Request:
    """What one call decodes: the prompt, and which branch(es) the reply may take."""

    tokens: list[int]
    text_tokens: list[int]  # auto mode: the prompt without tool schemas, for a text answer
    mode: Literal["text", "auto", "call", "json"]
    tools: list[dict[str, Any]]
    grammar: str | None  # call grammar (auto/call) or JSON grammar (json)
    max_calls: int
    max_tokens: int | None
    stop: list[str]
    sampling: dict[str, Any]  # the instance's settings with this call's overrides
    route: dict[str, Any] | None = None  # the auto-mode decision, reported in response_metadata
    cached: list[int] = field(default_factory=list)  # prompt tokens the answer's decode reused (KV prefix cache)


def _normalize_tool_choice(tool_choice: Any, tools: list[dict[str, Any]]) -> ToolChoice:
    names = [t["function"]["name"] for t in tools]
    if tool_choice in (None, "auto"):
        return "auto"
    if tool_choice in ("any", "required", True):
        return "any"
    if tool_choice in ("none", False):
        return "none"
    if isinstance(tool_choice, dict):
        tool_choice = (tool_choice.get("function") or {}).get("name") or tool_choice.get("name")
    if isinstance(tool_choice, str) and tool_choice in names:
        return tool_choice
    raise UserError(
        f"tool_choice {tool_choice!r} is not valid; use 'auto', 'any', 'none' or one of the "
        f"bound tools: {', '.join(names)}"
    )


class ChatLlamaCpp(BaseChatModel):
    """A local llama.cpp chat model (see the module docstring for its contracts)."""

    model: str = Field(default=DEFAULT_MODEL, description="known model name or path to a .gguf file")
    n_ctx: int = 8192
    n_threads: int | None = None
    n_batch: int = 512
    temperature: float = 0.0
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.0
    max_tokens: int | None = 512
    seed: int | None = None
    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    tool_call_threshold: float = Field(
        default=0.57, ge=0.0, le=1.0,
        description="in tool_choice='auto', call the tool the router picked when the model's "
                    "P(yes, it does what was asked) is at least this",
    )

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    _pooled: PooledModel = PrivateAttr()
    _chat_prompter: ChatPrompter | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any) -> None:
        resolved = resolve_model(self.model)
        self._pooled = default_pool().get(
            LlamaSettings(model_path=resolved.path, n_ctx=self.n_ctx, n_threads=self.n_threads,
                          n_batch=self.n_batch)
        )

    # -- LangChain plumbing -------------------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "agentkit-llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": self.model, "n_ctx": self.n_ctx, "temperature": self.temperature,
                "top_p": self.top_p, "top_k": self.top_k, "max_tokens": self.max_tokens,
                "seed": self.seed}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(ls_provider="agentkit", ls_model_name=kwargs.get("model", self.model), ls_model_type="chat",
                                 ls_temperature=kwargs.get("temperature", self.temperature))
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens:
            params["ls_max_tokens"] = max_tokens
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    @property
    def pooled(self) -> PooledModel:
        """The shared llama.cpp instance this chat model runs on."""
        return self._pooled

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: Any = None,
        parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Offer ``tools``; ``tool_choice`` is 'auto' (default), 'any', 'none' or a tool name."""
        formatted = [convert_to_openai_tool(t) for t in tools]
        choice = _normalize_tool_choice(tool_choice, formatted) if formatted else "none"
        if formatted:  # fail at bind time, naming the tool, if a schema has no grammar
            tool_call_grammar(formatted, max_calls=_MAX_PARALLEL_CALLS if parallel_tool_calls else 1)
        return super().bind(tools=formatted, tool_choice=choice,
                            parallel_tool_calls=parallel_tool_calls, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        method: Literal["json_schema", "function_calling", "json_mode"] = "json_schema",
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """Replies parsed into ``schema`` (a pydantic model, TypedDict or JSON schema).

        ``json_schema`` decodes the JSON under the schema's grammar; ``function_calling``
        forces a call to a tool shaped like the schema; ``json_mode`` any JSON object.
        """
        kwargs.pop("strict", None)  # grammar-constrained decoding is always strict
        if kwargs:
            raise UserError(f"unexpected arguments to with_structured_output: {sorted(kwargs)}")
        is_pydantic = isinstance(schema, type) and issubclass(schema, (BaseModel, BaseModelV1))
        # A dict is a JSON schema already (converting it would keep only an object's properties).
        traced = {"kwargs": {"method": method},
                  "schema": schema if isinstance(schema, dict) else convert_to_json_schema(schema)}
        if method == "function_calling":
            from langchain_core.output_parsers.openai_tools import (
                JsonOutputKeyToolsParser,
                PydanticToolsParser,
            )

            tool = convert_to_openai_tool(schema)
            name = tool["function"]["name"]
            llm = self.bind_tools([schema], tool_choice=name, ls_structured_output_format=traced)
            parser: Runnable = (PydanticToolsParser(tools=[schema], first_tool_only=True) if is_pydantic
                                else JsonOutputKeyToolsParser(key_name=name, first_tool_only=True))
        elif method in ("json_schema", "json_mode"):
            json_schema = traced["schema"]
            if is_pydantic:
                json_schema = schema.schema() if issubclass(schema, BaseModelV1) else schema.model_json_schema()
            if method == "json_schema":
                json_grammar(json_schema, what="the output schema")  # fail now if it has no grammar
            llm = self.bind(
                response_format={"type": method, "schema": json_schema if method == "json_schema" else None},
                ls_structured_output_format=traced,
            )
            parser = PydanticOutputParser(pydantic_object=schema) if is_pydantic else JsonOutputParser()
        else:
            raise UserError(f"unknown method {method!r}; use 'json_schema', 'function_calling' or 'json_mode'")
        if not include_raw:
            return llm | parser
        parsed = RunnablePassthrough.assign(parsed=itemgetter("raw") | parser, parsing_error=lambda _: None)
        fallback = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=llm) | parsed.with_fallbacks([fallback], exception_key="parsing_error")

    # -- generation -----------------------------------------------------------------

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        merged: AIMessageChunk | None = None
        for chunk in self._stream(messages, stop=stop, run_manager=run_manager, **kwargs):
            merged = chunk.message if merged is None else merged + chunk.message
        assert merged is not None  # _stream always yields a final chunk
        message = AIMessage(
            content=merged.content,
            tool_calls=merged.tool_calls,
            usage_metadata=merged.usage_metadata,
            response_metadata=merged.response_metadata,
            id=merged.id,
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request = self._build_request(messages, stop, kwargs)
        pooled = self._pooled
        with pooled.lock:
            llama = pooled.llama
            if request.mode == "auto":
                decision = self._route(llama, messages, request.tools)
                route = {"tool": decision.tool, "p_yes": round(decision.p_yes, 4),
                         "probabilities": {k: round(v, 4) for k, v in decision.probabilities.items()}}
                text_request = replace(request, mode="text", tokens=request.text_tokens, route=route)
                if decision.tool is None:  # answer in text from a prompt without the tool schemas
                    request = text_request
                else:
                    chosen = [t for t in request.tools if t["function"]["name"] == decision.tool]
                    request = replace(request, mode="call", tools=chosen, route=route,
                                      grammar=tool_call_grammar(chosen, max_calls=request.max_calls))
                    try:
                        call = list(self._decode_call(llama, request, run_manager))
                    except ToolCallTruncatedError:
                        # The call was the router's guess, not forced: a call the model
                        # cannot finish within max_tokens means it had none to make.
                        request = replace(text_request, route={**route, "tool": None, "truncated_call": True})
                    else:
                        yield from call
                        return
            if request.mode == "call":
                yield from self._decode_call(llama, request, run_manager)
            elif request.mode == "json":
                yield from self._decode_json(llama, request, run_manager)
            else:
                yield from self._decode_text(llama, request, run_manager, ban_call=bool(request.tools))

    # -- request building --------------------------------------------------------------

    def _prompter(self) -> ChatPrompter:
        if self._chat_prompter is None:
            self._chat_prompter = ChatPrompter(self._pooled.info.chat_template)
        return self._chat_prompter

    def _build_request(self, messages: list[BaseMessage], stop: list[str] | None,
                       kwargs: dict[str, Any]) -> _Request:
        tools: list[dict[str, Any]] = list(kwargs.get("tools") or [])
        choice: ToolChoice = kwargs.get("tool_choice") or ("auto" if tools else "none")
        if tools and choice not in ("auto", "any", "none"):
            tools_for_grammar = [t for t in tools if t["function"]["name"] == choice]
        else:
            tools_for_grammar = tools
        max_calls = _MAX_PARALLEL_CALLS if kwargs.get("parallel_tool_calls") else 1
        response_format = kwargs.get("response_format")
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        stops = list(self.stop or []) + list(stop or []) + list(kwargs.get("stop") or [])

        template_messages = to_template_messages(messages)
        grammar: str | None = None
        if response_format:
            mode: Literal["text", "auto", "call", "json"] = "json"
            schema = response_format.get("schema")
            grammar = json_grammar(schema) if schema else json_grammar({"type": "object"})
            instruction = "Respond only with a JSON object"
            if schema:
                instruction += f" that matches this JSON schema:\n{json.dumps(schema)}"
            template_messages.append({"role": "system", "content": instruction + "."})
        elif tools and choice != "none":
            mode = "auto" if choice == "auto" else "call"
            if mode == "call":  # in auto mode the grammar is built for the routed tool only
                grammar = tool_call_grammar(tools_for_grammar, max_calls=max_calls)
        else:
            mode = "text"

        prompter = self._prompter()
        text_tokens: list[int] = []  # the auto-mode fallback prompt, without tool schemas
        if mode in ("auto", "call"):
            tokens = self._tokenize(prompter.render(template_messages, tools))
            if mode == "auto":
                text_tokens = self._tokenize(prompter.render(template_messages, None))
        else:
            tokens = self._tokenize(prompter.render(template_messages, None))
        self._check_fits(tokens, max_tokens)
        return _Request(tokens=tokens, text_tokens=text_tokens, mode=mode, tools=tools_for_grammar, grammar=grammar,
                        max_calls=max_calls, max_tokens=max_tokens, stop=stops, sampling=self._sampling(kwargs))

    def _tokenize(self, text: str) -> list[int]:
        llama = self._pooled.llama
        return llama.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def _check_fits(self, tokens: list[int], max_tokens: int | None) -> None:
        reserved = max_tokens if max_tokens and max_tokens > 0 else 1
        if len(tokens) + reserved > self.n_ctx:
            limit = self._pooled.info.context_length
            raise ContextOverflowError(
                f"the prompt is {len(tokens):,} tokens and {reserved:,} more are reserved for the "
                f"reply (max_tokens), over the {self.n_ctx:,}-token context of {self.model!r}; "
                f"shorten the messages, lower max_tokens, or raise n_ctx (this model allows up "
                f"to {limit:,})",
                prompt_tokens=len(tokens), n_ctx=self.n_ctx, reserved=reserved,
            )

    # -- decoding -----------------------------------------------------------------------

    def _sampling(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The instance's sampling settings, with a call's ``temperature``, ``top_p``, ``top_k``, ``seed``."""
        settings = dict(temperature=self.temperature, top_p=self.top_p, top_k=self.top_k,
                        min_p=self.min_p, repeat_penalty=self.repeat_penalty, seed=self.seed)
        settings.update({k: v for k, v in (overrides or {}).items() if k in _PER_CALL_SAMPLING and v is not None})
        return settings

    def _call_marker_tokens(self, llama: Any) -> list[int]:
        return llama.tokenize(CALL_OPEN.strip().encode(), add_bos=False, special=True)

    def _route(self, llama: Any, messages: list[BaseMessage], tools: list[dict[str, Any]]) -> RouteDecision:
        """Which tool (a letter question), then whether (a yes/no question); see ``tool_router``."""
        prompter = self._prompter()
        request = _latest_request(messages)

        def first_token(text: str) -> int:
            return llama.tokenize(text.encode(), add_bos=False, special=False)[0]

        letters = option_letters(len(tools))
        p = self._next_token_probabilities(
            llama, self._tokenize(prompter.render(route_prompt(tools, request))), [first_token(x) for x in letters])
        p = p / p.sum() if p.sum() > 0 else np.full(len(p), 1.0 / len(p))
        names = [t["function"]["name"] for t in tools]
        probabilities = {name: float(x) for name, x in zip(names, p[:-1])} | {"none": float(p[-1])}
        best = int(np.argmax(p[:-1]))
        answers = [first_token(w) for w in ("yes", "Yes", "no", "No")]
        q = self._next_token_probabilities(
            llama, self._tokenize(prompter.render(verify_prompt(tools[best], request))), answers)
        p_yes = float((q[0] + q[1]) / q.sum()) if q.sum() > 0 else 0.0
        return RouteDecision(tool=names[best] if p_yes >= self.tool_call_threshold else None,
                             probabilities=probabilities, p_yes=p_yes)

    def _next_token_probabilities(self, llama: Any, tokens: list[int], candidates: list[int]) -> np.ndarray:
        """P(next token) of each candidate after ``tokens`` (one forward pass, prefix reused)."""
        from llama_cpp import LogitsProcessorList

        seen: dict[str, np.ndarray] = {}

        def capture(_ids: Any, scores: np.ndarray) -> np.ndarray:
            if "p" not in seen:
                z = np.exp(scores.astype(np.float64) - float(np.max(scores)))
                seen["p"] = z[candidates] / z.sum()
            return scores

        self._pooled.prefix_cache.restore_best(llama, tokens)
        for _ in llama.create_completion(tokens, max_tokens=1, temperature=0.0, stream=True,
                                         logits_processor=LogitsProcessorList([capture])):
            pass
        self._pooled.prefix_cache.save(llama)
        return seen["p"]

    def _completion(self, llama: Any, tokens: list[int], *, max_tokens: int | None,
                    stop: list[str], sampling: dict[str, Any], grammar: str | None = None,
                    logits_processor: list[Callable[..., Any]] | None = None,
                    request: _Request | None = None) -> Iterator[tuple[str, str | None, int]]:
        """Yield (text piece, finish_reason or None, tokens generated so far)."""
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

        reused = self._pooled.prefix_cache.restore_best(llama, tokens)
        if request is not None:
            request.cached[:] = [reused]
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
                self._pooled.prefix_cache.save(llama)
            yield choice["text"], choice.get("finish_reason"), generated(choice.get("finish_reason"))

    def _usage(self, prompt_tokens: int, output_tokens: int, cached: int | None = None) -> UsageMetadata:
        usage = UsageMetadata(input_tokens=prompt_tokens, output_tokens=output_tokens,
                              total_tokens=prompt_tokens + output_tokens)
        if cached is not None:  # prompt tokens served from the KV prefix cache (not evaluated again)
            usage["input_token_details"] = {"cache_read": min(cached, prompt_tokens)}
        return usage

    def _final_chunk(self, request: _Request, finish: str | None, generated: int,
                     **message: Any) -> ChatGenerationChunk:
        return ChatGenerationChunk(message=AIMessageChunk(
            content=message.pop("content", ""),
            usage_metadata=self._usage(len(request.tokens), generated, request.cached[0] if request.cached else None),
            response_metadata={"finish_reason": finish or "stop", "model_name": self.model,
                               "model_provider": "agentkit",
                               **({"tool_route": request.route} if request.route else {})},
            chunk_position="last",
            **message,
        ))

    def _decode_text(self, llama: Any, request: _Request,
                     run_manager: CallbackManagerForLLMRun | None, *, ban_call: bool) -> Iterator[ChatGenerationChunk]:
        processors = None
        if ban_call:  # no half-written call markup in a text answer
            marker = self._call_marker_tokens(llama)[0]

            def ban(_ids: Any, scores: np.ndarray) -> np.ndarray:
                scores[marker] = -math.inf
                return scores

            processors = [ban]
        finish, generated = None, 0
        for text, finish_reason, generated in self._completion(
                llama, request.tokens, max_tokens=request.max_tokens, stop=request.stop,
                sampling=request.sampling, logits_processor=processors, request=request):
            finish = finish_reason or finish
            if text:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
        yield self._final_chunk(request, finish, generated)

    def _decode_constrained(self, llama: Any, request: _Request, prefix: str, what: str) -> tuple[str, int]:
        tokens = request.tokens + (llama.tokenize(prefix.encode(), add_bos=False, special=True) if prefix else [])
        self._check_fits(tokens, request.max_tokens)
        pieces, finish, generated = [], None, 0
        for text, finish_reason, generated in self._completion(
                llama, tokens, max_tokens=request.max_tokens, stop=[], sampling=request.sampling,
                grammar=request.grammar, request=request):
            pieces.append(text)
            finish = finish_reason or finish
        text = "".join(pieces)
        if finish == "length":
            raise ToolCallTruncatedError(
                f"the reply reached max_tokens={request.max_tokens} in the middle of {what} "
                f"({len(text)} characters so far: {text[:80]!r}...); raise max_tokens"
            )
        return text, generated

    def _decode_call(self, llama: Any, request: _Request,
                     run_manager: CallbackManagerForLLMRun | None) -> Iterator[ChatGenerationChunk]:
        text, generated = self._decode_constrained(llama, request, CALL_OPEN, "a tool call")
        calls = []
        for index, raw in enumerate(part for part in text.split(CALL_CLOSE) if part.strip()):
            raw = raw.replace(CALL_OPEN.strip(), "").strip()
            try:
                payload = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ModelOutputError(f"the model's tool call is not JSON ({exc}): {raw[:200]!r}") from None
            calls.append({"name": payload["name"], "args": json.dumps(payload["arguments"]),
                          "id": f"call_{uuid.uuid4().hex[:24]}", "index": index, "type": "tool_call_chunk"})
        yield self._final_chunk(request, "tool_calls", generated, tool_call_chunks=calls)

    def _decode_json(self, llama: Any, request: _Request,
                     run_manager: CallbackManagerForLLMRun | None) -> Iterator[ChatGenerationChunk]:
        text, generated = self._decode_constrained(llama, request, "", "the structured output")
        chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
        if run_manager:
            run_manager.on_llm_new_token(text, chunk=chunk)
        yield chunk
        yield self._final_chunk(request, "stop", generated)


def _latest_request(messages: list[BaseMessage]) -> str:
    """The last human message, followed by the tool results that came after it."""
    request, results = "", []
    for message in messages:
        if isinstance(message, HumanMessage):
            request, results = message_text(message.content), []
        elif isinstance(message, ToolMessage):
            results.append(f"{message.name or 'tool'} returned: {message_text(message.content)[:300]}")
    return request_with_results(request, results)

