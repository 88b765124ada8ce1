"""Bytes -> text -> Article: size limits, charsets as browsers read them, binary data, files, named pipes, stdin."""

from __future__ import annotations

import codecs
import os
import re
import select
import stat
import sys
from pathlib import Path

from ..errors import InputError
from ..types import Article
from .checks import from_text, looks_binary
from .html import from_html

MAX_BYTES = 5_000_000  # larger files and downloads are refused unread (a page's markup counts here)
PIPE_WAIT = 10.0  # seconds a named pipe may keep us waiting for its first byte (or its end)
_HTML_HINT = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype html|<html|<head|<body|<meta|<title|<script|<style|<link|<\?xml[^>]*>\s*<html)",
    re.IGNORECASE | re.DOTALL)
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.IGNORECASE)  # XHTML
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_HEAD_END = re.compile(rb"<body[\s>]|</head\s*>", re.IGNORECASE)
# Labels browsers accept that Python's codecs do not know (the WHATWG Encoding Standard's reading).
_BROWSER_LABELS = {"x-user-defined": "windows-1252", "unicode": "utf-16le"}
# Python codec names (prefixes) of the encodings web pages are written in.
_WEB_CODECS = ("utf-8", "utf-16", "utf-32", "ascii", "iso8859", "cp125", "cp866", "cp874", "cp932", "cp949",
               "cp950", "koi8", "mac-", "gb", "big5", "shift_jis", "euc", "iso2022", "tis")
_CP1252_UNDEFINED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}  # surrogateescape'd byte -> U+0081 …


def _codec(charset: str, name: str) -> str:
    """Python's codec for a declared charset; an unknown name is refused."""
    try:
        codec = codecs.lookup(_BROWSER_LABELS.get(charset.lower(), charset)).name
    except (LookupError, ValueError):
        raise InputError(f"{name} declares an unknown charset {charset!r}") from None
    # Python's other codecs are no web charsets: "unicode_escape" rewrote the text, "punycode" failed.
    if not codec.startswith(_WEB_CODECS):
        raise InputError(f"{name} declares the charset {charset!r}, which is not one of the web's text encodings")
    # Browsers read Latin-1 and ASCII labels as Windows-1252, which servers often mean (curly quotes at 0x93/0x94).
    return "cp1252" if codec in ("iso8859-1", "ascii") else codec


def _encoding(data: bytes, name: str, charset: str | None, html: bool) -> tuple[str, str]:
    """(charset to name in errors, Python codec): a byte-order mark first (it outranks any declaration, as in
    browsers), then the charset declared over HTTP, then an HTML page's <meta charset>, else UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return "UTF-8", "utf-8-sig"  # drops the BOM: it is not text
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16", "utf-16"  # takes the byte order from the BOM and drops it
    if charset is not None:
        return charset, _codec(charset, name)
    if html and (meta := _META_CHARSET.search(_head(data)) or _XML_ENCODING.match(data)):
        declared = meta.group(1).decode("ascii")
        codec = _codec(declared, name)
        # The tag was readable as ASCII, so the page is not UTF-16 whatever it says (browsers assume the same).
        return ("UTF-8", "utf-8") if codec.startswith(("utf-16", "utf-32")) else (declared, codec)
    return "UTF-8", "utf-8"


def _head(data: bytes) -> bytes:
    """Where a page declares its charset: the head (at most its first 16 KB, as long preload lists push the
    tag far down), comments left out (a commented-out tag declares nothing)."""
    head = _COMMENT.sub(b"", data[:16384])
    end = _HEAD_END.search(head)
    return head[: end.start()] if end else head


def decode_bytes(data: bytes, name: str, charset: str | None = None, html: bool = False) -> str:
    """The bytes' text; `html` says they are a page, whose <meta charset> then counts."""
    if len(data) > MAX_BYTES:  # standard input is read only to one byte past the limit: its size is unknown
        raise InputError(f"{name} is larger than the limit of {MAX_BYTES:,} bytes")
    if not data.strip():
        raise InputError(f"{name} is empty: there is no text to analyse")
    label, codec = _encoding(data, name, charset, html)
    wide = codec.startswith(("utf-16", "utf-32"))  # NUL bytes are normal there: look at the decoded text instead
    if not wide and looks_binary(data):
        raise InputError(f"{name} looks like a binary file, not text or HTML")
    try:
        if codec == "cp1252":  # as browsers read it: the five bytes it leaves undefined are the C1 controls of that value
            text = data.decode(codec, "surrogateescape").translate(_CP1252_UNDEFINED)
        else:
            text = data.decode(codec)
    except LookupError:  # base64, rot13, zlib …: Python codecs, but not charsets
        raise InputError(f"{name} declares an unknown charset {label!r}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{name} is not valid {label} (byte {error.start}); convert it to UTF-8 first") from None
    except UnicodeError:  # a codec's own failure, not at a byte
        raise InputError(f"{name} is not valid {label}; convert it to UTF-8 first") from None
    if wide and looks_binary(text):
        raise InputError(f"{name} looks like a binary file, not text or HTML")
    return text


def looks_like_html(data: bytes, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    start = data[:1024]
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # judge the characters, not UTF-16's bytes
        start = start.decode("utf-16", "ignore").encode("utf-8", "ignore")
    return bool(_HTML_HINT.match(start.removeprefix(codecs.BOM_UTF8)))


def from_bytes(data: bytes, name: str, url: str | None = None, charset: str | None = None, html: bool | None = None) -> Article:
    """`charset` is the one declared with the bytes (HTTP Content-Type), if any; `html` says whether they
    are a page (None: judged from the name and the first bytes)."""
    if html is None:
        html = looks_like_html(data, name)
    text = decode_bytes(data, name, charset, html)
    if html:
        return from_html(text, url=url, source=None if url else name)
    return from_text(text, source=None if url else name, url=url)


def from_file(path: str | Path) -> Article:
    path = Path(path)
    # A name with bytes that are not UTF-8 (surrogate escapes in Python) is shown, and kept as the
    # source, with replacement characters: it could not be written to JSON or a terminal otherwise.
    name = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        if not path.exists():
            raise InputError(f"{name}: no such file")
        if path.is_dir():
            raise InputError(f"{name} is a folder; give a file, a URL or -")
        status = path.stat()
        if stat.S_ISFIFO(status.st_mode):  # a named pipe, or /dev/stdin on a pipe
            data = _read_pipe(path, name)
        elif status.st_size > MAX_BYTES:
            raise InputError(f"{name} is {status.st_size:,} bytes; the limit is {MAX_BYTES:,}")
        else:
            with open(path, "rb") as handle:  # one byte past the limit: a device (/dev/zero) has no size to check
                data = handle.read(MAX_BYTES + 1)
    except OSError as error:  # a name too long, a link loop, no permission
        raise InputError(f"{name}: {error.strerror or error}") from None
    return from_bytes(data, name)


def _read_pipe(path: Path, name: str) -> bytes:
    """A pipe's bytes, up to one past the limit. Opened without waiting for a writer (a plain open waits
    for ever when none comes), then given PIPE_WAIT seconds to start writing or to close."""
    wait = PIPE_WAIT
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        ready, _, _ = select.select([handle], [], [], wait)
        if not ready:
            raise InputError(f"{name} is a named pipe and nothing wrote to it within {wait:g} s")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = handle.read(MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)


def from_stdin() -> Article:
    if sys.stdin is None:  # started with standard input closed
        raise InputError("standard input is closed: there is nothing to read")
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    return from_bytes(data, "standard input")
