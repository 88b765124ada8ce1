"""The evidence beside a flag: the gold PTC train fragments of the same technique nearest to it.

Fragments are compared by the encoder's pooled representation: the mean of the encodings of the tokens a
fragment overlaps, from the same encoder pass that flagged it, L2-normalised. The index of the gold
fragments (examples.npz, in the technique model's folder) is built by `spinlens train examples`
(spinlens.training.examples_index) with the same pooling, and holds the encoder version it was built with:
another encoder's representations live in another space, so such an index is refused (spinlens.loaders).

File layout (numpy .npz, compressed, no pickles): `vectors` int8 (n, hidden), each row a unit vector
scaled to the int8 range (the scale cancels in a cosine, so none is kept); `techniques` bool
(n, len(TECHNIQUES)), a fragment's gold techniques; `offsets` int32 (n, 2) in its article; `sentence`
int32 (n,) into the sentence table; `meta` the UTF-8 bytes of a JSON object: format, encoder, labels,
article_ids, texts and sentences (each row's; sentences once each), built, command.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..arrays import BoolArray, FloatArray, IntArray
from ..labels import TECHNIQUE_INDEX, TECHNIQUES
from ..types import Example, TechniqueSpan
from .encoding import token_range
from .inference import TokenOutputs

FORMAT = 1
DEFAULT_EXAMPLES = 3
SENTENCE_CONTEXT = 150  # characters kept either side of a fragment in a long line
_CANDIDATES = 40  # nearest rows looked at per fragment before its own article's and repeated texts are skipped


def pooled(offsets: IntArray, encodings: FloatArray, start: int, end: int) -> FloatArray:
    """The unit-length mean encoding of the tokens that overlap [start, end) (the nearest token when none do)."""
    first, last = token_range(offsets, start, end)
    if last <= first:
        first = max(min(first, len(offsets) - 1), 0)
        last = first + 1
    mean = encodings[first:last].astype(np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    result: FloatArray = mean / norm if norm > 0 else mean
    return result


def quantise(unit: FloatArray) -> IntArray:
    """Unit rows as int8, each scaled so that its largest component is ±127."""
    peak = np.maximum(np.abs(unit).max(axis=1, keepdims=True), 1e-12)
    quantised: IntArray = np.round(unit / peak * 127).astype(np.int8)
    return quantised


def unit_rows(quantised: IntArray) -> FloatArray:
    rows = quantised.astype(np.float32)
    result: FloatArray = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return result


def line_around(text: str, start: int, end: int, context: int = SENTENCE_CONTEXT) -> str:
    """The line(s) of `text` that hold [start, end) (a PTC article has one sentence a line), cut to `context`
    characters either side of the fragment at a word boundary, an ellipsis marking each cut."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left, right = line_start, line_end
    if start - line_start > context:
        space = text.find(" ", start - context, start)
        left = space + 1 if space != -1 else start - context
    if line_end - end > context:
        space = text.rfind(" ", end, end + context)
        right = space if space != -1 else end + context
    return ("…" if left > line_start else "") + text[left:right].strip() + ("…" if right < line_end else "")


