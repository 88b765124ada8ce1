"""TC with a boosted technique head (scikit-learn's HistGradientBoostingClassifier, settings fixed beforehand),
alone and averaged half and half with the linear head (docs/experiments.md, "more ideas on the same folds").

    python benchmarks/experiments/tc_boosted.py
"""

from __future__ import annotations

import numpy as np
from folds import Honest, rows
from sklearn.ensemble import HistGradientBoostingClassifier

from judge_cv import choose_tc, tc_f1
from spinlens.training.stacker import fit_technique, technique_weights


def boosted(parts, power):
    x = np.concatenate([p.tc_features for p in parts])
    y = np.concatenate([p.tc_targets for p in parts])
    w = technique_weights(y, power)
    xs, ys, ws = [], [], []
    for c in range(14):  # a span with two techniques is a row for each, weighted by its share
        m = y[:, c] > 0
        xs.append(x[m]), ys.append(np.full(m.sum(), c)), ws.append(w[m] * y[m, c])
    model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=20,
                                           l2_regularization=1.0, random_state=0)
    model.fit(np.concatenate(xs), np.concatenate(ys), sample_weight=np.concatenate(ws))

    def predict(features):
        p = np.zeros((len(features), 14))
        p[:, model.classes_] = model.predict_proba(features)
        return p
    return predict


fold_rows, golds = rows()
honest = Honest(fold_rows)
n = len(fold_rows)
results: dict[str, list[float]] = {"linear": [], "boosted": [], "averaged": []}
for k in range(n):
    others = [j for j in range(n) if j != k]
    train, test = [honest(j, [k]) for j in others], honest(k, [])
    l2, power = choose_tc(train, [golds[j] for j in others])
    linear = fit_technique(train, l2, power)(test.tc_features)
    tree = boosted(train, power)(test.tc_features)
    for name, p in (("linear", linear), ("boosted", tree), ("averaged", 0.5 * linear + 0.5 * tree)):
        results[name].append(tc_f1(test, p, golds[k])[0])
    print(k, {a: round(b[-1], 4) for a, b in results.items()}, flush=True)
for name, scores in results.items():
    print(name, " ".join(f"{x:.4f}" for x in scores), f"mean {np.mean(scores):.4f}")
