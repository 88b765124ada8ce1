"""The source map of a corpus: who is quoted, by which outlets, through which intermediaries (which outlets
relay RIA or TASS?), and how each outlet splits between quoted speech and its own voice.

Read from what the store keeps, the analyses' JSON (their `attributions` and `techniques`; the article
text is not read), so it needs no schema change and covers every stored analysis. `read_quotes` reads the
store once; the functions after it are pure functions of what it read.

A source is an attribution's resolved speaker: its `speaker` (the fullest mention in the article), else its
first source's text, with spaces collapsed, quotation marks and commas trimmed, and compared ignoring case
and a leading "the" ("the Kremlin" and "The Kremlin" are one source, shown as it is spelt most often). An
attribution with no source, or whose source is a bare pronoun ("he", "they", "who") or the author ("we", "this
reporter"), names nobody: it counts as unnamed, in the outlets' shares but in no source's row.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from ..attribution.lexicon import RELATIVE_PRONOUNS
from ..attribution.source_types import AUTHOR, PRONOUN
from ..errors import InputError, replacing, writing
from ..types import SOURCE_TYPES
from .db import Store, articles
from .export import _write_rows
from .queries import ArticleFilters

_TRIM = " \t\n,;:\"'“”‘’«»()[]"
_LEADING_THE = re.compile(r"the\s+", re.I)
NO_OUTLET = "(no outlet)"  # the outlet node of articles stored without one (the API says null)


class _json_part(sa.sql.functions.FunctionElement[str]):
    """The JSON text of one top-level key of the stored analysis (NULL when it has none), so that a reading
    of the attributions does not carry every article's text over."""

    type = sa.Text()
    inherit_cache = True


@compiles(_json_part)
def _compile_json_part(element: _json_part, compiler: SQLCompiler, **kw: Any) -> str:  # PostgreSQL
    column, key = list(element.clauses)
    return f"json_extract_path_text(CAST({compiler.process(column, **kw)} AS JSON), {compiler.process(key, **kw)})"


@compiles(_json_part, "sqlite")
def _compile_json_part_sqlite(element: _json_part, compiler: SQLCompiler, **kw: Any) -> str:
    column, key = list(element.clauses)
    return f"json_extract({compiler.process(column, **kw)}, '$.' || {compiler.process(key, **kw)})"


def check_source_type(value: str | None) -> str | None:
    """A source-type filter as given: one of types.SOURCE_TYPES, else InputError (it would match nothing)."""
    if value is not None and value not in SOURCE_TYPES:
        raise InputError(f"unknown source type {value!r}; the source types are {', '.join(SOURCE_TYPES)}")
    return value


def name_key(text: str) -> tuple[str, str]:
    """(spelling, key) of a source's or an intermediary's name: spaces collapsed and quotation marks trimmed;
    the key also ignores case and a leading "the". An empty key names nothing."""
    spelled = " ".join(text.split()).strip(_TRIM)
    return spelled, _LEADING_THE.sub("", spelled, count=1).casefold()


def _unnamed(spelling: str) -> bool:
    return not spelling or spelling.lower() in RELATIVE_PRONOUNS or bool(PRONOUN.match(spelling) or AUTHOR.match(spelling))


@dataclass(frozen=True)
class Quote:
    """One attribution as the source map counts it."""

    article_id: int
    outlet: str | None
    source: str | None  # the key of its resolved speaker; None when it names nobody
    source_type: str
    via: tuple[str, ...]  # the keys of its intermediaries, in the article's order
    quoted_fragments: int  # technique fragments inside its contents


@dataclass
class OutletCounts:
    articles: int = 0
    fragments: int = 0
    quoted_fragments: int = 0


@dataclass
class Quotes:
    """What `read_quotes` read: every attribution of the selected articles, each outlet's article and fragment
    counts, and how each name key is spelt most often."""

    quotes: list[Quote] = field(default_factory=list)
    outlets: dict[str | None, OutletCounts] = field(default_factory=dict)
    spellings: dict[str, Counter[str]] = field(default_factory=dict)

    def name(self, key: str) -> str:
        return self.spellings[key].most_common(1)[0][0]  # ties: the first seen

    def _key(self, text: str) -> str:
        spelled, key = name_key(text)
        self.spellings.setdefault(key, Counter())[spelled] += 1
        return key


