"""Quotations the tagger's cues do not reach on their own: block quotes introduced by "As X reports:" or
"X wrote:", and quotations whose cue comes after them ("'...,' the statement reads")."""

from __future__ import annotations

import re
from bisect import bisect_left

from ..arrays import BoolArray
from ..sentences import after_abbreviation
from .lexicon import QUOTATION_VERBS
from .roles import Event, RoleSpan, TagScores
from .source_types import SPACE

QUOTE_MARKS = "\"“”‘’'«»„"
# A quotation, its source and a verb that reports it after it: "'…,' the statement reads", "'…,' said the report".
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Oo]ur|[Tt]his)"
_PRONOUN = r"(?:he|she|they|it|we|I)"
_LOWER = r"[\w'’.-]+"
_NAME = r"[A-Z][\w'’.-]*"
# A source before its verb: the nearest words before it ("the statement reads"); after it, as many as a name
# or a short noun phrase has ("said the foreign ministry", "said Sahra Wagenknecht").
_SOURCE_BEFORE = rf"(?:{_DETERMINER}{SPACE}{_LOWER}(?:{SPACE}{_LOWER}){{0,3}}?|{_NAME}(?:{SPACE}{_NAME}){{0,3}}?|{_PRONOUN})"
_NOT_IN_NAME = r"(?:who|that|which|in|on|at|to|for|of|from|with|during|after|before|when|while|as|and|but)(?![\w'’-])"
_SOURCE_AFTER = rf"(?:{_DETERMINER}{SPACE}{_LOWER}(?:{SPACE}(?!{_NOT_IN_NAME}){_LOWER}){{0,3}}|{_NAME}(?:{SPACE}{_NAME}){{0,3}}|{_PRONOUN})"
_VERBS = "|".join(QUOTATION_VERBS)
_REVERSED = re.compile(
    rf"(?:[,?!…](?P<close>[”\"’]|''){SPACE}|(?P<close2>[”\"’]|''),{SPACE})"
    rf"(?:(?P<source>{_SOURCE_BEFORE}){SPACE}(?P<verb>{_VERBS})|(?P<verb2>{_VERBS}){SPACE}(?P<source2>{_SOURCE_AFTER}))(?![\w'’-])")
_LINE = re.compile(r"[^\n]+")
# A block quotation's paragraphs after the first are quoted or indented ("> …", a tab, two spaces).
_INDENTED = re.compile(r"(?:\t| {2}|>)")
_MARKUP_START = re.compile(r"<[a-z][^<>\n]*>")
_MARKUP_END = re.compile(r"\s*(?:<[^<>\n]*>[\s.]*)+$")


def _subtract(text: str, spans: list[RoleSpan], start: int, end: int) -> list[RoleSpan]:
    """The spans without the characters of [start, end): what is left of each on either side, if it has a
    letter or digit."""
    out = []
    for span in spans:
        if span.end <= start or span.start >= end:
            out.append(span)
            continue
        for a, b in ((span.start, start), (end, span.end)):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b and any(c.isalnum() for c in text[a:b]):
                out.append(RoleSpan(span.role, a, b, span.score))
    return out


def _take(text: str, events: list[Event], owner: int, start: int, end: int) -> None:
    """The characters [start, end) now belong to events[owner]: every other event's sources and contents
    give them up."""
    for k, (_, parts) in enumerate(events):
        if k != owner:
            parts["Source"] = _subtract(text, parts["Source"], start, end)
            parts["Content"] = _subtract(text, parts["Content"], start, end)


