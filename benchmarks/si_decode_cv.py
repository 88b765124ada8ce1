"""Span identification with every decode setting chosen inside the folds (issue 16): the token threshold,
the merge gap, the shortest span kept and the smoothing, not only the threshold as in judge_cv.py.

    python benchmarks/si_decode_cv.py --data ../shared/data/ptc --runs ~/spinlens-kfold

Reads the out-of-fold encoder outputs of `benchmarks/kfold.py train`. For each fold, the setting with the best
mean SI F1 on the other four folds is scored on it (nested); prints that per fold and the mean (min-max), then
the settings best on all five folds pooled, and the card's own (`decode`, chosen in November on a 56-article
split) with its rank. The grid spans what the card's settings could have been: thresholds 0.25-0.4, merge gaps
from none to a sentence's length (spans never cross a sentence), shortest span 2-25 characters, smoothing over
1 or 3 tokens.
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

GRID = [DecodeSettings(threshold=t, merge_gap=gap, min_chars=shortest, smooth=smooth)
        for t, gap, shortest, smooth in itertools.product((0.25, 0.3, 0.35, 0.4), (0, 3, 25, 400), (2, 10, 25), (1, 3))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--runs", type=Path, default=Path.home() / "spinlens-kfold")
    args = parser.parse_args()
    card = DecodeSettings(**json.loads((SHIPPED / "card.json").read_text())["decode"])
    articles = read_articles(args.data / "train-articles")
    labels = read_labels(args.data / "train-labels-task2-technique-classification")
    folds = []
    for fold_dir in sorted(args.runs.glob("fold*")):
        outputs, _ = load_out_of_fold(fold_dir / "oof.npz", articles)
        folds.append((fold_dir.name, outputs, [replace(g, technique=None) for g in labels if g.article_id in outputs]))
    settings = GRID if card in GRID else [*GRID, card]

    def f1(k: int, s: DecodeSettings) -> float:
        name, outputs, gold = folds[k]
        predicted = [LabelledSpan(a, x, y) for a, o in outputs.items() for x, y, _ in decode_spans(o.text, o.offsets, o.propaganda, s)]
        return si_score(predicted, gold).f1

    table = {(k, s): f1(k, s) for k in range(len(folds)) for s in settings}
    print(f"{len(settings)} settings, {len(folds)} folds\n\n| fold | articles | setting chosen on the other folds | SI F1 |\n|---|---|---|---|")
    nested = []
    for k, (name, outputs, _) in enumerate(folds):
        others = [j for j in range(len(folds)) if j != k]
        best = max(settings, key=lambda s: float(np.mean([table[(j, s)] for j in others])))
        nested.append(table[(k, best)])
        print(f"| {name} | {len(outputs)} | {best} | {nested[-1]:.4f} |")
    print(f"| mean (min-max) | {sum(len(o) for _, o, _ in folds)} | | {np.mean(nested):.4f} ({min(nested):.4f}-{max(nested):.4f}) |")
    pooled = sorted(settings, key=lambda s: -float(np.mean([table[(k, s)] for k in range(len(folds))])))
    print("\nbest on all folds (mean SI F1):")
    for s in pooled[:5]:
        print(f"  {s}: {np.mean([table[(k, s)] for k in range(len(folds))]):.4f}")
    print(f"the card's {card}: {np.mean([table[(k, card)] for k in range(len(folds))]):.4f}, rank {pooled.index(card) + 1} of {len(settings)}")


if __name__ == "__main__":
    main()