def _rows(store: Store, filters: ArticleFilters) -> Iterator[dict[str, Any]]:
    """The articles' counts, and their attributions and techniques only where they have any."""
    return store.iter_articles(filters, columns=(
        articles.c.id, articles.c.outlet, articles.c.fragments, articles.c.quoted_fragments,
        sa.case((articles.c.attributions > 0, _json_part(articles.c.analysis, sa.literal("attributions"))), else_=None).label("attributions"),
        sa.case((articles.c.quoted_fragments > 0, _json_part(articles.c.analysis, sa.literal("techniques"))), else_=None).label("techniques"),
    ))


def read_quotes(store: Store, filters: ArticleFilters = ArticleFilters(), source_type: str | None = None) -> Quotes:
    """Every attribution of the articles `filters` selects (of `source_type` only, when given), and each outlet's
    articles and technique fragments (all of them: the source type narrows the attributions, not the voice)."""
    check_source_type(source_type)
    read = Quotes()
    for row in _rows(store, filters):
        counts = read.outlets.setdefault(row["outlet"], OutletCounts())
        counts.articles += 1
        counts.fragments += row["fragments"]
        counts.quoted_fragments += row["quoted_fragments"]
        inside = Counter(t.get("attribution") for t in json.loads(row["techniques"] or "[]") if t.get("voice") == "quoted")
        for i, a in enumerate(json.loads(row["attributions"] or "[]")):
            if source_type is not None and a["source_type"] != source_type:
                continue
            mention = (a.get("speaker") or (a["sources"][0] if a["sources"] else None) or {}).get("text", "")
            spelled, _ = name_key(mention)
            source = None if _unnamed(spelled) else read._key(mention)
            via = tuple(dict.fromkeys(read._key(v["text"]) for v in a.get("via") or () if name_key(v["text"])[1]))
            read.quotes.append(Quote(row["id"], row["outlet"], source, a["source_type"], via, inside.get(i, 0)))
    return read


