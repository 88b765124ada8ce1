"""Corpus runs: store, batch (local and resumable), failures recorded, exports, spaCy component."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, PROPAGANDA
from spinlens.batch.runner import run_batch
from spinlens.batch.sources import iter_items
from spinlens.labels import TECHNIQUES
from spinlens.store.db import SCHEMA_VERSION, Store, StoreError
from spinlens.store.export import export, import_label_studio
from spinlens.types import Analysis, Article, TechniqueSpan

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
    # Every stored article has a title: a PTC file's first line (its headline), the page's, and for a record
    # whose text opens with no headline, the file's name and line; the text keeps its first line.
    rows = {row["external_id"]: row for row in store.iter_articles()}
    assert rows["728153988"]["title"] == "Illegal alien wanted for attempted murder in NC arrested at US-Mexico border"
    assert Analysis.from_json(rows["728153988"]["analysis"]).text == (ARTICLES / "article728153988.txt").read_text(encoding="utf-8")
    assert rows["p1"]["title"] == "dump.jsonl:1"
    assert rows["p2"]["title"] == "The Great Betrayal of Our Nation"


def test_inputs_the_database_cannot_hold_as_named_fail_alone(tmp_path):
    # A Latin-1 file name and a lone surrogate in a record's title stopped every run (UnicodeEncodeError).
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(PROPAGANDA, encoding="utf-8")
    latin = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(latin, "wb") as handle:
        handle.write(("Another story. " + PROPAGANDA).encode())
    records = folder / "r.jsonl"
    records.write_text(json.dumps({"text": "A third one. " + PROPAGANDA, "title": "bad \udc80"}) + "\n", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    first = run_batch([folder], store, progress=False)
    assert (first.stored, first.failed) == (2, 1)
    assert "'title' cannot contain a lone surrogate (U+DC80)" in dict(store.failures())[f"{records}:1"]
    assert str(folder / "caf\\xe9.txt") in store.processed_keys(include_failed=False)
    second = run_batch([folder], store, progress=False)  # and the next run knows them all
    assert (second.stored, second.failed, second.skipped) == (0, 0, 3)


def test_what_a_folder_holds_but_cannot_be_read_is_recorded(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "a.txt").write_text(PROPAGANDA, encoding="utf-8")
    (folder / "ok.txt").write_text(PROPAGANDA, encoding="utf-8")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (folder / "loop").symlink_to(folder)  # a link loop: the folder is read once
    real_scandir = os.scandir

    def scandir(path):  # tests run as root, where chmod 000 hides nothing
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = {item.key: item.error for item in iter_items([folder])}
    assert items == {str(folder / "dangling.txt"): f"{folder / 'dangling.txt'}: a broken symbolic link",
                     str(folder / "locked"): f"{folder / 'locked'}: Permission denied", str(folder / "ok.txt"): None}


def test_a_lone_surrogate_in_a_record_id_fails_that_record_alone(tmp_path):
    # A JSON "\ud800" id stood for no byte: building its key raised and ended the run.
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"id": "\ud800", "text": PROPAGANDA}) + "\n" + json.dumps({"text": PROPAGANDA}) + "\n", encoding="utf-8")
    first, second = iter_items([path])
    assert "'id' cannot contain a lone surrogate (U+D800)" in first.error and second.error is None
    assert first.key.endswith(":id=\\xed\\xa0\\x80")


def test_keys_longer_than_their_column_stay_unique():
    from spinlens.batch.sources import storable_key
    from spinlens.store.db import KEY_WIDTH

    a, b = storable_key("/x" + "y" * 600 + "/a.txt"), storable_key("/x" + "y" * 600 + "/b.txt")
    assert len(a) == len(b) == KEY_WIDTH and a != b and a == storable_key("/x" + "y" * 600 + "/a.txt")
    assert storable_key("/corpus/article1.txt") == "/corpus/article1.txt"  # keys of earlier runs are kept


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
    # Label Studio counts code points, as its own test of this case does ("🐱 Warning: This is a test text":
    # "test" at 21-25): the emoji counts once. They were written as UTF-16 units, one too far per emoji.
    assert (value["start"], value["end"]) == (7, 15) and text[7:15] == value["text"]
    tasks[0]["annotations"] = [{"result": tasks[0]["predictions"][0]["result"], "updated_at": "2026-01-01"}]
    tasks_file.write_text(json.dumps(tasks), encoding="utf-8")
    assert import_label_studio(tasks_file, tmp_path / "ptc") == 1
    labels = (tmp_path / "ptc" / "train-labels-task2-technique-classification" / "article1.task2-TC.labels").read_text()
    assert labels == "1\tName_Calling,Labeling\t7\t15\n"
    # An annotation as Label Studio records it on its own emoji example.
    recorded = [{"data": {"text": "🐱 Warning: This is a test text"},
                 "annotations": [{"result": [{"value": {"start": 21, "end": 25, "text": "test", "labels": ["Slogans"]}}]}]}]
    tasks_file.write_text(json.dumps(recorded), encoding="utf-8")
    assert import_label_studio(tasks_file, tmp_path / "recorded") == 1
    (labels,) = (tmp_path / "recorded" / "train-labels-task2-technique-classification").glob("*.labels")
    assert labels.read_text().split("\t")[2:] == ["21", "25\n"]


def test_corrupt_warc_record_is_recorded(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

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


def test_spacy_pipe_analyses_documents_in_batches_with_the_same_results(monkeypatch):
    # nlp.pipe called the component once per document: the Analyzer never batched.
    spacy = pytest.importorskip("spacy")
    from spinlens.pipeline import Analyzer

    nlp = spacy.blank("en")
    nlp.add_pipe("spinlens")
    texts = [PROPAGANDA, "   ", "The minister said the talks had failed. " + PROPAGANDA, PROPAGANDA + " Again."]
    one_by_one = [nlp(t)._.spinlens_data for t in texts]
    sizes = []
    model = type(Analyzer().technique_model)
    original = model.run
    monkeypatch.setattr(model, "run", lambda self, texts, **options: sizes.append(len(texts)) or original(self, texts, **options))
    piped = list(nlp.pipe(texts, batch_size=4))
    assert [d._.spinlens_data for d in piped] == one_by_one and one_by_one[1] is None
    assert sizes == [3] and list(piped[1].spans["spinlens_techniques"]) == []


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


def test_jsonl_records_with_a_repeated_id_are_each_stored_once(tmp_path):
    # The later line with an id overwrote the earlier one (the number 7 and the string "7" alike).
    path = tmp_path / "d.jsonl"
    records = [{"id": "x", "text": "A. " + PROPAGANDA}, {"id": "x", "text": "B. " + PROPAGANDA},
               {"id": 7, "text": "C. " + PROPAGANDA}, {"id": "7", "text": "D. " + PROPAGANDA}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    first = run_batch([path], store, progress=False)
    assert (first.stored, first.duplicates, first.failed) == (4, 0, 0)
    assert {key.rsplit(":", 1)[1] for key in store.processed_keys()} == {"id=x", "2", "id=7", "4"}
    assert sorted(row["external_id"] for row in store.iter_articles()) == ["7", "7", "x", "x"]
    second = run_batch([path], store, progress=False)
    assert (second.stored, second.duplicates, second.skipped) == (0, 0, 4)


def test_a_bad_byte_in_json_lines_costs_only_its_line(tmp_path):
    # A text stream lost its place at the bad byte: the next 48 lines vanished, the rest got wrong keys.
    lines = [json.dumps({"text": f"line {n} " * 20}).encode() for n in range(1, 301)]
    lines[1] = lines[1].replace(b"line", b"l\xffne", 1)
    path = tmp_path / "u.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = list(iter_items([path]))
    assert len(items) == 300 and "not valid UTF-8" in items[1].error
    assert all(item.key.endswith(f":{n}") and item.text.startswith(f"line {n} ") for n, item in enumerate(items, 1) if n != 2)


def test_json_lines_fields_are_checked(tmp_path):
    path = tmp_path / "f.jsonl"
    values = ["2020-02-28", "2020-02-30", "yesterday", 12345, "2020-02-28T10:00:00Z"]
    path.write_text("".join(json.dumps({"text": PROPAGANDA, "published": v}) + "\n" for v in values)
                    + json.dumps({"id": ["a"], "text": PROPAGANDA}) + "\n" + json.dumps({"url": 3, "text": PROPAGANDA}) + "\n",
                    encoding="utf-8")
    items = list(iter_items([path]))
    assert items[0].error is None and items[0].published == "2020-02-28"
    assert all("'published' must be a date written YYYY-MM-DD" in item.error for item in items[1:5])
    assert "'id' must be" in items[5].error and "'url' must be a string" in items[6].error


def test_json_lines_titles_and_outlets_must_be_storable(tmp_path):
    # PostgreSQL refuses a NUL and an outlet wider than its column: said per record, not a failed batch.
    path = tmp_path / "t.jsonl"
    records = [{"text": PROPAGANDA, "title": "a\u0000b"}, {"text": PROPAGANDA, "outlet": "o" * 201},
               {"text": PROPAGANDA, "outlet": "o" * 200, "title": "Fine"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    first, second, third = iter_items([path])
    assert "'title' cannot contain control characters (it has U+0000)" in first.error
    assert "'outlet' is longer than 200 characters" in second.error and third.error is None


def _write_warc(path, count: int, gzip: bool) -> list[int]:
    """`count` HTML responses, each with its own text; returns their offsets."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for n in range(count):
            body = html.replace("Make no mistake:", f"Make no mistake, for the {n + 1}th time:").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
            writer.write_record(writer.create_warc_record(
                f"https://www.example.org/story{n}", "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-05T10:20:30Z"}))
    return [int(item.key.rsplit("#", 1)[1]) for item in iter_items([path])]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_damaged_warc_record_costs_only_itself(tmp_path, name):
    # The first bad record ended the file, and its reason carried raw bytes to the terminal.
    path = tmp_path / name
    offsets = _write_warc(path, 3, gzip=name.endswith(".gz"))
    data = path.read_bytes()
    if name.endswith(".gz"):  # damage the second gzip member
        middle = (offsets[1] + offsets[2]) // 2
        data = data[:middle] + bytes(b ^ 0x55 for b in data[middle:middle + 20]) + data[middle + 20:]
    else:  # garbage between the first and second records
        data = data[:offsets[1]] + bytes(range(256)) * 3 + data[offsets[1]:]
    path.write_bytes(data)
    items = list(iter_items([path]))
    assert [item.error is None for item in items] == ([True, False, True] if name.endswith(".gz") else [True, False, True, True])
    assert items[0].published == "2024-03-05" and items[0].outlet == "example.org"
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    summary = run_batch([path], store, progress=False)
    assert (summary.stored, summary.failed) == (len(items) - 1, 1)
    (key, reason), = store.failures()
    assert key == items[1].key and reason.isprintable() and len(reason) <= 200


