"""The most likely tag sequence that is valid BIO: an I tag only after the B or I tag of its role.

The tagger scores each token alone; its argmax can open a span with an I tag or jump from one role's I tag to
another's. Viterbi decoding under the BIO constraint gives whole spans instead (PolNeAR dev, the tagger of
2026-12-05: Cue precision 0.709 -> 0.722). Pure Python over lists: seven tags, one pass, about a millisecond
for a thousand tokens.
"""

from __future__ import annotations

import numpy as np

from ..arrays import FloatArray, IntArray
from .data import TAG_INDEX, TAG_PARTS, TAGS

# For each tag: the index of the B tag of its role when it is an I tag (the only other tag it may follow
# besides itself), else None (it may follow any tag).
_OPENER: tuple[int | None, ...] = tuple(
    TAG_INDEX[f"B-{TAG_PARTS[tag][1]}"] if tag in TAG_PARTS and TAG_PARTS[tag][0] == "I" else None for tag in TAGS
)
_FORBIDDEN = -1e30


def best_valid_tags(log_probs: FloatArray) -> IntArray:
    """The tag index per token (rows: tokens, columns: TAGS) of the highest-scoring valid BIO sequence."""
    rows = log_probs.tolist()
    if not rows:
        return np.zeros(0, dtype=np.int64)
    score = [value if _OPENER[j] is None else _FORBIDDEN for j, value in enumerate(rows[0])]
    back: list[list[int]] = []
    tags = range(len(TAGS))
    for row in rows[1:]:
        best = max(score)
        anywhere = score.index(best)
        step, previous = [], []
        for j in tags:
            opener = _OPENER[j]
            if opener is None:
                step.append(row[j] + best)
                previous.append(anywhere)
            else:
                before = opener if score[opener] >= score[j] else j
                step.append(row[j] + score[before])
                previous.append(before)
        back.append(previous)
        score = step
    tag = score.index(max(score))
    path = [tag]
    for previous in reversed(back):
        tag = previous[tag]
        path.append(tag)
    return np.asarray(path[::-1], dtype=np.int64)
