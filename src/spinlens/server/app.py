"""`spinlens serve`: a FastAPI app that analyses articles on demand, stores every analysis, and lets a
person explore the corpus. The REST API is documented at /docs; pages are server-rendered and readable
without JavaScript.

The parts: security.py (what is refused before a route: long bodies, other hosts, other sites),
api.py and pages.py (the routes), dependencies.py and service.py (the store and the models behind them),
schemas.py (the API's bodies), handlers.py (error answers), templates.py (the pages' HTML).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..errors import InputError
from ..pipeline import Analyzer
from ..store.db import Store
from . import api, pages, sources
from .handlers import API_PATHS, EXCEPTION_HANDLERS
from .security import BodyLimit, SameSiteOnly, answered_hosts
from .service import ModelHolder
from .templates import analyse_page, error_page

DEFAULT_MAX_BODY = 2_000_000


def create_app(
    db_url: str | None = None, max_body: int = DEFAULT_MAX_BODY, analyzer_factory: Callable[[], Analyzer] | None = None,
    allow_private: bool = False, allowed_hosts: frozenset[str] | None = None,
) -> FastAPI:
    """allowed_hosts: the Host names answered (None: any). `serve` on a loopback address allows only the
    loopback names, so a web page cannot reach the app through a DNS name rebound to 127.0.0.1."""
    store = Store(db_url)
    models = ModelHolder(analyzer_factory or Analyzer)  # loading starts now, in the background
    app = FastAPI(
        title="spinlens",
        description="Propaganda techniques and attributions in news articles, with exact character offsets.",
        version="1",
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN; /docs (pages.py) serves them itself
        redoc_url=None,
        exception_handlers=EXCEPTION_HANDLERS,
    )
    # The last added runs first: the Host and Origin checks, then the body limit.
    app.add_middleware(BodyLimit, max_body=max_body, api_paths=API_PATHS, page=lambda message: analyse_page(error=message))
    app.add_middleware(SameSiteOnly, allowed_hosts=allowed_hosts, page=error_page)
    # What the dependencies (dependencies.py) hand to the routes.
    app.state.store = store
    app.state.models = models
    app.state.allow_private = allow_private
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(sources.router)
    app.mount(pages.DOCS_ASSETS, StaticFiles(directory=docs_assets()), name="docs-assets")
    return app


def docs_assets() -> str:
    """The folder of Swagger UI's script and stylesheet, as the fastapi-offline package ships them."""
    import fastapi_offline  # the serve extra's: only its static files are used, not its FastAPI factory

    return str(Path(fastapi_offline.__file__).parent / "static")


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port; InputError (one line) when that address cannot be had."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind)
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
    except OSError as error:
        listener.close()
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener


def serve(db_url: str | None, host: str, port: int, max_body: int = DEFAULT_MAX_BODY, more_hosts: Iterable[str] = (),
          min_probability: float | None = None, min_attribution_score: float | None = None) -> None:
    """min_probability, min_attribution_score: what the analyses it makes keep (None: the models' defaults)."""
    import uvicorn  # lazy: only a running server needs it, not create_app in tests

    # The port first: a port in use is a one-line error before any model loads.
    listener = listen(host, port)
    try:
        analyzer = partial(Analyzer, min_probability=min_probability, min_attribution_score=min_attribution_score)
        app = create_app(db_url, max_body, analyzer, allowed_hosts=answered_hosts(host, more_hosts))
        server = uvicorn.Server(uvicorn.Config(app, log_level="info"))
        logging.getLogger("uvicorn.error").info("spinlens on http://%s:%d (press Ctrl+C to quit)",
                                                f"[{host}]" if ":" in host else host, port)
        try:
            server.run(sockets=[listener])
        except KeyboardInterrupt:  # uvicorn raises Ctrl+C again once it has shut down: the normal way to stop
            pass
    finally:
        listener.close()
