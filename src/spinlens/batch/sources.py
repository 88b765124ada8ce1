"""Corpus inputs -> items to analyse, each with a stable key so an interrupted run can resume.

Folders (each file below one read as if named on its own), .txt/.html files (a PTC articles folder
included), JSON Lines files, and WARC or WARC.gz files. What cannot be read becomes an item with an
error, recorded as failed, and the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import ingest
from ..errors import InputError
from ..ingest import MAX_BYTES
from ..store.db import EXTERNAL_ID_WIDTH, KEY_WIDTH, iso_date
from ..store.queries import field_problem
from ..types import Article
from .warc import Damage, read_warc

_PTC_NAME = re.compile(r"^article(\d+)\.txt$")
_WARC_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T|\Z)", re.ASCII)


@dataclass(frozen=True)
class Item:
    key: str  # stable across runs: "path", "path:line", "path:id=ID", "path#offset"
    text: str | None = None
    html: str | None = None
    data: bytes | None = None  # raw file content, decoded (text or HTML) by the worker
    name: str = ""
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    title: str | None = None
    external_id: str | None = None
    page: bool = False  # WARC responses: `data` is an HTML page
    charset: str | None = None  # the charset its HTTP Content-Type declares, if any
    error: str | None = None  # set when the input could not be read at all


NOT_REGULAR = "not a regular file (a pipe, socket or device)"


def iter_items(paths: list[Path]) -> Iterator[Item]:
    for path in paths:
        path = Path(path).resolve()  # keys stay the same whatever folder the run starts from
        if path.is_dir():
            for inner, problem in sorted(_walk(path), key=lambda found: str(found[0])):
                if problem:
                    yield _failed(inner, problem)
                else:
                    yield from _items(inner)
        elif path.is_file():
            yield from _items(path)
        elif path.exists():
            yield _failed(path, NOT_REGULAR)
        else:
            yield _failed(path, "no such file or folder")


def storable_key(raw: str) -> str:
    """An input's key as the database can hold it, the same in every run: a file name's undecodable bytes
    written as escapes (a Latin-1 "café.txt"; UTF-8 cannot encode them as Python holds them), and a key
    longer than its column cut, with a digest of the whole so it stays unique."""
    try:
        data = raw.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte (a JSON "\ud800")
        data = raw.encode("utf-8", "surrogatepass")
    key = data.decode("utf-8", "backslashreplace")
    if len(key) > KEY_WIDTH:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        key = key[: KEY_WIDTH - len(digest) - 2] + "…#" + digest
    return key


def _failed(path: Path, problem: str) -> Item:
    key = storable_key(str(path))
    return Item(key=key, error=f"{key}: {problem}")


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """Every non-hidden file below `folder`, with None, or with why it cannot be read (a folder that cannot
    be listed, a broken link): those are recorded as failed, not passed over. A folder reached twice
    through links (a link loop) is read once."""
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            status = current.stat()
            if (status.st_dev, status.st_ino) in seen:
                continue
            seen.add((status.st_dev, status.st_ino))
            entries = list(os.scandir(current))
        except OSError as error:
            yield current, error.strerror or str(error)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    pending.append(path)
                elif entry.is_file():
                    yield path, None
                elif entry.is_symlink():
                    yield path, "a broken symbolic link"
                else:
                    yield path, NOT_REGULAR
            except OSError as error:
                yield path, error.strerror or str(error)


def _items(path: Path) -> Iterator[Item]:
    """A file's items, by its name's ending, alike whether it was named or found in a folder."""
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        yield from _warc(path)
    elif name.endswith(".jsonl"):
        yield from _jsonl(path)
    else:
        yield _file(path)


def _file(path: Path) -> Item:
    match = _PTC_NAME.match(path.name)
    key = storable_key(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refused unread: a huge file would be held in memory and sent to a worker
            return Item(key=key, error=f"{key} is {size:,} bytes; the limit is {MAX_BYTES:,}")
        data = path.read_bytes()
    except OSError as error:
        return _failed(path, str(error.strerror))
    return Item(key=key, data=data, name=key, external_id=match.group(1) if match else None)


def _jsonl(path: Path) -> Iterator[Item]:
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield _failed(path, error.strerror or str(error))
        return
    name = storable_key(str(path))
    ids: set[str] = set()
    with handle:
        # Bytes, decoded line by line: a text stream that meets a bad byte loses its place, and the
        # lines after it were read under the wrong numbers (wrong keys) or not at all.
        for number, raw in enumerate(handle, 1):
            key = storable_key(f"{name}:{number}")
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                yield Item(key=key, error=f"line {number} is not valid UTF-8")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as error:  # also integers over 4,300 digits, nesting too deep
                where = f" (column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
                yield Item(key=key, error=f"line {number} is not JSON: {getattr(error, 'msg', error)}{where}")
                continue
            external_id = _external_id(record)
            # An id keeps its key when lines are added or moved. A repeated id keeps the line's key, so
            # both records are analysed; the id is taken before the other checks, so that a record
            # failed for another reason, corrected and retried, keeps its key too.
            if external_id is not None and external_id not in ids:
                ids.add(external_id)
                key = storable_key(f"{name}:id={external_id}")
            problem = _problem(record)
            if problem:
                yield Item(key=key, error=f"line {number}: {problem}")
                continue
            yield Item(
                key=key, text=record.get("text"), html=record.get("html"), name=f"{name}:{number}",
                url=record.get("url"), outlet=record.get("outlet"), published=record.get("published"),
                title=record.get("title"), external_id=external_id,
            )


def _external_id(record: object) -> str | None:
    given = record.get("id") if isinstance(record, dict) else None
    if isinstance(given, (str, int)) and not isinstance(given, bool) and len(str(given)) <= EXTERNAL_ID_WIDTH:
        return str(given)
    return None


def _problem(record: object) -> str | None:
    """Why a JSON Lines record cannot be stored as it is, or None."""
    if not isinstance(record, dict) or not (isinstance(record.get("text"), str) or isinstance(record.get("html"), str)):
        return "no 'text' or 'html' string"
    if record.get("id") is not None and _external_id(record) is None:
        return f"'id' must be a string or an integer of at most {EXTERNAL_ID_WIDTH} characters"
    for name in ("url", "outlet", "title"):
        if record.get(name) is not None and not isinstance(record[name], str):
            return f"'{name}' must be a string"
    for name in ("outlet", "title", "url", "id"):
        if isinstance(record.get(name), str) and (problem := field_problem(name, record[name])) is not None:
            return f"'{name}' {problem}"
    published = record.get("published")
    if published is not None and iso_date(published) is None:
        return f"'published' must be a date written YYYY-MM-DD, not {json.dumps(published)[:40]}"
    return None


def _warc(path: Path) -> Iterator[Item]:
    try:
        stream = open(path, "rb")
    except OSError as error:
        yield _failed(path, error.strerror or str(error))
        return
    name = storable_key(str(path))
    with stream:
        for offset, record in read_warc(stream, path.name.lower().endswith(".gz")):
            key = storable_key(f"{name}#{offset}")
            if isinstance(record, Damage):
                yield Item(key=key, error=record.reason)
                continue
            try:
                host = urlsplit(record.url or "").hostname
            except ValueError:  # a malformed URI (an unclosed [IPv6 bracket) names no outlet
                host = None
            charset = re.search(r"charset=([\w-]+)", record.content_type, re.I)
            date_match = _WARC_DATE.match(record.date or "")
            yield Item(
                key=key, data=record.body, name=record.url or key, url=record.url, page=True, charset=charset.group(1) if charset else None,
                outlet=host[4:] if host and host.startswith("www.") else host,
                published=iso_date(date_match.group(1)) if date_match else None,  # the crawl's day, as the API writes dates
            )


def to_article(item: Item) -> Article:
    """The Article an item holds; raises InputError for what cannot be analysed."""

    if item.error:
        raise InputError(item.error)
    if item.data is not None:
        # A crawled page is decoded as a fetched one: BOM, then HTTP charset, then <meta charset>, strictly.
        article = ingest.from_bytes(item.data, item.name, url=item.url, charset=item.charset, html=item.page or None)
    elif item.html is not None:
        article = ingest.from_html(item.html, url=item.url, source=item.name)
    else:
        article = ingest.from_text(item.text or "", title=item.title, source=item.name)
    return article
