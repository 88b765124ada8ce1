"""A rule baseline for attribution, to measure the tagger against (docs/benchmarks.md).

Per sentence: a reporting verb or "according to" is the cue; the words before it back to a comma or
the sentence start are the source; a quotation just before the cue, or the rest of the sentence
after it, is the content.
"""

from __future__ import annotations

import re

from ..formats.brat import BratAttribution
from ..sentences import split_sentences

_CUE = re.compile(
    r"\b(?:according to|said|says|say|told|tells|added|adds|stated|states|claimed|claims|argued|argues|wrote|writes|"
    r"announced|announces|insisted|insists|warned|warns|noted|notes|explained|explains|reported|reports|believes|"
    r"believed|thinks|thought|suggested|suggests|acknowledged|acknowledges|denied|denies|confirmed|confirms|asked|asks)\b"
)
_CLOSING_QUOTE = re.compile(r"[”\"],?\s*$")


def rule_attributions(text: str) -> list[BratAttribution]:
    attributions: list[BratAttribution] = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        match = _CUE.search(sentence)
        if not match:
            continue
        cue = (start + match.start(), start + match.end())
        before, after = sentence[: match.start()], sentence[match.end() :]
        source: tuple[int, int] | None
        content: tuple[int, int] | None
        if match.group() == "according to":
            stop = re.search(r"[,.;]|$", after)
            assert stop is not None  # "$" matches where nothing else does
            source_end = stop.start()
            source = (cue[1] + 1, cue[1] + source_end) if source_end > 1 else None
            content = (start, start + len(before.rstrip(" ,"))) if before.strip() else (cue[1] + source_end + 1, end)
        elif _CLOSING_QUOTE.search(before):
            # “…,” the minister said. — content is the quotation, source follows or precedes the cue.
            opening = max(before.rfind("“"), before.find('"'))
            content = (start + max(opening, 0), start + len(before.rstrip(" ,")))
            words = after.strip(" .")
            source = (cue[1] + 1, cue[1] + 1 + len(words)) if words and len(words.split()) <= 6 else None
        else:
            source = _strip(text, start + max(before.rfind(c) for c in ",;:(") + 1, cue[0])
            body = after.lstrip(" ,:")
            content = (end - len(body), end) if body.strip() else None
        attributions.append({
            "cue": cue,
            "sources": [source] if source and source[1] > source[0] else [],
            "contents": [content] if content and content[1] > content[0] else [],
        })
    return attributions


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
