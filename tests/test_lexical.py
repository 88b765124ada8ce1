"""The lexical model of a span's words: n-grams as scikit-learn makes them, TF-IDF, a softmax; and a judge
that reads it."""

import json

import numpy as np
import pytest

from spinlens.labels import TECHNIQUE_INDEX, TECHNIQUES
from spinlens.techniques.context import ArticleContext
from spinlens.techniques.judge import TECHNIQUE_FEATURES, Judge, LinearHead
from spinlens.techniques.lexical import LEXICAL_FILE, LexicalModel, ngrams

N = len(TECHNIQUES)


def model() -> LexicalModel:
    vocabulary = {"radical": 0, "islam": 1, "radical islam": 2}
    coef = np.zeros((3, N), np.float32)
    coef[2, TECHNIQUE_INDEX["Name_Calling,Labeling"]] = 4.0
    coef[0, TECHNIQUE_INDEX["Loaded_Language"]] = 2.0
    return LexicalModel(vocabulary, np.array([1.0, 2.0, 3.0], np.float32), coef, np.zeros(N, np.float32))


def test_ngrams_are_lower_case_words_of_two_letters_or_more_and_their_pairs():
    assert ngrams("Make America great, a 2nd time!") == ["make", "america", "great", "2nd", "time",
                                                          "make america", "america great", "great 2nd", "2nd time"]


def test_log_probs_are_the_softmax_of_the_normalised_tf_idf_times_the_weights():
    values = np.array([1.0, 2.0, 3.0]) / np.linalg.norm([1.0, 2.0, 3.0])  # each n-gram once: tf 1, times idf
    z = np.zeros(N)
    z[TECHNIQUE_INDEX["Name_Calling,Labeling"]] = 4.0 * values[2]
    z[TECHNIQUE_INDEX["Loaded_Language"]] = 2.0 * values[0]
    expected = z - np.log(np.exp(z).sum())
    assert np.allclose(model().log_probs("Radical Islam"), expected, atol=1e-6)
    assert np.allclose(model().log_probs("nothing known here"), np.full(N, -np.log(N)), atol=1e-6)  # the intercept alone
    twice = model().log_probs("radical, radical")  # sublinear tf: 1 + log 2, then normalised: the same direction
    assert np.allclose(twice, model().log_probs("radical"), atol=1e-6)


def test_the_model_round_trips_its_file(tmp_path):
    model().save(tmp_path / LEXICAL_FILE)
    back = LexicalModel.read(tmp_path / LEXICAL_FILE)
    assert back.vocabulary == model().vocabulary and np.array_equal(back.log_probs("radical islam"), model().log_probs("radical islam"))


def test_a_judge_with_a_lexical_model_reads_it_beside_its_file(tmp_path):
    inputs = TECHNIQUE_FEATURES + N
    weights = np.zeros((inputs, N), np.float32)
    weights[N : 2 * N] = np.eye(N)  # the technique head follows the lexical log probabilities alone
    technique = LinearHead(np.zeros(inputs, np.float32), np.ones(inputs, np.float32), weights, np.zeros(N, np.float32), "softmax")
    from test_judge import _judge

    plain = _judge(tmp_path)
    judge = Judge(technique, plain.presence, 0.5, 0.2, {}, None, None, model())
    model().save(tmp_path / LEXICAL_FILE)
    (tmp_path / "judge.json").write_text(judge.to_json())
    assert json.loads((tmp_path / "judge.json").read_text())["lexical"] == LEXICAL_FILE
    read = Judge.read(tmp_path / "judge.json")
    text = "They fight radical Islam."
    offsets = np.array([[0, 4], [5, 10], [11, 18], [19, 24], [24, 25]])
    context = ArticleContext(text, offsets, np.full(len(offsets), 0.5))
    probs = read.technique_probs(context, np.full(N, 1 / N, np.float32), 11, 24)
    assert probs.argmax() == TECHNIQUE_INDEX["Name_Calling,Labeling"]
    (tmp_path / LEXICAL_FILE).unlink()
    with pytest.raises(OSError):  # a judge whose lexical model is missing is refused
        Judge.read(tmp_path / "judge.json")


