"""LangChain messages -> the model's own chat template -> prompt text.

The template is the one inside the GGUF file (``tokenizer.chat_template``),
rendered with llama-cpp-python's sandboxed Jinja formatter.  Templates that know
about tools (Qwen2.5) receive them natively; for the rest agentkit writes the
same Hermes-style tool block into the system message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from agentkit.errors import UserError

__all__ = ["ChatPrompter", "message_text", "to_template_messages"]

# Used when a GGUF file carries no chat template: plain ChatML.
_CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\n' }}{% endif %}"
)

_TOOL_BLOCK = (
    "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>{tools}"
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments "
    "within <tool_call></tool_call> XML tags:\n<tool_call>\n"
    '{{"name": <function-name>, "arguments": <args-json-object>}}\n</tool_call>'
)


def message_text(content: str | list[Any]) -> str:
    """The text of a message's content (string, or a list of content blocks)."""
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        elif isinstance(block, dict) and block.get("type") in {"image", "image_url", "audio", "file"}:
            raise UserError(
                f"this chat model reads text only; got a {block['type']!r} content block. "
                f"Use agentkit's vision tools (ocr, inspect_image) to turn images into text"
            )
        # other blocks (tool_use, reasoning, ...) carry no text for the prompt
    return "".join(parts)


def _tool_call_dict(call: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "id": call.get("id"),
            "function": {"name": call["name"], "arguments": call.get("args", {})}}


def to_template_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """Convert LangChain messages to the dicts chat templates expect.

    Tool-call arguments stay dicts (templates serialise them with ``tojson``).
    """
    out: list[dict[str, Any]] = []
    for message in messages:
        text = message_text(message.content)
        if isinstance(message, SystemMessage):
            out.append({"role": "system", "content": text})
        elif isinstance(message, HumanMessage):
            out.append({"role": "user", "content": text})
        elif isinstance(message, AIMessage):
            entry: dict[str, Any] = {"role": "assistant", "content": text}
            if message.tool_calls:
                entry["tool_calls"] = [_tool_call_dict(dict(c)) for c in message.tool_calls]
            out.append(entry)
        elif isinstance(message, ToolMessage):
            out.append({"role": "tool", "content": text, "tool_call_id": message.tool_call_id})
        elif isinstance(message, FunctionMessage):
            out.append({"role": "tool", "content": text, "name": message.name})
        elif isinstance(message, ChatMessage):
            out.append({"role": message.role, "content": text})
        else:
            raise UserError(f"unsupported message type {type(message).__name__}")
    return out


class ChatPrompter:
    """Renders template messages (and tools) with one model's chat template."""

    def __init__(self, template: str | None, *, bos_token: str = "", eos_token: str = "") -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        self.template = template or _CHATML
        self.native_tools = "tools" in self.template
        self._formatter = Jinja2ChatFormatter(
            template=self.template, bos_token=bos_token, eos_token=eos_token,
            add_generation_prompt=True,
        )

    def render(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> str:
        """The prompt text, ending where the assistant's reply begins."""
        if tools and not self.native_tools:
            messages = self._inject_tools(messages, tools)
            tools = None
        return self._formatter(messages=messages, tools=tools or None).prompt

    @staticmethod
    def _inject_tools(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        block = _TOOL_BLOCK.format(tools="".join("\n" + json.dumps(t) for t in tools))
        messages = [dict(m) for m in messages]
        if messages and messages[0]["role"] == "system":
            messages[0]["content"] = messages[0]["content"] + block
        else:
            messages.insert(0, {"role": "system", "content": "You are a helpful assistant." + block})
        # Templates without tool support know no "tool" role or tool_calls: spell them out.
        for m in messages:
            if m["role"] == "tool":
                m["role"] = "user"
                m["content"] = f"<tool_response>\n{m['content']}\n</tool_response>"
            elif m.get("tool_calls"):
                calls = "".join(
                    "\n<tool_call>\n" + json.dumps({"name": c["function"]["name"],
                                                     "arguments": c["function"]["arguments"]}) + "\n</tool_call>"
                    for c in m.pop("tool_calls")
                )
                m["content"] = (m["content"] + calls).strip()
        return messages
