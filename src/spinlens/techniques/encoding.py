"""Tokenise an article and cover it with overlapping encoder windows; shared by training and inference.

Nothing is truncated: every token of the article falls in at least one window, and tokens that fall in
two windows get the mean of both predictions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..arrays import FloatArray, IntArray
from ..errors import ModelError

WINDOW = 256  # tokens per window, [CLS] and [SEP] included
OVERLAP = 32  # tokens shared by neighbouring windows
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class EncodedArticle:
    ids: IntArray  # (n_tokens,) word-piece ids, no special tokens
    offsets: IntArray  # (n_tokens, 2) code-point offsets into the text
    windows: list[tuple[int, int]]  # token ranges [start, end) covered by each window


def load_tokenizer(path: Path) -> Any:
    """A tokenizers.Tokenizer (typed Any: the library's boundary, imported lazily)."""
    from tokenizers import Tokenizer  # lazy: `spinlens --help` and the reports need no tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as error:  # tokenizers raises plain Exception for a file it cannot parse
        raise ModelError(f"{path} is not a tokenizers file ({error})") from None
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def window_ranges(n_tokens: int, window: int = WINDOW, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    body = window - 2
    if n_tokens <= body:
        return [(0, n_tokens)]
    stride = body - overlap
    ranges = []
    start = 0
    while True:
        end = min(start + body, n_tokens)
        ranges.append((start, end))
        if end == n_tokens:
            return ranges
        start += stride
        if n_tokens - start < body:  # last window flush with the end, full length
            start = max(n_tokens - body, 0)


def encode(tokenizer: Any, text: str, window: int = WINDOW, overlap: int = OVERLAP) -> EncodedArticle:
    encoding = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(encoding.ids, dtype=np.int64)
    offsets = cover_marks(text, np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2))
    return EncodedArticle(ids, offsets, window_ranges(len(ids), window, overlap))


def cover_marks(text: str, offsets: IntArray) -> IntArray:
    """Token ends moved past the combining marks that follow them. The uncased tokenizer strips accents,
    so a decomposed "é" (e + U+0301) ended its token after the "e", and a span cut the accent off."""
    marks = [m.start() for m in _NON_ASCII.finditer(text) if unicodedata.category(m.group())[0] == "M"]
    if not marks or len(offsets) == 0:
        return offsets
    offsets = offsets.copy()
    ends = offsets[:, 1]
    for mark in marks:
        # The token that ends just before this mark (or before the marks stacked before it), if it is the last
        # one to start before the mark: a mark inside a word piece's range is already covered.
        token = int(np.searchsorted(offsets[:, 0], mark, side="left")) - 1
        if token >= 0 and ends[token] == mark:
            ends[token] = mark + 1
    return offsets


def batch_inputs(
    articles: list[EncodedArticle], cls_id: int, sep_id: int, pad_id: int = 0
) -> tuple[IntArray, IntArray, list[tuple[int, int, int]]]:
    """Stack every window of every article into one padded batch.

    Returns input ids, attention mask and, per row, (article index, token start, token end).
    """
    rows = [(a, s, e) for a, article in enumerate(articles) for s, e in article.windows]
    width = max((e - s for _, s, e in rows), default=0) + 2
    input_ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for r, (a, s, e) in enumerate(rows):
        n = e - s
        input_ids[r, 0] = cls_id
        input_ids[r, 1 : n + 1] = articles[a].ids[s:e]
        input_ids[r, n + 1] = sep_id
        mask[r, : n + 2] = 1
    return input_ids, mask, rows


def gather_windows(
    n_tokens: int, rows: list[tuple[int, int]], outputs: list[FloatArray]
) -> FloatArray:
    """Average window outputs (each (n_window_tokens, ...), specials stripped) back onto article tokens."""
    if not outputs:
        return np.zeros((n_tokens,), dtype=np.float32)
    total = np.zeros((n_tokens,) + outputs[0].shape[1:], dtype=np.float32)
    count = np.zeros((n_tokens,), dtype=np.float32)
    for (s, e), out in zip(rows, outputs):
        total[s:e] += out
        count[s:e] += 1
    count = np.maximum(count, 1).reshape((-1,) + (1,) * (total.ndim - 1))
    mean: FloatArray = total / count
    return mean


def token_range(offsets: IntArray, start: int, end: int) -> tuple[int, int]:
    """Tokens whose characters overlap [start, end); (i, i) when none do."""
    if len(offsets) == 0:
        return 0, 0
    first = int(np.searchsorted(offsets[:, 1], start, side="right"))
    last = int(np.searchsorted(offsets[:, 0], end, side="left"))
    return first, max(first, last)
