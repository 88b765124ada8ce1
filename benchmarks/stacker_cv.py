"""Cross-validated span classifier (training/stacker.py) on the k-fold runs' out-of-fold outputs.

    python benchmarks/stacker_cv.py --data ../shared/data/ptc --runs ~/spinlens-kfold

For each finished fold of `benchmarks/kfold.py train`, the heads are fitted on the other folds' out-of-fold
outputs only and scored on this fold's: TC micro-F1 on the gold spans (a span listed k times gets its k
most likely techniques), against the encoder's own technique head on the same articles; and, on the
fragments the shipped FLC decoding finds, FLC F1 when each (fragment, technique) with probability at
least t is shown, for a grid of t, with the expected calibration error (10 bins) of those probabilities
against "a gold fragment of this technique overlaps the fragment". Prints each fold, the mean and the
spread (min-max), and TC F1 per technique.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from kfold import load_out_of_fold
from spinlens.evaluate.ptc import flc_score, tc_score
from spinlens.formats.ptc import LabelledSpan, read_articles, read_labels
from spinlens.labels import TECHNIQUES
from spinlens.models import TECHNIQUES as SHIPPED
from spinlens.techniques.decoding import DecodeSettings
from spinlens.techniques.inference import find_fragments, label_fragments, label_template
from spinlens.training.stacker import Examples, fit, inverse_frequency_weights, presence_examples, technique_examples
from spinlens.training.tuning import expected_calibration_error

THRESHOLDS = (0.3, 0.4, 0.5, 0.6)


def stack(parts: list[Examples]) -> Examples:
    parts = [p for p in parts if len(p.spans)]
    return Examples(np.concatenate([p.features for p in parts]), np.concatenate([p.targets for p in parts]),
                    [s for p in parts for s in p.spans])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--runs", type=Path, default=Path.home() / "spinlens-kfold")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--l2", type=float, default=1e-3)
    args = parser.parse_args()
    card = json.loads((SHIPPED / "card.json").read_text())
    flc_settings = DecodeSettings(**card["flc_decode"])
    articles = read_articles(args.data / "train-articles")
    labels = read_labels(args.data / "train-labels-task2-technique-classification")
    folds = []
    for fold_dir in sorted(args.runs.glob("fold*")):
        if (fold_dir / "oof.npz").is_file():
            outputs, weights = load_out_of_fold(fold_dir / "oof.npz", articles)
            gold = [s for s in labels if s.article_id in outputs]
            fragments = {a: [(f.start, f.end) for f in find_fragments(o, flc_settings, weights)] for a, o in outputs.items()}
            baseline_flc = flc_score([x for a, o in outputs.items() for x in label_fragments(a, find_fragments(o, flc_settings, weights), card["second_label"])], gold).overall.f1
            baseline_tc, _ = tc_score(label_template(outputs, [replace(s, technique=None) for s in gold], weights), gold)
            folds.append((fold_dir.name, gold, technique_examples(outputs, gold), presence_examples(outputs, fragments, gold), baseline_tc, baseline_flc))
    if len(folds) < 2:
        sys.exit("needs at least two finished folds")
    rows, per_technique = [], {t: [] for t in TECHNIQUES}
    for k, (name, gold, tc_rows, presence_rows, baseline_tc, baseline_flc) in enumerate(folds):
        train_tc = stack([f[2] for j, f in enumerate(folds) if j != k])
        train_presence = stack([f[3] for j, f in enumerate(folds) if j != k])
        technique = fit(train_tc, "softmax", args.l2, args.steps, class_weights=inverse_frequency_weights(train_tc.targets))
        presence = fit(train_presence, "sigmoid", args.l2, args.steps)
        # TC: the template lists a span once per technique it carries
        listed: dict[tuple[str, int, int], int] = {}
        for s in gold:
            listed[(s.article_id, s.start, s.end)] = listed.get((s.article_id, s.start, s.end), 0) + 1
        probs = technique(tc_rows.features)
        predicted = [LabelledSpan(a, s, e, TECHNIQUES[i]) for (a, s, e), p in zip(tc_rows.spans, probs)
                     for i in np.argsort(-p)[: listed[(a, s, e)]]]
        tc, by_technique = tc_score(predicted, gold)
        for t, prf in by_technique.items():
            per_technique[t].append(prf.f1)
        # presence: FLC and calibration at each threshold
        p = presence(presence_rows.features) if len(presence_rows.spans) else np.zeros((0, len(TECHNIQUES)))
        scores = []
        for t in THRESHOLDS:
            shown = [(r, i) for r in range(len(p)) for i in range(len(TECHNIQUES)) if p[r, i] >= t]
            lines = [LabelledSpan(*presence_rows.spans[r], TECHNIQUES[i]) for r, i in shown]
            flc = flc_score(lines, gold).overall.f1
            ece = expected_calibration_error(np.array([p[r, i] for r, i in shown]), np.array([presence_rows.targets[r, i] for r, i in shown])) if shown else float("nan")
            scores.append((flc, ece, len(shown)))
        rows.append((name, baseline_tc, tc, baseline_flc, scores))
    print("| fold | TC encoder head | TC stacker | FLC encoder | " + " | ".join(f"FLC / ECE / shown at p>={t}" for t in THRESHOLDS) + " |")
    print("|---" * (4 + len(THRESHOLDS)) + "|")
    for name, btc, tc, bflc, scores in rows:
        print(f"| {name} | {btc:.4f} | {tc:.4f} | {bflc:.4f} | " + " | ".join(f"{f:.4f} / {e:.3f} / {n}" for f, e, n in scores) + " |")
    def spread(values: list[float]) -> str:
        return f"{np.mean(values):.4f} ({min(values):.4f}-{max(values):.4f})"
    print(f"| mean (min-max) | {spread([r[1] for r in rows])} | {spread([r[2] for r in rows])} | {spread([r[3] for r in rows])} | "
          + " | ".join(f"{spread([r[4][j][0] for r in rows])} / {np.nanmean([r[4][j][1] for r in rows]):.3f}" for j in range(len(THRESHOLDS))) + " |")
    print("\n| technique | TC F1 (stacker), mean (min-max) |\n|---|---|")
    for t, values in per_technique.items():
        if values:
            print(f"| {t} | {spread(values)} |")


if __name__ == "__main__":
    main()
