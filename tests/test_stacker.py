"""The span classifier's pieces: article-context features and the linear heads (no encoder involved)."""

import re

import numpy as np

from spinlens.labels import TECHNIQUES
from spinlens.techniques.context import CONTEXT_FEATURES, ArticleContext
from spinlens.training.stacker import Examples, fit, inverse_frequency_weights

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
    examples = Examples(x, y, [("a", i, i + 1) for i in range(300)])
    head = fit(examples, "softmax", steps=200, class_weights=inverse_frequency_weights(y))
    assert (head(x).argmax(axis=1) == labels).mean() > 0.95
    presence = fit(examples, "sigmoid", steps=200)
    p = presence(x)
    assert p.shape == (300, len(TECHNIQUES)) and (p[:, 1] < 0.05).all()  # never present: near zero
    assert ((p[:, 2] > 0.5) == (labels == 2)).mean() > 0.95
    weights = inverse_frequency_weights(np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=float))
    assert weights[1] > weights[0] and abs(weights.mean() - 1) < 1e-9
