"""The `spinlens` command. A thin layer over the library; heavy imports happen inside commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .errors import replacing, writing

if TYPE_CHECKING:
    from .formats.ptc import LabelledSpan
    from .techniques.inference import TechniqueModel, TokenOutputs

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Find the propaganda techniques in a news article, with exact offsets and calibrated scores.",
)
predict_app = typer.Typer(no_args_is_help=True, help="Write predictions in benchmark formats.")
eval_app = typer.Typer(no_args_is_help=True, help="Score predictions with the official metric definitions.")
train_app = typer.Typer(no_args_is_help=True, help="Train models (needs the train extra) and tune them.")
app.add_typer(predict_app, name="predict")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
import_app = typer.Typer(no_args_is_help=True, help="Read corrected annotations back as training data.")
app.add_typer(import_app, name="import")

ModelOption = Annotated[Optional[Path], typer.Option("--model", help="Technique model folder (default: the shipped one).")]
AttributionModelOption = Annotated[
    Optional[Path],
    typer.Option("--attribution-model", help="Attribution tagger folder, trained on --model's encodings (default: the shipped one)."),
]


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class ExportFormat(str, Enum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"
    label_studio = "label-studio"


DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLAlchemy URL (default: sqlite:///spinlens.db).")]
ArticlesOption = Annotated[
    Path,
    typer.Option(help="Folder of article<ID>.txt files (another NAME.txt is article NAME; subfolders and other files are ignored)."),
]


class Task(str, Enum):
    si = "si"
    tc = "tc"
    flc = "flc"


@contextmanager
def _reading() -> Iterator[None]:
    """Input files that cannot be read or parsed end the command in one line that names the file."""
    from .errors import InputError

    try:
        yield
    except OSError as error:
        raise InputError(f"cannot read {error.filename or 'an input'}: {error.strerror or error}") from None
    except ValueError as error:  # the format readers' messages name the file (and line)
        raise InputError(str(error)) from None


def _check_out(out: Path | None, *others: Path | None) -> None:
    """Refuse an output file path that cannot be written, or that is the command's input or another of its
    outputs (`others`: writing it would destroy that file), before the slow work, not after it."""
    from .errors import InputError

    if out is None:
        return
    if out.is_dir():
        raise InputError(f"cannot write {out}: it is a folder; give a file name")
    if not out.parent.is_dir():
        raise InputError(f"cannot write {out}: there is no folder {out.parent}")
    for other in others:  # realpath: a symbolic link or another spelling of the same path is the same file
        if other is not None and os.path.realpath(out) == os.path.realpath(other):
            raise InputError(f"cannot write {out}: it is the same file as {other}, which this command also uses; give another file name")


def _write(out: Path | None, content: str) -> None:
    """The one way commands write an output file (or standard output)."""
    data = content.encode("utf-8")  # UTF-8 whatever the locale says: JSON and HTML declare it
    if out is None:
        stream = _stdout()
        with _writing_stdout():
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        return
    with writing(out), replacing(out) as path:
        path.write_bytes(data)


@contextmanager
def _writing_stdout() -> Iterator[None]:
    """A failed write to standard output (a full disk behind a redirection) becomes a one-line error; a
    reader that stopped early (| head) is not an error of ours and goes on up as it is."""
    from .errors import InputError

    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise InputError(f"cannot write to standard output: {error.strerror or error}") from None


def _stdout():
    """Standard output, or an InputError when the command was started with it closed (`>&-`)."""
    from .errors import InputError

    if sys.stdout is None:
        raise InputError("standard output is closed: give --out FILE")
    return sys.stdout


def _make_folder(out: Path) -> None:
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)


@app.command()
def analyze(
    source: Annotated[str, typer.Argument(help="A text or HTML file, an http(s) URL, or - for standard input.")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", metavar="<format>", help="Report format: text, json or html.")] = ReportFormat.text,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the report here instead of standard output.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow URLs on loopback and private addresses.")] = False,
    model: ModelOption = None,
    attribution_model: AttributionModelOption = None,
    attribution: Annotated[bool, typer.Option("--attribution/--no-attribution", help="Find who is cited for each claim.")] = True,
) -> None:
    """Analyse one article and report its technique fragments."""
    from . import ingest
    from .errors import FetchError, InputError
    from .pipeline import Analyzer

    if not source.strip():  # else it reads as the current folder
        raise InputError("the source is empty: give a file, a URL or - for standard input")
    if out is not None and str(out) == "-":  # as for the input, - is the standard stream
        out = None
    _check_out(out, Path(source))
    if source == "-" and sys.stdin is not None and sys.stdin.isatty():  # else it waits without a word
        typer.echo("spinlens: reading the article from standard input; end it with Ctrl-D", err=True)
    try:
        article = ingest.load(source, allow_private=allow_private)
    except FetchError as error:
        if "non-public" in str(error):
            raise FetchError(f"{error}; --allow-private permits it") from None
        raise
    analysis = Analyzer(model, attribution=None if attribution else False, attribution_dir=attribution_model).analyze(article)
    if format is ReportFormat.json:
        _write(out, analysis.to_json() + "\n")
    elif format is ReportFormat.html:
        from .render.html import render_page

        _write(out, render_page(analysis))
    else:
        from rich.console import Console

        from .render.terminal import render

        if out is None:
            console = Console(file=_stdout())
            if console.width < 20:  # COLUMNS=0 (or a tiny value) made Rich print nothing at all
                console.width = 80
            with _writing_stdout():
                render(analysis, console)
        else:
            from io import StringIO

            buffer = StringIO()
            render(analysis, Console(file=buffer, force_terminal=False, width=100))
            _write(out, buffer.getvalue())


def _read_ptc_articles(folder: Path) -> dict[str, str]:
    from .errors import InputError
    from .formats.ptc import read_articles

    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of articles")
    with _reading():
        articles = read_articles(folder)
    if not articles:
        raise InputError(f"no .txt articles in {folder}")
    return articles


def _run_ptc_model(articles: dict[str, str], model_dir: Path | None) -> tuple[TechniqueModel, dict[str, TokenOutputs]]:
    from .pipeline import Analyzer

    model = Analyzer(model_dir).technique_model
    ids = sorted(articles)
    outputs = {}
    for b in range(0, len(ids), 8):
        chunk = ids[b : b + 8]
        outputs.update(zip(chunk, model.run([articles[a] for a in chunk])))
    return model, outputs


def _si_lines(model: TechniqueModel, outputs: dict[str, TokenOutputs]) -> list[LabelledSpan]:
    from .formats.ptc import LabelledSpan

    return [LabelledSpan(a, s, e) for a, o in outputs.items() for s, e, _ in model.si_spans(o)]


def _flc_lines(model: TechniqueModel, outputs: dict[str, TokenOutputs]) -> list[LabelledSpan]:
    from .techniques.inference import label_fragments

    return [line for a, o in outputs.items() for line in label_fragments(a, model.fragments(o), model.second_label)]


@predict_app.command("ptc-si")
def predict_ptc_si(
    articles: ArticlesOption,
    out: Annotated[Path, typer.Option(help="Output file: ID<TAB>start<TAB>end per fragment.")],
    model: ModelOption = None,
) -> None:
    """Span identification: every propaganda fragment, technique ignored."""
    from .formats.ptc import format_si

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
    from .errors import InputError
    from .formats.ptc import format_tc, read_labels
    from .techniques.inference import label_template

    _check_out(out, template, *articles.glob("*.txt"))
    texts = _read_ptc_articles(articles)
    with _reading():
        spans = read_labels(template, {a: len(t) for a, t in texts.items()})
    if not spans:  # an empty answer file would look like a run that found nothing
        raise InputError(f"{template} has no template lines")
    technique_model, outputs = _run_ptc_model(texts, model)
    _write(out, format_tc(label_template(outputs, spans, technique_model.feature_weights)))


@predict_app.command("ptc-flc")
def predict_ptc_flc(
    articles: ArticlesOption,
    out: Annotated[Path, typer.Option(help="Output file: ID<TAB>technique<TAB>start<TAB>end.")],
    model: ModelOption = None,
) -> None:
    """Fragment-level classification: find the fragments and name their techniques."""
    from .formats.ptc import format_tc

    _check_out(out, *articles.glob("*.txt"))
    technique_model, outputs = _run_ptc_model(_read_ptc_articles(articles), model)
    _write(out, format_tc(_flc_lines(technique_model, outputs)))


@predict_app.command("brat")
def predict_brat(
    texts: Annotated[Path, typer.Option(help="Folder of NAME.txt articles.")],
    out: Annotated[Path, typer.Option(help="Folder to write NAME.ann files (PolNeAR BRAT form).")],
    model: ModelOption = None,
    attribution_model: AttributionModelOption = None,
) -> None:
    """Attribution: write each article's sources, cues and contents as BRAT standoff."""
    from .attribution.extractor import to_brat
    from .errors import InputError
    from .formats.brat import read_text
    from .pipeline import Analyzer
    from .types import Article

    if not texts.is_dir():
        raise InputError(f"{texts} is not a folder of texts")
    paths = sorted(texts.glob("*.txt"))
    if not paths:
        raise InputError(f"no .txt files in {texts}")
    with _reading():
        # Article(...) directly: benchmark texts are scored as given, without the input checks for users.
        articles = [Article(read_text(path), source=str(path)) for path in paths]
    _make_folder(out)
    for path, analysis in zip(paths, Analyzer(model, attribution=True, attribution_dir=attribution_model).analyze_many(articles)):
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
    from dataclasses import replace

    from .errors import InputError
    from .evaluate.ptc import flc_score, si_score, tc_score
    from .formats.ptc import label_files, labelled_article_id, read_labels
    from .techniques.inference import label_template

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
        tasks = {task.value: predicted}
    else:
        has_techniques = all(s.technique for s in gold)
        if not has_techniques:
            typer.echo(f"spinlens: note: {gold_path} has lines without a technique (SI form): scoring SI only", err=True)
        technique_model, outputs = _run_ptc_model(texts, model)
        tasks = {"si": _si_lines(technique_model, outputs)}
        if has_techniques:
            template = [replace(s, technique=None) for s in gold]
            tasks["tc"] = label_template(outputs, template, technique_model.feature_weights)
            tasks["flc"] = _flc_lines(technique_model, outputs)
    scored = set(texts)
    unlabelled = scored - {s.article_id for s in gold} - {labelled_article_id(f) for f in files}
    if unlabelled:
        where = f"no label file in {gold_path}" if gold_path.is_dir() else f"no lines in {gold_path}"
        typer.echo(f"spinlens: warning: {len(unlabelled)} of {len(scored)} scored articles have {where}; they count as free of propaganda", err=True)
    if "si" in tasks:
        r = si_score(tasks["si"], gold)
        typer.echo(f"SI   P={r.precision:.4f} R={r.recall:.4f} F1={r.f1:.4f} predicted={r.predicted} gold={r.gold}")
    if "tc" in tasks:
        accuracy, per = tc_score(tasks["tc"], gold)
        typer.echo(f"TC   micro-F1={accuracy:.4f}")
        for technique, r in per.items():
            typer.echo(f"     {technique:40s} P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f} gold={r.gold}")
    if "flc" in tasks:
        result = flc_score(tasks["flc"], gold)
        r = result.overall
        typer.echo(f"FLC  P={r.precision:.4f} R={r.recall:.4f} F1={r.f1:.4f} predicted={r.predicted} gold={r.gold}")
        for technique, t in result.per_technique.items():
            typer.echo(f"     {technique:40s} F1={t.f1:.3f}")


