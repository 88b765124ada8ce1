"""The one place that loads models; loaded models are cached per (folder, threads)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

SHIPPED = Path(__file__).parent
TECHNIQUES = SHIPPED / "techniques"
ATTRIBUTION = SHIPPED / "attribution"


def onnx_session(path: Path, threads: int | None = None):
    """An onnxruntime CPU session; `threads` caps intra-op threads (None: onnxruntime's default)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime's errors (InvalidProtobuf, NoSuchFile …) share no narrower base
        raise ModelError(f"{path} is not an ONNX model onnxruntime can load ({str(error)[:200]})") from None


def check_graph(session, path: Path, inputs: set[str], outputs: set[str]) -> None:
    """Raise ValueError unless the ONNX graph has these inputs and outputs (another model's file loads
    fine and fails only when run)."""
    has_inputs = {i.name for i in session.get_inputs()}
    has_outputs = {o.name for o in session.get_outputs()}
    if not (inputs <= has_inputs and outputs <= has_outputs):
        raise ValueError(f"{path.name} is another kind of model (inputs {sorted(has_inputs)}, outputs {sorted(has_outputs)})")


def model_version(onnx_file: Path) -> str:
    """A trained model's version: its training date and the start of its ONNX file's SHA-256, so two
    models trained on one day differ and a tagger can name the exact encoder it was trained on."""
    import hashlib
    from datetime import date

    return f"{date.today().isoformat()}+{hashlib.sha256(Path(onnx_file).read_bytes()).hexdigest()[:8]}"


def _load(model_class, folder: Path, names: tuple[str, ...], threads: int | None):
    """`model_class.load(folder)` once the folder holds `names`; an unreadable file is a ModelError."""
    folder = Path(folder)
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"model folder {folder} lacks {', '.join(missing)}")
    try:
        return model_class.load(folder, threads=threads)
    # A card that is not UTF-8 JSON (ValueError), or JSON without what the model needs (KeyError, TypeError,
    # AttributeError: a list, a missing key); an ONNX file of another model (ValueError).
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelError(f"model folder {folder}: cannot read it ({type(error).__name__}: {error})") from None


@lru_cache(maxsize=4)
def technique_model(folder: Path = TECHNIQUES, threads: int | None = None):
    from ..techniques.inference import TechniqueModel

    return _load(TechniqueModel, folder, ("model.onnx", "tokenizer.json", "card.json"), threads)


@lru_cache(maxsize=4)
def attribution_tagger(folder: Path = ATTRIBUTION, threads: int | None = None):
    from ..attribution.tagger import AttributionTagger

    return _load(AttributionTagger, folder, ("tagger.onnx", "card.json"), threads)
