"""What keeps the proofing server answering phones whatever else the network sends it: a cap
on open connections (in all and per address; at the cap the oldest connection that is only
waiting is closed, never one serving a page or a stream), a deadline for a request's headers
(a connection that never finishes them is closed), error answers of aiohttp's own (a bad
request line, a header too long) with the security headers and a fixed text that echoes
nothing, and a log that says a repeated warning once a minute instead of thousands of
times.

aiohttp on the server's own loop (session.proofing.proofing_server); nothing here blocks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

MAX_CONNECTIONS = 256         # well below a desktop's 1,024 descriptors
MAX_PER_ADDRESS = 48          # a phone opens about six
HEADER_DEADLINE_S = 10.0      # a request's headers must be complete by then
LOG_EVERY_S = 60.0
_ERRORS = {400: "Bad request", 413: "Too large", 431: "Headers too large",
           500: "Something went wrong", 504: "Too slow"}

log = logging.getLogger(__name__)


class _Handler(RequestHandler):
    """aiohttp's connection handler, whose own error answers carry the security headers and
    never repeat what the client sent."""

    headers: Mapping[str, str] = {}

    def handle_error(self, request: BaseRequest, status: int = 500,
                     exc: BaseException | None = None, message: str | None = None
                     ) -> web.StreamResponse:
        super().handle_error(request, status, exc, message)    # logs; raises if half sent
        answer = web.Response(status=status, text=_ERRORS.get(status, "Refused"),
                              headers=self.headers)
        answer.force_close()
        return answer


class _CappedServer(web.Server):
    """Hands out _Handler connections and holds their number under the caps."""

    headers: Mapping[str, str] = {}

    def __call__(self) -> RequestHandler:
        handler = _Handler(self, loop=self._loop, **self._kwargs)
        handler.headers = self.headers
        return handler

    def connection_made(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        address = _address(transport)
        mine = [h for h, t in self._connections.items() if _address(t) == address]
        if len(mine) > MAX_PER_ADDRESS:
            _make_room(mine, handler, "one address")
        elif len(self._connections) > MAX_CONNECTIONS:
            _make_room(list(self._connections), handler, "all addresses")


def _address(transport: asyncio.BaseTransport) -> str:
    peer = transport.get_extra_info("peername")
    return str(peer[0]) if isinstance(peer, tuple) and peer else ""


def _idle(handler: RequestHandler) -> bool:
    """Waiting for a request's headers (a new connection, or a kept-alive one)."""
    waiter = getattr(handler, "_waiter", None)
    return waiter is not None and not waiter.done()


def _make_room(connections: list[RequestHandler], newest: RequestHandler, where: str) -> None:
    """Close the oldest connection that is only waiting; the newest one if none is."""
    waiting = [h for h in connections if h is not newest and _idle(h)]
    victim = waiting[0] if waiting else newest
    quiet_warning(f"connection cap reached ({where}): a waiting connection was closed")
    victim.force_close()
    if victim.transport is not None:
        victim.transport.close()


class GuardedRunner(web.AppRunner):
    """An AppRunner whose server is _CappedServer (built from the one aiohttp makes) and
    whose connections must finish their headers within HEADER_DEADLINE_S."""

    def __init__(self, app: web.Application, headers: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(app, keepalive_timeout=HEADER_DEADLINE_S, **kwargs)
        self._headers = headers

    async def _make_server(self) -> web.Server:
        plain = await super()._make_server()
        server = _CappedServer(plain.request_handler, request_factory=plain.request_factory,
                               handler_cancellation=plain.handler_cancellation,
                               loop=asyncio.get_running_loop(), **plain._kwargs)
        server.headers = self._headers
        return server


class RateLimited(logging.Filter):
    """Lets one record of a kind (logger and message) through per LOG_EVERY_S, then says how
    many were held back."""

    def __init__(self) -> None:
        super().__init__()
        self._last: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        last, held = self._last.get(key, (-LOG_EVERY_S, 0))
        if now - last < LOG_EVERY_S:
            self._last[key] = (last, held + 1)
            return False
        if len(self._last) > 1024:
            self._last.clear()
        self._last[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like it in the last minute)"
        return True


_FILTER = RateLimited()
NOISY_LOGGERS = ("aiohttp.server", "aiohttp.web", "aiohttp.access", "asyncio", __name__)


def quiet_logs() -> None:
    """Rate-limit the loggers a flood of bad connections writes to (idempotent)."""
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def quiet_warning(message: str) -> None:
    log.warning(message)
