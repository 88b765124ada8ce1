"""Train the attribution tagger on PolNeAR: `spinlens train attribution`. Needs the `train` extra.

The tagger is a small BiLSTM over the technique model's token encodings (its ONNX graph exposes
them), so analysis runs the transformer once for both tasks and ships one encoder. It tags each
word piece O / B-Role / I-Role for Source, Cue and Content; the extractor turns the tags into
attributions. Chosen on PolNeAR dev by token-level micro F1 (the benchmark's definition).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

from ..arrays import FloatArray, IntArray
from ..attribution.claims import REPORTING_WORDS
from ..attribution.data import TAGS, read_polnear, token_tags
from ..attribution.extractor import attributions_from_tags, to_brat
from ..attribution.tagger import FEATURES_INPUT, AttributionTagger
from ..attribution.token_features import TOKEN_FEATURES, token_features
from ..cards import (
    DataRecord,
    EpochRecord,
    MemberRecord,
    ModelCard,
    PRFRecord,
    TaggerScores,
    TeacherRecord,
    TokenFeaturesRecord,
    required,
    tagger_encodings,
)
from ..errors import InputError
from ..evaluate.attribution import RoleScore, attribution_scores, cue_recall
from ..formats.brat import BratDocument, parse_brat
from ..sessions import model_version
from ..techniques.inference import TechniqueModel, TokenOutputs
from .config import EPOCHS, training_record

CHUNK = 512  # tokens per training sequence

# PolNeAR texts by name: (text, gold attributions).
Documents = dict[str, tuple[str, BratDocument]]
# The same texts encoded: (encodings as float16, with the token features after them where the tagger reads
# them; tag per token; the technique model's outputs).
Encoded = dict[str, tuple[FloatArray, IntArray, TokenOutputs]]
# torch is the train extra's (absent where analysis and CI run): its models, tensors and optimisers are Any.


@dataclass
class AttributionTrainConfig:
    data: Path  # PolNeAR folder with train/ and dev/
    techniques: Path  # technique model folder whose encodings the tagger reads
    out: Path
    epochs: int = EPOCHS
    seed: int = 13
    hidden: int = 128
    lr: float = 2e-3
    batch_size: int = 16
    threads: int = 2
    limit: int | None = None
    token_features: bool = True  # read attribution.token_features beside the encodings
    # Read a middle layer's encodings before the last layer's (the graph must expose them: training/graph.py).
    middle_encodings: bool = True
    members: int = 1  # taggers trained with seeds seed, seed + 1, ...; more than one ships the mean of their logits
    teacher: Path | None = None  # a trained tagger whose tag logits the new one also learns (distillation)
    distil_weight: float = 0.5  # with a teacher: the share of the loss that is the divergence from its tag distribution
    command: str = field(default_factory=lambda: " ".join(["spinlens"] + sys.argv[1:]))


def encode_documents(model: TechniqueModel, documents: Documents, log: Callable[[str], object] = print,
                     reporting_words: frozenset[str] | None = None, names: Sequence[str] = ("encodings",)) -> Encoded:
    """{name: (encodings as float16, tags, TokenOutputs)}; float16 halves memory, the tagger casts back. The
    encodings are the model's outputs `names` side by side (TokenOutputs.stacked); with reporting_words, each
    token's features (attribution.token_features) follow them."""
    out: Encoded = {}
    started = time.time()
    for i, (name, (text, gold)) in enumerate(documents.items(), 1):
        outputs = model.run([text], encodings=names)[0]
        inputs = outputs.stacked(names)
        if reporting_words is not None:
            inputs = np.concatenate([inputs, token_features(text, outputs.offsets, reporting_words)], axis=1)
        out[name] = (inputs.astype(np.float16), token_tags(outputs.offsets, gold), outputs)
        if i % 100 == 0:
            log(f"  encoded {i}/{len(documents)} texts [{time.time() - started:.0f}s]")
    return out


def _tagger(width: int, hidden: int, extra: int = 0, init_seed: int = 0) -> Any:
    """The BiLSTM over `width` encoding columns and `extra` token-feature columns (its second input), its
    weights drawn with `init_seed` (which also starts dropout's random stream)."""
    import torch  # lazy: the train extra; CI and analysis run without torch
    from torch import nn

    class Tagger(nn.Module):  # type: ignore[misc, unused-ignore]  # nn.Module is Any where torch (the train extra) is missing
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(width + extra, hidden, batch_first=True, bidirectional=True)
            self.dropout = nn.Dropout(0.2)
            self.out = nn.Linear(2 * hidden, len(TAGS))

        def forward(self, encodings: Any, features: Any = None) -> Any:
            states, _ = self.lstm(encodings if features is None else torch.cat([encodings, features], dim=-1))
            return self.out(self.dropout(states))

    torch.manual_seed(init_seed)
    return Tagger()


