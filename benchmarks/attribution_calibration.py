"""The calibration of `attributions[].score` and its default threshold, on PolNeAR dev, cross-fitted over
articles; and (--write) the calibration that ships, fitted on all of dev.

    python benchmarks/attribution_calibration.py --data ../shared/data/polnear [--svg docs/attribution_calibration.svg] [--write]

The shipped tagger was trained on PolNeAR train; dev chose its epoch and tag offsets only, and here it
fits five numbers and a threshold. An attribution is right when its cue overlaps a gold cue and, where
both name a source, one of its sources overlaps that gold attribution's source
(spinlens.attribution.calibration.is_right). The 84 dev texts go into 5 folds by a seeded shuffle; for
each fold, the logistic regression (training.stacker.fit over calibration.FEATURES) is fitted on the
other four, the default threshold is chosen on those four (of 0.05, 0.10, … 0.95, the one at which the
attributions kept have the highest F1 against those four's gold attributions, 2 × right ones kept / (kept +
gold), on their in-sample scores), and both are applied to the fold. Every figure printed is of those out-of-fold scores and decisions: the reliability table and ECE
(10 bins; also for the uncalibrated mean tag probability and for Platt scaling of it alone), precision of
the attributions kept per threshold, and the official token-level scores of PolNeAR dev (as
benchmarks/attribution_dev.py and `spinlens eval attribution` count them) with every attribution, with
each fold's own default, and per threshold. --write fits on all 84 texts, chooses the threshold the same
way on all of them and writes calibration.json beside the shipped tagger.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from pathlib import Path

import numpy as np

from attribution_dev import gold_events, linked_scores, links
from reliability import svg_reliability
from spinlens.attribution.calibration import (
    CALIBRATION_FILE,
    FEATURES,
    ScoreCalibration,
    features,
    gold_attributions,
    is_right,
    threshold_for_f1,
)
from spinlens.attribution.data import read_polnear
from spinlens.attribution.extractor import attributions_from_tags, to_brat
from spinlens.attribution.roles import TagScores
from spinlens.attribution.tagger import AttributionTagger
from spinlens.evaluate.attribution import attribution_scores, cue_recall
from spinlens.formats.brat import parse_brat
from spinlens.models import ATTRIBUTION as SHIPPED
from spinlens.pipeline import Analyzer
from spinlens.techniques.judge import LinearHead
from spinlens.training.stacker import fit
from spinlens.training.tuning import expected_calibration_error

FOLDS = 5
SEED = 20261205
GRID = tuple(round(0.05 * k, 2) for k in range(1, 20))
TABLE = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
L2, STEPS = 1e-3, 1000
COMMAND = "python benchmarks/attribution_calibration.py --data ../shared/data/polnear --write"


def fitted(x: np.ndarray, y: np.ndarray) -> LinearHead:
    return fit(x.astype(np.float32), y.astype(np.float32), "sigmoid", l2=L2, steps=STEPS)


def calibration(x: np.ndarray, y: np.ndarray, gold: int, tagger: str, record: dict | None = None) -> ScoreCalibration:
    """Fitted on (x, y), with the default threshold chosen on its own scores of those rows, whose texts have
    `gold` gold attributions."""
    head = fitted(x, y).to_dict()
    scores = ScoreCalibration.from_head(head, 0.0, tagger, {}).probabilities(x)
    return ScoreCalibration.from_head(head, threshold_for_f1(scores, y, gold, GRID), tagger, record or {})


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def reliability(p: np.ndarray, y: np.ndarray) -> list[str]:
    lines = ["| score bin | attributions | mean score | share right |", "|---|---|---|---|"]
    index = np.minimum((p * 10).astype(int), 9)
    for k in range(10):
        inside = index == k
        if inside.any():
            lines.append(f"| {k / 10:.1f}-{(k + 1) / 10:.1f} | {inside.sum()} | {p[inside].mean():.3f} | {y[inside].mean():.3f} |")
    return lines


def token_scores(articles: list[tuple[str, object, list]], keep: list[np.ndarray]) -> tuple[dict, tuple[int, int], dict]:
    """The official token-level scores, gold cues found, and sources and contents attached to the right cue
    (benchmarks/attribution_dev.py) of the attributions kept in each article."""
    kept_by_article = [[a for a, k in zip(found, kept) if k] for (_, _, found), kept in zip(articles, keep)]
    triples = [(text, gold, parse_brat(to_brat(text, kept))) for (text, gold, _), kept in zip(articles, kept_by_article)]
    attached = [(links(text, [((a.cue.start, a.cue.end), {"Source": [(s.start, s.end) for s in a.sources],
                                                          "Content": [(c.start, c.end) for c in a.contents]}) for a in kept]),
                 links(text, gold_events(gold))) for (text, gold, _), kept in zip(articles, kept_by_article)]
    return attribution_scores(triples), cue_recall(triples), linked_scores(attached)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the PolNeAR folder (its dev/ is read)")
    parser.add_argument("--svg", type=Path, default=None, help="write the reliability diagram here")
    parser.add_argument("--write", action="store_true", help=f"fit on all of dev and write {CALIBRATION_FILE} beside the shipped tagger")
    args = parser.parse_args()

    documents = read_polnear(args.data / "dev")
    names = sorted(documents)
    model = Analyzer().technique_model
    tagger = AttributionTagger.load(SHIPPED, calibrated=False)  # the calibration.json there, if any, is what this replaces
    if tagger.card.encoder != model.card.version:
        sys.exit(f"the shipped tagger reads technique model {tagger.card.encoder}, not the shipped {model.card.version}")
    version = str(tagger.card.version)
    articles, xs, ys = [], [], []
    for start in range(0, len(names), 8):  # the extractor's attributions, before any calibration
        chunk = names[start : start + 8]
        for name, out in zip(chunk, model.run([documents[n][0] for n in chunk], encodings=tagger.encoder_outputs)):
            text, gold = documents[name]
            logits = tagger.tag_logits(text, out.offsets, out.stacked(tagger.encoder_outputs))
            found = attributions_from_tags(text, out.offsets, logits)
            truth = gold_attributions(gold)
            articles.append((text, gold, found))
            xs.append(features(found, TagScores(out.offsets, logits)))
            ys.append(np.array([is_right((a.cue.start, a.cue.end), [(s.start, s.end) for s in a.sources], truth) for a in found], dtype=float))
    order = np.random.default_rng(SEED).permutation(len(names))
    fold_of = np.empty(len(names), dtype=int)
    fold_of[order] = np.arange(len(names)) % FOLDS
    x, y = np.concatenate(xs), np.concatenate(ys)
    golds = np.array([len(gold_attributions(gold)) for _, gold, _ in articles])  # per text, in the order of names
    row_fold = np.concatenate([np.full(len(a), fold_of[i]) for i, a in enumerate(ys)])

    p, platt, default_keep = np.zeros(len(y)), np.zeros(len(y)), np.zeros(len(y), dtype=bool)
    thresholds = []
    for k in range(FOLDS):
        train, test = row_fold != k, row_fold == k
        fold_calibration = calibration(x[train], y[train], int(golds[fold_of != k].sum()), version)
        thresholds.append(fold_calibration.min_score)
        p[test] = fold_calibration.probabilities(x[test])
        default_keep[test] = p[test] >= fold_calibration.min_score
        platt[test] = fitted(x[train][:, :1], y[train])(x[test][:, :1].astype(np.float32))[:, 0]  # Platt scaling of the mean alone
    raw = 1 / (1 + np.exp(-x[:, 0]))
    ece = expected_calibration_error(p, y)
    print(f"PolNeAR dev: {len(names)} texts, {len(y)} attributions, {y.mean():.3f} right; {FOLDS} folds over texts (seed {SEED}).\n")
    print("| score | ECE (10 bins) | log loss |\n|---|---|---|")
    print(f"| uncalibrated mean tag probability | {expected_calibration_error(raw, y):.4f} | {log_loss(raw, y):.4f} |")
    print(f"| Platt scaling of it | {expected_calibration_error(platt, y):.4f} | {log_loss(platt, y):.4f} |")
    print(f"| calibrated ({', '.join(FEATURES)}) | **{ece:.4f}** | {log_loss(p, y):.4f} |")
    print("\nReliability of the calibrated score, cross-fitted:\n")
    print("\n".join(reliability(p, y)))

    splits = np.cumsum([len(a) for a in ys])[:-1]
    by_article = lambda mask: np.split(mask, splits)  # noqa: E731
    gold_total = sum(len(gold_attributions(g)) for _, g, _ in articles)
    print(f"\nPer threshold, cross-fitted scores ({gold_total} gold attributions; token scores as `spinlens eval attribution`):\n")
    print("| min_attribution_score | kept | right | share right | micro P / R / F1 | Cue P / R / F1 | gold cues found | attached: Source F1 / Content F1 |")
    print("|---|---|---|---|---|---|---|---|")

    def row(label: str, keep: np.ndarray) -> None:
        scores, (found, total), attached = token_scores(articles, by_article(keep))
        micro, cue = scores["micro"], scores["Cue"]
        print(f"| {label} | {keep.sum()} | {int(y[keep].sum())} | {y[keep].mean():.3f} | {micro.precision:.4f} / {micro.recall:.4f} / **{micro.f1:.4f}** | "
              f"{cue.precision:.4f} / {cue.recall:.4f} / **{cue.f1:.4f}** | {found}/{total} | {attached['Source'][2]:.4f} / {attached['Content'][2]:.4f} |")

    for t in TABLE:
        row(f"{t}", p >= t)
    row(f"each fold's default ({', '.join(f'{t:.2f}' for t in thresholds)})", default_keep)
    if args.svg:
        svg_reliability(p, y, args.svg, f"attribution score, {FOLDS} folds cross-fitted (ECE {ece:.3f})", "attributions[].score (cross-fitted)", "share right (cue and source)", "mean score", "right")
    if args.write:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        record = {"fitted_on": f"PolNeAR dev, {len(names)} texts, {len(y)} attributions of tagger {version}",
                  "right": "the cue overlaps a gold cue and, where both name a source, a source overlaps that attribution's source",
                  "default": "of 0.05, 0.10, ..., 0.95, the threshold at which the attributions kept have the highest F1 "
                             "against the gold attributions: 2 x right ones kept / (kept + gold)",
                  "l2": L2, "cross_fitted_ece": round(ece, 4), "fold_thresholds": thresholds,
                  "date": datetime.date.today().isoformat(), "commit": commit, "command": COMMAND}
        shipped = calibration(x, y, int(golds.sum()), version, record)
        (SHIPPED / CALIBRATION_FILE).write_text(shipped.to_json() + "\n", encoding="utf-8")
        print(f"\nwrote {SHIPPED / CALIBRATION_FILE}: default threshold {shipped.min_score}, weights {shipped.weights.round(3).tolist()}", file=sys.stderr)


if __name__ == "__main__":
    main()
