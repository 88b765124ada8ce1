"""Technique detection with the shipped ONNX model: token outputs -> fragments with techniques and scores."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..activations import sigmoid, softmax
from ..arrays import FloatArray, IntArray
from ..cards import ENCODINGS_NAMES, DecodeRecord, EncodingsName, ModelCard, PlattRecord, required
from ..formats.ptc import LabelledSpan
from ..labels import TECHNIQUES
from ..sessions import check_graph, onnx_session
from ..spans import lower_same_length
from .context import ArticleContext
from .decoding import DecodeSettings, decode_spans, span_logits
from .encoding import EncodedArticle, batch_inputs, encode, gather_windows, load_tokenizer
from .judge import Judge

PARALLEL_WINDOWS = True  # measured faster on 2 cores than intra-op threads (docs/benchmarks.md)


@dataclass(frozen=True)
class TokenOutputs:
    """What the encoder says about one article, per word-piece token."""

    text: str
    offsets: IntArray  # (n, 2)
    propaganda: FloatArray  # (n,) probability that the token is in a propaganda fragment
    technique_logits: FloatArray  # (n, len(TECHNIQUES))
    encodings: FloatArray | None = None  # (n, hidden) encoder outputs, when asked for (attribution reads them)
    middle_encodings: FloatArray | None = None  # (n, hidden) a middle layer's, when asked for

    def stacked(self, names: Sequence[str]) -> FloatArray:
        """The named encodings side by side, (n, hidden × len(names)): what an attribution tagger reads. A
        ValueError for a name that is not an encodings output or was not computed."""
        columns = []
        for name in names:
            value = self.encodings if name == "encodings" else self.middle_encodings if name == "middle_encodings" else None
            if value is None:
                raise ValueError(f"no {name} here: the technique model was not run with encodings naming it, "
                                 f"or its graph has no output {name!r}" if name in ENCODINGS_NAMES else f"{name!r} is not an encodings output")
            columns.append(value)
        return columns[0] if len(columns) == 1 else np.concatenate(columns, axis=1)


@dataclass(frozen=True)
class Fragment:
    start: int
    end: int
    score: float  # calibrated probability that the fragment is propaganda
    technique_probs: FloatArray  # (len(TECHNIQUES),) given that it is
    # (len(TECHNIQUES),) chance that a gold fragment of each technique overlaps it; None without a judge
    probabilities: FloatArray | None = None

    def flags(self, min_probability: float) -> list[tuple[str, float, float]]:
        """(technique, technique probability, probability) of each technique at least `min_probability`
        likely, most likely first (needs a judge)."""
        if self.probabilities is None:
            raise ValueError("this fragment was found without a judge: it has no probabilities")
        order = np.argsort(-self.probabilities)
        return [(TECHNIQUES[i], float(self.technique_probs[i]), float(self.probabilities[i])) for i in order if self.probabilities[i] >= min_probability]

    def labels(self, second_label: float = 1.0) -> list[tuple[str, float]]:
        """The top technique, and the runner-up where its probability >= second_label (PTC gives
        some fragments two techniques)."""
        first, second = np.argsort(-self.technique_probs)[:2]
        labels = [(TECHNIQUES[first], float(self.technique_probs[first]))]
        if self.technique_probs[second] >= second_label:
            labels.append((TECHNIQUES[second], float(self.technique_probs[second])))
        return labels


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of a raw score: p = sigmoid(a * logit(raw) + b)."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: FloatArray | float) -> FloatArray:
        clipped = np.clip(np.asarray(raw, dtype=np.float64), 1e-6, 1 - 1e-6)
        return sigmoid(self.a * np.log(clipped / (1 - clipped)) + self.b)


def technique_probs(outputs: TokenOutputs, lowered: str, start: int, end: int, feature_weights: FloatArray) -> FloatArray:
    return softmax(span_logits(outputs.technique_logits, outputs.offsets, lowered, start, end, feature_weights))


def find_fragments(
    outputs: TokenOutputs,
    settings: DecodeSettings,
    feature_weights: FloatArray,
    calibration: Calibration = Calibration(),
    judge: Judge | None = None,
) -> list[Fragment]:
    """Decoded fragments with their techniques: the encoder's head alone, or judged with the article in view."""
    lowered = lower_same_length(outputs.text)
    spans = decode_spans(outputs.text, outputs.offsets, outputs.propaganda, settings)
    if judge is None:
        return [Fragment(start, end, float(calibration(raw)), technique_probs(outputs, lowered, start, end, feature_weights)) for start, end, raw in spans]
    context = ArticleContext(outputs.text, outputs.offsets, outputs.propaganda)
    fragments = []
    for start, end, raw in spans:
        score = float(calibration(raw))
        probs, probabilities = judge.judge_fragment(context, technique_probs(outputs, lowered, start, end, feature_weights), score, start, end)
        fragments.append(Fragment(start, end, score, probs, probabilities))
    return fragments


