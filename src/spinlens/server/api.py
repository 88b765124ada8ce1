"""The REST API (/api/*) and /healthz. Every answer is JSON; an error is {"error": "..."} (handlers.py)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse

from ..errors import InputError
from ..store.queries import ArticleFilters, list_articles, stats
from .dependencies import AnalysesDep, ArticleId, Cursor, ModelsDep, Since, StoreDep, Until
from .schemas import AnalysisResult, AnalyzeRequest, ArticleList, Deleted, Error, Health, Stats, StatsByGroup, StatsByTechnique, StoredAnalysis
from .service import article_number, filters_from, stored_analysis

_ERRORS = {400: "Input that cannot be analysed", 404: "No article has this id", 413: "A body over --max-body",
           422: "A request that does not match the schema", 503: "The models are loading, or could not load"}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for an API route: the errors it answers, in the shape sent (FastAPI would
    declare its own {"detail": [...]} for a 422), and any other (a 500) as "default"."""
    declared: dict[int | str, dict[str, Any]] = {status: {"model": Error, "description": _ERRORS[status]} for status in statuses}
    return {**declared, "default": {"model": Error, "description": "An unexpected error (500)"}}


def api_filters(outlet: str | None, technique: str | None, since: str | None, until: str | None, q: str | None) -> ArticleFilters:
    try:
        return filters_from(outlet, technique, since, until, q)
    except InputError as error:
        raise HTTPException(422, str(error)) from None


router = APIRouter(tags=["api"])

# HEAD beside GET (FastAPI's routes, unlike Starlette's, do not add it), kept out of the schema.


@router.post("/api/analyze", summary="Analyse and store an article", responses=errors(400, 413, 422, 503))
async def api_analyze(request: AnalyzeRequest, analyses: AnalysesDep) -> AnalysisResult:
    return await analyses.analyse_request(request)


@router.get("/api/articles", summary="Stored articles, filtered and paginated (newest first)", responses=errors(422))
@router.head("/api/articles", include_in_schema=False)
def api_articles(
    store: StoreDep,
    outlet: str | None = None,
    technique: str | None = None,
    since: Since = None,
    until: Until = None,
    q: str | None = Query(None, description="Text search in title and text"),
    limit: int = Query(20, ge=1, le=200),
    cursor: Cursor = None,
) -> ArticleList:
    items, next_cursor = list_articles(store, api_filters(outlet, technique, since, until, q), limit, cursor)
    return ArticleList.model_validate({"items": items, "next_cursor": next_cursor})


@router.get("/api/articles/{article_id}", summary="One stored analysis", responses=errors(404))
@router.head("/api/articles/{article_id}", include_in_schema=False)
def api_article(article_id: ArticleId, store: StoreDep) -> StoredAnalysis:
    number = article_number(article_id)
    stored = stored_analysis(store, number) if number is not None else None
    if stored is None:
        raise HTTPException(404, f"no article {article_id}")
    return stored


@router.delete("/api/articles/{article_id}", summary="Delete a stored analysis", responses=errors(404))
def api_delete(article_id: ArticleId, store: StoreDep) -> Deleted:
    number = article_number(article_id)
    if number is None or not store.delete(number):
        raise HTTPException(404, f"no article {article_id}")
    return Deleted(deleted=number)


@router.get("/api/stats", summary="Counts, technique density and voice split, grouped", responses=errors(422))
@router.head("/api/stats", include_in_schema=False)
def api_stats(
    store: StoreDep,
    group_by: Literal["outlet", "technique", "day"] = "outlet",
    outlet: str | None = None,
    technique: str | None = None,
    since: Since = None,
    until: Until = None,
    q: str | None = None,
) -> Stats:
    groups = stats(store, group_by, api_filters(outlet, technique, since, until, q))
    if group_by == "technique":
        return StatsByTechnique.model_validate({"group_by": group_by, "groups": groups})
    return StatsByGroup.model_validate({"group_by": group_by, "groups": groups})


@router.get("/healthz", responses={**errors(), 200: {"model": Health}, 503: {"model": Health, "description": _ERRORS[503]}})
@router.head("/healthz", include_in_schema=False)
def healthz(store: StoreDep, models: ModelsDep) -> JSONResponse:
    ready = models.analyzer is not None
    health = Health(status="ok" if ready else ("error" if models.error else "loading"), articles=store.count(), error=models.error or None)
    # Sent without "error" when there is none (not as null).
    return JSONResponse(health.model_dump(exclude_none=True), status_code=200 if ready else 503)
