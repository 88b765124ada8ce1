"""Character-span utilities shared by the stages: offsets into the text exactly as given, never shifted;
words, case, and what lies inside quotation marks."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .arrays import BoolArray

_QUOTE_EVENTS = re.compile("[\"'“«„”»‘’\n]")  # the characters at which _quote_mask's state can change


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "'’-"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span so it never cuts a word in half (word pieces can fire alone)."""
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end]) and end > 0 and _is_word(text[end - 1]):
        end += 1
    return start, end


def lower_same_length(text: str) -> str:
    """Lower-case without changing any offset (a few characters lower to two code points)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@lru_cache(maxsize=8)
def quote_mask(text: str) -> BoolArray:
    """The mask below, read-only: the attribution extractor, the claims and the judge each ask for the same
    article's (an eighth of the Python time of an analysis before this cache)."""
    mask = _quote_mask(text)
    mask.setflags(write=False)
    return mask


def _quote_mask(text: str) -> BoolArray:
    """True for each character inside quotation marks. Straight double quotes toggle, except one that
    opens a line inside a quotation: a quotation running over paragraphs reopens each of them and closes
    only at its end. Two apostrophes ('') are a straight double quote. Curly and angle quotes open and
    close; single curly quotes (British style) do too, where ’ is not an apostrophe inside a word (don’t)."""
    mask = np.zeros(len(text), dtype=bool)
    inside = single = False
    filled = 0  # characters before this one have their value; only quotation marks and line breaks change it
    for match in _QUOTE_EVENTS.finditer(text):
        i, ch = match.start(), match.group()
        if inside or single:
            mask[filled:i] = True
        filled = i + 1
        if ch == "'" and text[i + 1 : i + 2] == "'":
            ch = '"'  # the New York Times writes a quotation mark as two apostrophes ('')
        elif ch == "'" and text[i - 1 : i] == "'":
            mask[i] = inside or single
            continue
        if ch == '"':
            inside = True if inside and not text[text.rfind("\n", 0, i) + 1 : i].strip() else not inside
        elif ch in "“«„":
            inside = True
        elif ch in "”»":
            inside = False
        elif ch == "‘" and (i == 0 or not text[i - 1].isalnum()):
            single = True
        elif ch == "’" and single and not (i + 1 < len(text) and text[i + 1].isalnum()):
            single = False
        elif ch == "\n" and i + 1 < len(text) and text[i + 1] == "\n":
            inside = single = False  # an unclosed quotation ends with its paragraph
        mask[i] = inside or single
    if inside or single:
        mask[filled:] = True
    return mask