def label_fragments(
    article_id: str, fragments: list[Fragment], second_label: float = 1.0
) -> list[LabelledSpan]:
    """FLC lines: each fragment once per label (see Fragment.labels)."""
    return [
        LabelledSpan(article_id, f.start, f.end, technique) for f in fragments for technique, _ in f.labels(second_label)
    ]


def label_template(
    outputs: dict[str, TokenOutputs], template: list[LabelledSpan], feature_weights: FloatArray, judge: Judge | None = None
) -> list[LabelledSpan]:
    """TC: name the technique of each given span; a span listed k times gets its k most likely techniques.
    With a judge, the techniques are judged with the article in view."""
    lowered = {a: lower_same_length(o.text) for a, o in outputs.items()}
    contexts = {a: ArticleContext(o.text, o.offsets, o.propaganda) for a, o in outputs.items()} if judge is not None else {}
    seen: dict[tuple[str, int, int], int] = {}
    answers = []
    for span in template:
        key = (span.article_id, span.start, span.end)
        rank = seen.get(key, 0)
        seen[key] = rank + 1
        out = outputs[span.article_id]
        probs = technique_probs(out, lowered[span.article_id], span.start, span.end, feature_weights)
        if judge is not None:
            probs = judge.technique_probs(contexts[span.article_id], probs, span.start, span.end)
        answers.append(replace(span, technique=TECHNIQUES[int(np.argsort(-probs)[min(rank, len(TECHNIQUES) - 1)])]))
    return answers


