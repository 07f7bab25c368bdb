"""What agentkit may reach or listen on without being told: loopback only.

Servers (the studio, ``agentkit mcp serve``) bind to loopback unless the user allows another
address, and a spec may name only loopback URLs (a served model, a Ray head); these checks are
the one place that says what loopback is.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback", "is_loopback_url"]


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.1``, ``::1``, ``[::1]``); false for
    any other name or address, including names that might resolve to loopback."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """True when ``url``'s host is loopback (``http://127.0.0.1:8000/v1``, ``ray://localhost:10001``)."""
    return is_loopback(urlsplit(url if "://" in url else f"//{url}").hostname or "")
