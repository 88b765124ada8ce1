"""SI with spans copied to the other occurrences of their text (docs/experiments.md, "more ideas on the same
folds"): labelled fragments with a mean token probability of at least 0.5-0.7 and 4 or 8 characters, found
again elsewhere in the article as whole words and not yet covered, become SI spans too; the setting chosen
by inner leave-one-fold-out.

    python benchmarks/experiments/si_copies.py
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
from folds import CARD, folds

from spinlens.evaluate.ptc import si_score
from spinlens.formats.ptc import LabelledSpan
from spinlens.spans import lower_same_length
from spinlens.techniques.decoding import DecodeSettings, decode_spans

BASE, FRAGMENTS = DecodeSettings(**CARD["decode"]), DecodeSettings(**CARD["flc_decode"])
data = [(out, [replace(s, technique=None) for s in gold]) for out, _, gold in folds()]


def predict(out, threshold, min_raw, min_chars):
    predicted = []
    for a, o in out.items():
        spans = decode_spans(o.text, o.offsets, o.propaganda, replace(BASE, threshold=threshold))
        covered = np.zeros(len(o.text) + 1, bool)
        for s, e, _ in spans:
            covered[s:e] = True
        predicted += [LabelledSpan(a, s, e) for s, e, _ in spans]
        if min_raw is None:
            continue
        lowered = lower_same_length(o.text)
        for s, e, raw in decode_spans(o.text, o.offsets, o.propaganda, FRAGMENTS):
            words = lowered[s:e].strip(" \t\n\"'“”‘’.,;:!?")
            if raw < min_raw or len(words) < min_chars:
                continue
            for m in re.finditer(re.escape(words), lowered):
                if (m.start() > 0 and lowered[m.start() - 1].isalnum()) or (m.end() < len(lowered) and lowered[m.end()].isalnum()):
                    continue  # whole words only
                if not covered[m.start() : m.end()].any():
                    predicted.append(LabelledSpan(a, m.start(), m.end()))
                    covered[m.start() : m.end()] = True
    return predicted


settings = [(None, 0)] + [(r, c) for r in (0.5, 0.6, 0.7) for c in (4, 8)]
table = {(k, t, c): si_score(predict(out, t, *c), gold).f1 for k, (out, gold) in enumerate(data) for t in (0.3, 0.35) for c in settings}
base, copied = [], []
for k in range(len(data)):
    others = [j for j in range(len(data)) if j != k]
    alone = max((0.3, 0.35), key=lambda t: np.mean([table[(j, t, settings[0])] for j in others]))
    best = max(((t, c) for t in (0.3, 0.35) for c in settings), key=lambda tc: np.mean([table[(j, *tc)] for j in others]))
    base.append(table[(k, alone, settings[0])]), copied.append(table[(k, *best)])
    print(k, round(base[-1], 4), round(copied[-1], 4), best, flush=True)
print(f"threshold only {np.mean(base):.4f}, with the copies {np.mean(copied):.4f}")
