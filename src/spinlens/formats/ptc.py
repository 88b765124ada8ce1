"""Readers and writers for the PTC (SemEval-2020 Task 11) file formats. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_ARTICLE_NAME = re.compile(r"^article(\d+)\.txt$")


@dataclass(frozen=True)
class LabelledSpan:
    article_id: str
    start: int
    end: int
    technique: str | None = None  # None for SI lines


def article_id(path: Path) -> str:
    """`article111111111.txt` -> `111111111`; other names keep their stem."""
    match = _ARTICLE_NAME.match(path.name)
    return match.group(1) if match else path.stem


def read_article(path: Path) -> str:
    # newline="" keeps the text exactly as on disk: PTC offsets count every character.
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def read_articles(directory: Path) -> dict[str, str]:
    return {article_id(p): read_article(p) for p in sorted(Path(directory).glob("*.txt"))}


def parse_label_lines(lines: Iterable[str]) -> Iterator[LabelledSpan]:
    """Parse SI (`ID start end`), TC/FLC (`ID technique start end`) lines; blank and # lines skipped."""
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            if len(fields) == 3:
                yield LabelledSpan(fields[0], int(fields[1]), int(fields[2]))
            elif len(fields) == 4:
                technique = None if fields[1] == "?" else fields[1]
                yield LabelledSpan(fields[0], int(fields[2]), int(fields[3]), technique)
            else:
                raise ValueError
        except ValueError:
            raise ValueError(f"line {number}: expected 3 or 4 tab-separated fields, got {line!r}") from None


def read_labels(path: Path) -> list[LabelledSpan]:
    """Read one label file, or every `*.labels` file in a folder."""
    path = Path(path)
    files = sorted(path.glob("*.labels")) if path.is_dir() else [path]
    spans: list[LabelledSpan] = []
    for file in files:
        with open(file, encoding="utf-8") as handle:
            spans.extend(parse_label_lines(handle))
    return spans


def format_si(spans: Iterable[LabelledSpan]) -> str:
    return "".join(f"{s.article_id}\t{s.start}\t{s.end}\n" for s in spans)


def format_tc(spans: Iterable[LabelledSpan]) -> str:
    return "".join(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in spans)
