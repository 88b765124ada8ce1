"""SemEval-2020 Task 11 metrics (SI, TC, FLC) with the official definitions. Pure functions.

SI and FLC use partial-overlap precision and recall: a predicted span earns |overlap| / |predicted|
toward precision, a gold span |overlap| / |gold| toward recall, summed over the corpus, after merging
overlapping spans per article (per article and technique for FLC). TC is accuracy over gold spans,
matched as multisets by (article, start, end).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar, cast

from ..formats.ptc import LabelledSpan

_Key = TypeVar("_Key", bound=Hashable)


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int


@dataclass(frozen=True)
class FLCResult:
    overall: PRF
    per_technique: dict[str, PRF] = field(default_factory=dict)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans that share at least one character; touching spans stay apart."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision and recall else 0.0


def overlap_sums(predicted: Iterable[tuple[int, int]], gold: Iterable[tuple[int, int]]) -> tuple[float, float, int, int]:
    """One article's share of the partial-overlap scores: precision credit, recall credit, number of
    predicted spans and of gold spans (each side merged first). Sums over articles give the corpus score."""
    pred_m, gold_m = merge_spans(predicted), merge_spans(gold)
    p_sum = r_sum = 0.0
    for a, b in pred_m:
        for c, d in gold_m:
            inter = min(b, d) - max(a, c)
            if inter > 0:
                p_sum += inter / (b - a)
                r_sum += inter / (d - c)
    return p_sum, r_sum, len(pred_m), len(gold_m)


def prf_from_sums(p_sum: float, r_sum: float, n_pred: int, n_gold: int) -> PRF:
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    return PRF(precision, recall, _f1(precision, recall), n_pred, n_gold)


def overlap_prf(
    predicted: Mapping[_Key, list[tuple[int, int]]], gold: Mapping[_Key, list[tuple[int, int]]]
) -> PRF:
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    # Keys in a fixed order (not a set's, which varies with hash seeds) so the float sums repeat exactly.
    for key in dict.fromkeys([*predicted, *gold]):
        p, r, n_p, n_g = overlap_sums(predicted.get(key, ()), gold.get(key, ()))
        p_sum, r_sum, n_pred, n_gold = p_sum + p, r_sum + r, n_pred + n_p, n_gold + n_g
    return prf_from_sums(p_sum, r_sum, n_pred, n_gold)


def si_score(predicted: Iterable[LabelledSpan], gold: Iterable[LabelledSpan]) -> PRF:
    pred: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in predicted:
        if s.end > s.start:
            pred[s.article_id].append((s.start, s.end))
    ref: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in gold:
        ref[s.article_id].append((s.start, s.end))
    return overlap_prf(pred, ref)


def flc_score(predicted: Iterable[LabelledSpan], gold: Iterable[LabelledSpan]) -> FLCResult:
    pred: dict[tuple[str, str | None], list[tuple[int, int]]] = defaultdict(list)
    for s in predicted:
        if s.end > s.start:
            pred[(s.article_id, s.technique)].append((s.start, s.end))
    ref: dict[tuple[str, str | None], list[tuple[int, int]]] = defaultdict(list)
    for s in gold:
        ref[(s.article_id, s.technique)].append((s.start, s.end))
    per_technique = {
        technique: overlap_prf(
            {k: v for k, v in pred.items() if k[1] == technique},
            {k: v for k, v in ref.items() if k[1] == technique},
        )
        for technique in _gold_techniques({k[1] for k in ref})
    }
    return FLCResult(overlap_prf(pred, ref), per_technique)


def tc_score(predicted: Iterable[LabelledSpan], gold: Iterable[LabelledSpan]) -> tuple[float, dict[str, PRF]]:
    """Micro-F1 (= accuracy) over gold lines, and per-technique precision/recall/F1."""
    gold_labels: dict[tuple[str, int, int], list[str | None]] = defaultdict(list)
    for s in gold:
        gold_labels[(s.article_id, s.start, s.end)].append(s.technique)
    pred_labels: dict[tuple[str, int, int], list[str | None]] = defaultdict(list)
    for s in predicted:
        pred_labels[(s.article_id, s.start, s.end)].append(s.technique)
    correct = 0
    hits: Counter[str | None] = Counter()
    gold_counts: Counter[str | None] = Counter()
    pred_counts: Counter[str | None] = Counter()
    for key, labels in gold_labels.items():
        got = pred_labels.get(key, [])[: len(labels)]
        matched = Counter(got) & Counter(labels)
        correct += sum(matched.values())
        hits.update(matched)
        gold_counts.update(labels)
        pred_counts.update(got)
    total = sum(gold_counts.values())
    per_technique = {}
    for technique in _gold_techniques(gold_counts):
        p = hits[technique] / pred_counts[technique] if pred_counts[technique] else 0.0
        r = hits[technique] / gold_counts[technique]
        per_technique[technique] = PRF(p, r, _f1(p, r), pred_counts[technique], gold_counts[technique])
    return (correct / total if total else 0.0), per_technique


def _gold_techniques(techniques: Iterable[str | None]) -> list[str]:
    """The gold lines' techniques, sorted. Gold for TC and FLC is read with need_technique: each line has one."""
    return sorted(cast("Iterable[str]", techniques))


def tc_template(gold: Iterable[LabelledSpan]) -> list[LabelledSpan]:
    """The TC task's input: the gold fragments with their techniques taken away."""
    return [replace(s, technique=None) for s in gold]


def unlabelled_articles(scored: Iterable[str], gold: Iterable[LabelledSpan], labelled: Iterable[str]) -> set[str]:
    """The scored articles with neither a gold line nor a label file of their own (`labelled`: the articles
    the label files are for): they are scored as free of propaganda."""
    return set(scored) - {s.article_id for s in gold} - set(labelled)


def score_lines(tasks: Mapping[str, Iterable[LabelledSpan]], gold: list[LabelledSpan]) -> list[str]:
    """The report of `spinlens eval ptc`: a line for each of SI, TC and FLC in `tasks` (predictions by
    task), TC and FLC followed by a line per technique."""
    lines = []
    if "si" in tasks:
        r = si_score(tasks["si"], gold)
        lines.append(f"SI   P={r.precision:.4f} R={r.recall:.4f} F1={r.f1:.4f} predicted={r.predicted} gold={r.gold}")
    if "tc" in tasks:
        accuracy, per = tc_score(tasks["tc"], gold)
        lines.append(f"TC   micro-F1={accuracy:.4f}")
        for technique, r in per.items():
            lines.append(f"     {technique:40s} P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f} gold={r.gold}")
    if "flc" in tasks:
        result = flc_score(tasks["flc"], gold)
        r = result.overall
        lines.append(f"FLC  P={r.precision:.4f} R={r.recall:.4f} F1={r.f1:.4f} predicted={r.predicted} gold={r.gold}")
        for technique, t in result.per_technique.items():
            lines.append(f"     {technique:40s} F1={t.f1:.3f}")
    return lines
