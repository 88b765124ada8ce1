"""`spinlens analyze`: one article to a text, JSON or HTML report."""

from __future__ import annotations

import sys
from enum import Enum
from io import StringIO
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import ingest
from ..errors import FetchError, InputError
from ..render.html import render_page
from ..types import Analysis
from ._util import (
    AttributionModelOption,
    MinAttributionScoreOption,
    MinProbabilityOption,
    ModelOption,
    _check_out,
    _check_thresholds,
    _stdout,
    _write,
    _writing_stdout,
    app,
)


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


@app.command("analyze")
def analyze(
    source: Annotated[str, typer.Argument(help="A text or HTML file, an http(s) URL, or - for standard input.")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", metavar="<format>", help="Report format: text, json or html.")] = ReportFormat.text,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the report here instead of standard output.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow URLs on loopback and private addresses.")] = False,
    model: ModelOption = None,
    attribution_model: AttributionModelOption = None,
    attribution: Annotated[bool, typer.Option("--attribution/--no-attribution", help="Find who is cited for each claim.")] = True,
    explain: Annotated[bool, typer.Option("--explain", help="Show each fragment's nearest annotated PTC examples of its technique.")] = False,
    min_probability: MinProbabilityOption = None,
    min_attribution_score: MinAttributionScoreOption = None,
) -> None:
    """Analyse one article and report its technique fragments."""
    from ..pipeline import Analyzer  # lazy: numpy and onnxruntime

    _check_thresholds(min_probability, min_attribution_score)
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
    analysis = Analyzer(model, attribution=None if attribution else False, attribution_dir=attribution_model, explain=explain,
                        min_probability=min_probability, min_attribution_score=min_attribution_score).analyze(article)
    if format is ReportFormat.json:
        _write(out, analysis.to_json() + "\n")
    elif format is ReportFormat.html:
        _write(out, render_page(analysis))
    else:
        _write_terminal_report(analysis, out)


def _write_terminal_report(analysis: Analysis, out: Path | None) -> None:
    """The text report: in colour on a terminal, plain in a file."""
    from rich.console import Console  # lazy: rich

    from ..render.terminal import render  # lazy: rich

    if out is None:
        console = Console(file=_stdout())
        if console.width < 20:  # COLUMNS=0 (or a tiny value) made Rich print nothing at all
            console.width = 80
        with _writing_stdout():
            render(analysis, console)
    else:
        buffer = StringIO()
        render(analysis, Console(file=buffer, force_terminal=False, width=100))
        _write(out, buffer.getvalue())
