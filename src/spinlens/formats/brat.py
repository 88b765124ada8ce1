"""BRAT standoff files as PolNeAR uses them: T lines (typed, possibly discontinuous spans) and E lines
(attribution events tying a cue to its sources and contents). Pure functions."""

from __future__ import annotations

import glob
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict

from ..types import ROLES
from .ptc import read_article

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?(.*)$")
_E_LINE = re.compile(r"^(E\d+)\t(.+)$")
_T_ID = re.compile(r"^(T\d+)\t")


# A span to write: (start, end), or one (start, end) per piece of a discontinuous span.
BratSpan = tuple[int, int] | tuple[tuple[int, int], ...]


class BratAttribution(TypedDict):
    """One attribution for format_brat: its cue, and its sources and contents (none when left out)."""

    cue: BratSpan
    sources: NotRequired[list[BratSpan]]
    contents: NotRequired[list[BratSpan]]


@dataclass(frozen=True)
class TextBound:
    id: str
    role: str  # Source, Cue, Content, Attribution …
    pieces: tuple[tuple[int, int], ...]  # one (start, end) each, end exclusive
    text: str = ""


@dataclass(frozen=True)
class Event:
    id: str
    arguments: tuple[tuple[str, str], ...]  # (role, text-bound id); the trigger first

    def of(self, role: str) -> list[str]:
        return [ref for r, ref in self.arguments if r.rstrip("0123456789") == role]


@dataclass(frozen=True)
class BratDocument:
    spans: dict[str, TextBound]
    events: tuple[Event, ...]

    def role_spans(self, role: str) -> list[tuple[int, int]]:
        return [piece for span in self.spans.values() if span.role == role for piece in span.pieces]


def _pieces(match: re.Match[str]) -> tuple[tuple[int, ...], ...]:
    """A T line's offsets, one tuple per `;`-separated piece; a well-formed piece has two."""
    return tuple(tuple(int(x) for x in piece.split()) for piece in match.group(3).strip().split(";"))


def parse_brat(content: str) -> BratDocument:
    """Parse T and E lines; notes, relations and continuation lines of multi-line span texts are skipped."""
    spans: dict[str, TextBound] = {}
    events: list[Event] = []
    for line in content.splitlines():
        if match := _T_LINE.match(line):
            pieces = _pieces(match)
            if all(len(p) == 2 and p[0] <= p[1] for p in pieces):
                pairs = tuple((start, end) for start, end in pieces)
                spans[match.group(1)] = TextBound(match.group(1), match.group(2), pairs, match.group(4))
        elif match := _E_LINE.match(line):
            arguments = tuple((role, ref) for role, ref in (arg.split(":", 1) for arg in match.group(2).split() if ":" in arg))
            events.append(Event(match.group(1), arguments))
    return BratDocument(spans, tuple(events))


def format_brat(text: str, attributions: Iterable[BratAttribution]) -> str:
    """Write attributions as PolNeAR BRAT: each a dict with "cue" (start, end), "sources" and "contents"
    (lists of spans, each a (start, end) or a tuple of pieces for a discontinuous span)."""
    lines: list[str] = []
    counter = iter(range(1, 1_000_000))

    def text_bound(role: str, span: BratSpan) -> str:
        pieces = span if isinstance(span[0], tuple) else (span,)
        tid = f"T{next(counter)}"
        location = ";".join(f"{s} {e}" for s, e in pieces)
        covered = " ".join(text[s:e] for s, e in pieces).replace("\n", " ")
        lines.append(f"{tid}\t{role} {location}\t{covered}")
        return tid

    for number, attribution in enumerate(attributions, 1):
        cue = text_bound("Cue", attribution["cue"])
        trigger = text_bound("Attribution", attribution["cue"])
        arguments = [f"Attribution:{trigger}", f"Cue:{cue}"]
        arguments += [f"Source:{text_bound('Source', s)}" for s in attribution.get("sources", [])]
        arguments += [f"Content:{text_bound('Content', c)}" for c in attribution.get("contents", [])]
        lines.append(f"E{number}\t" + " ".join(arguments))
    return "".join(line + "\n" for line in lines)


def read_text(path: Path) -> str:
    """A text whose BRAT offsets are read or written: strict UTF-8 as PTC articles are read, but with line
    ends read as "\n" (as the reference scorer reads them, so a CRLF text's offsets agree with it)."""
    return io.StringIO(read_article(path), newline=None).read()


def read_ann(path: Path) -> str:
    """A BRAT file's content: strict UTF-8, an error naming the file, and without a byte-order mark,
    which would make its first line unreadable (and so silently dropped)."""
    return read_article(path).removeprefix("\ufeff")


def read_brat(path: Path) -> BratDocument:
    return parse_brat(read_ann(path))


def span_problem(content: str, length: int) -> str | None:
    """The first line of a BRAT file that is a Source, Cue or Content line that cannot be a span of a text
    of `length` characters (unreadable offsets, start after end, past the end), or a T line that repeats
    an id; or None. parse_brat skips lines it cannot read and keeps one span per id; a scorer must not,
    or a broken file would score as a sparse one."""
    first_line: dict[str, int] = {}
    for number, line in enumerate(content.splitlines(), 1):
        if id_match := _T_ID.match(line):
            if (tid := id_match.group(1)) in first_line:
                return f"line {number}: id {tid} is used again (first on line {first_line[tid]})"
            first_line[tid] = number
        fields = line.split("\t")
        if not line.startswith("T") or len(fields) < 2 or fields[1].split(" ", 1)[0] not in ROLES:
            continue
        match = _T_LINE.match(line)
        pieces = _pieces(match) if match else ()
        if not pieces or any(len(piece) != 2 for piece in pieces):
            return f"line {number}: cannot read the offsets of {line[:80]!r}"
        for start, end in pieces:
            if not 0 <= start <= end <= length:
                return f"line {number}: span {start} {end} does not lie within the text ({length} characters)"
    return None


def gold_file(folder: Path, stem: str) -> Path | None:
    """`NAME.ann`, else the first `NAME_xxxx.ann` (PolNeAR adds the annotator's code)."""
    exact = Path(folder) / f"{stem}.ann"
    if exact.exists():
        return exact
    candidates = sorted(Path(folder).glob(f"{glob.escape(stem)}_????.ann"))  # a name may hold [ ] * ?
    return candidates[0] if candidates else None
