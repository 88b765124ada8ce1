"""The shipped attribution tagger: a small ONNX BiLSTM over the technique model's encodings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..arrays import FloatArray, IntArray
from ..cards import ModelCard, required
from ..sessions import check_graph, onnx_session
from ..types import Attribution
from .extractor import attributions_from_tags


class AttributionTagger:
    """session: an onnxruntime InferenceSession (typed Any: the library's boundary)."""

    def __init__(self, session: Any, card: ModelCard) -> None:
        self.session = session
        self.card = card
        self.tags = required(card.tags, "tags")
        # Per-tag logit offsets tuned on PolNeAR dev (see training/attribution.py).
        self.bias: FloatArray = np.asarray(card.tag_bias if card.tag_bias is not None else [0.0] * len(self.tags), dtype=np.float32)

    @classmethod
    def load(cls, folder: Path, threads: int | None = None) -> AttributionTagger:
        session = onnx_session(Path(folder) / "tagger.onnx", threads)
        check_graph(session, Path(folder) / "tagger.onnx", {"encodings"}, set())
        return cls(session, ModelCard.read(Path(folder) / "card.json"))

    def tag_logits(self, encodings: FloatArray) -> FloatArray:
        if len(encodings) == 0:
            return np.zeros((0, len(self.tags)), dtype=np.float32)
        logits: FloatArray = self.session.run(None, {"encodings": encodings.astype(np.float32)[None]})[0][0] + self.bias
        return logits

    def extract(self, text: str, offsets: IntArray, encodings: FloatArray) -> list[Attribution]:
        return attributions_from_tags(text, offsets, self.tag_logits(encodings))
