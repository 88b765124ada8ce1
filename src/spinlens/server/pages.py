"""The HTML pages: analyse (with its form), article view, corpus, glossary, API docs (Swagger UI, offline). Readable without JavaScript;
the HTML itself is made in templates.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .. import ingest
from ..errors import InputError
from ..store.db import ArticleMeta
from ..store.queries import field_problem, list_articles, stats
from .dependencies import AnalysesDep, Cursor, StoreDep
from .schemas import AnalysisResult, AnalyzeRequest
from .service import article_number, filters_from, with_stored_metadata
from .templates import analyse_page, api_page, article_page, corpus_page, error_page, glossary_page

router = APIRouter(include_in_schema=False)
DOCS_ASSETS = "/static/docs"  # Swagger UI's script and stylesheet


@router.get("/docs", response_class=HTMLResponse)
@router.head("/docs")
def api_docs(request: Request) -> HTMLResponse:
    # FastAPI's docs pages load their scripts from a CDN; this one is offline: Swagger UI's files are served
    # from the fastapi-offline package (app.py mounts them at DOCS_ASSETS).
    return HTMLResponse(api_page(request.app.openapi(), DOCS_ASSETS))


@router.get("/glossary", response_class=HTMLResponse)
@router.head("/glossary")
def glossary() -> HTMLResponse:
    return HTMLResponse(glossary_page())


@router.get("/", response_class=HTMLResponse)
@router.head("/")
def home() -> HTMLResponse:
    return HTMLResponse(analyse_page())


@router.post("/analyze")
async def analyze_form(
    analyses: AnalysesDep,
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    outlet: Annotated[str, Form()] = "",
    file: UploadFile | None = None,
) -> Response:
    # Browsers send a textarea's lines ending in CRLF: as LF, a text pasted here is the same text
    # as when sent to the API, stored once.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, outlet = title.strip(), outlet.strip()
    kept = {"text": text, "url": url, "title": title, "outlet": outlet}  # what the form shows again with an error
    # Like the API, exactly one input: with two, one would be dropped without a word.
    if [bool(text.strip()), bool(url.strip()), file is not None and bool(file.filename)].count(True) != 1:
        return HTMLResponse(analyse_page(error="Give one of text, URL or file.", **kept), status_code=400)
    for name, value in (("title", title), ("outlet", outlet)):  # as the API, a 422
        if value and (problem := field_problem(name, value)) is not None:
            return HTMLResponse(analyse_page(error=f"The {name} {problem}.", **kept), status_code=422)
    meta = ArticleMeta(title=title or None, outlet=outlet or None)
    result: AnalysisResult
    try:
        if file is not None and file.filename:
            data, name = await file.read(), file.filename
            result = await analyses.analyse(lambda: ingest.from_bytes(data, name), meta)
        elif url.strip():
            result = await analyses.analyse_request(AnalyzeRequest(url=url.strip(), title=meta.title, outlet=meta.outlet))
        else:
            result = await analyses.analyse_request(AnalyzeRequest(text=text, title=meta.title, outlet=meta.outlet))
    except HTTPException as error:
        return HTMLResponse(analyse_page(error=str(error.detail), **kept), status_code=error.status_code)
    return RedirectResponse(f"/articles/{result.id}", status_code=303)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
@router.head("/articles/{article_id}")
def article_view(article_id: str, store: StoreDep) -> HTMLResponse:
    # A string, so that "abc" is a missing page (404) rather than a schema error.
    number = article_number(article_id)
    found = store.get(number) if number is not None else None
    if number is None or found is None:
        return HTMLResponse(error_page(f"No article {article_id}."), status_code=404)
    row, analysis = found
    return HTMLResponse(article_page(number, row, with_stored_metadata(row, analysis)))


@router.get("/corpus", response_class=HTMLResponse)
@router.head("/corpus")
def corpus(
    store: StoreDep,
    outlet: str | None = None, technique: str | None = None, since: str | None = None, until: str | None = None,
    q: str | None = None, cursor: Cursor = None,
) -> HTMLResponse:
    try:  # the form sends empty fields for filters left blank
        filters = filters_from(outlet or None, technique or None, since or None, until or None, q or None)
    except InputError as error:
        return HTMLResponse(error_page(str(error)), status_code=400)
    items, next_cursor = list_articles(store, filters, 50, cursor, untitled=True)
    return HTMLResponse(corpus_page(filters, items, next_cursor, stats(store, "outlet", filters), stats(store, "day", filters),
                                    stats(store, "technique", filters)))
