"""Filtered listings and grouped statistics over the store (SQLAlchemy Core; SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from ..errors import InputError
from ..ingest import CONTROL_CHARACTERS, SURROGATE
from ..labels import TECHNIQUES
from .db import CLAIM_COUNTS, OUTLET_WIDTH, UNICODE_LOWER, Store, articles, fragments, iso_date

# The article text inside the stored Analysis JSON: searching the JSON itself would match its keys
# ("technique", "score", "_"), so every article would match those. SQLite's JSON functions read TEXT.
_ANALYSIS = sa.cast(articles.c.analysis, sa.JSON().with_variant(sa.Text(), "sqlite"))
_TEXT = _ANALYSIS["text"].as_string()
_SOURCE = _ANALYSIS["source"].as_string()
TEXT_START = 4_000  # characters of an untitled article's text that a listing reads to find it a title
# Longer than anyone searches for; SQLite refuses a LIKE pattern over 50,000 bytes (an internal error).
MAX_SEARCH = 1_000

_Query = TypeVar("_Query", bound="sa.Select[*tuple[Any, ...]]")


class _lower(sa.sql.functions.FunctionElement[str]):
    """lower() that folds every letter, as Python's str.lower does: PostgreSQL's lower() already does
    (under a UTF-8 locale); SQLite's folds ASCII only, so there the function db.py registers is used."""

    type = sa.Text()
    inherit_cache = True