@dataclass(frozen=True)
class ExampleIndex:
    encoder: str  # the technique model version whose encodings the vectors are
    vectors: IntArray  # (n, hidden) int8
    techniques: BoolArray  # (n, len(TECHNIQUES))
    offsets: IntArray  # (n, 2)
    article_ids: tuple[str, ...]
    texts: tuple[str, ...]
    sentences: tuple[str, ...]  # per row
    built: str = ""
    command: str = ""
    _unit: FloatArray = field(init=False, repr=False, compare=False)  # the rows dequantised, unit length
    _rows: list[IntArray] = field(init=False, repr=False, compare=False)  # per technique, the rows that carry it
    _matrices: list[FloatArray] = field(init=False, repr=False, compare=False)  # per technique, those rows of _unit

    def __post_init__(self) -> None:
        # Dequantised once; per technique the rows that carry it (a fragment may carry two).
        object.__setattr__(self, "_unit", unit_rows(self.vectors))
        object.__setattr__(self, "_rows", [np.flatnonzero(self.techniques[:, t]) for t in range(len(TECHNIQUES))])
        # Contiguous copies, made once: gathering a technique's rows for each query cost more than the product.
        object.__setattr__(self, "_matrices", [np.ascontiguousarray(self._unit[rows]) for rows in self._rows])

    def __len__(self) -> int:
        return len(self.article_ids)

    @property
    def unit(self) -> FloatArray:
        return self._unit

    def nearest(self, query: FloatArray, technique: str, k: int = DEFAULT_EXAMPLES,
                skip: Callable[[int], bool] = lambda row: False) -> list[Example]:
        """The k rows of `technique` most similar to the unit vector `query`, best first, one per fragment
        text (case folded); rows for which `skip` is true are passed over."""
        rows, matrix = self._rows[TECHNIQUE_INDEX[technique]], self._matrices[TECHNIQUE_INDEX[technique]]
        if len(rows) == 0 or k < 1:
            return []
        similarity = matrix @ query.astype(np.float32)
        found: list[Example] = []
        # The nearest few first; all the rows only when skipped and repeated texts used up those few.
        for count in dict.fromkeys((min(len(rows), _CANDIDATES + k), len(rows))):
            best = np.argpartition(-similarity, count - 1)[:count] if count < len(rows) else np.arange(len(rows))
            found, seen = [], set()
            for position in best[np.argsort(-similarity[best], kind="stable")]:
                row = int(rows[position])
                key = " ".join(self.texts[row].casefold().split())
                if key in seen or skip(row):
                    continue
                seen.add(key)
                value = round(min(max(float(similarity[position]), -1.0), 1.0), 3)
                found.append(Example(self.article_ids[row], technique, self.texts[row], self.sentences[row], value))
                if len(found) == k:
                    return found
        return found

    def write(self, path: Path) -> None:
        table = sorted(set(self.sentences))
        number = {sentence: i for i, sentence in enumerate(table)}
        meta = {"format": FORMAT, "encoder": self.encoder, "labels": list(TECHNIQUES), "article_ids": list(self.article_ids),
                "texts": list(self.texts), "sentences": table, "built": self.built, "command": self.command}
        np.savez_compressed(
            path, vectors=self.vectors.astype(np.int8), techniques=self.techniques.astype(bool), offsets=self.offsets.astype(np.int32),
            sentence=np.asarray([number[s] for s in self.sentences], dtype=np.int32),
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        )

    @classmethod
    def read(cls, path: Path) -> ExampleIndex:
        """Raises ValueError (or OSError, KeyError) for a file that is not such an index."""
        with np.load(path, allow_pickle=False) as data:
            meta: dict[str, Any] = json.loads(data["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT or meta.get("labels") != list(TECHNIQUES):
                raise ValueError(f"format {meta.get('format')!r} with labels {meta.get('labels')!r}; expected format {FORMAT} with the 14 PTC labels")
            vectors, techniques, offsets, sentence = data["vectors"], data["techniques"], data["offsets"], data["sentence"]
        table = meta["sentences"]
        n = len(vectors)
        if not (vectors.dtype == np.int8 and techniques.shape == (n, len(TECHNIQUES)) and offsets.shape == (n, 2)
                and len(sentence) == len(meta["article_ids"]) == len(meta["texts"]) == n):
            raise ValueError("its arrays disagree in shape")
        return cls(str(meta["encoder"]), vectors, techniques.astype(bool), offsets, tuple(meta["article_ids"]), tuple(meta["texts"]),
                   tuple(table[i] for i in sentence), str(meta.get("built", "")), str(meta.get("command", "")))


def _own(index: ExampleIndex, text: str) -> Callable[[int], bool]:
    """Whether a row's sentence is in the analysed text: its own article (a PTC train article, or a copy of
    one) is no evidence for it."""
    def skip(row: int) -> bool:
        sentence = index.sentences[row]
        core = sentence.removeprefix("…").removesuffix("…")  # the cuts line_around marked
        return bool(core) and core in text
    return skip


def with_examples(spans: Sequence[TechniqueSpan], outputs: TokenOutputs, index: ExampleIndex,
                  k: int = DEFAULT_EXAMPLES) -> tuple[TechniqueSpan, ...]:
    """The spans, each with the k gold fragments of its technique nearest to it (`outputs` must hold encodings)."""
    if outputs.encodings is None:
        raise ValueError("nearest examples need the encoder's encodings (run the model with encodings naming \"encodings\")")
    skip = _own(index, outputs.text)
    return tuple(
        replace(span, examples=tuple(index.nearest(pooled(outputs.offsets, outputs.encodings, span.start, span.end), span.technique, k, skip)))
        for span in spans
    )
