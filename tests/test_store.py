"""The store and its exports: read-only opening, filters, empty exports, Label Studio import ids."""

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")
from spinlens.errors import InputError
from spinlens.formats.ptc import article_id, read_articles, read_labels
from spinlens.labels import TECHNIQUES
from spinlens.store.db import ArticleMeta, Store, StoreError
from spinlens.store.export import ARTICLE_COLUMNS, FRAGMENT_COLUMNS, export, import_label_studio
from spinlens.store.queries import ArticleFilters, filter_date, list_articles
from spinlens.types import Analysis, Article, TechniqueSpan


def spinlens(*args):
    return subprocess.run([sys.executable, "-m", "spinlens", *map(str, args)], capture_output=True, timeout=120)


def stored(tmp_path, texts, metas=None):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    for i, text in enumerate(texts):
        store.add(Analysis(Article(text), (TechniqueSpan(0, 4, "Doubt", 0.5, 0.5),)), (metas or {}).get(i, ArticleMeta()))
    return store


def test_empty_exports_keep_every_column(tmp_path):
    pandas = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    store = stored(tmp_path, ["Evil men lied to us again."])
    for fmt in ("parquet", "csv"):
        out, frags = tmp_path / f"a.{fmt}", tmp_path / f"f.{fmt}"
        assert export(store, fmt, out, ArticleFilters(outlet="nope"), frags) == 0
        for path, columns in ((out, ARTICLE_COLUMNS), (frags, FRAGMENT_COLUMNS)):
            frame = pandas.read_parquet(path) if fmt == "parquet" else pandas.read_csv(path)
            assert list(frame.columns) == list(columns) and len(frame) == 0, path
            reader = "read_parquet" if fmt == "parquet" else "read_csv"
            assert duckdb.sql(f"select * from {reader}('{path}')").columns == list(columns), path
    assert export(store, "label-studio", tmp_path / "t.json", ArticleFilters(outlet="nope")) == 0
    assert json.loads((tmp_path / "t.json").read_text()) == []
    # Typed columns even where every value is missing (external_id here): from None alone Parquet
    # would infer the null type.
    pyarrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    export(store, "parquet", tmp_path / "all.parquet")
    assert parquet.read_schema(tmp_path / "all.parquet").field("external_id").type == pyarrow.string()


def test_search_matches_text_literally(tmp_path):
    store = stored(tmp_path, ["Prices rose by 50% after the officials lied.", "The officials lied again."])

    def count(q):
        return sum(1 for _ in store.iter_articles(ArticleFilters(q=q)))

    assert count("50%") == 1 and count("%") == 1 and count("officials") == 2
    assert count("_") == 0 and count("50_") == 0 and count("technique") == 0  # a wildcard; the JSON's keys


def test_search_ignores_case_beyond_ascii(tmp_path):
    store = stored(tmp_path, ["Le palais de l'Élysée a menti.", "Дума solemnly lied.", "Nothing here."],
                   {2: ArticleMeta(title="Ÿ ÆON")})

    def count(q):
        return sum(1 for _ in store.iter_articles(ArticleFilters(q=q)))

    for q in ("Élysée", "élysée", "ÉLYSÉE", "ДУМА", "дума", "ÿ æon"):  # SQLite's own lower() folds ASCII only
        assert count(q) == 1, q
    result = spinlens("export", "--db", store.url, "--format", "csv", "--out", tmp_path / "a.csv", "--q", "ÉLYSÉE")
    assert result.returncode == 0 and result.stdout.decode().startswith("wrote 1 articles"), result.stderr


