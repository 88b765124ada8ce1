"""Figures every report shows: counts per technique and the most technique-dense sentences; and the article's
text made fit to show."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..ingest import CONTROL_CHARACTERS
from ..types import Analysis, SentenceScore

# Article text may carry control codes. In a terminal they drive it (retitle it, clear it); in HTML they are
# parse errors; and both drop some of them (a CRLF file's \r), which shifts every highlight after them. One
# character for one keeps every offset: a lone CR stays a line break, any other control code but tab and
# newline becomes a space.
_CONTROL_TO_SPACE = str.maketrans({ch: " " for ch in CONTROL_CHARACTERS})
_LONE_CR = re.compile(r"\r(?!\n)")


def safe_text(text: str) -> str:
    """Article-derived text fit to print or to put in a page, as long as it was."""
    return _LONE_CR.sub("\n", text).translate(_CONTROL_TO_SPACE)


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same technique spans and attribution parts."""

    start: int
    end: int
    spans: tuple[int, ...]  # indices into analysis.techniques
    roles: tuple[tuple[int, str], ...] = ()  # (index into analysis.attributions, "source" | "cue" | "content")


def attribution_parts(analysis: Analysis) -> list[tuple[int, str, int, int]]:
    """(attribution index, role, start, end) for every source, cue and content span."""
    parts = []
    for index, attribution in enumerate(analysis.attributions):
        parts.append((index, "cue", attribution.cue.start, attribution.cue.end))
        parts += [(index, "source", s.start, s.end) for s in attribution.sources]
        parts += [(index, "content", c.start, c.end) for c in attribution.contents]
    return parts


def percent(probability: float) -> str:
    """A probability for people, as a whole percentage ("62 %"): what is neither impossible nor certain never
    shows as "0 %" or "100 %"."""
    value = round(probability * 100)
    if value == 0 and probability > 0:
        return "<1 %"
    if value == 100 and probability < 1:
        return ">99 %"
    return f"{value} %"


def technique_counts(analysis: Analysis) -> list[tuple[str, int]]:
    return Counter(t.technique for t in analysis.techniques).most_common()


def segments(analysis: Analysis) -> list[Segment]:
    """Cut the text at every span boundary so overlapping fragments can each be shown. One sweep over the
    boundaries: checking every span at every cut grew with the square of the article."""
    parts = attribution_parts(analysis)
    opening: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
    closing: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
    spans = [("technique", i, t.start, t.end) for i, t in enumerate(analysis.techniques)]
    spans += [("part", k, start, end) for k, (_, _, start, end) in enumerate(parts)]
    for kind, k, start, end in spans:
        if start < end:  # an empty span covers no stretch of text
            opening[start].append((kind, k))
            closing[end].append((kind, k))
    points = sorted({0, len(analysis.text)} | {s[2] for s in spans} | {s[3] for s in spans})
    active: set[tuple[str, int]] = set()
    out = []
    for start, end in zip(points, points[1:]):
        active.difference_update(closing.get(start, ()))
        active.update(opening.get(start, ()))
        ordered = sorted(active)
        out.append(Segment(
            start, end,
            tuple(k for kind, k in ordered if kind == "technique"),
            tuple(parts[k][:2] for kind, k in ordered if kind == "part"),
        ))
    return out


def speaker_name(analysis: Analysis, index: int) -> str:
    """How a report names an attribution's source: its fullest mention, and any intermediaries."""
    attribution = analysis.attributions[index]
    name = (attribution.speaker or (attribution.sources[0] if attribution.sources else None))
    label = " ".join(name.text.split()) if name else "unnamed source"
    if attribution.via:
        label += ", via " + " and ".join(" ".join(v.text.split()) for v in attribution.via)
    return label


def densest_sentences(analysis: Analysis, limit: int = 5) -> list[tuple[SentenceScore, int]]:
    """Sentences with the most technique fragments (ties by score), with their fragment counts."""
    starts = sorted(t.start for t in analysis.techniques)
    ends = sorted(t.end for t in analysis.techniques)
    ranked = []
    for sentence in analysis.sentences:
        # Fragments that start before the sentence ends, less those that end before it starts.
        n = bisect_left(starts, sentence.end) - bisect_right(ends, sentence.start)
        if n > 0:
            ranked.append((sentence, n))
    ranked.sort(key=lambda pair: (-pair[1], -pair[0].score))
    return ranked[:limit]
