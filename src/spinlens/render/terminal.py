"""The terminal report (Rich): highlighted article, legend, counts, densest sentences.

On a terminal with 256 colours or more each fragment is filled with its technique's colour; elsewhere (a
pipe, a file, NO_COLOR, 16 colours) the report has numbered [brackets] around fragments and a list of them
underneath.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..labels import COLOURS, DISPLAY_NAMES
from ..types import Analysis
from .summary import attribution_parts, densest_sentences, percent, safe_text, speaker_name, technique_counts

_ROLE_STYLES = {"source": "underline", "cue": "bold underline", "content": "italic"}


def _fills_colours(console: Console) -> bool:
    """Whether fragments can show as colour fills. Rich keeps reporting a colour system under NO_COLOR while it
    drops every colour, and 16 colours turn the 14 fills into 4 near-identical ones: both get brackets instead."""
    return console.is_terminal and not console.no_color and console.color_system not in (None, "standard", "windows")


def _print_plain(console: Console, line: str) -> None:
    """Print a line as it is: article text is not Rich markup, and ':thumbs_up:' in it is no emoji."""
    console.print(line, markup=False, highlight=False, emoji=False)


def _highlighted(analysis: Analysis) -> Text:
    text = Text(safe_text(analysis.text))
    # Lower scores first, so the most confident fragment's colour wins where fragments overlap.
    for span in sorted(analysis.techniques, key=lambda t: t.score * t.technique_score):
        text.stylize(f"black on {COLOURS[span.technique]}", span.start, span.end)
    for _, role, start, end in attribution_parts(analysis):
        text.stylize(_ROLE_STYLES[role], start, end)
    return text


def _bracketed(analysis: Analysis) -> str:
    spans = analysis.techniques
    # Open in order of start, longer first on a tie; at one position close before opening (after, for
    # an empty span) and close the latest-opened first, so brackets always nest.
    opening = sorted(range(len(spans)), key=lambda i: (spans[i].start, -spans[i].end, i))
    inserts: list[tuple[int, int, int, str]] = []
    for rank, index in enumerate(opening):
        span = spans[index]
        inserts.append((span.start, 1, rank, "["))
        inserts.append((span.end, 0 if span.end > span.start else 2, -rank, f"]{index + 1}"))
    text, out, last = safe_text(analysis.text), [], 0
    for position, _, _, marker in sorted(inserts):
        out.append(text[last:position])
        out.append(marker)
        last = position
    out.append(text[last:])
    return "".join(out)


def render(analysis: Analysis, console: Console) -> None:
    if analysis.article.title:
        console.print(Text(safe_text(analysis.article.title), style="bold"))
        console.print()
    colours = _fills_colours(console)
    if colours:
        console.print(_highlighted(analysis))
    else:
        _print_plain(console, _bracketed(analysis))
        console.print()
        for number, span in enumerate(analysis.techniques, 1):
            _print_plain(
                console,
                f"[{number}] {span.technique} {percent(span.headline)} (score {span.score:.2f}, technique {span.technique_score:.2f}) "
                f"{span.start}-{span.end}: {analysis.fragment_text(span)!r}",
            )
    console.print()
    counts = technique_counts(analysis)
    table = Table(title=_count(len(analysis.techniques), "technique fragment"), show_edge=False)
    table.add_column("technique")
    table.add_column("fragments", justify="right")
    for technique, count in counts:
        table.add_row(Text(DISPLAY_NAMES[technique], style=f"black on {COLOURS[technique]}" if colours else ""), str(count))
    if counts:
        console.print(table)
    else:
        threshold = analysis.model.get("min_probability")
        console.print(f"No technique fragments of probability {percent(float(threshold))} or more (--min-probability shows more)."
                      if threshold else "No technique fragments found.")
    if analysis.attributions or "attribution" in analysis.model:
        _attributions(analysis, console)
    dense = densest_sentences(analysis)
    if dense:
        console.print()
        console.print(Text("Most technique-dense sentences", style="bold"))
        for sentence, n in dense:
            _print_plain(console, f"  {_count(n, 'fragment')}, score {sentence.score:.2f}: {safe_text(analysis.fragment_text(sentence))}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _attributions(analysis: Analysis, console: Console) -> None:
    voice = analysis.voice_counts()
    console.print()
    _print_plain(
        console,
        f"Voice: {_count(voice['author'], 'technique fragment')} in the author's own voice, {voice['quoted']} inside quoted "
        f"or reported speech; the author makes {_count(analysis.unattributed_sentences, 'claim')} on nobody else's authority.",
    )
    _qualified_claims(analysis, console)
    if not analysis.attributions:
        console.print("No attributions found.")
        return
    table = Table(title=f"{_count(len(analysis.attributions), 'attribution')} (source underlined, cue bold, content italic)", show_edge=False)
    for column in ("#", "source", "cue", "kind", "type", "content"):
        table.add_column(column, overflow="fold")
    for i, attribution in enumerate(analysis.attributions):
        content = safe_text(" … ".join(" ".join(c.text.split()) for c in attribution.contents))
        table.add_row(
            str(i + 1), Text(safe_text(speaker_name(analysis, i))), Text(safe_text(attribution.cue.text)),
            Text(attribution.kind), Text(attribution.source_type),
            Text(content if len(content) <= 120 else content[:117] + "..."),
        )
    console.print(table)


def _qualified_claims(analysis: Analysis, console: Console) -> None:
    """The author's hedged and boosted claims, each with its markers: where the article leans on its own
    authority with a qualification or an insistence."""
    qualified = [s for s in analysis.sentences if s.claim is not None and s.claim.status in ("hedged", "boosted")]
    if not qualified:
        return
    hedged = sum(s.claim is not None and s.claim.status == "hedged" for s in qualified)
    console.print()
    _print_plain(console, f"The author's own claims, hedged ({hedged}) or boosted ({len(qualified) - hedged}):")
    for sentence in qualified:
        assert sentence.claim is not None
        words = ", ".join(f'"{safe_text(m.text)}"' for m in sentence.claim.markers)
        text = safe_text(" ".join(analysis.text[sentence.start : sentence.end].split()))
        _print_plain(console, f"  {sentence.claim.status} ({words}): {text if len(text) <= 160 else text[:157] + '...'}")
