"""Models served elsewhere: an OpenAI-compatible endpoint as a chat model.

A model name is one of: a known local model, a ``.gguf`` path, an entry of the models
file, or the URL of an OpenAI-compatible server (``http://127.0.0.1:8000/v1``, optionally
``#served-model-name``).  The models file is ``models.yaml`` in the workspace
(``AGENTKIT_MODELS_FILE`` names another)::

    gpu-box:
      url: http://10.0.0.5:8000/v1      # llama.cpp's server, llama-cpp-python's, vLLM, Ollama
      model: qwen2.5-7b-instruct        # the name the server knows it by (default: the first it lists)
      api_key_env: GPU_BOX_KEY          # optional: the variable holding its API key
      structured_output: auto           # auto | json_schema | json_object | tool_call
      timeout_s: 120

Where the prompts may go is the user's choice, never a spec's: a graph spec (data, possibly
from someone else) may name a URL only on loopback; any other host must be configured by
the user -- in the models file, or given to ``get_chat_model`` / ``--model`` directly.

Why langchain-openai's ``ChatOpenAI`` (the ``openai`` extra) rather than a client of our
own on httpx: it already streams, parses tool calls, reports token usage and retries, and
every node kind uses only ``bind_tools`` / ``with_structured_output`` / ``invoke`` /
``stream``, which it implements.  What servers differ in is handled by the subclass below:

- **structured output**: OpenAI's ``response_format: {type: json_schema}`` (vLLM, Ollama,
  llama.cpp's llama-server) or ``{type: json_object, schema: ...}`` (llama-cpp-python's
  server, which refuses ``json_schema``); either way the server decodes under the schema.
  ``auto`` asks the server once (a one-token request) and remembers the answer per URL.
  ``tool_call`` forces a call of one tool whose arguments are the schema (servers that
  constrain forced tool calls but not response formats).
- **max_tokens**: ChatOpenAI sends ``max_completion_tokens``, which llama-cpp-python's
  server ignores (replies ran to the end of the context); ``max_tokens`` is sent instead.
- **errors**: a server that cannot be reached is ``ModelServerUnreachableError`` naming the
  URL and how to start one (openai's own is "Connection error."); a request the server
  refuses is ``ModelServerError`` with its status and message.

Tool calls with ``tool_choice`` naming a tool are constrained by llama-cpp-python's server
(grammar); ``auto`` tool choice is whatever the server does (llama-cpp-python needs
``--chat_format chatml-function-calling``, vLLM ``--enable-auto-tool-choice``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from agentkit.errors import ModelServerError, ModelServerUnreachableError, UserError
from agentkit.extras import require
from agentkit.network import is_loopback_url
from agentkit.tracing import TracedChatModel
from agentkit.workspace import workspace_path

__all__ = [
    "MODELS_FILE_ENV",
    "RemoteModel",
    "chat_model_for",
    "is_loopback_url",
    "models_file_path",
    "read_models_file",
    "remote_model",
]

MODELS_FILE_ENV = "AGENTKIT_MODELS_FILE"
_MAX_MODELS_FILE = 1 << 20
StructuredStyle = Literal["auto", "json_schema", "json_object", "tool_call"]
_STYLES = ("auto", "json_schema", "json_object", "tool_call")
# settings a served model takes per instance (the rest -- n_ctx, threads -- are the server's)
_SETTINGS = {"temperature", "max_tokens", "seed", "top_p", "stop", "timeout_s", "max_retries"}


@dataclass(frozen=True, kw_only=True)
class RemoteModel:
    """An OpenAI-compatible endpoint: where it is and how to talk to it."""

    name: str
    url: str  # base URL, ending in /v1 (or the server's equivalent)
    model: str | None = None  # the served model's name; None: the first the server lists
    api_key_env: str | None = None
    structured_output: StructuredStyle = "auto"
    timeout_s: float = 120.0
    source: str = "URL"  # where it was configured, for messages

    @property
    def shown_url(self) -> str:
        return shown_url(self.url)


def shown_url(url: str) -> str:
    """``url`` without a user name or password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def looks_like_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


def models_file_path() -> Path:
    override = os.environ.get(MODELS_FILE_ENV)
    return Path(override).expanduser() if override else workspace_path("models.yaml", create_parent=False)


