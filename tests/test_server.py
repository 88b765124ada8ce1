"""The web app and REST API, through FastAPI's test client, on SQLite and (where one runs) PostgreSQL."""

import os
import threading
import time

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from spinlens import ingest
from spinlens.server.app import create_app

from conftest import FIXTURES, PROPAGANDA
from servers import serve

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
    again = client.post("/api/analyze", json={"text": PROPAGANDA})
    assert again.json()["id"] == body["id"] and again.json()["cached"] is True
    assert client.get("/healthz").json()["articles"] == 1
    stored = client.get(f"/api/articles/{body['id']}").json()
    assert stored["text"] == PROPAGANDA and stored["outlet"] == "example.org"
    assert client.delete(f"/api/articles/{body['id']}").status_code == 200
    assert client.get(f"/api/articles/{body['id']}").status_code == 404


def test_errors_are_json_with_the_right_status(client):
    assert client.post("/api/analyze", json={}).status_code == 422
    assert client.post("/api/analyze", json={"text": "a", "url": "http://x"}).status_code == 422
    assert client.post("/api/analyze", json={"text": "   "}).status_code == 400
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
    original = ingest.check_address
    monkeypatch.setattr(ingest, "check_address", lambda host, port, allow_private=False: "127.0.0.1" if host == "127.0.0.1" else original(host, port, allow_private))
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
    texts = [f"Article {i}: the corrupt and disgraceful regime lied again to the honest people of this nation." for i in range(5)]
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