def test_a_crawled_page_is_decoded_as_a_fetched_one(tmp_path):
    # WARC bodies were decoded as UTF-8 with replacement whatever the page declared: a Windows-1252 page
    # lost its curly quotes to U+FFFD, and a page that is not valid in its charset was analysed anyway.
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("Make no mistake:", "\u201cMake no mistake\u201d:")
    assert "\u201c" in page
    declared_in_meta = page.replace("<head>", '<head><meta charset="windows-1252">', 1).encode("cp1252")
    path = tmp_path / "crawl.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for n, (body, content_type) in enumerate([(declared_in_meta, "text/html"), (page.encode("cp1252"), "text/html; charset=utf-8")]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.0")
            writer.write_record(writer.create_warc_record(
                f"https://example.org/{n}", "response", payload=io.BytesIO(body), http_headers=headers))
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    summary = run_batch([path], store, progress=False)
    assert (summary.stored, summary.failed) == (1, 1)
    (stored,) = [json.loads(row["analysis"])["text"] for row in store.iter_articles()]
    assert "\u201cMake no mistake\u201d" in stored and "\ufffd" not in stored
    (key, reason), = store.failures()
    assert key.startswith(f"{path}#") and "is not valid utf-8" in reason


@pytest.mark.parametrize("name, cut", [("crawl.warc", 400), ("crawl.warc.gz", 400), ("crawl.warc.gz", -3)])
def test_a_truncated_warc_record_fails(tmp_path, name, cut):
    # A cut-off last record was analysed as a whole article. -3: a gzip member cut in its trailer.
    path = tmp_path / name
    offsets = _write_warc(path, 2, gzip=name.endswith(".gz"))
    path.write_bytes(path.read_bytes()[:offsets[1] + cut if cut > 0 else cut])
    items = list(iter_items([path]))
    assert len(items) == 2 and items[0].error is None and "truncated record" in items[1].error


