"""Analysing and storing an article for a request, shared by the API and the analyse form: the models,
loaded in the background, and the store behind them."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException
from fastapi.concurrency import run_in_threadpool

from .. import ingest
from ..errors import FetchError, InputError, ModelError, SpinlensError, readable
from ..store.db import ArticleMeta, Store
from ..store.queries import ArticleFilters, filter_date
from ..types import Analysis, Article
from .schemas import AnalysisResult, AnalyzeRequest, StoredAnalysis

if TYPE_CHECKING:
    from ..pipeline import Analyzer

WARM_UP = "The committee met on Tuesday and agreed the plan for the coming year."


class ModelHolder:
    """Loads the models in the background, so the server answers /healthz (and 503s) while they load."""

    def __init__(self, analyzer_factory: Callable[[], Analyzer]) -> None:
        self.analyzer: Analyzer | None = None
        self.error: str | None = None
        # Not a daemon, so the interpreter waits for it at exit: a daemon thread stopped inside
        # onnxruntime aborts the process (SIGABRT, "terminate called without an active exception").
        threading.Thread(target=self._load, args=(analyzer_factory,)).start()

    def _load(self, factory: Callable[[], Analyzer]) -> None:
        try:
            analyzer = factory()
            analyzer.analyze(WARM_UP)
            self.analyzer = analyzer
        except Exception as error:  # reported by /healthz and every 503
            self.error = f"{type(error).__name__}: {error}"

    def get(self) -> Analyzer:
        """The analyzer; a 503 while the models load, or when they could not."""
        if self.analyzer is None:
            raise HTTPException(503, self.error or "models are loading; try again in a few seconds")
        return self.analyzer


def article_number(text: str) -> int | None:
    """The id in a path, or None (a 404) when it is not plain ASCII digits; 19 digits bound the
    number to what int() and the store take."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else None


def filters_from(outlet: str | None, technique: str | None, since: str | None, until: str | None, q: str | None) -> ArticleFilters:
    """The filters of a query string, for the API and the pages alike; InputError for a bad value
    (an unknown technique, a date not written YYYY-MM-DD, a search with control characters)."""
    return ArticleFilters(outlet, technique, filter_date("since", since), filter_date("until", until), q)


def with_stored_metadata(row: dict[str, Any], analysis: Analysis) -> Analysis:
    """The analysis with its row's title (which a corpus record or a later request may have given)
    and, where the analysis has none, its row's URL (a fetched article's own is where redirects ended)."""
    article = replace(analysis.article, title=row["title"] or analysis.article.title, url=analysis.article.url or row["url"])
    return replace(analysis, article=article)


def stored_fields(store: Store, article_id: int) -> dict[str, Any] | None:
    """A stored analysis as the API shows it: the row's metadata (which a later request may have
    filled) over the analysis's own; None when there is no such article."""
    found = store.get(article_id)
    if found is None:
        return None
    row, analysis = found
    return {"id": article_id, "outlet": row["outlet"], "published": row["published"], **with_stored_metadata(row, analysis).to_dict()}


def stored_analysis(store: Store, article_id: int) -> StoredAnalysis | None:
    fields = stored_fields(store, article_id)
    return None if fields is None else StoredAnalysis.model_validate(fields)


def kept_attributions(result: AnalysisResult, min_attribution_score: float) -> AnalysisResult:
    """The answer with the attributions scored `min_attribution_score` or more, and the claims and voices
    that follow from them (pipeline.keep_attributions)."""
    from ..pipeline import keep_attributions  # lazy, as Analyzer above: the pipeline imports numpy and onnxruntime

    fields = result.model_dump(by_alias=True)
    return AnalysisResult.model_validate({**fields, **keep_attributions(Analysis.from_dict(fields), min_attribution_score).to_dict()})


