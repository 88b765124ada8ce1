import pytest

from spinlens import ingest
from spinlens.errors import FetchError, InputError

from conftest import FIXTURES, PROPAGANDA
from servers import serve


def test_text_is_kept_exactly():
    assert ingest.from_text(PROPAGANDA).text == PROPAGANDA


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("café au lait for everyone".encode("latin-1"), "not valid UTF-8"),
        (b"<html><body><p>unclosed <b>tags <script>alert(1)</script>", "no article text"),
        ("Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Rechte der Mieter stärken soll. "
         "Die Opposition kritisierte den Entwurf scharf und sprach von einem Versagen der Regierung.".encode(), "English"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data, message):
    with pytest.raises(InputError, match=message):
        ingest.from_bytes(data, "input.html" if data.startswith(b"<html") else "input.txt")


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(20_000_000)
    with pytest.raises(InputError, match="limit"):
        ingest.from_file(path)


def test_html_main_text_and_metadata():
    article = ingest.from_file(FIXTURES / "article.html")
    assert article.title == "The Great Betrayal of Our Nation"
    assert article.metadata["author"] == "Jane Writer"
    assert "Make no mistake" in article.text
    assert "tracking" not in article.text and "Privacy" not in article.text


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "0.0.0.0", "localhost"])
def test_private_addresses_are_refused(host):
    with pytest.raises(FetchError, match="non-public"):
        ingest.check_address(host, 80)


def test_non_http_urls_are_refused():
    with pytest.raises(FetchError, match="http"):
        ingest.fetch("file:///etc/passwd")


@pytest.fixture
def loopback_allowed(monkeypatch):
    """Let the test server on 127.0.0.1 through, and check every other host as usual."""
    original = ingest.check_address

    def check(host, port, allow_private=False):
        return "127.0.0.1" if host == "127.0.0.1" else original(host, port, allow_private)

    monkeypatch.setattr(ingest, "check_address", check)


def test_url_with_redirect_is_fetched(loopback_allowed):
    with serve() as base:
        article = ingest.from_url(base + "/to-article")
    assert article.url == base + "/article.html"
    assert "Make no mistake" in article.text


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata"])
def test_redirect_to_a_private_address_is_refused(loopback_allowed, path):
    with serve() as base, pytest.raises(FetchError, match="non-public"):
        ingest.fetch(base + path)


def test_oversized_download_is_cut_off(loopback_allowed):
    with serve() as base, pytest.raises(FetchError, match="limit"):
        ingest.fetch(base + "/huge", max_bytes=1_000_000)


def test_http_errors_are_reported(loopback_allowed):
    with serve() as base, pytest.raises(FetchError, match="404"):
        ingest.fetch(base + "/missing")
