"""Text, file, HTML and URL -> Article, refusing what cannot be analysed with a one-line reason."""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .errors import FetchError, InputError
from .types import Article

MAX_BYTES = 5_000_000  # larger inputs are refused: no news article is this long
FETCH_TIMEOUT = 10.0  # seconds, connect and read
MAX_REDIRECTS = 5
MIN_HTML_WORDS = 25  # less than this from a page is navigation or debris, not an article
_HTML_HINT = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# Frequent English function words: a text with almost none of them is not English prose.
_ENGLISH = frozenset(
    "the of and to a in is that for it as was with be by on not he i this are or his from at which but "
    "have an they you were her she there been their one all we has would will said can who more its "
    "had if about what when so no up out than them into could other these some our also after over".split()
)


def check_text(text: str) -> str:
    """Return the text if it can be analysed, else raise InputError."""
    if not text.strip():
        raise InputError("the input is empty: there is no text to analyse")
    if len(text) > MAX_BYTES:
        raise InputError(f"the text is {len(text):,} characters; the limit is {MAX_BYTES:,}")
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) >= 20:
        latin = sum(1 for w in words if w.isascii())
        english = sum(1 for w in words if w in _ENGLISH)
        if latin / len(words) < 0.5 or english / len(words) < 0.08:
            raise InputError("the text does not look like English; spinlens models are trained on English news")
    return text


def from_text(text: str, title: str | None = None, source: str | None = None) -> Article:
    return Article(check_text(text), title=title, source=source)


def decode_bytes(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    if not data.strip():
        raise InputError(f"{name} is empty: there is no text to analyse")
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InputError(f"{name} looks like a binary file, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name} is not valid UTF-8 (byte {error.start}); convert it to UTF-8 first") from None


def looks_like_html(data: bytes, name: str = "") -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_HINT.match(data[:1024]))


def from_html(html: str, url: str | None = None, source: str | None = None) -> Article:
    """Extract the main text with trafilatura; offsets then refer to that extracted text."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as error:  # trafilatura raises many kinds on broken markup
        raise InputError(f"the HTML could not be parsed: {type(error).__name__}") from None
    if document is None:
        raise InputError("no article text found in the HTML")
    data = document if isinstance(document, dict) else document.as_dict()
    text = data.get("text") or ""
    words = len(_WORD.findall(text))
    if words < MIN_HTML_WORDS:
        raise InputError(f"no article text found in the HTML ({words} words extracted; at least {MIN_HTML_WORDS} needed)")
    metadata = {k: str(data[k]) for k in ("author", "date", "sitename", "hostname", "description") if data.get(k)}
    return Article(check_text(text), title=data.get("title"), url=url, source=source, metadata=metadata)


def from_bytes(data: bytes, name: str, url: str | None = None) -> Article:
    text = decode_bytes(data, name)
    if looks_like_html(data, name):
        return from_html(text, url=url, source=None if url else name)
    return from_text(text, source=name)


def from_file(path: str | Path) -> Article:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file, a URL or -")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{path} is {size:,} bytes; the limit is {MAX_BYTES:,}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: {error.strerror}") from None
    return from_bytes(data, str(path))


def from_stdin() -> Article:
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    return from_bytes(data, "standard input")


def check_address(host: str, port: int, allow_private: bool = False) -> str:
    """Resolve a host and return the address to connect to; refuse hosts that resolve to loopback,
    private, link-local (cloud metadata), multicast or reserved addresses."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"cannot resolve host {host!r}") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not allow_private and (not address.is_global or address.is_multicast):
            raise FetchError(f"refusing to fetch {host}: it resolves to a non-public address ({address})")
        addresses.append(address)
    return str(addresses[0])


def fetch(url: str, allow_private: bool = False, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """GET a URL, following redirects by hand so every hop is checked; returns body and final URL."""
    import httpx

    with httpx.Client(follow_redirects=False, timeout=httpx.Timeout(timeout), headers={"User-Agent": "spinlens"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(f"not an http(s) URL: {url}")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = check_address(parts.hostname, port, allow_private)
            # Connect to the address just checked, not to a second DNS answer (DNS rebinding);
            # the Host header and TLS server name stay those of the URL.
            pinned = parts._replace(netloc=f"[{address}]:{port}" if ":" in address else f"{address}:{port}").geturl()
            extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
            try:
                with client.stream("GET", pinned, headers={"Host": parts.netloc.rsplit("@", 1)[-1]}, extensions=extensions) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{url} answered HTTP {response.status_code}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"{url} is {int(declared):,} bytes; the limit is {max_bytes:,}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            raise FetchError(f"{url} is larger than the limit of {max_bytes:,} bytes")
                    return bytes(body), url
            except httpx.TimeoutException:
                raise FetchError(f"{url} timed out after {timeout:g} s") from None
            except httpx.HTTPError as error:
                raise FetchError(f"cannot fetch {url}: {type(error).__name__}") from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")


def from_url(url: str, allow_private: bool = False) -> Article:
    body, final_url = fetch(url, allow_private=allow_private)
    return from_bytes(body, final_url, url=final_url)


def load(source: str, allow_private: bool = False) -> Article:
    """`-` for stdin, an http(s) URL, or a file path."""
    if source == "-":
        return from_stdin()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        return from_url(source, allow_private=allow_private)
    return from_file(source)
