"""Technique detection with the shipped ONNX model: token outputs -> fragments with techniques and scores."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path

import numpy as np

from ..formats.ptc import LabelledSpan
from ..evaluate.ptc import flc_score, si_score, tc_score
from .decoding import DecodeSettings, decode_spans, lower_same_length, sigmoid, softmax, span_logits
from .encoding import EncodedArticle, batch_inputs, encode, gather_windows, load_tokenizer
from .labels import TECHNIQUES

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


@dataclass(frozen=True)
class TokenOutputs:
    """What the encoder says about one article, per word-piece token."""

    text: str
    offsets: np.ndarray  # (n, 2)
    propaganda: np.ndarray  # (n,) probability that the token is in a propaganda fragment
    technique_logits: np.ndarray  # (n, len(TECHNIQUES))
    encodings: np.ndarray | None = None  # (n, hidden) encoder outputs, when asked for (attribution reads them)


@dataclass(frozen=True)
class Fragment:
    start: int
    end: int
    score: float  # calibrated probability that the fragment is propaganda
    technique_probs: np.ndarray  # (len(TECHNIQUES),) given that it is


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of a raw score: p = sigmoid(a * logit(raw) + b)."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: np.ndarray | float) -> np.ndarray:
        raw = np.clip(np.asarray(raw, dtype=np.float64), 1e-6, 1 - 1e-6)
        return sigmoid(self.a * np.log(raw / (1 - raw)) + self.b)


def technique_probs(outputs: TokenOutputs, lowered: str, start: int, end: int, feature_weights: np.ndarray) -> np.ndarray:
    return softmax(span_logits(outputs.technique_logits, outputs.offsets, lowered, start, end, feature_weights))


def find_fragments(
    outputs: TokenOutputs,
    settings: DecodeSettings,
    feature_weights: np.ndarray,
    calibration: Calibration = Calibration(),
) -> list[Fragment]:
    lowered = lower_same_length(outputs.text)
    return [
        Fragment(start, end, float(calibration(raw)), technique_probs(outputs, lowered, start, end, feature_weights))
        for start, end, raw in decode_spans(outputs.text, outputs.offsets, outputs.propaganda, settings)
    ]


def label_fragments(
    article_id: str, fragments: list[Fragment], second_label: float = 1.0
) -> list[LabelledSpan]:
    """FLC lines: the top technique of each fragment, and the runner-up where its probability >= second_label."""
    lines = []
    for fragment in fragments:
        order = np.argsort(-fragment.technique_probs)
        lines.append(LabelledSpan(article_id, fragment.start, fragment.end, TECHNIQUES[order[0]]))
        if fragment.technique_probs[order[1]] >= second_label:
            lines.append(LabelledSpan(article_id, fragment.start, fragment.end, TECHNIQUES[order[1]]))
    return lines


def label_template(
    outputs: dict[str, TokenOutputs], template: list[LabelledSpan], feature_weights: np.ndarray
) -> list[LabelledSpan]:
    """TC: name the technique of each given span; a span listed k times gets its k most likely techniques."""
    lowered = {a: lower_same_length(o.text) for a, o in outputs.items()}
    seen: dict[tuple[str, int, int], int] = {}
    answers = []
    for span in template:
        key = (span.article_id, span.start, span.end)
        rank = seen.get(key, 0)
        seen[key] = rank + 1
        out = outputs[span.article_id]
        probs = technique_probs(out, lowered[span.article_id], span.start, span.end, feature_weights)
        answers.append(replace(span, technique=TECHNIQUES[int(np.argsort(-probs)[min(rank, len(TECHNIQUES) - 1)])]))
    return answers


def evaluate_outputs(
    outputs: dict[str, TokenOutputs],
    gold: list[LabelledSpan],
    feature_weights: np.ndarray,
    grid: list[DecodeSettings] | None = None,
) -> dict:
    """SI with the best decode settings of `grid`, TC on the gold spans, FLC with the chosen settings."""
    grid = grid or [DecodeSettings(threshold=t) for t in THRESHOLDS]
    best = None
    for settings in grid:
        predicted = [
            LabelledSpan(a, s, e) for a, o in outputs.items() for s, e, _ in decode_spans(o.text, o.offsets, o.propaganda, settings)
        ]
        prf = si_score(predicted, gold)
        if best is None or prf.f1 > best[1].f1:
            best = (settings, prf)
    settings, si = best
    template = [replace(s, technique=None) for s in gold]
    accuracy, _ = tc_score(label_template(outputs, template, feature_weights), gold)
    flc = flc_score(
        [line for a, o in outputs.items() for line in label_fragments(a, find_fragments(o, settings, feature_weights))],
        gold,
    ).overall
    return {
        "decode": {"threshold": settings.threshold, "merge_gap": settings.merge_gap, "min_chars": settings.min_chars},
        "si": {"precision": si.precision, "recall": si.recall, "f1": si.f1},
        "tc": {"accuracy": accuracy},
        "flc": {"precision": flc.precision, "recall": flc.recall, "f1": flc.f1},
    }


class TechniqueModel:
    """The shipped technique model: ONNX encoder with both heads, tokenizer and model card."""

    def __init__(self, folder: Path, session, tokenizer, card: dict) -> None:
        self.folder = folder
        self.session = session
        self.tokenizer = tokenizer
        self.card = card
        self.cls_id = tokenizer.token_to_id("[CLS]")
        self.sep_id = tokenizer.token_to_id("[SEP]")
        self.feature_weights = np.asarray(card["span_feature_weights"], dtype=np.float32)
        decode = card.get("decode", {})
        self.settings = DecodeSettings(**decode) if decode else DecodeSettings()
        self.second_label = float(card.get("second_label", 1.0))
        self.fragment_calibration = Calibration(**card.get("fragment_calibration", {}))
        self.sentence_calibration = Calibration(**card.get("sentence_calibration", {}))

    @classmethod
    def load(cls, folder: Path, threads: int | None = None) -> "TechniqueModel":
        from ..models import onnx_session

        folder = Path(folder)
        session = onnx_session(folder / "model.onnx", threads)
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        return cls(folder, session, load_tokenizer(folder / "tokenizer.json"), card)

    def encode(self, text: str) -> EncodedArticle:
        return encode(self.tokenizer, text)

    def run(self, texts: list[str], batch_size: int = 1, encodings: bool = False) -> list[TokenOutputs]:
        """Encoder outputs for several articles.

        Windows run one at a time by default: int8 dynamic quantisation scales activations per batch,
        so a window batched with others would score slightly differently than alone.
        """
        encoded = [self.encode(t) for t in texts]
        ids, mask, rows = batch_inputs(encoded, self.cls_id, self.sep_id)
        # Sort rows by length so a batch pads little; the last window of an article is often short.
        order = sorted(range(len(rows)), key=lambda r: rows[r][2] - rows[r][1])
        names = ["propaganda", "technique_logits"] + (["encodings"] if encodings else [])
        parts: list[list] = [[None] * len(rows) for _ in names]
        for b in range(0, len(order), batch_size):
            chunk = order[b : b + batch_size]
            width = max(rows[r][2] - rows[r][1] for r in chunk) + 2
            results = self.session.run(names, {"input_ids": ids[chunk, :width], "attention_mask": mask[chunk, :width]})
            for k, r in enumerate(chunk):
                n = rows[r][2] - rows[r][1]
                for part, result in zip(parts, results):
                    part[r] = result[k, 1 : n + 1]
        outputs = []
        for a, (text, article) in enumerate(zip(texts, encoded)):
            mine = [r for r, row in enumerate(rows) if row[0] == a]
            spans = [(rows[r][1], rows[r][2]) for r in mine]
            n = len(article.ids)
            merged = [gather_windows(n, spans, [part[r] for r in mine]) for part in parts]
            outputs.append(
                TokenOutputs(text, article.offsets, merged[0], merged[1].reshape(n, len(TECHNIQUES)), merged[2] if encodings else None)
            )
        return outputs

    def fragments(self, outputs: TokenOutputs) -> list[Fragment]:
        return find_fragments(outputs, self.settings, self.feature_weights, self.fragment_calibration)


def _platt(raw: np.ndarray, truth: np.ndarray, steps: int = 2000) -> Calibration:
    """Fit Platt scaling by gradient descent on log loss (numpy only, a few hundred points)."""
    x = np.log(np.clip(raw, 1e-6, 1 - 1e-6) / (1 - np.clip(raw, 1e-6, 1 - 1e-6)))
    a, b = 1.0, 0.0
    for _ in range(steps):
        p = sigmoid(a * x + b)
        a -= 0.1 * float(np.mean((p - truth) * x))
        b -= 0.1 * float(np.mean(p - truth))
    return Calibration(a, b)


def expected_calibration_error(scores: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    scores, truth = np.asarray(scores, dtype=float), np.asarray(truth, dtype=float)
    if not len(scores):
        return 0.0
    index = np.minimum((scores * bins).astype(int), bins - 1)
    return float(sum(abs(scores[index == k].mean() - truth[index == k].mean()) * (index == k).sum()
                     for k in range(bins) if (index == k).any()) / len(scores))


def fragment_truth(fragments: list[tuple[str, Fragment]], gold: list[LabelledSpan]) -> np.ndarray:
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


def calibrate_and_tune(model: TechniqueModel, texts: dict[str, str], gold: list[LabelledSpan]) -> dict:
    """Choose decode settings on the validation articles, then fit score calibrations.

    Calibration error is reported with two-fold cross-fitting (fit on one half of the validation
    articles, measure on the other), so the published ECE is not measured on the data it was fitted to.
    """
    from ..sentences import split_sentences

    outputs = dict(zip(texts, model.run(list(texts.values()))))
    grid = [DecodeSettings(t, g, m) for t, g, m in product(THRESHOLDS, (0, 3, 12), (2, 4, 8))]
    metrics = evaluate_outputs(outputs, gold, model.feature_weights, grid)
    settings = DecodeSettings(**metrics["decode"])
    fragments = [(a, f) for a, o in outputs.items() for f in find_fragments(o, settings, model.feature_weights)]
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
    cross: dict[str, list[np.ndarray]] = {"fragment": [], "fragment_truth": [], "sentence": [], "sentence_truth": []}
    for fit, held in (halves, halves[::-1]):
        for name, raw, truth, art in (("fragment", frag_raw, frag_truth, frag_articles), ("sentence", sent_raw_a, sent_truth_a, sent_articles)):
            fit_mask, held_mask = np.isin(art, list(fit)), np.isin(art, list(held))
            calibration = _platt(raw[fit_mask], truth[fit_mask])
            cross[name].append(calibration(raw[held_mask]))
            cross[name + "_truth"].append(truth[held_mask])
    # FLC: emit a second technique for a fragment when the runner-up is this likely.
    flc_by_second = {}
    for second in (0.2, 0.3, 0.4, 1.0):
        lines = [line for a, o in outputs.items() for line in label_fragments(a, find_fragments(o, settings, model.feature_weights), second)]
        flc_by_second[second] = flc_score(lines, gold)
    second_label = max(flc_by_second, key=lambda s: flc_by_second[s].overall.f1)
    flc = flc_by_second[second_label]
    fragment_calibration, sentence_calibration = _platt(frag_raw, frag_truth), _platt(sent_raw_a, sent_truth_a)
    return {
        "decode": metrics["decode"],
        "second_label": second_label,
        "fragment_calibration": {"a": fragment_calibration.a, "b": fragment_calibration.b},
        "sentence_calibration": {"a": sentence_calibration.a, "b": sentence_calibration.b},
        "validation": {
            "si": metrics["si"],
            "tc": metrics["tc"],
            "flc": {"precision": flc.overall.precision, "recall": flc.overall.recall, "f1": flc.overall.f1,
                    "per_technique": {t: round(r.f1, 4) for t, r in flc.per_technique.items()}},
            "ece_fragment_raw": expected_calibration_error(frag_raw, frag_truth),
            "ece_fragment_calibrated_crossfit": expected_calibration_error(np.concatenate(cross["fragment"]), np.concatenate(cross["fragment_truth"])),
            "ece_sentence_raw": expected_calibration_error(sent_raw_a, sent_truth_a),
            "ece_sentence_calibrated_crossfit": expected_calibration_error(np.concatenate(cross["sentence"]), np.concatenate(cross["sentence_truth"])),
        },
    }


def sentence_raw_score(outputs: TokenOutputs, start: int, end: int) -> float:
    """Highest token probability in a sentence: the raw score of 'this sentence holds a technique'."""
    inside = (outputs.offsets[:, 0] >= start) & (outputs.offsets[:, 1] <= end)
    return float(outputs.propaganda[inside].max()) if inside.any() else 0.0
