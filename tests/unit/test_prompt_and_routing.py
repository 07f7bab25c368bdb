"""Message conversion, chat-template rendering and the tool-routing decision."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agentkit.errors import UserError
from agentkit.llm.chat_model import _normalize_tool_choice
from agentkit.llm.prompt import ChatPrompter, to_template_messages
from agentkit.llm.tool_router import latest_request, request_with_results, verify_prompt

TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather now.",
                                      "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}},
    {"type": "function", "function": {"name": "send_email", "description": "Send mail.",
                                      "parameters": {"type": "object", "properties": {"to": {"type": "string"}}}}},
]
CHATML = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def test_messages_convert_with_tool_calls_as_dicts() -> None:
    converted = to_template_messages([
        SystemMessage("sys"), HumanMessage("hi"),
        AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Oslo"}, "id": "c1"}]),
        ToolMessage("12C", tool_call_id="c1"),
    ])
    assert [m["role"] for m in converted] == ["system", "user", "assistant", "tool"]
    assert converted[2]["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": {"city": "Oslo"}}
    assert converted[3]["tool_call_id"] == "c1"


def test_text_blocks_are_joined_and_images_rejected() -> None:
    assert to_template_messages([HumanMessage([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}])])[0][
        "content"] == "ab"
    with pytest.raises(UserError, match="reads text only"):
        to_template_messages([HumanMessage([{"type": "image_url", "image_url": {"url": "x"}}])])


def test_template_without_tool_support_gets_the_tool_block_in_the_system_message() -> None:
    prompter = ChatPrompter(CHATML)
    assert not prompter.native_tools
    text = prompter.render([{"role": "user", "content": "hi"}], TOOLS)
    assert text.startswith("<|im_start|>system\n")
    assert '"name": "get_weather"' in text and "<tool_call>" in text
    assert text.endswith("<|im_start|>assistant\n")


def test_tool_results_are_spelled_out_for_templates_without_tool_roles() -> None:
    prompter = ChatPrompter(CHATML)
    text = prompter.render(to_template_messages([
        HumanMessage("weather?"),
        AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Oslo"}, "id": "c1"}]),
        ToolMessage("12C", tool_call_id="c1"),
    ]), TOOLS)
    assert '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>' in text
    assert "<tool_response>\n12C\n</tool_response>" in text


@pytest.mark.parametrize(("given", "expected"), [
    (None, "auto"), ("auto", "auto"), ("any", "any"), ("required", "any"), (True, "any"),
    ("none", "none"), ("send_email", "send_email"),
    ({"type": "function", "function": {"name": "get_weather"}}, "get_weather"),
])
def test_tool_choice_forms(given: object, expected: str) -> None:
    assert _normalize_tool_choice(given, TOOLS) == expected


def test_unknown_tool_choice_lists_the_tools() -> None:
    with pytest.raises(UserError, match="get_weather, send_email"):
        _normalize_tool_choice("weather", TOOLS)


def test_verify_prompt_asks_about_one_tool_and_changes_after_results() -> None:
    fresh = verify_prompt(TOOLS[0], "weather in Oslo?")[-1]["content"]
    assert "Function: get_weather(city)" in fresh and "Description: Weather now." in fresh
    assert "Would calling this function do what the user asks? Answer yes or no." in fresh
    later = verify_prompt(TOOLS[0], request_with_results("weather in Oslo?", ["get_weather returned: 3C"]))
    assert "still needed" in later[-1]["content"] and "get_weather returned: 3C" in later[-1]["content"]


def test_verify_prompt_shows_near_misses_as_no_on_tools_that_appear_nowhere_else() -> None:
    messages = verify_prompt(TOOLS[1], "mail bob")
    examples = messages[1:-1]
    answers = [m["content"] for m in examples if m["role"] == "assistant"]
    assert set(answers) == {"yes", "no"} and answers.count("no") > answers.count("yes")
    assert all("get_weather" not in m["content"] and "send_email" not in m["content"] for m in examples)
    assert "related to the request" in messages[0]["content"]


def test_latest_request_carries_results_obtained_since() -> None:
    request = latest_request([
        HumanMessage("old"), AIMessage("x"), HumanMessage("weather in Oslo?"),
        AIMessage("", tool_calls=[{"name": "get_weather", "args": {}, "id": "1"}]),
        ToolMessage("12C and rain", tool_call_id="1", name="get_weather"),
    ])
    assert request.startswith("weather in Oslo?")
    assert "get_weather returned: 12C and rain" in request
