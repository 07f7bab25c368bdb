"""``python -m agentkit.cli``: the same as the ``agentkit`` command."""

from agentkit.cli.app import main

raise SystemExit(main())
