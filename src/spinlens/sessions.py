"""ONNX helpers: a CPU inference session, a check of a graph's inputs and outputs, a model file's version."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from .errors import ModelError


def onnx_session(path: Path, threads: int | None = None) -> Any:
    """An onnxruntime CPU session; `threads` caps intra-op threads (None: onnxruntime's default)."""
    import onnxruntime  # lazy: a third of a second, and only analysis needs it (`spinlens --help` does not)

    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime's errors (InvalidProtobuf, NoSuchFile …) share no narrower base
        raise ModelError(f"{path} is not an ONNX model onnxruntime can load ({str(error)[:200]})") from None


def check_graph(session: Any, path: Path, inputs: set[str], outputs: set[str]) -> None:
    """Raise ValueError unless the ONNX graph has these inputs and outputs (another model's file loads
    fine and fails only when run)."""
    has_inputs = {i.name for i in session.get_inputs()}
    has_outputs = {o.name for o in session.get_outputs()}
    if not (inputs <= has_inputs and outputs <= has_outputs):
        raise ValueError(f"{path.name} is another kind of model (inputs {sorted(has_inputs)}, outputs {sorted(has_outputs)})")


def model_version(onnx_file: Path) -> str:
    """A trained model's version: its training date and the start of its ONNX file's SHA-256, so two
    models trained on one day differ and a tagger can name the exact encoder it was trained on."""
    return f"{date.today().isoformat()}+{hashlib.sha256(Path(onnx_file).read_bytes()).hexdigest()[:8]}"