class TechniqueModel:
    """The shipped technique model: ONNX encoder with both heads, tokenizer and model card.

    session: an onnxruntime InferenceSession; tokenizer: a tokenizers.Tokenizer (both typed Any: the
    libraries' boundary)."""

    def __init__(self, folder: Path, session: Any, tokenizer: Any, card: ModelCard, workers: int = 1) -> None:
        self.folder = folder
        self.session = session
        self.pool = ThreadPoolExecutor(workers) if workers > 1 else None
        self.tokenizer = tokenizer
        self.card = card
        self.encodings_outputs: tuple[EncodingsName, ...] = tuple(
            name for name in ENCODINGS_NAMES if name in {output.name for output in session.get_outputs()})
        self.cls_id: int = tokenizer.token_to_id("[CLS]")
        self.sep_id: int = tokenizer.token_to_id("[SEP]")
        self.feature_weights: FloatArray = np.asarray(required(card.span_feature_weights, "span_feature_weights"), dtype=np.float32)
        # Span identification and labelled fragments are decoded with settings tuned for each (card).
        no_settings: DecodeRecord = {}
        decode = card.decode if card.decode is not None else no_settings
        self.si_settings = DecodeSettings(**decode)
        self.settings = DecodeSettings(**(card.flc_decode if card.flc_decode is not None else decode))
        self.second_label = float(card.second_label if card.second_label is not None else 1.0)
        self.judge: Judge | None = None
        uncalibrated: PlattRecord = {}
        self.fragment_calibration = Calibration(**(card.fragment_calibration if card.fragment_calibration is not None else uncalibrated))
        self.sentence_calibration = Calibration(**(card.sentence_calibration if card.sentence_calibration is not None else uncalibrated))

    @classmethod
    def load(cls, folder: Path, threads: int | None = None, parallel_windows: bool = PARALLEL_WINDOWS) -> TechniqueModel:
        """threads: CPU threads to use (None: all cores). With parallel_windows, that many windows run
        at once on one thread each; otherwise one window at a time on all the threads."""

        folder = Path(folder)
        threads = threads or os.cpu_count() or 1
        session = onnx_session(folder / "model.onnx", 1 if parallel_windows else threads)
        check_graph(session, folder / "model.onnx", {"input_ids", "attention_mask"}, {"propaganda", "technique_logits", "encodings"})
        card = ModelCard.read(folder / "card.json")
        model = cls(folder, session, load_tokenizer(folder / "tokenizer.json"), card, threads if parallel_windows else 1)
        if (folder / "judge.json").is_file():  # fitted after training on out-of-fold outputs (training/stacker.py)
            model.judge = Judge.read(folder / "judge.json")
            if model.judge.si_threshold is not None:  # chosen by cross-validation, after the card's
                model.si_settings = replace(model.si_settings, threshold=model.judge.si_threshold)
        return model

    def encode(self, text: str) -> EncodedArticle:
        return encode(self.tokenizer, text)

    def missing_encodings(self, names: Iterable[str]) -> list[str]:
        """Those of `names` that this graph does not give as encodings outputs (an older graph has no
        middle_encodings)."""
        return [name for name in names if name not in self.encodings_outputs]

    def run(self, texts: list[str], encodings: Collection[str] = ()) -> list[TokenOutputs]:
        """Encoder outputs for several articles; also the encodings outputs named in `encodings` (of
        encodings_outputs: a ValueError for another), and only those, so that no caller copies and stitches
        a layer it never reads.

        Each window runs alone: int8 dynamic quantisation scales activations per batch, so a window
        batched with others would score slightly differently than it does alone. Throughput comes
        from running windows on parallel threads instead (onnxruntime releases the GIL).
        """
        encoded = [self.encode(t) for t in texts]
        ids, mask, rows = batch_inputs(encoded, self.cls_id, self.sep_id)
        if unknown := self.missing_encodings(encodings):
            raise ValueError(f"the technique model's graph has no encodings output {unknown}; it has {list(self.encodings_outputs)}")
        names = ["propaganda", "technique_logits"] + [name for name in self.encodings_outputs if name in encodings]

        def window(r: int) -> list[FloatArray]:
            n = rows[r][2] - rows[r][1]
            results: list[FloatArray] = self.session.run(names, {"input_ids": ids[r : r + 1, : n + 2], "attention_mask": mask[r : r + 1, : n + 2]})
            return [result[0, 1 : n + 1] for result in results]

        per_window = list(self.pool.map(window, range(len(rows)))) if self.pool else [window(r) for r in range(len(rows))]
        outputs = []
        for a, (text, article) in enumerate(zip(texts, encoded)):
            mine = [r for r, row in enumerate(rows) if row[0] == a]
            spans = [(rows[r][1], rows[r][2]) for r in mine]
            n = len(article.ids)
            merged = dict(zip(names, (gather_windows(n, spans, [per_window[r][k] for r in mine]) for k in range(len(names)))))
            outputs.append(TokenOutputs(text, article.offsets, merged["propaganda"], merged["technique_logits"].reshape(n, len(TECHNIQUES)),
                                        merged.get("encodings"), merged.get("middle_encodings")))
        return outputs

    def fragments(self, outputs: TokenOutputs) -> list[Fragment]:
        """Labelled fragments, as an analysis shows them (decoded for fragment-level classification)."""
        return find_fragments(outputs, self.settings, self.feature_weights, self.fragment_calibration, self.judge)

    @property
    def min_probability(self) -> float | None:
        """The default probability from which a (fragment, technique) is shown; None without a judge."""
        return self.judge.min_probability if self.judge is not None else None

    def flags(self, fragment: Fragment, min_probability: float | None = None) -> list[tuple[str, float, float | None]]:
        """(technique, technique probability, probability or None) to show for a fragment: with a judge,
        each technique from `min_probability` on (the judge's default when None); without one, the top
        technique and a runner-up above the card's second_label."""
        if self.judge is None:
            return [(technique, p, None) for technique, p in fragment.labels(self.second_label)]
        return list(fragment.flags(self.judge.min_probability if min_probability is None else min_probability))

    def flc_labels(self, article_id: str, outputs: TokenOutputs) -> list[LabelledSpan]:
        """FLC lines for `predict ptc-flc`: with a judge, fragments decoded at the judge's FLC token threshold
        (where it has one) and each technique from the probability threshold, both chosen for FLC F1 on the
        folds."""
        if self.judge is None:
            return label_fragments(article_id, self.fragments(outputs), self.second_label)
        settings = self.settings if self.judge.flc_fragment_threshold is None else replace(self.settings, threshold=self.judge.flc_fragment_threshold)
        fragments = find_fragments(outputs, settings, self.feature_weights, self.fragment_calibration, self.judge.for_flc())
        threshold = self.judge.flc_min_probability
        return [LabelledSpan(article_id, f.start, f.end, t) for f in fragments for t, _, _ in f.flags(threshold)]

    def si_spans(self, outputs: TokenOutputs) -> list[tuple[int, int, float]]:
        """Propaganda spans, technique ignored, decoded for span identification (`predict ptc-si`)."""
        return decode_spans(outputs.text, outputs.offsets, outputs.propaganda, self.si_settings)


def sentence_raw_score(outputs: TokenOutputs, start: int, end: int) -> float:
    """Highest token probability in a sentence: the raw score of 'this sentence holds a technique'."""
    inside = (outputs.offsets[:, 0] >= start) & (outputs.offsets[:, 1] <= end)
    return float(outputs.propaganda[inside].max()) if inside.any() else 0.0