@compiles(_lower)
def _compile_lower(element: _lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(_lower, "sqlite")
def _compile_lower_sqlite(element: _lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{UNICODE_LOWER}({compiler.process(element.clauses, **kw)})"


def unknown_technique(name: str) -> str:
    """The message for a technique name that is not one of the 14 labels."""
    return f"unknown technique {name!r}; the techniques are {' '.join(TECHNIQUES)}"


def filter_date(name: str, value: str | None) -> date | None:
    """A date filter as given in a query string: YYYY-MM-DD only, the rule `published` follows."""
    if value is None:
        return None
    if iso_date(value) is None:
        raise InputError(f"{name} must be a date written YYYY-MM-DD, not {value!r}")
    return date.fromisoformat(value)


def control_character(text: str) -> str | None:
    """The first control character in `text` (C0, DEL, C1) other than tab and newline, if any."""
    return next((ch for ch in text if ch in CONTROL_CHARACTERS), None)


def field_problem(name: str, value: str) -> str | None:
    """Why a title, outlet, URL or id given with an article (a request, a corpus record) cannot be stored, or
    None: PostgreSQL refuses a NUL, no database a lone surrogate, and an outlet longer than its column."""
    if (control := control_character(value)) is not None:
        return f"cannot contain control characters (it has U+{ord(control):04X})"
    if (surrogate := SURROGATE.search(value)) is not None:  # no database can store it
        return f"cannot contain a lone surrogate (U+{ord(surrogate.group()):04X})"
    if name == "outlet" and len(value) > OUTLET_WIDTH:
        return f"is longer than {OUTLET_WIDTH} characters"
    return None


@dataclass(frozen=True)
class ArticleFilters:
    outlet: str | None = None
    technique: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None

    def __post_init__(self) -> None:
        if self.technique and self.technique not in TECHNIQUES:  # it would silently match nothing
            raise InputError(unknown_technique(self.technique))
        # Not text anyone searches for; SQLite cut the search at a NUL, which then matched everything.
        if self.q and (control := control_character(self.q)) is not None:
            raise InputError(f"the search text cannot contain control characters (it has U+{ord(control):04X})")
        if self.q and len(self.q) > MAX_SEARCH:
            raise InputError(f"the search text is over {MAX_SEARCH:,} characters")
        # No outlet has them, and PostgreSQL refuses a NUL in a query (an internal error).
        if self.outlet and (control := control_character(self.outlet)) is not None:
            raise InputError(f"the outlet cannot contain control characters (it has U+{ord(control):04X})")

    def apply(self, query: _Query) -> _Query:
        if self.outlet:
            query = query.where(articles.c.outlet == self.outlet)
        if self.technique:
            query = query.where(sa.exists().where(fragments.c.article_id == articles.c.id, fragments.c.technique == self.technique))
        if self.since:
            query = query.where(articles.c.published >= self.since.isoformat())
        if self.until:
            # Dates may carry a time ("2018-11-02T10:00"): compare the first ten characters.
            query = query.where(sa.func.substr(articles.c.published, 1, 10) <= self.until.isoformat())
        if self.q:
            # autoescape: q is matched literally, "%" and "_" are not wildcards
            needle = self.q.lower()
            query = query.where(sa.or_(_lower(articles.c.title).contains(needle, autoescape=True),
                                       _lower(_TEXT).contains(needle, autoescape=True)))
        return query


def list_articles(store: Store, filters: ArticleFilters, limit: int, cursor: int | None,
                  untitled: bool = False) -> tuple[list[dict[str, Any]], int | None]:
    """A page of articles, newest first. With `untitled`, an article stored without a title (before titles were
    derived for every article) also has `text_start` (its text's first TEXT_START characters) and `source`
    (the file it came from), for a page to find it one; titled ones have None there."""
    columns: list[sa.ColumnElement[Any]] = [
        articles.c.id, articles.c.title, articles.c.outlet, articles.c.published, articles.c.url, articles.c.words,
        articles.c.fragments, articles.c.quoted_fragments, articles.c.attributions, articles.c.created_at, articles.c.external_id]
    if untitled:
        columns += [sa.case((articles.c.title.is_(None), sa.func.substr(_TEXT, 1, TEXT_START)), else_=None).label("text_start"),
                    sa.case((articles.c.title.is_(None), _SOURCE), else_=None).label("source")]
    query = filters.apply(sa.select(*columns))
    if cursor is not None and cursor <= store.max_id:  # a cursor past the largest possible id comes before every row
        query = query.where(articles.c.id < cursor)
    query = query.order_by(articles.c.id.desc()).limit(limit + 1)
    with store.engine.connect() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
    next_cursor = rows[limit - 1]["id"] if len(rows) > limit else None
    items = rows[:limit]
    for item in items:
        item["density_per_1000_words"] = round(1000 * item["fragments"] / item["words"], 3) if item["words"] else 0.0
    return items, next_cursor


_CLAIM_COLUMNS = ("claim_sentences", *(f"{status}_sentences" for status in CLAIM_COUNTS))


def stats(store: Store, group_by: str, filters: ArticleFilters) -> list[dict[str, Any]]:
    """Per group: articles, words, fragments, density per 1,000 words, and the author/quoted split; by
    outlet and by day also the share of the sentences attributed, asserted, hedged and boosted, over the
    sentences with claims (articles stored without claims have none, and count in no share)."""
    selected = filters.apply(sa.select(articles.c.id)).subquery()
    if group_by == "technique":
        query = (
            sa.select(fragments.c.technique.label("group"), sa.func.count(sa.distinct(fragments.c.article_id)).label("articles"),
                      sa.func.count().label("fragments"),
                      sa.func.sum(sa.case((fragments.c.voice == "quoted", 1), else_=0)).label("quoted"))
            .where(fragments.c.article_id.in_(sa.select(selected.c.id)))
            .group_by(fragments.c.technique)
            .order_by(sa.func.count().desc(), fragments.c.technique)  # ties in one order on every database
        )
        with store.engine.connect() as connection:
            total_words = connection.execute(sa.select(sa.func.coalesce(sa.func.sum(articles.c.words), 0)).where(articles.c.id.in_(sa.select(selected.c.id)))).scalar_one()
            rows = [dict(r) for r in connection.execute(query).mappings()]
        for row in rows:
            row["words"] = int(total_words)
    else:
        key = articles.c.outlet if group_by == "outlet" else sa.func.substr(articles.c.published, 1, 10)
        query = (
            sa.select(key.label("group"), sa.func.count().label("articles"), sa.func.sum(articles.c.words).label("words"),
                      sa.func.sum(articles.c.fragments).label("fragments"), sa.func.sum(articles.c.quoted_fragments).label("quoted"),
                      *(sa.func.sum(articles.c[column]).label(column) for column in _CLAIM_COLUMNS))
            .where(articles.c.id.in_(sa.select(selected.c.id)))
            .group_by(key)
            .order_by(key)
        )
        with store.engine.connect() as connection:
            rows = [dict(r) for r in connection.execute(query).mappings()]
    for row in rows:
        fragments_n, words, quoted = int(row["fragments"] or 0), int(row["words"] or 0), int(row["quoted"] or 0)
        row.update(
            fragments=fragments_n, words=words, articles=int(row["articles"]),
            density_per_1000_words=round(1000 * fragments_n / words, 3) if words else 0.0,
            author_share=round((fragments_n - quoted) / fragments_n, 4) if fragments_n else None,
            quoted_share=round(quoted / fragments_n, 4) if fragments_n else None,
        )
        row.pop("quoted")
        if group_by != "technique":  # the claim counts are per article: no share of a technique's sentences
            counts = {column: int(row.pop(column) or 0) for column in _CLAIM_COLUMNS}
            sentences = counts["claim_sentences"]
            row["claim_sentences"] = sentences
            for status in CLAIM_COUNTS:
                row[f"{status}_share"] = round(counts[f"{status}_sentences"] / sentences, 4) if sentences else None
    return rows
