"""The words of a span, as evidence of its technique: a linear model over the span's word unigrams and bigrams.

The encoder reads a span in its window; this reads what PTC's annotators saw again and again ("radical
Islam", "deep state", "make America great again"). It is a multinomial logistic regression over TF-IDF
features (sublinear term frequency, L2-normalised), fitted by spinlens.training.lexical with scikit-learn and
shipped as lexical.npz beside judge.json; here it is read and applied with numpy alone. Its log
probabilities are inputs of the judge's technique head (techniques/judge.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..arrays import FloatArray

LEXICAL_FILE = "lexical.npz"
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def ngrams(text: str) -> list[str]:
    """The span's lower-cased word unigrams and bigrams, as scikit-learn's vectoriser makes them."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


@dataclass(frozen=True)
class LexicalModel:
    vocabulary: dict[str, int]
    idf: FloatArray  # (V,)
    coef: FloatArray  # (V, N): one column per technique, in labels.TECHNIQUES order
    intercept: FloatArray  # (N,)

    def log_probs(self, text: str) -> FloatArray:
        """(N,) log probability of each technique from the span's words alone."""
        counts = Counter(i for g in ngrams(text) if (i := self.vocabulary.get(g)) is not None)
        z = self.intercept.astype(np.float64)
        if counts:
            index = np.fromiter(counts, dtype=np.int64)
            values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[index]
            z = z + (values / np.linalg.norm(values)) @ self.coef[index]
        z = z - z.max()
        result: FloatArray = (z - np.log(np.exp(z).sum())).astype(np.float32)
        return result

    def save(self, path: Path) -> None:
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(path, vocabulary=np.array(words), idf=self.idf.astype(np.float32),
                            coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32))

    @classmethod
    def read(cls, path: Path) -> LexicalModel:
        """Raises OSError or ValueError (a file of another shape)."""
        with np.load(path, allow_pickle=False) as data:
            words, idf, coef, intercept = (data[k] for k in ("vocabulary", "idf", "coef", "intercept"))
        if not (len(words) == len(idf) == len(coef) and coef.ndim == 2 and coef.shape[1] == len(intercept)):
            raise ValueError(f"{Path(path).name}: vocabulary, idf and coefficients of different sizes")
        return cls({str(w): i for i, w in enumerate(words)}, idf, coef, intercept)
