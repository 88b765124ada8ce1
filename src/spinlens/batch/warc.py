"""WARC and WARC.gz reading that loses only the damaged record.

warcio's ArchiveIterator stops a file at its first bad record and passes a cut-off record as whole, so
the framing is done here: a plain WARC resumes at the next `WARC/1.x` line, a WARC.gz at the next
gzip member that holds a WARC record. A record counts as whole only once its Content-Length is read
and what follows it (blank lines, the next record, or the end of its gzip member) is read too.
warcio still decodes each whole HTML response (chunked transfer, content encodings).
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from ..ingest import MAX_BYTES

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_VERSION = re.compile(rb"WARC/\d+\.\d+\r?\n")
_RECORD_START = re.compile(rb"WARC/\d+\.\d+\r?\n\Z")  # a version line, or the end of a damaged line
_GZIP = b"\x1f\x8b\x08"
_BLOCK = 1 << 16
_LINE = 1 << 16  # a longer line is no header line: it is read past in pieces
_PEEK = 1 << 16  # room for a response's HTTP headers, read to tell HTML from the rest


@dataclass(frozen=True)
class Response:
    url: str | None
    date: str | None  # WARC-Date as written
    content_type: str  # the HTTP Content-Type
    body: bytes  # decoded from transfer and content encodings


@dataclass(frozen=True)
class Damage:
    reason: str


class _Cut(Exception):
    """The file ends inside a gzip member."""


def read_warc(stream: BinaryIO, gz_name: bool) -> Iterator[tuple[str, Response | Damage]]:
    """(offset, HTML response or damage) for each HTML response and each damaged stretch. The offset
    is the record's byte offset (plain) or its gzip member's (compressed), as warcio numbers them."""
    magic = stream.read(4)
    stream.seek(0)
    # Told by content, as warcio does; a .gz file whose first member is damaged is still read as gzip.
    if not (magic.startswith(_GZIP) or (gz_name and not magic.startswith(b"WARC"))):
        for offset, record in _records(stream):
            yield str(offset), record
        return
    position = 0
    while True:
        stream.seek(position)
        magic = stream.read(3)
        if not magic:
            return
        if magic != _GZIP:
            found = _next_member(stream, position + 1)
            end = found if found is not None else stream.seek(0, io.SEEK_END)
            yield str(position), Damage(f"not a gzip member: {end - position:,} bytes skipped, starting {magic!r}")
            if found is None:
                return
            position = found
            continue
        member = _Member(stream, position)
        for index, (inner, record) in enumerate(_records(io.BufferedReader(member, _BLOCK))):
            # warcio's keys name the member; a second record in one member (non-standard) adds its place
            yield (str(position) if index == 0 else f"{position}+{inner}"), record
        if member.inflate.eof:
            position = member.end
        else:  # corrupt or cut: its records were reported; the next member is found by scanning
            found = _next_member(stream, position + 1)
            if found is None:
                return
            position = found


class _Member(io.RawIOBase):
    """The decompressed bytes of one gzip member; raises _Cut where the file ends inside it."""

    def __init__(self, raw: BinaryIO, start: int) -> None:
        raw.seek(start)
        self.raw = raw
        self.inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer)  # io.BufferedReader passes a memoryview of bytes
        while not self.inflate.eof:
            if not self.pending:
                self.pending = self.raw.read(_BLOCK)
                if not self.pending:
                    raise _Cut
            data = self.inflate.decompress(self.pending, len(view))
            self.pending = self.inflate.unconsumed_tail
            if data:
                view[: len(data)] = data
                return len(data)
        return 0

    @property
    def end(self) -> int:
        """Where the next member starts, once this one is read to its end."""
        return self.raw.tell() - len(self.inflate.unused_data)


def _next_member(raw: BinaryIO, start: int) -> int | None:
    """The offset of the first gzip member at or after `start` that holds a WARC record."""
    position = start
    while True:
        raw.seek(position)
        chunk = raw.read(_BLOCK)
        if len(chunk) < len(_GZIP):
            return None
        index = chunk.find(_GZIP)
        if index < 0:
            position += len(chunk) - len(_GZIP) + 1  # the magic may straddle two chunks
            continue
        candidate = position + index
        raw.seek(candidate)
        try:  # the magic bytes also turn up inside compressed data: the member must start a record
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw.read(_BLOCK), 64)
        except zlib.error:
            head = b""
        if head.lstrip().startswith(b"WARC/"):
            return candidate
        position = candidate + 1


class _Reader:
    """Lines and blocks of an uncompressed WARC stream, with the position counted."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.position = 0
        self.record = 0  # where the record being read starts

    def line(self) -> tuple[int, bytes]:
        """(offset, line). Of a line over _LINE bytes only its end comes back, where a record may start."""
        start = self.position
        line = self.stream.readline(_LINE)
        self.position += len(line)
        while len(line) >= _LINE and not line.endswith(b"\n") and (rest := self.stream.readline(_LINE)):
            self.position += len(rest)
            line = line[-16:] + rest  # a record start may straddle the pieces
        return start, line

    def seek(self, position: int) -> None:
        self.stream.seek(position)
        self.position = position

    def read(self, size: int) -> bytes:
        data = self.stream.read(size)
        self.position += len(data)
        return data

    def skip(self, size: int) -> int:
        skipped = 0
        while skipped < size and (data := self.stream.read(min(_BLOCK, size - skipped))):
            skipped += len(data)
        self.position += skipped
        return skipped


