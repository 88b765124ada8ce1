"""`spinlens serve`: a FastAPI app that analyses articles on demand, stores every analysis, and lets a
person explore the corpus. The REST API is documented at /docs; pages are server-rendered and readable
without JavaScript."""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import ingest
from ..errors import FetchError, InputError, SpinlensError, readable
from ..store.db import INT64_MAX, OUTLET_WIDTH, ArticleMeta, Store, iso_date
from ..types import Analysis, Article
from .limits import BodyLimit
from ..store.queries import ArticleFilters, field_problem, filter_date, list_articles, stats

DEFAULT_MAX_BODY = 2_000_000
API_PATHS = ("/api/", "/healthz", "/openapi.json")  # answered in JSON; every other path is a page
# A cursor is an article id; a larger number cannot be one (nor be stored by SQLite).
Cursor = Annotated[int | None, Query(ge=1, le=INT64_MAX, description="next_cursor of the previous page")]
# A string checked by filter_date, not `date`: pydantic's date also takes Unix timestamps and datetimes.
Since = Annotated[str | None, Query(description="Published on or after this date, YYYY-MM-DD")]
Until = Annotated[str | None, Query(description="Published on or before this date, YYYY-MM-DD")]
# A string checked by article_number, not `int`: pydantic's int also takes "1.0" and "1 ".
ArticleId = Annotated[str, Path(description="The article's id, in plain digits")]


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PATHS)


def article_number(text: str) -> int | None:
    """The id in a path, or None (a 404) when it is not plain ASCII digits; 19 digits bound the
    number to what int() and the store take."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else None


def with_stored_metadata(row: dict, analysis: Analysis) -> Analysis:
    """The analysis with its row's title (which a corpus record or a later request may have given)
    and, where the analysis has none, its row's URL (a fetched article's own is where redirects ended)."""
    article = replace(analysis.article, title=row["title"] or analysis.article.title, url=analysis.article.url or row["url"])
    return replace(analysis, article=article)


class Error(BaseModel):
    """The body of every error the API answers."""

    error: str = Field(description="What went wrong, in one line.")


class Health(BaseModel):
    status: Literal["ok", "loading", "error"]
    articles: int
    error: str | None = Field(None, description="Why the models could not load.")


_ERRORS = {400: "Input that cannot be analysed", 404: "No article has this id", 413: "A body over --max-body",
           422: "A request that does not match the schema", 503: "The models are loading, or could not load"}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for an API route: the errors it answers, in the shape sent (FastAPI would
    declare its own {"detail": [...]} for a 422), and any other (a 500) as "default"."""
    declared: dict[int | str, dict[str, Any]] = {status: {"model": Error, "description": _ERRORS[status]} for status in statuses}
    return {**declared, "default": {"model": Error, "description": "An unexpected error (500)"}}


