"""The HTML report: one self-contained page (inline CSS and JS, no external assets), or a fragment for notebooks."""

from __future__ import annotations

import hashlib
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..definitions import DEFINITIONS
from ..ingest import display_title, name_title
from ..labels import BADGES, COLOURS, DISPLAY_NAMES, TECHNIQUES
from ..types import CLAIM_STATUSES, Analysis, ClaimStatus, MarkerKind, SentenceScore, TechniqueSpan
from .evidence import evidence, glossary
from .summary import Segment, densest_sentences, percent, safe_text, segments, speaker_name, technique_counts

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


# Sentence shades by claim status: light, translucent tints (the technique fills stay opaque over them),
# apart in hue, and "none" striped rather than tinted. Markers in the claims list take their status's tint.
CLAIM_SHADES: dict[ClaimStatus, str] = {
    "attributed": "rgba(31,95,191,.14)",
    "asserted": "rgba(110,110,110,.13)",
    "hedged": "rgba(230,160,0,.24)",
    "boosted": "rgba(214,39,40,.17)",
    "question": "rgba(44,160,44,.17)",
    "none": "repeating-linear-gradient(135deg,rgba(0,0,0,.09) 0 2px,transparent 2px 6px)",
}
CLAIM_DESCRIPTIONS: dict[ClaimStatus, str] = {
    "attributed": "the words of an attribution",
    "asserted": "the author's own plain assertion",
    "hedged": "the author's, with a hedge (may, reportedly, likely …)",
    "boosted": "the author's, with a booster (clearly, make no mistake …)",
    "question": "the author's question",
    "none": "no claim (a title, a byline, a fragment)",
}
MARKER_SHADES: dict[MarkerKind, str] = {"hedge": "rgba(230,160,0,.45)", "booster": "rgba(214,39,40,.35)"}


def link_target(url: str | None) -> str | None:
    """The URL if it may be clickable: only http(s), as javascript: or data: URLs run code when clicked."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _voice(span: TechniqueSpan) -> str:
    if span.voice == "quoted":
        assert span.attribution is not None  # a quoted fragment names its attribution (Analysis._problem)
        return f"quoted (attribution {span.attribution + 1})"
    return "author's voice"


def _cut_at_sentences(cut: list[Segment], sentences: list[SentenceScore]) -> list[tuple[Segment, SentenceScore | None]]:
    """The segments cut again at every sentence boundary, each with the sentence that holds it (None
    between sentences), so that a sentence's pieces can be wrapped together."""
    ordered = sorted((s for s in sentences if s.start < s.end), key=lambda s: (s.start, s.end))
    starts = [s.start for s in ordered]
    points = sorted({p for s in ordered for p in (s.start, s.end)})
    out: list[tuple[Segment, SentenceScore | None]] = []
    for segment in cut:
        inner = points[bisect_right(points, segment.start) : bisect_left(points, segment.end)]
        for start, end in zip([segment.start, *inner], [*inner, segment.end]):
            i = bisect_right(starts, start) - 1  # the last sentence to start at or before the piece
            holder = ordered[i] if i >= 0 and ordered[i].end >= end else None
            out.append((Segment(start, end, segment.spans, segment.roles), holder))
    return out


