"""The source map of the corpus (store/sources.py): the API's /api/sources endpoints and the /sources page,
whose network view (outlet → intermediary → source) is an inline SVG laid out here, without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse

from ..errors import InputError
from ..store.queries import ArticleFilters, filter_date
from ..store.sources import Quotes, check_source_type, intermediaries, network, outlet_shares, read_quotes, top_sources
from ..types import SOURCE_TYPES
from .api import errors
from .dependencies import Since, StoreDep, Until
from .schemas import IntermediaryList, OutletSourceList, SourceList, SourceNetwork
from .templates import _render, error_page

SourceType = Annotated[str | None, Query(description=f"Only attributions of this source type: one of {', '.join(SOURCE_TYPES)}.")]
Outlet = Annotated[str | None, Query(description="Only articles of this outlet.")]
Limit = Annotated[int, Query(ge=1, le=200)]


def source_filters(outlet: str | None, since: str | None, until: str | None, source_type: str | None) -> tuple[ArticleFilters, str | None]:
    """The filters of a query string; InputError for a bad value (a date not written YYYY-MM-DD, an unknown source type)."""
    return ArticleFilters(outlet, None, filter_date("since", since), filter_date("until", until)), check_source_type(source_type)


def _read(store: StoreDep, outlet: str | None, since: str | None, until: str | None, source_type: str | None) -> Quotes:
    try:
        filters, kind = source_filters(outlet, since, until, source_type)
    except InputError as error:
        raise HTTPException(422, str(error)) from None
    return read_quotes(store, filters, kind)


router = APIRouter()


@router.get("/api/sources", summary="The most-quoted sources, with the outlets and intermediaries that quote them",
            responses=errors(422), tags=["api"])
@router.head("/api/sources", include_in_schema=False)
def api_sources(store: StoreDep, outlet: Outlet = None, since: Since = None, until: Until = None, source_type: SourceType = None,
                limit: Limit = 20) -> SourceList:
    read = _read(store, outlet, since, until, source_type)
    return SourceList.model_validate({"attributions": len(read.quotes), "unnamed": sum(1 for q in read.quotes if q.source is None),
                                      "sources": top_sources(read, limit)})


@router.get("/api/sources/intermediaries", summary="Intermediaries (via), the outlets that relay them and the sources they pass on",
            responses=errors(422), tags=["api"])
@router.head("/api/sources/intermediaries", include_in_schema=False)
def api_intermediaries(store: StoreDep, outlet: Outlet = None, since: Since = None, until: Until = None, source_type: SourceType = None,
                       limit: Limit = 20) -> IntermediaryList:
    return IntermediaryList.model_validate({"intermediaries": intermediaries(_read(store, outlet, since, until, source_type), limit)})


@router.get("/api/sources/outlets", summary="Per outlet: source-type shares, quotes through intermediaries, voice split",
            responses=errors(422), tags=["api"])
@router.head("/api/sources/outlets", include_in_schema=False)
def api_source_outlets(store: StoreDep, outlet: Outlet = None, since: Since = None, until: Until = None,
                       source_type: SourceType = None) -> OutletSourceList:
    return OutletSourceList.model_validate({"outlets": outlet_shares(_read(store, outlet, since, until, source_type))})


@router.get("/api/sources/network", summary="The graph outlet → intermediary → source, with weights", responses=errors(422), tags=["api"])
@router.head("/api/sources/network", include_in_schema=False)
def api_source_network(store: StoreDep, outlet: Outlet = None, since: Since = None, until: Until = None, source_type: SourceType = None,
                       limit: Annotated[int, Query(ge=1, le=1000, description="The most-quoted sources kept as nodes.")] = 50) -> SourceNetwork:
    return SourceNetwork.model_validate(network(_read(store, outlet, since, until, source_type), limit))


# The page ----------------------------------------------------------------------------------------

WIDTH = 520  # the network's viewBox: it scales to the page, 390 px wide phones included
ROW = 26
TOP = 30  # below the column headings
SHOWN = {"outlet": 10, "intermediary": 8, "source": 12}
# Okabe and Ito's palette, told apart with every kind of colour blindness; the columns and the dashes say it too.
KIND_COLOURS = {"outlet": "#0072B2", "intermediary": "#E69F00", "source": "#009E73"}
DIRECT_COLOUR = "#56B4E9"
_LABEL = 118  # px of the viewBox a label may take: its column's room, with a margin
# Generous widths (px at 12 px) of characters in the page's sans-serif fonts, so that a label estimated to
# fit does fit: a label is never measured by the server, only cut to what surely fits.
_NARROW, _WIDE = set("iljtf.,;:'!|()[] I"), set("mwMW@%")


def text_width(text: str) -> float:
    width = 0.0
    for ch in text:
        if ch in _NARROW:
            width += 4.0
        elif ch in _WIDE:
            width += 11.5
        elif ch.isupper() or ch.isdigit():
            width += 8.5
        elif ch.isascii():
            width += 7.0
        else:
            width += 12.0  # CJK, emoji: a full em
    return width


def fit(text: str, room: float = _LABEL) -> str:
    """`text`, cut with "…" where it would be wider than `room`."""
    if text_width(text) <= room:
        return text
    while text and text_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def network_view(graph: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Geometry of the network SVG: three columns (outlets, intermediaries, sources), each with its busiest
    nodes spread over the height, and the edges between the nodes shown, as widths in proportion to weight."""
    nodes: dict[str, dict[str, Any]] = {}
    for kind, count in SHOWN.items():
        for n in [n for n in graph["nodes"] if n["kind"] == kind][:count]:
            nodes[n["id"]] = dict(n)
    edges = [e for e in graph["edges"] if e["source"] in nodes and e["target"] in nodes]
    linked = {end for e in edges for end in (e["source"], e["target"])}
    nodes = {ident: n for ident, n in nodes.items() if ident in linked}
    columns = {kind: [n for n in nodes.values() if n["kind"] == kind] for kind in SHOWN}
    height = TOP + ROW * max([len(c) for c in columns.values()] + [1])
    anchors = {"outlet": (132, 132), "intermediary": (196, 324), "source": (388, 388)}  # where edges meet a node: (in, out)
    for kind, column in columns.items():
        step = (height - TOP) / max(len(column), 1)
        for i, n in enumerate(column):
            n["y"] = round(TOP + step * (i + 0.5), 1)
            n["shown"] = fit(n["label"])
            n["colour"] = KIND_COLOURS[kind]
            n["x_in"], n["x_out"] = anchors[kind]
    heaviest = max((e["weight"] for e in edges), default=1)
    drawn = []
    for e in sorted(edges, key=lambda e: e["weight"]):  # the heaviest drawn last, on top
        a, b = nodes[e["source"]], nodes[e["target"]]
        x1, y1, x2, y2 = a["x_out"], a["y"], b["x_in"], b["y"]
        middle = (x1 + x2) / 2
        direct = a["kind"] == "outlet" and b["kind"] == "source"
        drawn.append({
            "path": f"M{x1} {y1} C{middle} {y1} {middle} {y2} {x2} {y2}", "width": round(1 + 5 * e["weight"] / heaviest, 2),
            "colour": DIRECT_COLOUR if direct else KIND_COLOURS["intermediary"], "dashed": direct,
            "title": f"{a['label']} {e['relation']} {b['label']}: {e['weight']:,} attributions in {e['articles']:,} articles",
        })
    return {"width": WIDTH, "height": height, "nodes": list(nodes.values()), "edges": drawn,
            "cut": any(len([n for n in graph["nodes"] if n["kind"] == kind]) > count for kind, count in SHOWN.items())}