class Analyses:
    """Analyses and stores the articles of requests: one per request, made by a dependency."""

    def __init__(self, store: Store, models: ModelHolder, allow_private: bool) -> None:
        self.store = store
        self.models = models
        self.allow_private = allow_private

    async def analyse_request(self, request: AnalyzeRequest) -> AnalysisResult:
        meta = ArticleMeta(url=request.url, outlet=request.outlet, title=request.title, published=request.published)
        result = await self.analyse(lambda: self._article_from(request), meta, request.explain)
        if request.min_attribution_score is not None:
            result = await run_in_threadpool(kept_attributions, result, request.min_attribution_score)
        if request.min_probability is None:
            return result
        shown = [t for t in result.techniques if t.probability is None or t.probability >= request.min_probability]
        return result.model_copy(update={"techniques": shown})

    async def analyse(self, load: Callable[[], Article], meta: ArticleMeta, explain: bool = False) -> AnalysisResult:
        """Read the input (`load` may fetch a URL), analyse and store it; input problems are 400s. explain:
        with each fragment's nearest annotated examples (without it the answer has none)."""
        self.models.get()  # 503 before any fetching while models load
        try:
            article = await run_in_threadpool(load)
            return await run_in_threadpool(self._analyse_and_store, article, meta, explain)
        except (InputError, FetchError) as error:
            raise HTTPException(400, str(error)) from None

    def _article_from(self, request: AnalyzeRequest) -> Article:
        if request.text is not None:
            return ingest.from_text(request.text, title=request.title)
        if request.html is not None:
            return ingest.from_html(request.html)
        assert request.url is not None  # AnalyzeRequest takes exactly one of the three
        return ingest.from_url(request.url, allow_private=self.allow_private)

    def _analyse_and_store(self, article: Article, meta: ArticleMeta, explain: bool = False) -> AnalysisResult:
        # The title given, else the page's, the text's headline or the uploaded file's name. A text with none
        # of them is stored without one, so that a later request's title fills it.
        meta = replace(meta, title=meta.title or ingest.article_title(article))
        existing = self.store.has_text(article.text)
        # None when the row was deleted after has_text found it: then the text is analysed again.
        found = self.store.get(existing) if existing is not None else None
        # A stored analysis made without explain has no examples: those come from analysing the text again.
        fresh = None
        if found is None or (explain and not any(t.examples for t in found[1].techniques)):
            fresh = self._analyze(article, explain)
        if found is not None:  # the same text again: the stored result, not a second row
            _, analysis = found
            article_id, _ = self.store.add(replace(analysis, article=article), meta)  # fills what the row lacks, overwrites nothing
            return self._result(article_id, cached=True, explain=explain, fresh=fresh)
        assert fresh is not None  # analysed above
        article_id, created = self.store.add(fresh, meta)
        return self._result(article_id, cached=not created, explain=explain, fresh=fresh)

    def _analyze(self, article: Article, explain: bool) -> Analysis:
        analyzer = self.models.get()
        if explain and not analyzer.explain:  # the same models (loaded once), with the examples
            analyzer = copy.copy(analyzer)
            analyzer.explain = True
        try:
            return analyzer.analyze(article)
        except ModelError as error:  # no index of examples for this model: the server's, not the request's, fault
            raise HTTPException(503, str(error)) from None
        except (SpinlensError, HTTPException):
            raise
        except Exception as error:  # a fault of ours with this article: named, and the server goes on
            logging.getLogger("spinlens.server").exception("analysis failed")
            raise HTTPException(500, readable(f"the analysis of this article failed: {type(error).__name__}: {error}")) from None

    def _result(self, article_id: int, cached: bool, explain: bool = False, fresh: Analysis | None = None) -> AnalysisResult:
        fields = stored_fields(self.store, article_id)
        if fields is None:  # deleted the moment it was stored: an unexpected error (500), as it always was
            raise LookupError(f"article {article_id} was deleted while it was stored")
        if not explain:  # examples when asked for, whatever the stored analysis holds
            fields["techniques"] = [{**t, "examples": []} for t in fields["techniques"]]
        elif fresh is not None:  # a stored analysis made without them: the fresh analysis's, fragment by fragment
            made = {(t.start, t.end, t.technique): [asdict(e) for e in t.examples] for t in fresh.techniques}
            fields["techniques"] = [{**t, "examples": t["examples"] or made.get((t["start"], t["end"], t["technique"]), [])}
                                    for t in fields["techniques"]]
        return AnalysisResult.model_validate({**fields, "cached": cached})