def _line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks, each piece without the spaces at its ends (PolNeAR's parts never
    cross a line)."""
    pieces = []
    for match in _LINE.finditer(text, start, end):
        a, b = match.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            pieces.append((a, b))
    return pieces


def reversed_cues(text: str, events: list[Event], tagged: list[RoleSpan], quoted: BoolArray, tag_score: TagScores) -> list[Event]:
    """ "'…,' the statement reads." / "'…,' said the report": a quotation, then its source and the verb that
    reports it. The quotation is the content of that verb's cue and the words next to the verb its source,
    where the tagger has none; the tagger's cue if it found the verb, else a new one, if the tagger tagged
    the quotation or the source (`tagged`: its spans)."""
    events = list(events)
    for match in _REVERSED.finditer(text):
        close = match.start("close") if match.group("close") else match.start("close2")
        opening = close
        while opening > 0 and quoted[opening - 1]:
            opening -= 1
        if opening == close or text[opening] not in QUOTE_MARKS:
            continue
        verb = match.span("verb") if match.group("verb") else match.span("verb2")
        source = match.span("source") if match.group("source") else match.span("source2")
        while text[source[1] - 1] == "." and not after_abbreviation(text, source[1]):  # "said the report."
            source = (source[0], source[1] - 1)
        mark = match.group("close") or match.group("close2")
        pieces = _line_pieces(text, opening, close + len(mark))
        if any(cue.start < source[1] and source[0] < cue.end for cue, _ in events):
            continue  # the tagger has a cue there: the words are no source
        owner = next((k for k, (cue, _) in enumerate(events) if cue.start < verb[1] and verb[0] < cue.end), None)
        if owner is None and not any(s.start < end and start < s.end and s.role != "Cue"
                                     for s in tagged for start, end in ((opening, close), source)):
            continue  # the tagger saw nothing of it
        if owner is None:
            events.append((tag_score.span("Cue", *verb), {"Source": [], "Content": []}))
            owner = len(events) - 1
        cue, parts = events[owner]
        if not parts["Source"]:
            _take(text, events, owner, *source)
            parts["Source"] = [tag_score.span("Source", *source)]
        if not any(c.start < close and opening < c.end for c in parts["Content"]):
            _take(text, events, owner, opening, close + len(mark))
            parts["Content"] = [*parts["Content"], *(tag_score.span("Content", a, b) for a, b in pieces)]
    return sorted(events, key=lambda event: event[0].start)


def block_quotations(text: str, events: list[Event], quoted: BoolArray, tag_score: TagScores) -> None:
    """ "As Reuters reports:", "Hewitt wrote:", "In a statement, the ministry said:" at a line's end, a source
    and a cue introduce the paragraphs that follow, which are then the content: the first one, and those after
    it that are quoted or indented, up to one that starts a new attribution (a cue outside quotation marks).
    A paragraph that opens a quotation ends the content where the quotation closes, if text follows it."""
    cue_starts = sorted(cue.start for cue, _ in events)
    for k, (cue, parts) in enumerate(events):
        line_end = text.find("\n", cue.end)
        if not parts["Source"] or line_end == -1:
            continue
        colon = line_end - 1
        while colon >= cue.end and text[colon].isspace():
            colon -= 1
        if (colon < cue.end - 1 or text[colon] != ":" or any(s.end > colon + 1 for s in parts["Source"])
                or bisect_left(cue_starts, colon) > bisect_left(cue_starts, cue.end)):
            continue
        pieces = _paragraphs_quoted(text, line_end + 1, quoted, cue_starts)
        for a, b in pieces:
            _take(text, events, k, a, b)
        if pieces:  # the tagger's contents in those paragraphs give way to the paragraphs
            kept = [c for c in parts["Content"] if not any(c.start < b and a < c.end for a, b in pieces)]
            parts["Content"] = kept + [tag_score.span("Content", a, b) for a, b in pieces]


def _paragraphs_quoted(text: str, start: int, quoted: BoolArray, cue_starts: list[int]) -> list[tuple[int, int]]:
    """The paragraphs from `start` that a block quotation's introduction takes (see _block_quotations)."""
    pieces: list[tuple[int, int]] = []
    for match in _LINE.finditer(text, start):
        line_start, line_end = match.span()
        a, b = line_start, line_end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if (markup := _MARKUP_START.match(text, a, b)) is not None:  # an embedded post: <tweet …>words<tweet/>
            a = markup.end()
            b = a + len(_MARKUP_END.sub("", text[a:b]))
            if a == b:
                break  # a post without its words
        if a == b:
            continue
        opens = text[a] in QUOTE_MARKS
        if pieces and not (opens or quoted[a] or _INDENTED.match(text, line_start)):
            break
        cues_here = [c for c in cue_starts[bisect_left(cue_starts, a) : bisect_left(cue_starts, b)] if not quoted[c]]
        if cues_here:
            break
        if opens:  # where the quotation closes, if text follows it on the line
            end = a + 1
            while end < b and quoted[end]:
                end += 1
            if end < b - 1 and text[end + 1 : b].strip(" ,.;:\"”’'"):
                pieces.append((a, end + 1))
                break
        pieces.append((a, b))
    return pieces
