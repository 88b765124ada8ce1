"""Fitting the judgment on top of the encoder (techniques/judge.py) on out-of-fold encoder outputs.

Rows come from articles the encoder did not see in training (benchmarks/kfold.py's folds), so the
heads learn how far to trust the encoder on new articles. Both heads are linear over standardised
features, fitted here with numpy (full-batch Adam, mean log loss plus an L2 penalty).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..activations import sigmoid, softmax
from ..arrays import FloatArray
from ..formats.ptc import LabelledSpan
from ..labels import TECHNIQUE_INDEX, TECHNIQUES
from ..spans import lower_same_length
from ..techniques.context import ArticleContext
from ..techniques.decoding import DecodeSettings
from ..techniques.inference import Calibration, TokenOutputs, find_fragments, technique_probs
from ..techniques.judge import LinearHead, lexical_columns, logit, presence_features, technique_features
from ..techniques.lexical import LexicalModel


@dataclass
class FoldRows:
    """One fold's articles as rows: gold spans for the technique head, decoded fragments for presence."""

    tc_features: FloatArray  # (spans, TECHNIQUE_FEATURES)
    tc_targets: FloatArray  # (spans, N): shares of the span's gold techniques
    tc_spans: list[tuple[str, int, int]]  # (article id, start, end), each distinct gold span once
    tc_listed: list[int]  # how often the template lists each span (its number of techniques)
    fragments: list[tuple[str, int, int, float]]  # (article id, start, end, calibrated score)
    fragment_tc_features: FloatArray  # (fragments, TECHNIQUE_FEATURES)
    fragment_targets: FloatArray  # (fragments, N): 1 where a gold fragment of the technique overlaps
    lexical: bool = False  # the technique features hold the lexical model's log probabilities (with_lexical)

    @property
    def fragment_context(self) -> FloatArray:
        """(fragments, CONTEXT_FEATURES): the context part of the technique features."""
        return self.fragment_tc_features[:, len(TECHNIQUES) * (2 if self.lexical else 1) :]


def with_lexical(rows: FoldRows, model: LexicalModel, texts: Mapping[str, str]) -> FoldRows:
    """The rows with the lexical model's log probabilities of each span's words after the encoder's
    (texts: the articles' texts by id). A model fitted without these rows' articles, for honest rows."""
    n = len(TECHNIQUES)

    def add(features: FloatArray, spans: Sequence[tuple[str, int, int]]) -> FloatArray:
        lexical = np.stack([model.log_probs(texts[a][s:e]) for a, s, e in spans]) if spans else np.zeros((0, n), np.float32)
        return np.concatenate([features[:, :n], lexical_columns(lexical), features[:, n:]], axis=1).astype(np.float32)

    if rows.lexical:
        raise ValueError("these rows already have lexical features")
    return replace(rows, tc_features=add(rows.tc_features, rows.tc_spans),
                   fragment_tc_features=add(rows.fragment_tc_features, [f[:3] for f in rows.fragments]), lexical=True)


def span_texts(rows: FoldRows, texts: Mapping[str, str]) -> list[str]:
    """The text of each gold span of the rows (for fitting a lexical model)."""
    return [texts[a][s:e] for a, s, e in rows.tc_spans]


def fold_rows(outputs: dict[str, TokenOutputs], gold: Iterable[LabelledSpan], feature_weights: FloatArray,
              settings: DecodeSettings, calibration: Calibration) -> FoldRows:
    contexts = {a: ArticleContext(o.text, o.offsets, o.propaganda) for a, o in outputs.items()}
    lowered = {a: lower_same_length(o.text) for a, o in outputs.items()}
    by_article: dict[str, list[LabelledSpan]] = defaultdict(list)
    shares: dict[tuple[str, int, int], FloatArray] = defaultdict(lambda: np.zeros(len(TECHNIQUES), dtype=np.float32))
    for span in gold:
        if span.article_id in outputs and span.technique is not None:
            by_article[span.article_id].append(span)
            shares[(span.article_id, span.start, span.end)][TECHNIQUE_INDEX[span.technique]] += 1

    def features(a: str, s: int, e: int) -> FloatArray:
        return technique_features(technique_probs(outputs[a], lowered[a], s, e, feature_weights), contexts[a].features(s, e))

    spans = sorted(shares)
    tc = np.stack([features(*k) for k in spans]) if spans else np.zeros((0, len(TECHNIQUES) * 2), np.float32)
    fragments, ftc, ftargets = [], [], []
    for a, o in sorted(outputs.items()):
        for f in find_fragments(o, settings, feature_weights, calibration):
            target = np.zeros(len(TECHNIQUES), dtype=np.float32)
            for g in by_article[a]:
                if g.start < f.end and f.start < g.end:
                    target[TECHNIQUE_INDEX[str(g.technique)]] = 1.0
            fragments.append((a, f.start, f.end, f.score))
            ftc.append(features(a, f.start, f.end))
            ftargets.append(target)
    return FoldRows(tc, np.stack([shares[k] / shares[k].sum() for k in spans]) if spans else np.zeros((0, len(TECHNIQUES)), np.float32),
                    spans, [int(shares[k].sum()) for k in spans], fragments,
                    np.stack(ftc) if ftc else np.zeros((0, tc.shape[1]), np.float32),
                    np.stack(ftargets) if ftargets else np.zeros((0, len(TECHNIQUES)), np.float32))


