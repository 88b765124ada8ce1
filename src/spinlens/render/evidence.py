"""What the HTML reports show about one flagged fragment when a reader opens it (the evidence panel), and the
glossary of the 14 techniques: the headline probability, the technique's definition, whose words the
fragment is, and the nearest annotated PTC fragments of the technique when the analysis has them.

Plain values for the templates; Jinja2's autoescape makes them safe to put in a page."""

from __future__ import annotations

from typing import Any

from ..definitions import DEFINITIONS
from ..labels import BADGES, COLOURS, DISPLAY_NAMES, TECHNIQUES
from ..types import MAX_EXAMPLES, Analysis, Example, TechniqueSpan
from .summary import percent, safe_text, speaker_name

_SHOWN_FRAGMENT = 300  # characters of a flagged fragment quoted in its panel; a longer one is cut


def glossary() -> list[dict[str, str]]:
    """The 14 techniques in the legend's order, each with its colour, letter and definition."""
    return [
        {"technique": t, "name": DISPLAY_NAMES[t], "colour": COLOURS[t], "badge": BADGES[t],
         "meaning": DEFINITIONS[t].meaning, "not_meaning": DEFINITIONS[t].not_meaning}
        for t in TECHNIQUES
    ]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def example_parts(example: Example) -> dict[str, str]:
    """An annotated example as its sentence with the fragment marked: the text before it, the fragment, the
    text after. A fragment that its sentence does not hold (it spans two lines) shows alone."""
    sentence, fragment = safe_text(example.sentence), safe_text(example.text)
    at = sentence.find(fragment) if fragment else -1
    if at < 0:
        before, match, after = "", fragment, ""
    else:
        before, match, after = sentence[:at], fragment, sentence[at + len(fragment) :]
    return {
        "before": before, "match": match, "after": after, "article_id": safe_text(example.article_id),
        "similarity": f"{example.similarity:.2f}",
    }


def fragment_evidence(analysis: Analysis, index: int, span: TechniqueSpan) -> dict[str, Any]:
    """One flagged fragment's panel. `analysis` has its text made safe already (report_context)."""
    definition = DEFINITIONS[span.technique]
    speaker = safe_text(speaker_name(analysis, span.attribution)) if span.voice == "quoted" and span.attribution is not None else None
    return {
        "index": index,
        "technique": TECHNIQUES.index(span.technique),
        "name": DISPLAY_NAMES[span.technique],
        "colour": COLOURS[span.technique],
        "badge": BADGES[span.technique],
        "percent": percent(span.headline),
        "calibrated": span.probability is not None,
        "score": f"{span.score:.2f}",
        "technique_score": f"{span.technique_score:.2f}",
        "text": _cut(analysis.fragment_text(span), _SHOWN_FRAGMENT),
        "quoted": span.voice == "quoted",
        "speaker": speaker,
        "meaning": definition.meaning,
        "not_meaning": definition.not_meaning,
        "examples": [example_parts(e) for e in span.examples[:MAX_EXAMPLES]],
    }


def evidence(analysis: Analysis) -> list[dict[str, Any]]:
    """Every fragment's panel, in the order of analysis.techniques (a highlight names its fragments by index)."""
    return [fragment_evidence(analysis, i, span) for i, span in enumerate(analysis.techniques)]
