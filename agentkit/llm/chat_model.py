"""``ChatLlamaCpp``: a LangChain chat model over a pooled local llama.cpp instance.

Contracts:
- constructing one is cheap: the model name resolves to a verified file, the
  weights load on the first call and are shared through the model pool;
- tool calls and structured output are grammar-constrained, so what comes back
  always parses and fits the schema (or a typed error says why it could not);
- with ``tool_choice="auto"`` the tool and the call-or-answer decision are
  taken by one-token yes/no questions (``agentkit.llm.tool_router``), asked of
  this model or of the model its card or ``tool_router`` names, then the
  reply is decoded by this model under the grammar of the branch taken; a routed call that
  cannot finish within ``max_tokens`` becomes a text answer;
- a prompt that does not fit the context raises ``ContextOverflowError`` before
  anything is evaluated.
- a call may override ``temperature``, ``top_p``, ``top_k`` and ``seed``, so
  ``model.bind(temperature=0.7, seed=3)`` samples as on other LangChain chat models.

This module is the LangChain interface (fields, ``bind_tools``,
``with_structured_output``, request building, dispatch); decoding under
llama.cpp is ``agentkit.llm.decoding`` and the auto-mode decision is
``agentkit.llm.tool_router``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any, ClassVar, Literal

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.language_models.chat_models import LangSmithParams
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from pydantic.v1 import BaseModel as BaseModelV1

from agentkit.errors import ToolCallTruncatedError, UserError
from agentkit.llm.decoding import DecodeMode, Decoder, DecodeRequest, Piece, PromptLookup
from agentkit.llm.grammar import json_grammar, tool_call_grammar, validate_grammar_text
from agentkit.llm.pool import LlamaSettings, PooledModel, default_pool
from agentkit.llm.prompt import ChatPrompter, to_template_messages
from agentkit.llm.registry import DEFAULT_MODEL, KNOWN_MODELS, ResolvedModel, model_status, resolve_model
from agentkit.llm.tool_router import DEFAULT_TOOL_CALL_THRESHOLD, RouteDecision, route
from agentkit.tracing import TracedChatModel

__all__ = ["ChatLlamaCpp"]

_log = logging.getLogger(__name__)
_ROUTERS_MISSING: set[str] = set()  # routers warned about once per process

_MAX_PARALLEL_CALLS = 4
# Sampling settings a call may override, as on other LangChain chat models: model.bind(temperature=0.7, seed=3)
_PER_CALL_SAMPLING = ("temperature", "top_p", "top_k", "seed")

ToolChoice = Literal["auto", "any", "none"] | str


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


class ChatLlamaCpp(TracedChatModel, BaseChatModel):
    """A local llama.cpp chat model (see the module docstring for its contracts)."""

    # Bound with ``choices=[...]`` (options differing in their first token), a call generates
    # nothing: it replies with the most likely option and puts every option's probability in
    # ``response_metadata["choice_probabilities"]`` (one forward pass; node kinds use it to
    # read a decision from the model instead of parsing text).  Bound with ``grammar=GBNF``,
    # the reply is text that the grammar (its rule ``root``) admits.
    scores_choices: ClassVar[bool] = True
    follows_grammars: ClassVar[bool] = True

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
    tool_call_threshold: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="in tool_choice='auto', call the likeliest tool when the deciding gate's P(yes, it "
                    "does what was asked) is at least this; None: that gate's measured setting",
    )

    tool_router: str | None = Field(
        default=None,
        description="in tool_choice='auto', the known model whose yes/no gate decides whether to call "
                    "a tool and which (this model then writes the arguments); None: the model's "
                    "measured setting; the model's own name: itself",
    )

    prompt_lookup: bool = Field(
        default=False,
        description="prompt-lookup speculative decoding of greedy replies: drafts copied from the prompt, "
                    "checked in one batch. Pays where replies quote the prompt (retrieved passages, OCR "
                    "text: 1.65x measured), not elsewhere (0.87-0.94x), hence off by default; a call may "
                    "set it (model.bind(prompt_lookup=True))",
    )

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    _pooled: PooledModel = PrivateAttr()
    _decoder: Decoder = PrivateAttr()
    _threshold: float = PrivateAttr(default=DEFAULT_TOOL_CALL_THRESHOLD)
    _near_misses: bool = PrivateAttr(default=True)
    _tool_parameters: bool = PrivateAttr(default=False)
    _calibrated_routing: bool = PrivateAttr(default=False)
    _router_name: str | None = PrivateAttr(default=None)  # None: route with this model
    _router: ChatLlamaCpp | None = PrivateAttr(default=None)
    _chat_prompter: ChatPrompter | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any) -> None:
        resolved = resolve_model(self.model)
        self._pooled = default_pool().get(
            LlamaSettings(model_path=resolved.path, n_ctx=self.n_ctx, n_threads=self.n_threads,
                          n_batch=self.n_batch)
        )
        self._decoder = Decoder(self._pooled, n_ctx=self.n_ctx, model=self.model)
        if self.tool_call_threshold is not None:
            self._threshold = self.tool_call_threshold
        elif resolved.card is not None:
            self._threshold = resolved.card.tool_call_threshold
        if resolved.card is not None:
            self._near_misses = resolved.card.near_miss_examples
            self._tool_parameters = resolved.card.tool_parameters
            self._calibrated_routing = resolved.card.calibrated_routing
        self._router_name = self._choose_router(resolved)

    def _choose_router(self, resolved: ResolvedModel) -> str | None:
        """The model whose gate routes this one's auto calls (None: itself).  An explicit
        ``tool_router`` must resolve; the card's choice applies only when installed."""
        if self.tool_router is not None:
            router = resolve_model(self.tool_router)  # raises, naming what is valid
            return None if router.path == resolved.path else (router.name if router.card else str(router.path))
        name = resolved.card.tool_router if resolved.card is not None else None
        card = KNOWN_MODELS.get(name) if name else None
        if card is None:
            return None
        if not model_status(card)[0]:
            if card.name not in _ROUTERS_MISSING:
                _ROUTERS_MISSING.add(card.name)
                _log.warning("%s routes its tool calls with %s, which is not installed (%s); routing with "
                             "%s itself, which misjudges more requests that a tool only seems to fit",
                             resolved.name, card.name, card.install_command, resolved.name)
            return None
        return card.name

    # -- LangChain plumbing -------------------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "agentkit-llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": self.model, "n_ctx": self.n_ctx, "temperature": self.temperature,
                "top_p": self.top_p, "top_k": self.top_k, "max_tokens": self.max_tokens,
                "seed": self.seed, "tool_router": self._router_name}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(ls_provider="agentkit", ls_model_name=kwargs.get("model", self.model),
                                 ls_model_type="chat", ls_temperature=kwargs.get("temperature", self.temperature))
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
        decoder, pooled = self._decoder, self._pooled
        # Another model's gate decides before this model's lock is taken (locks never nest).
        routed = (self.tool_gate().tool_decision(messages, request.tools, threshold=self.tool_call_threshold)
                  if request.mode == "auto" and self._router_name is not None else None)
        with pooled.lock:
            llama = pooled.llama
            if request.mode == "auto":
                decision = routed or self._decide(llama, messages, request.tools, self.tool_call_threshold)
                route_info = {"tool": decision.tool, "p_yes": round(decision.p_yes, 4),
                              "router": self._router_name or self.model,
                              "probabilities": {k: round(v, 4) for k, v in decision.probabilities.items()}}
                text_request = replace(request, mode="text", tokens=request.text_tokens, route=route_info)
                if decision.tool is None:  # answer in text from a prompt without the tool schemas
                    request = text_request
                else:
                    chosen = [t for t in request.tools if t["function"]["name"] == decision.tool]
                    request = replace(request, mode="call", tools=chosen, route=route_info,
                                      grammar=tool_call_grammar(chosen, max_calls=request.max_calls))
                    try:
                        call = self._call_chunk(llama, request)
                    except ToolCallTruncatedError:
                        # The call was the router's guess, not forced: a call the model
                        # cannot finish within max_tokens means it had none to make.
                        request = replace(text_request, route={**route_info, "tool": None, "truncated_call": True})
                    else:
                        yield call
                        return
            if request.mode == "choice":
                yield self._choice_chunk(llama, request)
                return
            if request.mode == "call":
                yield self._call_chunk(llama, request)
            elif request.mode in ("json", "grammar"):
                text, generated = decoder.json(llama, request)
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
                yield self._final_chunk(request, "stop", generated)
            else:
                yield from self._text_chunks(decoder.text(llama, request, ban_call=bool(request.tools)),
                                             request, run_manager)

    def _call_chunk(self, llama: Any, request: DecodeRequest) -> ChatGenerationChunk:
        calls, generated = self._decoder.calls(llama, request)
        chunks = [{**call, "type": "tool_call_chunk"} for call in calls]
        return self._final_chunk(request, "tool_calls", generated, tool_call_chunks=chunks)

    def _text_chunks(self, pieces: Iterator[Piece], request: DecodeRequest,
                     run_manager: CallbackManagerForLLMRun | None) -> Iterator[ChatGenerationChunk]:
        finish, generated = None, 0
        for piece in pieces:
            finish, generated = piece.finish or finish, piece.generated
            if piece.text:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece.text))
                if run_manager:
                    run_manager.on_llm_new_token(piece.text, chunk=chunk)
                yield chunk
        yield self._final_chunk(request, finish, generated)

    def _choice_chunk(self, llama: Any, request: DecodeRequest) -> ChatGenerationChunk:
        """The most likely of ``request.choices`` as the reply, with every choice's probability
        (the next token's distribution over the choices' first tokens, renormalised)."""
        choices = request.choices
        first = [self._decoder.first_token(llama, choice) for choice in choices]
        if len(set(first)) != len(first):
            raise UserError(f"choices {list(choices)!r} do not differ in their first token; use labels such as "
                            f"letters or single words")
        p = self._decoder.next_token_probabilities(llama, request.tokens, first)
        total = float(p.sum())
        probabilities = {c: (float(x) / total if total > 0 else 1.0 / len(choices)) for c, x in zip(choices, p,
                                                                                                  strict=True)}
        best = max(probabilities, key=probabilities.__getitem__)
        chunk = self._final_chunk(request, "stop", 1, content=best)
        chunk.message.response_metadata["choice_probabilities"] = {c: round(v, 6) for c, v in probabilities.items()}
        return chunk

    def _final_chunk(self, request: DecodeRequest, finish: str | None, generated: int,
                     **message: Any) -> ChatGenerationChunk:
        prompt_tokens = len(request.tokens)
        usage = UsageMetadata(input_tokens=prompt_tokens, output_tokens=generated,
                              total_tokens=prompt_tokens + generated)
        # prompt tokens served from the KV prefix cache (the studio shows whether a call reused a prefix)
        usage["input_token_details"] = {"cache_read": min(self._decoder.reused, prompt_tokens)}
        return ChatGenerationChunk(message=AIMessageChunk(
            content=message.pop("content", ""),
            usage_metadata=usage,
            response_metadata={"finish_reason": finish or "stop", "model_name": self.model,
                               "model_provider": "agentkit",
                               **({"tool_route": request.route} if request.route else {})},
            chunk_position="last",
            **message,
        ))

    # -- tool routing (tool_choice="auto") ----------------------------------------------

    def tool_decision(self, messages: Sequence[BaseMessage], tools: Sequence[dict[str, Any]], *,
                      threshold: float | None = None) -> RouteDecision:
        """This model's gate on ``tools`` for ``messages`` (``agentkit.llm.tool_router.route``)
        with its measured settings; ``threshold`` overrides its own."""
        with self._pooled.lock:
            return self._decide(self._pooled.llama, messages, tools, threshold)

    def _decide(self, llama: Any, messages: Sequence[BaseMessage], tools: Sequence[dict[str, Any]],
                threshold: float | None) -> RouteDecision:
        return route(self._decoder, llama, self._prompter(), messages, tools,
                     threshold=self._threshold if threshold is None else threshold,
                     near_misses=self._near_misses, parameters=self._tool_parameters,
                     calibrate=self._calibrated_routing)

    def tool_gate(self) -> ChatLlamaCpp:
        """The model whose yes/no gate takes this one's auto decisions: itself, or the router its card
        or ``tool_router`` names (built on first use, sharing the pool)."""
        if self._router_name is None:
            return self
        if self._router is None:
            self._router = ChatLlamaCpp(model=self._router_name, n_ctx=self.n_ctx, n_threads=self.n_threads,
                                        n_batch=self.n_batch, tool_router=self._router_name)
        return self._router

    # -- request building --------------------------------------------------------------

    def _prompter(self) -> ChatPrompter:
        if self._chat_prompter is None:
            self._chat_prompter = ChatPrompter(self._pooled.info.chat_template)
        return self._chat_prompter

    def _build_request(self, messages: list[BaseMessage], stop: list[str] | None,
                       kwargs: dict[str, Any]) -> DecodeRequest:
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
        choices = tuple(str(c) for c in kwargs.get("choices") or ())
        if choices:  # score these options as the reply's first token (no text is generated)
            mode: DecodeMode = "choice"
        elif kwargs.get("grammar"):  # text decoded under the caller's GBNF grammar (rule "root")
            mode, grammar = "grammar", str(kwargs["grammar"])
            validate_grammar_text(grammar)
        elif response_format:
            mode = "json"
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

        prompter, tokenize = self._prompter(), self._decoder.tokenize
        text_tokens: list[int] = []  # the auto-mode fallback prompt, without tool schemas
        if mode in ("auto", "call"):
            tokens = tokenize(prompter.render(template_messages, tools))
            if mode == "auto":
                text_tokens = tokenize(prompter.render(template_messages, None))
        else:
            tokens = tokenize(prompter.render(template_messages, None))
        self._decoder.check_fits(tokens, max_tokens)
        return DecodeRequest(tokens=tokens, text_tokens=text_tokens, mode=mode, tools=tools_for_grammar,
                             grammar=grammar, max_calls=max_calls, max_tokens=max_tokens, stop=stops,
                             sampling=self._sampling(kwargs), choices=choices,
                             lookup=PromptLookup() if kwargs.get("prompt_lookup", self.prompt_lookup) else None)

    # -- sampling -----------------------------------------------------------------------

    def _sampling(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The instance's sampling settings, with a call's ``temperature``, ``top_p``, ``top_k``, ``seed``."""
        settings = dict(temperature=self.temperature, top_p=self.top_p, top_k=self.top_k,
                        min_p=self.min_p, repeat_penalty=self.repeat_penalty, seed=self.seed)
        settings.update({k: v for k, v in (overrides or {}).items() if k in _PER_CALL_SAMPLING and v is not None})
        return settings