@eval_app.command("attribution")
def eval_attribution(
    texts: Annotated[Path, typer.Option(help="Folder of NAME.txt articles.")],
    gold: Annotated[Path, typer.Option(help="Folder of gold NAME.ann or NAME_xxxx.ann BRAT files.")],
    pred: Annotated[Path, typer.Option(help="Folder of predicted NAME.ann BRAT files.")],
) -> None:
    """Token-level P/R/F1 per role (Source, Cue, Content), micro-averaged, and the share of gold cues found."""
    from .errors import InputError
    from .evaluate.attribution import attribution_scores, cue_recall
    from .formats.brat import BratDocument, gold_file, parse_brat, read_ann, read_text, span_problem

    for folder in (texts, gold, pred):
        if not folder.is_dir():
            raise InputError(f"{folder} is not a folder")

    def checked(ann: Path, length: int) -> BratDocument:
        content = read_ann(ann)
        if problem := span_problem(content, length):
            raise InputError(f"{ann}: {problem}")
        return parse_brat(content)

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
                checked(gold_path, len(text)),
                checked(predicted, len(text)) if predicted.exists() else BratDocument({}, ()),
            ))
    if not documents:
        raise InputError(f"no text in {texts} has a gold file in {gold}")
    for role, r in attribution_scores(documents).items():
        typer.echo(f"{role:8s} P={r.precision:.4f} R={r.recall:.4f} F1={r.f1:.4f}")
    found, total = cue_recall(documents)
    typer.echo(f"cues found: {found}/{total} = {found / total if total else 0.0:.4f} of gold attributions")
    typer.echo(f"docs={len(documents)} missing_predictions={missing}")


