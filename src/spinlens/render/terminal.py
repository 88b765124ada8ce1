"""The terminal report (Rich): highlighted article, legend, counts, densest sentences.

On a terminal each fragment is filled with its technique's colour; elsewhere (a pipe, a file) the
report is plain text with numbered [brackets] around fragments and a list of them underneath.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..ingest import CONTROL_CHARACTERS
from ..techniques.labels import COLOURS, DISPLAY_NAMES
from ..types import Analysis
from .summary import attribution_parts, densest_sentences, speaker_name, technique_counts

_ROLE_STYLES = {"source": "underline", "cue": "bold underline", "content": "italic"}
# Article text may carry escape sequences that would drive the reader's terminal (retitle it, clear
# it); Rich passes most control codes through and drops a few (a CRLF file's \r), which would shift
# every highlight after them. A space per control code, bar tab and newline, defuses both and keeps offsets.
_CONTROL_TO_SPACE = str.maketrans({ch: " " for ch in CONTROL_CHARACTERS})


def _safe(text: str) -> str:
    """Article-derived text fit to print: every control code but tab and newline becomes a space."""
    return text.translate(_CONTROL_TO_SPACE)


def _highlighted(analysis: Analysis) -> Text:
    text = Text(_safe(analysis.text))
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
    text, out, last = _safe(analysis.text), [], 0
    for position, _, _, marker in sorted(inserts):
        out.append(text[last:position])
        out.append(marker)
        last = position
    out.append(text[last:])
    return "".join(out)


def render(analysis: Analysis, console: Console) -> None:
    if analysis.article.title:
        console.print(Text(_safe(analysis.article.title), style="bold"))
        console.print()
    if console.is_terminal and console.color_system:
        console.print(_highlighted(analysis))
    else:
        console.print(_bracketed(analysis), markup=False, highlight=False)
        console.print()
        for number, span in enumerate(analysis.techniques, 1):
            console.print(
                f"[{number}] {span.technique} (score {span.score:.2f}, technique {span.technique_score:.2f}) "
                f"{span.start}-{span.end}: {analysis.fragment_text(span)!r}",
                markup=False, highlight=False,
            )
    console.print()
    counts = technique_counts(analysis)
    table = Table(title=_count(len(analysis.techniques), "technique fragment"), show_edge=False)
    table.add_column("technique")
    table.add_column("fragments", justify="right")
    for technique, count in counts:
        table.add_row(Text(DISPLAY_NAMES[technique], style=f"black on {COLOURS[technique]}"), str(count))
    if counts:
        console.print(table)
    else:
        console.print("No technique fragments found.")
    if analysis.attributions or "attribution" in analysis.model:
        _attributions(analysis, console)
    dense = densest_sentences(analysis)
    if dense:
        console.print()
        console.print(Text("Most technique-dense sentences", style="bold"))
        for sentence, n in dense:
            console.print(
                f"  {_count(n, 'fragment')}, score {sentence.score:.2f}: {_safe(analysis.fragment_text(sentence))}",
                markup=False, highlight=False,
            )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _attributions(analysis: Analysis, console: Console) -> None:
    voice = analysis.voice_counts()
    console.print()
    console.print(
        f"Voice: {_count(voice['author'], 'technique fragment')} in the author's own voice, {voice['quoted']} inside quoted "
        f"or reported speech; {_count(analysis.unattributed_sentences, 'sentence')} "
        f"{'asserts' if analysis.unattributed_sentences == 1 else 'assert'} without attribution.",
        markup=False, highlight=False,
    )
    if not analysis.attributions:
        console.print("No attributions found.")
        return
    table = Table(title=f"{_count(len(analysis.attributions), 'attribution')} (source underlined, cue bold, content italic)", show_edge=False)
    for column in ("#", "source", "cue", "kind", "type", "content"):
        table.add_column(column, overflow="fold")
    for i, attribution in enumerate(analysis.attributions):
        content = _safe(" … ".join(" ".join(c.text.split()) for c in attribution.contents))
        table.add_row(
            str(i + 1), Text(_safe(speaker_name(analysis, i))), Text(_safe(attribution.cue.text)),
            attribution.kind, attribution.source_type,
            Text(content if len(content) <= 120 else content[:117] + "..."),
        )
    console.print(table)
