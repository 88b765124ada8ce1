"""PTC articles as training examples for the technique model: splits and folds, targets, windows."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from ..arrays import FloatArray, IntArray
from ..formats.ptc import LabelledSpan
from ..labels import TECHNIQUE_INDEX, TECHNIQUES
from ..sentences import split_sentences
from ..spans import lower_same_length
from ..techniques.decoding import span_features
from ..techniques.encoding import encode, token_range


@dataclass
class WindowExample:
    ids: IntArray  # body tokens of the window
    si: FloatArray  # 1.0 where the token overlaps a propaganda span
    sentence: IntArray  # index of the token's sentence in the article
    spans: list[tuple[int, int, FloatArray, FloatArray]]  # token start/end in window, target, features


def split_ids(ids: list[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    n_val = max(1, round(len(shuffled) * fraction)) if fraction > 0 else 0
    return sorted(shuffled[n_val:]), sorted(shuffled[:n_val])


def fold_ids(ids: list[str], folds: int, fold: int, seed: int) -> tuple[list[str], list[str]]:
    """Article-level k-fold: (training ids, validation ids) of fold `fold`; the folds partition `ids`."""
    if not 0 <= fold < folds:
        raise ValueError(f"fold must be 0 to {folds - 1}, not {fold}")
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    val = set(shuffled[fold::folds])
    return sorted(a for a in ids if a not in val), sorted(val)


def _technique_index(span: LabelledSpan) -> int:
    """The index of a training span's technique: training labels are TC lines, each with a technique."""
    return TECHNIQUE_INDEX[cast(str, span.technique)]


def class_weights(labels: list[LabelledSpan]) -> FloatArray:
    """Square-root inverse frequency, mean 1: rare techniques count more without drowning the rest."""
    counts = np.ones(len(TECHNIQUES))
    for span in labels:
        counts[_technique_index(span)] += 1
    weights = (counts.sum() / counts) ** 0.5
    result: FloatArray = weights / weights.mean()
    return result


def span_targets(labels: list[LabelledSpan]) -> dict[str, dict[tuple[int, int], FloatArray]]:
    """Per article, each distinct gold span with its technique distribution (a span may carry two)."""
    targets: dict[str, dict[tuple[int, int], FloatArray]] = defaultdict(dict)
    for span in labels:
        vector = targets[span.article_id].setdefault((span.start, span.end), np.zeros(len(TECHNIQUES)))
        vector[_technique_index(span)] += 1
    for spans in targets.values():
        for vector in spans.values():
            vector /= vector.sum()
    return targets


def build_examples(tokenizer: Any, text: str, spans: dict[tuple[int, int], FloatArray]) -> list[WindowExample]:
    encoded = encode(tokenizer, text)
    lowered = lower_same_length(text)
    si = np.zeros(len(encoded.ids), dtype=np.float32)
    for start, end in spans:
        first, last = token_range(encoded.offsets, start, end)
        si[first:last] = 1.0
    sentence_starts = [start for start, _ in split_sentences(text)]
    sentence = np.searchsorted(sentence_starts, encoded.offsets[:, 0], side="right") - 1
    examples = [WindowExample(encoded.ids[s:e], si[s:e], sentence[s:e], []) for s, e in encoded.windows]
    for (start, end), target in spans.items():
        first, last = token_range(encoded.offsets, start, end)
        if last <= first:
            continue
        # The window holding most of the span's tokens; long spans are clipped to it.
        best = max(range(len(encoded.windows)), key=lambda w: min(last, encoded.windows[w][1]) - max(first, encoded.windows[w][0]))
        ws, we = encoded.windows[best]
        a, b = max(first, ws) - ws, min(last, we) - ws
        if b > a:
            examples[best].spans.append((a, b, target.astype(np.float32), span_features(lowered, start, end)))
    return examples
