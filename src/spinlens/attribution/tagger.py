"""The shipped attribution tagger: a small ONNX BiLSTM over the technique model's encodings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..sessions import check_graph, onnx_session
from ..types import Attribution
from .extractor import attributions_from_tags


class AttributionTagger:
    def __init__(self, session, card: dict) -> None:
        self.session = session
        self.card = card
        # Per-tag logit offsets tuned on PolNeAR dev (see training/attribution.py).
        self.bias = np.asarray(card.get("tag_bias", [0.0] * len(card["tags"])), dtype=np.float32)

    @classmethod
    def load(cls, folder: Path, threads: int | None = None) -> AttributionTagger:
        session = onnx_session(Path(folder) / "tagger.onnx", threads)
        check_graph(session, Path(folder) / "tagger.onnx", {"encodings"}, set())
        return cls(session, json.loads((Path(folder) / "card.json").read_text(encoding="utf-8")))

    def tag_logits(self, encodings: np.ndarray) -> np.ndarray:
        if len(encodings) == 0:
            return np.zeros((0, len(self.card["tags"])), dtype=np.float32)
        return self.session.run(None, {"encodings": encodings.astype(np.float32)[None]})[0][0] + self.bias

    def extract(self, text: str, offsets: np.ndarray, encodings: np.ndarray) -> list[Attribution]:
        return attributions_from_tags(text, offsets, self.tag_logits(encodings))
