"""The judgment on top of the encoder: article-context features, the linear heads, the proper-name rule
and the judge file (no encoder involved)."""

import json
import re

import numpy as np
import pytest

from spinlens.labels import TECHNIQUE_INDEX, TECHNIQUES
from spinlens.techniques.context import CONTEXT_FEATURES, ArticleContext
from spinlens.techniques.inference import Fragment
from spinlens.techniques.judge import PRESENCE_FEATURES, TECHNIQUE_FEATURES, Judge, LinearHead, in_proper_name, presence_features
from spinlens.training.stacker import fit, technique_weights

TEXT = "Title Line Here\n\nThe Anbar Awakening fought. Evil, evil, evil! He said \"traitors\" were evil? Yes."


def context() -> ArticleContext:
    offsets = np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", TEXT)])
    return ArticleContext(TEXT, offsets, np.linspace(0, 1, len(offsets)), np.arange(len(offsets) * 2, dtype=float).reshape(-1, 2))


def features(fragment: str, occurrence: int = 0) -> dict[str, float]:
    start = [m.start() for m in re.finditer(re.escape(fragment), TEXT)][occurrence]
    return dict(zip(CONTEXT_FEATURES, context().features(start, start + len(fragment)).tolist()))


def test_context_features_see_the_article_around_the_span():
    evil = features("evil")
    assert evil["repeats"] == np.float32(np.log1p(3)) and evil["nearest_repeat"] > 0.99  # "Evil, evil, evil", "were evil"
    assert evil["exclamation"] == 1.0 and evil["question"] == 0.0
    name = features("Anbar Awakening")
    assert name["title_case"] == 1.0 and name["repeats"] == 0.0 and name["nearest_repeat"] == 0.0
    assert features("The Anbar")["title_case"] == 0.0  # a sentence's first word says nothing
    quoted = features("traitors")
    assert quoted["quoted"] == 1.0 and quoted["question"] == 1.0 and features("Yes")["quoted"] == 0.0
    assert features("Title Line")["first_line"] == 1.0 and features("Yes")["first_line"] == 0.0
    assert 0.0 <= features("Yes")["span_score"] <= features("Yes")["sentence_score"] <= 1.0


def test_pooled_representation_is_the_span_then_its_sentence():
    ctx = context()
    start = TEXT.index("Awakening")
    pooled = ctx.pooled(start, start + len("Awakening"))
    assert pooled.shape == (4,)
    token = [i for i, (s, _) in enumerate(ctx.offsets) if s == start][0]
    assert pooled[:2].tolist() == ctx.encodings[token].tolist()


def test_linear_heads_learn_a_separable_rule_and_weigh_rare_techniques():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3)).astype(np.float32)
    labels = (x[:, 0] > 0).astype(int) * 2  # technique 0 or 2 by the first feature's sign
    y = np.zeros((300, len(TECHNIQUES)), dtype=np.float32)
    y[np.arange(300), labels] = 1
    head = fit(x, y, "softmax", steps=200, row_weights=technique_weights(y, 0.5))
    assert (head(x).argmax(axis=1) == labels).mean() > 0.95
    presence = fit(x, (labels == 2).astype(np.float32), "sigmoid", steps=200)
    p = presence(x)
    assert p.shape == (300, 1) and ((p[:, 0] > 0.5) == (labels == 2)).mean() > 0.95
    weights = technique_weights(np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=float), 0.5)
    assert weights[3] > weights[0] == weights[1] == weights[2]  # the rare technique's span weighs more
    assert (technique_weights(np.array([[1, 0], [0, 1], [0, 1]], dtype=float), 0.0) == 1).all()  # power 0: no weighting


@pytest.mark.parametrize(("text", "fragment", "name"), [
    ("They joined the Anbar Awakening in 2006.", "Awakening", True),
    ("Fighters of the Islamic State attacked.", "Islamic", True),
    ("The so-called Miss Universe won.", "Miss Universe", True),
    ("Crooked Hillary lied again.", "Crooked", False),  # the run starts its sentence: a name cannot be told
    ("He called it a Disaster for all.", "Disaster", False),  # one capitalised word is emphasis
    ("It was a DISASTER TOTAL failure.", "DISASTER", False),  # shouting, not a name
])
def test_a_proper_name_is_told_from_an_emotive_word(text, fragment, name):
    start = text.index(fragment)
    assert in_proper_name(text, start, start + len(fragment), 0) is name


def test_presence_rows_carry_score_rank_and_technique():
    probs = np.full(len(TECHNIQUES), 0.01, dtype=np.float32)
    probs[TECHNIQUE_INDEX["Doubt"]], probs[TECHNIQUE_INDEX["Slogans"]] = 0.6, 0.27
    rows = presence_features(0.5, probs, np.zeros(len(CONTEXT_FEATURES), dtype=np.float32))
    assert rows.shape == (len(TECHNIQUES), PRESENCE_FEATURES)
    assert rows[:, 0].tolist() == [0.0] * len(TECHNIQUES)  # logit(0.5)
    assert rows[TECHNIQUE_INDEX["Doubt"], 3] == 1 and rows[TECHNIQUE_INDEX["Slogans"], 4] == 1 and rows[:, 3].sum() == 1
    assert (rows[:, -len(TECHNIQUES):] == np.eye(len(TECHNIQUES))).all()


