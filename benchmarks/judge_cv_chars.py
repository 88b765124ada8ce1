"""Experiment (not kept, docs/experiments.md): the judge's k-fold estimate with character n-grams in the
lexical model beside the word unigrams and bigrams.

    python benchmarks/judge_cv_chars.py --data ../shared/data/ptc --runs ~/spinlens-kfold

Runs benchmarks/judge_cv.py (everything nested as there) with its lexical model replaced by one over word
1-2 grams and scikit-learn's char_wb 3-5 grams, each in at least two spans, sublinear TF-IDF, the same
logistic regression (C 3); all fixed beforehand. Needs the train extra (scikit-learn).
"""

from __future__ import annotations

import numpy as np

import judge_cv
from spinlens.labels import TECHNIQUES
from spinlens.training.lexical import MIN_SPANS, C


class CharLexical:
    """The lexical model's interface (log_probs) over word and character n-grams, read with scikit-learn."""

    def __init__(self, texts: list[str], targets: np.ndarray) -> None:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=MIN_SPANS, sublinear_tf=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=MIN_SPANS, sublinear_tf=True)
        self.hstack = hstack
        x = hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)]).tocsr()
        self.classifier = LogisticRegression(C=C, max_iter=3000).fit(x, np.asarray(targets).argmax(axis=1))
        self.cache: dict[str, np.ndarray] = {}

    def log_probs(self, text: str) -> np.ndarray:
        if text not in self.cache:
            x = self.hstack([self.words.transform([text]), self.chars.transform([text])]).tocsr()
            p = np.full(len(TECHNIQUES), 1e-13)
            p[self.classifier.classes_] = self.classifier.predict_proba(x)[0]
            self.cache[text] = np.log(p).astype(np.float32)
        return self.cache[text]


if __name__ == "__main__":
    judge_cv.fit_lexical = CharLexical  # type: ignore[assignment]  # judge_cv fits through this name
    judge_cv.main()
