"""The corpus store: analyses in a SQL database (SQLite by default, any SQLAlchemy URL, PostgreSQL included).

Tables: `articles` (one row per distinct text, keyed by its content hash), `fragments` and
`attributions` (one row per span), `inputs` (what a batch run has processed, by input key, so an
interrupted run resumes where it stopped) and `meta` (the schema version, for migrations).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa

from .. import __version__
from ..errors import SpinlensError
from ..types import Analysis

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

# PostgreSQL refuses longer values; SQLite would keep them.
OUTLET_WIDTH = 200
EXTERNAL_ID_WIDTH = 200
KEY_WIDTH = 512

metadata = sa.MetaData()

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("external_id", sa.String(EXTERNAL_ID_WIDTH)),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.String(OUTLET_WIDTH), index=True),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(32), index=True),  # ISO date as given; sorts correctly
    sa.Column("words", sa.Integer, nullable=False),
    sa.Column("fragments", sa.Integer, nullable=False),
    sa.Column("quoted_fragments", sa.Integer, nullable=False, server_default="0"),
    sa.Column("attributions", sa.Integer, nullable=False, server_default="0"),
    # Sentences by claim status (since schema 3): the sentences that have a claim, and those attributed,
    # asserted, hedged and boosted among them. 0 for an analysis without claims, and for rows stored before.
    sa.Column("claim_sentences", sa.Integer, nullable=False, server_default="0"),
    sa.Column("attributed_sentences", sa.Integer, nullable=False, server_default="0"),
    sa.Column("asserted_sentences", sa.Integer, nullable=False, server_default="0"),
    sa.Column("hedged_sentences", sa.Integer, nullable=False, server_default="0"),
    sa.Column("boosted_sentences", sa.Integer, nullable=False, server_default="0"),
    sa.Column("model_version", sa.String(64)),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("analysis", sa.Text, nullable=False),  # the Analysis JSON
    # Ids are links (/articles/ID): SQLite would give a deleted last article's id to the next one.
    sqlite_autoincrement=True,
)

fragments = sa.Table(
    "fragments", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("technique", sa.String(64), nullable=False, index=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("technique_score", sa.Float, nullable=False),
    sa.Column("voice", sa.String(16), nullable=False),
)

attributions = sa.Table(
    "attributions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("cue", sa.Text, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("speaker", sa.Text),
    sa.Column("source_type", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("via", sa.Text),
    sa.Column("score", sa.Float, nullable=False),
)

inputs = sa.Table(
    "inputs", metadata,
    sa.Column("key", sa.String(KEY_WIDTH), primary_key=True),  # file path, "file.jsonl:12", "crawl.warc.gz#4096"
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="SET NULL")),
    sa.Column("status", sa.String(16), nullable=False),  # "done" or "failed"
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("spinlens_version", sa.String(32)),  # the spinlens that processed it (since schema 2)
)

meta = sa.Table("meta", metadata, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text, nullable=False))

# Each migration brings a database from version i to i + 1; append, never edit. Version 1 is the
# tables as first released, created by `metadata.create_all`; the tables above are the newest version.
MIGRATIONS: list[list[str]] = [
    # 1 -> 2: which spinlens processed an input (a failure may be retried after an upgrade).
    ["ALTER TABLE inputs ADD COLUMN spinlens_version VARCHAR(32)"],
    # 2 -> 3: each article's sentences by claim status, for the stats' claim shares. Rows stored before
    # keep 0 (no sentence with a claim), so the shares leave them out.
    [f"ALTER TABLE articles ADD COLUMN {column} INTEGER DEFAULT 0 NOT NULL"
     for column in ("claim_sentences", "attributed_sentences", "asserted_sentences", "hedged_sentences", "boosted_sentences")],
]
SCHEMA_VERSION = 1 + len(MIGRATIONS)
_ALTERED_TABLE = re.compile(r"ALTER TABLE (\w+) ")

INT64_MAX = 2**63 - 1  # the largest integer SQLite stores; ids and cursors beyond it are refused

UNICODE_LOWER = "spinlens_lower"  # SQLite's lower() folds ASCII only: this one, registered below, folds every letter


_Query = TypeVar("_Query", bound="sa.Select[*tuple[Any, ...]]")


class Filters(Protocol):
    """What narrows a listing of articles: queries.ArticleFilters."""

    def apply(self, query: _Query) -> _Query: ...


class StoreError(SpinlensError):
    """The database cannot be opened, or is newer than this version of spinlens."""


@dataclass(frozen=True)
class ArticleMeta:
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None


def iso_date(value: object) -> str | None:
    """`value` if it is a real date written YYYY-MM-DD, else None: the one rule for `published`, for the
    API and for corpus runs."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:  # 2020-02-30
        return None
    return value


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# The event listeners below get SQLite's DBAPI connection (sqlite3.Connection) and SQLAlchemy's record of it.
def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value  # NULL (a missing title) stays NULL


def _sqlite_functions(connection: Any, _record: Any) -> None:
    connection.create_function(UNICODE_LOWER, 1, _unicode_lower, deterministic=True)


