"""FLC's Repetition (docs/experiments.md, "more ideas on the same folds"), fragments decoded at 0.35 as
`predict ptc-flc` decodes them, the presence side fitted as judge_cv.py fits it (the technique heads' L2 and
class weighting fixed at 0.01 and 0.25):
- coverage: how many of fold0's gold Repetition fragments a decoded fragment overlaps, and how often their
  text occurs in the article;
- copies: a fragment with a Repetition probability of at least r has its text, or each of its words of five
  letters or more, marked Repetition wherever it occurs as a whole word, if it occurs twice or more;
- candidates: every recurring word of four letters or more that is not a stop word, each occurrence scored by
  a logistic regression of its own, the threshold chosen by inner leave-one-fold-out.

    python benchmarks/experiments/flc_repetition.py coverage|copies|candidates
"""

from __future__ import annotations

import re
import sys
from collections import Counter

import numpy as np
from folds import folds, rows

import judge_cv
from judge_cv import PresenceFits, flags
from spinlens.evaluate.ptc import flc_score
from spinlens.formats.ptc import LabelledSpan
from spinlens.labels import TECHNIQUE_INDEX
from spinlens.spans import lower_same_length
from spinlens.techniques.context import ArticleContext
from spinlens.techniques.decoding import DecodeSettings, decode_spans
from spinlens.techniques.inference import technique_probs
from spinlens.training.stacker import fit

judge_cv.choose_tc = lambda parts, golds: (0.01, 0.25)  # fixed, for speed
THRESHOLD = 0.35
REPETITION = TECHNIQUE_INDEX["Repetition"]
STOP = set("the and that this with from they their there were have been will would about which what when your into more "
           "than also just only some like very much over said says could should other after before these those them then "
           "because while where being does here even most many such".split())
mode = sys.argv[1] if len(sys.argv) > 1 else "coverage"
loaded = folds()

if mode == "coverage":
    out, _, gold = loaded[0]
    fragments = {a: decode_spans(o.text, o.offsets, o.propaganda, DecodeSettings(THRESHOLD, 3, 4, 1)) for a, o in out.items()}
    repetitions = [g for g in gold if g.technique == "Repetition"]
    overlapped, occurrences = 0, Counter()
    for g in repetitions:
        overlapped += any(s < g.end and g.start < e for s, e, _ in fragments[g.article_id])
        lowered = lower_same_length(out[g.article_id].text)
        words = lowered[g.start : g.end].strip(" .,;:!?\"'“”")
        occurrences[min(len(re.findall(r"(?<!\w)" + re.escape(words) + r"(?!\w)", lowered)) if words else 0, 5)] += 1
    print(f"fold0: {len(repetitions)} gold Repetition fragments, {overlapped} overlapped by a fragment decoded at {THRESHOLD}; "
          f"their text's occurrences in the article (5: 5 or more): {sorted(occurrences.items())}")
    sys.exit()

fold_rows, golds = rows(THRESHOLD, loaded)
fits = PresenceFits({THRESHOLD: fold_rows}, golds)
n = len(fold_rows)
base, probabilities = [], []
for k in range(n):
    fitted = fits.fit(tuple(j for j in range(n) if j != k), THRESHOLD)
    p, _ = fits.probabilities(k, fitted, THRESHOLD)
    probabilities.append(p)
    base.append(flags(fold_rows[k], p, fitted.flc_threshold))
results: dict[object, list[float]] = {"without": [flc_score(base[k], golds[k]).overall.f1 for k in range(n)]}

if mode == "copies":
    for unit in ("text", "words"):
        for r in (0.02, 0.05, 0.1, 0.15):
            for k in range(n):
                extra = set()
                for (a, s, e, _), q in zip(fold_rows[k].fragments, probabilities[k].reshape(len(fold_rows[k].fragments), -1)):
                    if q[REPETITION] < r:
                        continue
                    lowered = lower_same_length(loaded[k][0][a].text)
                    units = [lowered[s:e].strip(" \t\n\"'“”‘’.,;:!?")] if unit == "text" else \
                        [m.group() for m in re.finditer(r"[a-z][a-z'’-]{4,}", lowered[s:e]) if m.group() not in STOP]
                    for words in units:
                        found = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", lowered)] if len(words) >= 4 else []
                        if len(found) >= 2:
                            extra.update((a, x, y) for x, y in found)
                lines = base[k] + [LabelledSpan(a, x, y, "Repetition") for a, x, y in extra]
                results.setdefault((unit, r), []).append(flc_score(lines, golds[k]).overall.f1)
elif mode == "candidates":
    candidates = []
    for out, w, gold in loaded:
        gold_repetitions: dict[str, list[tuple[int, int]]] = {}
        for g in gold:
            if g.technique == "Repetition":
                gold_repetitions.setdefault(g.article_id, []).append((g.start, g.end))
        spans, x, y = [], [], []
        for a, o in out.items():
            lowered, context = lower_same_length(o.text), ArticleContext(o.text, o.offsets, o.propaganda)
            words: dict[str, list[tuple[int, int]]] = {}
            for m in re.finditer(r"[a-z][a-z'’-]{3,}", lowered):
                if m.group() not in STOP:
                    words.setdefault(m.group(), []).append(m.span())
            for found in words.values():
                for s, e in found if len(found) >= 2 else ():
                    if lowered[max(s - 1, 0)].isalnum() or (e < len(lowered) and lowered[e].isalnum()):
                        continue
                    probs = technique_probs(o, lowered, s, e, w)
                    x.append(np.concatenate([context.features(s, e), np.log(np.clip(probs, 1e-6, 1)), [np.log(len(found)), float(o.text[s].isupper())]]))
                    spans.append((a, s, e)), y.append(float(any(s < ge and gs < e for gs, ge in gold_repetitions.get(a, []))))
        candidates.append((spans, np.array(x, np.float32), np.array(y, np.float32)))
        print(f"{len(spans)} candidates, {int(sum(y))} in a gold Repetition fragment", flush=True)

    def added(k, head, cut):
        scores = head(candidates[k][1])[:, 0]
        return [LabelledSpan(a, s, e, "Repetition") for (a, s, e), q in zip(candidates[k][0], scores) if q >= cut]

    def head_on(parts):
        return fit(np.concatenate([candidates[i][1] for i in parts]), np.concatenate([candidates[i][2] for i in parts]), "sigmoid", 1e-2)

    cuts = (0.05, 0.1, 0.15, 0.2, 0.3)
    for k in range(n):
        others = [j for j in range(n) if j != k]
        gain = {c: np.mean([flc_score(base[j] + added(j, head_on([i for i in others if i != j]), c), golds[j]).overall.f1
                            - flc_score(base[j], golds[j]).overall.f1 for j in others]) for c in cuts}
        cut = max(cuts, key=lambda c: gain[c])
        results.setdefault("candidates", []).append(flc_score(base[k] + added(k, head_on(others), cut), golds[k]).overall.f1)
        print(k, "cut", cut, {c: round(float(g), 4) for c, g in gain.items()}, flush=True)
for name, scores in results.items():
    print(name, " ".join(f"{x:.4f}" for x in scores), f"mean {np.mean(scores):.4f}")
