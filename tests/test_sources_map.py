"""The source map of a corpus (store/sources.py): who is quoted, by which outlets, through which intermediaries;
its API, page and export."""

import csv
from datetime import date
from xml.etree import ElementTree

import pytest

pytest.importorskip("sqlalchemy")
from spinlens.errors import InputError
from spinlens.store.db import ArticleMeta, Store
from spinlens.store.queries import ArticleFilters
from spinlens.store.sources import (
    graphml,
    intermediaries,
    network,
    outlet_shares,
    read_quotes,
    source_rows,
    top_sources,
)
from spinlens.types import Analysis, Article, Attribution, TechniqueSpan, TextSpan
from test_server import POSTGRES, database_url  # the same databases as the server's tests


def span(text, phrase, after=0):
    start = text.index(phrase, after)
    return TextSpan(start, start + len(phrase), phrase)


def quote(text, source, cue, content, source_type="person", via=(), speaker=None, after=0):
    """An attribution over the first mentions of its parts at or after `after`."""
    return Attribution(
        cue=span(text, cue, after), sources=(span(text, source, after),) if source else (), contents=(span(text, content, after),),
        kind="indirect", source_type=source_type, speaker=span(text, speaker) if speaker else None,
        via=tuple(span(text, v, after) for v in via), score=0.9,
    )


def technique(text, phrase, attribution=None):
    s = span(text, phrase)
    return TechniqueSpan(s.start, s.end, "Loaded_Language", 0.9, 0.8, voice="quoted" if attribution is not None else "author",
                         attribution=attribution)


def corpus():
    """(analysis, outlet, published) of four articles: Sergei Ryabkov quoted three times (twice through RIA, once
    as "He"; spelt with other case and spaces in the outlet-less article), the Kremlin twice (through TASS at
    a.example, directly at b.example), officials once, the author once (unnamed)."""
    one = "Sergei Ryabkov said the evil talks failed, according to RIA. He said the West lied again."
    two = "The Kremlin said sanctions were a crime, TASS reported. Nothing else happened today at all."
    three = "the Kremlin said the vile plan was dead. Officials said it was over. We said nothing. Shameful."
    four = "SERGEI  RYABKOV said the deal was a total disaster, according to RIA today."
    return [
        (Analysis(Article(one), (technique(one, "evil", 0), technique(one, "lied", 1)), attributions=(
            quote(one, "Sergei Ryabkov", "said", "the evil talks failed", via=("RIA",)),
            quote(one, "He", "said", "the West lied again", speaker="Sergei Ryabkov", after=60),
        )), "a.example", "2020-01-02"),
        (Analysis(Article(two), attributions=(
            quote(two, "The Kremlin", "said", "sanctions were a crime", "organisation", via=("TASS",)),)), "a.example", "2020-03-01"),
        (Analysis(Article(three), (technique(three, "vile", 0), technique(three, "Shameful")), attributions=(
            quote(three, "the Kremlin", "said", "the vile plan was dead", "organisation"),
            quote(three, "Officials", "said", "it was over", "anonymous", after=40),
            quote(three, "We", "said", "nothing", "author", after=60),
        )), "b.example", "2020-02-01"),
        (Analysis(Article(four), (technique(four, "total disaster", 0),), attributions=(
            quote(four, "SERGEI  RYABKOV", "said", "the deal was a total disaster", via=("RIA",)),)), None, None),
    ]




@pytest.fixture(params=["sqlite"] + (["postgresql"] if POSTGRES else []))
def store(request, tmp_path):
    """The corpus stored on SQLite and, where one runs, PostgreSQL (the JSON is read with each one's functions)."""
    store = Store(database_url(request.param, tmp_path))
    for analysis, outlet, published in corpus():
        store.add(analysis, ArticleMeta(outlet=outlet, published=published))
    yield store
    store.close()


