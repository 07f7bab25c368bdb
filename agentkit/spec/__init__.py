"""Declarative graph specs: models, YAML loading with located errors, checks."""

from agentkit.spec.builder import GraphBuilder
from agentkit.spec.loader import SpecError, SpecIssue, dump_spec, load_spec, parse_spec
from agentkit.spec.models import END, GraphSpec

__all__ = ["END", "GraphBuilder", "GraphSpec", "SpecError", "SpecIssue", "dump_spec", "load_spec", "parse_spec",
           "spec_json_schema"]


def spec_json_schema() -> dict:
    """The JSON Schema of a graph spec file, for editors (yaml-language-server)."""
    schema = GraphSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "agentkit graph spec"
    return schema
