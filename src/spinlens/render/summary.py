"""Figures every report shows: counts per technique and the most technique-dense sentences."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..types import Analysis, SentenceScore


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same set of technique spans (indices into analysis.techniques)."""

    start: int
    end: int
    spans: tuple[int, ...]


def technique_counts(analysis: Analysis) -> list[tuple[str, int]]:
    return Counter(t.technique for t in analysis.techniques).most_common()


def segments(analysis: Analysis) -> list[Segment]:
    """Cut the text at every span boundary so overlapping fragments can each be shown."""
    cuts = {0, len(analysis.text)}
    for t in analysis.techniques:
        cuts.update((t.start, t.end))
    points = sorted(cuts)
    out = []
    for start, end in zip(points, points[1:]):
        active = tuple(i for i, t in enumerate(analysis.techniques) if t.start <= start and t.end >= end)
        out.append(Segment(start, end, active))
    return out


def densest_sentences(analysis: Analysis, limit: int = 5) -> list[tuple[SentenceScore, int]]:
    """Sentences with the most technique fragments (ties by score), with their fragment counts."""
    ranked = []
    for sentence in analysis.sentences:
        n = sum(1 for t in analysis.techniques if t.start < sentence.end and t.end > sentence.start)
        if n:
            ranked.append((sentence, n))
    ranked.sort(key=lambda pair: (-pair[1], -pair[0].score))
    return ranked[:limit]
