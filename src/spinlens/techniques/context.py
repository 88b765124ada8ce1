"""What a 256-token window cannot see about a span: the article around it.

For the span classifier (fitted by spinlens.training.stacker): how often the span's words recur in its
article and how far away, its length and place, whether it is quoted, its capitals and punctuation, and
how propaganda-like its sentence and the span itself read to the encoder; and the encoder's pooled
representation of the span and of its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..sentences import split_sentences
from ..spans import lower_same_length, quote_mask
from .encoding import token_range

CONTEXT_FEATURES: tuple[str, ...] = (
    "repeats",  # log(1 + other occurrences of the span's text in the article), case folded
    "word_repeats",  # log(1 + mean occurrences elsewhere of the span's words of 3+ letters)
    "nearest_repeat",  # 1 / (1 + characters to the nearest other occurrence / 1,000); 0 without one
    "chars",  # log(1 + characters) / 5
    "words",  # log(1 + words) / 3
    "position",  # where the span starts, as a share of the article
    "first_line",  # in the article's first line (PTC's title)
    "quoted",  # share of its characters inside quotation marks
    "capitals",  # share of its letters that are capitals
    "title_case",  # every word of two or more capitalised, not at a sentence start: a name ("Anbar Awakening")
    "exclamation",  # its sentence has "!"
    "question",  # its sentence has "?"
    "sentence_score",  # highest propaganda probability of a token in its sentence
    "span_score",  # mean propaganda probability of its tokens
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass
class ArticleContext:
    """One article's text and the encoder's outputs for it, indexed once for any number of spans."""

    text: str
    offsets: np.ndarray  # (n, 2) token character offsets
    propaganda: np.ndarray  # (n,) token propaganda probabilities
    encodings: np.ndarray | None = None  # (n, hidden)
    lowered: str = field(init=False)
    sentences: list[tuple[int, int]] = field(init=False)
    words: Counter[str] = field(init=False)
    quoted: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.lowered = lower_same_length(self.text)
        self.sentences = split_sentences(self.text) or [(0, len(self.text))]
        self.words = Counter(m.group() for m in _WORD.finditer(self.lowered))
        self.quoted = quote_mask(self.text)

    def sentence_of(self, start: int) -> tuple[int, int]:
        k = max(bisect_right([s for s, _ in self.sentences], start) - 1, 0)
        return self.sentences[k]

    def features(self, start: int, end: int) -> np.ndarray:
        """CONTEXT_FEATURES of the span [start, end), in that order."""
        text, lowered = self.text, self.lowered
        fragment = lowered[start:end].strip(" \t\n\"'“”‘’.,;:!?")
        others = []
        if len(fragment) >= 3:
            found = lowered.find(fragment)
            while found != -1:
                if not start <= found < end:
                    others.append(found)
                found = lowered.find(fragment, found + 1)
        words = [m.group() for m in _WORD.finditer(lowered, start, end) if len(m.group()) >= 3]
        word_repeats = float(np.mean([self.words[w] - 1 for w in words])) if words else 0.0
        nearest = 1.0 / (1.0 + min(abs(o - start) for o in others) / 1000.0) if others else 0.0
        letters = [c for c in text[start:end] if c.isalpha()]
        sentence_start, sentence_end = self.sentence_of(start)
        cased = _WORD.findall(text[start:end])
        title_case = float(len(cased) >= 2 and all(w[0].isupper() for w in cased) and start != sentence_start)
        sentence = text[sentence_start:sentence_end]
        first, last = token_range(self.offsets, start, end)
        s_first, s_last = token_range(self.offsets, sentence_start, sentence_end)
        first_line = text.find("\n")
        return np.array([
            np.log1p(len(others)),
            np.log1p(max(word_repeats, 0.0)),
            nearest,
            np.log1p(end - start) / 5.0,
            np.log1p(len(cased)) / 3.0,
            start / max(len(text), 1),
            float(first_line == -1 or start < first_line),
            float(self.quoted[start:end].mean()) if end > start else 0.0,
            sum(c.isupper() for c in letters) / len(letters) if letters else 0.0,
            title_case,
            float("!" in sentence),
            float("?" in sentence),
            float(self.propaganda[s_first:s_last].max()) if s_last > s_first else 0.0,
            float(self.propaganda[first:last].mean()) if last > first else 0.0,
        ], dtype=np.float32)

    def pooled(self, start: int, end: int) -> np.ndarray:
        """The mean encoding of the span's tokens, then of its sentence's tokens."""
        if self.encodings is None:
            raise ValueError("pooled representations need the encoder's encodings")
        parts = []
        for a, b in ((start, end), self.sentence_of(start)):
            first, last = token_range(self.offsets, a, b)
            if last <= first:
                first, last = max(min(first, len(self.offsets) - 1), 0), max(min(first, len(self.offsets) - 1), 0) + 1
            parts.append(self.encodings[first:last].mean(axis=0))
        return np.concatenate(parts).astype(np.float32)
