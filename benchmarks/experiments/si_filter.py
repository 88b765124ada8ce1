"""SI with a span-level filter (docs/experiments.md, "more ideas on the same folds"): a logistic regression over
SI's decoded spans learns the share of a span's characters inside gold fragments; spans below a cut are
dropped, the token threshold and the cut chosen by inner leave-one-fold-out.

    python benchmarks/experiments/si_filter.py
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from folds import CARD, folds

from spinlens.evaluate.ptc import si_score
from spinlens.formats.ptc import LabelledSpan
from spinlens.spans import lower_same_length
from spinlens.techniques.context import ArticleContext
from spinlens.techniques.decoding import DecodeSettings, decode_spans
from spinlens.techniques.encoding import token_range
from spinlens.techniques.inference import technique_probs
from spinlens.techniques.judge import logit
from spinlens.training.stacker import fit

BASE = DecodeSettings(**CARD["decode"])
THRESHOLDS = (0.25, 0.3, 0.35)
CUTS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)

data = []  # per fold: {threshold: (spans, features, share of characters in gold)}, SI gold
for out, w, gold in folds():
    gold = [replace(s, technique=None) for s in gold]
    inside = {a: np.zeros(len(o.text) + 1, bool) for a, o in out.items()}
    for g in gold:
        inside[g.article_id][g.start : g.end] = True
    per = {}
    for threshold in THRESHOLDS:
        spans, x, y = [], [], []
        for a, o in out.items():
            context, lowered = ArticleContext(o.text, o.offsets, o.propaganda), lower_same_length(o.text)
            for s, e, raw in decode_spans(o.text, o.offsets, o.propaganda, replace(BASE, threshold=threshold)):
                first, last = token_range(o.offsets, s, e)
                highest = float(o.propaganda[first:last].max()) if last > first else raw
                probs = technique_probs(o, lowered, s, e, w)
                x.append(np.concatenate([[logit(raw), logit(highest), np.log1p(e - s)], context.features(s, e), np.log(np.clip(probs, 1e-6, 1))]))
                spans.append((a, s, e)), y.append(inside[a][s:e].mean())
        per[threshold] = (spans, np.array(x, np.float32), np.array(y, np.float32))
    data.append((per, gold))
n = len(data)


def si(spans, keep, gold):
    return si_score([LabelledSpan(a, s, e) for (a, s, e), k in zip(spans, keep) if k], gold).f1


def filter_on(parts, threshold):
    return fit(np.concatenate([data[j][0][threshold][1] for j in parts]), np.concatenate([data[j][0][threshold][2] for j in parts]), "sigmoid", 1e-2)


base, filtered = [], []
for k in range(n):
    others = [j for j in range(n) if j != k]
    alone = max(THRESHOLDS, key=lambda t: np.mean([si(data[j][0][t][0], np.ones(len(data[j][0][t][0]), bool), data[j][1]) for j in others]))
    table = {}
    for t in THRESHOLDS:
        for j in others:
            p = filter_on([i for i in others if i != j], t)(data[j][0][t][1])[:, 0]
            for cut in CUTS:
                table[(t, cut, j)] = si(data[j][0][t][0], p >= cut, data[j][1])
    t, cut = max(((t, c) for t in THRESHOLDS for c in CUTS), key=lambda tc: np.mean([table[(*tc, j)] for j in others]))
    p = filter_on(others, t)(data[k][0][t][1])[:, 0]
    base.append(si(data[k][0][alone][0], np.ones(len(data[k][0][alone][0]), bool), data[k][1]))
    filtered.append(si(data[k][0][t][0], p >= cut, data[k][1]))
    print(k, "threshold only", round(base[-1], 4), alone, "filter", round(filtered[-1], 4), (t, cut), flush=True)
print(f"threshold only {np.mean(base):.4f}, with the filter {np.mean(filtered):.4f}")
