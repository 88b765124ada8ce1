"""Whose voice carries each technique: the author's, or a quoted source's."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from ..types import Attribution, TechniqueSpan


def assign_voice(techniques: tuple[TechniqueSpan, ...], attributions: tuple[Attribution, ...]) -> tuple[TechniqueSpan, ...]:
    """A fragment is quoted when at least half of its characters lie in one attribution's contents
    (the one holding most of them; the first on a tie)."""
    # Contents by start, so each fragment looks only at those that can reach it, not at every attribution.
    contents = sorted((c.start, c.end, index) for index, a in enumerate(attributions) for c in a.contents)
    starts = [start for start, _, _ in contents]
    longest = max((end - start for start, end, _ in contents), default=0)
    voiced = []
    for span in techniques:
        overlaps: dict[int, int] = {}
        for start, end, index in contents[bisect_left(starts, span.start - longest) : bisect_left(starts, span.end)]:
            if (overlap := min(span.end, end) - max(span.start, start)) > 0:
                overlaps[index] = overlaps.get(index, 0) + overlap
        best_overlap = max(overlaps.values(), default=0)
        best = min((index for index, overlap in overlaps.items() if overlap == best_overlap), default=None)
        if best is not None and best_overlap * 2 >= span.end - span.start:
            voiced.append(replace(span, voice="quoted", attribution=best))
        else:
            voiced.append(replace(span, voice="author", attribution=None))
    return tuple(voiced)
