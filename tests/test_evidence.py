"""The nearest annotated examples beside each flag (`--explain`): the shipped index, the search, the plumbing."""

import json
import os

import numpy as np
import pytest

from conftest import FIXTURES, PROPAGANDA, batch_one
from spinlens import Analysis, Analyzer, ModelError
from spinlens.labels import TECHNIQUE_INDEX, TECHNIQUES
from spinlens.loaders import EXAMPLES_FILE, example_index, technique_model
from spinlens.models import TECHNIQUES as SHIPPED
from spinlens.techniques.evidence import ExampleIndex, line_around, quantise

LOADED = "Loaded_Language"


@pytest.fixture(scope="module")
def explaining():
    return Analyzer(threads=1, explain=True)


@pytest.fixture(scope="module")
def explained(explaining):
    return explaining.analyze(PROPAGANDA)


PTC_ID = "999000565"  # a PTC train article (tests/fixtures/ptc), with Loaded_Language flagged in it
PTC_TEXT = (FIXTURES / "ptc" / "articles" / f"article{PTC_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ptc_explained(explaining):
    return explaining.analyze(PTC_TEXT)


def tiny_index(encoder="test-encoder", texts=("evil", "EVIL", "corrupt regime", "great nation")):
    """Four Loaded_Language fragments, ever further from the first; the first two one text (case aside), the last
    also Flag-Waving."""
    vectors = np.eye(len(texts), 8, dtype=np.float32)
    vectors[:, 0] += [0, 2, 0.5, 0.2]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    techniques = np.zeros((len(texts), len(TECHNIQUES)), dtype=bool)
    techniques[:, TECHNIQUE_INDEX[LOADED]] = True
    techniques[3, TECHNIQUE_INDEX["Flag-Waving"]] = True
    return ExampleIndex(encoder, quantise(vectors), techniques, np.zeros((len(texts), 2), dtype=np.int32), ("1", "2", "3", "4"),
                        tuple(texts), tuple(f"They are {t}." for t in texts))


def test_the_shipped_index_is_small_and_built_with_the_shipped_encoder():
    path = SHIPPED / EXAMPLES_FILE
    assert path.stat().st_size <= 5 * 1024 * 1024
    index = example_index(SHIPPED, str(technique_model().card.version))
    assert index.encoder == technique_model().card.version
    assert len(index) > 5000 and index.vectors.dtype == np.int8 and index.vectors.shape[1] == 384
    assert index.techniques.any(axis=1).all()  # every fragment carries a gold technique
    assert all(text in sentence for text, sentence in zip(index.texts, index.sentences))
    assert np.allclose(np.linalg.norm(index.unit, axis=1), 1, atol=1e-5)


def test_a_loaded_language_flag_gets_loaded_language_examples(ptc_explained):
    flagged = [t for t in ptc_explained.techniques if t.technique == LOADED]
    assert flagged, [t.technique for t in ptc_explained.techniques]
    for span in flagged:
        assert 1 <= len(span.examples) <= 3
        assert [e.technique for e in span.examples] == [LOADED] * len(span.examples)
        similarities = [e.similarity for e in span.examples]
        assert all(-1 <= s <= 1 and s == round(s, 3) for s in similarities) and similarities == sorted(similarities, reverse=True)
        assert all(e.text in e.sentence and e.article_id.isdigit() for e in span.examples)
        assert len({e.text.casefold() for e in span.examples}) == len(span.examples)  # one per fragment text


def test_without_explain_there_are_no_examples(propaganda_analysis, explained):
    assert propaganda_analysis.techniques and all(t.examples == () for t in propaganda_analysis.techniques)
    # The evidence is added to the same spans: nothing else of the analysis changes.
    assert [(t.start, t.end, t.technique, t.score) for t in explained.techniques] == \
        [(t.start, t.end, t.technique, t.score) for t in propaganda_analysis.techniques]


def test_examples_round_trip_through_json(explained):
    assert any(t.examples for t in explained.techniques)
    assert Analysis.from_json(explained.to_json()) == explained
    data = json.loads(explained.to_json())
    assert set(data["techniques"][0]["examples"][0]) == {"article_id", "technique", "text", "sentence", "similarity"}


def test_a_ptc_train_article_does_not_find_its_own_fragments(ptc_explained):
    examples = [e for t in ptc_explained.techniques for e in t.examples]
    assert examples
    assert all(e.article_id != PTC_ID and e.sentence.strip("…") not in PTC_TEXT for e in examples)
    # The index does hold its gold fragments: only the search passes them over.
    assert PTC_ID in example_index(SHIPPED, str(technique_model().card.version)).article_ids


def test_more_examples_and_bad_options():
    analysis = Analyzer(threads=1, explain=True, examples=5).analyze(PROPAGANDA)
    assert max(len(t.examples) for t in analysis.techniques) == 5
    for options in ({"explain": "yes"}, {"explain": True, "examples": 6}, {"explain": True, "examples": 0}):
        with pytest.raises(ValueError):
            Analyzer(**options)


def test_nearest_ranks_by_cosine_and_skips_repeats_and_what_it_is_told():
    index = tiny_index()
    query = index.unit[0]
    found = index.nearest(query, LOADED, k=3)
    assert [e.text for e in found] == ["evil", "corrupt regime", "great nation"]  # "EVIL" repeats a better one
    assert found[0].similarity == 1.0 and found[1].similarity > found[2].similarity > 0
    assert [e.text for e in index.nearest(query, "Flag-Waving", k=3)] == ["great nation"]
    assert index.nearest(query, "Slogans", k=3) == []
    assert "evil" not in [e.text for e in index.nearest(query, LOADED, k=3, skip=lambda row: row == 0)]
    assert [e.text for e in index.nearest(query, LOADED, k=1, skip=lambda row: row == 0)] == ["EVIL"]


def test_long_lines_are_cut_around_the_fragment():
    text = "Title\n\n" + "word " * 100 + "the corrupt elite" + " more" * 100 + "\nNext line."
    start = text.index("the corrupt elite")
    line = line_around(text, start, start + len("the corrupt elite"), context=30)
    assert line.startswith("…") and line.endswith("…") and "the corrupt elite" in line and len(line) < 100
    assert line_around("A short line.\nB", 2, 7) == "A short line."


def model_folder(tmp_path, index=None):
    """A technique model folder of links to the shipped files, with `index` as its examples."""
    folder = tmp_path / "model"
    folder.mkdir()
    for name in ("model.onnx", "tokenizer.json", "card.json"):
        os.symlink(SHIPPED / name, folder / name)
    if index is not None:
        index.write(folder / EXAMPLES_FILE)
    return folder


def test_an_index_of_another_encoder_is_refused_in_one_line(tmp_path):
    folder = model_folder(tmp_path, tiny_index(encoder="2020-01-01+00000000"))
    with pytest.raises(ModelError) as error:
        Analyzer(folder, threads=1, attribution=False, explain=True).analyze(PROPAGANDA)
    message = str(error.value)
    assert "\n" not in message and "2020-01-01+00000000" in message and str(technique_model().card.version) in message
    # Without explain the index is never read.
    assert Analyzer(folder, threads=1, attribution=False).analyze(PROPAGANDA).techniques


def test_a_missing_or_broken_index_is_a_one_line_model_error(tmp_path):
    folder = model_folder(tmp_path)
    with pytest.raises(ModelError, match="spinlens train examples") as error:
        Analyzer(folder, threads=1, attribution=False, explain=True).analyze(PROPAGANDA)
    assert "\n" not in str(error.value)
    for broken in (b"not a zip file", (SHIPPED / EXAMPLES_FILE).read_bytes()[:1000]):  # a pickle to numpy; a zip cut short
        (folder / EXAMPLES_FILE).write_bytes(broken)
        example_index.cache_clear()
        with pytest.raises(ModelError, match="cannot read it") as error:
            example_index(folder, "x")
        assert "\n" not in str(error.value)


def test_cli_explain_puts_examples_in_the_json(tmp_path):
    from test_cli import spinlens

    source = tmp_path / "article.txt"
    source.write_text(PROPAGANDA, encoding="utf-8")
    for flag, out in (("--explain", tmp_path / "explained.json"), (None, tmp_path / "plain.json")):
        result = spinlens("analyze", source, "--format", "json", "--out", out, *([flag] if flag else []))
        assert result.returncode == 0, result.stderr
    explained = json.loads((tmp_path / "explained.json").read_text(encoding="utf-8"))
    plain = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    assert any(t["examples"] for t in explained["techniques"])
    assert all(e["technique"] == t["technique"] for t in explained["techniques"] for e in t["examples"])
    assert plain["techniques"] and all(t["examples"] == [] for t in plain["techniques"])


def test_batch_explain_stores_the_examples(tmp_path):
    analysis = batch_one(tmp_path, PROPAGANDA, explain=True)
    assert any(t.examples for t in analysis.techniques)


def test_api_explain_gives_examples(tmp_path):
    from spinlens.server.app import create_app
    from test_server import ready_client

    client = ready_client(create_app(f"sqlite:///{tmp_path / 'e.db'}"))
    plain = client.post("/api/analyze", json={"text": PROPAGANDA})
    assert plain.status_code == 200, plain.text
    assert plain.json()["techniques"] and all(t.get("examples", []) == [] for t in plain.json()["techniques"])
    # The same text again with explain: stored without examples, so they come from analysing it again.
    explained = client.post("/api/analyze", json={"text": PROPAGANDA, "explain": True})
    assert explained.status_code == 200, explained.text
    body = explained.json()
    assert body["cached"] is True and any(t["examples"] for t in body["techniques"])
    assert all(e["technique"] == t["technique"] and -1 <= e["similarity"] <= 1 for t in body["techniques"] for e in t["examples"])
    other = client.post("/api/analyze", json={"text": PROPAGANDA + " They lie and lie.", "explain": True}).json()
    assert other["cached"] is False and any(t["examples"] for t in other["techniques"])


def test_train_examples_builds_an_index_the_analyzer_reads(tmp_path):
    import shutil

    from test_cli import spinlens

    data = tmp_path / "ptc"
    shutil.copytree(FIXTURES / "ptc" / "articles", data / "train-articles")
    shutil.copytree(FIXTURES / "ptc" / "labels", data / "train-labels-task2-technique-classification")
    folder = model_folder(tmp_path)
    result = spinlens("train", "examples", "--data", data, "--model", folder, "--threads", 1)
    assert result.returncode == 0, result.stderr
    index = example_index(folder, str(technique_model().card.version))
    gold = {line.split("\t")[0] + ":" + ":".join(line.split("\t")[2:4]).strip()
            for path in (data / "train-labels-task2-technique-classification").iterdir() for line in path.read_text().splitlines() if line}
    assert {f"{a}:{s}:{e}" for a, (s, e) in zip(index.article_ids, index.offsets.tolist())} == gold
    shipped = example_index(SHIPPED, index.encoder)  # the same fragments, the same vectors as in the shipped index
    row = shipped.article_ids.index("999000565")
    mine = [i for i, a in enumerate(index.article_ids) if a == "999000565" and index.offsets[i].tolist() == shipped.offsets[row].tolist()]
    assert mine and np.array_equal(index.vectors[mine[0]], shipped.vectors[row]) and index.texts[mine[0]] == shipped.texts[row]
