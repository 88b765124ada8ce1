"""Article-level k-fold cross-validation of the technique model's recipe, and its out-of-fold outputs.

    python benchmarks/kfold.py train --data ../shared/data/ptc --runs ~/spinlens-kfold [--folds 5] [--fold K]
    python benchmarks/kfold.py score --data ../shared/data/ptc --runs ~/spinlens-kfold

`train` fine-tunes the encoder once per fold on the other folds' articles with the shipped model's recipe
(its card's `training`: 4 epochs of an 8-epoch schedule, seed 13, sentence loss weight 1), with no choice
made on the fold's own articles, and writes the fold's articles' outputs (token offsets, propaganda
probabilities, technique logits, encodings) to RUNS/foldK/oof.npz. Each epoch leaves a state to resume
from (RUNS/foldK/resume.pt): run the command again after an interruption and it goes on; finished folds
are skipped. About 25 minutes a fold on 2 cores. Keep RUNS outside the repository (a session's checkout
is laid anew).

`score` scores each fold's out-of-fold outputs with the shipped model's decode settings (SI, TC on the
gold spans, FLC) with the repository's scorer, and prints each fold, the mean and the spread (min-max),
and TC per technique: the k-fold estimate of the recipe.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

RECIPE = {"epochs": 4, "schedule_epochs": 8, "seed": 13, "batch_size": 16, "lr": 6e-5, "head_lr": 1e-3, "sentence_weight": 1.0}


def train(args: argparse.Namespace) -> None:
    from spinlens.training.config import TrainConfig
    from spinlens.training.loop import train_checkpoint

    folds = [args.fold] if args.fold is not None else list(range(args.folds))
    for fold in folds:
        out = args.runs / f"fold{fold}"
        if (out / "oof.npz").is_file() and (out / "checkpoint.json").is_file():
            print(f"fold {fold}: done before ({out})")
            continue
        started = time.time()
        recipe = {**RECIPE, **({"epochs": args.epochs} if args.epochs else {})}
        config = TrainConfig(data=args.data, out=out, folds=args.folds, fold=fold, threads=args.threads, limit=args.limit, **recipe)
        _, meta = train_checkpoint(config, log=lambda line, fold=fold: print(f"fold {fold}: {line}", flush=True))
        (out / "checkpoint.pt").unlink(missing_ok=True)  # the encoder itself is not needed again, its outputs are
        (out / "fold.json").write_text(json.dumps({"seconds": round(time.time() - started), **RECIPE, "folds": args.folds,
                                                   "fold": fold, "val_ids": meta["val_ids"]}, indent=1))
        print(f"fold {fold}: {time.time() - started:.0f} s", flush=True)


def load_out_of_fold(path: Path, articles: dict[str, str]):
    """The fold's TokenOutputs by article id, and its span-feature weights."""
    from spinlens.techniques.inference import TokenOutputs

    data = np.load(path)
    ids = sorted({key.split("/")[0] for key in data.files if "/" in key})
    outputs = {a: TokenOutputs(articles[a], data[f"{a}/offsets"], data[f"{a}/propaganda"], data[f"{a}/techniques"],
                               data[f"{a}/encodings"].astype(np.float32)) for a in ids}
    return outputs, data["feature_weights"]


def score(args: argparse.Namespace) -> None:
    from spinlens.evaluate.ptc import flc_score, si_score, tc_score
    from spinlens.formats.ptc import read_articles, read_labels
    from spinlens.models import TECHNIQUES as SHIPPED
    from spinlens.techniques.decoding import DecodeSettings
    from spinlens.techniques.inference import find_fragments, label_fragments, label_template

    card = json.loads((SHIPPED / "card.json").read_text())
    si_settings, flc_settings = DecodeSettings(**card["decode"]), DecodeSettings(**card["flc_decode"])
    articles = read_articles(args.data / "train-articles")
    labels = read_labels(args.data / "train-labels-task2-technique-classification")
    rows = []
    per_technique: dict[str, list[float]] = {}
    for fold_dir in sorted(args.runs.glob("fold*")):
        if not (fold_dir / "oof.npz").is_file():
            print(f"{fold_dir.name}: not finished", file=sys.stderr)
            continue
        outputs, weights = load_out_of_fold(fold_dir / "oof.npz", articles)
        gold = [s for s in labels if s.article_id in outputs]
        si_pred = [replace(line, technique=None) for a, o in outputs.items() for line in label_fragments(a, find_fragments(o, si_settings, weights))]
        si = si_score(si_pred, [replace(s, technique=None) for s in gold])
        tc, by_technique = tc_score(label_template(outputs, [replace(s, technique=None) for s in gold], weights), gold)
        flc = flc_score([line for a, o in outputs.items() for line in label_fragments(a, find_fragments(o, flc_settings, weights), card["second_label"])],
                        gold).overall
        rows.append((fold_dir.name, len(outputs), si.f1, tc, flc.f1))
        for technique, prf in by_technique.items():
            per_technique.setdefault(technique, []).append(prf.f1)
    if not rows:
        sys.exit("no finished fold")
    print("| fold | articles | SI F1 | TC micro-F1 | FLC F1 |\n|---|---|---|---|---|")
    for name, n, si_f1, tc, flc_f1 in rows:
        print(f"| {name} | {n} | {si_f1:.4f} | {tc:.4f} | {flc_f1:.4f} |")
    columns = np.array([[r[2], r[3], r[4]] for r in rows])
    mean, low, high = columns.mean(0), columns.min(0), columns.max(0)
    print(f"| mean (min-max) | {sum(r[1] for r in rows)} | " + " | ".join(f"{m:.4f} ({lo:.4f}-{hi:.4f})" for m, lo, hi in zip(mean, low, high)) + " |")
    if per_technique:
        print("\n| technique | TC F1 per fold, mean (min-max) |\n|---|---|")
        for technique, values in sorted(per_technique.items()):
            print(f"| {technique} | {np.mean(values):.3f} ({min(values):.3f}-{max(values):.3f}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["train", "score"])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--runs", type=Path, default=Path.home() / "spinlens-kfold")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fold", type=int, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only this many articles (smoke runs)")
    parser.add_argument("--epochs", type=int, default=None, help="fewer epochs than the recipe (smoke runs)")
    args = parser.parse_args()
    train(args) if args.command == "train" else score(args)


if __name__ == "__main__":
    main()