# A training sequence: its inputs, its gold tags and, when a teacher is distilled, the teacher's tag logits.
Chunk = tuple[FloatArray, IntArray, FloatArray | None]


def _chunks(encoded: Encoded, teacher: dict[str, FloatArray] | None = None) -> list[Chunk]:
    chunks: list[Chunk] = []
    for name, (features, tags, _) in encoded.items():
        soft = None if teacher is None else teacher[name]
        for start in range(0, len(tags), CHUNK):
            chunks.append((features[start : start + CHUNK], tags[start : start + CHUNK], None if soft is None else soft[start : start + CHUNK]))
    return chunks


def teacher_record(folder: Path) -> TeacherRecord:
    """What a distilled tagger's card says of its teacher, from the teacher's card."""
    card = ModelCard.read(Path(folder) / "card.json")
    return TeacherRecord(version=required(card.version, "version"), architecture=required(card.architecture, "architecture"),
                         command=required(card.command, "command"), dev=required(card.dev, "dev"))


def teacher_logits(folder: Path, encoded: Encoded, documents: Documents, width: int) -> dict[str, FloatArray]:
    """A trained tagger's tag logits (without its tag biases) for each encoded text, from the first `width`
    columns (the encodings; the teacher makes its own token features): what a tagger distilled from it learns."""
    teacher = AttributionTagger.load(folder, calibrated=False)
    return {name: teacher.tag_logits(documents[name][0], outputs.offsets, features[:, :width].astype(np.float32)) - teacher.bias
            for name, (features, _, outputs) in encoded.items()}


def _prf(score: RoleScore) -> PRFRecord:
    return {"precision": score.precision, "recall": score.recall, "f1": score.f1}


def evaluate_tagger(logits: dict[str, FloatArray], encoded: Encoded, documents: Documents, bias: FloatArray | None = None) -> TaggerScores:
    """Token-level scores on `documents` of the attributions extracted from the tag logits."""

    triples = []
    for name, (_, _, outputs) in encoded.items():
        text, gold = documents[name]
        attributions = attributions_from_tags(text, outputs.offsets, logits[name] if bias is None else logits[name] + bias)
        triples.append((text, gold, parse_brat(to_brat(text, attributions))))
    scores = attribution_scores(triples)
    found, total = cue_recall(triples)
    return TaggerScores(
        Source=_prf(scores["Source"]), Cue=_prf(scores["Cue"]), Content=_prf(scores["Content"]), micro=_prf(scores["micro"]),
        cue_recall=found / total if total else 0.0,
    )


def tune_tag_bias(
    logits: dict[str, FloatArray], encoded: Encoded, documents: Documents, log: Callable[[str], object] = print
) -> tuple[list[float], TaggerScores]:
    """Per-role logit offsets chosen on dev for the mean of micro F1 and Cue F1: the tagger's raw
    argmax under-predicts the short, rare cue tags."""
    best: tuple[float, FloatArray, TaggerScores] | None = None
    for cue, source, content in product((0.0, 0.5, 1.0, 1.5, 2.0), (0.0, 0.5, 1.0), (-0.5, 0.0, 0.5)):
        bias = np.zeros(len(TAGS), dtype=np.float32)
        for role, value in (("Cue", cue), ("Source", source), ("Content", content)):
            bias[[TAGS.index(f"B-{role}"), TAGS.index(f"I-{role}")]] = value
        metrics = evaluate_tagger(logits, encoded, documents, bias)
        goal = (metrics["micro"]["f1"] + metrics["Cue"]["f1"]) / 2
        if best is None or goal > best[0]:
            best = (goal, bias, metrics)
            log(f"  bias cue {cue} source {source} content {content}: micro {metrics['micro']['f1']:.4f} cue {metrics['Cue']['f1']:.4f}")
    assert best is not None  # the grid is not empty
    return best[1].tolist(), best[2]


