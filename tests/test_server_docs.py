"""The web app's glossary, the evidence on its article page, and its API docs (Swagger UI served offline)."""

import re
from dataclasses import asdict

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from markupsafe import escape

from spinlens.definitions import DEFINITIONS
from spinlens.server.app import create_app
from spinlens.store.db import ArticleMeta, Store
from spinlens.types import Analysis, Article, Example, TechniqueSpan

TEXT = "The vile traitors lied again, and the plan is a disaster."
EXAMPLE = Example("article111", "Name_Calling,Labeling", "cowards", "They are cowards, all of them.", 0.83)


def _no_models():
    raise RuntimeError("these tests need no models")


@pytest.fixture
def client(tmp_path):
    url = f"sqlite:///{tmp_path / 'docs.db'}"
    store = Store(url)
    spans = (TechniqueSpan(4, 17, "Name_Calling,Labeling", 0.9, 0.8, probability=0.62, examples=(EXAMPLE,)),
             TechniqueSpan(TEXT.index("disaster"), len(TEXT) - 1, "Loaded_Language", 0.8, 0.7))
    store.add(Analysis(Article(TEXT, title="Evidence"), spans), ArticleMeta())
    store.close()
    return TestClient(create_app(url, analyzer_factory=_no_models))


def test_glossary_page_defines_every_technique_and_every_page_links_to_it(client):
    page = client.get("/glossary")
    assert page.status_code == 200 and client.head("/glossary").status_code == 200
    assert page.text.count("<dt") == 14
    assert all(str(escape(d.meaning)) in page.text and str(escape(d.not_meaning)) in page.text for d in DEFINITIONS.values())
    for path in ("/", "/corpus", "/articles/1", "/docs"):
        assert '<a href="/glossary">Glossary</a>' in client.get(path).text, path


def test_article_page_shows_the_evidence_and_links_the_glossary(client):
    page = client.get("/articles/1").text
    assert '<span class="ev-prob">62 %</span>' in page and "They are <b>cowards</b>, all of them." in page
    assert "article article111 · similarity 0.83" in page
    assert str(escape(DEFINITIONS["Name_Calling,Labeling"].not_meaning)) in page
    assert '<a class="glossary-link" href="/glossary">' in page and "<dl" not in page  # linked, not repeated
    assert "spinlens analyze --explain" in page  # the fragment without examples says how to get them


def test_api_sends_the_probability_and_the_examples(client):
    (first, second) = client.get("/api/articles/1").json()["techniques"]
    assert first["probability"] == 0.62 and first["examples"] == [asdict(EXAMPLE)]
    assert second["probability"] is None and second["examples"] == []


def test_docs_is_swagger_ui_from_this_server(client):
    page = client.get("/docs")
    assert page.status_code == 200 and client.head("/docs").status_code == 200
    assert '<div id="swagger-ui">' in page.text and "SwaggerUIBundle(" in page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/docs/swagger-ui-bundle.js" in assets and "/static/docs/swagger-ui.css" in assets
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets), assets
    assert "http://" not in page.text and "https://" not in page.text
    for asset in assets:
        if asset.startswith("/static/"):
            answer = client.get(asset)
            assert answer.status_code == 200 and answer.content, asset
    assert "javascript" in client.get("/static/docs/swagger-ui-bundle.js").headers["content-type"]
    assert client.get("/static/docs/nothing.js").status_code == 404
    # Without JavaScript the endpoints are still listed.
    assert "<noscript>" in page.text and "<code>/api/analyze</code>" in page.text


def test_openapi_schema_describes_the_evidence(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    fragment = schemas["TechniqueSpan"]["properties"]
    assert {"probability", "examples"} <= set(fragment)
    assert fragment["examples"]["items"] == {"$ref": "#/components/schemas/Example"}
    assert set(schemas["Example"]["properties"]) == {"article_id", "technique", "text", "sentence", "similarity"}
    stored = schemas["StoredAnalysis"]["properties"]["techniques"]
    assert stored["items"] == {"$ref": "#/components/schemas/TechniqueSpan"}