def test_a_search_with_control_characters_is_refused(tmp_path):
    for q in ("\x00", "a\x00b", "\x1b", "\r", "a\x7fb", "a\x85b", "\x9f"):  # DEL and C1 passed
        with pytest.raises(InputError, match="control characters"):
            ArticleFilters(q=q)
    store = stored(tmp_path, ["Evil men lied to us again.\tTwice.\nThrice."])
    assert len(list(store.iter_articles(ArticleFilters(q="again.\ttwice.\nthrice")))) == 1  # tab and newline are text
    # a NUL cannot travel in argv; ESC is another control character
    result = spinlens("export", "--db", store.url, "--format", "csv", "--out", tmp_path / "a.csv", "--q", "lied\x1b")
    assert result.returncode == 2 and result.stderr.count(b"\n") == 1, result.stderr
    assert result.stderr.startswith(b"spinlens: error: the search text cannot contain control characters"), result.stderr
    assert not (tmp_path / "a.csv").exists()


def test_date_filters_are_written_yyyy_mm_dd(tmp_path):
    assert filter_date("since", "2020-01-05") == date(2020, 1, 5) and filter_date("since", None) is None
    for value in ("1577836800", "20200105", "2020-W01-1", "2020-01-05T00:00", "2020-02-30", ""):
        with pytest.raises(InputError, match="since must be a date written YYYY-MM-DD"):
            filter_date("since", value)


def test_unknown_technique_lists_the_labels(tmp_path):
    with pytest.raises(InputError, match="Loaded_Language") as error:
        ArticleFilters(technique="doubt")
    assert all(technique in str(error.value) for technique in TECHNIQUES)
    store = stored(tmp_path, ["Evil men lied to us again."])
    result = spinlens("export", "--db", store.url, "--format", "csv", "--out", tmp_path / "a.csv", "--technique", "doubt")
    assert result.returncode == 2 and result.stderr.decode().startswith("spinlens: error: unknown technique 'doubt'")
    assert not (tmp_path / "a.csv").exists()


def test_ids_no_row_can_have_are_missing(tmp_path):
    store = stored(tmp_path, ["Evil men lied to us again."])
    for number in (2**63, 10**24, 0, -1):
        assert store.get(number) is None and store.delete(number) is False, number
    assert [item["id"] for item in list_articles(store, ArticleFilters(), 10, 2**63 - 1)[0]] == [1]


