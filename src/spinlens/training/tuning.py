"""Choosing decode settings and fitting score calibration on validation articles (used by training)."""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from typing import TypedDict

import numpy as np

from ..activations import sigmoid
from ..arrays import FloatArray
from ..cards import AccuracyRecord, DecodeRecord, PlattRecord, PRFRecord, ValidationRecord
from ..evaluate.ptc import FLCResult, flc_score, overlap_sums, prf_from_sums, tc_score
from ..formats.ptc import LabelledSpan
from ..sentences import split_sentences
from ..techniques.decoding import DecodeSettings, decode_spans
from ..techniques.inference import (
    Calibration,
    Fragment,
    TechniqueModel,
    TokenOutputs,
    find_fragments,
    label_fragments,
    label_template,
    sentence_raw_score,
)

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
SI_MERGE_GAPS = (0, 3, 12, 30, 100, 400)  # characters


class SplitScores(TypedDict):
    """evaluate_outputs: scores on validation articles, with the SI decode settings chosen on them."""

    decode: DecodeRecord
    si: PRFRecord
    si_crossfit: float
    tc: AccuracyRecord
    flc: PRFRecord


class Tuning(TypedDict):
    """calibrate_and_tune: what tuning puts on a technique model's card."""

    decode: DecodeRecord
    flc_decode: DecodeRecord
    second_label: float
    fragment_calibration: PlattRecord
    sentence_calibration: PlattRecord
    validation: ValidationRecord


def decode_record(settings: DecodeSettings) -> DecodeRecord:
    """Decode settings as a card holds them (dataclasses.asdict's keys, in its order)."""
    return {"threshold": settings.threshold, "merge_gap": settings.merge_gap, "min_chars": settings.min_chars, "smooth": settings.smooth}


def platt_record(calibration: Calibration) -> PlattRecord:
    return {"a": calibration.a, "b": calibration.b}


def si_grid() -> list[DecodeSettings]:
    """The SI decode settings tuning chooses from."""
    return [DecodeSettings(t, g, m, k) for t, g, m, k in product(THRESHOLDS, SI_MERGE_GAPS, (2, 4, 8, 16), (1, 3, 5))]


def evaluate_outputs(
    outputs: dict[str, TokenOutputs],
    gold: list[LabelledSpan],
    feature_weights: FloatArray,
    grid: list[DecodeSettings] | None = None,
) -> SplitScores:
    """SI with the best decode settings of `grid`, TC on the gold spans, FLC with the chosen settings.

    Choosing the settings on the articles that are scored flatters SI, so SI is also reported
    cross-fitted (`si_crossfit`): settings chosen on a random half of the articles, scored on the other.
    """
    grid = grid or [DecodeSettings(threshold=t) for t in THRESHOLDS]
    ids = sorted(outputs)
    gold_spans: dict[str, list[tuple[int, int]]] = {a: [] for a in ids}
    for span in gold:
        gold_spans.setdefault(span.article_id, []).append((span.start, span.end))
    # sums[setting, article] = that article's (precision credit, recall credit, predicted, gold) for SI
    sums = np.array([
        [overlap_sums([(s, e) for s, e, _ in decode_spans(outputs[a].text, outputs[a].offsets, outputs[a].propaganda, settings)], gold_spans[a])
         for a in ids]
        for settings in grid
    ]).reshape(len(grid), len(ids), 4)
    chosen = best_setting(sums)
    settings, si = grid[chosen], prf_from_sums(*sums[chosen].sum(axis=0))
    template = [replace(s, technique=None) for s in gold]
    accuracy, _ = tc_score(label_template(outputs, template, feature_weights), gold)
    flc = flc_score(
        [line for a, o in outputs.items() for line in label_fragments(a, find_fragments(o, settings, feature_weights))],
        gold,
    ).overall
    return {
        "decode": decode_record(settings),
        "si": {"precision": si.precision, "recall": si.recall, "f1": si.f1},
        "si_crossfit": crossfit_f1(sums),
        "tc": {"accuracy": accuracy},
        "flc": {"precision": flc.precision, "recall": flc.recall, "f1": flc.f1},
    }