def read_models_file(path: Path | None = None) -> dict[str, RemoteModel]:
    """The entries of the models file (none when it does not exist); every problem is a
    ``UserError`` naming the file, the entry and what would be valid."""
    import yaml

    from agentkit.files import open_user_file

    path = path or models_file_path()
    if not path.exists():
        if os.environ.get(MODELS_FILE_ENV):
            raise UserError(f"{path}: no such models file ({MODELS_FILE_ENV} names it)")
        return {}
    with open_user_file(path, max_bytes=_MAX_MODELS_FILE, what="models file") as f:
        text = f.read().decode("utf-8", errors="replace")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping of model names to entries (name: {{url: ...}})")
    entries: dict[str, RemoteModel] = {}
    for name, entry in data.items():
        where = f"{path}: {name}"
        if not isinstance(entry, dict):
            raise UserError(f"{where}: expected a mapping with at least url:")
        unknown = sorted(set(entry) - {"url", "model", "api_key_env", "structured_output", "timeout_s"})
        if unknown:
            raise UserError(f"{where}: unknown field(s) {', '.join(unknown)}; valid: url, model, api_key_env, "
                            f"structured_output, timeout_s")
        url = entry.get("url")
        if not isinstance(url, str) or not looks_like_url(url):
            raise UserError(f"{where}.url: expected an http:// or https:// URL of an OpenAI-compatible server, "
                            f"got {url!r}")
        style = entry.get("structured_output", "auto")
        if style not in _STYLES:
            raise UserError(f"{where}.structured_output: {style!r}; valid: {', '.join(_STYLES)}")
        timeout = entry.get("timeout_s", 120.0)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            raise UserError(f"{where}.timeout_s: expected a positive number of seconds, got {timeout!r}")
        for field in ("model", "api_key_env"):
            if entry.get(field) is not None and not isinstance(entry[field], str):
                raise UserError(f"{where}.{field}: expected a string, got {entry[field]!r}")
        entries[str(name)] = RemoteModel(name=str(name), url=_base_url(url), model=entry.get("model"),
                                         api_key_env=entry.get("api_key_env"), structured_output=style,
                                         timeout_s=float(timeout), source=str(path))
    return entries


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/v1"  # a bare host:port means the usual /v1
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def remote_model(name: str, *, allow_remote: bool = True) -> RemoteModel | None:
    """The served model ``name`` stands for (a URL or a models file entry), or None.

    ``allow_remote=False`` (a name written in a spec): a URL must be on loopback; other
    hosts are reached only through the models file, which the user writes."""
    if looks_like_url(name):
        url, _, served = name.partition("#")
        if not allow_remote and not is_loopback_url(url):
            raise UserError(f"model {shown_url(url)!r}: a graph spec may name a served model only on loopback "
                            f"(127.0.0.1, ::1, localhost); to use another host, add it to the models file "
                            f"({models_file_path()}) and name its entry, or pass it yourself with --model")
        return RemoteModel(name=shown_url(url), url=_base_url(url), model=served or None)
    entries = read_models_file()
    return entries.get(name)


def chat_model_for(remote: RemoteModel, **settings: Any) -> Any:
    """A ``ChatOpenAI`` (agentkit's subclass) for ``remote`` with ``settings`` (temperature,
    max_tokens, seed, top_p, stop, timeout_s, max_retries)."""
    unknown = sorted(set(settings) - _SETTINGS)
    if unknown:
        raise UserError(f"model {remote.name!r} is served elsewhere ({remote.shown_url}): {', '.join(unknown)} "
                        f"{'is' if len(unknown) == 1 else 'are'} set by its server, not here; valid settings: "
                        f"{', '.join(sorted(_SETTINGS))}")
    require("openai")
    served = remote.model or _first_served_model(remote)
    api_key = os.environ.get(remote.api_key_env, "") if remote.api_key_env else ""
    if remote.api_key_env and not api_key:
        raise UserError(f"model {remote.name!r} ({remote.source}): the variable {remote.api_key_env} "
                        f"(api_key_env) is not set")
    cls = _chat_class()
    return cls(model=served, base_url=remote.url, api_key=api_key or "none",
               temperature=settings.get("temperature", 0.0), max_tokens=settings.get("max_tokens", 512),
               seed=settings.get("seed"), top_p=settings.get("top_p"), stop=settings.get("stop"),
               timeout=settings.get("timeout_s", remote.timeout_s), max_retries=settings.get("max_retries", 2),
               stream_usage=True, structured_style=remote.structured_output, display_url=remote.shown_url)


def _first_served_model(remote: RemoteModel) -> str:
    import httpx

    try:
        response = httpx.get(remote.url + "/models", timeout=10.0)
    except httpx.HTTPError as exc:
        raise _unreachable(remote.shown_url, f"{type(exc).__name__}: {exc}") from None
    try:
        served = [m["id"] for m in response.json()["data"]]
    except (ValueError, KeyError, TypeError):
        served = []
    if response.status_code != 200 or not served:
        raise ModelServerError(f"{remote.shown_url}/models answered {response.status_code} without a model "
                               f"list; name the served model: {remote.shown_url}#MODEL, or model: in the "
                               f"models file")
    return served[0]


def _unreachable(url: str, detail: str) -> ModelServerUnreachableError:
    return ModelServerUnreachableError(
        f"cannot reach the model server at {url}: {detail}. Start it (e.g. python -m llama_cpp.server "
        f"--model MODEL.gguf --host 127.0.0.1 --port 8000, or vllm serve / ollama serve), or check the URL")