def test_read_only_commands_refuse_a_missing_or_foreign_database(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no database"):
        Store(f"sqlite:///{missing}", create=False)
    assert not missing.exists()
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("create table notes (body text)")
    with pytest.raises(StoreError, match="not a spinlens database"):
        Store(f"sqlite:///{foreign}", create=False)
    with sqlite3.connect(foreign) as connection:
        assert connection.execute("select name from sqlite_master where type = 'table'").fetchall() == [("notes",)]
    text = tmp_path / "notes.txt"
    text.write_text("these are notes, not a database\n" * 100)
    for create in (True, False):
        with pytest.raises(StoreError, match="file is not a database"):
            Store(f"sqlite:///{text}", create=create)
    for db in (missing, foreign, text):
        result = spinlens("export", "--db", f"sqlite:///{db}", "--format", "csv", "--out", tmp_path / "a.csv")
        assert result.returncode == 2 and result.stderr.count(b"\n") == 1, result.stderr
        assert result.stderr.startswith(b"spinlens: error: "), result.stderr
    assert not missing.exists() and not (tmp_path / "a.csv").exists()


def test_label_studio_import_ids_agree_with_the_ptc_reader(tmp_path):
    # An external id that is not a number ("a1"), one equal to another article's database id (13),
    # and two that differ only in case.
    texts = [f"Article {i}: evil men lied to us again." for i in range(16)]
    metas = {0: ArticleMeta(external_id="13"), 14: ArticleMeta(external_id="a1"), 15: ArticleMeta(external_id="A1")}
    store = stored(tmp_path, texts, metas)
    tasks_file = tmp_path / "tasks.json"
    assert export(store, "label-studio", tasks_file) == 16
    # --fragments with Label Studio was ignored in silence: the tasks hold the fragments.
    refused = spinlens("export", "--db", store.url, "--format", "label-studio", "--out", tmp_path / "t2.json", "--fragments", tmp_path / "f.json")
    assert refused.returncode == 2 and b"--fragments has no use with --format label-studio" in refused.stderr, refused.stderr
    assert not (tmp_path / "t2.json").exists() and not (tmp_path / "f.json").exists()
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    for task in tasks:
        task["annotations"] = [{"result": task["predictions"][0]["result"]}]
    tasks_file.write_text(json.dumps(tasks), encoding="utf-8")
    out = tmp_path / "ptc"
    result = spinlens("import", "label-studio", tasks_file, "--out", out)
    assert result.returncode == 0 and result.stdout.decode().startswith("wrote 16 "), result.stderr
    files = sorted((out / "train-articles").glob("*.txt"))
    assert len(files) == 16 and len({f.name.lower() for f in files}) == 16
    articles = read_articles(out / "train-articles")
    labels = read_labels(out / "train-labels-task2-technique-classification", {a: len(t) for a, t in articles.items()})
    assert sorted({span.article_id for span in labels}) == sorted(articles) == sorted(article_id(f) for f in files)
    assert "2" in articles  # a numeric id that is unique stays the PTC id
    assert articles["2"] == texts[1]


def test_label_studio_import_checks_every_task_before_writing(tmp_path):
    tasks = [
        {"data": {"text": "Evil men lied."}, "annotations": [{"result": [{"value": {"start": 0, "end": 4, "labels": ["Doubt"]}}]}]},
        {"data": {"text": "Evil men lied."}, "annotations": [{"result": [{"value": {"start": 0, "end": 40, "labels": ["Doubt"]}}]}]},
    ]
    tasks_file = tmp_path / "tasks.json"
    tasks_file.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(InputError, match="task 2"):
        import_label_studio(tasks_file, tmp_path / "ptc")
    assert not (tmp_path / "ptc").exists()
    for bad in (["not a task"], [{"data": {"text": "x"}, "annotations": [{"result": [{"value": {"labels": ["Doubt"]}}]}]}]):
        tasks_file.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(InputError, match="task 1"):
            import_label_studio(tasks_file, tmp_path / "ptc")


def test_label_studio_import_checks_quoted_text_and_skips_relations(tmp_path):
    text = "Hi 🙂 evil men lied."
    shifted = {"start": 6, "end": 10, "text": "evil", "labels": ["Loaded_Language"]}  # UTF-16 counting: off by one
    relation = {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right"}
    tasks_file = tmp_path / "tasks.json"
    tasks_file.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": [{"type": "labels", "value": shifted}]}]}]), encoding="utf-8")
    with pytest.raises(InputError, match="holds 'vil ', not the annotation's 'evil'"):
        import_label_studio(tasks_file, tmp_path / "ptc")
    right = {**shifted, "start": 5, "end": 9}
    tasks_file.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": [{"type": "labels", "value": right}, relation]}]}]), encoding="utf-8")
    assert import_label_studio(tasks_file, tmp_path / "ptc") == 1


def test_a_crawled_host_name_is_cut_to_the_outlet_column(tmp_path):
    # A host name may be 253 characters; PostgreSQL refused the 231 of a crawl's and ended the batch run.
    store = stored(tmp_path, ["Evil men lied to us again."], {0: ArticleMeta(outlet="h" * 231)})
    (row, _) = store.get(store.has_text("Evil men lied to us again."))
    assert row["outlet"] == "h" * 200


def test_an_export_never_writes_through_a_link_left_beside_it(tmp_path):
    # The file written before the move had a fixed name: a link there sent the export into another file.
    store = stored(tmp_path, ["Evil men lied to us again."], {})
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / ".articles.jsonl.partial").symlink_to(victim)
    export(store, "jsonl", tmp_path / "articles.jsonl")
    assert victim.read_text(encoding="utf-8") == "keep" and not (tmp_path / "articles.jsonl").is_symlink()


def test_a_failed_export_leaves_the_earlier_file_whole(tmp_path, monkeypatch):
    import spinlens.store.export as export_module

    store = stored(tmp_path, ["Evil men lied to us again."], {})
    out = tmp_path / "articles.jsonl"
    out.write_text("earlier export\n", encoding="utf-8")

    def fail(rows, columns, fmt, path):
        Path(path).write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "_write_rows", fail)
    with pytest.raises(InputError, match="No space left"):
        export(store, "jsonl", out)
    assert out.read_text(encoding="utf-8") == "earlier export\n" and sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_a_later_copy_fills_what_the_first_left_empty_and_overwrites_nothing(tmp_path):
    text = "Evil men lied to us again."
    store = stored(tmp_path, [text, text, text], {
        0: ArticleMeta(outlet="first outlet"),
        1: ArticleMeta(external_id="111", outlet="second outlet"),
        2: ArticleMeta(external_id="222", title="A title"),
    })
    (row, _) = store.get(store.has_text(text))
    assert (row["external_id"], row["outlet"], row["title"]) == ("111", "first outlet", "A title")
    assert store.count() == 1


