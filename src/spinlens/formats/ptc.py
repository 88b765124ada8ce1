"""Readers and writers for the PTC (SemEval-2020 Task 11) file formats. Pure functions.

Readers raise ValueError with a one-line message that names the file (and line) at fault."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..labels import TECHNIQUES

_ARTICLE_NAME = re.compile(r"^article(\d+)\.txt$")
_LABELS_NAME = re.compile(r"^article(\d+)\.")


@dataclass(frozen=True)
class LabelledSpan:
    article_id: str
    start: int
    end: int
    technique: str | None = None  # None for SI lines


def article_id(path: Path) -> str:
    """`article111111111.txt` -> `111111111`; other names keep their stem.

    An id that label lines cannot carry is refused: a tab would add a column, a line break split the
    line, and a leading `#` make it a comment line, so every line of that article would be misread."""
    match = _ARTICLE_NAME.match(path.name)
    name = match.group(1) if match else path.stem
    if "\t" in name or "\n" in name or "\r" in name or name.startswith("#"):
        raise ValueError(f"{path}: article id {name!r} would break its label lines (a tab, a line break or a leading #); rename the file")
    return name


def _decode(path: Path) -> str:
    # Decoded whole, not line by line, so an error gives the byte offset in the file.
    try:
        return Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not valid UTF-8 (byte {error.start}); convert it to UTF-8 first") from None


def read_article(path: Path) -> str:
    # Bytes decoded as they are, without newline translation: PTC offsets count every character.
    return _decode(path)


def read_articles(directory: Path) -> dict[str, str]:
    articles: dict[str, str] = {}
    named: dict[str, Path] = {}
    for path in sorted(Path(directory).glob("*.txt")):
        name = article_id(path)
        if name in named:  # article1.txt and 1.txt: one would silently replace the other
            raise ValueError(f"{named[name]} and {path} are both article {name}; rename one")
        named[name], articles[name] = path, read_article(path)
    return articles


def _parse_fields(fields: list[str]) -> LabelledSpan | None:
    if not all(field.isascii() for field in fields[-2:]):  # int() also reads "١" (Arabic-Indic one) as 1
        return None
    try:
        if len(fields) == 3:
            return LabelledSpan(fields[0], int(fields[1]), int(fields[2]))
        if len(fields) == 4:
            return LabelledSpan(fields[0], int(fields[2]), int(fields[3]), None if fields[1] == "?" else fields[1])
    except ValueError:
        pass
    return None


def span_problem(span: LabelledSpan, length: int) -> str | None:
    """Why `span` cannot be a fragment of its article of `length` characters, or None if it can."""
    if span.start < 0:
        return f"start {span.start} is negative"
    if span.start >= span.end:
        return f"start {span.start} is not before end {span.end}"
    if span.end > length:
        return f"end {span.end} is past the end of article {span.article_id} ({length} characters)"
    return None


def parse_label_lines(
    lines: Iterable[str],
    lengths: Mapping[str, int] | None = None,
    skip_other_articles: bool = False,
    need_technique: bool = False,
) -> Iterator[LabelledSpan]:
    """Parse SI (`ID start end`), TC/FLC (`ID technique start end`) lines; blank and # lines skipped.

    A technique must be one of the 14 labels (another name, such as a misspelt one, would match nothing
    and silently score 0), and with `need_technique` (TC and FLC scoring) every line must have one: no
    SI lines, no template `?`. With `lengths` (article ID -> characters), each span must lie within its
    article, and a line for an article not in `lengths` is an error, or skipped with
    `skip_other_articles` (gold labels may cover more articles than those scored)."""
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        span = _parse_fields(line.split("\t"))
        if span is None:
            raise ValueError(f"line {number}: expected 3 or 4 tab-separated fields, got {line!r}")
        if span.technique is not None and span.technique not in TECHNIQUES:
            raise ValueError(f"line {number}: unknown technique {span.technique!r}; the techniques are {' '.join(TECHNIQUES)}")
        if need_technique and span.technique is None:
            raise ValueError(f"line {number}: no technique in {line!r}; TC and FLC lines are ID, technique, start, end")
        if lengths is not None:
            if span.article_id not in lengths:
                if skip_other_articles:
                    continue
                raise ValueError(f"line {number}: no article {span.article_id} among the articles")
            if problem := span_problem(span, lengths[span.article_id]):
                raise ValueError(f"line {number}: {problem}")
        yield span


def label_files(path: Path) -> list[Path]:
    """A label file, or every `*.labels` file in a folder."""
    path = Path(path)
    return sorted(path.glob("*.labels")) if path.is_dir() else [path]


def read_labels(
    path: Path, lengths: Mapping[str, int] | None = None, skip_other_articles: bool = False, need_technique: bool = False
) -> list[LabelledSpan]:
    """Read one label file, or every `*.labels` file in a folder (see parse_label_lines for the rest)."""
    spans: list[LabelledSpan] = []
    for file in label_files(path):
        # newline=None reads \r\n and \r as line ends, as open() in text mode does.
        # A byte-order mark is not part of the first line's article id (which then matched no article).
        lines = io.StringIO(_decode(file).removeprefix("\ufeff"), newline=None)
        try:
            spans.extend(parse_label_lines(lines, lengths, skip_other_articles, need_technique))
        except ValueError as error:
            raise ValueError(f"{file}: {error}") from None
    return spans


def labelled_article_id(path: Path) -> str:
    """The article a label file is for: `article111.task2-TC.labels` -> `111`; other names their stem."""
    match = _LABELS_NAME.match(path.name)
    return match.group(1) if match else path.name.split(".")[0]


def format_si(spans: Iterable[LabelledSpan]) -> str:
    return "".join(f"{s.article_id}\t{s.start}\t{s.end}\n" for s in spans)


def format_tc(spans: Iterable[LabelledSpan]) -> str:
    return "".join(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in spans)