def _ensemble(members: list[Any]) -> Any:
    """One module whose tag logits are the mean of the members' (what the shipped ONNX graph computes)."""
    import torch  # lazy: the train extra
    from torch import nn

    class Ensemble(nn.Module):  # type: ignore[misc, unused-ignore]  # nn.Module is Any where torch (the train extra) is missing
        def __init__(self) -> None:
            super().__init__()
            self.members = nn.ModuleList(members)

        def forward(self, encodings: Any, features: Any = None) -> Any:
            return torch.stack([member(encodings, features) for member in self.members]).mean(dim=0)

    return Ensemble()


def _train_member(config: AttributionTrainConfig, member: int, chunks: list[Chunk], width: int, extra: int,
                  dev_encoded: Encoded, dev_docs: Documents, log: Callable[[str], object]) -> tuple[Any, MemberRecord, TaggerScores]:
    """Member number `member` (from 0): its weights drawn with seed `member` and its batches shuffled with
    config.seed + member, kept at its best epoch on dev micro F1; with its record and its dev scores there."""
    import torch  # lazy: the train extra; CI and analysis run without torch
    import torch.nn.functional as F

    seed = config.seed + member
    chunks = list(chunks)  # each member shuffles its own copy, from the same order
    tagger = _tagger(width, config.hidden, extra, init_seed=member)
    optimizer = torch.optim.Adam(tagger.parameters(), lr=config.lr)
    best, best_state, best_epoch, best_scores = -1.0, None, 0, None
    history: list[EpochRecord] = []
    for epoch in range(1, config.epochs + 1):
        tagger.train()
        random.Random(seed + epoch).shuffle(chunks)
        total = 0.0
        for b in range(0, len(chunks), config.batch_size):
            batch = chunks[b : b + config.batch_size]
            length = max(len(t) for _, t, _ in batch)
            x = torch.zeros((len(batch), length, width + extra))
            y = torch.full((len(batch), length), -100, dtype=torch.long)
            soft = torch.zeros((len(batch), length, len(TAGS))) if config.teacher is not None else None  # the teacher's logits
            for r, (features, tags, teacher) in enumerate(batch):
                x[r, : len(tags)] = torch.from_numpy(features.astype(np.float32))
                y[r, : len(tags)] = torch.from_numpy(tags)
                if soft is not None and teacher is not None:
                    soft[r, : len(tags)] = torch.from_numpy(teacher.astype(np.float32))
            logits = tagger(x).reshape(-1, len(TAGS))
            loss: Any = F.cross_entropy(logits, y.reshape(-1), ignore_index=-100)
            if soft is not None:
                real = y.reshape(-1) != -100
                divergence = F.kl_div(F.log_softmax(logits[real], dim=-1), F.log_softmax(soft.reshape(-1, len(TAGS))[real], dim=-1),
                                      log_target=True, reduction="batchmean")
                loss = (1 - config.distil_weight) * loss + config.distil_weight * divergence
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.parameters(), 1.0)
            optimizer.step()
            total += loss.item()
        tagger.eval()
        metrics = evaluate_tagger(_predict(tagger, dev_encoded), dev_encoded, dev_docs)
        history.append(EpochRecord(epoch=epoch, micro_f1=metrics["micro"]["f1"], cue_f1=metrics["Cue"]["f1"]))
        log(f"seed {seed} epoch {epoch}: loss {total / max(1, len(chunks) // config.batch_size):.4f} dev micro F1 {metrics['micro']['f1']:.4f} "
            f"Source {metrics['Source']['f1']:.4f} Cue {metrics['Cue']['f1']:.4f} Content {metrics['Content']['f1']:.4f}")
        if metrics["micro"]["f1"] > best:
            best, best_state, best_epoch, best_scores = metrics["micro"]["f1"], {k: v.clone() for k, v in tagger.state_dict().items()}, epoch, metrics
    assert best_state is not None and best_scores is not None  # at least one epoch ran
    tagger.load_state_dict(best_state)
    tagger.eval()
    return tagger, MemberRecord(seed=seed, selected_epoch=best_epoch, history=history), best_scores


def _predict(tagger: Any, encoded: Encoded) -> dict[str, FloatArray]:
    """The tagger's tag logits for each encoded text (its input columns concatenated: one input)."""
    import torch  # lazy: the train extra

    with torch.no_grad():
        return {name: tagger(torch.from_numpy(features.astype(np.float32))[None])[0].numpy() for name, (features, _, _) in encoded.items()}