class AnalyzeRequest(BaseModel):
    text: str | None = Field(None, description="Plain article text.")
    html: str | None = Field(None, description="An HTML page; its main text is extracted.")
    url: str | None = Field(None, description="An http(s) URL to fetch (public addresses only).")
    title: str | None = None
    outlet: str | None = Field(None, description=f"At most {OUTLET_WIDTH} characters.")
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD.")

    @field_validator("title", "outlet")
    @classmethod
    def storable(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and (problem := field_problem(info.field_name, value)) is not None:
            raise ValueError(problem)
        return value

    @field_validator("published")
    @classmethod
    def real_date(cls, value: str | None) -> str | None:
        # The store's one rule, shared with corpus runs (pydantic's date type also takes datetimes and numbers).
        if value is not None and iso_date(value) is None:
            raise ValueError("must be a date written YYYY-MM-DD")
        return value

    @model_validator(mode="after")
    def one_input(self) -> "AnalyzeRequest":
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self


class ModelHolder:
    """Loads the models in the background, so the server answers /healthz (and 503s) while they load."""

    def __init__(self, analyzer_factory) -> None:
        self.analyzer = None
        self.error: str | None = None
        # Not a daemon, so the interpreter waits for it at exit: a daemon thread stopped inside
        # onnxruntime aborts the process (SIGABRT, "terminate called without an active exception").
        threading.Thread(target=self._load, args=(analyzer_factory,)).start()

    def _load(self, factory) -> None:
        try:
            analyzer = factory()
            analyzer.analyze("The committee met on Tuesday and agreed the plan for the coming year.")  # warm up
            self.analyzer = analyzer
        except Exception as error:  # reported by /healthz and every 503
            self.error = f"{type(error).__name__}: {error}"

    def get(self):
        if self.analyzer is None:
            raise HTTPException(503, self.error or "models are loading; try again in a few seconds")
        return self.analyzer


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


def answered_hosts(listen_host: str, more: list[str] = ()) -> frozenset[str] | None:
    """The Host names a server listening on `listen_host` answers: on a loopback address its loopback names
    and `more` (a proxy's public name); elsewhere any (None)."""
    listen = host_of(listen_host) or host_of(f"[{listen_host}]") or listen_host.lower()  # "::1" is written bare
    if listen not in LOOPBACK_NAMES and not listen.startswith("127."):
        return None
    return LOOPBACK_NAMES | {listen} | {host_of(name) or host_of(f"[{name}]") or name.lower() for name in more}


def create_app(
    db_url: str | None = None, max_body: int = DEFAULT_MAX_BODY, analyzer_factory=None, allow_private: bool = False,
    allowed_hosts: frozenset[str] | None = None,
) -> FastAPI:
    """allowed_hosts: the Host names answered (None: any). `serve` on a loopback address allows only the
    loopback names, so a web page cannot reach the app through a DNS name rebound to 127.0.0.1."""
    from ..pipeline import Analyzer

    store = Store(db_url)
    models = ModelHolder(analyzer_factory or Analyzer)
    app = FastAPI(
        title="spinlens",
        description="Propaganda techniques and attributions in news articles, with exact character offsets.",
        version="1",
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN; /docs below is offline
        redoc_url=None,
    )
    from .pages import analyse_page, api_page, article_page, corpus_page, error_page

    app.add_middleware(BodyLimit, max_body=max_body, api_paths=API_PATHS, page=lambda message: analyse_page(error=message))
    app.state.store = store
    app.state.models = models

    @app.middleware("http")
    async def same_site_only(request: Request, call_next):
        refused = None
        if allowed_hosts is not None and host_of(request.headers.get("host", "")) not in allowed_hosts:
            refused = (400, "this server answers only to its own address (Host header refused)")
        origin = request.headers.get("origin")
        # A browser names the page that sends a request: a form or script on another site may not post
        # articles here or delete them (clients that are not browsers send no Origin).
        if request.method not in ("GET", "HEAD", "OPTIONS") and origin is not None:
            if origin == "null" or urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
                refused = (403, "a request from another site is refused")
        if refused is None:
            return await call_next(request)
        status, message = refused
        if is_page(request):
            return HTMLResponse(error_page(message[0].upper() + message[1:] + "."), status_code=status)
        return JSONResponse({"error": message}, status_code=status)

    # Starlette's class, so unknown paths (404) and methods (405) answer in the same shape.
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        if is_page(request):
            return HTMLResponse(error_page(str(error.detail)), status_code=error.status_code, headers=error.headers)
        return JSONResponse({"error": error.detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        messages = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in error.errors())
        if is_page(request):  # a page's query string that does not parse: a bad request, shown as a page
            return HTMLResponse(error_page(messages or "Bad request."), status_code=400)
        return JSONResponse({"error": messages or "invalid request"}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception):
        # A bug or a failing database: the usual shape, not Starlette's plain text, and no detail (it
        # may hold SQL or a database URL). Starlette raises the error again, for the server's log.
        if is_page(request):
            return HTMLResponse(error_page("Something went wrong on the server."), status_code=500)
        return JSONResponse({"error": "internal server error"}, status_code=500)

    def api_filters(outlet: str | None, technique: str | None, since: str | None, until: str | None, q: str | None) -> ArticleFilters:
        try:
            return filters_from(outlet, technique, since, until, q)
        except InputError as error:
            raise HTTPException(422, str(error)) from None

    def article_from(request: AnalyzeRequest) -> Article:
        if request.text is not None:
            return ingest.from_text(request.text, title=request.title)
        if request.html is not None:
            return ingest.from_html(request.html)
        return ingest.from_url(request.url, allow_private=allow_private)

    def analyse_and_store(article: Article, meta: ArticleMeta) -> dict[str, Any]:
        existing = store.has_text(article.text)
        # None when the row was deleted after has_text found it: then the text is analysed again.
        found = store.get(existing) if existing is not None else None
        if found is not None:  # the same text again: the stored result, not a second row
            _, analysis = found
            article_id, _ = store.add(replace(analysis, article=article), meta)  # fills what the row lacks, overwrites nothing
            return {**stored_json(article_id), "cached": True}
        try:
            analysis = models.get().analyze(article)
        except (SpinlensError, HTTPException):
            raise
        except Exception as error:  # a fault of ours with this article: named, and the server goes on
            logging.getLogger("spinlens.server").exception("analysis failed")
            raise HTTPException(500, readable(f"the analysis of this article failed: {type(error).__name__}: {error}")) from None
        article_id, created = store.add(analysis, meta)
        return {**stored_json(article_id), "cached": not created}

    def stored_json(article_id: int) -> dict[str, Any] | None:
        """A stored analysis as the API shows it: the row's metadata (which a later request may have
        filled) over the analysis's own."""
        found = store.get(article_id)
        if found is None:
            return None
        row, analysis = found
        return {"id": article_id, "outlet": row["outlet"], "published": row["published"], **with_stored_metadata(row, analysis).to_dict()}

    async def analyse(load: Callable[[], Article], meta: ArticleMeta) -> dict[str, Any]:
        """Read the input (`load` may fetch a URL), analyse and store it; input problems are 400s."""
        models.get()  # 503 before any fetching while models load
        try:
            article = await run_in_threadpool(load)
            return await run_in_threadpool(analyse_and_store, article, meta)
        except (InputError, FetchError) as error:
            raise HTTPException(400, str(error)) from None

    async def analyse_request(request: AnalyzeRequest) -> dict[str, Any]:
        meta = ArticleMeta(url=request.url, outlet=request.outlet, title=request.title,
                           published=request.published)
        return await analyse(lambda: article_from(request), meta)

    # API ------------------------------------------------------------------------------------

    @app.post("/api/analyze", summary="Analyse and store an article", tags=["api"], responses=errors(400, 413, 422, 503))
    async def api_analyze(request: AnalyzeRequest) -> dict[str, Any]:
        return await analyse_request(request)

    # HEAD beside GET (FastAPI's routes, unlike Starlette's, do not add it), kept out of the schema.
    @app.get("/api/articles", summary="Stored articles, filtered and paginated (newest first)", tags=["api"], responses=errors(422))
    @app.head("/api/articles", include_in_schema=False)
    def api_articles(
        outlet: str | None = None,
        technique: str | None = None,
        since: Since = None,
        until: Until = None,
        q: str | None = Query(None, description="Text search in title and text"),
        limit: int = Query(20, ge=1, le=200),
        cursor: Cursor = None,
    ) -> dict[str, Any]:
        items, next_cursor = list_articles(store, api_filters(outlet, technique, since, until, q), limit, cursor)
        return {"items": items, "next_cursor": next_cursor}

    @app.get("/api/articles/{article_id}", summary="One stored analysis", tags=["api"], responses=errors(404))
    @app.head("/api/articles/{article_id}", include_in_schema=False)
    def api_article(article_id: ArticleId) -> dict[str, Any]:
        number = article_number(article_id)
        data = stored_json(number) if number is not None else None
        if data is None:
            raise HTTPException(404, f"no article {article_id}")
        return data

    @app.delete("/api/articles/{article_id}", summary="Delete a stored analysis", tags=["api"], responses=errors(404))
    def api_delete(article_id: ArticleId) -> dict[str, Any]:
        number = article_number(article_id)
        if number is None or not store.delete(number):
            raise HTTPException(404, f"no article {article_id}")
        return {"deleted": number}

    @app.get("/api/stats", summary="Counts, technique density and voice split, grouped", tags=["api"], responses=errors(422))
    @app.head("/api/stats", include_in_schema=False)
    def api_stats(
        group_by: Literal["outlet", "technique", "day"] = "outlet",
        outlet: str | None = None,
        technique: str | None = None,
        since: Since = None,
        until: Until = None,
        q: str | None = None,
    ) -> dict[str, Any]:
        return {"group_by": group_by, "groups": stats(store, group_by, api_filters(outlet, technique, since, until, q))}

    @app.get("/healthz", tags=["api"], responses={**errors(), 200: {"model": Health}, 503: {"model": Health, "description": _ERRORS[503]}})
    @app.head("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        ready = models.analyzer is not None
        body = {"status": "ok" if ready else ("error" if models.error else "loading"), "articles": store.count()}
        if models.error:
            body["error"] = models.error
        return JSONResponse(body, status_code=200 if ready else 503)

    # Pages ----------------------------------------------------------------------------------

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    @app.head("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(api_page(app.openapi()))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.head("/", include_in_schema=False)
    def home() -> HTMLResponse:
        return HTMLResponse(analyse_page())

    @app.post("/analyze", include_in_schema=False)
    async def analyze_form(
        text: Annotated[str, Form()] = "",
        url: Annotated[str, Form()] = "",
        outlet: Annotated[str, Form()] = "",
        file: UploadFile | None = None,
    ):
        # Browsers send a textarea's lines ending in CRLF: as LF, a text pasted here is the same text
        # as when sent to the API, stored once.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        uploaded = file is not None and bool(file.filename)
        # Like the API, exactly one input: with two, one would be dropped without a word.
        if [bool(text.strip()), bool(url.strip()), uploaded].count(True) != 1:
            return HTMLResponse(analyse_page(error="Give one of text, URL or file.", text=text, url=url), status_code=400)
        if outlet and (problem := field_problem("outlet", outlet)) is not None:  # as the API, a 422
            return HTMLResponse(analyse_page(error=f"The outlet {problem}.", text=text, url=url), status_code=422)
        meta = ArticleMeta(outlet=outlet or None)
        try:
            if uploaded:
                data = await file.read()
                result = await analyse(lambda: ingest.from_bytes(data, file.filename), meta)
            elif url.strip():
                result = await analyse_request(AnalyzeRequest(url=url.strip(), outlet=meta.outlet))
            else:
                result = await analyse_request(AnalyzeRequest(text=text, outlet=meta.outlet))
        except HTTPException as error:
            return HTMLResponse(analyse_page(error=str(error.detail), text=text, url=url), status_code=error.status_code)
        return RedirectResponse(f"/articles/{result['id']}", status_code=303)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    @app.head("/articles/{article_id}", include_in_schema=False)
    def article_view(article_id: str) -> HTMLResponse:
        # A string, so that "abc" is a missing page (404) rather than a schema error.
        number = article_number(article_id)
        found = store.get(number) if number is not None else None
        if found is None:
            return HTMLResponse(error_page(f"No article {article_id}."), status_code=404)
        row, analysis = found
        return HTMLResponse(article_page(number, row, with_stored_metadata(row, analysis)))

    @app.get("/corpus", response_class=HTMLResponse, include_in_schema=False)
    @app.head("/corpus", include_in_schema=False)
    def corpus(
        outlet: str | None = None, technique: str | None = None, since: str | None = None, until: str | None = None,
        q: str | None = None, cursor: Cursor = None,
    ) -> HTMLResponse:
        try:  # the form sends empty fields for filters left blank
            filters = filters_from(outlet or None, technique or None, since or None, until or None, q or None)
        except InputError as error:
            return HTMLResponse(error_page(str(error)), status_code=400)
        items, next_cursor = list_articles(store, filters, 50, cursor)
        return HTMLResponse(corpus_page(filters, items, next_cursor, stats(store, "outlet", filters), stats(store, "day", filters),
                                        stats(store, "technique", filters)))

    return app


def filters_from(outlet: str | None, technique: str | None, since: str | None, until: str | None, q: str | None) -> ArticleFilters:
    """The filters of a query string, for the API and the pages alike; InputError for a bad value
    (an unknown technique, a date not written YYYY-MM-DD, a search with control characters)."""
    return ArticleFilters(outlet, technique, filter_date("since", since), filter_date("until", until), q)


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


def serve(db_url: str | None, host: str, port: int, max_body: int = DEFAULT_MAX_BODY, more_hosts: list[str] = ()) -> None:
    import uvicorn

    # The port first: a port in use is a one-line error before any model loads.
    listener = listen(host, port)
    try:
        app = create_app(db_url, max_body, allowed_hosts=answered_hosts(host, more_hosts))
        server = uvicorn.Server(uvicorn.Config(app, log_level="info"))
        logging.getLogger("uvicorn.error").info("spinlens on http://%s:%d (press Ctrl+C to quit)",
                                                f"[{host}]" if ":" in host else host, port)
        try:
            server.run(sockets=[listener])
        except KeyboardInterrupt:  # uvicorn raises Ctrl+C again once it has shut down: the normal way to stop
            pass
    finally:
        listener.close()