def test_files_in_a_folder_are_read_by_their_extension(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "dump.jsonl").write_text(json.dumps({"id": "p1", "text": PROPAGANDA}) + "\n", encoding="utf-8")
    _write_warc(folder / "crawl.warc.gz", 1, gzip=True)
    items = list(iter_items([folder]))
    assert [item.key.rsplit("/", 1)[1] for item in items] == ["crawl.warc.gz#0", "dump.jsonl:id=p1"]
    assert all(item.error is None for item in items) and items[1].text == PROPAGANDA


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spinlens", "batch", *args, "--no-progress"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_batch_exit_status_and_summary(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    db = f"sqlite:///{tmp_path / 'e.db'}"
    first = _cli(str(binary), "--db", db)
    assert first.returncode == 2 and "binary" in first.stderr and "1 failed" in first.stdout
    again = _cli(str(binary), "--db", db)
    assert again.returncode == 3 and "1 skipped (done before; 1 of them failed, --retry-failed" in again.stdout
    refused = _cli(str(binary), "--db", f"sqlite:///{tmp_path / 'none.db'}", "--scheduler", "tcp://127.0.0.1:1")
    assert refused.returncode == 2 and "--scheduler needs --engine dask" in refused.stderr
    assert not (tmp_path / "none.db").exists()