def test_sources_are_resolved_speakers_named_once_whatever_their_case_spaces_or_article(store):
    read = read_quotes(store)
    assert len(read.quotes) == 7 and sum(1 for q in read.quotes if q.source is None) == 1  # "We" names nobody
    sources = top_sources(read)
    assert [(s["source"], s["source_type"], s["attributions"], s["articles"]) for s in sources] == [
        ("Sergei Ryabkov", "person", 3, 2),  # "He" resolved to his speaker; "SERGEI  RYABKOV" is him, spelt as most often
        ("The Kremlin", "organisation", 2, 2),  # "the Kremlin" too
        ("Officials", "anonymous", 1, 1),
    ]
    ryabkov, kremlin, _ = sources
    assert ryabkov["outlets"] == [{"outlet": "a.example", "attributions": 2}, {"outlet": None, "attributions": 1}]
    assert ryabkov["via"] == [{"intermediary": "RIA", "attributions": 2}] and ryabkov["quoted_fragments"] == 3
    assert kremlin["outlets"] == [{"outlet": "a.example", "attributions": 1}, {"outlet": "b.example", "attributions": 1}]
    assert kremlin["via"] == [{"intermediary": "TASS", "attributions": 1}] and kremlin["quoted_fragments"] == 1
    assert not any(s["source"].lower() in ("he", "we") for s in sources)
    assert [s["source"] for s in top_sources(read, limit=1)] == ["Sergei Ryabkov"]


def test_intermediaries_name_the_outlets_that_relay_them_and_the_sources_they_pass_on(store):
    assert intermediaries(read_quotes(store)) == [
        {"intermediary": "RIA", "attributions": 2, "articles": 2,
         "outlets": [{"outlet": "a.example", "attributions": 1}, {"outlet": None, "attributions": 1}],
         "sources": [{"source": "Sergei Ryabkov", "attributions": 2}]},
        {"intermediary": "TASS", "attributions": 1, "articles": 1, "outlets": [{"outlet": "a.example", "attributions": 1}],
         "sources": [{"source": "The Kremlin", "attributions": 1}]},
    ]


def test_each_outlet_splits_its_quotes_by_source_type_and_its_fragments_by_voice(store):
    rows = {row["outlet"]: row for row in outlet_shares(read_quotes(store))}
    assert list(rows) == ["a.example", "b.example", None]  # by name, the articles without an outlet last
    a, b = rows["a.example"], rows["b.example"]
    assert (a["articles"], a["attributions"], a["via_share"], a["unnamed"]) == (2, 3, 0.6667, 0)
    assert a["source_types"] == {"person": 0.6667, "organisation": 0.3333, "media": 0.0, "document": 0.0, "anonymous": 0.0,
                                 "author": 0.0, "none": 0.0}
    assert (a["fragments"], a["quoted_fragments"], a["author_share"], a["quoted_share"]) == (2, 2, 0.0, 1.0)
    assert (b["attributions"], b["unnamed"], b["via_share"], b["source_types"]["author"]) == (3, 1, 0.0, 0.3333)
    assert (b["fragments"], b["author_fragments"], b["author_share"], b["quoted_share"]) == (2, 1, 0.5, 0.5)


def test_filters_narrow_articles_and_source_types(store):
    by_outlet = read_quotes(store, ArticleFilters(outlet="b.example"))
    assert {q.outlet for q in by_outlet.quotes} == {"b.example"} and list(by_outlet.outlets) == ["b.example"]
    # The outlet-less article has no date: a date filter leaves it out.
    dated = read_quotes(store, ArticleFilters(since=date(2020, 1, 15), until=date(2020, 2, 28)))
    assert {q.article_id for q in dated.quotes} == {3}
    organisations = read_quotes(store, source_type="organisation")
    assert [s["source"] for s in top_sources(organisations)] == ["The Kremlin"] and intermediaries(organisations)[0]["intermediary"] == "TASS"
    # The source type narrows the attributions, not the voice split (every fragment of the articles).
    assert {r["outlet"]: r["fragments"] for r in outlet_shares(organisations)} == {"a.example": 2, "b.example": 2, None: 1}
    with pytest.raises(InputError, match="unknown source type 'people'; the source types are person, organisation"):
        read_quotes(store, source_type="people")


EXPECTED_EDGES = {
    ("outlet:a.example", "intermediary:ria", "relays", 1), ("outlet:", "intermediary:ria", "relays", 1),
    ("outlet:a.example", "intermediary:tass", "relays", 1), ("intermediary:ria", "source:sergei ryabkov", "quotes", 2),
    ("intermediary:tass", "source:kremlin", "quotes", 1), ("outlet:a.example", "source:sergei ryabkov", "quotes", 1),
    ("outlet:b.example", "source:kremlin", "quotes", 1), ("outlet:b.example", "source:officials", "quotes", 1),
}


