"""The k-fold estimate of technique judgments: span identification, technique classification with the
article in view (techniques/judge.py), fragment-level classification, and the calibration of
`probability`; and the judge that ships, fitted on every fold.

    python benchmarks/judge_cv.py --data ../shared/data/ptc --runs ~/spinlens-kfold [--svg docs/calibration.svg] [--write] [--no-lexical]

Reads the out-of-fold encoder outputs of `benchmarks/kfold.py train` (each fold's articles scored by an
encoder trained on the other folds). Everything chosen on data is chosen without the fold it is scored
on (nested): for each fold, the SI threshold, the lexical model of the spans' words (techniques/lexical.py:
fitted on the other folds for the fold's rows, and for each other fold's rows on the folds that are neither,
so no row's lexical features come from a model that saw its article; TC reads them, while the presence
head, what users see, reads a technique head fitted without them), the technique heads' L2 and class
weighting (by inner leave-one-fold-out over the other folds), the presence head (fitted on the other folds' rows, whose
technique probabilities are themselves cross-fitted) and the Platt scaling of the presence head's output (fitted on the other folds' cross-fitted outputs) and the FLC
threshold on probability. `predict ptc-flc` decodes its own fragments: their token threshold is chosen by inner
leave-one-fold-out FLC F1 over the other folds (each inner fold scored by a presence side fitted on the rest), and
a presence head, Platt step and FLC threshold are fitted on them. What users see (the default flags, the
probability table, ECE) reads the fragments of the card's decoding. The user's
default (`min_probability` 0.5: shown when more likely right than wrong) is fixed by design, not fitted.

Prints per fold and mean (min-max): SI F1, TC micro-F1 (encoder head and judge), FLC F1 (encoder with
the card's decoding, judge at the FLC threshold, judge at the default), ECE (10 bins) of `probability`
over the flags shown by default and over all (fragment, technique) pairs of p >= 0.05; then per
technique TC F1 and the default's precision and recall on the folds. --svg writes the reliability
diagram of the pooled out-of-fold probabilities; --write fits the judge on all folds, chooses the SI and
FLC thresholds on all of them, and writes src/spinlens/models/techniques/judge.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from kfold import load_out_of_fold
from reliability import svg_reliability
from spinlens.evaluate.ptc import flc_score, si_score, tc_score
from spinlens.formats.ptc import LabelledSpan, read_articles, read_labels
from spinlens.labels import TECHNIQUES
from spinlens.models import TECHNIQUES as SHIPPED
from spinlens.techniques.decoding import DecodeSettings, decode_spans
from spinlens.techniques.inference import Calibration, find_fragments, label_fragments, label_template
from spinlens.techniques.judge import Judge, LinearHead, logit
from spinlens.techniques.lexical import LEXICAL_FILE, LexicalModel
from spinlens.training.lexical import fit_lexical
from spinlens.training.stacker import (
    FoldRows,
    fit_calibration,
    fit_presence,
    fit_technique,
    fold_rows,
    presence_rows,
    span_texts,
    with_lexical,
)
from spinlens.training.tuning import expected_calibration_error

DEFAULT = 0.5  # shown when more likely right than wrong (chosen by design, not fitted)
SI_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
FLC_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
THRESHOLD_TABLE = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
# The token threshold of the fragments that `predict ptc-flc` decodes (an analysis shows the card's flc_decode, 0.5)
FRAGMENT_GRID = (0.3, 0.35, 0.4, 0.45, 0.5)
TC_GRID = [(l2, power) for l2 in (3e-3, 1e-2, 3e-2) for power in (0.0, 0.25, 0.5)]


def tc_f1(rows: FoldRows, probs: np.ndarray, gold: list[LabelledSpan]) -> tuple[float, dict]:
    """A span the template lists k times gets its k most likely techniques."""
    predicted = [LabelledSpan(a, s, e, TECHNIQUES[i]) for (a, s, e), k, p in zip(rows.tc_spans, rows.tc_listed, probs) for i in np.argsort(-p)[:k]]
    return tc_score(predicted, gold)


def flags(rows: FoldRows, probs: np.ndarray, threshold: float) -> list[LabelledSpan]:
    return [LabelledSpan(a, s, e, TECHNIQUES[t]) for (a, s, e, _), p in zip(rows.fragments, probs.reshape(len(rows.fragments), -1))
            for t in np.flatnonzero(p >= threshold)]


def choose_tc(parts: list[FoldRows], golds: list[list[LabelledSpan]]) -> tuple[float, float]:
    """(l2, power) by leave-one-fold-out over `parts`, on the mean of TC micro-F1 and the mean of the
    per-technique F1s: micro-F1 alone chose no class weighting, and rare techniques were all but ignored."""
    def inner(l2: float, power: float) -> float:
        scores = []
        for j in range(len(parts)):
            micro, by_technique = tc_f1(parts[j], fit_technique(parts[:j] + parts[j + 1 :], l2, power)(parts[j].tc_features), golds[j])
            scores.append(0.5 * micro + 0.5 * float(np.mean([prf.f1 for prf in by_technique.values()])))
        return float(np.mean(scores))
    return max(TC_GRID, key=lambda c: inner(*c))


@dataclass(frozen=True)
class PresenceFit:
    tc_choice: tuple[float, float]  # (l2, class power) of the technique head it reads
    technique: LinearHead  # the technique head it reads (without the span's words)
    presence: LinearHead
    platt: LinearHead
    flc_threshold: float


class PresenceFits:
    """The presence side (what users see) fitted on sets of folds, for each fragment threshold, and the
    fragment threshold chosen by leave-one-fold-out. The technique heads it reads learn from gold spans only,
    which no fragment threshold changes, so they are fitted once for each set of folds."""

    def __init__(self, rows_at: dict[float, list[FoldRows]], golds: list[list[LabelledSpan]]) -> None:
        self.rows_at, self.golds = rows_at, golds
        self.gold_rows = next(iter(rows_at.values()))  # the same gold-span rows at every threshold
        self._choices: dict[tuple[int, ...], tuple[float, float]] = {}
        self._heads: dict[tuple[tuple[int, ...], float, float], LinearHead] = {}
        self._flc: dict[tuple[int, tuple[int, ...], float], float] = {}

    def head(self, folds: tuple[int, ...], l2: float, power: float) -> LinearHead:
        if (folds, l2, power) not in self._heads:
            self._heads[(folds, l2, power)] = fit_technique([self.gold_rows[j] for j in folds], l2, power)
        return self._heads[(folds, l2, power)]

    def fit(self, folds: tuple[int, ...], threshold: float) -> PresenceFit:
        """The presence side fitted on `folds`, with fragments decoded at `threshold`. The presence head, its Platt step and the FLC threshold learn from
        technique probabilities cross-fitted within `folds`."""
        if folds not in self._choices:
            self._choices[folds] = choose_tc([self.gold_rows[j] for j in folds], [self.golds[j] for j in folds])
        l2, power = self._choices[folds]
        parts, golds = [self.rows_at[threshold][j] for j in folds], [self.golds[j] for j in folds]
        inner = [self.head(tuple(i for i in folds if i != j), l2, power) for j in folds]
        presence = fit_presence(parts, inner, 1e-2)
        raw = [presence(presence_rows(r, t)[0])[:, 0] for r, t in zip(parts, inner)]
        platt = fit_calibration(np.concatenate(raw), np.concatenate([presence_rows(r, t)[1] for r, t in zip(parts, inner)]))
        probs = [platt(logit(q)[:, None])[:, 0] for q in raw]
        flc_threshold = max(FLC_GRID, key=lambda t: np.mean([flc_score(flags(r, p, t), g).overall.f1 for r, p, g in zip(parts, probs, golds)]))
        return PresenceFit((l2, power), self.head(folds, l2, power), presence, platt, flc_threshold)

    def probabilities(self, k: int, fitted: PresenceFit, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """Fold k's (fragment, technique) probabilities from a fit without it, and their 0/1 targets."""
        x, y = presence_rows(self.rows_at[threshold][k], fitted.technique)
        return fitted.platt(logit(fitted.presence(x)[:, 0])[:, None])[:, 0], y

    def flc(self, k: int, folds: tuple[int, ...], threshold: float) -> float:
        if (k, folds, threshold) not in self._flc:
            fitted = self.fit(folds, threshold)
            p, _ = self.probabilities(k, fitted, threshold)
            self._flc[(k, folds, threshold)] = flc_score(flags(self.rows_at[threshold][k], p, fitted.flc_threshold), self.golds[k]).overall.f1
        return self._flc[(k, folds, threshold)]

    def choose_threshold(self, folds: tuple[int, ...]) -> float:
        """The fragment threshold with the best mean FLC F1 over `folds`, each scored by a fit on the others."""
        return max(self.rows_at, key=lambda t: np.mean([self.flc(j, tuple(i for i in folds if i != j), t) for j in folds]))


