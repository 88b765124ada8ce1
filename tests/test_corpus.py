"""Corpus runs: store, batch (local and resumable), failures recorded, exports, spaCy component."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from spinlens.batch.runner import run_batch
from spinlens.batch.sources import iter_items
from spinlens.store.db import SCHEMA_VERSION, Store, StoreError
from spinlens.store.export import export, import_label_studio, utf16_offsets
from spinlens.techniques.labels import TECHNIQUES
from spinlens.types import Analysis, Article, TechniqueSpan

from conftest import FIXTURES, PROPAGANDA

ARTICLES = FIXTURES / "ptc" / "articles"


def test_store_keeps_one_row_per_text(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    analysis = Analysis(Article("Some text that is stored once."), (TechniqueSpan(0, 4, "Doubt", 0.5, 0.5),))
    assert store.add(analysis, key="a") == (1, True)
    assert store.add(analysis, key="b") == (1, False)
    assert store.count() == 1 and store.processed_keys() == {"a", "b"}
    assert store.get(1)[1] == analysis
    assert store.delete(1) and store.count() == 0


def test_an_article_and_its_input_key_are_written_together(tmp_path, monkeypatch):
    # A batch killed between the two writes would store a text whose input is not marked done, and
    # the resumed run would analyse it again (seen once as "1 duplicate texts" after kill -9).
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")

    def crash(*args):
        raise RuntimeError("killed")

    monkeypatch.setattr(store, "_mark", crash)
    with pytest.raises(RuntimeError):
        store.add(Analysis(Article("A text whose input key is never recorded.")), key="a")
    assert store.count() == 0 and store.processed_keys() == set()


def test_a_text_stored_by_another_writer_meanwhile_is_found(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store, other = Store(url), Store(url)
    analysis = Analysis(Article("The same text, sent to two writers at the same moment."))
    insert = store._insert

    def racing(connection, *args):  # the other writer commits the text between our check and insert
        other.add(analysis, key="theirs")
        return insert(connection, *args)

    monkeypatch.setattr(store, "_insert", racing)
    assert store.add(analysis, key="mine") == (1, False)
    assert store.count() == 1 and store.processed_keys() == {"mine", "theirs"}


def test_newer_database_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = Store(url)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer"):
        Store(url)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in ARTICLES.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 8)
    lines = tmp_path / "dump.jsonl"
    lines.write_text(
        json.dumps({"id": "p1", "text": PROPAGANDA, "outlet": "example.org", "published": "2018-11-02"}) + "\n"
        + "this line is not JSON\n"
        + json.dumps({"id": "p2", "html": (FIXTURES / "article.html").read_text(encoding="utf-8")}) + "\n",
        encoding="utf-8",
    )
    return [folder, lines]


def test_batch_records_failures_and_resumes(tmp_path, corpus):
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    first = run_batch(corpus, store, progress=False)
    assert (first.stored, first.failed, first.skipped) == (5, 2, 0)
    reasons = dict(store.failures())
    assert any("binary" in reason for reason in reasons.values())
    assert any("not JSON" in reason for reason in reasons.values())
    second = run_batch(corpus, store, progress=False)
    assert (second.stored, second.failed, second.skipped) == (0, 0, 7)
    assert store.count() == 5


def test_exports_load_in_pandas_and_duckdb(tmp_path, corpus):
    pandas = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    run_batch(corpus, store, progress=False)
    out, frags = tmp_path / "a.parquet", tmp_path / "f.parquet"
    assert export(store, "parquet", out, fragments_out=frags) == 5
    frame = pandas.read_parquet(out)
    assert len(frame) == 5 and frame["id"].is_unique and "Loaded_Language" in frame.columns
    assert duckdb.sql(f"select count(*) from '{out}'").fetchall()[0][0] == 5
    assert duckdb.sql(f"select count(distinct article_id) from '{frags}'").fetchall()[0][0] >= 1
    for fmt in ("jsonl", "csv"):
        assert export(store, fmt, tmp_path / f"a.{fmt}") == 5
    row = json.loads((tmp_path / "a.jsonl").read_text().splitlines()[0])
    assert row["fragments"] == sum(row[t] for t in TECHNIQUES)


def test_label_studio_round_trip(tmp_path):
    text = "Evil 🙂 traitors lied."
    store = Store(f"sqlite:///{tmp_path / 'd.db'}")
    store.add(Analysis(Article(text), (TechniqueSpan(7, 15, "Name_Calling,Labeling", 0.9, 0.8),)))
    tasks_file = tmp_path / "tasks.json"
    export(store, "label-studio", tasks_file)
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    value = tasks[0]["predictions"][0]["result"][0]["value"]
    assert (value["start"], value["end"]) == (8, 16)  # UTF-16 offsets: the emoji counts twice
    tasks[0]["annotations"] = [{"result": tasks[0]["predictions"][0]["result"], "updated_at": "2026-01-01"}]
    tasks_file.write_text(json.dumps(tasks), encoding="utf-8")
    assert import_label_studio(tasks_file, tmp_path / "ptc") == 1
    labels = (tmp_path / "ptc" / "train-labels-task2-technique-classification" / "article1.task2-TC.labels").read_text()
    assert labels == "1\tName_Calling,Labeling\t7\t15\n"
    assert utf16_offsets("a🙂b") == [0, 1, 3, 4]


def test_corrupt_warc_record_is_recorded(tmp_path):
    from warcio.warcwriter import WARCWriter
    from warcio.statusandheaders import StatusAndHeaders
    import io

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        body = (FIXTURES / "article.html").read_bytes()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record("https://www.example.org/story", "response", payload=io.BytesIO(body), http_headers=headers))
    with open(path, "ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00garbage that is not a gzip member")
    items = list(iter_items([path]))
    assert items[0].outlet == "example.org" and items[0].error is None
    assert items[-1].error and "corrupt" in items[-1].error
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    summary = run_batch([path], store, progress=False)
    assert (summary.stored, summary.failed) == (1, 1)


def test_kill_and_resume_stores_each_article_once(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    base = PROPAGANDA
    for i in range(40):
        (folder / f"a{i:03d}.txt").write_text(f"Report number {i}. " + base, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'k.db'}"
    command = [sys.executable, "-m", "spinlens", "batch", str(folder), "--db", db, "--batch-size", "2", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = Store(db)
    deadline = time.time() + 120
    while store.count() < 10 and time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored_before = store.count()
    assert 0 < stored_before < 40
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{40 - stored_before} stored" in result.stdout and f"{stored_before} skipped" in result.stdout
    assert store.count() == 40


def test_spacy_component_puts_fragments_in_span_groups():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("spinlens")
    doc = nlp(PROPAGANDA)
    spans = doc.spans["spinlens_techniques"]
    assert spans and all(s._.spinlens_score is not None for s in spans)
    assert doc._.spinlens.text == PROPAGANDA
    assert set(doc.spans) >= {"spinlens_sources", "spinlens_cues", "spinlens_contents"}


@pytest.mark.parametrize("engine, workers", [("local", 2), ("dask", 2)])
def test_parallel_engines_store_the_same_analyses(tmp_path, corpus, engine, workers):
    if engine == "dask":
        pytest.importorskip("dask.distributed")
    serial = Store(f"sqlite:///{tmp_path / 'serial.db'}")
    run_batch(corpus, serial, progress=False)
    parallel = Store(f"sqlite:///{tmp_path / 'parallel.db'}")
    summary = run_batch(corpus, parallel, workers=workers, engine=engine, progress=False)
    assert (summary.stored, summary.failed) == (5, 2)
    by_hash = lambda store: {row["content_hash"]: row["analysis"] for row in store.iter_articles()}
    assert by_hash(parallel) == by_hash(serial)
