"""Message conversion, chat-template rendering and the tool-routing decision."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from agentkit.errors import UserError
from agentkit.llm.chat_model import _normalize_tool_choice
from agentkit.llm.prompt import ChatPrompter, to_template_messages
from agentkit.llm.tool_router import latest_request, request_with_results, route, verify_prompt

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


def test_verify_prompt_with_parameters_lists_them_and_asks_if_the_request_fits_them() -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "description": "Weather now.", "parameters": {
        "type": "object", "properties": {"city": {"type": "string", "description": "City name."},
                                         "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}}}}
    messages = verify_prompt(tool, "weather in Oslo in kelvin?", near_misses=False, parameters=True)
    last = messages[-1]["content"]
    assert "Function: get_weather\n" in last and "- city (string): City name." in last
    assert "- unit (string, one of celsius|fahrenheit)" in last
    assert "Can calling this function, with arguments taken from the request, do what the user asks?" in last
    assert all("Parameters:\n- " in m["content"] for m in messages[1:-1] if m["role"] == "user")
    assert "Parameters:" not in verify_prompt(tool, "weather?", near_misses=False)[-1]["content"]


class _Fake:
    """Decoder, llama and prompter in one: P(yes) is looked up by (tool, request) in the last question."""

    def __init__(self, p_yes: dict[tuple[str, str], float]) -> None:
        self.p_yes, self.asked = p_yes, []
        self.model_path = "fake.gguf"

    def tokenize(self, text, **_):
        return [text] if isinstance(text, str) else [0]

    def render(self, messages):
        return messages[-1]["content"]

    def next_token_probabilities(self, _llama, prompt, _answers):
        import numpy as np

        question = prompt[0]
        key = next(k for k in self.p_yes if f"Function: {k[0]}(" in question and f"request: {k[1]}\n" in question)
        self.asked.append(key)
        p = self.p_yes[key]
        return np.array([p, 0.0, 1 - p, 0.0])


def test_calibrated_routing_removes_a_tool_s_own_bias_towards_yes() -> None:
    fake = _Fake({("get_weather", "mail bob"): 0.9, ("get_weather", "N/A"): 0.9,  # says yes to anything
                  ("send_email", "mail bob"): 0.7, ("send_email", "N/A"): 0.2})
    plain = route(fake, fake, fake, [HumanMessage("mail bob")], TOOLS, threshold=0.6)
    assert plain.tool == "get_weather" and fake.asked == [("get_weather", "mail bob"), ("send_email", "mail bob")]
    calibrated = route(fake, fake, fake, [HumanMessage("mail bob")], TOOLS, threshold=0.6, calibrate=True)
    assert calibrated.tool == "send_email"
    assert calibrated.probabilities["get_weather"] == pytest.approx(0.5)
    assert calibrated.probabilities["send_email"] == pytest.approx(0.7 / 0.3 / (0.7 / 0.3 + 0.2 / 0.8))
    asked = len(fake.asked)
    route(fake, fake, fake, [HumanMessage("mail bob")], TOOLS, threshold=0.6, calibrate=True)
    assert len(fake.asked) == asked + 2  # the content-free request's P(yes) is asked once per tool


def test_latest_request_carries_results_obtained_since() -> None:
    request = latest_request([
        HumanMessage("old"), AIMessage("x"), HumanMessage("weather in Oslo?"),
        AIMessage("", tool_calls=[{"name": "get_weather", "args": {}, "id": "1"}]),
        ToolMessage("12C and rain", tool_call_id="1", name="get_weather"),
    ])
    assert request.startswith("weather in Oslo?")
    assert "get_weather returned: 12C and rain" in request