# langchain-openai imports openai and tiktoken (~0.5 s): the class is built on first use.
_CLASS: list[type] = []
_CLASS_LOCK = threading.Lock()
_STYLE_CACHE: dict[str, str] = {}


def _chat_class() -> type:
    with _CLASS_LOCK:
        if not _CLASS:
            _CLASS.append(_build_chat_class())
        return _CLASS[0]


def _build_chat_class() -> type:
    import openai
    from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
    from langchain_core.utils.function_calling import convert_to_json_schema
    from langchain_openai import ChatOpenAI
    from pydantic import BaseModel

    def translate(url: str, exc: Exception) -> Exception:
        if isinstance(exc, openai.APIConnectionError | openai.APITimeoutError):
            cause = exc.__cause__ or exc
            return _unreachable(url, f"{type(cause).__name__}: {str(cause).rstrip('.')}")
        if isinstance(exc, openai.APIStatusError):
            if exc.status_code >= 500:
                return _unreachable(url, f"it answered {exc.status_code}: {exc.message}")
            return ModelServerError(f"the model server at {url} refused the request ({exc.status_code}): "
                                    f"{exc.message}")
        return exc

    class ChatOpenAICompatible(TracedChatModel, ChatOpenAI):
        """ChatOpenAI for self-hosted OpenAI-compatible servers (see agentkit.llm.remote)."""

        structured_style: str = "auto"
        display_url: str = ""

        @property
        def model(self) -> str:  # what agentkit's own model calls it
            return self.model_name

        def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            if "max_completion_tokens" in payload:
                payload["max_tokens"] = payload.pop("max_completion_tokens")
            return payload

        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return super()._generate(*args, **kwargs)
            except openai.OpenAIError as exc:
                raise translate(self.display_url, exc) from None

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from super()._stream(*args, **kwargs)
            except openai.OpenAIError as exc:
                raise translate(self.display_url, exc) from None

        async def _agenerate(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return await super()._agenerate(*args, **kwargs)
            except openai.OpenAIError as exc:
                raise translate(self.display_url, exc) from None

        async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            try:
                async for chunk in super()._astream(*args, **kwargs):
                    yield chunk
            except openai.OpenAIError as exc:
                raise translate(self.display_url, exc) from None

        def schema_style(self) -> str:
            """How this server takes a JSON schema: json_schema, json_object or tool_call."""
            if self.structured_style != "auto":
                return self.structured_style
            key = f"{self.openai_api_base}|{self.model_name}"
            if key not in _STYLE_CACHE:
                _STYLE_CACHE[key] = self._probe_style()
            return _STYLE_CACHE[key]

        def _probe_style(self) -> str:
            try:
                self.root_client.with_options(max_retries=0).chat.completions.create(
                    model=self.model_name, messages=[{"role": "user", "content": "{}"}], max_tokens=1,
                    response_format={"type": "json_schema",
                                     "json_schema": {"name": "probe", "schema": {"type": "object"}}})
            except openai.APIStatusError as exc:
                # llama-cpp-python's server answers 500 "Input should be 'text' or 'json_object'"
                if exc.status_code < 500 or "json_schema" in str(exc.message) or "response_format" in str(exc.message):
                    return "json_object"
                raise translate(self.display_url, exc) from None
            except openai.OpenAIError as exc:
                raise translate(self.display_url, exc) from None
            return "json_schema"

        def with_structured_output(self, schema: Any = None, *, method: str | None = None,
                                   include_raw: bool = False, strict: bool | None = None, **kwargs: Any) -> Any:
            if schema is None or include_raw or method is not None:
                return super().with_structured_output(schema, method=method or "json_schema",
                                                      include_raw=include_raw, strict=strict, **kwargs)
            style = self.schema_style()
            pydantic = isinstance(schema, type) and issubclass(schema, BaseModel)
            if style == "tool_call":
                if isinstance(schema, dict) and "title" not in schema:
                    schema = {"title": "answer", **schema}  # LangChain names a tool by its schema's title
                return super().with_structured_output(schema, method="function_calling", strict=strict,
                                                      **kwargs)
            # as agentkit's own model sends it (a dict as given), so a recorded run replays on it
            json_schema = (schema if isinstance(schema, dict) else schema.model_json_schema() if pydantic
                           else convert_to_json_schema(schema))
            # sent as extra_body: ChatOpenAI would route a response_format through openai's beta
            # parse(), and it knows only OpenAI's form
            response_format = ({"type": "json_schema", "json_schema": {"name": json_schema.get("title", "answer"),
                                                                       "schema": json_schema}}
                               if style == "json_schema" else {"type": "json_object", "schema": json_schema})
            bound = self.bind(extra_body={"response_format": response_format},
                              ls_structured_output_format={"kwargs": {"method": style}, "schema": json_schema},
                              **kwargs)
            parser = PydanticOutputParser(pydantic_object=schema) if pydantic else JsonOutputParser()
            return bound | parser

    return ChatOpenAICompatible
