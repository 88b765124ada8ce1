"""Experiment (not kept, docs/experiments.md): SI decode settings chosen nested over the k-fold folds.

    python benchmarks/si_decode_grid.py --runs ~/spinlens-kfold [--low-thresholds]

On the out-of-fold encoder outputs of `benchmarks/kfold.py train`, for each fold: the SI threshold alone
chosen on the other four folds (the card's merge gap, minimum length and smoothing), against all four
chosen there from a grid fixed beforehand (threshold 0.3-0.55, merge gap 3/10/30/400, minimum length
2/5/10, smoothing 1/3). --low-thresholds adds thresholds 0.2 and 0.25 to the grid.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from kfold import load_out_of_fold
from spinlens.evaluate.ptc import si_score
from spinlens.formats.ptc import LabelledSpan, read_articles, read_labels
from spinlens.models import TECHNIQUES as SHIPPED
from spinlens.techniques.decoding import DecodeSettings, decode_spans

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
GAPS, MIN_CHARS, SMOOTH = (3, 10, 30, 400), (2, 5, 10), (1, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--runs", type=Path, default=Path.home() / "spinlens-kfold")
    parser.add_argument("--low-thresholds", action="store_true")
    args = parser.parse_args()
    card = json.loads((SHIPPED / "card.json").read_text())["decode"]
    articles = read_articles(args.data / "train-articles")
    labels = read_labels(args.data / "train-labels-task2-technique-classification")
    outputs, golds = [], []
    for fold_dir in sorted(args.runs.glob("fold*")):
        out, _ = load_out_of_fold(fold_dir / "oof.npz", articles)
        outputs.append(out)
        golds.append([replace(s, technique=None) for s in labels if s.article_id in out])
    thresholds = ((0.2, 0.25) if args.low_thresholds else ()) + THRESHOLDS
    settings = list(itertools.product(thresholds, GAPS, MIN_CHARS, SMOOTH))
    f1 = {}
    for k, out in enumerate(outputs):
        for s in settings:
            decoding = DecodeSettings(threshold=s[0], merge_gap=s[1], min_chars=s[2], smooth=s[3])
            predicted = [LabelledSpan(a, b, e) for a, o in out.items() for b, e, _ in decode_spans(o.text, o.offsets, o.propaganda, decoding)]
            f1[(k, *s)] = si_score(predicted, golds[k]).f1
    others_of = {k: [j for j in range(len(outputs)) if j != k] for k in range(len(outputs))}
    card_rest = (card["merge_gap"], card["min_chars"], card["smooth"])
    alone, nested = [], []
    for k, others in others_of.items():
        threshold = max(thresholds, key=lambda t: np.mean([f1[(j, t, *card_rest)] for j in others]))
        best = max(settings, key=lambda s: np.mean([f1[(j, *s)] for j in others]))
        alone.append(f1[(k, threshold, *card_rest)])
        nested.append(f1[(k, *best)])
        print(f"fold{k}: threshold only ({threshold}) {alone[-1]:.4f}; all four {best} {nested[-1]:.4f}")
    print(f"mean: threshold only {np.mean(alone):.4f}, all four nested {np.mean(nested):.4f}")


if __name__ == "__main__":
    main()
