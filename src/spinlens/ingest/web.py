"""URL -> Article: fetching a public page safely (no private addresses, every redirect checked, the address
pinned against DNS rebinding, limits on size, time and compression)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError
from ..types import Article
from .decode import MAX_BYTES, from_bytes

FETCH_TIMEOUT = 10.0  # seconds, connect and each read
FETCH_DEADLINE = 30.0  # seconds for a whole fetch, redirects included: a server trickling bytes is cut off
MAX_REDIRECTS = 5
# What a fetched page may be served as, besides text/*.
_PAGE_TYPES = ("application/xhtml+xml", "application/xml")


def _resolve(host: str, port: int, timeout: float) -> list[tuple[Any, ...]]:
    """getaddrinfo with a time limit (it has none of its own): the lookup runs on a thread that is left
    to finish alone if it takes too long."""
    from concurrent.futures import Future  # lazy: it imports logging (3 ms at every start); only a fetch needs it

    # A daemon thread, not a pool's: the interpreter waits for a pool's threads at exit, so a stuck
    # resolver kept the process alive long after the error.
    lookup: Future[list[tuple[Any, ...]]] = Future()

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
    import httpx  # lazy: httpx and its TLS stack add about 0.1 s to every start; only a fetch needs it

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
