"""The logistic and softmax functions over numpy arrays, for the models' outputs."""

from __future__ import annotations

import numpy as np

from .arrays import FloatArray


def sigmoid(x: FloatArray) -> FloatArray:
    result: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return result


def softmax(x: FloatArray, axis: int = -1) -> FloatArray:
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    result: FloatArray = z / z.sum(axis=axis, keepdims=True)
    return result