def spread(values: list[float]) -> str:
    return f"{np.mean(values):.4f} ({min(values):.4f}-{max(values):.4f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--runs", type=Path, default=Path.home() / "spinlens-kfold")
    parser.add_argument("--svg", type=Path, default=None)
    parser.add_argument("--write", action="store_true", help="fit on all folds and write the shipped judge.json (and lexical.npz)")
    parser.add_argument("--no-lexical", action="store_true", help="without the lexical model of the spans' words (the judge before it)")
    args = parser.parse_args()
    card = json.loads((SHIPPED / "card.json").read_text())
    flc_settings = DecodeSettings(**card["flc_decode"])
    calibration = Calibration(**card["fragment_calibration"])
    articles = read_articles(args.data / "train-articles")
    labels = read_labels(args.data / "train-labels-task2-technique-classification")
    names, outputs, weights, golds, rows = [], [], [], [], []
    for fold_dir in sorted(args.runs.glob("fold*")):
        if (fold_dir / "oof.npz").is_file():
            out, w = load_out_of_fold(fold_dir / "oof.npz", articles)
            gold = [s for s in labels if s.article_id in out]
            names.append(fold_dir.name), outputs.append(out), weights.append(w), golds.append(gold)
            print(f"{fold_dir.name}: {len(out)} articles, {len(gold)} gold lines", file=sys.stderr)
    if len(outputs) < 3:
        sys.exit("needs at least three finished folds")
    rows_at = {t: [fold_rows(o, g, w, replace(flc_settings, threshold=t), calibration) for o, g, w in zip(outputs, golds, weights)]
               for t in FRAGMENT_GRID}
    rows = rows_at[flc_settings.threshold]  # gold-span rows are the same at every fragment threshold
    fits = PresenceFits(rows_at, golds)
    texts = {a: o.text for out in outputs for a, o in out.items()}
    lexical_models: dict[frozenset[int], LexicalModel] = {}

    def lexical(folds: list[int]) -> LexicalModel:
        """The lexical model fitted on these folds' gold spans (once)."""
        key = frozenset(folds)
        if key not in lexical_models:
            lexical_models[key] = fit_lexical([t for j in folds for t in span_texts(rows[j], texts)], np.concatenate([rows[j].tc_targets for j in folds]))
        return lexical_models[key]

    def honest(j: int, without: list[int]) -> FoldRows:
        """Fold j's rows, with lexical features from a model fitted on the folds other than j and `without`."""
        if args.no_lexical:
            return rows[j]
        return with_lexical(rows[j], lexical([i for i in range(len(rows)) if i != j and i not in without]), texts)

    def si_f1(k: int, threshold: float) -> float:
        settings = replace(DecodeSettings(**card["decode"]), threshold=threshold)
        predicted = [LabelledSpan(a, s, e) for a, o in outputs[k].items() for s, e, _ in decode_spans(o.text, o.offsets, o.propaganda, settings)]
        return si_score(predicted, [replace(g, technique=None) for g in golds[k]]).f1

    si_table = {(k, t): si_f1(k, t) for k in range(len(rows)) for t in SI_GRID}
    by_threshold: dict[float, list[int]] = {}
    results, pooled_p, pooled_y, per_technique = [], [], [], {t: {"tc": [], "flc": [], "tp": 0, "fp": 0, "fn": 0} for t in TECHNIQUES}
    for k in range(len(rows)):
        others = [j for j in range(len(rows)) if j != k]
        train_gold = [golds[j] for j in others]
        lexical_train, test = [honest(j, [k]) for j in others], honest(k, [])
        si_threshold = max(SI_GRID, key=lambda t: np.mean([si_table[(j, t)] for j in others]))
        # The presence side (what users see) reads a technique head without the span's words; TC reads one with them.
        shown_fit = fits.fit(tuple(others), flc_settings.threshold)
        fragment_threshold = fits.choose_threshold(tuple(others))
        flc_fit = fits.fit(tuple(others), fragment_threshold)
        l2, power = choose_tc(lexical_train, train_gold)
        technique = fit_technique(lexical_train, l2, power)
        encoder_tc, _ = tc_score(label_template(outputs[k], [replace(s, technique=None) for s in golds[k]], weights[k]), golds[k])
        judge_tc, by_technique = tc_f1(test, technique(test.tc_features), golds[k])
        encoder_flc = flc_score([x for a, o in outputs[k].items() for x in label_fragments(a, find_fragments(o, flc_settings, weights[k], calibration), card["second_label"])], golds[k]).overall.f1
        judged = flc_score(flags(rows_at[fragment_threshold][k], fits.probabilities(k, flc_fit, fragment_threshold)[0], flc_fit.flc_threshold), golds[k])
        judged_flc = judged.overall.f1
        p, y = fits.probabilities(k, shown_fit, flc_settings.threshold)
        default_flc = flc_score(flags(rows[k], p, DEFAULT), golds[k]).overall.f1
        for t in THRESHOLD_TABLE:
            shown_t = flags(rows[k], p, t)
            right = sum(any(g.technique == f.technique and g.article_id == f.article_id and g.start < f.end and f.start < g.end for g in golds[k]) for f in shown_t)
            found = sum(any(f.technique == g.technique and f.article_id == g.article_id and g.start < f.end and f.start < g.end for f in shown_t) for g in golds[k])
            table = by_threshold.setdefault(t, [0, 0, 0, 0, 0])
            for i, value in enumerate((len(shown_t), right, found, len(golds[k]), len(outputs[k]))):
                table[i] += value
        shown = p >= DEFAULT
        candidates = p >= 0.05
        ece_shown = expected_calibration_error(p[shown], y[shown])
        ece_all = expected_calibration_error(p[candidates], y[candidates])
        pooled_p.append(p[candidates]), pooled_y.append(y[candidates])
        for t, prf in by_technique.items():
            per_technique[t]["tc"].append(prf.f1)
        for t, prf in judged.per_technique.items():  # the techniques of the fold's gold lines
            per_technique[t]["flc"].append(prf.f1)
        # default flags: precision = flags overlapping gold of the technique; recall = gold fragments overlapped by a flag
        shown_flags = flags(rows[k], p, DEFAULT)
        for flag in shown_flags:
            hit = any(g.technique == flag.technique and g.article_id == flag.article_id and g.start < flag.end and flag.start < g.end for g in golds[k])
            per_technique[str(flag.technique)]["tp" if hit else "fp"] += 1
        for g in golds[k]:
            if not any(f.technique == g.technique and f.article_id == g.article_id and g.start < f.end and f.start < g.end for f in shown_flags):
                per_technique[str(g.technique)]["fn"] += 1
        results.append((names[k], len(outputs[k]), si_table[(k, si_threshold)], si_threshold, encoder_tc, judge_tc, (l2, power), encoder_flc,
                        judged_flc, (fragment_threshold, flc_fit.flc_threshold), default_flc, ece_shown, int(shown.sum()), ece_all))
        print(f"{names[k]} done", file=sys.stderr)

    print("| fold | articles | SI F1 (threshold) | TC encoder head | TC judge (L2, class power) | FLC encoder | FLC judge (fragment threshold, threshold) | FLC at the default | ECE shown (flags) | ECE p>=0.05 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r[0]} | {r[1]} | {r[2]:.4f} ({r[3]}) | {r[4]:.4f} | {r[5]:.4f} ({r[6][0]}, {r[6][1]}) | {r[7]:.4f} | {r[8]:.4f} ({r[9][0]}, {r[9][1]}) | {r[10]:.4f} | {r[11]:.3f} ({r[12]}) | {r[13]:.3f} |")
    print(f"| mean (min-max) | {sum(r[1] for r in results)} | {spread([r[2] for r in results])} | {spread([r[4] for r in results])} | "
          f"{spread([r[5] for r in results])} | {spread([r[7] for r in results])} | {spread([r[8] for r in results])} | {spread([r[10] for r in results])} | "
          f"{np.mean([r[11] for r in results]):.3f} | {np.mean([r[13] for r in results]):.3f} |")
    print("\n| min_probability | flags per article | precision | recall |\n|---|---|---|---|")
    for t, (n, right, found, gold_n, n_articles) in sorted(by_threshold.items()):
        print(f"| {t} | {n / n_articles:.1f} | {right / max(n, 1):.2f} | {found / gold_n:.2f} |")
    all_p, all_y = np.concatenate(pooled_p), np.concatenate(pooled_y)
    print(f"\npooled out-of-fold pairs with p >= 0.05: {len(all_p)}, ECE {expected_calibration_error(all_p, all_y):.3f}; "
          f"shown by default (p >= {DEFAULT}): {(all_p >= DEFAULT).sum()}, ECE {expected_calibration_error(all_p[all_p >= DEFAULT], all_y[all_p >= DEFAULT]):.3f}")
    print("\n| probability bin | pairs | mean probability | share right |\n|---|---|---|---|")
    index = np.minimum((all_p * 10).astype(int), 9)
    for b in range(10):
        if (index == b).any():
            print(f"| {b / 10:.1f}-{(b + 1) / 10:.1f} | {(index == b).sum()} | {all_p[index == b].mean():.3f} | {all_y[index == b].mean():.3f} |")
    print("\n| technique | TC F1 (judge), mean (min-max) | FLC F1 (judge), mean (min-max) | default flags | precision | recall |\n|---|---|---|---|---|---|")
    for t, v in per_technique.items():
        flagged = v["tp"] + v["fp"]
        print(f"| {t} | {spread(v['tc'])} | {spread(v['flc'])} | {flagged} | {v['tp'] / flagged if flagged else float('nan'):.2f} | "
              f"{1 - v['fn'] / max(sum(1 for g in golds for s in g if s.technique == t), 1):.2f} |")
    if args.svg:
        svg_reliability(all_p, all_y, args.svg, f"probability, {len(rows)} folds out of fold (ECE {expected_calibration_error(all_p, all_y):.3f})", "probability (out of fold)", "share overlapping a gold fragment of the technique", "mean probability", "observed")
    if args.write:
        every = tuple(range(len(rows)))
        shown_fit, fragment_threshold = fits.fit(every, flc_settings.threshold), fits.choose_threshold(every)
        flc_fit = fits.fit(every, fragment_threshold)
        lexical_rows = [honest(j, []) for j in range(len(rows))]
        l2, power = choose_tc(lexical_rows, golds)
        technique = fit_technique(lexical_rows, l2, power)
        shipped_lexical = None if args.no_lexical else lexical(list(range(len(rows))))
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        si_threshold = max(SI_GRID, key=lambda t: np.mean([si_table[(j, t)] for j in range(len(rows))]))
        judge = Judge(technique, shown_fit.presence, DEFAULT, flc_fit.flc_threshold, {
            "fitted_on": f"out-of-fold encoder outputs of {len(rows)} folds ({sum(len(o) for o in outputs)} PTC train articles), benchmarks/kfold.py",
            "technique_l2": l2, "technique_class_power": power, "presence_l2": 1e-2, "date": datetime.date.today().isoformat(),
            "commit": commit, "command": "python benchmarks/judge_cv.py --data ../shared/data/ptc --runs ~/spinlens-kfold --write"
            + (" --no-lexical" if args.no_lexical else "")}, si_threshold, shown_fit.platt, shipped_lexical,
            None if args.no_lexical else shown_fit.technique, fragment_threshold, flc_fit.presence, flc_fit.platt)
        if shipped_lexical is not None:
            shipped_lexical.save(SHIPPED / LEXICAL_FILE)
        elif (SHIPPED / LEXICAL_FILE).exists():
            (SHIPPED / LEXICAL_FILE).unlink()
        (SHIPPED / "judge.json").write_text(judge.to_json())
        print(f"\nwrote {SHIPPED / 'judge.json'}: L2 {l2}, class power {power}, FLC threshold {flc_fit.flc_threshold}, SI threshold {si_threshold}, fragment threshold {fragment_threshold}", file=sys.stderr)


if __name__ == "__main__":
    main()
