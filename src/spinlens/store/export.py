"""Export the store for pandas / Polars / DuckDB users and for correction in Label Studio; import
corrected Label Studio annotations back as PTC training data."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, replacing, writing
from ..formats.ptc import article_id
from ..labels import TECHNIQUES
from .db import Store
from .queries import ArticleFilters, unknown_technique

FORMATS = ("parquet", "jsonl", "csv", "label-studio")

# The columns of each export, in order, with their types: an empty export still has them all.
ARTICLE_COLUMNS: dict[str, type] = {
    "id": int, "external_id": str, "url": str, "outlet": str, "title": str, "published": str, "words": int,
    "fragments": int, "density_per_1000_words": float, "author_fragments": int, "quoted_fragments": int,
    "attributions": int, "model_version": str, **{technique: int for technique in TECHNIQUES},
}
FRAGMENT_COLUMNS: dict[str, type] = {
    "article_id": int, "start": int, "end": int, "technique": str, "probability": float, "score": float, "technique_score": float,
    "voice": str, "text": str, "model_version": str,
}


def article_rows(store: Store, filters: ArticleFilters = ArticleFilters()) -> Iterator[dict[str, Any]]:
    """One row per article: ids, metadata, counts per technique, density per 1,000 words, voice split."""
    counts = store.technique_counts()
    for row in store.iter_articles(filters):
        per = counts.get(row["id"], {})
        words = row["words"] or 0
        yield {
            "id": row["id"], "external_id": row["external_id"], "url": row["url"], "outlet": row["outlet"],
            "title": row["title"], "published": row["published"], "words": words, "fragments": row["fragments"],
            "density_per_1000_words": round(1000 * row["fragments"] / words, 3) if words else 0.0,
            "author_fragments": row["fragments"] - row["quoted_fragments"], "quoted_fragments": row["quoted_fragments"],
            "attributions": row["attributions"], "model_version": row["model_version"],
            **{technique: per.get(technique, 0) for technique in TECHNIQUES},
        }


def fragment_rows(store: Store, filters: ArticleFilters = ArticleFilters()) -> Iterator[dict[str, Any]]:
    """One row per technique fragment: article id, offsets, technique (named as in the analysis JSON),
    probability (empty for analyses made before it), scores, voice, text, model version."""
    for row in store.iter_articles(filters):
        analysis = json.loads(row["analysis"])
        text = analysis["text"]
        for t in analysis["techniques"]:
            yield {
                "article_id": row["id"], "start": t["start"], "end": t["end"], "technique": t["technique"],
                "probability": t.get("probability"), "score": t["score"], "technique_score": t["technique_score"],
                "voice": t.get("voice", "author"),
                "text": text[t["start"] : t["end"]], "model_version": row["model_version"],
            }


def _write_rows(rows: list[dict[str, Any]], columns: dict[str, type], fmt: str, out: Path) -> None:
    if fmt == "parquet":
        # lazy: pyarrow takes a third of a second to import and only Parquet needs it
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {int: pa.int64(), float: pa.float64(), str: pa.string()}
        schema = pa.schema([(name, types[kind]) for name, kind in columns.items()])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), out)
    elif fmt == "jsonl":
        with open(out, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with open(out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns))
            writer.writeheader()
            writer.writerows(rows)


def label_studio_tasks(store: Store, filters: ArticleFilters = ArticleFilters()) -> list[dict[str, Any]]:
    """Tasks with spinlens's fragments as predictions, for a labelling config with
    `<Labels name="label" toName="text">` over `<Text name="text" value="$text"/>`. Label Studio's Text
    offsets count code points, as spinlens's do (not JavaScript's UTF-16 units), so they are written as they are."""
    tasks = []
    for row in store.iter_articles(filters):
        analysis = json.loads(row["analysis"])
        text = analysis["text"]
        results = [
            # the headline number: probability; score in analyses made before it
            {"id": f"f{i}", "from_name": "label", "to_name": "text", "type": "labels",
             "score": t["score"] if t.get("probability") is None else t["probability"],
             "value": {"start": t["start"], "end": t["end"], "text": text[t["start"] : t["end"]], "labels": [t["technique"]]}}
            for i, t in enumerate(analysis["techniques"])
        ]
        tasks.append({
            "data": {"text": text, "article_id": row["id"], "external_id": row["external_id"], "title": row["title"]},
            "predictions": [{"model_version": row["model_version"] or "spinlens", "result": results}],
        })
    return tasks


def export(store: Store, fmt: str, out: Path, filters: ArticleFilters = ArticleFilters(), fragments_out: Path | None = None) -> int:
    """Write the export; returns the number of articles written."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "label-studio":
        tasks = label_studio_tasks(store, filters)
        with writing(out), replacing(out) as path:
            path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
        return len(tasks)
    rows = list(article_rows(store, filters))
    # Each file is written beside its name and moved over it: a failed export leaves an older one whole.
    with writing(out), replacing(out) as path:
        _write_rows(rows, ARTICLE_COLUMNS, fmt, path)
    if fragments_out is not None:
        with writing(fragments_out), replacing(fragments_out) as path:
            _write_rows(list(fragment_rows(store, filters)), FRAGMENT_COLUMNS, fmt, path)
    return len(rows)