def test_an_unreachable_dask_scheduler_is_a_one_line_error(tmp_path):
    pytest.importorskip("dask.distributed")
    result = _cli(str(ARTICLES), "--db", f"sqlite:///{tmp_path / 's.db'}", "--engine", "dask", "--scheduler",
                  "tcp://127.0.0.1:1", env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("spinlens: error: cannot connect to the Dask scheduler tcp://127.0.0.1:1")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_parallel_run_keeps_the_metadata_of_the_first_input_with_a_text(tmp_path):
    # Results were written as batches finished: a copy in a quicker later batch was stored first, and
    # the PTC article's external id was lost.
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a_long.txt").write_text(" ".join([PROPAGANDA] * 40), encoding="utf-8")  # slows the first batch
    (folder / "article111111111.txt").write_text(PROPAGANDA, encoding="utf-8")
    (folder / "dup_of_111.txt").write_text(PROPAGANDA, encoding="utf-8")
    for n in range(5):
        (folder / f"e{n}.txt").write_text(f"Report number {n}. " + PROPAGANDA, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'o.db'}")
    summary = run_batch([folder], store, workers=2, batch_size=2, progress=False)
    assert (summary.stored, summary.duplicates) == (7, 1)
    assert store.get(store.has_text(PROPAGANDA))[0]["external_id"] == "111111111"


def test_fragment_exports_name_the_technique_column_as_the_json_does(tmp_path):
    # Parquet and CSV called it `label` where the analysis JSON (and docs/schema.md) says `technique`.
    parquet = pytest.importorskip("pyarrow.parquet")
    import csv

    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    store.add(Analysis(Article("Evil men lied to us again."), (TechniqueSpan(0, 4, "Doubt", 0.5, 0.5),)))
    for fmt in ("parquet", "csv", "jsonl"):
        assert export(store, fmt, tmp_path / f"a.{fmt}", fragments_out=tmp_path / f"f.{fmt}") == 1
    with open(tmp_path / "f.csv", encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    for rows in (parquet.read_table(tmp_path / "f.parquet").to_pylist(), csv_rows,
                 [json.loads(line) for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()]):
        assert [row["technique"] for row in rows] == ["Doubt"] and "label" not in rows[0]


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_a_new_export_gets_the_usual_permissions(tmp_path, umask):
    # mkstemp's 0600 stayed on every new export file whatever the umask.
    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    store.add(Analysis(Article("Evil men lied to us again."), (TechniqueSpan(0, 4, "Doubt", 0.5, 0.5),)))
    old = os.umask(umask)
    try:
        export(store, "csv", tmp_path / "a.csv", fragments_out=tmp_path / "f.csv")
        export(store, "label-studio", tmp_path / "tasks.json")
    finally:
        os.umask(old)
    for name in ("a.csv", "f.csv", "tasks.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
