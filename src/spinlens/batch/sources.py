"""Corpus inputs -> items to analyse, each with a stable key so an interrupted run can resume.

A folder of .txt/.html files (a PTC articles folder included), a JSON Lines file, and WARC or
WARC.gz files. What cannot be read becomes an item with an error, recorded as failed, and the run
goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InputError

_PTC_NAME = re.compile(r"^article(\d+)\.txt$")


@dataclass(frozen=True)
class Item:
    key: str  # stable across runs: "path", "path:line", "path#offset"
    text: str | None = None
    html: str | None = None
    data: bytes | None = None  # raw file content, decoded (text or HTML) by the worker
    name: str = ""
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    external_id: str | None = None
    charset: str | None = None  # set for WARC responses: their bytes are HTML in this encoding
    error: str | None = None  # set when the input could not be read at all


def iter_items(paths: list[Path]) -> Iterator[Item]:
    for path in paths:
        path = Path(path).resolve()  # keys stay the same whatever folder the run starts from
        if path.is_dir():
            yield from _folder(path)
        elif path.name.endswith((".warc", ".warc.gz")):
            yield from _warc(path)
        elif path.name.endswith(".jsonl"):
            yield from _jsonl(path)
        elif path.is_file():
            yield _file(path)
        else:
            yield Item(key=str(path), error=f"{path}: no such file or folder")


def _file(path: Path) -> Item:
    match = _PTC_NAME.match(path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Item(key=str(path), error=f"{path}: {error.strerror}")
    return Item(key=str(path), data=data, name=str(path), external_id=match.group(1) if match else None)


def _folder(folder: Path) -> Iterator[Item]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        yield _file(path)


def _jsonl(path: Path) -> Iterator[Item]:
    try:
        handle = open(path, encoding="utf-8", errors="strict")
    except OSError as error:
        yield Item(key=str(path), error=f"{path}: {error.strerror}")
        return
    with handle:
        number = 0
        while True:
            number += 1
            try:
                line = handle.readline()
            except UnicodeDecodeError:
                yield Item(key=f"{path}:{number}", error=f"line {number} is not valid UTF-8")
                continue
            if not line:
                return
            if not line.strip():
                continue
            key = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield Item(key=key, error=f"line {number} is not JSON: {error.msg}")
                continue
            if not isinstance(record, dict) or not (isinstance(record.get("text"), str) or isinstance(record.get("html"), str)):
                yield Item(key=key, error=f"line {number} has no 'text' or 'html' string")
                continue
            given = record.get("id")
            yield Item(
                key=f"{path}:id={given}" if given is not None else key,
                text=record.get("text"), html=record.get("html"), name=key,
                url=record.get("url"), outlet=record.get("outlet"), published=_string(record.get("published")),
                title=record.get("title"), external_id=None if given is None else str(given),
            )


def _string(value) -> str | None:
    return None if value is None else str(value)


def _warc(path: Path) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        stream = open(path, "rb")
    except OSError as error:
        yield Item(key=str(path), error=f"{path}: {error.strerror}")
        return
    with stream:
        iterator = ArchiveIterator(stream)
        offset = 0
        while True:
            try:
                record = next(iterator)
            except StopIteration:
                return
            except (ArchiveLoadFailed, ValueError, OSError, EOFError) as error:
                # The stream cannot be read past a corrupt record: record it and stop this file.
                yield Item(key=f"{path}#after-{offset}", error=f"corrupt WARC record after offset {offset}: {error}")
                return
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if "html" not in content_type.lower():
                continue
            try:
                body = record.content_stream().read()
                error_text = None
            except Exception as error:  # decompression and chunking errors vary by record
                body, error_text = b"", f"unreadable WARC record: {type(error).__name__}"
            # Read after the body: asking for the offset earlier would consume the record.
            offset = iterator.get_record_offset()
            key = f"{path}#{offset}"
            if error_text:
                yield Item(key=key, error=error_text)
                continue
            host = urlsplit(url or "").hostname
            charset = re.search(r"charset=([\w-]+)", content_type, re.I)
            yield Item(
                key=key, data=body, name=url or key, url=url, charset=charset.group(1) if charset else "utf-8",
                outlet=host[4:] if host and host.startswith("www.") else host,
                published=record.rec_headers.get_header("WARC-Date"),
            )


def to_article(item: Item):
    """The Article an item holds; raises InputError for what cannot be analysed."""
    from .. import ingest

    if item.error:
        raise InputError(item.error)
    if item.charset is not None:
        try:
            html = item.data.decode(item.charset, errors="replace")
        except LookupError:
            html = item.data.decode("utf-8", errors="replace")
        return ingest.from_html(html, url=item.url, source=item.name)
    if item.data is not None:
        article = ingest.from_bytes(item.data, item.name, url=item.url)
    elif item.html is not None:
        article = ingest.from_html(item.html, url=item.url, source=item.name)
    else:
        article = ingest.from_text(item.text or "", title=item.title, source=item.name)
    return article
