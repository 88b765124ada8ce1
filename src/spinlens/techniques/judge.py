"""The judgment on top of the encoder: which technique a span uses, and how likely each is to be right.

Two linear heads over the encoder's technique probabilities, the span's words (techniques/lexical.py,
where the judge has a lexical model) and the article around the span (techniques/context.py: repetitions,
length, place, quotation, capitals, punctuation, the sentence's score), fitted on out-of-fold encoder
outputs by spinlens.training.stacker and shipped as judge.json (and lexical.npz) beside the model:
- `technique`: softmax over the 14 techniques of a span known to use one (TC);
- `presence`: for a decoded fragment and each technique, the chance that a gold fragment of that
  technique overlaps it: the `probability` a reader sees. One logistic regression over (fragment,
  technique) rows; the technique enters as a one-hot, so each technique has its own base rate.
Inference is a few small matrix products, in numpy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..activations import sigmoid, softmax
from ..arrays import FloatArray
from ..labels import TECHNIQUE_INDEX, TECHNIQUES
from .context import CONTEXT_FEATURES, ArticleContext
from .lexical import LEXICAL_FILE, LexicalModel

N = len(TECHNIQUES)
TECHNIQUE_FEATURES = N + len(CONTEXT_FEATURES)  # log encoder probabilities, then the context (N more with a lexical model)
_LOG_FLOOR = float(np.log(1e-6))
PRESENCE_FEATURES = 5 + len(CONTEXT_FEATURES) + N  # score, probability, ranks; context; technique one-hot
# Loaded language is not a proper name that holds an emotive word ("Anbar Awakening", "Islamic State").
NAME_EXEMPT = frozenset({"Loaded_Language"})
_NAME_WORD = re.compile(r"[A-Z][a-z][\w'’-]*|[A-Z]\.?")


def logit(p: FloatArray | float) -> FloatArray:
    clipped = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    result: FloatArray = np.log(clipped / (1 - clipped))
    return result


def technique_features(encoder_probs: FloatArray, context_features: FloatArray, lexical: FloatArray | None = None) -> FloatArray:
    """A span's technique features: the encoder's log technique probabilities, the lexical model's (where
    there is one: lexical_columns), then its CONTEXT_FEATURES."""
    parts = [np.log(np.clip(encoder_probs, 1e-6, 1.0))] + ([] if lexical is None else [lexical_columns(lexical)])
    return np.concatenate([*parts, context_features]).astype(np.float32)


def lexical_columns(log_probs: FloatArray) -> FloatArray:
    """The lexical model's log probabilities as technique features, floored as the encoder's are; they come
    right after the encoder's N columns."""
    result: FloatArray = np.maximum(log_probs, _LOG_FLOOR).astype(np.float32)
    return result


def presence_features(score: float, technique_probs: FloatArray, context_features: FloatArray) -> FloatArray:
    """(N, PRESENCE_FEATURES): one row per technique for a fragment with calibrated propaganda `score`."""
    order = np.argsort(-technique_probs)
    rank = np.empty(N, dtype=np.int64)
    rank[order] = np.arange(N)
    rows = np.zeros((N, PRESENCE_FEATURES), dtype=np.float32)
    rows[:, 0] = logit(score)
    rows[:, 1] = np.log(np.clip(technique_probs, 1e-6, 1.0))
    rows[:, 2] = technique_probs
    rows[:, 3] = rank == 0
    rows[:, 4] = rank == 1
    rows[:, 5 : 5 + len(CONTEXT_FEATURES)] = context_features
    rows[:, 5 + len(CONTEXT_FEATURES) :] = np.eye(N, dtype=np.float32)
    return rows


