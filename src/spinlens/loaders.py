"""The one place that loads models; loaded models are cached per (folder, threads)."""

from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from .attribution.tagger import AttributionTagger
from .errors import ModelError
from .models import ATTRIBUTION, TECHNIQUES
from .techniques.evidence import ExampleIndex
from .techniques.inference import TechniqueModel

Model = TypeVar("Model", TechniqueModel, AttributionTagger)
# What reading a broken model file raises: a card that is not UTF-8 JSON (ValueError), or JSON without what the
# model needs (KeyError, TypeError, AttributeError: a list, a missing key); an ONNX file of another model
# (ValueError); an .npz that is not one (ValueError: numpy takes it for a pickle) or is cut short (BadZipFile).
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile)


def _load(model_class: type[Model], folder: Path, names: tuple[str, ...], threads: int | None) -> Model:
    """`model_class.load(folder)` once the folder holds `names`; an unreadable file is a ModelError."""
    folder = Path(folder)
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"model folder {folder} lacks {', '.join(missing)}")
    try:
        return model_class.load(folder, threads=threads)
    except UNREADABLE as error:
        raise ModelError(f"model folder {folder}: cannot read it ({type(error).__name__}: {error})") from None


@lru_cache(maxsize=4)
def technique_model(folder: Path = TECHNIQUES, threads: int | None = None) -> TechniqueModel:
    return _load(TechniqueModel, folder, ("model.onnx", "tokenizer.json", "card.json"), threads)


@lru_cache(maxsize=4)
def attribution_tagger(folder: Path = ATTRIBUTION, threads: int | None = None) -> AttributionTagger:
    return _load(AttributionTagger, folder, ("tagger.onnx", "card.json"), threads)


EXAMPLES_FILE = "examples.npz"


@lru_cache(maxsize=4)
def example_index(folder: Path = TECHNIQUES, encoder: str | None = None) -> ExampleIndex:
    """The technique model's index of annotated examples (for explain), checked to be built with the
    encoder version `encoder`: another encoder's representations are not comparable."""
    path = Path(folder) / EXAMPLES_FILE
    if not path.is_file():
        raise ModelError(f"model folder {folder} has no {EXAMPLES_FILE} for explain: build it with 'spinlens train examples --data PTC --model {folder}'")
    try:
        index = ExampleIndex.read(path)
    except UNREADABLE as error:  # not an npz, or not this layout
        raise ModelError(f"{path}: cannot read it ({type(error).__name__}: {' '.join(str(error).split())})") from None
    if encoder is not None and index.encoder != encoder:
        raise ModelError(
            f"{path} was built with technique model {index.encoder}, not {encoder}: "
            f"rebuild it with 'spinlens train examples --data PTC --model {folder}'"
        )
    return index
