"""Text, file, HTML and URL -> Article, refusing what cannot be analysed with a one-line reason."""

from __future__ import annotations

import codecs
import ipaddress
import os
import re
import select
import socket
import stat
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from .errors import FetchError, InputError
from .sentences import ENDS_SENTENCE
from .types import Article

MAX_BYTES = 5_000_000  # larger files and downloads are refused unread (a page's markup counts here)
# Larger texts are refused: about 80,000 words, far past any news article. At this size an analysis
# takes about 20 s and 1.8 GB here (docs/benchmarks.md); a 3 MB text passed 8 GB.
MAX_TEXT_CHARS = 500_000
FETCH_TIMEOUT = 10.0  # seconds, connect and each read
FETCH_DEADLINE = 30.0  # seconds for a whole fetch, redirects included: a server trickling bytes is cut off
MAX_REDIRECTS = 5
MIN_HTML_WORDS = 25  # less than this from a page is navigation or debris, not an article
_HTML_HINT = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype html|<html|<head|<body|<meta|<title|<script|<style|<link|<\?xml[^>]*>\s*<html)",
    re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile("[\u0000-\u024f\u1e00-\u1eff]+")  # Basic Latin to Latin Extended-B, Latin Extended Additional
SURROGATE = re.compile("[\ud800-\udfff]")
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.IGNORECASE)  # XHTML
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_HEAD_END = re.compile(rb"<body[\s>]|</head\s*>", re.IGNORECASE)
_STRAY_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_Q_TAG = re.compile(r"<(/?)q(?:\s[^>]*)?>", re.IGNORECASE)
# Labels browsers accept that Python's codecs do not know (the WHATWG Encoding Standard's reading).
_BROWSER_LABELS = {"x-user-defined": "windows-1252", "unicode": "utf-16le"}
# What a fetched page may be served as, besides text/*.
_PAGE_TYPES = ("application/xhtml+xml", "application/xml")
# Python codec names (prefixes) of the encodings web pages are written in.
_WEB_CODECS = ("utf-8", "utf-16", "utf-32", "ascii", "iso8859", "cp125", "cp866", "cp874", "cp932", "cp949",
               "cp950", "koi8", "mac-", "gb", "big5", "shift_jis", "euc", "iso2022", "tis")
# Control characters but tab and newline (C0, DEL, C1): nobody's search text, and a terminal obeys them.
CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))
_CP1252_UNDEFINED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}  # surrogateescape'd byte -> U+0081 …
_NOT_ENGLISH = "the text does not look like English; spinlens models are trained on English news"
# Frequent English function words: a text with almost none of them is not English prose.
_ENGLISH = frozenset(
    "the of and to a in is that for it as was with be by on not he i this are or his from at which but "
    "have an they you were her she there been their one all we has would will said can who more its "
    "had if about what when so no up out than them into could other these some our also after over".split()
)
# Frequent function words of the languages most often mistaken for English (German, French, Spanish,
# Italian, Portuguese, Dutch), without the ones English shares ("in", "a", "is", "per" …): a short text
# gives the English list too few words to judge, these say what it is instead.
_FOREIGN = frozenset(
    "der die das und ist nicht ein eine einen einem mit von dem des zu auf für sich auch wird werden sind hat "
    "le la les et est une des du dans qui sur au aux ce cette sont avec pas "
    "el los las y es por una del con para se lo su como pero más "
    "il di che è gli della sono non ha per sul dal nel nella alla anche più questo questa hanno stato tutti dei delle "
    "os da do em não uma com são também mas foi pela pelo está ao às dos das um "
    "de het een en van niet op zijn dat te met voor ook als aan maar wordt heeft "
    "się nie że jest od dla jak już ale przez oraz jego które był była są być "
    "ve bir bu için ile olarak çok daha gibi olan değil ama "
    "và của là các có được trong cho không những một người này đã với".split()
)