def test_network_edges_run_outlet_to_intermediary_to_source_with_weights(store):
    graph = network(read_quotes(store))
    assert {(e["source"], e["target"], e["relation"], e["weight"]) for e in graph["edges"]} == EXPECTED_EDGES
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["outlet:"]["label"] == "(no outlet)" and nodes["source:kremlin"]["source_type"] == "organisation"
    assert nodes["source:sergei ryabkov"]["attributions"] == 3 and nodes["intermediary:ria"]["attributions"] == 2
    # Only the most-quoted source kept: b.example, which quotes others only, drops out; the relays still count.
    small = network(read_quotes(store), limit=1)
    assert {n["id"] for n in small["nodes"]} == {"outlet:a.example", "outlet:", "intermediary:ria", "intermediary:tass", "source:sergei ryabkov"}
    assert ("outlet:a.example", "intermediary:tass", "relays", 1) in {(e["source"], e["target"], e["relation"], e["weight"]) for e in small["edges"]}


def parse_graphml(data):
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ElementTree.fromstring(data)
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", ns)}
    graph = root.find("g:graph", ns)
    assert graph.get("edgedefault") == "directed"

    def data_of(element):
        return {keys[d.get("key")]: d.text for d in element.findall("g:data", ns)}

    nodes = {n.get("id"): data_of(n) for n in graph.findall("g:node", ns)}
    edges = {(e.get("source"), e.get("target"), data_of(e)["relation"], float(data_of(e)["weight"])) for e in graph.findall("g:edge", ns)}
    return nodes, edges


def test_graphml_parses_back_with_the_nodes_and_edges(store):
    nodes, edges = parse_graphml(graphml(network(read_quotes(store))))
    assert edges == {(a, b, relation, float(weight)) for a, b, relation, weight in EXPECTED_EDGES}
    assert nodes["source:sergei ryabkov"] == {"label": "Sergei Ryabkov", "kind": "source", "source_type": "person", "attributions": "3"}
    assert nodes["intermediary:ria"]["kind"] == "intermediary" and nodes["outlet:"]["label"] == "(no outlet)"
    assert {n for n, _, _, _ in edges} | {n for _, n, _, _ in edges} == set(nodes)  # no edge to a missing node


def test_graphml_holds_names_that_xml_cannot(tmp_path):
    text = "Anna\x01Smith said the plan failed, according to Radio\x02One."
    store = Store(f"sqlite:///{tmp_path / 'odd.db'}")
    store.add(Analysis(Article(text), attributions=(quote(text, "Anna\x01Smith", "said", "the plan failed", via=("Radio\x02One",)),)))
    nodes, edges = parse_graphml(graphml(network(read_quotes(store))))
    assert {n["label"] for n in nodes.values()} == {"(no outlet)", "Radio\ufffdOne", "Anna\ufffdSmith"} and len(edges) == 2


def test_pronouns_and_the_author_name_nobody(tmp_path):
    text = "They said no. Who said yes? I said maybe. This reporter said so. Anna Smith said it. THEY said it again."
    store = Store(f"sqlite:///{tmp_path / 'pronouns.db'}")
    parts = [("They", 0), ("Who", 10), ("I", 25), ("This reporter", 40), ("Anna Smith", 60), ("THEY", 80)]
    store.add(Analysis(Article(text), attributions=tuple(quote(text, source, "said", text[after:].split("said ")[1].split(".")[0].rstrip("?"),
                                                                after=after) for source, after in parts)))
    read = read_quotes(store)
    assert [s["source"] for s in top_sources(read)] == ["Anna Smith"] and [q.source for q in read.quotes].count(None) == 5


def test_source_rows_count_every_path_once(store):
    rows = source_rows(read_quotes(store))
    assert sum(r["attributions"] for r in rows) == 7  # no attribution has two intermediaries here
    assert {"outlet": None, "via": "RIA", "source": "Sergei Ryabkov", "source_type": "person", "attributions": 1, "articles": 1,
            "quoted_fragments": 1} in rows
    assert {"outlet": "b.example", "via": None, "source": None, "source_type": "author", "attributions": 1, "articles": 1,
            "quoted_fragments": 0} in rows


# The API and the page ------------------------------------------------------------------------------


def _no_models():
    raise RuntimeError("these tests need no models")


@pytest.fixture
def client(store):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from spinlens.server.app import create_app

    return TestClient(create_app(store.url, analyzer_factory=_no_models))


