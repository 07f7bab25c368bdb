"""Declarative graph specs: the models, YAML loading with located errors, graph checks,
the Python builder, diagrams and the JSON Schema for editors."""

from agentkit.errors import SpecError, SpecIssue
from agentkit.spec.builder import GraphBuilder
from agentkit.spec.loader import dump_spec, load_spec, parse_spec
from agentkit.spec.models import END, GraphSpec, NodeSpec, Origin, Route
from agentkit.spec.schema import spec_json_schema

__all__ = ["END", "GraphBuilder", "GraphSpec", "NodeSpec", "Origin", "Route", "SpecError", "SpecIssue", "dump_spec",
           "load_spec", "parse_spec", "spec_json_schema"]