def check_text(text: str) -> str:
    """Return the text if it can be analysed, else raise InputError."""
    if not text.strip():
        raise InputError("the input is empty: there is no text to analyse")
    if not any(map(str.isalnum, text)):  # zero-width spaces, a byte-order mark, punctuation
        raise InputError("the input holds no letters or digits: there is no text to analyse")
    check_processable(text)
    # Letters, not words: Chinese and Japanese have no spaces, so they would give too few words to judge.
    letters = sum(map(str.isalpha, text))
    if letters >= 10 and sum(map(str.isalpha, _LATIN.sub("", text))) > letters / 2:
        raise InputError(_NOT_ENGLISH)
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(1 for w in words if w in _ENGLISH)
    if len(words) >= 20:
        latin = sum(1 for w in words if w.isascii())
        if latin / len(words) < 0.5 or english / len(words) < 0.08:
            raise InputError(_NOT_ENGLISH)
    foreign = sum(1 for w in words if w in _FOREIGN)
    if len(words) >= 6 and foreign >= 3 and foreign > 2 * english:  # names alone ("Las Vegas", "El Paso") are not enough
        raise InputError(_NOT_ENGLISH)
    return text


def check_processable(text: str) -> None:
    """Raise InputError for a text no stage should be given, whoever built it: over the length limit
    (memory grows with it), with lone surrogates, or binary."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"the text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    check_unicode(text)
    # Text given as a string (JSON, the library) never met the byte check of files.
    if _looks_binary(text):
        raise InputError("the text holds control characters (NUL …): it looks like binary data, not text")


def check_unicode(text: str) -> None:
    """Raise InputError for lone surrogates (possible in JSON strings and Python literals): they cannot
    be encoded, so every later stage would fail on them."""
    if surrogate := SURROGATE.search(text):
        raise InputError(
            f"the text holds a lone surrogate (U+{ord(surrogate.group()):04X}) at character {surrogate.start()}: it is not valid Unicode"
        )


def from_text(text: str, title: str | None = None, source: str | None = None, url: str | None = None) -> Article:
    return Article(check_text(text), title=title, url=url, source=source)


def _looks_binary(data: bytes | str) -> bool:
    """A NUL anywhere, or many control codes in the first 8 KB."""
    if (b"\x00" if isinstance(data, bytes) else "\x00") in data:
        return True
    sample = data[:8192]
    codes = sample if isinstance(sample, bytes) else [ord(c) for c in sample]
    return sum(1 for c in codes if c < 32 and c not in (9, 10, 12, 13)) > len(codes) * 0.05


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
    if not wide and _looks_binary(data):
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
    if wide and _looks_binary(text):
        raise InputError(f"{name} looks like a binary file, not text or HTML")
    return text


def looks_like_html(data: bytes, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    start = data[:1024]
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # judge the characters, not UTF-16's bytes
        start = start.decode("utf-16", "ignore").encode("utf-8", "ignore")
    return bool(_HTML_HINT.match(start.removeprefix(codecs.BOM_UTF8)))


def from_html(html: str, url: str | None = None, source: str | None = None) -> Article:
    """Extract the main text with trafilatura; offsets then refer to that extracted text."""
    import trafilatura

    # What browsers do and lxml does not: a stray </body> or </html> mid-page ends nothing (lxml dropped
    # every paragraph after it), and <q> shows its quotation marks (lxml's text lost them).
    html = _STRAY_END.sub("", html)
    html = _Q_TAG.sub(lambda m: "”" if m.group(1) else "“", html)
    try:
        # htmldate's fast mode: dates from markup (meta tags, JSON-LD, <time>, the URL) but no guessing from free
        # text, where a footer's "© 2024" would become 2024-01-01; original_date prefers publication to update.
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura raises many kinds on broken markup
        raise InputError(f"the HTML could not be parsed: {type(error).__name__}") from None
    if document is None:
        raise InputError("no article text found in the HTML")
    data = document if isinstance(document, dict) else document.as_dict()
    text = data.get("text") or ""
    words = len(_WORD.findall(text))
    if words < MIN_HTML_WORDS:
        raise InputError(f"no article text found in the HTML ({words} words extracted; at least {MIN_HTML_WORDS} needed)")
    # Menus, captions and lists of links add up to many words without one sentence of prose (a page with
    # only a headline, a photo gallery); every text of PTC and PolNeAR has such a sentence.
    if not any(len(_WORD.findall(line)) >= 10 and ENDS_SENTENCE.search(line) for line in text.splitlines()):
        raise InputError("no article text found in the HTML (no line of 10 words or more ending a sentence: menus, captions or links only)")
    metadata = {k: str(data[k]) for k in ("author", "date", "sitename", "hostname", "description") if data.get(k)}
    return Article(check_text(text), title=data.get("title"), url=url, source=source, metadata=metadata)


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


PIPE_WAIT = 10.0  # seconds a named pipe may keep us waiting for its first byte (or its end)


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


def _resolve(host: str, port: int, timeout: float) -> list:
    """getaddrinfo with a time limit (it has none of its own): the lookup runs on a thread that is left
    to finish alone if it takes too long."""
    from concurrent.futures import Future

    # A daemon thread, not a pool's: the interpreter waits for a pool's threads at exit, so a stuck
    # resolver kept the process alive long after the error.
    lookup: Future = Future()

    def resolve() -> None:
        try:
            lookup.set_result(socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP))
        except BaseException as error:
            lookup.set_exception(error)

    threading.Thread(target=resolve, daemon=True).start()
    try:
        return lookup.result(timeout=timeout)
    except TimeoutError:
        raise FetchError(f"looking up host {host!r} took longer than {timeout:g} s") from None
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"cannot resolve host {host!r}") from None


def check_address(host: str, port: int, allow_private: bool = False, timeout: float = FETCH_TIMEOUT) -> str:
    """Resolve a host and return the address to connect to; refuse hosts that resolve to loopback,
    private, link-local (cloud metadata), multicast or reserved addresses."""
    infos = _resolve(host, port, timeout)
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        # A NAT64 address (DNS64 gives one for every IPv4 host on an IPv6-only network) is what it embeds.
        judged = _embedded_ipv4(address) if address in _NAT64 else (address, *_embedded_ipv4(address))
        if not allow_private and not all(map(_public, judged)):
            raise FetchError(f"refusing to fetch {host}: it resolves to a non-public address ({address})")
        addresses.append(address)
    return str(addresses[0])


# IETF protocol assignments: Python counts most of them as global, though none is a web server.
_PROTOCOL_ASSIGNMENTS = ipaddress.ip_network("192.0.0.0/24")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (address.is_global and not address.is_multicast and not address.is_reserved
            and address not in _PROTOCOL_ASSIGNMENTS)


def _embedded_ipv4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses that an IPv6 address reaches through a translator or tunnel (NAT64, 6to4, Teredo,
    IPv4-compatible): on such a network "[64:ff9b::a00:1]" is 10.0.0.1."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    low = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    embedded = [low] if address in _NAT64 or int(address) >> 32 == 0 else []
    if address.sixtofour:
        embedded.append(address.sixtofour)
    if address.teredo:
        embedded.extend(address.teredo)
    return embedded


def _too_slow(url: str) -> FetchError:
    return FetchError(f"{url} took longer than {FETCH_DEADLINE:g} s to download")


class Download(NamedTuple):
    body: bytes
    url: str  # after redirects
    charset: str | None  # as the Content-Type declares it, if it does
    media_type: str | None  # the Content-Type without parameters, lower case


def fetch(url: str, allow_private: bool = False, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_BYTES) -> Download:
    """GET a URL, following redirects by hand so every hop is checked."""
    import httpx

    deadline = time.monotonic() + FETCH_DEADLINE
    asked = url
    with httpx.Client(follow_redirects=False, headers={"User-Agent": "spinlens"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                parts = urlsplit(url)
                # The ASCII (IDNA) host is what DNS resolves and what the Host header and TLS must carry.
                host = (parts.hostname or "").encode("idna").decode("ascii")
                port = parts.port if parts.port is not None else 443 if parts.scheme == "https" else 80
            except ValueError as error:  # port out of range or not a number, unclosed IPv6 bracket, bad IDN label
                raise FetchError(f"not a valid URL: {url} ({error})") from None
            if parts.scheme not in ("http", "https"):
                raise FetchError(f"not an http(s) URL: {url}")
            if not host:
                raise FetchError(f"not a valid URL: {url} (no host)")
            if parts.username is not None or parts.password is not None:
                # The request would not send them, and the report's URL would keep them.
                raise FetchError("a URL with a user name or password is refused: spinlens fetches public pages only")
            address = check_address(host, port, allow_private, timeout=max(0.001, min(timeout, deadline - time.monotonic())))
            # Connect to the address just checked, not to a second DNS answer (DNS rebinding);
            # the Host header and TLS server name stay those of the URL.
            pinned = parts._replace(netloc=f"[{address}]:{port}" if ":" in address else f"{address}:{port}").geturl()
            host_header = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port is not None else "")
            extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
            # Each read waits at most `timeout`, and never past the deadline of the whole fetch.
            wait = min(timeout, deadline - time.monotonic())
            if wait <= 0:
                raise _too_slow(url)
            try:
                with client.stream("GET", pinned, headers={"Host": host_header}, extensions=extensions, timeout=wait) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if not location.strip():  # a 304, or a redirect that says not where
                            raise FetchError(f"{url} answered HTTP {response.status_code} without a page or a place to go")
                        try:
                            url = urljoin(url, location)
                        except ValueError:  # httpx accepts some that urllib does not, such as "http://a]b/"
                            raise FetchError(f"{url} redirects to an invalid URL: {location}") from None
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{url} answered HTTP {response.status_code}")
                    # One layer of compression at most: each further one multiplies what a chunk inflates to
                    # (4 KB of gzip inside gzip became 2 GB in memory before the size limit could look).
                    encodings = [e.strip() for e in response.headers.get("content-encoding", "").split(",") if e.strip() not in ("", "identity")]
                    if len(encodings) > 1:
                        raise FetchError(f"{url} is compressed more than once ({', '.join(encodings)}); refused")
                    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower() or None
                    if media_type and not (media_type.startswith("text/") or media_type in _PAGE_TYPES):
                        raise FetchError(f"{url} is {media_type}, not a text or HTML page")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"{url} is {int(declared):,} bytes; the limit is {max_bytes:,}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            raise FetchError(f"{url} is larger than the limit of {max_bytes:,} bytes")
                        if time.monotonic() > deadline:
                            raise _too_slow(url)
                    return Download(bytes(body), url, response.charset_encoding, media_type)
            except httpx.TimeoutException:
                if wait < timeout:  # the deadline, not a slow read, cut it off
                    raise _too_slow(url) from None
                raise FetchError(f"{url} timed out after {timeout:g} s") from None
            except httpx.InvalidURL as error:  # what urllib lets through, such as control characters
                raise FetchError(f"not a valid URL: {url} ({error})") from None
            except httpx.HTTPError as error:
                raise FetchError(f"cannot fetch {url}: {type(error).__name__}") from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {asked}")


def from_url(url: str, allow_private: bool = False) -> Article:
    download = fetch(url, allow_private=allow_private)
    # The server's word decides; many pages open with a comment or a script, not with <html>.
    html = download.media_type in ("text/html", "application/xhtml+xml") or None
    return from_bytes(download.body, download.url, url=download.url, charset=download.charset, html=html)


def load(source: str, allow_private: bool = False) -> Article:
    """`-` for stdin, an http(s) URL, or a file path."""
    if source == "-":
        return from_stdin()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        return from_url(source, allow_private=allow_private)
    return from_file(source)
