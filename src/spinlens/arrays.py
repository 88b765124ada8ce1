"""The array types that flow between the stages, for annotations: what the models give and take."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# Scores, probabilities, logits and encodings: float32 from the ONNX models, float64 once calibrated.
FloatArray = NDArray[np.floating]
# Token ids, (n, 2) code-point offsets, tag indices.
IntArray = NDArray[np.integer]
# Masks: which characters are quoted, which tokens fall in a span.
BoolArray = NDArray[np.bool_]
