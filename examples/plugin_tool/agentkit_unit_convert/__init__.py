"""``unit_convert``: an agentkit tool plug-in converting between metric and imperial units.

A plain langchain-core tool with a pydantic args schema; the package's entry point
(``[project.entry-points."agentkit.tools"]``) is all agentkit needs to find it by name:

```yaml
convert: {kind: tool, tool: unit_convert, args: {value: "{value}", from_unit: km, to_unit: mi}, output: result}
helper:  {kind: agent, prompt: "{question}", tools: [unit_convert], output: answer}
```

Units come from a fixed table (length, mass, volume, temperature); the schema lists
them as an enum, so a model's tool call is decoded under a grammar that allows only
known units.  Callers from Python or YAML may also write common names ("kilometres",
"pounds", "°F").  An unknown unit or a conversion across kinds (km -> kg) fails
validation with a message naming what would be valid: a ``tool`` node reports it
as the node's error, an ``agent`` node's model reads it and may try again.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import tool
from pydantic import BaseModel, Field, field_validator, model_validator

__all__ = ["UNITS", "UnitConvertArgs", "convert", "unit_convert"]

# unit -> (kind, factor to the kind's base unit: metre, kilogram, litre); temperatures are affine (below)
UNITS: dict[str, tuple[str, float]] = {
    "mm": ("length", 0.001), "cm": ("length", 0.01), "m": ("length", 1.0), "km": ("length", 1000.0),
    "in": ("length", 0.0254), "ft": ("length", 0.3048), "yd": ("length", 0.9144), "mi": ("length", 1609.344),
    "g": ("mass", 0.001), "kg": ("mass", 1.0), "t": ("mass", 1000.0),
    "oz": ("mass", 0.028349523125), "lb": ("mass", 0.45359237), "st": ("mass", 6.35029318),
    "ml": ("volume", 0.001), "l": ("volume", 1.0),
    "tsp": ("volume", 0.00492892159375), "tbsp": ("volume", 0.01478676478125), "fl_oz": ("volume", 0.0295735295625),
    "cup": ("volume", 0.2365882365), "pt": ("volume", 0.473176473), "qt": ("volume", 0.946352946),
    "gal": ("volume", 3.785411784),  # US customary
    "c": ("temperature", 1.0), "f": ("temperature", 1.0), "k": ("temperature", 1.0),
}
Unit = Literal["mm", "cm", "m", "km", "in", "ft", "yd", "mi", "g", "kg", "t", "oz", "lb", "st", "ml", "l", "tsp",
               "tbsp", "fl_oz", "cup", "pt", "qt", "gal", "c", "f", "k"]

_ALIASES = {
    "millimetre": "mm", "centimetre": "cm", "metre": "m", "meter": "m", "kilometre": "km", "inch": "in",
    "inches": "in", "foot": "ft", "feet": "ft", "yard": "yd", "mile": "mi", "gram": "g", "kilogram": "kg",
    "tonne": "t", "ounce": "oz", "pound": "lb", "lbs": "lb", "stone": "st", "millilitre": "ml", "litre": "l",
    "liter": "l", "teaspoon": "tsp", "tablespoon": "tbsp", "fluid_ounce": "fl_oz", "floz": "fl_oz", "pint": "pt",
    "quart": "qt", "gallon": "gal", "celsius": "c", "°c": "c", "fahrenheit": "f", "°f": "f", "kelvin": "k",
}


def _canonical(unit: Any) -> Any:
    """"Kilometres", "KM", "°F" -> "km", "km", "f" (anything else is left for the enum to refuse)."""
    if not isinstance(unit, str):
        return unit
    key = unit.strip().lower().replace(" ", "_")
    if key in UNITS:
        return key
    for candidate in (key, key.removesuffix("s"), key.replace("meter", "metre").removesuffix("s")):
        if candidate in _ALIASES:
            return _ALIASES[candidate]
    return key


class UnitConvertArgs(BaseModel):
    value: float = Field(description="The amount to convert.")
    from_unit: Unit = Field(description="The unit the value is in, e.g. km, lb, gal, f (Fahrenheit).")
    to_unit: Unit = Field(description="The unit to convert to, of the same kind (length, mass, volume, temperature).")

    @field_validator("from_unit", "to_unit", mode="before")
    @classmethod
    def _common_names(cls, unit: Any) -> Any:
        return _canonical(unit)

    @model_validator(mode="after")
    def _same_kind(self) -> UnitConvertArgs:
        source, target = UNITS[self.from_unit][0], UNITS[self.to_unit][0]
        if source != target:
            same = ", ".join(u for u, (kind, _) in UNITS.items() if kind == source)
            raise ValueError(f"cannot convert {source} ({self.from_unit}) to {target} ({self.to_unit}); "
                             f"{source} units: {same}")
        return self


def _to_kelvin(value: float, unit: str) -> float:
    return {"c": value + 273.15, "f": (value - 32) * 5 / 9 + 273.15, "k": value}[unit]


def _from_kelvin(value: float, unit: str) -> float:
    return {"c": value - 273.15, "f": (value - 273.15) * 9 / 5 + 32, "k": value}[unit]


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (both canonical units of one kind)."""
    if UNITS[from_unit][0] == "temperature":
        return _from_kelvin(_to_kelvin(value, from_unit), to_unit)
    return value * UNITS[from_unit][1] / UNITS[to_unit][1]


@tool(args_schema=UnitConvertArgs)
def unit_convert(value: float, from_unit: str, to_unit: str) -> dict[str, Any]:
    """Convert an amount between units of length, mass, volume or temperature (metric and imperial)."""
    args = UnitConvertArgs(value=value, from_unit=from_unit, to_unit=to_unit)  # aliases, when called directly
    result = round(convert(args.value, args.from_unit, args.to_unit), 6)
    text = f"{args.value:g} {args.from_unit} = {result:g} {args.to_unit}"
    return {"value": result, "unit": args.to_unit, "text": text}