def _labelled_spans(number: int, task: object) -> tuple[str, str, list[tuple[str, int, int]]] | None:
    """A task's name, text and latest annotation as (technique, start, end) in code points; None when
    it has no annotation. Raises InputError for a task that is not a Label Studio task."""
    if not isinstance(task, dict) or not isinstance(task.get("data", {}), dict):
        raise InputError(f"task {number}: not a Label Studio task")
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if not annotations:
        return None
    data = task.get("data", {})
    text = data.get("text")
    if not isinstance(text, str):
        raise InputError(f"task {number}: its data has no text")
    name = str(data.get("external_id") or data.get("article_id") or task.get("id") or number)
    latest = max(annotations, key=lambda a: a.get("updated_at") or a.get("created_at") or "")
    spans = []
    for result in latest.get("result") or []:
        if isinstance(result, dict) and result.get("type", "labels") != "labels":
            continue  # a relation, a choice, a comment: no span
        value = result.get("value") if isinstance(result, dict) else None
        if not isinstance(value, dict):
            raise InputError(f"task {number}: a result without a value")
        for label in value.get("labels") or []:
            if label not in TECHNIQUES:
                raise InputError(f"task {number}: {unknown_technique(label)}")
            start, end = value.get("start"), value.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise InputError(f"task {number}: span {value.get('start')}-{value.get('end')} does not fit its text")
            # A tool that counts UTF-16 units (or an edited text) shifts offsets: the quoted text says so.
            quoted = value.get("text")
            if isinstance(quoted, str) and quoted != text[start:end]:
                raise InputError(f"task {number}: span {start}-{end} holds {text[start:end][:40]!r}, not the annotation's {quoted[:40]!r}")
            spans.append((label, start, end))
    return name, text, spans


def _file_stems(names: dict[int, str]) -> dict[int, str]:
    """Task number -> a file stem unique among them: `article<name>` (the PTC spelling; a numeric name
    is then the article id) when no other task has that name, else `article<name>-task<number>`.
    Names are reduced to letters and digits first, and compared ignoring case (file systems may)."""
    clean = {number: "".join(ch for ch in name if ch.isascii() and ch.isalnum()) or str(number) for number, name in names.items()}
    uses: dict[str, int] = {}
    for name in clean.values():
        uses[name.casefold()] = uses.get(name.casefold(), 0) + 1
    # "-" never survives the clean-up, so a suffixed stem cannot meet an unsuffixed one.
    return {number: f"article{name}" if uses[name.casefold()] == 1 else f"article{name}-task{number}" for number, name in clean.items()}


def import_label_studio(path: Path, out: Path) -> int:
    """Corrected Label Studio export (JSON) -> PTC folder: train-articles/ and the TC label folder.

    Each task's latest annotation wins; tasks without annotations are skipped. Every task is checked
    before anything is written. Label lines carry the id that formats.ptc.article_id reads from the
    article's file name, so predict and eval ptc agree with them. Returns articles written."""
    if Path(path).exists() and not Path(path).is_file():  # a folder or a device (/dev/zero: memory without end)
        raise InputError(f"{path}: not a file")
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a Label Studio JSON export ({error})") from None
    if not isinstance(tasks, list):
        raise InputError(f"{path}: expected a list of tasks")
    annotated = {number: found for number, task in enumerate(tasks, 1) if (found := _labelled_spans(number, task)) is not None}
    stems = _file_stems({number: name for number, (name, _, _) in annotated.items()})
    articles_dir = Path(out) / "train-articles"
    labels_dir = Path(out) / "train-labels-task2-technique-classification"
    articles_dir.mkdir(parents=True, exist_ok=True)
    labels_dir.mkdir(parents=True, exist_ok=True)
    for number, (_, text, spans) in annotated.items():
        article_file = articles_dir / f"{stems[number]}.txt"
        ptc_id = article_id(article_file)
        with open(article_file, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        lines = "".join(f"{ptc_id}\t{label}\t{start}\t{end}\n" for label, start, end in spans)
        (labels_dir / f"{stems[number]}.task2-TC.labels").write_text(lines, encoding="utf-8")
    return len(annotated)