def _join(items: list[dict[str, Any]], key: str, shown: int = 3) -> str:
    names = [f"{item[key] or 'no outlet'} ({item['attributions']:,})" for item in items[:shown]]
    return ", ".join(names) + (f" and {len(items) - shown:,} more" if len(items) > shown else "")


def sources_page(filters: ArticleFilters, source_type: str | None, read: Quotes) -> str:
    sources = top_sources(read, 50)
    for row in sources:
        row["outlets_shown"], row["via_shown"] = _join(row["outlets"], "outlet"), _join(row["via"], "intermediary")
    relays = intermediaries(read, 50)
    for row in relays:
        row["outlets_shown"], row["sources_shown"] = _join(row["outlets"], "outlet"), _join(row["sources"], "source")
    query = {k: v for k, v in {"outlet": filters.outlet, "since": filters.since.isoformat() if filters.since else None,
                                "until": filters.until.isoformat() if filters.until else None}.items() if v}
    return _render(
        "sources.html.j2", filters=filters, source_type=source_type, source_types=SOURCE_TYPES, sources=sources, relays=relays,
        outlets=outlet_shares(read), view=network_view(network(read, SHOWN["source"])), attributions=len(read.quotes),
        unnamed=sum(1 for q in read.quotes if q.source is None), articles=sum(c.articles for c in read.outlets.values()),
        corpus_link="/corpus" + (f"?{urlencode(query)}" if query else ""),
        kind_colours=KIND_COLOURS, direct_colour=DIRECT_COLOUR,
    )


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
@router.head("/sources", include_in_schema=False)
def sources(store: StoreDep, outlet: str | None = None, since: str | None = None, until: str | None = None,
            source_type: str | None = None) -> HTMLResponse:
    try:  # the form sends empty fields for filters left blank
        filters, kind = source_filters(outlet or None, since or None, until or None, source_type or None)
    except InputError as error:
        return HTMLResponse(error_page(str(error)), status_code=400)
    return HTMLResponse(sources_page(filters, kind, read_quotes(store, filters, kind)))