def _check_ptc_training_data(data: Path) -> None:
    from .errors import InputError

    for folder in ("train-articles", "train-labels-task2-technique-classification"):
        if not (data / folder).is_dir():
            raise InputError(f"{data} has no {folder}/ folder (a PTC folder as in ../shared/data/ptc)")


def _read_recipe(path: Path) -> dict:
    """The card of a run tuned on a validation split, which a final run takes its recipe from."""
    import json

    from .errors import InputError
    from .techniques.training import check_recipe

    try:
        recipe = json.loads(path.read_text(encoding="utf-8"))
        check_recipe(recipe)
    except (OSError, ValueError) as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InputError(f"{path}: not the card of a validated run ({error})") from None
    return recipe


@train_app.command("techniques")
def train_techniques(
    data: Annotated[Path, typer.Option(help="PTC folder with train-articles/ and the label folders.")],
    out: Annotated[Path, typer.Option(help="Folder to write model.onnx, tokenizer.json and card.json.")],
    epochs: Annotated[int, typer.Option(help="Training epochs (the best on validation is kept).")] = 8,
    seed: Annotated[int, typer.Option(help="Seed for the split, shuffling and initialisation.")] = 13,
    threads: Annotated[int, typer.Option(help="CPU threads for torch.")] = 2,
    limit: Annotated[Optional[int], typer.Option(help="Use only this many articles (smoke runs).")] = None,
    final_from: Annotated[
        Optional[Path],
        typer.Option(help="Card of a run with a validation split: train on every article with its recipe and keep its decode settings and calibration."),
    ] = None,
) -> None:
    """Fine-tune the technique model on PTC and write a quantised ONNX model with its card."""
    from .errors import InputError

    _check_ptc_training_data(data)
    try:
        from .techniques.training import TrainConfig, train
    except ImportError as error:
        raise InputError(f"training needs the train extra (pip install 'spinlens[train]'): {error}") from None
    config = TrainConfig(data=data, out=out, epochs=epochs, seed=seed, threads=threads, limit=limit, final_from=final_from)
    if final_from is not None:
        from .techniques.training import final_config

        recipe = _read_recipe(final_from)
        try:
            final_config(config, recipe)
        except (ValueError, TypeError) as error:  # a number that is not one
            raise InputError(f"{final_from}: not the card of a validated run ({error})") from None
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
    import json

    from .errors import InputError

    _check_ptc_training_data(data)
    try:
        card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read a model card: {error}") from None
    recipe = _read_recipe(final_from) if final_from else None
    if not isinstance(card, dict) or not isinstance(card.get("data"), dict) or not (model / "model.onnx").is_file():
        raise InputError(f"{model} is not a model folder written by 'spinlens train techniques'")
    if final_from is None:  # tuned on its own validation split, which the data must hold
        val_ids = card["data"].get("validation_ids")
        if not val_ids:
            raise InputError(f"{model} was trained on every article: pass --final-from with its recipe's card")
        missing = [a for a in val_ids if not (data / "train-articles" / f"article{a}.txt").is_file()]
        if missing:
            raise InputError(f"{data} lacks {len(missing)} of the model's validation articles (article{missing[0]}.txt): pass the PTC folder it was trained on")
    from .techniques.training import tune

    tune(model, data, recipe, command=" ".join(["spinlens"] + sys.argv[1:]))
    typer.echo(f"updated {model / 'card.json'}")


