"""Corpus commands: `spinlens batch` analyses many articles into a database, `spinlens export` writes the
stored analyses out, and `spinlens import` reads corrected annotations back as training data."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import InputError, readable, writing
from ._util import DbOption, MinAttributionScoreOption, MinProbabilityOption, _check_out, _check_thresholds, _needs, _say, app, import_app


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class ExportFormat(str, Enum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"
    label_studio = "label-studio"


@app.command("batch")
def batch(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders: .jsonl, .warc(.gz), .html/.htm pages; every other file is read as text (hidden ones skipped in folders).")],
    db: DbOption = None,
    workers: Annotated[int, typer.Option(min=1, max=1024, help="Worker processes (one thread each).")] = 1,
    engine: Annotated[Engine, typer.Option(help="local processes, or a Dask cluster.")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, tcp://host:8786 (default: a LocalCluster).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per task sent to a worker.")] = 8,
    progress: Annotated[bool, typer.Option(help="Show progress.")] = True,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Try again the inputs that failed in earlier runs.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Store each fragment's nearest annotated PTC examples of its technique.")] = False,
    min_probability: MinProbabilityOption = None,
    min_attribution_score: MinAttributionScoreOption = None,
) -> None:
    """Analyse a corpus into the database; run it again after an interruption to finish only what is missing.
    Exit status: 0 when every input is stored, 3 when some are recorded as failed (in this run or, not
    retried, in an earlier one) and the rest stored, 2 when inputs failed and none could be analysed."""
    _needs("batch", "sqlalchemy", "warcio", *(("dask", "distributed") if engine is Engine.dask else ()))
    from ..batch.runner import run_batch  # lazy: sqlalchemy
    from ..store.db import Store  # lazy: sqlalchemy

    _check_thresholds(min_probability, min_attribution_score)
    if scheduler and engine is not Engine.dask:  # checked before the database is opened (or created)
        raise InputError("--scheduler needs --engine dask")
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    store = Store(db)
    summary = run_batch(inputs, store, workers, engine.value, scheduler, batch_size, progress, retry_failed, explain, min_probability,
                        min_attribution_score)
    for key, error in summary.failures[-10:]:
        typer.echo(f"failed: {readable(key, 1000)}: {error}", err=True)
    if len(summary.failures) > 10:
        typer.echo(f"... {len(summary.failures) - 10} more failures recorded in the database (inputs table)", err=True)
    _say(summary.line())
    if summary.failed and not summary.analysed and not summary.skipped:  # as `analyze` on input it cannot analyse
        raise typer.Exit(2)
    if summary.failed or summary.skipped_failed:
        raise typer.Exit(3)


def _sqlite_file(db: str | None) -> Path | None:
    """The file an SQLite URL names; None for other databases, in-memory ones and URLs that do not parse
    (which the store refuses itself)."""
    import sqlalchemy as sa  # lazy: sqlalchemy

    from ..store.db import default_url  # lazy: sqlalchemy

    try:
        url = sa.engine.make_url(db or default_url())
    except sa.exc.ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


@app.command("export")
def export_command(
    format: Annotated[Optional[ExportFormat], typer.Option("--format", help="Output format of --out.")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Output file (one row per article; Label Studio: a task list).")] = None,
    db: DbOption = None,
    sources: Annotated[Optional[Path], typer.Option(help="Write the source map to this file: .csv or .parquet (one row per outlet, intermediary, source and source type) or .graphml (the network, for Gephi).")] = None,
    source_type: Annotated[Optional[str], typer.Option(help="With --sources: only attributions of this source type.")] = None,
    fragments: Annotated[Optional[Path], typer.Option(help="Also write one row per fragment to this file (not with Label Studio, whose tasks hold them).")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only this outlet.")] = None,
    technique: Annotated[Optional[str], typer.Option(help="Only articles with a fragment of this technique.")] = None,
    since: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="Only articles published on or after this date.")] = None,
    until: Annotated[Optional[datetime], typer.Option(formats=["%Y-%m-%d"], help="Only articles published on or before this date.")] = None,
    q: Annotated[Optional[str], typer.Option(help="Only articles whose title or text contains this.")] = None,
) -> None:
    """Export stored analyses: Parquet, JSON Lines, CSV, or Label Studio tasks with predictions; with --sources,
    the source map (who is quoted, by which outlets, through which intermediaries)."""
    if (out is None) != (format is None) or (out is None and sources is None):
        raise InputError("give --out FILE with --format, or --sources FILE, or both")
    parquet = format is ExportFormat.parquet or (sources is not None and sources.suffix.lower() == ".parquet")
    _needs("export", "sqlalchemy", *(("pyarrow",) if parquet else ()))
    from ..store.db import Store  # lazy: sqlalchemy
    from ..store.export import export  # lazy: sqlalchemy
    from ..store.queries import ArticleFilters  # lazy: sqlalchemy
    from ..store.sources import check_source_type, export_sources, source_format  # lazy: sqlalchemy

    if fragments is not None and format is ExportFormat.label_studio:
        raise InputError("--fragments has no use with --format label-studio: each task holds its fragments")
    if fragments is not None and out is None:
        raise InputError("--fragments goes with --out (one row per article) and --format")
    if source_type is not None and sources is None:
        raise InputError("--source-type narrows --sources only")
    check_source_type(source_type)
    filters = ArticleFilters(outlet, technique, since.date() if since else None, until.date() if until else None, q)
    database = _sqlite_file(db)
    _check_out(out, database)
    _check_out(fragments, out, database)
    _check_out(sources, out, fragments, database)
    if sources is not None:
        source_format(sources)
    # create=False: a mistyped --db must not become a new, empty database (or add tables to another one)
    store = Store(db, create=False)
    if out is not None and format is not None:
        count = export(store, format.value, out, filters, fragments)
        _say(f"wrote {count} articles to {out}")
    if sources is not None:
        count = export_sources(store, sources, filters, source_type)
        _say(f"wrote {count} {'edges' if source_format(sources) == 'graphml' else 'rows'} of the source map to {sources}")


@import_app.command("label-studio")
def import_label_studio_command(
    export_file: Annotated[Path, typer.Argument(help="Label Studio JSON export with corrected annotations.")],
    out: Annotated[Path, typer.Option(help="PTC-format folder to write (train-articles/ and TC labels).")],
) -> None:
    """Turn corrected Label Studio annotations into PTC training data (for `spinlens train techniques`)."""
    _needs("import label-studio", "sqlalchemy")  # store.export, which holds it, imports the store
    from ..store.export import import_label_studio  # lazy: sqlalchemy

    with writing(out):  # it reports the export file it cannot read itself
        count = import_label_studio(export_file, out)
    _say(f"wrote {count} annotated articles to {out}")