def default_url() -> str:
    return "sqlite:///spinlens.db"


CLAIM_COUNTS = ("attributed", "asserted", "hedged", "boosted")  # the statuses counted per article (schema 3)


def claim_counts(analysis: Analysis) -> dict[str, int]:
    """An article's claim columns: its sentences that have a claim, and those of each counted status."""
    statuses: list[str] = [s.claim.status for s in analysis.sentences if s.claim is not None]
    return {"claim_sentences": len(statuses), **{f"{status}_sentences": statuses.count(status) for status in CLAIM_COUNTS}}


def _metadata(analysis: Analysis, info: ArticleMeta) -> dict[str, str | None]:
    """An article's descriptive columns: what the input gave, else what the page declared."""
    metadata = analysis.article.metadata
    # A page's site name, or a crawl's host name (up to 253 characters), is the page's, not the user's to
    # shorten: cut to the column (PostgreSQL refuses a longer value). What a user gives is checked where given.
    outlet = (info.outlet or metadata.get("sitename") or metadata.get("hostname") or "")[:OUTLET_WIDTH] or None
    return {
        "external_id": info.external_id,
        "url": info.url or analysis.article.url,
        "outlet": outlet,
        "title": info.title or analysis.article.title,
        "published": info.published or metadata.get("date"),
    }


