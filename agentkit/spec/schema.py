"""The JSON Schema of spec files, for editors (yaml-language-server), with every known node kind.

Each node is described by its kind's own model -- built-in and plug-in kinds alike --
as one branch of a union told apart by ``kind``.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, create_model

from agentkit.registry import node_kinds
from agentkit.spec.models import GraphSpec, Name

__all__ = ["spec_json_schema"]


def spec_json_schema() -> dict[str, Any]:
    """The JSON Schema of a graph spec file, every registered node kind included."""
    models = tuple(kind.spec for kind in node_kinds())
    node = Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007 (a runtime tuple of types)
    with_kinds = create_model("GraphSpec", __base__=GraphSpec, nodes=(dict[Name, node], Field(min_length=1)))
    schema = with_kinds.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "agentkit graph spec"
    return schema