def _claims(analysis: Analysis) -> dict[str, Any] | None:
    """The author's own claims for the report: counts per status, the legend of the sentence shades, and
    the hedged and boosted sentences cut into plain text and markers. None for an analysis made before
    claims (no sentence has one)."""
    claimed = [s for s in analysis.sentences if s.claim is not None]
    if not claimed:
        return None
    counts = {status: sum(s.claim is not None and s.claim.status == status for s in claimed) for status in CLAIM_STATUSES}
    qualified = []
    for sentence in claimed:
        assert sentence.claim is not None
        if sentence.claim.status not in ("hedged", "boosted"):
            continue
        parts: list[dict[str, Any]] = []
        position = sentence.start
        for marker in sorted(sentence.claim.markers, key=lambda m: (m.start, m.end)):
            start, end = max(marker.start, position), min(marker.end, sentence.end)
            if start >= end:  # overlapping an earlier marker, or outside the sentence
                continue
            parts.append({"text": analysis.text[position:start]})
            parts.append({"text": analysis.text[start:end], "kind": marker.kind, "shade": MARKER_SHADES.get(marker.kind, "")})
            position = end
        parts.append({"text": analysis.text[position : sentence.end]})
        qualified.append({"status": sentence.claim.status, "parts": [p for p in parts if p["text"]]})
    legend = [{"status": status, "shade": CLAIM_SHADES[status], "count": counts[status], "description": CLAIM_DESCRIPTIONS[status]}
              for status in CLAIM_STATUSES]
    return {"counts": counts, "legend": legend, "qualified": qualified}


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
    source_name = name_title(analysis.article.source)  # the file's name, which the page shows when the title is another
    claims = _claims(analysis)
    claimed = [s for s in analysis.sentences if s.claim is not None]
    # With claims, the text is cut at sentence boundaries too, and a sentence's pieces are wrapped in one
    # span that its status shades; without, the pieces are those they always were.
    cut = _cut_at_sentences(segments(analysis), claimed) if claims else [(segment, None) for segment in segments(analysis)]
    pieces: list[dict[str, Any]] = []
    for n, (segment, holder) in enumerate(cut):
        piece: dict[str, Any] = {"text": analysis.text[segment.start : segment.end]}
        if holder is not None and holder.claim is not None:
            if n == 0 or cut[n - 1][1] is not holder:
                piece["claim_open"] = holder.claim.status
            if n == len(cut) - 1 or cut[n + 1][1] is not holder:
                piece["claim_close"] = True
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
            piece["spans"] = " ".join(map(str, segment.spans))  # the fragments whose evidence a click opens
            piece["style"] = _background([COLOURS[s.technique] for s in spans])
            # The second cue beside the colour: each fragment's letter where it starts (drawn by CSS, so the
            # article's text stays as it is, offsets and copied text alike).
            starting = [s for s in spans if s.start == segment.start]
            piece["starts"] = " ".join(str(TECHNIQUES.index(s.technique)) for s in starting)
            piece["badge"] = "".join(BADGES[s.technique] for s in starting)
            # The headline figure first, then the model's two scores, whose words, and what the technique is.
            tips = [
                f"{DISPLAY_NAMES[s.technique]}: {percent(s.headline)} (score {s.score:.2f}, technique {s.technique_score:.2f}), "
                + _voice(s) + "\n" + DEFINITIONS[s.technique].meaning
                for s in spans
            ]
            if segment.roles:  # the fragment's tooltip hides the attribution's around it: it names the speaker too
                tips.append(piece["role_tip"])
            piece["tip"] = "\n".join(tips)
        pieces.append(piece)
    counts = dict(technique_counts(analysis))
    legend = [
        {"index": i, "name": DISPLAY_NAMES[t], "colour": COLOURS[t], "badge": BADGES[t], "count": counts.get(t, 0),
         "meaning": DEFINITIONS[t].meaning}
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
        "colours": [COLOURS[t] for t in TECHNIQUES], "badges": [BADGES[t] for t in TECHNIQUES], "root_id": root_id, "claims": claims,
        "title": display_title(analysis.article), "source_name": source_name and safe_text(source_name),
        # Each fragment's evidence panel; the glossary in the page, which the legend links to (the web app's
        # article page links to its /glossary page instead, a notebook view to none).
        "evidence": evidence(analysis), "glossary": glossary(), "glossary_link": f"#{root_id}-glossary",
    }


def render_page(analysis: Analysis) -> str:
    return _environment().get_template("report.html.j2").render(**report_context(analysis))


def render_fragment(analysis: Analysis) -> str:
    context = report_context(analysis)
    # A notebook may show the same analysis twice, and keeps the outputs of earlier sessions: each view needs
    # an id of its own, or one view's legend filters the other.
    context["root_id"] += "-" + uuid.uuid4().hex[:8]
    context["glossary_link"] = None  # the fragment has no glossary of its own to link to; the legend's tooltips define
    return _environment().get_template("fragment.html.j2").render(**context)
