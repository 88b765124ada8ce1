"""Build the index of annotated examples (examples.npz) that `--explain` shows beside each flag.

One pass of a technique model over the PTC train articles, with encodings; each distinct gold fragment's
tokens pooled (spinlens.techniques.evidence.pooled, as at analysis time), quantised to int8 and written
with its techniques, article id, text and line into the model's folder.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from ..formats.ptc import LabelledSpan, read_articles, read_labels
from ..labels import TECHNIQUE_INDEX, TECHNIQUES
from ..techniques.evidence import ExampleIndex, line_around, pooled, quantise
from ..techniques.inference import TechniqueModel

INDEX_FILE = "examples.npz"
BATCH = 8  # articles per encoder call


def gold_fragments(labels: list[LabelledSpan]) -> dict[tuple[str, int, int], set[str]]:
    """Each distinct gold fragment (article, start, end) with its techniques."""
    fragments: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for span in labels:
        if span.technique in TECHNIQUE_INDEX:
            fragments[(span.article_id, span.start, span.end)].add(span.technique)
    return fragments


def build_index(model: TechniqueModel, data: Path, limit: int | None = None, log: Callable[[str], None] = print,
                command: str | None = None) -> ExampleIndex:
    """The index of every gold fragment of the PTC folder `data` (train-articles/ and the TC labels)."""
    articles = read_articles(Path(data) / "train-articles")
    labels = read_labels(Path(data) / "train-labels-task2-technique-classification")
    ids = sorted(articles)[:limit] if limit else sorted(articles)
    fragments = gold_fragments([s for s in labels if s.article_id in set(ids)])
    by_article: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for article_id, start, end in sorted(fragments):
        by_article[article_id].append((start, end))
    keys, vectors = [], []
    started = time.time()
    for b in range(0, len(ids), BATCH):
        batch = ids[b : b + BATCH]
        for article_id, outputs in zip(batch, model.run([articles[a] for a in batch], encodings=("encodings",))):
            assert outputs.encodings is not None  # asked for
            for start, end in by_article[article_id]:
                keys.append((article_id, start, end))
                vectors.append(pooled(outputs.offsets, outputs.encodings, start, end))
        log(f"{min(b + BATCH, len(ids))}/{len(ids)} articles, {len(keys)} fragments, {time.time() - started:.0f} s")
    techniques = np.zeros((len(keys), len(TECHNIQUES)), dtype=bool)
    for row, key in enumerate(keys):
        for technique in fragments[key]:
            techniques[row, TECHNIQUE_INDEX[technique]] = True
    return ExampleIndex(
        encoder=str(model.card.version), vectors=quantise(np.stack(vectors)) if vectors else np.zeros((0, 0), dtype=np.int8),
        techniques=techniques, offsets=np.asarray([(s, e) for _, s, e in keys], dtype=np.int32).reshape(-1, 2),
        article_ids=tuple(a for a, _, _ in keys), texts=tuple(articles[a][s:e] for a, s, e in keys),
        sentences=tuple(line_around(articles[a], s, e) for a, s, e in keys), built=date.today().isoformat(),
        command=command if command is not None else " ".join(["spinlens"] + sys.argv[1:]),
    )
