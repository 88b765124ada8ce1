"""The web app and REST API, through FastAPI's test client, on SQLite and (where one runs) PostgreSQL."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from conftest import FIXTURES, PROPAGANDA
from servers import serve
from spinlens.ingest import web
from spinlens.server.app import create_app

POSTGRES = os.environ.get("SPINLENS_TEST_POSTGRES")  # e.g. postgresql+psycopg://postgres@127.0.0.1/spinlens_test
DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES else [])


def database_url(kind, tmp_path):
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES)
    with engine.begin() as connection:  # a clean schema for each test
        for table in ("fragments", "attributions", "inputs", "articles", "meta"):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    engine.dispose()
    return POSTGRES


def ready_client(app):
    client = TestClient(app)
    deadline = time.time() + 60
    while client.get("/healthz").status_code != 200:
        assert time.time() < deadline, "models did not load"
        time.sleep(0.1)
    return client


@pytest.fixture(params=DATABASES)
def client(request, tmp_path):
    return ready_client(create_app(database_url(request.param, tmp_path)))


def test_analyse_store_and_fetch_again(client):
    first = client.post("/api/analyze", json={"text": PROPAGANDA, "outlet": "example.org", "published": "2018-11-02"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["schema"] == "spinlens/analysis/v2" and body["techniques"] and body["cached"] is False
    # The same text again: no second row; what the row lacks (the title) is filled, nothing overwritten.
    again = client.post("/api/analyze", json={"text": PROPAGANDA, "title": "T2", "outlet": "other.org"})
    assert again.json()["id"] == body["id"] and again.json()["cached"] is True
    assert client.get("/healthz").json()["articles"] == 1
    assert again.json()["title"] == "T2"  # the filled title shows, here and below (it was null)
    stored = client.get(f"/api/articles/{body['id']}").json()
    assert stored["text"] == PROPAGANDA and (stored["outlet"], stored["title"]) == ("example.org", "T2")
    (listed,) = client.get("/api/articles").json()["items"]
    assert (listed["title"], listed["outlet"], listed["published"]) == ("T2", "example.org", "2018-11-02")
    assert client.delete(f"/api/articles/{body['id']}").status_code == 200
    assert client.get(f"/api/articles/{body['id']}").status_code == 404
    # An id is a link: a deleted article's id is not given to the next one.
    other = client.post("/api/analyze", json={"text": PROPAGANDA + " And again."}).json()
    assert other["id"] > body["id"]


def test_errors_are_json_with_the_right_status(client):
    assert client.post("/api/analyze", json={}).status_code == 422
    assert client.post("/api/analyze", json={"text": "a", "url": "http://x"}).status_code == 422
    assert client.post("/api/analyze", json={"text": "   "}).status_code == 400
    for published in ("2020-02-30", "2020-02-03T00:00:00", 0, "yesterday"):  # the rule corpus runs follow too
        assert client.post("/api/analyze", json={"text": PROPAGANDA, "published": published}).status_code == 422, published
    lone_surrogate = b'{"text": "The minister said \\ud800 the plan had failed."}'  # valid JSON, not valid Unicode
    assert client.post("/api/analyze", content=lone_surrogate, headers={"content-type": "application/json"}).status_code == 400
    for url in ("http://127.0.0.1:8000/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "file:///etc/passwd",
                "http://example.org:99999/"):
        response = client.post("/api/analyze", json={"url": url})
        assert response.status_code == 400, url
        assert "error" in response.json()
    huge = client.post("/api/analyze", content=b'{"text": "' + b"a" * 3_000_000 + b'"}', headers={"content-type": "application/json"})
    assert huge.status_code == 413 and "limit" in huge.json()["error"]
    assert client.get("/api/articles/999").status_code == 404
    assert client.get("/api/stats?group_by=nonsense").status_code == 422


def test_redirect_to_a_private_address_is_refused(client, monkeypatch):
    original = web.check_address
    monkeypatch.setattr(web, "check_address", lambda host, port, allow_private=False, **kwargs: "127.0.0.1" if host == "127.0.0.1" else original(host, port, allow_private, **kwargs))
    with serve() as base:
        assert client.post("/api/analyze", json={"url": base + "/to-private"}).status_code == 400
        assert client.post("/api/analyze", json={"url": base + "/to-metadata"}).status_code == 400
        fetched = client.post("/api/analyze", json={"url": base + "/to-article"})
    assert fetched.status_code == 200 and fetched.json()["url"] == base + "/article.html"


def test_scripts_in_articles_are_shown_as_text(client):
    html = "<html><body><article>" + "<p>The corrupt elite lies to every honest family in this great nation.</p>" * 6 + \
           "<p>Evil &lt;script&gt;alert('x')&lt;/script&gt; must be stopped now, or we are all doomed forever.</p></article></body></html>"
    response = client.post("/api/analyze", json={"html": html})
    assert response.status_code == 200, response.text
    page = client.get(f"/articles/{response.json()['id']}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_listing_filters_pagination_and_stats(client):
    texts = [f"Article {i}: {PROPAGANDA}" for i in range(5)]  # with fragments at the default threshold
    for i, text in enumerate(texts):
        outlet = "a.example" if i % 2 else "b.example"
        assert client.post("/api/analyze", json={"text": text, "outlet": outlet, "published": f"2020-01-0{i + 1}"}).status_code == 200
    page = client.get("/api/articles?limit=2").json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = client.get(f"/api/articles?limit=10&cursor={page['next_cursor']}").json()
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    assert {i["id"] for i in page["items"]}.isdisjoint({i["id"] for i in rest["items"]})
    assert len(client.get("/api/articles?outlet=a.example").json()["items"]) == 2
    assert len(client.get("/api/articles?since=2020-01-02&until=2020-01-03").json()["items"]) == 2
    assert len(client.get("/api/articles?q=article%203").json()["items"]) == 1
    by_outlet = {g["group"]: g for g in client.get("/api/stats?group_by=outlet").json()["groups"]}
    assert by_outlet["a.example"]["articles"] == 2 and by_outlet["b.example"]["articles"] == 3
    assert by_outlet["a.example"]["density_per_1000_words"] > 0
    days = client.get("/api/stats?group_by=day").json()["groups"]
    assert [d["group"] for d in days] == [f"2020-01-0{i}" for i in range(1, 6)]
    techniques = client.get("/api/stats?group_by=technique").json()["groups"]
    assert sum(t["fragments"] for t in techniques) == sum(g["fragments"] for g in by_outlet.values())
    technique = techniques[0]["group"]
    assert client.get(f"/api/articles?technique={technique}").json()["items"]


def test_pages_work_without_javascript(client):
    home = client.get("/")
    assert home.status_code == 200 and 'action="/analyze"' in home.text and "<script src" not in home.text
    posted = client.post("/analyze", data={"text": PROPAGANDA}, follow_redirects=False)
    assert posted.status_code == 303
    article = client.get(posted.headers["location"])
    assert 'class="frag"' in article.text
    upload = client.post("/analyze", files={"file": ("story.html", (FIXTURES / "article.html").read_bytes(), "text/html")}, follow_redirects=False)
    assert upload.status_code == 303
    assert client.post("/analyze", data={"text": ""}).status_code == 400
    corpus = client.get("/corpus")
    assert corpus.status_code == 200 and "<svg" in corpus.text and "http://" not in corpus.text.replace('href="/', "")
    assert client.get("/corpus?since=yesterday").status_code == 400
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/analyze" in docs.text and "POST" in docs.text
    assert "http://" not in docs.text and "https://" not in docs.text  # no CDN script or stylesheet
    assert client.get("/openapi.json").json()["paths"]


def test_503_while_models_load(tmp_path):
    release = threading.Event()

    def slow_analyzer():
        release.wait(30)
        from spinlens import Analyzer

        return Analyzer()

    client = TestClient(create_app(f"sqlite:///{tmp_path / 'slow.db'}", analyzer_factory=slow_analyzer))
    assert client.get("/healthz").status_code == 503
    assert client.post("/api/analyze", json={"text": PROPAGANDA}).status_code == 503
    release.set()


@pytest.mark.skipif(not POSTGRES, reason="no PostgreSQL server (set SPINLENS_TEST_POSTGRES)")
def test_sqlite_and_postgresql_give_the_same_stats(tmp_path):
    texts = [f"Story {i}: officials said the disgraceful, corrupt plan {i} would destroy the nation." for i in range(200)]
    results = {}
    for kind in ("sqlite", "postgresql"):
        client = ready_client(create_app(database_url(kind, tmp_path)))
        for i, text in enumerate(texts):
            assert client.post("/api/analyze", json={"text": text, "outlet": f"o{i % 3}", "published": f"2020-02-{i % 28 + 1:02d}"}).status_code == 200
        results[kind] = [client.get(f"/api/stats?group_by={g}").json() for g in ("outlet", "technique", "day")]
        assert client.get("/healthz").json()["articles"] == 200
    assert results["sqlite"] == results["postgresql"]


HUGE = "9" * 24  # beyond SQLite's 64-bit integers (was an OverflowError, a plain-text 500)


def test_numbers_no_article_can_have_are_404_and_bad_cursors_422(client):
    for path in (f"/api/articles/{HUGE}", f"/api/articles/{2**63 - 1}", f"/api/articles/{2**31}", "/api/articles/-1"):
        assert client.get(path).status_code == 404, path
        assert client.delete(path).status_code == 404, path
    for path in (f"/articles/{HUGE}", f"/articles/{'9' * 5000}", "/articles/abc", "/articles/-1"):
        page = client.get(path)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html"), path
    for cursor in (HUGE, "0", "abc"):
        assert client.get(f"/api/articles?cursor={cursor}").status_code == 422, cursor
        page = client.get(f"/corpus?cursor={cursor}")
        assert page.status_code == 400 and page.headers["content-type"].startswith("text/html"), cursor
    # the largest cursor SQLite can hold (past PostgreSQL's 32-bit ids) lists from the newest
    assert client.post("/api/analyze", json={"text": PROPAGANDA}).status_code == 200
    assert len(client.get(f"/api/articles?cursor={2**63 - 1}").json()["items"]) == 1
    assert client.get(f"/corpus?cursor={2**63 - 1}").status_code == 200


def test_search_is_literal_and_looks_at_the_text_only(client):
    texts = ["Prices rose by 50% after the corrupt officials lied to the honest people again.",
             "The disgraceful regime lied again to the honest people of this great nation."]
    for text in texts:
        assert client.post("/api/analyze", json={"text": text}).status_code == 200

    def found(q):
        return len(client.get("/api/articles", params={"q": q}).json()["items"])

    assert found("50%") == 1 and found("%") == 1 and found("honest") == 2
    for q in ("_", "50_", "technique", '"score"'):  # a wildcard, or the stored JSON's keys
        assert found(q) == 0, q
    assert "No articles match" in client.get("/corpus", params={"q": "_"}).text


def test_search_ignores_case_beyond_ascii(client):
    text = "The officials at the Élysée lied again to the honest people of this great nation."
    assert client.post("/api/analyze", json={"text": text, "title": "À propos du palais"}).status_code == 200

    def found(q):
        return len(client.get("/api/articles", params={"q": q}).json()["items"])

    for q in ("Élysée", "élysée", "ÉLYSÉE", "à PROPOS"):  # SQLite's own lower() folds ASCII only
        assert found(q) == 1, q
    assert "No articles match" not in client.get("/corpus", params={"q": "ÉLYSÉE"}).text


def test_a_search_with_control_characters_is_refused(client):
    assert client.post("/api/analyze", json={"text": PROPAGANDA}).status_code == 200
    for q in ("\x00", "nation\x00", "\x1b", "\r"):  # a NUL used to match every article
        for path in ("/api/articles", "/api/stats"):
            response = client.get(path, params={"q": q})
            assert response.status_code == 422 and "control characters" in response.json()["error"], (path, q)
        page = client.get("/corpus", params={"q": q})
        assert page.status_code == 400 and "control characters" in page.text, q
    assert client.get("/api/articles", params={"q": "great\tnation\n"}).status_code == 200


def test_dates_are_only_taken_written_yyyy_mm_dd(client):
    assert client.post("/api/analyze", json={"text": PROPAGANDA, "published": "2020-01-05"}).status_code == 200
    # a Unix timestamp (pydantic read it as 2020-01-01), forms date.fromisoformat takes, an impossible day
    for value in ("1577836800", "20200105", "2020-W01-1", "2020-01-05T00:00", "2020-02-30"):
        for name in ("since", "until"):
            for path in ("/api/articles", "/api/stats"):
                response = client.get(path, params={name: value})
                assert response.status_code == 422 and "YYYY-MM-DD" in response.json()["error"], (path, name, value)
            page = client.get("/corpus", params={name: value})
            assert page.status_code == 400 and "YYYY-MM-DD" in page.text, (name, value)
    assert len(client.get("/api/articles", params={"since": "2020-01-05", "until": "2020-01-05"}).json()["items"]) == 1
    assert client.get("/corpus", params={"since": "", "until": "2020-01-05"}).status_code == 200  # a blank form field


def test_unknown_technique_is_an_error_that_lists_the_labels(client):
    for path in ("/api/articles?technique=Bogus", "/api/stats?technique=Bogus"):
        response = client.get(path)
        assert response.status_code == 422 and "Loaded_Language" in response.json()["error"], path
    page = client.get("/corpus?technique=Bogus")
    assert page.status_code == 400 and "Loaded_Language" in page.text
    assert client.get("/api/articles?technique=Doubt").status_code == 200


def test_the_analyse_form_answers_in_html(client):
    html = "text/html"
    too_big = client.post("/analyze", data={"text": "a" * 3_000_000})
    assert too_big.status_code == 413 and too_big.headers["content-type"].startswith(html) and "limit" in too_big.text
    story = ("story.txt", PROPAGANDA.encode(), "text/plain")
    for data, files in (({"text": PROPAGANDA}, {"file": story}), ({"text": PROPAGANDA, "url": "https://example.org/"}, None),
                        ({"url": "https://example.org/"}, {"file": story}), ({"text": "  "}, None)):
        response = client.post("/analyze", data=data, files=files, follow_redirects=False)
        assert response.status_code == 400 and "Give one of text, URL or file" in response.text, data
    assert client.get("/healthz").json()["articles"] == 0
    assert client.post("/analyze", files={"file": story}, follow_redirects=False).status_code == 303
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(html)
    assert client.get("/api/no-such-endpoint").json() == {"error": "Not Found"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# `spinlens`, with Ctrl+C (SIGINT) raising KeyboardInterrupt as in a terminal, even where the tests
# were started in the background (where SIGINT is ignored, and a child inherits that).
SPINLENS_WITH_CTRL_C = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); from spinlens.cli import main; main()"


def spinlens_serve(tmp_path, *args):
    command = [sys.executable, "-c", SPINLENS_WITH_CTRL_C, "serve", "--db", f"sqlite:///{tmp_path / 'serve.db'}", *map(str, args)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_ready(server, port):
    """Until the `spinlens serve` process answers /healthz with 200 (its models loaded); fails if it ends first."""
    deadline = time.time() + 90
    while True:
        assert time.time() < deadline and server.poll() is None, "the server did not start"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)


def test_serve_on_a_port_in_use_or_out_of_range_is_a_one_line_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = spinlens_serve(tmp_path, "--port", taken.getsockname()[1])
        _, err = server.communicate(timeout=60)
    assert server.returncode == 2 and err.decode().startswith("spinlens: error: cannot listen on") and err.count(b"\n") == 1
    server = spinlens_serve(tmp_path, "--port", "70000")
    _, err = server.communicate(timeout=60)
    assert server.returncode == 2 and b"65535" in err and b"Traceback" not in err


def test_exit_while_models_load_is_clean(tmp_path):
    # The loading thread was a daemon: an exit while it ran inside onnxruntime aborted the process
    # (SIGABRT, "terminate called without an active exception"), as `serve` did on a port in use.
    script = f"from spinlens.server.app import create_app; create_app('sqlite:///{tmp_path / 'exit.db'}')"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == 0 and b"terminate called" not in result.stderr, result.stderr.decode()


def test_serve_stops_cleanly_on_ctrl_c(tmp_path):
    port = free_port()
    server = spinlens_serve(tmp_path, "--port", port)
    try:
        wait_until_ready(server, port)
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    finally:
        server.kill()
    assert server.returncode == 0 and b"Traceback" not in err and b"terminate called" not in err, err.decode()


def test_serve_keeps_what_its_thresholds_keep(tmp_path):
    # The web app's analyses are stored with the server's thresholds; a request can only ask for fewer, so
    # `serve` is where a deployment chooses to keep more than the defaults (0.5 and 0.4).
    bad = spinlens_serve(tmp_path, "--min-probability", "1.5")
    _, err = bad.communicate(timeout=60)
    assert bad.returncode == 2 and err.decode() == "spinlens: error: --min-probability must be a probability from 0 to 1, not 1.5\n"
    port = free_port()
    server = spinlens_serve(tmp_path, "--port", port, "--min-probability", "0.2", "--min-attribution-score", "0.1")
    try:
        wait_until_ready(server, port)
        body = httpx.post(f"http://127.0.0.1:{port}/api/analyze", json={"text": PROPAGANDA}, timeout=60).json()
        assert body["model"]["min_probability"] == "0.2" and body["model"]["min_attribution_score"] == "0.1"
        assert body["techniques"] and min(t["probability"] for t in body["techniques"]) < 0.5
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)


def test_the_article_page_links_only_web_addresses(tmp_path):
    # A stored url (from a JSON Lines or WARC corpus) became <a href="javascript:…"> on the article page.
    from spinlens.store.db import Store
    from spinlens.types import Analysis, Article

    url = f"sqlite:///{tmp_path / 'links.db'}"
    store = Store(url)
    evil, _ = store.add(Analysis(Article(PROPAGANDA, url="javascript:alert(document.cookie)")))
    good, _ = store.add(Analysis(Article(PROPAGANDA + " Again.", url="https://example.org/a?b=1&c=2")))
    client = ready_client(create_app(url))
    page = client.get(f"/articles/{evil}").text
    assert 'href="javascript:' not in page and "javascript:alert(document.cookie)" in page
    assert 'href="https://example.org/a?b=1&amp;c=2"' in client.get(f"/articles/{good}").text


def test_an_overlong_search_is_refused(client):
    # SQLite refuses a LIKE pattern over 50,000 bytes: that was a plain-text 500.
    assert client.post("/api/analyze", json={"text": PROPAGANDA}).status_code == 200
    for q in ("a" * 60_000, "é" * 1_001):
        for path in ("/api/articles", "/api/stats"):
            response = client.get(path, params={"q": q})
            assert response.status_code == 422 and "1,000 characters" in response.json()["error"], path
        page = client.get("/corpus", params={"q": q})
        assert page.status_code == 400 and "1,000 characters" in page.text
    assert client.get("/api/articles", params={"q": "a" * 1_000}).status_code == 200


def test_an_unexpected_error_answers_in_the_usual_shape(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'broken.db'}")
    ready_client(app)
    client = TestClient(app, raise_server_exceptions=False)  # as a server does: answer, then log the error

    def broken(*args):
        raise RuntimeError("secret detail")

    app.state.store.count = app.state.store.get = broken
    response = client.get("/healthz")
    assert response.status_code == 500 and response.json() == {"error": "internal server error"}
    page = client.get("/articles/1")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "secret detail" not in page.text and "Traceback" not in page.text


def test_overlong_outlets_are_refused_and_a_page_outlet_is_cut(client):
    # PostgreSQL refused a value over the outlet column's 200 characters: a 500.
    response = client.post("/api/analyze", json={"text": PROPAGANDA, "outlet": "o" * 201})
    assert response.status_code == 422 and "outlet" in response.json()["error"] and "200" in response.json()["error"]
    form = client.post("/analyze", data={"text": PROPAGANDA, "outlet": "o" * 201})
    assert form.status_code == 422 and form.headers["content-type"].startswith("text/html") and "200" in form.text
    assert client.get("/healthz").json()["articles"] == 0
    assert client.post("/api/analyze", json={"text": PROPAGANDA, "outlet": "o" * 200}).status_code == 200
    # The page's own site name is the page's, not the user's: cut to the column's width.
    body = "".join(f"<p>The corrupt elite lies to every honest family in this great nation, story {i}.</p>" for i in range(6))
    html = f'<html><head><meta property="og:site_name" content="{"S" * 300}"></head><body><article>{body}</article></body></html>'
    stored = client.post("/api/analyze", json={"html": html})
    assert stored.status_code == 200, stored.text
    assert stored.json()["outlet"] == "S" * 200


def test_control_characters_in_titles_and_outlets_are_refused(client):
    # PostgreSQL refuses a NUL in text: these were 500s.
    for name in ("title", "outlet"):
        for value in ("a\x00b", "a\x1bb"):
            response = client.post("/api/analyze", json={"text": PROPAGANDA, name: value})
            assert response.status_code == 422 and "control characters" in response.json()["error"], (name, value)
    form = client.post("/analyze", data={"text": PROPAGANDA, "outlet": "a\x00b"})
    assert form.status_code == 422 and "control characters" in form.text
    assert client.get("/healthz").json()["articles"] == 0
    for path in ("/api/articles", "/api/stats"):
        response = client.get(path, params={"outlet": "a\x00b"})
        assert response.status_code == 422 and "control characters" in response.json()["error"], path
    page = client.get("/corpus", params={"outlet": "a\x00b"})
    assert page.status_code == 400 and "control characters" in page.text
    assert client.post("/api/analyze", json={"text": PROPAGANDA, "title": "a\tb"}).status_code == 200


def test_a_text_deleted_while_it_is_looked_up_is_analysed_again(client):
    first = client.post("/api/analyze", json={"text": PROPAGANDA}).json()["id"]
    assert client.delete(f"/api/articles/{first}").status_code == 200
    store = client.app.state.store
    store.has_text = lambda text: first  # found a moment before it was deleted
    again = client.post("/api/analyze", json={"text": PROPAGANDA})
    assert again.status_code == 200 and again.json()["id"] != first and again.json()["cached"] is False


def test_form_text_is_stored_with_the_line_endings_of_the_api(client):
    # Browsers send a textarea's lines with CRLF: the same article was stored twice.
    text = PROPAGANDA.replace(". ", ".\n")
    posted = client.post("/analyze", data={"text": text.replace("\n", "\r\n")}, follow_redirects=False)
    assert posted.status_code == 303
    again = client.post("/api/analyze", json={"text": text}).json()
    assert posted.headers["location"] == f"/articles/{again['id']}" and again["cached"] is True
    lone = client.post("/analyze", data={"text": text.replace("\n", "\r")}, follow_redirects=False)
    assert lone.headers["location"] == posted.headers["location"]
    # The API's text is stored as given.
    crlf = client.post("/api/analyze", json={"text": text.replace("\n", "\r\n")}).json()
    assert crlf["id"] != again["id"] and "\r\n" in crlf["text"]


def test_stored_metadata_shows_on_the_article_page_and_in_the_api(tmp_path):
    from spinlens.store.db import ArticleMeta, Store
    from spinlens.types import Analysis, Article

    url = f"sqlite:///{tmp_path / 'meta.db'}"
    from_batch, _ = Store(url).add(Analysis(Article(PROPAGANDA)), ArticleMeta(url="https://example.org/story", title="Batch title"))
    client = ready_client(create_app(url))
    stored = client.get(f"/api/articles/{from_batch}").json()
    assert (stored["url"], stored["title"]) == ("https://example.org/story", "Batch title")
    page = client.get(f"/articles/{from_batch}").text
    assert "<h1>Batch title</h1>" in page and 'href="https://example.org/story"' in page
    # A title a later request filled in. Until then, a text without a headline is headed by its first words.
    later = client.post("/api/analyze", json={"text": PROPAGANDA + " Again."}).json()["id"]
    assert client.get(f"/api/articles/{later}").json()["title"] is None
    assert "<h1>Make no mistake: this disgraceful, corrupt regime is destroying our great…</h1>" in client.get(f"/articles/{later}").text
    client.post("/api/analyze", json={"text": PROPAGANDA + " Again.", "title": "Filled"})
    assert "<h1>Filled</h1>" in client.get(f"/articles/{later}").text


def test_openapi_declares_the_errors_the_api_sends(client):
    schema = client.get("/openapi.json").json()
    error = {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    expected = {("/api/analyze", "post"): {"400", "413", "422", "503"}, ("/api/articles", "get"): {"422"},
                ("/api/articles/{article_id}", "get"): {"404"}, ("/api/articles/{article_id}", "delete"): {"404"},
                ("/api/stats", "get"): {"422"}}
    for (path, method), statuses in expected.items():
        responses = schema["paths"][path][method]["responses"]
        assert statuses <= set(responses), (path, method)
        for status in statuses:
            assert responses[status]["content"]["application/json"]["schema"] == error, (path, method, status)
    assert "503" in schema["paths"]["/healthz"]["get"]["responses"]


def test_head_is_answered_where_get_is(client):
    assert client.post("/api/analyze", json={"text": PROPAGANDA}).status_code == 200
    for path in ("/healthz", "/", "/api/articles", "/api/articles/1", "/api/stats", "/articles/1", "/corpus", "/docs"):
        response = client.head(path)
        assert response.status_code == 200 and response.content == b"", path
    assert client.head("/api/articles/2").status_code == 404
    assert "head" not in client.get("/openapi.json").json()["paths"]["/healthz"]


def test_ids_are_plain_digits(client):
    # pydantic read "1.0" and "1 " as 1: DELETE /api/articles/1.0 deleted article 1.
    assert client.post("/api/analyze", json={"text": PROPAGANDA}).json()["id"] == 1
    for id_ in ("1.0", "1%20", "%201", "+1", "1e0", "0x1", "1_0", "%D9%A1"):
        assert client.get(f"/api/articles/{id_}").status_code == 404, id_
        assert client.delete(f"/api/articles/{id_}").status_code == 404, id_
        assert client.get(f"/articles/{id_}").status_code == 404, id_
    assert client.get("/api/articles/1").status_code == 200


def test_a_loopback_server_answers_only_to_its_own_names(tmp_path):
    # A page on evil.example whose name is rebound to 127.0.0.1 reached a local server as "evil.example".
    from spinlens.server.security import LOOPBACK_NAMES

    client = TestClient(create_app(f"sqlite:///{tmp_path / 'h.db'}", allowed_hosts=LOOPBACK_NAMES))
    assert client.get("/healthz", headers={"Host": "evil.example:8000"}).json() == {
        "error": "this server answers only to its own address (Host header refused)"}
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "LOCALHOST:8000"):
        assert client.get("/healthz", headers={"Host": host}).status_code in (200, 503), host
    # A loopback name before other text was taken for that name.
    for host in ("localhost:8000@evil.example", "[::1]:8000x", "localhost:", "localhost:8000:1", "127.0.0.1 evil", ""):
        assert client.get("/healthz", headers={"Host": host}).status_code == 400, host


def test_an_article_whose_analysis_fails_gets_a_named_500_and_the_server_goes_on(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'fault.db'}")
    client = ready_client(app)
    analyzer = app.state.models.get()
    original = analyzer.analyze

    def analyze(article):
        if "CRASH-ME" in article.text:
            raise TypeError("object of type 'NoneType' has no len()")
        return original(article)

    analyzer.analyze = analyze
    failed = client.post("/api/analyze", json={"text": f"CRASH-ME {PROPAGANDA}"})
    assert failed.status_code == 500
    assert failed.json() == {"error": "the analysis of this article failed: TypeError: object of type 'NoneType' has no len()"}
    assert client.post("/api/analyze", json={"text": PROPAGANDA}).status_code == 200
    assert len(client.get("/api/articles").json()["items"]) == 1


def test_a_page_on_another_site_cannot_post_here(client):
    # A form on any web page could add articles to (or delete them from) a local instance.
    other = {"Origin": "http://evil.example"}
    refused = client.post("/api/analyze", json={"text": PROPAGANDA}, headers=other)
    assert refused.status_code == 403 and refused.json() == {"error": "a request from another site is refused"}
    assert client.post("/analyze", data={"text": PROPAGANDA}, headers=other).status_code == 403
    assert client.delete("/api/articles/1", headers={"Origin": "null"}).status_code == 403
    same = client.post("/analyze", data={"text": PROPAGANDA}, headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert same.status_code == 303  # the app's own form, and clients that send no Origin, go through
    assert client.get("/api/articles", headers=other).status_code == 200  # reading is not refused


def test_the_names_a_server_answers_to_follow_where_it_listens():
    from spinlens.server.security import answered_hosts

    assert answered_hosts("127.0.0.1") == {"localhost", "127.0.0.1", "::1"}
    assert answered_hosts("127.0.0.2", ["News.Example.org"]) == {"localhost", "127.0.0.1", "::1", "127.0.0.2", "news.example.org"}
    assert answered_hosts("0.0.0.0") is None and answered_hosts("[::]") is None


def test_claims_on_the_article_page_in_the_stats_and_on_the_corpus_page(tmp_path):
    from spinlens.store.db import ArticleMeta, Store
    from spinlens.types import Analysis, Article, SentenceScore

    url = f"sqlite:///{tmp_path / 'claims.db'}"
    # An analysis stored before claims: no toggle, no list, and no part in the shares.
    old_text = "The senator resigned on Monday. Nobody knows why he did it."
    old, _ = Store(url).add(Analysis(Article(old_text), (), (SentenceScore(0, 31, 0.5), SentenceScore(32, len(old_text), 0.5))),
                            ArticleMeta(outlet="old.example"))
    client = ready_client(create_app(url))
    new = client.post("/api/analyze", json={"text": PROPAGANDA, "outlet": "new.example", "published": "2020-01-01"}).json()
    statuses = [s["claim"]["status"] for s in new["sentences"]]
    assert statuses[0] == "boosted"
    page = client.get(f"/articles/{new['id']}").text
    assert 'class="claims-toggle"' in page and 'class="claims-toggle" checked' not in page and "hedged (" in page
    assert "<h2>The author's own claims</h2>" in page and ">Make no mistake</mark>: this disgraceful" in page
    assert f"Asserted plainly: {statuses.count('asserted')} ·" in page
    old_page = client.get(f"/articles/{old}").text
    assert "claims-toggle" not in old_page and "The author's own claims" not in old_page and "claim-legend" not in old_page
    groups = {g["group"]: g for g in client.get("/api/stats?group_by=outlet").json()["groups"]}
    assert list(groups["new.example"])[:8] == ["group", "articles", "words", "fragments", "density_per_1000_words", "author_share",
                                              "quoted_share", "claim_sentences"]
    fresh = groups["new.example"]
    assert fresh["claim_sentences"] == len(statuses)
    assert [fresh[f"{s}_share"] for s in ("attributed", "asserted", "hedged", "boosted")] == \
        [round(statuses.count(s) / len(statuses), 4) for s in ("attributed", "asserted", "hedged", "boosted")]
    assert groups["old.example"]["claim_sentences"] == 0 and groups["old.example"]["boosted_share"] is None
    days = {g["group"]: g for g in client.get("/api/stats?group_by=day").json()["groups"]}
    assert days["2020-01-01"]["boosted_share"] == fresh["boosted_share"] and days[None]["claim_sentences"] == 0
    assert "claim_sentences" not in client.get("/api/stats?group_by=technique").json()["groups"][0]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["GroupStats"]["properties"]
    assert "only the articles with claims" in schema["claim_sentences"]["description"]
    corpus = client.get("/corpus").text
    shares = corpus[corpus.index('<table class="stack claim-shares">') :].split("</table>")[0]
    assert "new.example" in shares and "old.example" not in shares
    assert f'<td class="number">{100 * fresh["boosted_share"]:.1f}%</td>' in shares


def test_the_form_takes_a_title_and_an_outlet_and_a_file_is_titled_by_its_headline_or_name(client):
    posted = client.post("/analyze", data={"text": PROPAGANDA, "title": "  A pasted piece ", "outlet": "example.org"}, follow_redirects=False)
    assert posted.status_code == 303
    page = client.get(posted.headers["location"]).text
    assert "<h1>A pasted piece</h1>" in page and "<title>spinlens: A pasted piece</title>" in page and " · example.org" in page
    headed = f"Council approves plan\n\n{PROPAGANDA}".encode()
    for name, data, title in (("story.txt", headed, "Council approves plan"), ("article42.txt", PROPAGANDA.encode() + b" Again.", "article42.txt")):
        posted = client.post("/analyze", files={"file": (name, data, "text/plain")}, follow_redirects=False)
        stored = client.get("/api" + posted.headers["location"]).json()
        assert stored["title"] == title and stored["text"] == data.decode(), name  # the headline stays in the text
        assert f"<h1>{title}</h1>" in client.get(posted.headers["location"]).text
    refused = client.post("/analyze", data={"text": PROPAGANDA, "title": "a\x00b", "outlet": "kept"})
    assert refused.status_code == 422 and "The title cannot contain control characters" in refused.text
    assert 'value="kept"' in refused.text  # the form comes back as it was filled
    form = client.get("/").text
    assert 'name="title"' in form and 'name="outlet"' in form and 'name="url"' in form


def test_figures_are_rounded_for_people():
    from spinlens.server.templates import bars, number

    assert (number(18.728, 1), number(7.679, 1), number(1234567), number(1234.56, 1), number(0.0, 1), number(None)) == \
        ("18.7", "7.7", "1,234,567", "1,234.6", "0.0", "")
    chart = bars([{"group": "a" * 60, "x": 18.728}, {"group": None, "x": 1474}, {"group": "Loaded_Language", "x": 3}], "x", decimals=1,
                 names={"Loaded_Language": "Loaded language"})
    first, longest, short = chart["items"]
    assert [item["value"] for item in chart["items"]] == ["18.7", "1,474.0", "3.0"]
    assert first["label"] == "a" * 39 + "…" and first["name"] == "a" * 60  # cut to fit; the tooltip has it whole
    assert (longest["label"], longest["share"], longest["inside"]) == ("unknown", 100.0, True)  # the longest bar holds its value
    assert (short["label"], short["inside"]) == ("Loaded language", False) and short["share"] == pytest.approx(0.2, abs=0.01)


def test_the_corpus_names_every_article(tmp_path):
    # Articles stored before titles were derived (a PTC batch: "(untitled)" all), and one with an external id.
    from spinlens.store.db import ArticleMeta, Store
    from spinlens.types import Analysis, Article

    url = f"sqlite:///{tmp_path / 'titles.db'}"
    store = Store(url)
    store.add(Analysis(Article(f"Council approves plan\n\n{PROPAGANDA}", source="/data/article111.txt")), ArticleMeta(external_id="111"))
    store.add(Analysis(Article(PROPAGANDA, source="/data/article222.txt")))
    store.add(Analysis(Article(PROPAGANDA + " Pasted.")))
    corpus = ready_client(create_app(url)).get("/corpus").text
    assert "(untitled)" not in corpus
    assert '<a href="/articles/1">Council approves plan</a><span class="ids">external id 111</span>' in corpus
    assert '<a href="/articles/2">article222.txt</a>' in corpus
    assert '<a href="/articles/3">Make no mistake: this disgraceful, corrupt regime is destroying our great…</a>' in corpus
