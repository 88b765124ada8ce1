"""What the server refuses before a route sees a request: a body over the limit (413), a Host name it does
not answer to (400), and a browser's request from another site that would change something (403).

Two ASGI middlewares that `create_app` adds (BodyLimit, SameSiteOnly); each answers the API in JSON and a
page in HTML, as the exception handlers do (handlers.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .handlers import is_page

# Body limit -------------------------------------------------------------------------------------


class BodyLimit:
    """413 when a request body exceeds `max_body`, whether declared or streamed.

    The body is read here, up to the limit, before the app sees it: an app that parses JSON would
    otherwise turn an over-long chunked body into a parse error (400) instead of a 413. The API gets the
    413 as JSON (paths starting with one of `api_paths`), a page (the analyse form) as HTML made by `page`.
    """

    def __init__(self, app: ASGIApp, max_body: int, api_paths: tuple[str, ...], page: Callable[[str], str]) -> None:
        self.app = app
        self.max_body = max_body
        self.api_paths = api_paths
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return await self._refuse(scope, send)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body:
                return await self._refuse(scope, send)
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = f"request body over the limit of {self.max_body:,} bytes"
        if scope["path"].startswith(self.api_paths):
            body, kind = json.dumps({"error": message}).encode(), b"application/json"
        else:
            body, kind = self.page(message).encode(), b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# Host names -------------------------------------------------------------------------------------

_AUTHORITY = re.compile(r"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::(?P<port>[0-9]{1,5}))?")


def host_of(authority: str) -> str | None:
    """The host of a Host header or an origin's authority, without its port ("[::1]:8000" -> "::1"); None
    for anything else ("localhost:8000@evil.example", "[::1]:8000x"): a name or address, and digits after
    the colon, or nothing."""
    match = _AUTHORITY.fullmatch(authority)
    if match is None:
        return None
    return (match.group("ip6") or match.group("name")).lower()


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def answered_hosts(listen_host: str, more: Iterable[str] = ()) -> frozenset[str] | None:
    """The Host names a server listening on `listen_host` answers: on a loopback address its loopback names
    and `more` (a proxy's public name); elsewhere any (None)."""
    listen = host_of(listen_host) or host_of(f"[{listen_host}]") or listen_host.lower()  # "::1" is written bare
    if listen not in LOOPBACK_NAMES and not listen.startswith("127."):
        return None
    return LOOPBACK_NAMES | {listen} | {host_of(name) or host_of(f"[{name}]") or name.lower() for name in more}


# The Host check and the same-site check ---------------------------------------------------------


def refusal(method: str, host: str, origin: str | None, allowed_hosts: frozenset[str] | None) -> tuple[int, str] | None:
    """(status, message) for a request refused by its Host and Origin headers, or None to let it through."""
    refused = None
    if allowed_hosts is not None and host_of(host) not in allowed_hosts:
        refused = (400, "this server answers only to its own address (Host header refused)")
    # A browser names the page that sends a request: a form or script on another site may not post
    # articles here or delete them (clients that are not browsers send no Origin).
    if method not in ("GET", "HEAD", "OPTIONS") and origin is not None:
        if origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
            refused = (403, "a request from another site is refused")
    return refused


class SameSiteOnly(BaseHTTPMiddleware):
    """Refuses a Host name outside `allowed_hosts` (None: any) and a browser's non-reading request from
    another site; an API path gets {"error": ...}, a page the `page` made of the message."""

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str] | None, page: Callable[[str], str]) -> None:
        super().__init__(app)
        self.allowed_hosts = allowed_hosts
        self.page = page

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        refused = refusal(request.method, request.headers.get("host", ""), request.headers.get("origin"), self.allowed_hosts)
        if refused is None:
            return await call_next(request)
        status, message = refused
        if is_page(request):
            return HTMLResponse(self.page(message[0].upper() + message[1:] + "."), status_code=status)
        return JSONResponse({"error": message}, status_code=status)

