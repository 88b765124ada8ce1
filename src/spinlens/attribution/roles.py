"""The parts the attribution tagger finds, as the rules pass them around: a role's span with the tagger's
score, a cue with its sources and contents, and the tagger's score of a span the rules made."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from ..activations import softmax
from ..arrays import FloatArray, IntArray
from ..types import Role
from .data import TAGS


@dataclass(frozen=True)
class RoleSpan:
    role: Role
    start: int
    end: int
    score: float  # mean probability of the tokens' tags


Event = tuple[RoleSpan, dict[Role, list[RoleSpan]]]  # a cue and its sources and contents


class TagScores:
    """The tagger's probability for a role over the tokens of a span the rules made: the mean over its tokens
    of the B and I tags' probabilities (a rule-made span is scored as the tagger's spans are)."""

    def __init__(self, offsets: IntArray, logits: FloatArray) -> None:
        probs = softmax(logits.astype(np.float64)) if len(logits) else np.zeros((0, len(TAGS)))
        pairs = np.asarray(offsets).reshape(-1, 2)
        self.starts, self.ends = pairs[:, 0].tolist(), pairs[:, 1].tolist()
        self.role = {role: probs[:, TAGS.index(f"B-{role}")] + probs[:, TAGS.index(f"I-{role}")] for role in ("Source", "Cue", "Content")}

    def span(self, role: Role, start: int, end: int) -> RoleSpan:
        first, last = bisect_right(self.ends, start), bisect_left(self.starts, end)
        score = float(np.clip(self.role[role][first:last].mean(), 0.0, 1.0)) if last > first else 0.0
        return RoleSpan(role, start, end, score)
