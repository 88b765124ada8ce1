"""Model cards: the card.json beside each model, which its trainer writes and its loader reads.

One ModelCard serves both models. The technique model's card holds its labels, span-feature weights, decode
settings and calibrations; the attribution tagger's its tags, tag biases and the encoder it reads. A field
a card does not have is None. The card round-trips its JSON exactly: `to_dict` gives back the keys of the
JSON it was read from in their order (a null stays a null), and keys this version does not know are kept
in `extra`. Keys a card gains are written after those it had, in the order of the fields below (the order
in which training adds them).

Standard library only: the layer of model files, below everything that loads or trains a model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, TypedDict, TypeVar, get_args

_Value = TypeVar("_Value")


class DecodeRecord(TypedDict, total=False):
    """techniques.decoding.DecodeSettings as a card holds it (a setting left out takes its default)."""

    threshold: float
    merge_gap: int
    min_chars: int
    smooth: int


class PlattRecord(TypedDict, total=False):
    """techniques.inference.Calibration as a card holds it: p = sigmoid(a * logit(raw) + b)."""

    a: float
    b: float


class DataRecord(TypedDict, total=False):
    """What a model was trained on: PTC articles (technique model) or PolNeAR texts (attribution tagger)."""

    corpus: str
    path: str
    train_articles: int
    validation_articles: int
    validation_ids: list[str]
    train_texts: int
    dev_texts: int


class TrainingRecord(TypedDict, total=False):
    """A trainer's configuration as JSON (paths as strings): training.config.TrainConfig, or
    training.attribution.AttributionTrainConfig."""

    data: str
    out: str
    techniques: str
    epochs: int
    schedule_epochs: int | None
    seed: int
    val_fraction: float
    batch_size: int
    lr: float
    head_lr: float
    sentence_weight: float
    hidden: int
    folds: int
    fold: int
    threads: int
    limit: int | None
    base_model: str | None
    final_from: str | None
    command: str


class PRFRecord(TypedDict):
    precision: float
    recall: float
    f1: float


class AccuracyRecord(TypedDict):
    accuracy: float


class FLCRecord(TypedDict):
    precision: float
    recall: float
    f1: float
    per_technique: dict[str, float]  # F1 by technique, rounded to 4 places


class ValidationRecord(TypedDict):
    """The technique model's scores on its validation split, with the settings tuning chose."""

    si: PRFRecord
    si_crossfit: float
    tc: AccuracyRecord
    flc: FLCRecord
    ece_fragment_raw: float
    ece_fragment_calibrated_crossfit: float
    ece_sentence_raw: float
    ece_sentence_calibrated_crossfit: float


class RecipeRecord(TypedDict, total=False):
    """A final run's record of the validated run whose recipe it trained with."""

    command: str
    tuning_command: str
    data: DataRecord
    selected_epoch: int
    validation: ValidationRecord
    equivalent_command: str
    note: str


class TaggerScores(TypedDict):
    """The attribution tagger's token-level scores on PolNeAR dev (evaluate.attribution), per role and micro."""

    Source: PRFRecord
    Cue: PRFRecord
    Content: PRFRecord
    micro: PRFRecord
    cue_recall: float


class GraphEditRecord(TypedDict):
    """An edit of a shipped ONNX graph after training that leaves every output as it is (training/graph.py)."""

    date: str
    edit: str  # what was changed, and how the outputs were checked to be the same
    model_onnx_sha256: str  # the edited file's SHA-256 (the version names the file as trained)


class TokenFeaturesRecord(TypedDict):
    """Attribution tagger: the hand features it reads beside the encodings (attribution.token_features), in
    the order of its input's columns, and the reporting words they look up, as they were when it was trained."""

    names: list[str]
    reporting_words: list[str]


class TeacherRecord(TypedDict):
    """Attribution tagger distilled from another: the teacher's version, architecture, command and dev scores."""

    version: str
    architecture: str
    command: str
    dev: TaggerScores


class EpochRecord(TypedDict):
    epoch: int
    micro_f1: float
    cue_f1: float


class MemberRecord(TypedDict):
    """Attribution tagger trained as an ensemble: one member's seed, the epoch kept and its dev scores by epoch."""

    seed: int
    selected_epoch: int
    history: list[EpochRecord]


# The technique model graph's outputs of token encodings: the last layer's, and a middle layer's in graphs that
# expose it (training/graph.py). An attribution tagger's card names those it reads (encoder_outputs).
EncodingsName = Literal["encodings", "middle_encodings"]
ENCODINGS_NAMES: tuple[EncodingsName, ...] = get_args(EncodingsName)


def tagger_encodings(middle: bool) -> list[EncodingsName]:
    """The encodings outputs a tagger reads, in order: the middle layer's before the last layer's, or the last alone."""
    return ["middle_encodings", "encodings"] if middle else ["encodings"]


