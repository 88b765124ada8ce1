"""`attributions[].score`: the calibrated chance that an attribution is right.

Right means that its cue overlaps the cue of a gold attribution and, where both name a source, one of its
sources overlaps that gold attribution's source (`is_right`): the right words for "said", and the right
speaker, the two things a reader takes from it. The chance is a logistic regression over five cheap
features of the tagger's output (`FEATURES`), fitted on PolNeAR dev, which the tagger was not trained on,
with 5-fold cross-fitting over articles for the figures (benchmarks/attribution_calibration.py), and
shipped as calibration.json beside tagger.onnx with the default threshold chosen in the same folds. Pure
numpy: the fitting (training.stacker.fit) stays out of analysis.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..activations import sigmoid
from ..arrays import FloatArray, IntArray
from ..formats.brat import BratDocument
from ..types import Attribution
from .claims import REPORTING_WORDS
from .roles import TagScores

CALIBRATION_FILE = "calibration.json"
# In this order, the columns of `features`:
FEATURES: tuple[str, ...] = (
    "logit_mean_score",  # logit of the extractor's score: the mean tag probability over cue, sources and contents
    "logit_cue_score",  # logit of the tagger's Cue probability (B-Cue + I-Cue), mean over the cue's tokens
    "has_source",
    "has_content",
    "reporting_word",  # a word of the cue is one of the calibration's reporting words (claims' REPORTING_WORDS when fitted)
)
_CLIP = 1e-4  # probabilities are clipped to [_CLIP, 1 - _CLIP] before the logit
_CUE_WORDS = re.compile(r"[\w'’-]+|:")  # a cue's words, as the claim rules split it (claims.CUE_WORDS)

Piece = tuple[int, int]


def _logit(p: float) -> float:
    q = min(max(p, _CLIP), 1 - _CLIP)
    return float(np.log(q / (1 - q)))


def features(attributions: Sequence[Attribution], tag_scores: TagScores, reporting_words: frozenset[str] = REPORTING_WORDS) -> FloatArray:
    """(len(attributions), len(FEATURES)) for attributions as the extractor made them (uncalibrated score).
    reporting_words: lower case, as _CUE_WORDS splits a cue ("according", ":")."""
    rows = [
        [
            _logit(a.score),
            _logit(tag_scores.span("Cue", a.cue.start, a.cue.end).score),
            float(bool(a.sources)),
            float(bool(a.contents)),
            float(any(w.lower() in reporting_words for w in _CUE_WORDS.findall(a.cue.text))),
        ]
        for a in attributions
    ]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def gold_attributions(document: BratDocument) -> list[tuple[list[Piece], list[Piece]]]:
    """(cue pieces, source pieces) of each gold attribution that has a cue."""
    found = []
    for event in document.events:
        cue = [p for ref in event.of("Cue") if ref in document.spans for p in document.spans[ref].pieces]
        sources = [p for ref in event.of("Source") if ref in document.spans for p in document.spans[ref].pieces]
        if cue:
            found.append((cue, sources))
    return found


def _overlaps(spans: Sequence[Piece], others: Sequence[Piece]) -> bool:
    return any(a < d and c < b for a, b in spans for c, d in others)


def is_right(cue: Piece, sources: Sequence[Piece], gold: Sequence[tuple[list[Piece], list[Piece]]]) -> bool:
    """Whether a predicted attribution is right: its cue overlaps a gold attribution's cue and, when both
    name a source, one of its sources overlaps one of that attribution's."""
    return any(_overlaps([cue], gold_cue) and (not sources or not gold_sources or _overlaps(sources, gold_sources))
               for gold_cue, gold_sources in gold)


def threshold_for_f1(scores: FloatArray, right: FloatArray, gold: int, grid: Sequence[float]) -> float:
    """The threshold of `grid` at which the attributions kept (score >= threshold) have the highest F1 against
    `gold` attributions: 2 × right ones kept / (kept + gold). The lowest of those that tie."""
    scores, right = np.asarray(scores, dtype=float), np.asarray(right, dtype=float)
    best, best_f1 = float(min(grid)), -1.0
    for t in sorted(grid):
        kept = scores >= t
        f1 = 2 * right[kept].sum() / (kept.sum() + gold) if kept.sum() + gold else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(t), f1
    return best


