"""``agentkit studio``: a local web app to look at graphs and runs, and act on them.

``create_app(...)`` builds the ASGI app (Starlette) over one workspace's run database;
``serve(...)`` runs it with uvicorn on 127.0.0.1 by default.  Every script and style it
uses ships in this package (``static/``): nothing is loaded from the internet.  Needs the
``studio`` extra (``pip install 'agentkit[studio]'``).
"""

from agentkit.studio.server import StudioSettings, create_app, serve

__all__ = ["StudioSettings", "create_app", "serve"]
