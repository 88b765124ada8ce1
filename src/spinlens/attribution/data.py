"""PolNeAR as training data: texts, gold BRAT documents, and per-token role tags."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..formats.brat import BratDocument, gold_file, read_brat
from ..formats.ptc import read_article
from ..types import ROLES, Role

# BIO tags over the three roles; B marks the first token of each annotated span.
TAGS: tuple[str, ...] = ("O",) + tuple(f"{prefix}-{role}" for role in ROLES for prefix in ("B", "I"))
TAG_INDEX: dict[str, int] = {tag: i for i, tag in enumerate(TAGS)}
# Each tag but "O" as (prefix, role): "I-Cue" -> ("I", "Cue").
TAG_PARTS: dict[str, tuple[str, Role]] = {f"{prefix}-{role}": (prefix, role) for role in ROLES for prefix in ("B", "I")}


def read_polnear(folder: Path) -> dict[str, tuple[str, BratDocument]]:
    """{name: (text, gold document)} for every text with an annotation file (the first annotator's)."""
    folder = Path(folder)
    documents = {}
    for path in sorted((folder / "text").glob("*.txt")):
        gold = gold_file(folder / "attributions", path.stem)
        if gold is not None:
            documents[path.stem] = (read_article(path), read_brat(gold))
    return documents


def token_tags(offsets: NDArray[np.integer], document: BratDocument) -> NDArray[np.int64]:
    """One tag index per word-piece token: the role of the span its characters fall in, B at span starts."""
    tags = np.zeros(len(offsets), dtype=np.int64)
    starts = offsets[:, 0]
    for span in document.spans.values():
        if span.role not in ROLES:
            continue
        for start, end in span.pieces:
            first = int(np.searchsorted(offsets[:, 1], start, side="right"))
            last = int(np.searchsorted(starts, end, side="left"))
            if last <= first:
                continue
            tags[first] = TAG_INDEX[f"B-{span.role}"]
            tags[first + 1 : last] = TAG_INDEX[f"I-{span.role}"]
    return tags
