"""`spinlens predict` and `spinlens eval`: predictions in the benchmarks' formats (PTC, PolNeAR BRAT), and
their scores with the official metric definitions (the metrics are in spinlens.evaluate)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import InputError
from ..evaluate import attribution as attribution_metrics
from ..evaluate import ptc as ptc_metrics
from ..formats.brat import BratDocument, gold_file, read_ann, read_text
from ..formats.ptc import LabelledSpan, format_si, format_tc, label_files, labelled_article_id, read_articles, read_labels
from ..types import Article
from ._util import (
    ArticlesOption,
    AttributionModelOption,
    MinAttributionScoreOption,
    ModelOption,
    _check_out,
    _check_probability,
    _make_folder,
    _reading,
    _say,
    _write,
    eval_app,
    predict_app,
)

if TYPE_CHECKING:
    from ..techniques.inference import TechniqueModel, TokenOutputs


class Task(str, Enum):
    si = "si"
    tc = "tc"
    flc = "flc"


def _read_ptc_articles(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of articles")
    with _reading():
        articles = read_articles(folder)
    if not articles:
        raise InputError(f"no .txt articles in {folder}")
    return articles


def _run_ptc_model(articles: dict[str, str], model_dir: Path | None) -> tuple[TechniqueModel, dict[str, TokenOutputs]]:
    from ..pipeline import Analyzer  # lazy: numpy and onnxruntime

    model = Analyzer(model_dir).technique_model
    ids = sorted(articles)
    outputs: dict[str, TokenOutputs] = {}
    for b in range(0, len(ids), 8):
        chunk = ids[b : b + 8]
        outputs.update(zip(chunk, model.run([articles[a] for a in chunk])))
    return model, outputs


def _si_lines(model: TechniqueModel, outputs: dict[str, TokenOutputs]) -> list[LabelledSpan]:
    return [LabelledSpan(a, s, e) for a, o in outputs.items() for s, e, _ in model.si_spans(o)]


def _flc_lines(model: TechniqueModel, outputs: dict[str, TokenOutputs]) -> list[LabelledSpan]:
    return [line for a, o in outputs.items() for line in model.flc_labels(a, o)]


@predict_app.command("ptc-si")
def predict_ptc_si(
    articles: ArticlesOption,
    out: Annotated[Path, typer.Option(help="Output file: ID<TAB>start<TAB>end per fragment.")],
    model: ModelOption = None,
) -> None:
    """Span identification: every propaganda fragment, technique ignored."""
    _check_out(out, *articles.glob("*.txt"))  # not one of the articles it reads
    technique_model, outputs = _run_ptc_model(_read_ptc_articles(articles), model)
    _write(out, format_si(_si_lines(technique_model, outputs)))


@predict_app.command("ptc-tc")
def predict_ptc_tc(
    articles: ArticlesOption,
    template: Annotated[Path, typer.Option(help="Lines ID<TAB>?<TAB>start<TAB>end, with 0 <= start < end <= the article's length.")],
    out: Annotated[Path, typer.Option(help="Output file, one labelled line per template line.")],
    model: ModelOption = None,
) -> None:
    """Technique classification: name the technique of each given fragment.

    A template with no lines, or with a line outside its article, is refused."""
    from ..techniques.inference import label_template  # lazy: numpy

    _check_out(out, template, *articles.glob("*.txt"))
    texts = _read_ptc_articles(articles)
    with _reading():
        spans = read_labels(template, {a: len(t) for a, t in texts.items()})
    if not spans:  # an empty answer file would look like a run that found nothing
        raise InputError(f"{template} has no template lines")
    technique_model, outputs = _run_ptc_model(texts, model)
    _write(out, format_tc(label_template(outputs, spans, technique_model.feature_weights, technique_model.judge)))


@predict_app.command("ptc-flc")
def predict_ptc_flc(
    articles: ArticlesOption,
    out: Annotated[Path, typer.Option(help="Output file: ID<TAB>technique<TAB>start<TAB>end.")],
    model: ModelOption = None,
) -> None:
    """Fragment-level classification: find the fragments and name their techniques."""
    _check_out(out, *articles.glob("*.txt"))
    technique_model, outputs = _run_ptc_model(_read_ptc_articles(articles), model)
    _write(out, format_tc(_flc_lines(technique_model, outputs)))


@predict_app.command("brat")
def predict_brat(
    texts: Annotated[Path, typer.Option(help="Folder of NAME.txt articles.")],
    out: Annotated[Path, typer.Option(help="Folder to write NAME.ann files (PolNeAR BRAT form).")],
    model: ModelOption = None,
    attribution_model: AttributionModelOption = None,
    min_attribution_score: MinAttributionScoreOption = None,
) -> None:
    """Attribution: write each article's sources, cues and contents as BRAT standoff."""
    from ..attribution.extractor import to_brat  # lazy: numpy
    from ..pipeline import Analyzer  # lazy: numpy and onnxruntime

    _check_probability(min_attribution_score, "--min-attribution-score")
    if not texts.is_dir():
        raise InputError(f"{texts} is not a folder of texts")
    paths = sorted(texts.glob("*.txt"))
    if not paths:
        raise InputError(f"no .txt files in {texts}")
    with _reading():
        # Article(...) directly: benchmark texts are scored as given, without the input checks for users.
        articles = [Article(read_text(path), source=str(path)) for path in paths]
    _make_folder(out)
    analyzer = Analyzer(model, attribution=True, attribution_dir=attribution_model, min_attribution_score=min_attribution_score)
    for path, analysis in zip(paths, analyzer.analyze_many(articles)):
        _write(out / f"{path.stem}.ann", to_brat(analysis.text, analysis.attributions))


