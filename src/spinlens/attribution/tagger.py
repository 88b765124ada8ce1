"""The shipped attribution tagger: a small ONNX BiLSTM over the technique model's encodings (and, for a tagger
trained with them, the hand features of attribution.token_features), and the calibration of its attributions'
scores (calibration.json beside it, when there is one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..arrays import FloatArray, IntArray
from ..cards import ENCODINGS_NAMES, ModelCard, required
from ..sessions import check_graph, onnx_session
from ..types import Attribution
from .calibration import CALIBRATION_FILE, ScoreCalibration
from .extractor import attributions_from_tags
from .token_features import TOKEN_FEATURES, token_features

FEATURES_INPUT = "token_features"  # the ONNX input of a tagger that reads hand features


class AttributionTagger:
    """session: an onnxruntime InferenceSession (typed Any: the library's boundary). calibration: makes each
    attribution's score the chance that it is right (None, for a tagger without calibration.json: the
    extractor's uncalibrated mean tag probability)."""

    def __init__(self, session: Any, card: ModelCard, calibration: ScoreCalibration | None = None) -> None:
        self.session = session
        self.card = card
        self.calibration = calibration
        self.tags = required(card.tags, "tags")
        # The encoder outputs whose columns its "encodings" input holds, in order (TokenOutputs.stacked makes them).
        self.encoder_outputs: tuple[str, ...] = tuple(card.reads_outputs)
        if not self.encoder_outputs or any(name not in ENCODINGS_NAMES for name in self.encoder_outputs):
            raise ValueError(f"the tagger reads encoder outputs {list(self.encoder_outputs)}; this spinlens knows {list(ENCODINGS_NAMES)}")
        # Per-tag logit offsets tuned on PolNeAR dev (see training/attribution.py).
        self.bias: FloatArray = np.asarray(card.tag_bias if card.tag_bias is not None else [0.0] * len(self.tags), dtype=np.float32)
        # The reporting words its features look up, as at training (None: a tagger of the encodings alone).
        self.reporting_words: frozenset[str] | None = None
        if card.token_features is not None:
            if list(card.token_features["names"]) != list(TOKEN_FEATURES):
                raise ValueError(f"the tagger reads token features {card.token_features['names']}, this spinlens makes {list(TOKEN_FEATURES)}")
            self.reporting_words = frozenset(card.token_features["reporting_words"])

    @classmethod
    def load(cls, folder: Path, threads: int | None = None, calibrated: bool = True) -> AttributionTagger:
        """calibrated=False: without the folder's calibration.json (to fit one)."""
        session = onnx_session(Path(folder) / "tagger.onnx", threads)
        card = ModelCard.read(Path(folder) / "card.json")
        check_graph(session, Path(folder) / "tagger.onnx", {"encodings"} | ({FEATURES_INPUT} if card.token_features else set()), set())
        return cls(session, card, read_calibration(Path(folder), card) if calibrated else None)

    @property
    def min_score(self) -> float | None:
        """The default threshold: attributions scored below it are left out (None: no default)."""
        return None if self.calibration is None else self.calibration.min_score

    def tag_logits(self, text: str, offsets: IntArray, encodings: FloatArray) -> FloatArray:
        if len(encodings) == 0:
            return np.zeros((0, len(self.tags)), dtype=np.float32)
        inputs = {"encodings": encodings.astype(np.float32)[None]}
        if self.reporting_words is not None:
            inputs[FEATURES_INPUT] = token_features(text, offsets, self.reporting_words)[None]
        logits: FloatArray = self.session.run(None, inputs)[0][0] + self.bias
        return logits

    def extract(self, text: str, offsets: IntArray, encodings: FloatArray) -> list[Attribution]:
        """Every attribution the tagger and the rules find, whatever its score (the pipeline applies the threshold)."""
        logits = self.tag_logits(text, offsets, encodings)
        attributions = attributions_from_tags(text, offsets, logits)
        return attributions if self.calibration is None else self.calibration.calibrated(offsets, logits, attributions)


def read_calibration(folder: Path, card: ModelCard) -> ScoreCalibration | None:
    """The folder's calibration.json, None when it has none; a ValueError when it was fitted on another tagger
    (its scores would mean nothing for this one)."""
    path = folder / CALIBRATION_FILE
    if not path.is_file():
        return None
    calibration = ScoreCalibration.read(path)
    if calibration.tagger != str(card.version):
        raise ValueError(f"{CALIBRATION_FILE} was fitted on tagger {calibration.tagger}, not on this one ({card.version}): "
                         "fit it again with 'python benchmarks/attribution_calibration.py --data POLNEAR --write', or remove it")
    return calibration