def test_api_answers_the_source_map(client):
    body = client.get("/api/sources").json()
    assert (body["attributions"], body["unnamed"]) == (7, 1)
    assert [(s["source"], s["attributions"], s["via"]) for s in body["sources"]][:2] == [
        ("Sergei Ryabkov", 3, [{"intermediary": "RIA", "attributions": 2}]), ("The Kremlin", 2, [{"intermediary": "TASS", "attributions": 1}])]
    assert [s["source"] for s in client.get("/api/sources", params={"source_type": "anonymous"}).json()["sources"]] == ["Officials"]
    assert [s["source"] for s in client.get("/api/sources", params={"outlet": "b.example", "limit": 1}).json()["sources"]] == ["the Kremlin"]  # as b.example spells it
    relays = client.get("/api/sources/intermediaries").json()["intermediaries"]
    assert [(r["intermediary"], [o["outlet"] for o in r["outlets"]]) for r in relays] == [("RIA", ["a.example", None]), ("TASS", ["a.example"])]
    outlets = client.get("/api/sources/outlets", params={"since": "2020-01-01", "until": "2020-01-31"}).json()["outlets"]
    assert [(o["outlet"], o["articles"], o["quoted_share"], o["source_types"]["person"]) for o in outlets] == [("a.example", 1, 1.0, 1.0)]
    graph = client.get("/api/sources/network").json()
    assert {(e["source"], e["target"], e["relation"], e["weight"]) for e in graph["edges"]} == EXPECTED_EDGES
    assert client.head("/api/sources/network").status_code == 200 and client.head("/sources").status_code == 200


@pytest.mark.parametrize("query, message", [
    ({"source_type": "people"}, "unknown source type 'people'"),
    ({"since": "2020-02-30"}, "since must be a date written YYYY-MM-DD"),
    ({"until": "1577836800"}, "until must be a date written YYYY-MM-DD"),
    ({"outlet": "a\x00b"}, "control characters"),
    ({"limit": "0"}, "limit"),
])
def test_api_refuses_bad_filters_in_its_json_shape(client, query, message):
    for path in ("/api/sources", "/api/sources/intermediaries", "/api/sources/network"):
        answer = client.get(path, params=query)
        assert answer.status_code == 422 and list(answer.json()) == ["error"] and message in answer.json()["error"], (path, answer.text)
    if "limit" not in query:  # the page: a bad query string is a 400 page, not a traceback
        page = client.get("/sources", params=query)
        assert page.status_code == 400 and page.headers["content-type"].startswith("text/html") and message.split("'")[0] in page.text


