"""Unit tests touch no socket, no server and no Node: a network call here fails the test.

Only Internet sockets are refused; the event loops Powertools and asyncio build
use a local socket pair, which is not the network.
"""

import socket

import pytest


class NetworkInUnitTest(AssertionError):
    """A unit test reached for the network: it belongs to the integration layer, or needs a fake."""


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: socket.socket, *args: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkInUnitTest(f"a unit test opened a network socket ({args[0] if args else ''})")

    for method in ("connect", "connect_ex", "bind"):
        original = getattr(socket.socket, method)

        def guarded(self: socket.socket, *args: object, _original=original) -> object:
            refuse(self, *args)
            return _original(self, *args)

        monkeypatch.setattr(socket.socket, method, guarded)