def _ranked(counts: Iterable[tuple[str | None, int]], limit: int | None = None) -> list[tuple[str | None, int]]:
    ranked = sorted(counts, key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return ranked[:limit] if limit is not None else ranked


def top_sources(read: Quotes, limit: int | None = None) -> list[dict[str, Any]]:
    """The most-quoted sources, most attributions first: each with its most frequent source type, its
    attributions and articles, the outlets that quote it and the intermediaries it is quoted through (each
    with its attributions, most first) and the technique fragments inside its words."""
    by_source: dict[str, list[Quote]] = defaultdict(list)
    for quote in read.quotes:
        if quote.source is not None:
            by_source[quote.source].append(quote)
    ranked = _ranked(((key, len(quotes)) for key, quotes in by_source.items()), limit)
    rows = []
    for key, n in ranked:
        assert key is not None
        quotes = by_source[key]
        outlets = Counter(q.outlet for q in quotes)
        via = Counter(v for q in quotes for v in q.via)
        rows.append({
            "source": read.name(key), "source_type": Counter(q.source_type for q in quotes).most_common(1)[0][0], "attributions": n,
            "articles": len({q.article_id for q in quotes}), "quoted_fragments": sum(q.quoted_fragments for q in quotes),
            "outlets": [{"outlet": outlet, "attributions": count} for outlet, count in _ranked(outlets.items())],
            "via": [{"intermediary": read.name(v), "attributions": count} for v, count in _ranked(via.items()) if v is not None],
        })
    return rows


def intermediaries(read: Quotes, limit: int | None = None) -> list[dict[str, Any]]:
    """The intermediaries (an attribution's `via`: "…, according to RIA"), most attributions first, with the
    outlets that relay them and the sources they pass on."""
    by_via: dict[str, list[Quote]] = defaultdict(list)
    for quote in read.quotes:
        for v in quote.via:
            by_via[v].append(quote)
    rows = []
    for key, n in _ranked(((key, len(quotes)) for key, quotes in by_via.items()), limit):
        assert key is not None
        quotes = by_via[key]
        sources = Counter(q.source for q in quotes if q.source is not None)
        rows.append({
            "intermediary": read.name(key), "attributions": n, "articles": len({q.article_id for q in quotes}),
            "outlets": [{"outlet": outlet, "attributions": count} for outlet, count in _ranked(Counter(q.outlet for q in quotes).items())],
            "sources": [{"source": read.name(s), "attributions": count} for s, count in _ranked(sources.items()) if s is not None],
        })
    return rows


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def outlet_shares(read: Quotes) -> list[dict[str, Any]]:
    """Per outlet (by name; null for articles without one, last): its articles, attributions, the share of them
    through an intermediary and of each source type, and its technique fragments split by voice."""
    by_outlet: dict[str | None, list[Quote]] = defaultdict(list)
    for quote in read.quotes:
        by_outlet[quote.outlet].append(quote)
    rows = []
    for outlet in sorted(read.outlets, key=lambda o: (o is None, o or "")):
        counts, quotes = read.outlets[outlet], by_outlet.get(outlet, [])
        types = Counter(q.source_type for q in quotes)
        rows.append({
            "outlet": outlet, "articles": counts.articles, "attributions": len(quotes),
            "unnamed": sum(1 for q in quotes if q.source is None),
            "via_share": _share(sum(1 for q in quotes if q.via), len(quotes)),
            "source_types": {kind: _share(types[kind], len(quotes)) for kind in SOURCE_TYPES},
            "fragments": counts.fragments, "author_fragments": counts.fragments - counts.quoted_fragments,
            "quoted_fragments": counts.quoted_fragments,
            "author_share": _share(counts.fragments - counts.quoted_fragments, counts.fragments),
            "quoted_share": _share(counts.quoted_fragments, counts.fragments),
        })
    return rows


def source_rows(read: Quotes) -> list[dict[str, Any]]:
    """The source map as a table, one row per outlet, intermediary (null: quoted directly), source (null:
    unnamed) and source type: its attributions, articles and technique fragments inside the quotes. An
    attribution through two intermediaries counts in the row of each."""
    groups: dict[tuple[str | None, str | None, str | None, str], list[Quote]] = defaultdict(list)
    for quote in read.quotes:
        for v in quote.via or (None,):
            groups[(quote.outlet, v, quote.source, quote.source_type)].append(quote)
    rows = [{"outlet": outlet, "via": read.name(v) if v else None, "source": read.name(s) if s else None, "source_type": kind,
             "attributions": len(quotes), "articles": len({q.article_id for q in quotes}), "quoted_fragments": sum(q.quoted_fragments for q in quotes)}
            for (outlet, v, s, kind), quotes in groups.items()]
    return sorted(rows, key=lambda r: (-r["attributions"], r["outlet"] is None, r["outlet"] or "", r["via"] or "", r["source"] or "", r["source_type"]))


SOURCE_COLUMNS: dict[str, type] = {"outlet": str, "via": str, "source": str, "source_type": str, "attributions": int, "articles": int,
                                   "quoted_fragments": int}


def network(read: Quotes, limit: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The graph outlet → intermediary → source. Nodes: {id, kind (outlet, intermediary, source), label,
    attributions}; a source node also has its source_type. Edges: {source, target, relation, weight (the
    attributions), articles}: an outlet "relays" an intermediary (every attribution through it, whoever its
    source), an intermediary or an outlet (directly) "quotes" a source. With `limit`, only the `limit`
    most-quoted sources are nodes (the relays still count every attribution)."""
    kept = {key for key, _ in _ranked(Counter(q.source for q in read.quotes if q.source is not None).items(), limit)}
    edges: dict[tuple[str, str, str], list[Quote]] = defaultdict(list)
    nodes: dict[str, dict[str, Any]] = {}

    def node(kind: str, key: str | None, label: str) -> str:
        ident = f"{kind}:{key if key is not None else ''}"
        entry = nodes.setdefault(ident, {"id": ident, "kind": kind, "label": label, "attributions": 0})
        entry["attributions"] += 1
        return ident

    types: dict[str, Counter[str]] = defaultdict(Counter)
    for quote in read.quotes:
        outlet = node("outlet", quote.outlet, quote.outlet or NO_OUTLET)
        source = None
        if quote.source is not None and quote.source in kept:
            source = node("source", quote.source, read.name(quote.source))
            types[source][quote.source_type] += 1
        for v in quote.via:
            via = node("intermediary", v, read.name(v))
            edges[(outlet, via, "relays")].append(quote)
            if source is not None:
                edges[(via, source, "quotes")].append(quote)
        if not quote.via and source is not None:
            edges[(outlet, source, "quotes")].append(quote)
    for ident, counted in types.items():
        nodes[ident]["source_type"] = counted.most_common(1)[0][0]
    linked = {end for key in edges for end in key[:2]}  # an outlet whose every quote went unkept is no part of the picture
    order = {"outlet": 0, "intermediary": 1, "source": 2}
    listed = sorted((n for n in nodes.values() if n["id"] in linked), key=lambda n: (order[n["kind"]], -n["attributions"], n["label"]))
    edge_list: list[dict[str, Any]] = [{"source": a, "target": b, "relation": relation, "weight": len(quotes), "articles": len({q.article_id for q in quotes})}
                 for (a, b, relation), quotes in edges.items()]
    edge_list.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    return {"nodes": listed, "edges": edge_list}


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))  # XML 1.0 cannot hold these at all


def graphml(graph: dict[str, list[dict[str, Any]]]) -> bytes:
    """The network as GraphML (Gephi, yEd, networkx, igraph read it): a directed graph whose nodes carry
    label, kind, source_type and attributions, and whose edges carry relation, weight and articles."""
    namespace = "http://graphml.graphdrawing.org/xmlns"
    root = ElementTree.Element("graphml", xmlns=namespace)
    keys = [("label", "node", "string"), ("kind", "node", "string"), ("source_type", "node", "string"), ("attributions", "node", "int"),
            ("relation", "edge", "string"), ("weight", "edge", "double"), ("articles", "edge", "int")]
    for name, scope, kind in keys:
        ElementTree.SubElement(root, "key", {"id": f"{scope[0]}_{name}", "for": scope, "attr.name": name, "attr.type": kind})
    body = ElementTree.SubElement(root, "graph", id="sources", edgedefault="directed")
    for n in graph["nodes"]:
        element = ElementTree.SubElement(body, "node", id=_xml_text(n["id"]))
        for name in ("label", "kind", "source_type", "attributions"):
            if n.get(name) is not None:
                ElementTree.SubElement(element, "data", key=f"n_{name}").text = _xml_text(n[name])
    for i, e in enumerate(graph["edges"]):
        element = ElementTree.SubElement(body, "edge", id=f"e{i}", source=_xml_text(e["source"]), target=_xml_text(e["target"]))
        for name in ("relation", "weight", "articles"):
            ElementTree.SubElement(element, "data", key=f"e_{name}").text = _xml_text(e[name])
    ElementTree.indent(root)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


SOURCE_FORMATS = {".csv": "csv", ".parquet": "parquet", ".graphml": "graphml"}


def source_format(out: Path) -> str:
    """The format a source map is written in, by the file's ending; InputError for any other."""
    fmt = SOURCE_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot write the source map to {out}: give a file ending in .csv, .parquet or .graphml")
    return fmt


def export_sources(store: Store, out: Path, filters: ArticleFilters = ArticleFilters(), source_type: str | None = None) -> int:
    """Write the source map: a table (CSV, Parquet) of `source_rows`, or the `network` as GraphML. Returns the
    rows or the edges written."""
    fmt = source_format(out)
    read = read_quotes(store, filters, source_type)
    with writing(out), replacing(out) as path:
        if fmt == "graphml":
            graph = network(read)
            path.write_bytes(graphml(graph))
            return len(graph["edges"])
        rows = source_rows(read)
        _write_rows(rows, SOURCE_COLUMNS, fmt, path)
        return len(rows)
