"""Export the store for pandas / Polars / DuckDB users and for correction in Label Studio; import
corrected Label Studio annotations back as PTC training data."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..techniques.labels import TECHNIQUES
from .db import Store
from .queries import ArticleFilters

FORMATS = ("parquet", "jsonl", "csv", "label-studio")


def article_rows(store: Store, filters: ArticleFilters = ArticleFilters()) -> Iterator[dict]:
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


def fragment_rows(store: Store, filters: ArticleFilters = ArticleFilters()) -> Iterator[dict]:
    """One row per technique fragment: article id, offsets, label, scores, voice, text, model version."""
    for row in store.iter_articles(filters):
        analysis = json.loads(row["analysis"])
        text = analysis["text"]
        for t in analysis["techniques"]:
            yield {
                "article_id": row["id"], "start": t["start"], "end": t["end"], "label": t["technique"],
                "score": t["score"], "technique_score": t["technique_score"], "voice": t.get("voice", "author"),
                "text": text[t["start"] : t["end"]], "model_version": row["model_version"],
            }


def _write_rows(rows: list[dict], fmt: str, out: Path) -> None:
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), out)
    elif fmt == "jsonl":
        with open(out, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with open(out, "w", encoding="utf-8", newline="") as handle:
            if rows:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)


def utf16_offsets(text: str) -> list[int]:
    """Label Studio counts offsets in UTF-16 code units (JavaScript strings); spinlens in code points.
    Returns, for each code-point offset 0..len(text), its UTF-16 offset."""
    out, position = [0], 0
    for ch in text:
        position += 2 if ord(ch) > 0xFFFF else 1
        out.append(position)
    return out


def label_studio_tasks(store: Store, filters: ArticleFilters = ArticleFilters()) -> list[dict]:
    """Tasks with spinlens's fragments as predictions, for a labelling config with
    `<Labels name="label" toName="text">` over `<Text name="text" value="$text"/>`."""
    tasks = []
    for row in store.iter_articles(filters):
        analysis = json.loads(row["analysis"])
        text = analysis["text"]
        utf16 = utf16_offsets(text)
        results = [
            {"id": f"f{i}", "from_name": "label", "to_name": "text", "type": "labels", "score": t["score"],
             "value": {"start": utf16[t["start"]], "end": utf16[t["end"]], "text": text[t["start"] : t["end"]], "labels": [t["technique"]]}}
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
    try:
        if fmt == "label-studio":
            tasks = label_studio_tasks(store, filters)
            Path(out).write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
            return len(tasks)
        rows = list(article_rows(store, filters))
        _write_rows(rows, fmt, out)
        if fragments_out is not None:
            _write_rows(list(fragment_rows(store, filters)), fmt, fragments_out)
        return len(rows)
    except OSError as error:
        raise InputError(f"cannot write {out}: {error.strerror}") from None


def import_label_studio(path: Path, out: Path) -> int:
    """Corrected Label Studio export (JSON) -> PTC folder: train-articles/ and the TC label folder.

    Each task's latest annotation wins; tasks without annotations are skipped. Returns articles written."""
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a Label Studio JSON export ({error})") from None
    if not isinstance(tasks, list):
        raise InputError(f"{path}: expected a list of tasks")
    articles_dir = Path(out) / "train-articles"
    labels_dir = Path(out) / "train-labels-task2-technique-classification"
    articles_dir.mkdir(parents=True, exist_ok=True)
    labels_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for number, task in enumerate(tasks, 1):
        annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if not annotations:
            continue
        data = task.get("data", {})
        text = data.get("text", "")
        article_id = str(data.get("external_id") or data.get("article_id") or task.get("id") or number)
        article_id = "".join(ch for ch in article_id if ch.isalnum()) or str(number)
        latest = max(annotations, key=lambda a: a.get("updated_at") or a.get("created_at") or "")
        code_point = {u: c for c, u in enumerate(utf16_offsets(text))}
        lines = []
        for result in latest.get("result", []):
            value = result.get("value", {})
            for label in value.get("labels", []):
                if label not in TECHNIQUES:
                    raise InputError(f"task {number}: unknown technique {label!r}")
                start, end = code_point.get(int(value["start"])), code_point.get(int(value["end"]))
                if start is None or end is None or end <= start:
                    raise InputError(f"task {number}: span {value.get('start')}-{value.get('end')} does not fit its text")
                lines.append(f"{article_id}\t{label}\t{start}\t{end}\n")
        with open(articles_dir / f"article{article_id}.txt", "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        (labels_dir / f"article{article_id}.task2-TC.labels").write_text("".join(lines), encoding="utf-8")
        written += 1
    return written