@eval_app.command("ptc")
def eval_ptc(
    articles: ArticlesOption,
    labels: Annotated[Path, typer.Option(help="Gold labels: a folder of .labels files (TC form for all tasks), or one file.")],
    predictions: Annotated[Optional[Path], typer.Option(help="Score this prediction file (for articles in --articles) instead of running the model.")] = None,
    task: Annotated[Optional[Task], typer.Option(help="Task of --predictions (default: all three from the model).")] = None,
    model: ModelOption = None,
) -> None:
    """Score SI, TC and FLC against PTC labels (runs the model unless --predictions is given).

    Warns on standard error about scored articles with no label file (scored as free of propaganda)."""
    if predictions is not None and task is None:
        raise InputError("--predictions needs --task si|tc|flc")
    if task is not None and predictions is None:
        raise InputError("--task goes with --predictions: without them the model is run for all three tasks")
    tc_dir = labels / "train-labels-task2-technique-classification"
    gold_path = tc_dir if tc_dir.is_dir() else labels
    files = label_files(gold_path)
    if not files:
        raise InputError(f"no .labels files in {gold_path}")
    if predictions is not None and not label_files(predictions):  # else scored as a run that found nothing
        raise InputError(f"no .labels files in {predictions}")
    texts = _read_ptc_articles(articles)
    lengths = {a: len(t) for a, t in texts.items()}
    # TC and FLC lines without a technique (SI form, a template's ?) would match nothing and score 0.
    need_technique = task in (Task.tc, Task.flc)
    with _reading():  # gold of other articles left out: a labels folder may cover a larger set
        gold = read_labels(gold_path, lengths, skip_other_articles=True, need_technique=need_technique)
    if predictions is not None:
        with _reading():  # predictions must be for these articles, within their texts
            predicted = read_labels(predictions, lengths, need_technique=need_technique)
        assert task is not None  # --predictions without --task was refused above
        tasks = {task.value: predicted}
    else:
        tasks = _model_tasks(texts, gold, gold_path, model)
    unlabelled = ptc_metrics.unlabelled_articles(texts, gold, map(labelled_article_id, files))
    if unlabelled:
        where = f"no label file in {gold_path}" if gold_path.is_dir() else f"no lines in {gold_path}"
        typer.echo(f"spinlens: warning: {len(unlabelled)} of {len(texts)} scored articles have {where}; they count as free of propaganda", err=True)
    for line in ptc_metrics.score_lines(tasks, gold):
        _say(line)


def _model_tasks(texts: dict[str, str], gold: list[LabelledSpan], gold_path: Path, model_dir: Path | None) -> dict[str, list[LabelledSpan]]:
    """The model's answers to the three tasks (SI only when the gold lines have no techniques)."""
    from ..techniques.inference import label_template  # lazy: numpy

    has_techniques = all(s.technique for s in gold)
    if not has_techniques:
        typer.echo(f"spinlens: note: {gold_path} has lines without a technique (SI form): scoring SI only", err=True)
    technique_model, outputs = _run_ptc_model(texts, model_dir)
    tasks = {"si": _si_lines(technique_model, outputs)}
    if has_techniques:
        tasks["tc"] = label_template(outputs, ptc_metrics.tc_template(gold), technique_model.feature_weights, technique_model.judge)
        tasks["flc"] = _flc_lines(technique_model, outputs)
    return tasks


@eval_app.command("attribution")
def eval_attribution(
    texts: Annotated[Path, typer.Option(help="Folder of NAME.txt articles.")],
    gold: Annotated[Path, typer.Option(help="Folder of gold NAME.ann or NAME_xxxx.ann BRAT files.")],
    pred: Annotated[Path, typer.Option(help="Folder of predicted NAME.ann BRAT files.")],
) -> None:
    """Token-level P/R/F1 per role (Source, Cue, Content), micro-averaged, and the share of gold cues found."""
    for folder in (texts, gold, pred):
        if not folder.is_dir():
            raise InputError(f"{folder} is not a folder")
    documents = []
    missing = 0
    for path in sorted(texts.glob("*.txt")):
        gold_path = gold_file(gold, path.stem)
        if gold_path is None:
            continue
        predicted = pred / f"{path.stem}.ann"
        missing += not predicted.exists()
        with _reading():  # the readers' messages name the file at fault, the text or a .ann file
            text = read_text(path)  # as `predict brat` and the reference scorer read it
            documents.append((
                text,
                attribution_metrics.checked_document(read_ann(gold_path), len(text), gold_path),
                attribution_metrics.checked_document(read_ann(predicted), len(text), predicted) if predicted.exists() else BratDocument({}, ()),
            ))
    if not documents:
        raise InputError(f"no text in {texts} has a gold file in {gold}")
    for line in attribution_metrics.score_lines(documents, missing):
        _say(line)