@app.command()
def batch(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders: .jsonl, .warc(.gz), .html/.htm pages; every other file is read as text (hidden ones skipped in folders).")],
    db: DbOption = None,
    workers: Annotated[int, typer.Option(min=1, max=1024, help="Worker processes (one thread each).")] = 1,
    engine: Annotated[Engine, typer.Option(help="local processes, or a Dask cluster.")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, tcp://host:8786 (default: a LocalCluster).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per task sent to a worker.")] = 8,
    progress: Annotated[bool, typer.Option(help="Show progress.")] = True,
    retry_failed: Annotated[bool, typer.Option(help="Try again the inputs that failed in earlier runs.")] = False,
) -> None:
    """Analyse a corpus into the database; run it again after an interruption to finish only what is missing.
    Exit status: 0 when every input is stored, 3 when some are recorded as failed (in this run or, not
    retried, in an earlier one) and the rest stored, 2 when inputs failed and none could be analysed."""
    from .batch.runner import run_batch
    from .errors import InputError, readable
    from .store.db import Store

    if scheduler and engine is not Engine.dask:  # checked before the database is opened (or created)
        raise InputError("--scheduler needs --engine dask")
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    store = Store(db)
    summary = run_batch(inputs, store, workers, engine.value, scheduler, batch_size, progress, retry_failed)
    for key, error in summary.failures[-10:]:
        typer.echo(f"failed: {readable(key, 1000)}: {error}", err=True)
    if len(summary.failures) > 10:
        typer.echo(f"... {len(summary.failures) - 10} more failures recorded in the database (inputs table)", err=True)
    typer.echo(summary.line())
    if summary.failed and not summary.analysed and not summary.skipped:  # as `analyze` on input it cannot analyse
        raise typer.Exit(2)
    if summary.failed or summary.skipped_failed:
        raise typer.Exit(3)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    max_body: Annotated[int, typer.Option(min=1, help="Largest request body in bytes (413 above).")] = 2_000_000,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        metavar="NAME", help="Another host name the server answers to on a loopback address (the public name a proxy on this "
             "machine passes on); repeatable.")] = None,
) -> None:
    """Web app and REST API (OpenAPI at /docs) over a corpus database."""
    try:
        from .server.app import serve as run_server
    except ImportError as error:
        from .errors import InputError

        raise InputError(f"the server needs the serve extra (pip install 'spinlens[serve]'): {error}") from None
    run_server(db, host, port, max_body, allowed_host or [])


