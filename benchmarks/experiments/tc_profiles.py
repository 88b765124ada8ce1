"""TC with the article's and the sentence's technique profile beside the technique head's features
(docs/experiments.md, "more ideas on the same folds"): the propaganda-weighted mean of the tokens' technique
distributions over the article and over the span's sentence, 14 log values each; L2 and class weighting by
inner leave-one-fold-out as in judge_cv.py.

    python benchmarks/experiments/tc_profiles.py [base art sent both]
"""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
from folds import Honest, folds, rows

from judge_cv import choose_tc, tc_f1
from spinlens.activations import softmax
from spinlens.techniques.context import ArticleContext
from spinlens.techniques.encoding import token_range
from spinlens.training.stacker import fit_technique

loaded = folds()
fold_rows, golds = rows(loaded=loaded)
extra = []
for (out, _, _), r in zip(loaded, fold_rows):
    features = []
    for a, s, _ in r.tc_spans:
        o = out[a]
        p, w = softmax(o.technique_logits), o.propaganda[:, None]
        article = (p * w).sum(0) / (w.sum() + 1e-6)
        ss, se = ArticleContext(o.text, o.offsets, o.propaganda).sentence_of(s)
        f, last = token_range(o.offsets, ss, se)
        sentence = (p[f:last] * w[f:last]).sum(0) / (w[f:last].sum() + 1e-6) if last > f else article
        features.append(np.concatenate([np.log(article + 1e-4), np.log(sentence + 1e-4)]))
    extra.append(np.array(features, np.float32))
honest = Honest(fold_rows)
n = len(fold_rows)
columns = {"art": slice(0, 14), "sent": slice(14, 28), "both": slice(0, 28)}
variants = sys.argv[1:] or ["base", "art", "sent", "both"]
results: dict[str, list[float]] = {v: [] for v in variants}
for k in range(n):
    others = [j for j in range(n) if j != k]
    train, test = {j: honest(j, [k]) for j in others}, honest(k, [])
    for v in variants:
        def add(r, x, v=v):
            return r if v == "base" else replace(r, tc_features=np.concatenate([r.tc_features, x[:, columns[v]]], 1))
        parts = [add(train[j], extra[j]) for j in others]
        scored = add(test, extra[k])
        l2, power = choose_tc(parts, [golds[j] for j in others])
        results[v].append(tc_f1(scored, fit_technique(parts, l2, power)(scored.tc_features), golds[k])[0])
        print(k, v, round(results[v][-1], 4), (l2, power), file=sys.stderr, flush=True)
for v, scores in results.items():
    print(v, " ".join(f"{x:.4f}" for x in scores), f"mean {np.mean(scores):.4f}")
