"""Optional parts of agentkit and what installs them.

The core (graph specs, the engine, durable runs, the local model) needs none of these;
a feature that does calls ``require`` before importing them, so a missing one is a
``MissingExtraError`` naming the ``pip install`` instead of an ``ImportError`` deep inside.

| extra    | for                                          | imports                                        |
|----------|----------------------------------------------|------------------------------------------------|
| memory   | retrieval memory: Chroma, offline embeddings, | chromadb, onnxruntime, tokenizers, pypdf, bs4, |
|          | ingesting txt/md/html/pdf                     | langchain_text_splitters                       |
| vision   | images: OCR, inspection, QR codes, faces      | PIL, cv2, rapidocr                             |
| media    | audio and video: decoding, speech to text,    | av, faster_whisper, ctranslate2                |
|          | keyframes (keyframes also need vision's PIL)  |                                                |
| whisper- | the multilingual Whisper base model (files | (model files only: checked by                  |
| base     | only; with media)                             | agentkit.media.whisper)                        |
| chart    | charts drawn to PNG                           | matplotlib                                     |
| studio   | ``agentkit studio``: the local web app         | starlette, uvicorn                             |
| trace    | OpenTelemetry traces of runs                  | opentelemetry.sdk                              |
| mcp      | MCP: servers' tools in graphs, graphs served  | mcp                                            |
|          | as MCP tools (``agentkit mcp serve``)         |                                                |
| postgres | run databases on a PostgreSQL server          | psycopg, langgraph.checkpoint.postgres         |
| ray      | ``agentkit batch --ray``: batches on Ray       | ray                                            |
| openai   | models served elsewhere (OpenAI-compatible)   | langchain_openai, openai                       |
| all      | every extra, and the default models' weights |                                                |
"""

from __future__ import annotations

import importlib.util

from agentkit.errors import MissingExtraError

__all__ = ["EXTRAS", "missing", "require"]

EXTRAS: dict[str, tuple[str, ...]] = {
    "memory": ("chromadb", "onnxruntime", "tokenizers", "pypdf", "bs4", "langchain_text_splitters"),
    "vision": ("PIL", "cv2", "rapidocr"),
    "media": ("av", "faster_whisper", "ctranslate2"),
    "chart": ("matplotlib",),
    "studio": ("starlette", "uvicorn"),
    "trace": ("opentelemetry.sdk",),
    "mcp": ("mcp",),
    "postgres": ("psycopg", "psycopg_pool", "langgraph.checkpoint.postgres"),
    "ray": ("ray",),
    "openai": ("langchain_openai", "openai"),
}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or an import blocked in sys.modules
        return False


def missing(*modules: str) -> list[str]:
    """The import names among ``modules`` that are not installed."""
    return [module for module in modules if not _installed(module)]


def require(extra: str, *modules: str, what: str = "") -> None:
    """Raise ``MissingExtraError`` naming ``pip install 'agentkit[extra]'`` when any of
    ``modules`` (default: every module of ``extra``) is not installed; ``what`` names the
    feature in the message."""
    absent = missing(*(modules or EXTRAS[extra]))
    if absent:
        feature = what or f"agentkit's {extra} features"
        raise MissingExtraError(f"{feature} need{'s' if what else ''} {', '.join(absent)}, which "
                                f"{'is' if len(absent) == 1 else 'are'} not installed; install with: "
                                f"pip install 'agentkit[{extra}]'")
