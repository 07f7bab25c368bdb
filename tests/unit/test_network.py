"""What counts as loopback: the one check servers and specs share (agentkit.network)."""

from __future__ import annotations

import pytest

from agentkit.network import is_loopback, is_loopback_url


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.3.4.5", "::1", "[::1]", " LOCALHOST "])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.4", "example.com", "localhost.example.com", "", "::"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_loopback_urls() -> None:
    assert is_loopback_url("http://127.0.0.1:8000/v1") and is_loopback_url("ray://localhost:10001")
    assert is_loopback_url("127.0.0.1:6379") and is_loopback_url("http://[::1]:5432/x")
    assert not is_loopback_url("http://10.0.0.2:8000/v1") and not is_loopback_url("https://api.example.com/v1")
    assert not is_loopback_url("auto")