def in_proper_name(text: str, start: int, end: int, sentence_start: int) -> bool:
    """The span lies inside a run of two or more capitalised words that does not start its sentence:
    a name ("Anbar Awakening", "the Islamic State group"), not an emotive word."""
    left = start
    while True:  # extend over capitalised words before the span
        match = re.search(r"([A-Z][\w'’.-]*)\s+$", text[max(sentence_start, left - 40) : left])
        if not match or left - len(match.group(0)) <= sentence_start:
            break
        left -= len(match.group(0))
    right = end
    while True:
        match = re.match(r"\s+([A-Z][\w'’.-]*)", text[right : right + 40])
        if not match:
            break
        right += len(match.group(0))
    words = text[left:right].split()
    if len(words) < 2 or left == sentence_start or not all(_NAME_WORD.match(w) for w in words):
        return False
    return not any(w.isupper() and len(w) > 1 for w in words)  # SHOUTING is emphasis, not a name


@dataclass(frozen=True)
class LinearHead:
    """Standardise, then one linear layer: softmax (technique) or sigmoid (presence)."""

    mean: FloatArray
    scale: FloatArray
    weights: FloatArray  # (d, k)
    bias: FloatArray  # (k,)
    kind: str  # "softmax" or "sigmoid"

    def __call__(self, features: FloatArray) -> FloatArray:
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        result: FloatArray = softmax(z) if self.kind == "softmax" else sigmoid(z)
        return result

    def to_dict(self) -> dict[str, Any]:
        return {name: np.asarray(getattr(self, name)).round(6).tolist() for name in ("mean", "scale", "weights", "bias")} | {"kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any], inputs: int, outputs: int) -> LinearHead:
        mean, scale, weights, bias = (np.asarray(data[name], dtype=np.float32) for name in ("mean", "scale", "weights", "bias"))
        head = cls(mean, scale, weights, bias, str(data["kind"]))
        if head.weights.shape != (inputs, outputs) or head.mean.shape != (inputs,) or head.bias.shape != (outputs,):
            raise ValueError(f"a head of shape {head.weights.shape}, expected ({inputs}, {outputs})")
        return head


@dataclass(frozen=True)
class Judge:
    technique: LinearHead
    presence: LinearHead
    min_probability: float  # the default: a (fragment, technique) is shown from this probability on
    flc_min_probability: float  # for `predict ptc-flc`: the threshold that maximised FLC F1 on the folds
    record: dict[str, Any]  # how it was fitted (kept in judge.json)
    si_threshold: float | None = None  # span identification's token threshold, chosen on the folds (predict ptc-si)
    # Platt scaling of the presence head's output (logit in, probability out), fitted on its cross-fitted
    # outputs: the head alone was under-confident above 0.35. None: the head's output as it is.
    calibration: LinearHead | None = None
    lexical: LexicalModel | None = None  # the span's words as evidence (lexical.npz); None: the technique head reads none
    # The technique head whose probabilities the presence head reads: one without the span's words. Learnt on
    # PTC, the words take vivid news reporting for propaganda: as the presence head's input they doubled the
    # flags shown on mainstream news, most of the new ones wrong. None: `technique`.
    presence_technique: LinearHead | None = None
    # `predict ptc-flc` only: the token threshold of the fragments it decodes, chosen on the folds for FLC F1
    # (after the card's flc_decode, which decodes what an analysis shows), and the presence head and Platt step
    # fitted on fragments decoded with it. None: the fragments and heads an analysis uses.
    flc_fragment_threshold: float | None = None
    flc_presence: LinearHead | None = None
    flc_calibration: LinearHead | None = None

    def technique_probs(self, context: ArticleContext, encoder_probs: FloatArray, start: int, end: int) -> FloatArray:
        return self._technique_probs(encoder_probs, context.features(start, end), context.text[start:end])

    def probabilities(self, context: ArticleContext, score: float, technique_probs: FloatArray, start: int, end: int) -> FloatArray:
        """(N,) chance that a gold fragment of each technique overlaps the span; 0 for loaded language
        inside a proper name. technique_probs: those of the presence head's technique head."""
        return self._probabilities(context, context.features(start, end), score, technique_probs, start, end)

    def judge_fragment(self, context: ArticleContext, encoder_probs: FloatArray, score: float, start: int, end: int) -> tuple[FloatArray, FloatArray]:
        """A decoded fragment's technique probabilities and probabilities, its context features read once."""
        features = context.features(start, end)
        technique_probs = self._technique_probs(encoder_probs, features, context.text[start:end])
        presence_input = technique_probs if self.presence_technique is None else \
            self.presence_technique(technique_features(encoder_probs, features)[None, :])[0]
        return technique_probs, self._probabilities(context, features, score, presence_input, start, end)

    def _technique_probs(self, encoder_probs: FloatArray, context_features: FloatArray, span_text: str) -> FloatArray:
        lexical = None if self.lexical is None else self.lexical.log_probs(span_text)
        probs: FloatArray = self.technique(technique_features(encoder_probs, context_features, lexical)[None, :])[0]
        return probs

    def _probabilities(self, context: ArticleContext, context_features: FloatArray, score: float, technique_probs: FloatArray,
                       start: int, end: int) -> FloatArray:
        probs = self.presence(presence_features(score, technique_probs, context_features))[:, 0]
        if self.calibration is not None:
            probs = self.calibration(logit(probs)[:, None])[:, 0]
        if in_proper_name(context.text, start, end, context.sentence_of(start)[0]):
            for technique in NAME_EXEMPT:
                probs[TECHNIQUE_INDEX[technique]] = 0.0
        return probs

    def for_flc(self) -> Judge:
        """The judge that `predict ptc-flc` reads: its own presence head and Platt step where it has them."""
        if self.flc_presence is None:
            return self
        return replace(self, presence=self.flc_presence, calibration=self.flc_calibration)

    def to_json(self) -> str:
        return json.dumps({"technique": self.technique.to_dict(), "presence": self.presence.to_dict(),
                           "min_probability": self.min_probability, "flc_min_probability": self.flc_min_probability,
                           "si_threshold": self.si_threshold,
                           "calibration": None if self.calibration is None else self.calibration.to_dict(),
                           "lexical": None if self.lexical is None else LEXICAL_FILE,
                           "presence_technique": None if self.presence_technique is None else self.presence_technique.to_dict(),
                           "flc_fragment_threshold": self.flc_fragment_threshold,
                           "flc_presence": None if self.flc_presence is None else self.flc_presence.to_dict(),
                           "flc_calibration": None if self.flc_calibration is None else self.flc_calibration.to_dict(),
                           "record": self.record}, indent=1)

    @classmethod
    def read(cls, path: Path) -> Judge:
        """Raises OSError or ValueError (KeyError, TypeError: JSON without what a judge needs). A judge with a
        lexical model reads it from the file judge.json names beside it."""
        data = json.loads(path.read_text(encoding="utf-8"))
        lexical = None if data.get("lexical") is None else LexicalModel.read(path.parent / str(data["lexical"]))
        inputs = TECHNIQUE_FEATURES + (0 if lexical is None else N)
        return cls(LinearHead.from_dict(data["technique"], inputs, N), LinearHead.from_dict(data["presence"], PRESENCE_FEATURES, 1),
                   float(data["min_probability"]), float(data["flc_min_probability"]), dict(data.get("record") or {}),
                   None if data.get("si_threshold") is None else float(data["si_threshold"]),
                   None if data.get("calibration") is None else LinearHead.from_dict(data["calibration"], 1, 1), lexical,
                   None if data.get("presence_technique") is None else LinearHead.from_dict(data["presence_technique"], TECHNIQUE_FEATURES, N),
                   None if data.get("flc_fragment_threshold") is None else float(data["flc_fragment_threshold"]),
                   None if data.get("flc_presence") is None else LinearHead.from_dict(data["flc_presence"], PRESENCE_FEATURES, 1),
                   None if data.get("flc_calibration") is None else LinearHead.from_dict(data["flc_calibration"], 1, 1))
