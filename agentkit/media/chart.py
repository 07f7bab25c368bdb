"""Text -> chart: a small chart spec drawn to a PNG offline with matplotlib (Agg, no display).

No model that draws pictures from text runs offline here, so text -> image means text ->
chart: a model (or a graph) writes a spec under ``CHART_SCHEMA`` -- ``type`` (bar, line, pie,
table), ``title``, ``labels`` and one number per label in ``values``, optional axis labels --
and ``render_chart`` draws it.  ``ungrounded_values`` lists the values that do not appear in
the text the spec was made from, so a chart can be held to its data.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from typing import Any

from agentkit.errors import ChartError
from agentkit.extras import require

__all__ = ["CHART_SCHEMA", "CHART_TYPES", "check_chart_spec", "numbers_in", "render_chart", "ungrounded_values"]

CHART_TYPES = ("bar", "line", "pie", "table")
_MAX_POINTS = 24
CHART_SCHEMA: dict[str, Any] = {
    "title": "Chart",
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": list(CHART_TYPES)},
        "title": {"type": "string", "maxLength": 80},
        "labels": {"type": "array", "items": {"type": "string", "maxLength": 40}, "minItems": 1,
                   "maxItems": _MAX_POINTS},
        "values": {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": _MAX_POINTS},
        "x_label": {"type": "string", "maxLength": 40},
        "y_label": {"type": "string", "maxLength": 40},
    },
    "required": ["type", "title", "labels", "values"],
}
_lock = threading.Lock()  # matplotlib's font cache and text layout are shared: one drawing at a time
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?")


def check_chart_spec(spec: Any, *, types: tuple[str, ...] = CHART_TYPES) -> dict[str, Any]:
    """``spec`` as a clean dict, or ``ChartError`` saying what is wrong and what would be valid."""
    if not isinstance(spec, dict):
        raise ChartError(f"a chart spec is an object with type, title, labels and values, not {type(spec).__name__}")
    kind = spec.get("type")
    if kind not in types:
        raise ChartError(f"chart type {kind!r} is not one of: {', '.join(types)}")
    labels, values = spec.get("labels"), spec.get("values")
    if not isinstance(labels, list) or not labels or len(labels) > _MAX_POINTS:
        raise ChartError(f"chart labels must be a list of 1..{_MAX_POINTS} names")
    if not isinstance(values, list) or len(values) != len(labels):
        raise ChartError(f"a chart needs one value per label: {len(labels)} labels, "
                         f"{len(values) if isinstance(values, list) else 'no'} values")
    clean: list[float] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ChartError(f"chart values must be finite numbers; got {value!r}")
        clean.append(float(value))
    if kind == "pie" and (any(v < 0 for v in clean) or sum(clean) <= 0):
        raise ChartError("a pie chart needs values >= 0 that add up to more than 0; use a bar chart for these")
    result = {"type": kind, "title": str(spec.get("title") or "")[:80], "labels": [str(x)[:40] for x in labels],
              "values": clean}
    for key in ("x_label", "y_label"):
        if spec.get(key):
            result[key] = str(spec[key])[:40]
    return result


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text`` (``1,200``, ``-3.5``, ``42%`` -> 42)."""
    return [float(m.group().replace(",", "")) for m in _NUMBER.finditer(text)]


def ungrounded_values(spec: dict[str, Any], source_text: str) -> list[float]:
    """The spec's values that appear nowhere in ``source_text`` as numbers."""
    known = numbers_in(source_text)
    return [v for v in spec["values"] if not any(math.isclose(v, k, rel_tol=1e-9, abs_tol=1e-9) for k in known)]


def render_chart(spec: dict[str, Any], *, width: int = 800, height: int = 500) -> dict[str, Any]:
    """Draw ``spec`` as a ``width`` x ``height`` PNG under the workspace's ``charts/`` folder;
    returns ``{"path", "width", "height", "spec"}`` (the path is inside the image roots, so the
    vision tools read it)."""
    require("chart", "matplotlib", what="drawing charts")
    spec = check_chart_spec(spec)
    if not (200 <= width <= 4000 and 150 <= height <= 4000):
        raise ChartError(f"a chart is 200..4000 pixels wide and 150..4000 high, not {width} x {height}")
    with _lock:
        return _draw(spec, width, height)


def _draw(spec: dict[str, Any], width: int, height: int) -> dict[str, Any]:
    import io

    # a Figure made without pyplot draws with the Agg canvas: no display, no global backend switch
    from matplotlib.figure import Figure

    dpi = 100
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    axes = figure.add_subplot()
    labels, values, kind = spec["labels"], spec["values"], spec["type"]
    if kind == "bar":
        bars = axes.bar(labels, values, color="#4C72B0")
        axes.bar_label(bars, labels=[_number(v) for v in values], padding=2)
    elif kind == "line":
        axes.plot(labels, values, marker="o", color="#4C72B0")
        for x, y in zip(labels, values, strict=True):
            axes.annotate(_number(y), (x, y), textcoords="offset points", xytext=(0, 6), ha="center")
    elif kind == "pie":
        axes.pie(values, labels=labels, autopct="%1.0f%%", startangle=90, counterclock=False)
        axes.axis("equal")
    else:
        axes.axis("off")
        table = axes.table(cellText=[[label, _number(value)] for label, value in zip(labels, values, strict=True)],
                           colLabels=[spec.get("x_label") or "", spec.get("y_label") or "value"], loc="center")
        table.scale(1, 1.4)
    if kind in ("bar", "line"):
        axes.set_xlabel(spec.get("x_label", ""))
        axes.set_ylabel(spec.get("y_label", ""))
        axes.grid(axis="y", alpha=0.3)
        if len(labels) > 6:
            axes.tick_params(axis="x", labelrotation=30)
    axes.set_title(spec["title"])
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    data = buffer.getvalue()
    return {"path": _save(data), "width": width, "height": height, "spec": spec}


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _save(data: bytes) -> str:
    from agentkit.workspace import workspace_path

    path = workspace_path("charts", f"chart-{hashlib.sha256(data).hexdigest()[:16]}.png")
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return str(path)