def test_the_presence_head_reads_its_own_technique_head_without_the_words(tmp_path):
    inputs = TECHNIQUE_FEATURES + N
    weights = np.zeros((inputs, N), np.float32)
    weights[N : 2 * N] = np.eye(N)
    worded = LinearHead(np.zeros(inputs, np.float32), np.ones(inputs, np.float32), weights, np.zeros(N, np.float32), "softmax")
    from test_judge import _judge

    plain = _judge(tmp_path)  # its technique head is uniform; its presence head follows the technique probabilities
    judge = Judge(worded, plain.presence, 0.5, 0.2, {}, None, None, model(), plain.technique)
    text = "They fight radical Islam."
    offsets = np.array([[0, 4], [5, 10], [11, 18], [19, 24], [24, 25]])
    context = ArticleContext(text, offsets, np.full(len(offsets), 0.5))
    technique_probs, probabilities = judge.judge_fragment(context, np.full(N, 1 / N, np.float32), 0.6, 11, 24)
    assert technique_probs.argmax() == TECHNIQUE_INDEX["Name_Calling,Labeling"]  # the words decide which technique
    assert np.allclose(probabilities, probabilities[0])  # but not how likely each is present
    model().save(tmp_path / LEXICAL_FILE)
    (tmp_path / "judge.json").write_text(judge.to_json())
    read = Judge.read(tmp_path / "judge.json").presence_technique
    assert read is not None and read.to_dict() == plain.technique.to_dict()


def test_training_rows_with_lexical_features_have_the_layout_the_judge_reads():
    from spinlens.techniques.context import CONTEXT_FEATURES
    from spinlens.techniques.judge import technique_features
    from spinlens.training.stacker import FoldRows, with_lexical

    rng = np.random.default_rng(0)
    encoder = rng.dirichlet(np.ones(N), 2).astype(np.float32)
    context = rng.normal(size=(2, len(CONTEXT_FEATURES))).astype(np.float32)
    texts = {"a": "radical Islam, and nothing known"}
    spans = [("a", 0, 13), ("a", 19, 32)]
    plain = np.stack([technique_features(e, c) for e, c in zip(encoder, context)])
    rows = FoldRows(plain, np.eye(N, dtype=np.float32)[:2], spans, [1, 1], [(a, s, e, 0.5) for a, s, e in spans], plain,
                    np.zeros((2, N), np.float32))
    worded = with_lexical(rows, model(), texts)
    expected = np.stack([technique_features(e, c, model().log_probs(texts["a"][s:t])) for e, c, (_, s, t) in zip(encoder, context, spans)])
    assert np.array_equal(worded.tc_features, expected) and np.array_equal(worded.fragment_tc_features, expected)
    assert np.array_equal(worded.fragment_context, context)


def test_a_broken_lexical_model_is_a_one_line_model_error(tmp_path):
    import shutil

    from spinlens import ModelError
    from spinlens.loaders import technique_model
    from spinlens.models import TECHNIQUES as SHIPPED

    for name in ("model.onnx", "tokenizer.json", "card.json"):
        (tmp_path / name).symlink_to(SHIPPED / name)
    shutil.copy(SHIPPED / "judge.json", tmp_path / "judge.json")
    for broken in (b"not a zip file", (SHIPPED / LEXICAL_FILE).read_bytes()[:1000]):  # a pickle to numpy; a zip cut short
        (tmp_path / LEXICAL_FILE).write_bytes(broken)
        technique_model.cache_clear()
        with pytest.raises(ModelError, match="cannot read it") as error:
            technique_model(tmp_path)
        assert "\n" not in str(error.value)
