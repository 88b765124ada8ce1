"""The HTML report: one self-contained page (inline CSS and JS, no external assets), or a fragment for notebooks."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..labels import COLOURS, DISPLAY_NAMES, TECHNIQUES
from ..types import Analysis, TechniqueSpan
from .summary import densest_sentences, safe_text, segments, speaker_name, technique_counts

if TYPE_CHECKING:
    from jinja2 import Environment


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape  # lazy: only when a page is rendered

    return Environment(loader=PackageLoader("spinlens", "render/templates"), autoescape=select_autoescape(default=True))


def _background(colours: list[str]) -> str:
    """One colour fills; several overlapping techniques show as stripes, so none hides another."""
    if len(colours) == 1:
        return f"background:{colours[0]}"
    stops = ", ".join(f"{c} {i * 100 // len(colours)}% {(i + 1) * 100 // len(colours)}%" for i, c in enumerate(colours))
    return f"background:linear-gradient(180deg, {stops})"


def link_target(url: str | None) -> str | None:
    """The URL if it may be clickable: only http(s), as javascript: or data: URLs run code when clicked."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _voice(span: TechniqueSpan) -> str:
    if span.voice == "quoted":
        assert span.attribution is not None  # a quoted fragment names its attribution (Analysis._problem)
        return f"quoted (attribution {span.attribution + 1})"
    return "author's voice"


def report_context(analysis: Analysis) -> dict[str, Any]:
    # The view's id (its script finds its root by it) comes from the analysis: the same analysis renders
    # the same page. A notebook view adds a suffix of its own (render_fragment).
    root_id = "spinlens-" + hashlib.sha256(analysis.to_json(indent=None).encode("utf-8")).hexdigest()[:12]
    techniques = analysis.techniques
    # Control codes are HTML parse errors, and a parser folds a CRLF into one character: the page shows the
    # article with them made safe, one character for one, so every offset still holds.
    article = analysis.article
    analysis = replace(analysis, article=replace(
        article, text=safe_text(article.text), title=article.title and safe_text(article.title),
        url=article.url and safe_text(article.url), metadata={safe_text(k): safe_text(v) for k, v in article.metadata.items()},
    ), model={safe_text(k): safe_text(v) for k, v in analysis.model.items()})  # a JSON file's model strings are shown too
    pieces = []
    for segment in segments(analysis):
        piece = {"text": analysis.text[segment.start : segment.end]}
        if segment.roles:
            # Attribution parts are underlined (source, cue) or dotted (content); fills stay for techniques.
            piece["roles"] = " ".join(sorted({role for _, role in segment.roles}))
            piece["role_tip"] = "\n".join(
                f"{role} of attribution {i + 1}: {safe_text(speaker_name(analysis, i))} ({analysis.attributions[i].kind}, {analysis.attributions[i].source_type})"
                for i, role in segment.roles
            )
        if segment.spans:
            spans = [techniques[i] for i in segment.spans]
            piece["techniques"] = " ".join(str(TECHNIQUES.index(s.technique)) for s in spans)
            piece["style"] = _background([COLOURS[s.technique] for s in spans])
            tips = [
                f"{DISPLAY_NAMES[s.technique]}: score {s.score:.2f}, technique {s.technique_score:.2f}, "
                + _voice(s)
                for s in spans
            ]
            if segment.roles:  # the fragment's tooltip hides the attribution's around it: it names the speaker too
                tips.append(piece["role_tip"])
            piece["tip"] = "\n".join(tips)
        pieces.append(piece)
    counts = dict(technique_counts(analysis))
    legend = [
        {"index": i, "name": DISPLAY_NAMES[t], "colour": COLOURS[t], "count": counts.get(t, 0)}
        for i, t in enumerate(TECHNIQUES)
    ]
    dense = [{"text": analysis.fragment_text(s), "count": n, "score": s.score} for s, n in densest_sentences(analysis)]
    attributions = [
        {
            "number": i + 1,
            "speaker": safe_text(speaker_name(analysis, i)),
            "cue": safe_text(a.cue.text),
            "kind": a.kind,
            "source_type": a.source_type,
            "content": safe_text(" … ".join(c.text for c in a.contents)),
            "score": a.score,
        }
        for i, a in enumerate(analysis.attributions)
    ]
    return {
        "analysis": analysis, "link": link_target(analysis.article.url), "pieces": pieces, "legend": legend,
        "dense": dense, "attributions": attributions, "voice": analysis.voice_counts(),
        "colours": [COLOURS[t] for t in TECHNIQUES], "root_id": root_id,
    }


def render_page(analysis: Analysis) -> str:
    return _environment().get_template("report.html.j2").render(**report_context(analysis))


def render_fragment(analysis: Analysis) -> str:
    context = report_context(analysis)
    # A notebook may show the same analysis twice, and keeps the outputs of earlier sessions: each view needs
    # an id of its own, or one view's legend filters the other.
    context["root_id"] += "-" + uuid.uuid4().hex[:8]
    return _environment().get_template("fragment.html.j2").render(**context)