def _sqlite_file(db: str | None) -> Path | None:
    """The file an SQLite URL names; None for other databases, in-memory ones and URLs that do not parse
    (which the store refuses itself)."""
    import sqlalchemy as sa

    from .store.db import default_url

    try:
        url = sa.engine.make_url(db or default_url())
    except sa.exc.ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


@app.command("export")
def export_command(
    format: Annotated[ExportFormat, typer.Option("--format", help="Output format.")],
    out: Annotated[Path, typer.Option(help="Output file (one row per article; Label Studio: a task list).")],
    db: DbOption = None,
    fragments: Annotated[Optional[Path], typer.Option(help="Also write one row per fragment to this file (not with Label Studio, whose tasks hold them).")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only this outlet.")] = None,
    technique: Annotated[Optional[str], typer.Option(help="Only articles with a fragment of this technique.")] = None,
    since: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="Only articles published on or after this date.")] = None,
    until: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="Only articles published on or before this date.")] = None,
    q: Annotated[Optional[str], typer.Option(help="Only articles whose title or text contains this.")] = None,
) -> None:
    """Export stored analyses: Parquet, JSON Lines, CSV, or Label Studio tasks with predictions."""
    from .store.db import Store
    from .store.export import export
    from .store.queries import ArticleFilters

    from .errors import InputError

    if fragments is not None and format is ExportFormat.label_studio:
        raise InputError("--fragments has no use with --format label-studio: each task holds its fragments")
    filters = ArticleFilters(outlet, technique, since.date() if since else None, until.date() if until else None, q)
    database = _sqlite_file(db)
    _check_out(out, database)
    _check_out(fragments, out, database)
    # create=False: a mistyped --db must not become a new, empty database (or add tables to another one)
    count = export(Store(db, create=False), format.value, out, filters, fragments)
    typer.echo(f"wrote {count} articles to {out}")


