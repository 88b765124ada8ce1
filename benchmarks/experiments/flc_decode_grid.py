"""FLC by the token threshold (and merge gap, minimum length, smoothing) of the fragments it reads, the presence
side refitted for each as judge_cv.py fits it, with the technique heads' L2 and class weighting fixed at 0.01
and 0.25 for speed: the first look behind `predict ptc-flc`'s own fragments (docs/benchmarks.md, "FLC's own
fragments"; judge_cv.py then chose the threshold nested).

    python benchmarks/experiments/flc_decode_grid.py 0.35,3,4 0.5,3,4 0.35,3,4,3 ...   # threshold,gap,min chars[,smooth]
"""

from __future__ import annotations

import sys

import numpy as np
from folds import CALIBRATION, folds

import judge_cv
from judge_cv import PresenceFits, flags
from spinlens.evaluate.ptc import flc_score
from spinlens.techniques.decoding import DecodeSettings
from spinlens.training.stacker import fold_rows

judge_cv.choose_tc = lambda parts, golds: (0.01, 0.25)  # fixed, for speed
loaded = folds()
golds = [g for _, _, g in loaded]
for setting in sys.argv[1:]:
    values = [float(v) for v in setting.split(",")]
    settings = DecodeSettings(values[0], int(values[1]), int(values[2]), int(values[3]) if len(values) > 3 else 1)
    fits = PresenceFits({settings.threshold: [fold_rows(o, g, w, settings, CALIBRATION) for o, w, g in loaded]}, golds)
    scores = []
    for k in range(len(loaded)):
        fitted = fits.fit(tuple(j for j in range(len(loaded)) if j != k), settings.threshold)
        p, _ = fits.probabilities(k, fitted, settings.threshold)
        scores.append(flc_score(flags(fits.rows_at[settings.threshold][k], p, fitted.flc_threshold), golds[k]).overall.f1)
    print(setting, " ".join(f"{v:.4f}" for v in scores), f"mean {np.mean(scores):.4f}", flush=True)