class Store:
    def __init__(self, url: str | None = None, create: bool = True) -> None:
        """Open (and migrate) the database; with create=False, refuse one that is missing or has no
        spinlens tables rather than create them (for commands that only read)."""
        self.url = url or default_url()
        try:
            self.engine = sa.create_engine(self.url, future=True)
        except (sa.exc.ArgumentError, ImportError) as error:
            raise StoreError(f"cannot open database {self.url!r}: {error}") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "connect", _sqlite_functions)
        self.shown_url = self.engine.url.render_as_string(hide_password=True)  # for messages
        # SQLite's INTEGER holds 64 bits, PostgreSQL's 32: a larger id cannot exist, and sent as a
        # parameter it is an error ("integer out of range"), not a miss.
        self.max_id = INT64_MAX if self.engine.dialect.name == "sqlite" else 2**31 - 1
        try:
            if not create:
                self._require_spinlens_tables()
            self.migrate()
        except sa.exc.DatabaseError as error:  # unreachable server, or a file that is not a database
            reason = " ".join(str(error.orig).split())  # the drivers' messages may span lines
            raise StoreError(f"cannot open database {self.shown_url!r}: {reason}") from None

    def _require_spinlens_tables(self) -> None:
        database = self.engine.url.database
        # Connecting would create a missing SQLite file, so look for it first.
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:" and not Path(database).is_file():
            raise StoreError(f"no database at {database}")
        with self.engine.connect() as connection:
            if not sa.inspect(connection).has_table(articles.name):
                raise StoreError(f"{self.shown_url} is not a spinlens database (it has no {articles.name} table)")

    def migrate(self) -> None:
        """Create the tables, or bring an older database up to SCHEMA_VERSION."""
        with self.engine.begin() as connection:
            before = set(sa.inspect(connection).get_table_names())
            metadata.create_all(connection, checkfirst=True)
            row = connection.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
            version = int(row[0]) if row else None
            if version is None:
                connection.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
                return
            if version > SCHEMA_VERSION:
                raise StoreError(f"database schema version {version} is newer than this spinlens ({SCHEMA_VERSION}); upgrade spinlens")
            for statements in MIGRATIONS[version - 1 :]:
                for statement in statements:
                    altered = _ALTERED_TABLE.match(statement)
                    if altered and altered.group(1) not in before:  # created just now, as the newest version has it
                        continue
                    connection.execute(sa.text(statement))
            connection.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))

    # Writing --------------------------------------------------------------------------------

    def add(self, analysis: Analysis, info: ArticleMeta = ArticleMeta(), key: str | None = None) -> tuple[int, bool]:
        """Store an analysis; returns (article id, created). The same text is stored once."""
        try:
            return self._add_once(analysis, info, key)
        except sa.exc.IntegrityError:  # another writer stored the same text a moment ago: now it is found
            return self._add_once(analysis, info, key)

    def _add_once(self, analysis: Analysis, info: ArticleMeta, key: str | None) -> tuple[int, bool]:
        # One transaction for the article and its input key, so a killed run never leaves a text
        # without its key. No SAVEPOINT: under pysqlite a savepoint opened outside a transaction
        # commits on release, which split these writes in two.
        digest = content_hash(analysis.text)
        with self.engine.begin() as connection:
            existing = connection.execute(sa.select(articles.c.id).where(articles.c.content_hash == digest)).first()
            if existing:
                article_id, created = existing[0], False
                # A later copy of the text fills what the first left empty (a PTC id, a URL); it never overwrites.
                known = {column: value for column, value in _metadata(analysis, info).items() if value is not None}
                if known:
                    connection.execute(articles.update().where(articles.c.id == article_id).values(
                        {column: sa.func.coalesce(articles.c[column], value) for column, value in known.items()}
                    ))
            else:
                article_id, created = self._insert(connection, analysis, info, digest), True
            if key is not None:
                self._mark(connection, key, article_id, "done", None)
        return article_id, created

    def _insert(self, connection: sa.Connection, analysis: Analysis, info: ArticleMeta, digest: str) -> int:
        voice = analysis.voice_counts()
        result = connection.execute(articles.insert().values(
            content_hash=digest,
            **_metadata(analysis, info),
            words=len(analysis.text.split()),
            fragments=len(analysis.techniques),
            quoted_fragments=voice["quoted"],
            attributions=len(analysis.attributions),
            **claim_counts(analysis),
            model_version=analysis.model.get("version"),
            created_at=now(),
            analysis=analysis.to_json(indent=None),
        ))
        inserted = result.inserted_primary_key
        assert inserted is not None  # an INSERT of one row has its primary key
        article_id: int = inserted[0]
        if analysis.techniques:
            connection.execute(fragments.insert(), [
                {"article_id": article_id, "start": t.start, "end": t.end, "technique": t.technique, "score": t.score,
                 "technique_score": t.technique_score, "voice": t.voice}
                for t in analysis.techniques
            ])
        if analysis.attributions:
            connection.execute(attributions.insert(), [
                {"article_id": article_id, "position": i, "cue": a.cue.text,
                 "source": " / ".join(s.text for s in a.sources) or None,
                 "speaker": a.speaker.text if a.speaker else None, "source_type": a.source_type, "kind": a.kind,
                 "via": " / ".join(v.text for v in a.via) or None, "score": a.score}
                for i, a in enumerate(analysis.attributions)
            ])
        return article_id

    def _mark(self, connection: sa.Connection, key: str, article_id: int | None, status: str, error: str | None) -> None:
        connection.execute(inputs.delete().where(inputs.c.key == key))
        connection.execute(inputs.insert().values(key=key, article_id=article_id, status=status, error=error, created_at=now(),
                                                  spinlens_version=__version__))

    def record_failure(self, key: str, error: str) -> None:
        with self.engine.begin() as connection:
            self._mark(connection, key, None, "failed", error[:2000])

    def delete(self, article_id: int) -> bool:
        if not 0 < article_id <= self.max_id:
            return False
        with self.engine.begin() as connection:
            connection.execute(fragments.delete().where(fragments.c.article_id == article_id))
            connection.execute(attributions.delete().where(attributions.c.article_id == article_id))
            connection.execute(inputs.update().where(inputs.c.article_id == article_id).values(article_id=None))
            return connection.execute(articles.delete().where(articles.c.id == article_id)).rowcount > 0

    # Reading --------------------------------------------------------------------------------

    def processed_keys(self, include_failed: bool = True) -> set[str]:
        query = sa.select(inputs.c.key)
        if not include_failed:
            query = query.where(inputs.c.status == "done")
        with self.engine.connect() as connection:
            return {row[0] for row in connection.execute(query)}

    def has_text(self, text: str) -> int | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(articles.c.id).where(articles.c.content_hash == content_hash(text))).first()
            return row[0] if row else None

    def get(self, article_id: int) -> tuple[dict[str, Any], Analysis] | None:
        if not 0 < article_id <= self.max_id:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
        if row is None:
            return None
        return dict(row), Analysis.from_json(row["analysis"])

    def failures(self) -> list[tuple[str, str]]:
        with self.engine.connect() as connection:
            query = sa.select(inputs.c.key, inputs.c.error).where(inputs.c.status == "failed").order_by(inputs.c.key)
            return [(k, e) for k, e in connection.execute(query)]

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()

    def iter_articles(self, filters: Filters | None = None, batch: int = 500,
                      columns: Sequence[sa.ColumnElement[Any]] = ()) -> Iterator[dict[str, Any]]:
        """Stored article rows (the analysis JSON included) matching `filters` (an ArticleFilters),
        in id order, read a batch at a time. columns: only these (labelled, `articles.c.id` among them)."""
        last = 0
        while True:
            query = (sa.select(*columns) if columns else sa.select(articles)).where(articles.c.id > last)
            if filters is not None:
                query = filters.apply(query)
            with self.engine.connect() as connection:
                rows = connection.execute(query.order_by(articles.c.id).limit(batch)).mappings().all()
            if not rows:
                return
            for row in rows:
                yield dict(row)
            last = rows[-1]["id"]

    def technique_counts(self) -> dict[int, dict[str, int]]:
        """{article id: {technique: fragments}} over the whole store."""
        query = sa.select(fragments.c.article_id, fragments.c.technique, sa.func.count()).group_by(fragments.c.article_id, fragments.c.technique)
        counts: dict[int, dict[str, int]] = {}
        with self.engine.connect() as connection:
            for article_id, technique, n in connection.execute(query):
                counts.setdefault(article_id, {})[technique] = n
        return counts

    def close(self) -> None:
        self.engine.dispose()