def presence_rows(rows: FoldRows, technique: LinearHead) -> tuple[FloatArray, FloatArray]:
    """(fragments * N, PRESENCE_FEATURES) rows and their 0/1 targets, with the technique head's probabilities."""
    if not rows.fragments:
        return np.zeros((0, 0), np.float32), np.zeros(0, np.float32)
    probs = technique(rows.fragment_tc_features)
    x = np.concatenate([presence_features(f[3], p, c) for f, p, c in zip(rows.fragments, probs, rows.fragment_context)])
    return x, rows.fragment_targets.reshape(-1)


def fit(x: FloatArray, y: FloatArray, kind: str, l2: float = 1e-2, steps: int = 400, lr: float = 0.05,
        row_weights: FloatArray | None = None, seed: int = 0) -> LinearHead:
    """A LinearHead by full-batch Adam on the mean (weighted) log loss plus an L2 penalty. y: (n, k)
    shares for softmax, (n,) or (n, 1) 0/1 targets for sigmoid."""
    x64, y64 = x.astype(np.float64), y.astype(np.float64).reshape(len(y), -1)
    mean, scale = x64.mean(axis=0), x64.std(axis=0) + 1e-6
    x64 = (x64 - mean) / scale
    n, d = x64.shape
    k = y64.shape[1]
    w, b = np.random.default_rng(seed).normal(0, 0.01, (d, k)), np.zeros(k)
    if kind == "sigmoid":
        prior = np.clip(y64.mean(axis=0), 1e-4, 1 - 1e-4)
        b = np.log(prior / (1 - prior))
    weight = np.ones(n) if row_weights is None else row_weights / row_weights.mean()
    m, v = [np.zeros_like(w), np.zeros_like(b)], [np.zeros_like(w), np.zeros_like(b)]
    for step in range(1, steps + 1):
        z = x64 @ w + b
        error = ((softmax(z) if kind == "softmax" else sigmoid(z)) - y64) * weight[:, None] / n
        for i, (param, grad) in enumerate(zip((w, b), (x64.T @ error + l2 * w, error.sum(axis=0)))):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad**2
            param -= lr * (m[i] / (1 - 0.9**step)) / (np.sqrt(v[i] / (1 - 0.999**step)) + 1e-8)
    f32 = np.float32
    return LinearHead(mean.astype(f32), scale.astype(f32), w.astype(f32), b.astype(f32), kind)


def technique_weights(targets: FloatArray, power: float) -> FloatArray:
    """Per-row weights from inverse technique frequency to `power` (0: none; 1: balanced classes)."""
    counts = targets.sum(axis=0) + 1.0
    per_class = (counts.sum() / counts) ** power
    weights: FloatArray = targets @ (per_class / per_class.mean())
    return weights


def fit_technique(parts: Sequence[FoldRows], l2: float, power: float) -> LinearHead:
    x = np.concatenate([p.tc_features for p in parts])
    y = np.concatenate([p.tc_targets for p in parts])
    return fit(x, y, "softmax", l2, row_weights=technique_weights(y, power))


def fit_presence(parts: Sequence[FoldRows], techniques: Sequence[LinearHead], l2: float) -> LinearHead:
    """The presence head over `parts`, each fold's technique probabilities from the head in `techniques`
    fitted without that fold (so the presence head learns how far the technique head holds out of sample)."""
    xs, ys = zip(*(presence_rows(p, t) for p, t in zip(parts, techniques) if p.fragments))
    return fit(np.concatenate(xs), np.concatenate(ys), "sigmoid", l2)


def fit_calibration(probs: FloatArray, targets: FloatArray) -> LinearHead:
    """Platt scaling: a 1-input logistic regression on the logit of cross-fitted probabilities."""
    return fit(logit(probs).astype(np.float32)[:, None], targets, "sigmoid", l2=0.0, steps=300)