def test_an_overlong_search_is_refused(tmp_path):
    # SQLite refuses a LIKE pattern over 50,000 bytes: export --q failed with an internal error.
    with pytest.raises(InputError, match="1,000 characters"):
        ArticleFilters(q="a" * 1_001)
    store = stored(tmp_path, ["Evil men lied to us again."])
    assert list(store.iter_articles(ArticleFilters(q="a" * 1_000))) == []
    result = spinlens("export", "--db", store.url, "--format", "csv", "--out", tmp_path / "a.csv", "--q", "a" * 60_000)
    assert result.returncode == 2 and result.stderr.count(b"\n") == 1, result.stderr
    assert result.stderr.startswith(b"spinlens: error: the search text is over 1,000 characters"), result.stderr
    assert not (tmp_path / "a.csv").exists()


def test_an_outlet_filter_with_control_characters_is_refused():
    for outlet in ("a\x00b", "\x1b"):  # PostgreSQL refuses a NUL in text
        with pytest.raises(InputError, match="control characters"):
            ArticleFilters(outlet=outlet)


def test_a_page_outlet_is_cut_to_the_column(tmp_path):
    # The page's own site name (og:site_name) is not the user's to shorten; PostgreSQL refused it.
    store = stored(tmp_path, [])
    article_id, _ = store.add(Analysis(Article("Evil men lied to us again.", metadata={"sitename": "S" * 300})))
    assert store.get(article_id)[0]["outlet"] == "S" * 200
    again, _ = store.add(Analysis(Article("Evil men lied to us once more.")))
    store.add(Analysis(Article("Evil men lied to us once more.", metadata={"hostname": "h" * 300})))  # fills the row
    assert store.get(again)[0]["outlet"] == "h" * 200


def _claimed(text: str, statuses: list[str]) -> Analysis:
    """An analysis whose sentences (one per status, "X." each) have the claims given, None for none; at most
    one "attributed"."""
    from spinlens.types import Attribution, Claim, SentenceScore, TextSpan

    body = " ".join(f"{text} {i}." for i in range(len(statuses)))
    starts = [i for i in range(len(body)) if body.startswith(text, i)]
    # An attributed sentence is its attribution's: one whose cue is the sentence's first word.
    attributions = tuple(Attribution(TextSpan(start, start + 3, body[start : start + 3]), (), (), "direct", "person", None, (), 0.9)
                         for start, status in zip(starts, statuses) if status == "attributed")
    sentences = tuple(SentenceScore(start, body.index(".", start) + 1, 0.5,
                                    Claim(status, (), 0 if status == "attributed" else None) if status else None)
                      for start, status in zip(starts, statuses))
    return Analysis(Article(body), (), sentences, attributions)


