"""Request body limit (ASGI middleware): 413 when a body exceeds it, whether declared or streamed.

The body is read here, up to the limit, before the app sees it: an app that parses JSON would
otherwise turn an over-long chunked body into a parse error (400) instead of a 413. The API gets the
413 as JSON (paths starting with one of `api_paths`), a page (the analyse form) as HTML made by `page`.
"""

from __future__ import annotations

import json
from collections.abc import Callable


class BodyLimit:
    def __init__(self, app, max_body: int, api_paths: tuple[str, ...], page: Callable[[str], str]) -> None:
        self.app = app
        self.max_body = max_body
        self.api_paths = api_paths
        self.page = page

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return await self._refuse(scope, send)
        chunks, size = [], 0
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

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope, send) -> None:
        message = f"request body over the limit of {self.max_body:,} bytes"
        if scope["path"].startswith(self.api_paths):
            body, kind = json.dumps({"error": message}).encode(), b"application/json"
        else:
            body, kind = self.page(message).encode(), b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
