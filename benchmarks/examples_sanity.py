"""How often the nearest annotated examples share a fragment's technique: a sanity figure for `--explain`.

    python benchmarks/examples_sanity.py --data ../shared/data/ptc [--compare-float]

For the gold fragments of each of the 5 article-level folds (benchmarks/kfold.py's: fold_ids with seed 13),
the nearest gold fragments among the OTHER folds' articles, by the shipped index's vectors (the shipped
encoder's pooled span representations, int8), technique ignored, and the share of the nearest 1 / 3 / 5
that carry one of the fragment's gold techniques; mean and min-max over the folds, beside two baselines:
always naming the majority technique of the other folds, and a random other-fold fragment.

The shipped encoder was trained on all 371 articles, these folds included: a sanity figure, not an
estimate of what it does on unseen text.

--compare-float runs the encoder again for float32 vectors and says how much int8 changes the neighbours.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import numpy as np

KS = (1, 3, 5)
FOLDS, SEED = 5, 13  # benchmarks/kfold.py's RECIPE seed and folds


def neighbours(unit: np.ndarray, queries: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """(len(queries), k) candidate rows nearest each query, best first."""
    similarity = unit[queries] @ unit[candidates].T
    top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(similarity, top, axis=1).argsort(axis=1)[:, ::-1]
    return candidates[np.take_along_axis(top, order, axis=1)]


def fold_figures(unit: np.ndarray, techniques: np.ndarray, articles: list[str]) -> list[dict[str, float]]:
    from spinlens.training.examples import fold_ids

    ids = sorted(set(articles))
    rows = []
    for fold in range(FOLDS):
        _, val = fold_ids(ids, FOLDS, fold, SEED)
        held = np.isin(np.asarray(articles), val)
        queries, candidates = np.flatnonzero(held), np.flatnonzero(~held)
        near = neighbours(unit, queries, candidates, max(KS))
        shares = techniques[near] & techniques[queries][:, None, :]  # (q, k, techniques)
        hit = shares.any(axis=2)
        row = {f"p@{k}": float(hit[:, :k].mean()) for k in KS}
        majority = int(techniques[candidates].sum(axis=0).argmax())
        row["majority"] = float(techniques[queries, majority].mean())
        # A random other-fold fragment: the share of candidates that carry one of the query's techniques.
        row["random"] = float(((techniques[queries].astype(np.float32) @ techniques[candidates].T.astype(np.float32)) > 0).mean())
        row["fragments"] = float(len(queries))
        rows.append(row)
    return rows


def report(name: str, rows: list[dict[str, float]]) -> None:
    print(f"\n{name}")
    print("| fold | fragments | nearest 1 | nearest 3 | nearest 5 | majority technique | random fragment |")
    print("|---|---|---|---|---|---|---|")
    keys = ["p@1", "p@3", "p@5", "majority", "random"]
    for fold, row in enumerate(rows):
        print(f"| {fold} | {int(row['fragments'])} | " + " | ".join(f"{row[k]:.3f}" for k in keys) + " |")
    cells = [f"{np.mean([r[k] for r in rows]):.3f} ({min(r[k] for r in rows):.3f}-{max(r[k] for r in rows):.3f})" for k in keys]
    print(f"| mean (min-max) | {int(sum(r['fragments'] for r in rows))} | " + " | ".join(cells) + " |")


def float_vectors(data: Path, index) -> np.ndarray:
    from spinlens.formats.ptc import read_articles
    from spinlens.loaders import technique_model
    from spinlens.techniques.evidence import pooled

    model = technique_model()
    articles = read_articles(data / "train-articles")
    wanted: dict[str, list[int]] = {}
    for row, article_id in enumerate(index.article_ids):
        wanted.setdefault(article_id, []).append(row)
    vectors = np.zeros(index.vectors.shape, dtype=np.float32)
    ids = sorted(wanted)
    for b in range(0, len(ids), 8):
        for article_id, out in zip(ids[b : b + 8], model.run([articles[a] for a in ids[b : b + 8]], encodings=("encodings",))):
            for row in wanted[article_id]:
                start, end = index.offsets[row]
                vectors[row] = pooled(out.offsets, out.encodings, int(start), int(end))
    return vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="PTC folder (train-articles/)")
    parser.add_argument("--compare-float", action="store_true", help="also run the encoder for float32 vectors")
    args = parser.parse_args()

    from spinlens.loaders import example_index, technique_model

    started = time.time()
    index = example_index(encoder=str(technique_model().card.version))
    print(f"{date.today()}: index of {len(index)} gold fragments, encoder {index.encoder}, built {index.built}")
    articles = list(index.article_ids)
    report("int8 vectors as shipped (technique-agnostic nearest neighbours among the other folds' fragments)",
           fold_figures(index.unit, index.techniques, articles))
    if args.compare_float:
        exact = float_vectors(args.data, index)
        report("float32 vectors", fold_figures(exact, index.techniques, articles))
        sample = np.arange(0, len(index), 7)
        everything = np.arange(len(index))
        same = [set(a) == set(b) for a, b in zip(neighbours(exact, sample, everything, 6)[:, 1:],
                                                  neighbours(index.unit, sample, everything, 6)[:, 1:])]
        first = (neighbours(exact, sample, everything, 2)[:, 1] == neighbours(index.unit, sample, everything, 2)[:, 1]).mean()
        cosine = (exact * index.unit).sum(axis=1)
        print(f"\nint8 against float32 on {len(sample)} fragments: nearest other fragment the same {first:.3f}, "
              f"same 5 nearest {np.mean(same):.3f}; cosine of each vector with its int8 copy min {cosine.min():.4f}, mean {cosine.mean():.4f}")
    print(f"\n{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