def best_setting(sums: FloatArray) -> int:
    """The setting (first axis of `sums`, as in evaluate_outputs) with the best SI F1 over all articles."""
    totals = sums.sum(axis=1)
    return int(np.argmax([prf_from_sums(*row).f1 for row in totals]))


def crossfit_f1(sums: FloatArray, rounds: int = 50, seed: int = 0) -> float:
    """Mean SI F1 over `rounds` random halvings of the articles, each half scored with the settings
    that do best on the other half."""
    rng = np.random.default_rng(seed)
    n = sums.shape[1]
    scores = []
    for _ in range(rounds):
        order = rng.permutation(n)
        halves = (order[: n // 2], order[n // 2 :])
        total = np.zeros(4)
        for fit, held in (halves, halves[::-1]):
            total += sums[best_setting(sums[:, fit]), held].sum(axis=0)
        scores.append(prf_from_sums(*total).f1)
    return float(np.mean(scores))


def _platt(raw: FloatArray, truth: FloatArray, steps: int = 2000) -> Calibration:
    """Fit Platt scaling by gradient descent on log loss (numpy only, a few hundred points)."""
    x = np.log(np.clip(raw, 1e-6, 1 - 1e-6) / (1 - np.clip(raw, 1e-6, 1 - 1e-6)))
    a, b = 1.0, 0.0
    for _ in range(steps):
        p = sigmoid(a * x + b)
        a -= 0.1 * float(np.mean((p - truth) * x))
        b -= 0.1 * float(np.mean(p - truth))
    return Calibration(a, b)


def expected_calibration_error(scores: FloatArray, truth: FloatArray, bins: int = 10) -> float:
    scores, truth = np.asarray(scores, dtype=float), np.asarray(truth, dtype=float)
    if not len(scores):
        return 0.0
    index = np.minimum((scores * bins).astype(int), bins - 1)
    return float(sum(abs(scores[index == k].mean() - truth[index == k].mean()) * (index == k).sum()
                     for k in range(bins) if (index == k).any()) / len(scores))


def fragment_truth(fragments: list[tuple[str, Fragment]], gold: list[LabelledSpan]) -> FloatArray:
    """Per predicted fragment, the share of its characters inside a gold fragment (SI precision credit)."""
    by_article: dict[str, list[tuple[int, int]]] = {}
    for span in gold:
        by_article.setdefault(span.article_id, []).append((span.start, span.end))
    truth = []
    for article_id, fragment in fragments:
        covered = np.zeros(fragment.end - fragment.start, dtype=bool)
        for s, e in by_article.get(article_id, ()):
            lo, hi = max(s, fragment.start), min(e, fragment.end)
            if hi > lo:
                covered[lo - fragment.start : hi - fragment.start] = True
        truth.append(covered.mean() if len(covered) else 0.0)
    return np.asarray(truth)


def best_flc_decode(
    outputs: dict[str, TokenOutputs], gold: list[LabelledSpan], feature_weights: FloatArray
) -> tuple[DecodeSettings, float, FLCResult]:
    """FLC wants its own decoding: joining distant runs helps SI's overlap credit but gives a merged
    stretch a single technique. Returns (settings, second_label, FLC result)."""
    best: tuple[DecodeSettings, float, FLCResult] | None = None
    for t, g, m, k in product(THRESHOLDS, (0, 3, 12, 30), (4, 8, 16), (1, 3)):
        settings = DecodeSettings(t, g, m, k)
        fragments = {a: find_fragments(o, settings, feature_weights) for a, o in outputs.items()}
        for second in (0.3, 0.4, 1.0):
            result = flc_score([line for a, fs in fragments.items() for line in label_fragments(a, fs, second)], gold)
            if best is None or result.overall.f1 > best[2].overall.f1:
                best = (settings, second, result)
    assert best is not None  # the grid is not empty
    return best


def calibrate_and_tune(model: TechniqueModel, texts: dict[str, str], gold: list[LabelledSpan]) -> Tuning:
    """Choose decode settings on the validation articles (one for SI, one for labelled fragments),
    then fit score calibrations for the labelled fragments and for sentences.

    Calibration error is reported with two-fold cross-fitting (fit on one half of the validation
    articles, measure on the other), so the published ECE is not measured on the data it was fitted to.
    """

    outputs = dict(zip(texts, model.run(list(texts.values()))))
    # SI credits a predicted span for every gold span it overlaps, so joining runs far apart on one line
    # (a paragraph, in PTC) can pay; runs are never joined across a line break.
    metrics = evaluate_outputs(outputs, gold, model.feature_weights, si_grid())
    flc_settings, second_label, flc = best_flc_decode(outputs, gold, model.feature_weights)
    # The fragments an analysis shows are the labelled (FLC) ones: calibrate their scores.
    fragments = [(a, f) for a, o in outputs.items() for f in find_fragments(o, flc_settings, model.feature_weights)]
    frag_raw = np.array([f.score for _, f in fragments])
    frag_truth = fragment_truth(fragments, gold)

    gold_by_article: dict[str, list[tuple[int, int]]] = {}
    for span in gold:
        gold_by_article.setdefault(span.article_id, []).append((span.start, span.end))
    sent_ids, sent_raw, sent_truth = [], [], []
    for a, o in outputs.items():
        for start, end in split_sentences(o.text):
            sent_ids.append(a)
            sent_raw.append(sentence_raw_score(o, start, end))
            sent_truth.append(float(any(s < end and e > start for s, e in gold_by_article.get(a, ()))))
    sent_raw_a, sent_truth_a = np.array(sent_raw), np.array(sent_truth)

    ids = sorted(texts)
    halves = (set(ids[::2]), set(ids[1::2]))
    frag_articles = np.array([a for a, _ in fragments])
    sent_articles = np.array(sent_ids)
    cross: dict[str, list[FloatArray]] = {"fragment": [], "fragment_truth": [], "sentence": [], "sentence_truth": []}
    for fit, held in (halves, halves[::-1]):
        for name, raw, truth, art in (("fragment", frag_raw, frag_truth, frag_articles), ("sentence", sent_raw_a, sent_truth_a, sent_articles)):
            fit_mask, held_mask = np.isin(art, list(fit)), np.isin(art, list(held))
            calibration = _platt(raw[fit_mask], truth[fit_mask])
            cross[name].append(calibration(raw[held_mask]))
            cross[name + "_truth"].append(truth[held_mask])
    fragment_calibration, sentence_calibration = _platt(frag_raw, frag_truth), _platt(sent_raw_a, sent_truth_a)
    return {
        "decode": metrics["decode"],
        "flc_decode": decode_record(flc_settings),
        "second_label": second_label,
        "fragment_calibration": platt_record(fragment_calibration),
        "sentence_calibration": platt_record(sentence_calibration),
        "validation": {
            "si": metrics["si"],
            "si_crossfit": metrics["si_crossfit"],
            "tc": metrics["tc"],
            "flc": {"precision": flc.overall.precision, "recall": flc.overall.recall, "f1": flc.overall.f1,
                    "per_technique": {t: round(r.f1, 4) for t, r in flc.per_technique.items()}},
            "ece_fragment_raw": expected_calibration_error(frag_raw, frag_truth),
            "ece_fragment_calibrated_crossfit": expected_calibration_error(np.concatenate(cross["fragment"]), np.concatenate(cross["fragment_truth"])),
            "ece_sentence_raw": expected_calibration_error(sent_raw_a, sent_truth_a),
            "ece_sentence_calibrated_crossfit": expected_calibration_error(np.concatenate(cross["sentence"]), np.concatenate(cross["sentence_truth"])),
        },
    }
