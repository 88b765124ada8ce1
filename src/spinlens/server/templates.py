"""The HTML of the server's pages (analyse, article view, corpus, API docs, errors), rendered from the
Jinja2 templates beside this file. Every value is escaped by Jinja2's autoescape."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ..ingest import display_title
from ..labels import COLOURS, DISPLAY_NAMES, TECHNIQUES
from ..render.evidence import glossary
from ..render.html import report_context
from ..render.summary import safe_text
from ..store.queries import ArticleFilters
from ..types import Analysis, Article

if TYPE_CHECKING:
    from jinja2 import Environment


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape  # lazy: only when a page is rendered

    loader = ChoiceLoader([PackageLoader("spinlens", "server/templates"), PackageLoader("spinlens", "render/templates")])
    environment = Environment(loader=loader, autoescape=select_autoescape(default=True))
    environment.filters["number"] = number
    return environment


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


def analyse_page(error: str | None = None, text: str = "", url: str = "", title: str = "", outlet: str = "") -> str:
    return _render("analyse.html.j2", error=error, text=text, url=url, title=title, outlet=outlet)


def article_page(article_id: int, row: dict[str, Any], analysis: Analysis) -> str:
    # The legend links to the glossary page, rather than the page holding the glossary as a report does.
    return _render("article.html.j2", article_id=article_id, row=row, **{**report_context(analysis), "glossary_link": "/glossary"})


def glossary_page() -> str:
    return _render("glossary_page.html.j2", glossary=glossary())


def api_page(schema: dict[str, Any], assets: str) -> str:
    """Swagger UI over /openapi.json, its script and stylesheet served from `assets` on this server (FastAPI's
    own page loads them from a CDN); the endpoints listed as a table for a browser without JavaScript."""
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary") or op.get("description", "")}
        for path, methods in schema.get("paths", {}).items()
        for method, op in methods.items()
    ]
    return _render("api.html.j2", operations=operations, assets=assets)


def error_page(message: str) -> str:
    return _render("error.html.j2", message=message)


def number(value: float | int | None, decimals: int = 0) -> str:
    """A figure for people: thousands separated, `decimals` places (densities: one, 18.728 shows as 18.7)."""
    if value is None:
        return ""
    return f"{value:,.{decimals}f}"


CHART_ROW = 40  # the height of one bar's row: its label above, the bar below
_CHART_LABEL = 40  # characters: a longer label is cut (the bar's tooltip has it whole)
_VALUE_INSIDE = 60  # percent: a bar at least this long of the longest holds its value at its end


def bars(rows: list[dict[str, Any]], value: str, label: str = "group", decimals: int = 0, names: dict[str, str] | None = None) -> dict[str, Any]:
    """Geometry for a horizontal SVG bar chart (no JavaScript, no external library) as wide as the page:
    each bar's label on a line above it, its length a percentage of the chart's width, and its value at its
    end, inside a long bar and after a short one, so that every label lies inside the chart."""
    top = max((row[value] or 0 for row in rows), default=0) or 1
    items = []
    for i, row in enumerate(rows):
        key = str(row[label]) if row[label] is not None else None
        name = (names or {}).get(key or "", key) or "unknown"
        share = round(100 * (row[value] or 0) / top, 2)
        items.append({
            "label": name if len(name) <= _CHART_LABEL else name[: _CHART_LABEL - 1].rstrip() + "…", "name": name,
            "value": number(row[value] or 0, decimals), "y": i * CHART_ROW, "share": share, "inside": share >= _VALUE_INSIDE,
            "colour": COLOURS.get(key or "", "#9cb8e0"),
        })
    return {"items": items, "height": max(1, len(items)) * CHART_ROW, "row": CHART_ROW}


def corpus_page(filters: ArticleFilters, items: list[dict[str, Any]], next_cursor: int | None, by_outlet: list[dict[str, Any]],
                by_day: list[dict[str, Any]], by_technique: list[dict[str, Any]]) -> str:
    query = {k: v for k, v in {"outlet": filters.outlet, "technique": filters.technique,
                                "since": filters.since.isoformat() if filters.since else None,
                                "until": filters.until.isoformat() if filters.until else None, "q": filters.q}.items() if v}
    return _render(
        "corpus.html.j2", filters=filters, items=[{**item, "shown_title": listed_title(item)} for item in items],
        techniques=[(t, DISPLAY_NAMES[t]) for t in TECHNIQUES],
        next_link=f"/corpus?{urlencode({**query, 'cursor': next_cursor})}" if next_cursor else None,
        outlet_chart=bars(by_outlet, "density_per_1000_words", decimals=1), day_chart=bars(by_day, "density_per_1000_words", decimals=1),
        technique_chart=bars(by_technique, "fragments", names=DISPLAY_NAMES),
        claim_shares=[row for row in by_outlet if row["claim_sentences"]],  # outlets whose articles have claims
        display=DISPLAY_NAMES,
    )


def listed_title(item: dict[str, Any]) -> str:
    """A listed article's title: the stored one, else (an article stored without one, before titles were
    derived) one found as for a new article, from the start of its text and the file it came from."""
    if item.get("title"):
        return safe_text(item["title"])
    article = Article(item.get("text_start") or "", source=item.get("source"), url=item.get("url"))
    return safe_text(display_title(article))