def test_claim_counts_are_stored_and_give_shares_per_outlet_and_day(tmp_path):
    from spinlens.store.queries import stats

    store = Store(f"sqlite:///{tmp_path / 'claims.db'}")
    a, _ = store.add(_claimed("The plan failed", ["asserted", "asserted", "hedged", "attributed", "question", "none"]),
                     ArticleMeta(outlet="a.example", published="2020-01-01"))
    store.add(_claimed("The vote failed", ["boosted", "hedged"]), ArticleMeta(outlet="a.example", published="2020-01-02"))
    store.add(_claimed("The talks failed", [None, None, None]), ArticleMeta(outlet="b.example", published="2020-01-02"))  # before claims
    row, _ = store.get(a)
    assert [row[c] for c in ("claim_sentences", "attributed_sentences", "asserted_sentences", "hedged_sentences", "boosted_sentences")] == [6, 1, 2, 1, 0]
    by_outlet = {g["group"]: g for g in stats(store, "outlet", ArticleFilters())}
    assert list(by_outlet["a.example"])[-5:] == ["claim_sentences", "attributed_share", "asserted_share", "hedged_share", "boosted_share"]
    shares = {k: v for k, v in by_outlet["a.example"].items() if k.endswith("_share") and k not in ("author_share", "quoted_share")}
    assert by_outlet["a.example"]["claim_sentences"] == 8
    assert shares == {"attributed_share": 0.125, "asserted_share": 0.25, "hedged_share": 0.25, "boosted_share": 0.125}
    # An outlet whose articles have no claims has no shares (null), not shares of 0.
    assert by_outlet["b.example"]["claim_sentences"] == 0 and by_outlet["b.example"]["hedged_share"] is None
    by_day = {g["group"]: g for g in stats(store, "day", ArticleFilters())}
    assert by_day["2020-01-02"]["claim_sentences"] == 2 and by_day["2020-01-02"]["boosted_share"] == 0.5
    assert stats(store, "day", ArticleFilters(outlet="b.example"))[0]["asserted_share"] is None


def test_a_schema_2_database_gains_the_claim_columns_at_zero(tmp_path):
    from spinlens.store.db import SCHEMA_VERSION
    from spinlens.store.queries import stats

    path = tmp_path / "old.db"
    old, _ = Store(f"sqlite:///{path}").add(_claimed("The plan failed", ["hedged", "asserted"]), ArticleMeta(outlet="o"))
    with sqlite3.connect(path) as connection:  # the tables as schema 2 had them
        for column in ("claim_sentences", "attributed_sentences", "asserted_sentences", "hedged_sentences", "boosted_sentences"):
            connection.execute(f"ALTER TABLE articles DROP COLUMN {column}")
        connection.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store = Store(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    row, _ = store.get(old)
    assert row["claim_sentences"] == row["hedged_sentences"] == 0  # rows stored before keep 0
    assert stats(store, "outlet", ArticleFilters())[0]["hedged_share"] is None
    store.add(_claimed("The vote failed", ["hedged", "boosted", "asserted", "asserted"]), ArticleMeta(outlet="o"))
    (group,) = stats(store, "outlet", ArticleFilters())
    assert (group["articles"], group["claim_sentences"], group["hedged_share"], group["asserted_share"]) == (2, 4, 0.25, 0.5)


def test_exports_lead_with_probability_where_an_analysis_has_one(tmp_path):
    from spinlens.store.export import fragment_rows, label_studio_tasks

    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    store.add(Analysis(Article("Vile lies and more."), (TechniqueSpan(0, 4, "Loaded_Language", 0.9, 0.8, probability=0.37),)), ArticleMeta())
    store.add(Analysis(Article("Evil lies, older file."), (TechniqueSpan(0, 4, "Loaded_Language", 0.6, 0.7),)), ArticleMeta())
    rows = sorted(fragment_rows(store), key=lambda r: r["article_id"])
    assert [(r["probability"], r["score"]) for r in rows] == [(0.37, 0.9), (None, 0.6)]
    scores = [task["predictions"][0]["result"][0]["score"] for task in sorted(label_studio_tasks(store), key=lambda t: t["data"]["article_id"])]
    assert scores == [0.37, 0.6]  # Label Studio's score: probability, else (an older analysis) score