def train(config: AttributionTrainConfig, log: Callable[[str], object] = print) -> Path:
    import torch  # lazy: the train extra; CI and analysis run without torch

    torch.set_num_threads(config.threads)
    started = time.time()
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    encoder = TechniqueModel.load(config.techniques, threads=config.threads)
    train_docs = read_polnear(Path(config.data) / "train")
    dev_docs = read_polnear(Path(config.data) / "dev")
    if config.limit:
        train_docs = dict(list(train_docs.items())[: config.limit])
        dev_docs = dict(list(dev_docs.items())[: max(2, config.limit // 4)])
    log(f"encoding {len(train_docs)} train and {len(dev_docs)} dev texts with {config.techniques}")
    reporting_words = REPORTING_WORDS if config.token_features else None
    reads = tagger_encodings(config.middle_encodings)
    if missing := encoder.missing_encodings(reads):
        raise InputError(f"the technique model in {config.techniques} gives no {', '.join(missing)}: expose it "
                         "(spinlens.training.graph.expose_middle_file) or train without it (--no-middle-encodings)")
    train_encoded = encode_documents(encoder, train_docs, log, reporting_words, reads)
    dev_encoded = encode_documents(encoder, dev_docs, log, reporting_words, reads)
    extra = len(TOKEN_FEATURES) if config.token_features else 0
    width = next(iter(train_encoded.values()))[0].shape[1] - extra  # the encodings' columns
    teacher = None
    if config.teacher is not None:
        log(f"the teacher's tag logits on the train texts, from {config.teacher}")
        teacher = teacher_logits(config.teacher, train_encoded, train_docs, width)
    chunks = _chunks(train_encoded, teacher)
    trained = [_train_member(config, k, chunks, width, extra, dev_encoded, dev_docs, log) for k in range(config.members)]
    record: MemberRecord | None  # the one tagger's record; an ensemble lists its members' instead
    if len(trained) == 1:
        tagger, record, untuned = trained[0]
    else:
        tagger, record = _ensemble([member for member, _, _ in trained]), None
        tagger.eval()
        untuned = evaluate_tagger(_predict(tagger, dev_encoded), dev_encoded, dev_docs)
        log(f"mean of {len(trained)} taggers: dev micro F1 {untuned['micro']['f1']:.4f} Cue {untuned['Cue']['f1']:.4f}")
    tag_bias, tuned = tune_tag_bias(_predict(tagger, dev_encoded), dev_encoded, dev_docs, log)
    inputs, names = ((torch.zeros((1, 8, width)), torch.zeros((1, 8, extra))), ["encodings", FEATURES_INPUT]) if extra else \
        ((torch.zeros((1, 8, width)),), ["encodings"])
    torch.onnx.export(
        tagger, inputs, str(out / "tagger.onnx"), input_names=names, output_names=["tag_logits"],
        dynamic_axes={name: {1: "tokens"} for name in [*names, "tag_logits"]}, opset_version=17, dynamo=False,
    )
    one = f"BiLSTM({width + extra}->{config.hidden}x2) + linear"
    card = ModelCard(
        name="spinlens-attribution",
        version=model_version(out / "tagger.onnx"),
        architecture=(one if record else f"mean of the tag logits of {len(trained)} x {one}")
                     + (" over the technique model's middle and last encodings" if config.middle_encodings else " over the technique model's encodings")
                     + (f" and {extra} token features" if extra else ""),
        encoder=required(ModelCard.read(Path(config.techniques) / "card.json").version, "version"),
        encoder_outputs=list(reads) if config.middle_encodings else None,
        tags=list(TAGS),
        data=DataRecord(corpus="PolNeAR", train_texts=len(train_docs), dev_texts=len(dev_docs)),
        training=training_record(config),
        selected_epoch=record["selected_epoch"] if record else None,
        history=record["history"] if record else None,
        dev_untuned=untuned,
        tag_bias=tag_bias,
        dev=tuned,
        date=date.today().isoformat(),
        command=config.command,
        training_seconds=round(time.time() - started),
        token_features=TokenFeaturesRecord(names=list(TOKEN_FEATURES), reporting_words=sorted(REPORTING_WORDS)) if extra else None,
        members=None if record else [member_record for _, member_record, _ in trained],
        teacher=None if config.teacher is None else teacher_record(config.teacher),
    )
    card.write(out / "card.json")
    log(f"wrote {out} in {card.training_seconds} s; dev micro F1 {tuned['micro']['f1']:.4f}, Cue F1 {tuned['Cue']['f1']:.4f}")
    return out
