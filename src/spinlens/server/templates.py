"""The HTML of the server's pages (analyse, article view, corpus, API docs, errors), rendered from the
Jinja2 templates beside this file. Every value is escaped by Jinja2's autoescape."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ..labels import COLOURS, DISPLAY_NAMES, TECHNIQUES
from ..render.html import report_context
from ..store.queries import ArticleFilters
from ..types import Analysis

if TYPE_CHECKING:
    from jinja2 import Environment


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape  # lazy: only when a page is rendered

    loader = ChoiceLoader([PackageLoader("spinlens", "server/templates"), PackageLoader("spinlens", "render/templates")])
    return Environment(loader=loader, autoescape=select_autoescape(default=True))


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


def analyse_page(error: str | None = None, text: str = "", url: str = "") -> str:
    return _render("analyse.html.j2", error=error, text=text, url=url)


def article_page(article_id: int, row: dict[str, Any], analysis: Analysis) -> str:
    return _render("article.html.j2", article_id=article_id, row=row, **report_context(analysis))


def api_page(schema: dict[str, Any]) -> str:
    """The endpoints of an OpenAPI schema as a table (FastAPI's own page loads Swagger UI from a CDN)."""
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary") or op.get("description", "")}
        for path, methods in schema.get("paths", {}).items()
        for method, op in methods.items()
    ]
    return _render("api.html.j2", operations=operations)


def error_page(message: str) -> str:
    return _render("error.html.j2", message=message)


def bars(rows: list[dict[str, Any]], value: str, label: str = "group", width: int = 640, bar: int = 18) -> dict[str, Any]:
    """Geometry for a horizontal SVG bar chart (no JavaScript, no external library)."""
    top = max((row[value] or 0 for row in rows), default=0) or 1
    items = [
        {"label": str(row[label] or "unknown"), "value": row[value] or 0, "y": i * (bar + 6),
         "width": round((width - 260) * (row[value] or 0) / top, 1), "colour": COLOURS.get(str(row[label]), "#6b8fc7")}
        for i, row in enumerate(rows)
    ]
    return {"items": items, "height": max(1, len(items)) * (bar + 6), "width": width, "bar": bar}


def corpus_page(filters: ArticleFilters, items: list[dict[str, Any]], next_cursor: int | None, by_outlet: list[dict[str, Any]],
                by_day: list[dict[str, Any]], by_technique: list[dict[str, Any]]) -> str:
    query = {k: v for k, v in {"outlet": filters.outlet, "technique": filters.technique,
                                "since": filters.since.isoformat() if filters.since else None,
                                "until": filters.until.isoformat() if filters.until else None, "q": filters.q}.items() if v}
    return _render(
        "corpus.html.j2", filters=filters, items=items, techniques=[(t, DISPLAY_NAMES[t]) for t in TECHNIQUES],
        next_link=f"/corpus?{urlencode({**query, 'cursor': next_cursor})}" if next_cursor else None,
        outlet_chart=bars(by_outlet, "density_per_1000_words"), day_chart=bars(by_day, "density_per_1000_words"),
        technique_chart=bars([{**row, "group": row["group"]} for row in by_technique], "fragments"),
        claim_shares=[row for row in by_outlet if row["claim_sentences"]],  # outlets whose articles have claims
        display=DISPLAY_NAMES,
    )
