"""Figures every report shows: counts per technique and the most technique-dense sentences."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..types import Analysis, SentenceScore


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


def technique_counts(analysis: Analysis) -> list[tuple[str, int]]:
    return Counter(t.technique for t in analysis.techniques).most_common()


def segments(analysis: Analysis) -> list[Segment]:
    """Cut the text at every span boundary so overlapping fragments can each be shown."""
    parts = attribution_parts(analysis)
    cuts = {0, len(analysis.text)}
    for t in analysis.techniques:
        cuts.update((t.start, t.end))
    for _, _, start, end in parts:
        cuts.update((start, end))
    points = sorted(cuts)
    out = []
    for start, end in zip(points, points[1:]):
        active = tuple(i for i, t in enumerate(analysis.techniques) if t.start <= start and t.end >= end)
        roles = tuple((i, role) for i, role, s, e in parts if s <= start and e >= end)
        out.append(Segment(start, end, active, roles))
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
    ranked = []
    for sentence in analysis.sentences:
        n = sum(1 for t in analysis.techniques if t.start < sentence.end and t.end > sentence.start)
        if n:
            ranked.append((sentence, n))
    ranked.sort(key=lambda pair: (-pair[1], -pair[0].score))
    return ranked[:limit]
