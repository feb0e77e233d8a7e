"""Running the app on uvicorn, with the limits uvicorn leaves to its user.

The listening socket is bound here, before uvicorn starts, so that a port in use or out
of range is one line and exit status 1 (uvicorn would exit 3, which `publish` uses for
"published with warnings"). Connections that send no complete request head within
`header_timeout` seconds are closed, so slow clients cannot hold the server's
connections; the body has its own read timeout (limits.BodyLimit).
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 15.0  # seconds for a client to send a request line and headers


class HeaderTimeoutProtocol(H11Protocol):
    """h11 with a deadline on each request head (uvicorn has none of its own)."""

    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._head_seen = getattr(self, "scope", None)
        self._head_timer = asyncio.get_running_loop().call_later(self.header_timeout, self._head_overdue)

    def _head_overdue(self) -> None:
        waiting_for_head = getattr(self, "scope", None) is self._head_seen
        if waiting_for_head and not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._head_timer.cancel()
        if not self.transport.is_closing():
            self._arm()  # the next request on this kept-alive connection gets its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_timer.cancel()
        super().connection_lost(exc)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket; OSError (one line: strerror) when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(app: Any, sock: socket.socket, log_level: str, header_timeout: float = HEADER_TIMEOUT) -> None:
    HeaderTimeoutProtocol.header_timeout = header_timeout
    config = uvicorn.Config(app, log_level=log_level, proxy_headers=False, server_header=False,
                            http=HeaderTimeoutProtocol, ws="none", timeout_graceful_shutdown=10)
    uvicorn.Server(config).run(sockets=[sock])
