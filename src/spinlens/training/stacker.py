"""The span classifier on top of the encoder: technique probabilities from pooled representations and the
article around the span (techniques/context.py), fitted on out-of-fold encoder outputs.

Two heads share the features:
- `technique`: softmax over the 14 techniques of a span known to use one (TC), class-weighted by the
  square root of inverse frequency so rare techniques are neither ignored nor sprayed;
- `presence`: for a predicted fragment and each technique, the chance that a gold fragment of that
  technique overlaps it (one logistic regression per technique): the probability a reader sees.
Both are linear models over standardised features, fitted here with numpy (full-batch Adam, L2), so
that inference is one matrix product.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..activations import sigmoid, softmax
from ..formats.ptc import LabelledSpan
from ..labels import TECHNIQUE_INDEX, TECHNIQUES
from ..techniques.context import ArticleContext
from ..techniques.encoding import token_range
from ..techniques.inference import TokenOutputs


def span_vector(context: ArticleContext, outputs: TokenOutputs, start: int, end: int) -> np.ndarray:
    """The features of one span: pooled span and sentence encodings, the span's mean technique logits,
    and its context features."""
    first, last = token_range(outputs.offsets, start, end)
    if last <= first:
        first, last = max(min(first, len(outputs.offsets) - 1), 0), max(min(first, len(outputs.offsets) - 1), 0) + 1
    logits = outputs.technique_logits[first:last].mean(axis=0)
    return np.concatenate([context.pooled(start, end), logits, context.features(start, end)]).astype(np.float32)


@dataclass
class Examples:
    """Spans as rows of features, with their targets and where they come from."""

    features: np.ndarray  # (n, d)
    targets: np.ndarray  # (n, len(TECHNIQUES)): technique shares (TC) or 0/1 overlaps (presence)
    spans: list[tuple[str, int, int]]  # (article id, start, end)


def contexts(outputs: dict[str, TokenOutputs]) -> dict[str, ArticleContext]:
    return {a: ArticleContext(o.text, o.offsets, o.propaganda, o.encodings) for a, o in outputs.items()}


def technique_examples(outputs: dict[str, TokenOutputs], gold: Iterable[LabelledSpan]) -> Examples:
    """TC rows: each distinct gold span once, its target the shares of its techniques."""
    found = contexts(outputs)
    targets: dict[tuple[str, int, int], np.ndarray] = defaultdict(lambda: np.zeros(len(TECHNIQUES), dtype=np.float32))
    for span in gold:
        if span.article_id in outputs and span.technique is not None:
            targets[(span.article_id, span.start, span.end)][TECHNIQUE_INDEX[span.technique]] += 1
    spans = sorted(targets)
    rows = [span_vector(found[a], outputs[a], s, e) for a, s, e in spans]
    y = np.stack([targets[k] / targets[k].sum() for k in spans]) if spans else np.zeros((0, len(TECHNIQUES)), np.float32)
    return Examples(np.stack(rows) if rows else np.zeros((0, 0), np.float32), y, spans)


def presence_examples(
    outputs: dict[str, TokenOutputs], fragments: dict[str, list[tuple[int, int]]], gold: Iterable[LabelledSpan]
) -> Examples:
    """Presence rows: each predicted fragment, its target per technique whether a gold fragment of that
    technique overlaps it."""
    found = contexts(outputs)
    by_article: dict[str, list[LabelledSpan]] = defaultdict(list)
    for span in gold:
        by_article[span.article_id].append(span)
    rows, targets, spans = [], [], []
    for a, pieces in sorted(fragments.items()):
        for s, e in pieces:
            target = np.zeros(len(TECHNIQUES), dtype=np.float32)
            for g in by_article[a]:
                if g.technique is not None and g.start < e and s < g.end:
                    target[TECHNIQUE_INDEX[g.technique]] = 1.0
            rows.append(span_vector(found[a], outputs[a], s, e))
            targets.append(target)
            spans.append((a, s, e))
    if not rows:
        return Examples(np.zeros((0, 0), np.float32), np.zeros((0, len(TECHNIQUES)), np.float32), [])
    return Examples(np.stack(rows), np.stack(targets), spans)


@dataclass(frozen=True)
class LinearHead:
    """Standardise, then one linear layer: softmax (technique) or per-column sigmoid (presence)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (d, k)
    bias: np.ndarray  # (k,)
    kind: str  # "softmax" or "sigmoid"

    def __call__(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return softmax(z) if self.kind == "softmax" else sigmoid(z)


def fit(examples: Examples, kind: str, l2: float = 1e-3, steps: int = 400, lr: float = 0.05,
        class_weights: np.ndarray | None = None, seed: int = 0) -> LinearHead:
    """A LinearHead by full-batch Adam on the mean (class-weighted) log loss plus an L2 penalty."""
    x, y = examples.features.astype(np.float64), examples.targets.astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = (x - mean) / scale
    n, d = x.shape
    k = y.shape[1]
    rng = np.random.default_rng(seed)
    w, b = rng.normal(0, 0.01, (d, k)), np.zeros(k)
    if kind == "sigmoid":
        prior = np.clip(y.mean(axis=0), 1e-4, 1 - 1e-4)
        b = np.log(prior / (1 - prior))
    row_weight = (y @ class_weights) if class_weights is not None and kind == "softmax" else np.ones(n)
    row_weight = row_weight / row_weight.mean()
    m = [np.zeros_like(w), np.zeros_like(b)]
    v = [np.zeros_like(w), np.zeros_like(b)]
    for step in range(1, steps + 1):
        z = x @ w + b
        p = softmax(z) if kind == "softmax" else sigmoid(z)
        error = (p - y) * row_weight[:, None] / n
        grads = [x.T @ error + l2 * w, error.sum(axis=0)]
        for i, (param, grad) in enumerate(zip((w, b), grads)):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad**2
            param -= lr * (m[i] / (1 - 0.9**step)) / (np.sqrt(v[i] / (1 - 0.999**step)) + 1e-8)
    return LinearHead(mean.astype(np.float32), scale.astype(np.float32), w.astype(np.float32), b.astype(np.float32), kind)


def inverse_frequency_weights(targets: np.ndarray) -> np.ndarray:
    """Square-root inverse frequency per technique, mean 1 (as the encoder's training weighs spans)."""
    counts = targets.sum(axis=0) + 1.0
    weights = (counts.sum() / counts) ** 0.5
    normalised: np.ndarray = (weights / weights.mean()).astype(np.float64)
    return normalised
