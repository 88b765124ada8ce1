"""Whose voice carries each technique: the author's, or a quoted source's."""

from __future__ import annotations

from dataclasses import replace

from ..types import Attribution, SentenceScore, TechniqueSpan


def assign_voice(techniques: tuple[TechniqueSpan, ...], attributions: tuple[Attribution, ...]) -> tuple[TechniqueSpan, ...]:
    """A fragment is quoted when at least half of its characters lie in one attribution's contents."""
    voiced = []
    for span in techniques:
        best, best_overlap = None, 0
        for index, attribution in enumerate(attributions):
            overlap = sum(max(0, min(span.end, c.end) - max(span.start, c.start)) for c in attribution.contents)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        if best is not None and best_overlap * 2 >= span.end - span.start:
            voiced.append(replace(span, voice="quoted", attribution=best))
        else:
            voiced.append(replace(span, voice="author", attribution=None))
    return tuple(voiced)


def unattributed_sentences(text: str, sentences: tuple[SentenceScore, ...], attributions: tuple[Attribution, ...]) -> int:
    """Declarative sentences (five words or more, not questions) that hold no part of any attribution."""
    parts = [(p.start, p.end) for a in attributions for p in (a.cue, *a.sources, *a.contents)]
    count = 0
    for sentence in sentences:
        body = text[sentence.start : sentence.end].rstrip("\"'”’) ")
        if body.endswith("?") or len(body.split()) < 5:
            continue
        if not any(s < sentence.end and e > sentence.start for s, e in parts):
            count += 1
    return count
