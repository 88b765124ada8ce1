"""The technique model in torch and its training loop: epochs that resume, validation, out-of-fold outputs."""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from ..activations import sigmoid
from ..arrays import FloatArray
from ..cards import AccuracyRecord, DecodeRecord, PRFRecord
from ..formats.ptc import read_articles, read_labels
from ..labels import TECHNIQUES
from ..techniques.decoding import N_SPAN_FEATURES
from ..techniques.encoding import EncodedArticle, batch_inputs, encode, gather_windows, load_tokenizer
from ..techniques.inference import TokenOutputs
from .config import TrainConfig, base_model_dir
from .examples import (
    WindowExample,
    build_examples,
    class_weights,
    fold_ids,
    span_targets,
    split_ids,
)
from .tuning import evaluate_outputs

# torch is the train extra's (absent where analysis and CI run): its models, tensors and optimisers are Any.


class BestEpoch(TypedDict, total=False):
    """The epoch kept, with its validation scores (tuning.SplitScores) when it was chosen on validation."""

    epoch: int
    decode: DecodeRecord
    si: PRFRecord
    si_crossfit: float
    tc: AccuracyRecord
    flc: PRFRecord


class CheckpointMeta(TypedDict):
    """What train_checkpoint says of its checkpoint (also written beside it, checkpoint.json)."""

    train_ids: list[str]
    val_ids: list[str]
    best: BestEpoch
    base: str


def _torch_model(base: Path) -> Any:
    import torch  # lazy: the train extra; CI and analysis run without torch
    from torch import nn
    from transformers import AutoModel

    class TechniqueModel(nn.Module):  # type: ignore[misc, unused-ignore]  # nn.Module is Any where torch (the train extra) is missing
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(0.1)
            self.si = nn.Linear(hidden, 1)
            self.technique = nn.Linear(hidden, len(TECHNIQUES))
            self.span_features = nn.Linear(N_SPAN_FEATURES, len(TECHNIQUES), bias=False)
            nn.init.zeros_(self.span_features.weight)

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any, Any]:
            """Propaganda logit and technique logits per token, and the encodings they came from."""
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            dropped = self.dropout(hidden)
            return self.si(dropped).squeeze(-1), self.technique(dropped), hidden

    torch.manual_seed(0)
    return TechniqueModel()


def _collate(batch: list[WindowExample], cls_id: int, sep_id: int) -> tuple[Any, ...]:
    import torch  # lazy: the train extra; CI and analysis run without torch

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


def train_checkpoint(config: TrainConfig, log: Callable[[str], object] = print) -> tuple[Path, CheckpointMeta]:
    """Fine-tune and keep the epoch with the best validation SI F1 + TC accuracy; returns its path."""
    import torch  # lazy: the train extra; CI and analysis run without torch
    import torch.nn.functional as F


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
    best_score, best_metrics = -1.0, BestEpoch()
    checkpoint = Path(config.out) / "checkpoint.pt"
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    order = list(range(len(examples)))
    # Each epoch ends with a state to resume from: a run killed (a session's end) goes on where it stopped.
    resume = Path(config.out) / "resume.pt"
    first = 1
    if resume.is_file():
        state: Any = torch.load(resume, weights_only=False)
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
            loss: Any = (F.binary_cross_entropy_with_logits(si_logits, si, reduction="none") * si_mask).sum() / si_mask.sum()
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
                best_metrics = BestEpoch(epoch=epoch)
                torch.save(model.state_dict(), checkpoint)
            _save_resume(resume, config, model, optimizer, scheduler, epoch, best_score, best_metrics)
            continue
        model.eval()
        outputs = _predict_torch(model, val_encoded, cls_id, sep_id, encodings=config.folds > 1)
        feature_weights: FloatArray = model.span_features.weight.detach().numpy().T.copy()
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
            best_score, best_metrics = score, BestEpoch(epoch=epoch, **metrics)
            torch.save(model.state_dict(), checkpoint)
        _save_resume(resume, config, model, optimizer, scheduler, epoch, best_score, best_metrics)
    resume.unlink(missing_ok=True)
    meta = CheckpointMeta(train_ids=train_ids, val_ids=val_ids, best=best_metrics, base=str(base))
    (Path(config.out) / "checkpoint.json").write_text(json.dumps(meta, indent=1))
    return checkpoint, meta


def _resume_key(config: TrainConfig) -> dict[str, str]:
    """What a resumed run must share with the one that saved the state."""
    return {key: str(getattr(config, key)) for key in ("data", "epochs", "schedule_epochs", "seed", "batch_size", "lr",
                                                        "head_lr", "sentence_weight", "folds", "fold", "limit", "base_model")}


def _save_resume(
    path: Path, config: TrainConfig, model: Any, optimizer: Any, scheduler: Any, epoch: int, best_score: float, best_metrics: BestEpoch
) -> None:
    import torch  # lazy: the train extra; CI and analysis run without torch

    partial = path.with_suffix(".partial")
    torch.save({"config": _resume_key(config), "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "rng": torch.get_rng_state(), "epoch": epoch,
                "best_score": best_score, "best_metrics": best_metrics}, partial)
    partial.replace(path)  # whole or not at all: a kill while writing leaves the previous epoch's state


def _save_out_of_fold(
    path: Path, encoded: dict[str, EncodedArticle], outputs: dict[str, tuple[FloatArray, ...]], feature_weights: FloatArray
) -> None:
    """The validation articles' outputs, for models fitted on top of the encoder without their own
    articles in its training: per article the token offsets, propaganda probabilities, technique logits
    and encodings (float16), and the span-feature weights."""
    arrays: dict[str, Any] = {"feature_weights": feature_weights}  # arrays (Any: numpy's stubs take ** for its allow_pickle flag)
    for a, (si, tech, enc) in outputs.items():
        arrays[f"{a}/offsets"] = encoded[a].offsets
        arrays[f"{a}/propaganda"] = si.astype(np.float32)
        arrays[f"{a}/techniques"] = tech.astype(np.float32)
        arrays[f"{a}/encodings"] = enc.astype(np.float16)
    np.savez_compressed(path, **arrays)


def _predict_torch(
    model: Any, encoded: dict[str, EncodedArticle], cls_id: int, sep_id: int, batch_size: int = 32, encodings: bool = False
) -> dict[str, tuple[FloatArray, ...]]:
    """Per article, the propaganda probabilities and technique logits per token, and the encodings when asked for."""
    import torch  # lazy: the train extra; CI and analysis run without torch


    outputs: dict[str, tuple[FloatArray, ...]] = {}
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