def _judge(tmp_path, presence_bias: float = 0.0, shift: float = 0.0) -> Judge:
    technique = LinearHead(np.zeros(TECHNIQUE_FEATURES, np.float32), np.ones(TECHNIQUE_FEATURES, np.float32),
                           np.zeros((TECHNIQUE_FEATURES, len(TECHNIQUES)), np.float32), np.zeros(len(TECHNIQUES), np.float32), "softmax")
    weights = np.zeros((PRESENCE_FEATURES, 1), np.float32)
    weights[1, 0] = 1.0  # the more likely the technique, the more likely present
    presence = LinearHead(np.zeros(PRESENCE_FEATURES, np.float32), np.ones(PRESENCE_FEATURES, np.float32), weights,
                          np.array([presence_bias], np.float32), "sigmoid")
    path = tmp_path / "judge.json"
    platt = LinearHead(np.zeros(1, np.float32), np.ones(1, np.float32), np.ones((1, 1), np.float32), np.array([shift], np.float32), "sigmoid")
    path.write_text(Judge(technique, presence, 0.4, 0.2, {"fitted_on": "test"}, 0.35, platt, flc_fragment_threshold=0.4,
                         flc_presence=presence, flc_calibration=platt).to_json())
    return Judge.read(path)


def test_judge_reads_back_and_exempts_names_from_loaded_language(tmp_path):
    judge = _judge(tmp_path, presence_bias=5.0)
    assert (judge.min_probability, judge.flc_min_probability, judge.record, judge.si_threshold, judge.flc_fragment_threshold) == \
        (0.4, 0.2, {"fitted_on": "test"}, 0.35, 0.4)
    text = "They joined the Anbar Awakening in 2006. What a vile lie."
    offsets = np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", text)])
    ctx = ArticleContext(text, offsets, np.full(len(offsets), 0.5))
    probs = np.full(len(TECHNIQUES), 1 / len(TECHNIQUES), dtype=np.float32)
    start = text.index("Awakening")
    in_name = judge.probabilities(ctx, 0.6, probs, start, start + len("Awakening"))
    start = text.index("vile")
    plain = judge.probabilities(ctx, 0.6, probs, start, start + len("vile"))
    loaded = TECHNIQUE_INDEX["Loaded_Language"]
    assert in_name[loaded] == 0.0 and plain[loaded] > 0.9 and in_name[TECHNIQUE_INDEX["Doubt"]] == plain[TECHNIQUE_INDEX["Doubt"]]


def test_a_judge_file_of_another_shape_is_refused(tmp_path):
    _judge(tmp_path)
    path = tmp_path / "judge.json"
    broken = json.loads(path.read_text())
    broken["technique"]["weights"] = broken["technique"]["weights"][:-1]
    path.write_text(json.dumps(broken))
    with pytest.raises(ValueError, match="shape"):
        Judge.read(path)


def test_fragment_flags_are_the_techniques_from_the_threshold_most_likely_first():
    probabilities = np.zeros(len(TECHNIQUES), dtype=np.float32)
    probabilities[TECHNIQUE_INDEX["Doubt"]], probabilities[TECHNIQUE_INDEX["Slogans"]], probabilities[0] = 0.3, 0.7, 0.39
    fragment = Fragment(0, 4, 0.5, np.full(len(TECHNIQUES), 1 / len(TECHNIQUES), dtype=np.float32), probabilities)
    assert [t for t, _, _ in fragment.flags(0.3)] == ["Slogans", TECHNIQUES[0], "Doubt"]
    assert [t for t, _, _ in fragment.flags(0.4)] == ["Slogans"]
    assert fragment.flags(0.9) == []
    with pytest.raises(ValueError, match="without a judge"):
        Fragment(0, 4, 0.5, probabilities).flags(0.3)


def test_the_platt_step_moves_every_probability_the_same_way(tmp_path):
    text = "What a vile lie."
    offsets = np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", text)])
    ctx = ArticleContext(text, offsets, np.full(len(offsets), 0.5))
    probs = np.full(len(TECHNIQUES), 1 / len(TECHNIQUES), dtype=np.float32)
    start = text.index("vile")
    identity = _judge(tmp_path).probabilities(ctx, 0.6, probs, start, start + 4)
    lowered = _judge(tmp_path, shift=-1.0).probabilities(ctx, 0.6, probs, start, start + 4)
    assert _judge(tmp_path).calibration is not None
    assert (lowered < identity).all() and np.allclose(np.log(lowered / (1 - lowered)), np.log(identity / (1 - identity)) - 1, atol=1e-4)


def test_predict_ptc_flc_reads_its_own_presence_head_and_platt_step(tmp_path):
    plain = _judge(tmp_path, presence_bias=0.0)
    assert plain.for_flc() is not plain and plain.for_flc().presence is plain.flc_presence
    data = json.loads((tmp_path / "judge.json").read_text())
    data["flc_presence"]["bias"], data["flc_calibration"]["bias"] = [-3.0], [1.0]
    data["flc_fragment_threshold"] = 0.35
    (tmp_path / "judge.json").write_text(json.dumps(data))
    judge = Judge.read(tmp_path / "judge.json")
    text = "What a vile lie."
    offsets = np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", text)])
    ctx = ArticleContext(text, offsets, np.full(len(offsets), 0.5))
    probs = np.full(len(TECHNIQUES), 1 / len(TECHNIQUES), dtype=np.float32)
    start = text.index("vile")
    shown, flc = (j.probabilities(ctx, 0.6, probs, start, start + 4) for j in (judge, judge.for_flc()))
    assert judge.flc_fragment_threshold == 0.35 and (flc < shown).all()  # bias -3 then +1: lower everywhere
    assert np.allclose(judge.probabilities(ctx, 0.6, probs, start, start + 4), plain.probabilities(ctx, 0.6, probs, start, start + 4))
    without = Judge(judge.technique, judge.presence, 0.5, 0.2, {})
    assert without.for_flc() is without  # no heads of its own: those of the analysis
