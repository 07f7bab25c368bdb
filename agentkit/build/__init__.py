"""Building specs into LangGraph graphs."""

from agentkit.build.compile import BuildOptions, GraphBuildError, compile_spec

__all__ = ["BuildOptions", "GraphBuildError", "compile_spec", "load"]


def load(source, *, allow_imports: bool = False, checkpointer=None, model_factory=None):
    """Load (a path or a ``GraphSpec``), check and compile a graph; returns the LangGraph runnable."""
    from pathlib import Path

    from agentkit.spec import load_spec

    spec = load_spec(source)
    path = None if hasattr(source, "nodes") else Path(source).resolve()
    return compile_spec(spec, options=BuildOptions(
        base_dir=path.parent if path else Path.cwd(), allow_imports=allow_imports, checkpointer=checkpointer,
        model_factory=model_factory, _stack=(path,) if path else ()))