@dataclass(frozen=True)
class ScoreCalibration:
    """Standardise the features, then a logistic regression: p = sigmoid(((x - mean) / scale) @ weights + bias)
    (the form of training.stacker.fit's heads, whose to_dict this reads)."""

    mean: FloatArray  # (len(FEATURES),)
    scale: FloatArray
    weights: FloatArray
    bias: float
    min_score: float  # the default threshold: attributions below it are left out of analyses
    tagger: str  # the version of the tagger it was fitted on (its card's)
    # The words of the reporting_word feature, kept in the file as they were when it was fitted: the claim
    # rules' list may grow, and the weights were fitted on this one.
    reporting_words: frozenset[str]
    record: dict[str, Any]  # how it was fitted and what it scored, kept in the file

    def probabilities(self, rows: FloatArray) -> FloatArray:
        if not len(rows):
            return np.zeros(0)
        result: FloatArray = sigmoid(((np.asarray(rows, dtype=np.float64) - self.mean) / self.scale) @ self.weights + self.bias)
        return result

    def calibrated(self, offsets: IntArray, logits: FloatArray, attributions: Sequence[Attribution]) -> list[Attribution]:
        """The extractor's attributions (from these tagger outputs) with `score` the calibrated chance that each
        is right (4 decimals)."""
        scores = self.probabilities(features(attributions, TagScores(offsets, logits), self.reporting_words))
        return [replace(a, score=round(float(s), 4)) for a, s in zip(attributions, scores)]

    def to_json(self) -> str:
        return json.dumps({
            "features": list(FEATURES), "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(), "bias": round(self.bias, 6), "min_score": self.min_score,
            "tagger": self.tagger, "reporting_words": sorted(self.reporting_words), "record": self.record,
        }, indent=1, ensure_ascii=False)

    @classmethod
    def from_head(cls, head: dict[str, Any], min_score: float, tagger: str, record: dict[str, Any],
                  reporting_words: frozenset[str] = REPORTING_WORDS) -> ScoreCalibration:
        """From a fitted sigmoid head's to_dict (training.stacker.fit: weights (d, 1), bias (1,))."""
        weights, bias = np.asarray(head["weights"], dtype=np.float64).reshape(-1), np.asarray(head["bias"], dtype=np.float64).reshape(-1)
        return cls._checked(head["mean"], head["scale"], weights, float(bias[0]), min_score, tagger, reporting_words, record)

    @classmethod
    def read(cls, path: Path) -> ScoreCalibration:
        """Raises OSError, or ValueError (KeyError, TypeError) for a file that is not a calibration of these features."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if list(data["features"]) != list(FEATURES):
            raise ValueError(f"{path} calibrates the features {data['features']}, not {list(FEATURES)}")
        words = data["reporting_words"]
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError(f"{path}: reporting_words must be a list of words")
        return cls._checked(data["mean"], data["scale"], data["weights"], float(data["bias"]), float(data["min_score"]),
                            str(data["tagger"]), frozenset(words), dict(data.get("record") or {}))

    @classmethod
    def _checked(cls, mean: Any, scale: Any, weights: Any, bias: float, min_score: float, tagger: str, reporting_words: frozenset[str],
                 record: dict[str, Any]) -> ScoreCalibration:
        arrays = [np.asarray(v, dtype=np.float64) for v in (mean, scale, weights)]
        if any(a.shape != (len(FEATURES),) for a in arrays) or not all(np.isfinite(a).all() for a in arrays) or not np.isfinite(bias):
            raise ValueError(f"a calibration needs {len(FEATURES)} finite means, scales and weights")
        if (arrays[1] <= 0).any():
            raise ValueError("a calibration's scales must be positive")
        if not 0 <= min_score <= 1:
            raise ValueError(f"a calibration's min_score must be from 0 to 1, not {min_score}")
        return cls(arrays[0], arrays[1], arrays[2], bias, min_score, tagger, frozenset(reporting_words), record)
