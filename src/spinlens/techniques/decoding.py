"""Turn per-token model outputs into character spans. Pure numpy; shared by training and inference."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from ..arrays import FloatArray, IntArray
from ..sentences import split_sentences
from ..spans import snap_to_words
from .encoding import token_range

N_SPAN_FEATURES = 2


@dataclass(frozen=True)
class DecodeSettings:
    threshold: float = 0.3  # token probability above which a token is propaganda
    merge_gap: int = 3  # spans at most this many characters apart are joined
    min_chars: int = 3  # shorter spans are dropped
    smooth: int = 1  # token probabilities are averaged over this many neighbouring tokens first


def decode_spans(
    text: str, offsets: IntArray, probs: FloatArray, settings: DecodeSettings
) -> list[tuple[int, int, float]]:
    """Runs of tokens above threshold -> (start, end, mean token probability) character spans."""
    if settings.smooth > 1 and len(probs):
        # A moving average closes one-token gaps inside a fragment and drops lone spikes.
        kernel = np.ones(settings.smooth) / settings.smooth
        padded = np.pad(probs, settings.smooth // 2, mode="edge")
        probs = np.convolve(padded, kernel, mode="valid")[: len(probs)]
    # Fragments stay within a sentence: PTC, which the model learnt from, has one sentence per line, and on
    # text with several sentences to a paragraph runs crossed them (one fragment over a whole paragraph).
    starts = [start for start, _ in split_sentences(text)]

    def crosses(a: int, b: int) -> bool:  # a sentence starts in (a, b]
        k = bisect_right(starts, a)
        return k < len(starts) and starts[k] <= b

    runs: list[list[int]] = []  # [first token, last token]
    for index in np.flatnonzero(probs >= settings.threshold):
        i = int(index)
        if runs and i == runs[-1][1] + 1 and not crosses(int(offsets[i - 1, 1]) - 1, int(offsets[i, 0])):
            runs[-1][1] = i
        else:
            runs.append([i, i])
    spans: list[list[int]] = []  # [start char, end char, first token, last token]
    for first, last in runs:
        start, end = snap_to_words(text, int(offsets[first, 0]), int(offsets[last, 1]))
        if spans and start - spans[-1][1] <= settings.merge_gap and not crosses(spans[-1][1] - 1, start):
            spans[-1][1] = max(end, spans[-1][1])
            spans[-1][3] = last
        else:
            spans.append([start, end, first, last])
    # A span's raw score is the mean over all its tokens, those in merged gaps included.
    return [
        (start, end, float(probs[first : last + 1].mean()))
        for start, end, first, last in spans
        if end - start >= settings.min_chars
    ]


def span_features(lowered: str, start: int, end: int) -> FloatArray:
    """Article context a window cannot see: how often the fragment recurs, and its length.

    `lowered` is `lower_same_length(text)`, computed once per article rather than once per span.
    """
    fragment = lowered[start:end].strip(" \t\n\"'“”‘’.,;:!?")
    repeats = max(lowered.count(fragment) - 1, 0) if len(fragment) >= 3 else 0
    return np.array([np.log1p(repeats), np.log1p(end - start) / 5.0], dtype=np.float32)


def span_logits(
    technique_logits: FloatArray,
    offsets: IntArray,
    lowered: str,
    start: int,
    end: int,
    feature_weights: FloatArray,
) -> FloatArray:
    """Technique logits of one character span: mean of its tokens' logits plus article-context features.

    The technique head is linear, so the mean of token logits equals the head applied to the mean
    of the tokens' encodings: this is mean-pooled span classification computed from per-token outputs.
    """

    first, last = token_range(offsets, start, end)
    if last <= first:  # a span inside one token's characters, or past the text
        first, last = max(min(first, len(offsets) - 1), 0), max(min(first, len(offsets) - 1), 0) + 1
    pooled = technique_logits[first:last].mean(axis=0)
    logits: FloatArray = pooled + span_features(lowered, start, end) @ feature_weights
    return logits
