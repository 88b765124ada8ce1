"""Sentence boundaries as code-point offsets, without a parser (keeps spaCy off the analysis path)."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (and closing quotes/brackets after them) followed by space, or at a line break.
_BOUNDARY = re.compile(r"""(?<=[.!?…])["'”’)\]]*\s+(?=[^\sa-z])|\n+""")
# A line that ends a sentence: . ! ? last, closing quotes and brackets after them allowed.
ENDS_SENTENCE = re.compile(r"[.!?][\"”’')\]]*\s*$")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|St|Jr|Sr|vs|No|U\.S|U\.K|e\.g|i\.e)|\b[A-Z])\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, whitespace trimmed; offsets index `text` exactly."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if "\n" not in match.group() and _ABBREVIATION.search(text[start : match.start()]):
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
    return out