def test_openapi_declares_the_source_endpoints_and_their_bodies(client):
    schema = client.get("/openapi.json").json()
    for path, model in (("/api/sources", "SourceList"), ("/api/sources/intermediaries", "IntermediaryList"),
                        ("/api/sources/outlets", "OutletSourceList"), ("/api/sources/network", "SourceNetwork")):
        operation = schema["paths"][path]["get"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(f"/{model}")
        assert operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    from spinlens.types import SOURCE_TYPES

    assert tuple(schema["components"]["schemas"]["SourceTypeShares"]["properties"]) == SOURCE_TYPES
    assert "/sources" not in schema["paths"]  # a page


def test_sources_page_shows_tables_and_the_network_and_is_linked(client):
    page = client.get("/sources")
    assert page.status_code == 200
    html = page.text
    svg = html[html.index("<svg class=\"network\""): html.index("</svg>", html.index("<svg class=\"network\""))]
    for label in ("a.example", "b.example", "(no outlet)", "RIA", "TASS", "Sergei Ryabkov", "The Kremlin", "Officials"):
        assert f">{label}</text>" in svg, label
    assert 'stroke-dasharray="5 3"' in svg and "viewBox=" in svg and "http" not in svg.replace("http://www.w3.org", "")
    assert "a.example (2), no outlet (1)" in html and "66.7%" in html and "50.0%" in html  # quoted by; person share; voice
    assert 'href="/sources"' in client.get("/").text  # the nav
    assert 'href="/sources?outlet=b.example"' in client.get("/corpus", params={"outlet": "b.example"}).text
    only = client.get("/sources", params={"outlet": "b.example", "source_type": "", "since": ""}).text  # blank fields: no filter
    assert "Officials" in only and "Sergei Ryabkov" not in only


def test_network_labels_are_cut_to_fit_their_column():
    from spinlens.server.sources import _LABEL, network_view, text_width

    long = "W" * 200
    graph = {"nodes": [{"id": "outlet:x", "kind": "outlet", "label": long, "attributions": 1},
                       {"id": "source:y", "kind": "source", "label": "Ministry of Foreign Affairs of the Russian Federation", "attributions": 1}],
             "edges": [{"source": "outlet:x", "target": "source:y", "relation": "quotes", "weight": 1, "articles": 1}]}
    view = network_view(graph)
    shown = [n["shown"] for n in view["nodes"]]
    assert all(s.endswith("…") and text_width(s) <= _LABEL for s in shown), shown
    assert view["edges"][0]["dashed"] and view["height"] >= 30 + 26


# spinlens export --sources ---------------------------------------------------------------------------


def spinlens(*args):
    """`spinlens ARGS` in this process, through spinlens.cli.run as the console script goes: (status, stdout, stderr)."""
    from typer.testing import CliRunner

    from spinlens.cli import run

    argv = list(map(str, args))
    with CliRunner().isolation() as (stdout, stderr, _):
        code = run(argv)
        return code, stdout.getvalue().decode(), stderr.getvalue().decode()


def test_export_writes_the_source_map_as_csv_parquet_and_graphml(store, tmp_path):
    code, out, err = spinlens("export", "--db", store.url, "--sources", tmp_path / "sources.csv")
    assert (code, err) == (0, "") and out == f"wrote 7 rows of the source map to {tmp_path / 'sources.csv'}\n"
    with open(tmp_path / "sources.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["outlet", "via", "source", "source_type", "attributions", "articles", "quoted_fragments"]
    assert {"outlet": "a.example", "via": "TASS", "source": "The Kremlin", "source_type": "organisation", "attributions": "1", "articles": "1",
            "quoted_fragments": "0"} in rows
    assert spinlens("export", "--db", store.url, "--sources", tmp_path / "sources.graphml")[0] == 0
    nodes, edges = parse_graphml((tmp_path / "sources.graphml").read_bytes())
    assert edges == {(a, b, relation, float(weight)) for a, b, relation, weight in EXPECTED_EDGES}
    # Filters as for the articles, and the source type; with --out the articles are written too.
    code, out, err = spinlens("export", "--db", store.url, "--format", "jsonl", "--out", tmp_path / "a.jsonl", "--outlet", "a.example",
                              "--sources", tmp_path / "org.graphml", "--source-type", "organisation")
    assert code == 0 and out.startswith("wrote 2 articles to") and "wrote 2 edges of the source map" in out, err
    assert len((tmp_path / "a.jsonl").read_text().splitlines()) == 2
    assert parse_graphml((tmp_path / "org.graphml").read_bytes())[1] == {
        ("outlet:a.example", "intermediary:tass", "relays", 1.0), ("intermediary:tass", "source:kremlin", "quotes", 1.0)}
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    assert spinlens("export", "--db", store.url, "--sources", tmp_path / "sources.parquet", "--outlet", "nope")[0] == 0
    frame = pandas.read_parquet(tmp_path / "sources.parquet")  # empty, with every column
    assert list(frame.columns) == list(rows[0]) and len(frame) == 0


@pytest.mark.parametrize("args, message", [
    (("--sources", "{tmp}/sources.txt"), "give a file ending in .csv, .parquet or .graphml"),
    (("--sources", "{tmp}/missing/sources.csv"), "there is no folder"),
    (("--sources", "{tmp}"), "it is a folder"),
    (("--sources", "{tmp}/s.csv", "--source-type", "people"), "unknown source type 'people'"),
    (("--format", "csv", "--out", "{tmp}/a.csv", "--source-type", "person"), "--source-type narrows --sources only"),
    (("--sources", "{tmp}/s.csv", "--fragments", "{tmp}/f.csv"), "--fragments goes with --out (one row per article) and --format"),
    (("--format", "csv",), "give --out FILE with --format, or --sources FILE"),
    ((), "give --out FILE with --format, or --sources FILE"),
    (("--sources", "{tmp}/s.csv", "--out", "{tmp}/s.csv", "--format", "csv"), "it is the same file as"),
])
def test_export_refuses_what_it_cannot_write_in_one_line(store, tmp_path, args, message):
    code, out, err = spinlens("export", "--db", store.url, *(a.format(tmp=tmp_path) for a in args))
    assert code == 2 and err.startswith("spinlens: error: ") and message in err and err.count("\n") == 1 and out == "", err
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "sources.txt").exists()


def test_export_of_parquet_without_pyarrow_names_the_extra(store, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _, err = spinlens("export", "--db", store.url, "--sources", tmp_path / "s.parquet")
    assert code == 2 and err == "spinlens: error: spinlens export needs the corpus extra (pyarrow is not installed): pip install 'spinlens[corpus]'\n"
    assert not (tmp_path / "s.parquet").exists()
    # The GraphML and CSV writers need no pyarrow.
    assert spinlens("export", "--db", store.url, "--sources", tmp_path / "s.graphml")[0] == 0
