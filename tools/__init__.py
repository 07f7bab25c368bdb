"""agentkit's built-in tool packs, installed as ``agentkit.tools``.

Each module is one pack of langchain-core tools (``vision``, ``memory``, ...).
They are registered by name through the ``agentkit.tools`` entry-point group in
``pyproject.toml``, the same route third-party plug-ins take, so
``agentkit.get_tool(name)`` finds built-in and plug-in tools alike.  The folder
is ``tools/`` in the repository and ``agentkit/tools`` in an installed wheel (it
never claims the bare ``tools`` import name).
"""
