"""TC with (a) a span's technique probabilities averaged with those of the same text elsewhere in its article,
(b) the probabilities times the square root of the technique shares of identical gold span texts in the other
folds (docs/experiments.md, "more ideas on the same folds").

    python benchmarks/experiments/tc_pooling.py
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from folds import ARTICLES, Honest, rows

from judge_cv import choose_tc, tc_f1
from spinlens.training.stacker import fit_technique


def norm(text: str) -> str:
    return " ".join(text.lower().strip(" \t\n\"'“”‘’.,;:!?").split())


def pooled(r, p, weight):
    groups = defaultdict(list)
    for i, (a, s, e) in enumerate(r.tc_spans):
        groups[(a, norm(ARTICLES[a][s:e]))].append(i)
    q = p.copy()
    for index in groups.values():
        if len(index) > 1:
            q[index] = (1 - weight) * p[index] + weight * p[index].mean(0)
    return q


fold_rows, golds = rows()
honest = Honest(fold_rows)
n = len(fold_rows)
results: dict[str, list[float]] = defaultdict(list)
for k in range(n):
    others = [j for j in range(n) if j != k]
    train, test = [honest(j, [k]) for j in others], honest(k, [])
    l2, power = choose_tc(train, [golds[j] for j in others])
    p = fit_technique(train, l2, power)(test.tc_features)
    for weight in (0.0, 0.5, 1.0):
        results[f"pool{weight}"].append(tc_f1(test, pooled(test, p, weight), golds[k])[0])
    memory: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(14))
    for j in others:
        for (a, s, e), t in zip(fold_rows[j].tc_spans, fold_rows[j].tc_targets):
            memory[norm(ARTICLES[a][s:e])] += t
    for alpha in (0.5, 1.0, 2.0):
        q = p.copy()
        for i, (a, s, e) in enumerate(test.tc_spans):
            counts = memory.get(norm(ARTICLES[a][s:e]))
            if counts is not None and counts.sum() > 0:
                q[i] = p[i] * ((counts + alpha) / (counts.sum() + 14 * alpha)) ** 0.5
                q[i] /= q[i].sum()
        results[f"memo{alpha}"].append(tc_f1(test, q, golds[k])[0])
    print(k, {a: round(b[-1], 4) for a, b in results.items()}, flush=True)
for name, scores in results.items():
    print(name, " ".join(f"{x:.4f}" for x in scores), f"mean {np.mean(scores):.4f}")
