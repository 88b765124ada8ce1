"""What the experiment scripts beside this file share: the five folds of out-of-fold encoder outputs of
`benchmarks/kfold.py`, their gold lines and their judge rows. Run the scripts from the repository root:

    python benchmarks/experiments/NAME.py      # reads ../shared/data/ptc and ~/spinlens-kfold

Each was one experiment of docs/experiments.md, tried and not kept (or, for flc_decode_grid.py, a first look);
none is part of the product.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/: kfold.py, judge_cv.py

from kfold import load_out_of_fold  # noqa: E402
from spinlens.formats.ptc import LabelledSpan, read_articles, read_labels  # noqa: E402
from spinlens.models import TECHNIQUES as SHIPPED  # noqa: E402
from spinlens.techniques.decoding import DecodeSettings  # noqa: E402
from spinlens.techniques.inference import Calibration  # noqa: E402
from spinlens.training.stacker import FoldRows, fold_rows  # noqa: E402

DATA = Path("../shared/data/ptc")
RUNS = Path.home() / "spinlens-kfold"
CARD = json.loads((SHIPPED / "card.json").read_text())
ARTICLES = read_articles(DATA / "train-articles")
LABELS = read_labels(DATA / "train-labels-task2-technique-classification")
CALIBRATION = Calibration(**CARD["fragment_calibration"])


def folds() -> list[tuple[dict, object, list[LabelledSpan]]]:
    """Each fold's (TokenOutputs by article id, span-feature weights, gold lines)."""
    result = []
    for fold_dir in sorted(RUNS.glob("fold*")):
        outputs, weights = load_out_of_fold(fold_dir / "oof.npz", ARTICLES)
        result.append((outputs, weights, [s for s in LABELS if s.article_id in outputs]))
    return result


def rows(threshold: float | None = None, loaded: list | None = None) -> tuple[list[FoldRows], list[list[LabelledSpan]]]:
    """Each fold's judge rows, fragments decoded with the card's flc_decode (at `threshold` if given), and gold;
    `loaded`: folds() where the caller has read them already."""
    settings = DecodeSettings(**CARD["flc_decode"])
    if threshold is not None:
        settings = DecodeSettings(threshold, settings.merge_gap, settings.min_chars, settings.smooth)
    loaded = folds() if loaded is None else loaded
    return [fold_rows(o, g, w, settings, CALIBRATION) for o, w, g in loaded], [g for _, _, g in loaded]


class Honest:
    """Fold rows with lexical features from a model fitted without their fold and without `without` (as
    judge_cv.py's `honest`), each model fitted once."""

    def __init__(self, fold_rows_: list[FoldRows]) -> None:
        self.rows = fold_rows_
        self.models: dict[frozenset[int], object] = {}

    def __call__(self, j: int, without: list[int]) -> FoldRows:
        from spinlens.training.lexical import fit_lexical
        from spinlens.training.stacker import span_texts, with_lexical

        key = frozenset(i for i in range(len(self.rows)) if i != j and i not in without)
        if key not in self.models:
            self.models[key] = fit_lexical([t for i in key for t in span_texts(self.rows[i], ARTICLES)],
                                           np.concatenate([self.rows[i].tc_targets for i in key]))
        return with_lexical(self.rows[j], self.models[key], ARTICLES)  # type: ignore[arg-type]
