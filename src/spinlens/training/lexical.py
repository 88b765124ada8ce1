"""Fitting the lexical model of techniques/lexical.py with scikit-learn (the train extra).

Word unigrams and bigrams seen in at least two spans, TF-IDF with sublinear term frequency, a multinomial
logistic regression (C 3, fixed beforehand, not tuned). The fitted model is checked against
scikit-learn's own probabilities, so the numpy reading at analysis time gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..arrays import FloatArray
from ..labels import TECHNIQUES
from ..techniques.lexical import LexicalModel

C = 3.0
MIN_SPANS = 2


def fit_lexical(texts: Sequence[str], targets: FloatArray) -> LexicalModel:
    """texts: span texts; targets: (spans, N) shares of each span's techniques (its first, largest one is
    the label)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # lazy: the train extra
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=MIN_SPANS, sublinear_tf=True)
    x = vectoriser.fit_transform(texts)
    labels = np.asarray(targets).argmax(axis=1)
    classifier = LogisticRegression(C=C, max_iter=2000).fit(x, labels)
    coef = np.zeros((x.shape[1], len(TECHNIQUES)), dtype=np.float64)
    intercept = np.full(len(TECHNIQUES), -30.0)  # a technique no span had: (almost) never
    coef[:, classifier.classes_] = classifier.coef_.T if len(classifier.classes_) > 2 else np.hstack([-classifier.coef_.T, classifier.coef_.T]) / 2
    intercept[classifier.classes_] = classifier.intercept_ if len(classifier.classes_) > 2 else [-classifier.intercept_[0] / 2, classifier.intercept_[0] / 2]
    model = LexicalModel({str(w): int(i) for w, i in vectoriser.vocabulary_.items()}, vectoriser.idf_.astype(np.float32),
                         coef.astype(np.float32), intercept.astype(np.float32))
    sample = list(texts[:200])
    expected = classifier.predict_proba(vectoriser.transform(sample))
    got = np.exp(np.stack([model.log_probs(t) for t in sample]))[:, classifier.classes_]
    if not np.allclose(got, expected, atol=1e-4):
        raise AssertionError(f"the numpy lexical model differs from scikit-learn's by {np.abs(got - expected).max():.2e}")
    return model