def _records(stream: BinaryIO) -> Iterator[tuple[int, Response | Damage]]:
    reader = _Reader(stream)
    try:
        yield from _parse(reader)
    except _Cut:
        yield reader.record, Damage("truncated record: the file ends inside its gzip member")
    except zlib.error as error:
        yield reader.record, Damage(f"corrupt gzip member: {error}")


def _resync(reader: _Reader, line: bytes, reason: str) -> Generator[tuple[int, Damage], None, tuple[int, bytes]]:
    """Reports the damage that `line` (the last line read) is part of and skips to the next record
    start, even one glued to the end of a damaged line: returns (its offset, its first line)."""
    while line:
        found = _RECORD_START.search(line)
        if found:
            start = reader.position - len(line) + found.start()
            yield reader.record, Damage(f"{reason}; {start - reader.record:,} bytes skipped")
            return start, line[found.start():]
        _, line = reader.line()
    yield reader.record, Damage(f"{reason}; {reader.position - reader.record:,} bytes skipped")
    return reader.position, b""


def _parse(reader: _Reader) -> Iterator[tuple[int, Response | Damage]]:
    start, line = reader.line()
    while line:
        if not line.strip():  # blank lines between records
            start, line = reader.line()
            continue
        reader.record = start
        if not _VERSION.fullmatch(line):
            start, line = yield from _resync(reader, line, f"not a WARC record, starting {line[:32]!r}")
            continue
        headers: dict[str, str] = {}
        while True:
            _, line = reader.line()
            if not line:
                yield reader.record, Damage("truncated record: the file ends inside its headers")
                return
            if not line.strip():
                break
            name, colon, value = line.decode("utf-8", "replace").partition(":")
            if line[:1] in (b" ", b"\t") and headers:  # a folded header line continues the last one
                last = next(reversed(headers))
                headers[last] += " " + line.decode("utf-8", "replace").strip()
            elif colon:
                headers[name.strip().lower()] = value.strip()
            else:
                break
        if line.strip():
            start, line = yield from _resync(reader, line, f"bad WARC header line {line[:32]!r}")
            continue
        declared = headers.get("content-length", "")
        if not (declared.isascii() and declared.isdigit()):
            start, line = yield from _resync(reader, line, f"no valid Content-Length ({declared[:20]!r})")
            continue
        length, block_start = int(declared), reader.position
        head = reader.read(min(length, _PEEK))
        content_type = _content_type(head) if headers.get("warc-type") == "response" else None
        html = content_type is not None and "html" in content_type.lower()
        too_large = length > MAX_BYTES + _PEEK
        if html and not too_large:
            block = head + reader.read(length - len(head))
            got = len(block)
        else:  # not wanted (or refused): streamed past, never held in memory
            got = len(head) + reader.skip(length - len(head))
        if got < length:
            yield reader.record, Damage(f"truncated record: {got:,} of {length:,} bytes")
            return
        start, line = reader.line()
        if line.strip() and not _VERSION.fullmatch(line):  # the Content-Length is wrong: the content cannot be trusted
            if reader.stream.seekable():  # too long, it took in the next record: look for it from the block's start
                reader.seek(block_start)
                _, line = reader.line()
            start, line = yield from _resync(reader, line, "the record does not end where its Content-Length says")
            continue
        while line and not line.strip():  # reading on to what follows proves a gzip member was not cut here
            start, line = reader.line()
        if html and too_large:
            yield reader.record, Damage(f"the HTML response is {length:,} bytes; the limit is {MAX_BYTES:,}")
        elif html and content_type is not None:  # (html: it has one)
            yield reader.record, _response(block, headers, content_type)


def _content_type(block_start: bytes) -> str | None:
    """The Content-Type of an HTTP response block, from its first bytes; None when it is not HTTP."""
    if not block_start.startswith(b"HTTP/"):
        return None
    http_headers = re.split(rb"\r?\n\r?\n", block_start, maxsplit=1)[0]
    match = re.search(rb"(?im)^content-type:[ \t]*([^\r\n]*)", http_headers)
    return match.group(1).decode("latin-1").strip() if match else ""


def _response(block: bytes, headers: dict[str, str], content_type: str) -> Response | Damage:
    from warcio.recordloader import ArcWarcRecordLoader  # lazy: WARC input only

    # warcio gets only the HTTP block, under headers made here: it logs to the terminal about odd WARC headers
    record = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://spinlens.invalid/\r\n"
    record += b"Content-Length: %d\r\n\r\n" % len(block) + block
    try:
        body = ArcWarcRecordLoader().parse_record_stream(io.BytesIO(record)).content_stream().read()
    except Exception as error:  # chunking and content-encoding errors vary by record
        return Damage(f"unreadable HTTP response: {type(error).__name__}")
    url = headers.get("warc-target-uri", "").strip("<>") or None  # WARC/1.0 allows <uri>
    return Response(url, headers.get("warc-date"), content_type, body)
