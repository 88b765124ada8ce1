"""How the server answers an error: the API (and /healthz, /openapi.json) in JSON, {"error": "..."}, every
other path with an HTML page. The exception handlers of the app, all of them here."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response

from .templates import error_page

API_PATHS = ("/api/", "/healthz", "/openapi.json")  # answered in JSON; every other path is a page


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PATHS)


# Starlette's class, so unknown paths (404) and methods (405) answer in the same shape.
async def http_error(request: Request, error: StarletteHTTPException) -> Response:
    if is_page(request):
        return HTMLResponse(error_page(str(error.detail)), status_code=error.status_code, headers=error.headers)
    return JSONResponse({"error": error.detail}, status_code=error.status_code, headers=error.headers)


async def validation_error(request: Request, error: RequestValidationError) -> Response:
    messages = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in error.errors())
    if is_page(request):  # a page's query string that does not parse: a bad request, shown as a page
        return HTMLResponse(error_page(messages or "Bad request."), status_code=400)
    return JSONResponse({"error": messages or "invalid request"}, status_code=422)


async def unexpected_error(request: Request, error: Exception) -> Response:
    # A bug or a failing database: the usual shape, not Starlette's plain text, and no detail (it
    # may hold SQL or a database URL). Starlette raises the error again, for the server's log.
    if is_page(request):
        return HTMLResponse(error_page("Something went wrong on the server."), status_code=500)
    return JSONResponse({"error": "internal server error"}, status_code=500)


# For FastAPI(exception_handlers=...): each handler takes the class it is registered for.
EXCEPTION_HANDLERS: dict[int | type[Exception], Callable[[Request, Any], Coroutine[Any, Any, Response]]] = {
    StarletteHTTPException: http_error,
    RequestValidationError: validation_error,
    Exception: unexpected_error,
}
