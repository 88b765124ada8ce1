"""One article's failure is that article's alone: in the library, in corpus runs and in the API."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROPAGANDA
from spinlens.batch.runner import run_batch
from spinlens.errors import AnalysisError, InputError
from spinlens.pipeline import Analyzer
from spinlens.store.db import SCHEMA_VERSION, Store

# Ordinary wording that crashed the speaker linking (a source whose head word was "outlets" read the
# cache's list of outlets as its name search), each in its own way.
OUTLET_TEXTS = [
    "Several news outlets said the plan was a disaster. The newspaper said it was worse.",
    "The newspaper said it was a disaster. Media outlets said the senator lied.",
    "Reuters and the BBC reported the plan. The newspaper said it was a disaster. Media outlets said the senator lied.",
    "He met the heads of Big Media Outlets on Monday. News outlets said the plan was a disaster. The newspaper said it was worse.",
]
OTHER = "The committee met on Tuesday and published its annual report on road maintenance in the county."
MARK = "CRASH-ME"


@pytest.mark.parametrize("text", OUTLET_TEXTS)
def test_texts_that_name_outlets_are_analysed(analyzer, text):
    analysis = analyzer.analyze(text)
    assert [a.cue.text for a in analysis.attributions].count("said") >= 2
    for attribution in analysis.attributions:
        if attribution.speaker is not None:
            assert text[attribution.speaker.start : attribution.speaker.end] == attribution.speaker.text


@pytest.fixture
def faulty(monkeypatch):
    """An analyser whose stages fail, as a bug would, on any text holding MARK."""
    original = Analyzer._analysis

    def analysis(self, model, tagger, article, outputs, model_info):
        if MARK in article.text:
            raise RuntimeError(f"a bug\nmet {MARK}")
        return original(self, model, tagger, article, outputs, model_info)

    monkeypatch.setattr(Analyzer, "_analysis", analysis)
    return Analyzer(threads=1, batch_size=3)


def test_a_fault_in_one_article_fails_it_alone(faulty):
    items = [OTHER, f"{MARK} {OTHER}", "", OTHER, 7, PROPAGANDA, f"{OTHER} {MARK}"]
    none = list(faulty.analyze_many(items, errors="none"))
    assert [r is None for r in none] == [False, True, True, False, True, False, True]
    assert none[5].text == PROPAGANDA and none[0].text == OTHER
    returned = list(faulty.analyze_many(items, errors="return"))
    assert [type(r).__name__ for r in returned] == ["Analysis", "AnalysisError", "InputError", "Analysis", "TypeError", "Analysis", "AnalysisError"]
    error = returned[1]
    assert str(error) == "item 1: analysis failed: RuntimeError: a bug met CRASH-ME"
    assert error.position == 1 and isinstance(error.cause, RuntimeError) and error.__cause__ is error.cause
    assert str(returned[6]).startswith("item 6: ")


def test_a_fault_raised_names_its_item_after_the_analyses_before_it(faulty):
    results = faulty.analyze_many([OTHER, PROPAGANDA, f"{MARK} {OTHER}", OTHER])
    assert next(results).text == OTHER and next(results).text == PROPAGANDA
    with pytest.raises(AnalysisError, match=r"^item 2: analysis failed: RuntimeError"):
        next(results)


def test_a_failing_encoder_pass_costs_only_the_article_that_broke_it(monkeypatch):
    analyzer = Analyzer(threads=1, batch_size=4)
    model = analyzer.technique_model
    original = type(model).run

    def run(self, texts, **options):
        if any(MARK in text for text in texts):
            raise ValueError("the tokenizer choked")
        return original(self, texts, **options)

    monkeypatch.setattr(type(model), "run", run)
    results = list(analyzer.analyze_many([OTHER, f"{MARK} {OTHER}", PROPAGANDA], errors="return"))
    assert [type(r).__name__ for r in results] == ["Analysis", "AnalysisError", "Analysis"]
    assert "ValueError: the tokenizer choked" in str(results[1])


def test_a_missing_model_is_the_runs_error_not_an_articles(tmp_path):
    analyzer = Analyzer(model_dir=tmp_path)
    with pytest.raises(InputError.__base__):  # ModelError, a SpinlensError: not one AnalysisError per article
        list(analyzer.analyze_many([OTHER, PROPAGANDA], errors="return"))


def test_a_corpus_run_records_a_fault_and_goes_on(tmp_path, monkeypatch, faulty):
    from spinlens import __version__
    from spinlens.batch import runner

    monkeypatch.setattr(runner, "_analyzer", lambda threads, explain=False, min_probability=None, min_attribution_score=None: faulty)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(f"Report {i}. {PROPAGANDA}", encoding="utf-8")
    (folder / "bad.txt").write_text(f"{MARK} {PROPAGANDA}", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    summary = run_batch([folder], store, progress=False, batch_size=4)
    assert (summary.stored, summary.failed) == (5, 1)
    [(key, reason)] = store.failures()
    assert key.endswith("bad.txt") and reason == "analysis failed: RuntimeError: a bug\\nmet CRASH-ME"
    with store.engine.connect() as connection:
        versions = {row[0] for row in connection.exec_driver_sql("SELECT spinlens_version FROM inputs")}
    assert versions == {__version__}


def test_a_database_of_schema_1_gains_the_version_column(tmp_path):
    import sqlalchemy as sa

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # the inputs and meta tables as version 1 made them
        connection.exec_driver_sql("CREATE TABLE inputs (key VARCHAR(512) PRIMARY KEY, article_id INTEGER, "
                                   "status VARCHAR(16) NOT NULL, error TEXT, created_at VARCHAR(32) NOT NULL)")
        connection.exec_driver_sql("CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)")
        connection.exec_driver_sql("INSERT INTO meta VALUES ('schema_version', '1')")
        connection.exec_driver_sql("INSERT INTO inputs VALUES ('old.txt', NULL, 'failed', 'binary', '2026-01-01')")
    engine.dispose()
    store = Store(f"sqlite:///{path}")
    store.record_failure("new.txt", "binary")
    assert dict(store.failures()) == {"new.txt": "binary", "old.txt": "binary"}
    with store.engine.connect() as connection:
        rows = dict(connection.exec_driver_sql("SELECT key, spinlens_version FROM inputs").fetchall())
        version = connection.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar_one()
    assert rows["old.txt"] is None and rows["new.txt"] and version == str(SCHEMA_VERSION)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"a{i:03d}.txt").write_text(f"Report number {i}. {PROPAGANDA}", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'k.db'}"
    command = [sys.executable, "-m", "spinlens", "batch", str(folder), "--db", db, "--workers", "2", "--batch-size", "2", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = Store(db)
    deadline = time.time() + 120
    while store.count() < 4 and time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
    workers = _children(process.pid)
    assert len(workers) >= 2  # the two workers (and multiprocessing's resource tracker)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.time() + 10
    while any(_alive(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]
    stored_before = store.count()
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{60 - stored_before} stored" in result.stdout and store.count() == 60


def test_a_named_pipe_without_a_writer_is_a_one_line_error(tmp_path, monkeypatch):
    from spinlens import ingest
    from spinlens.ingest import decode

    monkeypatch.setattr(decode, "PIPE_WAIT", 0.2)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    started = time.monotonic()
    with pytest.raises(InputError, match="pipe is a named pipe and nothing wrote to it within 0.2 s"):
        ingest.from_file(pipe)
    assert time.monotonic() - started < 5
    writer = subprocess.Popen(["sh", "-c", f"sleep 0.05; printf '%s' '{OTHER}' > '{pipe}'"])
    assert ingest.from_file(pipe).text == OTHER
    writer.wait()


def test_a_named_pipe_in_a_batch_is_recorded_as_not_a_regular_file(tmp_path):
    from spinlens.batch.sources import iter_items

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    [item] = iter_items([pipe])
    assert item.error.endswith("not a regular file (a pipe, socket or device)")
