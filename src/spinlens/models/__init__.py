"""The one place that loads models; loaded models are cached per (folder, threads)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

SHIPPED = Path(__file__).parent
TECHNIQUES = SHIPPED / "techniques"


@lru_cache(maxsize=4)
def technique_model(folder: Path = TECHNIQUES, threads: int | None = None):
    from ..techniques.inference import TechniqueModel

    folder = Path(folder)
    missing = [name for name in ("model.onnx", "tokenizer.json", "card.json") if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"model folder {folder} lacks {', '.join(missing)}")
    return TechniqueModel.load(folder, threads=threads)
