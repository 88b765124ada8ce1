"""Sentence boundaries as code-point offsets, without a parser (keeps spaCy off the analysis path)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# A sentence ends at . ! ? (and closing quotes/brackets after them) followed by space and no lower-case
# letter, or at a line break (a lone CR, form feed and the Unicode line and paragraph separators are line
# breaks too).
_LINE_BREAK = "\n\r\f\v\x85\u2028\u2029"
_MARK = "[.!?…]"
_AFTER_MARK = r"""["'”’)\]]*\s+(?=[^\sa-z])"""  # closing quotes and brackets, then the space before the next sentence
_BOUNDARY = re.compile(rf"(?<={_MARK}){_AFTER_MARK}|[{_LINE_BREAK}]+")
# A line that ends a sentence: . ! ? last, closing quotes and brackets after them allowed.
ENDS_SENTENCE = re.compile(r"[.!?][\"”’')\]]*\s*$")
# Titles before a name, written with a full stop that ends no sentence ("Sgt. John Smith").
TITLES = frozenset(
    "Mr Mrs Ms Dr Prof Sen Rep Gov Gen Col Lt Maj Capt Cmdr Adm Sgt Cpl Supt Insp Det Rev Fr Msgr "
    "Pres Atty Hon St Jr Sr U.S".split())
# Plural titles before a list of names ("Sens. Tester and Merkley"), months as news style abbreviates them
# before a day ("Jan. 5"), and other abbreviations.
_OTHER_ABBREVIATIONS = "Sens Reps Jan Feb Aug Sept Sep Oct Nov Dec Mt Ft vs No U.K e.g i.e".split()
_ABBREVIATION = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in sorted({*TITLES, *_OTHER_ABBREVIATIONS}, key=len, reverse=True))
    + r"|[A-Z])\.$")
# The same sentence end within a line, its mark included ("5 p.m. on Friday" goes on).
_STOP = re.compile(_MARK + _AFTER_MARK)


def after_abbreviation(text: str, end: int) -> bool:
    """Whether the full stop just before `end` closes an abbreviation ("Mr.", "Jan.", an initial)."""
    return _ABBREVIATION.search(text, max(0, end - 10), end) is not None


def sentence_stops(text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
    """Matches of the sentence-ending stops that start in text[pos:endpos] (not the full stop of "Mr." or
    "George W. Bush"); the text after endpos is read to see what the next sentence starts with."""
    for match in _STOP.finditer(text, pos):
        if match.start() >= endpos:
            return
        if not after_abbreviation(text, match.start() + 1):
            yield match


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, whitespace trimmed; offsets index `text` exactly."""
    return list(_sentences(text))


@lru_cache(maxsize=8)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """split_sentences, cached: five stages of an analysis split the same article."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if not any(c in _LINE_BREAK for c in match.group()) and after_abbreviation(text, match.start()):
            continue
        end = match.start()
        # Closing quotes belong to the sentence they close.
        while end < match.end() and text[end] in "\"'”’)]":
            end += 1
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)