@dataclass(frozen=True)
class ModelCard:
    """A model's card.json. The fields are in the order training writes them (see the module's docstring)."""

    name: str | None = None
    version: str | None = None  # training date + the start of the ONNX file's SHA-256 (sessions.model_version)
    base_model: str | None = None  # technique model: the encoder it was fine-tuned from
    architecture: str | None = None  # attribution tagger
    encoder: str | None = None  # attribution tagger: the version of the technique model whose encodings it reads
    # Attribution tagger: which of that model's ENCODINGS_NAMES it reads, side by side (None: "encodings" alone,
    # as taggers before the middle layer; reads_outputs says so).
    encoder_outputs: list[str] | None = None
    labels: list[str] | None = None  # technique model: labels.TECHNIQUES
    tags: list[str] | None = None  # attribution tagger: attribution.data.TAGS
    span_feature_weights: list[list[float]] | None = None  # technique model: (N_SPAN_FEATURES, len(TECHNIQUES))
    data: DataRecord | None = None
    training: TrainingRecord | None = None
    selected_epoch: int | None = None
    history: list[EpochRecord] | None = None  # attribution tagger: dev scores after each epoch
    dev_untuned: TaggerScores | None = None  # attribution tagger, before tag_bias
    tag_bias: list[float] | None = None  # attribution tagger: per-tag logit offsets, one per tag
    dev: TaggerScores | None = None  # attribution tagger, with tag_bias
    date: str | None = None
    command: str | None = None
    tuning_command: str | None = None  # technique model: `spinlens train tune` run after training
    # Technique model: decode settings for span identification (decode) and labelled fragments (flc_decode),
    # the runner-up's probability for a second label, and Platt calibrations of the scores.
    decode: DecodeRecord | None = None
    flc_decode: DecodeRecord | None = None
    second_label: float | None = None
    fragment_calibration: PlattRecord | None = None
    sentence_calibration: PlattRecord | None = None
    validation: ValidationRecord | None = None
    recipe: RecipeRecord | None = None  # a final run: the validated run it took its recipe from
    training_seconds: int | None = None
    graph_edits: list[GraphEditRecord] | None = None  # technique model: edits of model.onnx since training
    token_features: TokenFeaturesRecord | None = None  # attribution tagger: None reads the encodings alone
    members: list[MemberRecord] | None = None  # attribution tagger: the taggers whose logits it averages (None: one)
    teacher: TeacherRecord | None = None  # attribution tagger: the tagger it was distilled from (None: none)
    extra: dict[str, Any] = field(default_factory=dict)  # keys of the JSON this version does not know, kept
    key_order: tuple[str, ...] = field(default=(), compare=False, repr=False)  # the JSON's keys as read

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelCard:
        """The card of a card.json's parsed content. Values are taken as they are (a loader checks what it
        uses); a TypeError for anything but a JSON object."""
        if not isinstance(data, Mapping):
            raise TypeError(f"a model card is a JSON object, not {type(data).__name__}")
        known = {key: value for key, value in data.items() if key in _FIELDS}
        extra = {key: value for key, value in data.items() if key not in _FIELDS}
        return cls(**known, extra=extra, key_order=tuple(data))

    @classmethod
    def read(cls, path: Path) -> ModelCard:
        """The card in a card.json file: OSError, ValueError (not UTF-8, not JSON) or TypeError otherwise."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def reads_outputs(self) -> list[str]:
        """Attribution tagger: the encodings outputs it reads, in order (its card's encoder_outputs; a card
        without them, "encodings" alone)."""
        return list(self.encoder_outputs) if self.encoder_outputs is not None else ["encodings"]

    def to_dict(self) -> dict[str, Any]:
        """The card as JSON: the keys it was read with, in their order; then the fields it has gained
        (those not None) in the order of the fields; then unknown keys given in `extra` alone."""
        values = {name: getattr(self, name) for name in _FIELDS}
        out: dict[str, Any] = {}
        for key in self.key_order:
            if key in values:
                out[key] = values[key]
            elif key in self.extra:
                out[key] = self.extra[key]
        for key, value in values.items():
            if key not in out and value is not None:
                out[key] = value
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    def to_json(self) -> str:
        """The card.json text, as the trainers have always written it (one space of indent, ASCII)."""
        return json.dumps(self.to_dict(), indent=1)

    def write(self, path: Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    def updated(self, changes: Mapping[str, Any]) -> ModelCard:
        """The card with `changes` made to its JSON as dict.update makes them: a key it has keeps its place,
        a new one goes last. For keys carried from one card to another as they are there (nulls too)."""
        data = self.to_dict()
        data.update(changes)
        return ModelCard.from_dict(data)

    # The card read as its JSON, for scripts that look keys up by name (benchmarks/): typed code reads the fields.
    def __contains__(self, key: object) -> bool:
        return key in self.to_dict()

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.to_dict().get(key, default)


_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ModelCard) if f.name not in ("extra", "key_order"))


def required(value: _Value | None, key: str) -> _Value:
    """A card's `value` that a model cannot do without: a KeyError naming its `key` when the card lacks it,
    as looking the key up in the card's JSON gives."""
    if value is None:
        raise KeyError(key)
    return value
