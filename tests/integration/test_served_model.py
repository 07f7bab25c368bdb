"""A model served elsewhere: llama-cpp-python's own OpenAI-compatible server on loopback, serving
the default model, used by get_chat_model, a graph spec and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.tools import tool

import agentkit
from agentkit import cli
from agentkit.errors import ModelServerUnreachableError
from agentkit.llm import get_chat_model
from agentkit.runtime import load
from tests.model_server import free_port, llama_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with llama_server(alias="served") as url:
        yield url


def test_a_url_is_a_chat_model(served: str) -> None:
    model = get_chat_model(served, max_tokens=16)
    reply = model.invoke("What is the capital of France? Answer with one word.")
    assert "paris" in reply.content.lower()
    assert reply.usage_metadata["output_tokens"] <= 16


def test_max_tokens_reaches_the_server(served: str) -> None:
    # ChatOpenAI alone sends max_completion_tokens, which this server ignores
    reply = get_chat_model(served, max_tokens=5).invoke("Count from 1 to 200, one number per line.")
    assert reply.usage_metadata["output_tokens"] <= 5
    assert reply.response_metadata["finish_reason"] == "length"


def test_structured_output_is_decoded_under_the_schema(served: str) -> None:
    model = get_chat_model(served, max_tokens=64)
    schema = {"type": "object", "properties": {"city": {"type": "string"}, "population_millions": {"type": "number"}},
              "required": ["city", "population_millions"], "additionalProperties": False}
    answer = model.with_structured_output(schema).invoke("Name the largest city of Japan and its population.")
    assert set(answer) == {"city", "population_millions"}
    assert isinstance(answer["population_millions"], int | float)
    # llama-cpp-python's server refuses OpenAI's json_schema form; the probe found its own
    assert model.schema_style() == "json_object"


def test_a_named_tool_call_is_constrained(served: str) -> None:
    @tool
    def convert(amount: float, currency: str) -> str:
        """Convert an amount of money to euros."""
        return "n/a"

    reply = get_chat_model(served, max_tokens=64).bind_tools([convert], tool_choice="convert").invoke(
        "How much is 12.5 dollars in euros?")
    assert [call["name"] for call in reply.tool_calls] == ["convert"]
    assert set(reply.tool_calls[0]["args"]) == {"amount", "currency"}
    assert reply.tool_calls[0]["args"]["amount"] == 12.5


def test_a_graph_spec_names_the_served_model(served: str, tmp_path: Path) -> None:
    spec = tmp_path / "facts.yaml"
    spec.write_text(f"""
name: facts
entry: extract
state:
  sentence: {{type: str}}
  facts: {{type: dict}}
input: [sentence]
output: [facts]
nodes:
  extract:
    kind: llm
    model: "{served}"
    prompt: "Extract the city and the country from: {{sentence}}"
    output: facts
    schema:
      type: object
      properties: {{city: {{type: string}}, country: {{type: string}}}}
      required: [city, country]
""")
    result = load(spec).invoke({"sentence": "Last summer I flew to Madrid, in Spain."})
    assert result["facts"]["city"].lower() == "madrid"
    assert result["facts"]["country"].lower() == "spain"


def test_a_models_file_entry_and_the_cli(served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    models = tmp_path / "models.yaml"
    models.write_text(f"gpu-box:\n  url: {served}\n  model: served\n  structured_output: json_object\n")
    monkeypatch.setenv("AGENTKIT_MODELS_FILE", str(models))
    status = cli.main(["chat", "--model", "gpu-box", "--max-tokens", "8", "--json",
                       "What is the capital of Italy? One word."])
    assert status == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "rome" in out["answer"].lower()
    assert out["model"] == "served"


def test_a_server_that_is_down_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ModelServerUnreachableError, match=url.replace(".", r"\.")):
        get_chat_model(url + "#served", max_retries=0).invoke("hi")
    status = cli.main(["chat", "--model", url, "hi"])
    assert status != 0
    err = capsys.readouterr().err
    assert url in err and "llama_cpp.server" in err and "Traceback" not in err


def test_a_run_on_the_served_model_replays_without_it(served: str, tmp_path: Path) -> None:
    spec = tmp_path / "city.yaml"
    spec.write_text(f"""
name: city
entry: extract
state: {{sentence: {{type: str}}, facts: {{type: dict}}, line: {{type: str}}}}
input: [sentence]
output: [facts, line]
nodes:
  extract:
    kind: llm
    model: "{served}"
    prompt: "Extract the city from: {{sentence}}"
    output: facts
    schema: {{type: object, properties: {{city: {{type: string}}}}, required: [city]}}
  say: {{kind: llm, model: "{served}", prompt: "One short sentence about {{facts}}.", max_tokens: 20, output: line}}
edges: [{{from: extract, to: say}}]
""")
    with agentkit.Runner(tmp_path / "runs.sqlite") as runner:
        run = runner.start(spec, {"sentence": "We landed in Lisbon at noon."})
        assert run.status == "done" and run.values["facts"]["city"].lower() == "lisbon"
        replayed = runner.replay(run.thread_id)  # served from the record: shaped as the served model sent it
    assert replayed.status == "done" and replayed.matches