@import_app.command("label-studio")
def import_label_studio_command(
    export_file: Annotated[Path, typer.Argument(help="Label Studio JSON export with corrected annotations.")],
    out: Annotated[Path, typer.Option(help="PTC-format folder to write (train-articles/ and TC labels).")],
) -> None:
    """Turn corrected Label Studio annotations into PTC training data (for `spinlens train techniques`)."""
    from .store.export import import_label_studio

    with writing(out):  # it reports the export file it cannot read itself
        count = import_label_studio(export_file, out)
    typer.echo(f"wrote {count} annotated articles to {out}")


@train_app.command("attribution")
def train_attribution(
    data: Annotated[Path, typer.Option(help="PolNeAR folder with train/ and dev/.")],
    out: Annotated[Path, typer.Option(help="Folder to write tagger.onnx and card.json.")],
    techniques: Annotated[Optional[Path], typer.Option(help="Technique model whose encodings the tagger reads (default: the shipped one).")] = None,
    epochs: Annotated[int, typer.Option(help="Training epochs.")] = 8,
    seed: Annotated[int, typer.Option(help="Seed for shuffling and initialisation.")] = 13,
    threads: Annotated[int, typer.Option(help="CPU threads.")] = 2,
    limit: Annotated[Optional[int], typer.Option(help="Use only this many train texts (smoke runs).")] = None,
) -> None:
    """Train the attribution tagger on PolNeAR train, select it on dev, write ONNX and a card."""
    from .errors import InputError
    from .models import TECHNIQUES

    if not (data / "train" / "text").is_dir() or not (data / "dev" / "text").is_dir():
        raise InputError(f"{data} needs train/text and dev/text folders (PolNeAR)")
    try:
        from .attribution.training import AttributionTrainConfig, train
    except ImportError as error:
        raise InputError(f"training needs the train extra (pip install 'spinlens[train]'): {error}") from None
    config = AttributionTrainConfig(data=data, techniques=techniques or TECHNIQUES, out=out, epochs=epochs, seed=seed, threads=threads, limit=limit)
    _make_folder(out)
    train(config, log=typer.echo)


def _one_line(message: str) -> str:
    # A path or value with a line break in it would split the error over lines.
    return message.replace("\r", "\\r").replace("\n", "\\n")


def main() -> None:
    from .errors import SpinlensError

    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # the terminal report under an ASCII-only PYTHONIOENCODING
    try:
        # Not standalone: click's own usage errors (a bad option value) come here to be said in one line.
        code = app(standalone_mode=False)
    except SpinlensError as error:
        typer.echo(f"spinlens: error: {_one_line(str(error))}", err=True)
        sys.exit(2)
    except typer.TyperException as error:  # usage: an unknown option, a value of the wrong kind
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        typer.echo(f"spinlens: error: {_one_line(message)} (see --help)", err=True)
        sys.exit(getattr(error, "exit_code", 2))
    except (KeyboardInterrupt, typer.Abort):
        code = 130
    except BrokenPipeError:
        sys.exit(1)
    except Exception as error:  # a bug: still one line, the traceback on request
        if os.environ.get("SPINLENS_DEBUG"):
            raise
        typer.echo(f"spinlens: internal error: {type(error).__name__}: {_one_line(str(error))} (set SPINLENS_DEBUG=1 for a traceback)", err=True)
        sys.exit(1)
    if code == 130:  # Ctrl+C; typer turns it into this status by itself, silently, inside a command
        typer.echo("spinlens: interrupted", err=True)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
