"""The outlets a source's words are reported through: "…, according to RIA", "RIA quoted him as saying"."""

from __future__ import annotations

import re

from ..sentences import sentence_stops
from ..types import TextSpan
from .lexicon import OUTLET_KINDS
from .source_types import NAME_WORD, SPACE, is_outlet

_KINDS = "|".join(kind.replace(" ", SPACE) for kind in OUTLET_KINDS)  # "news agency" over any spaces of one line
_OUTLET = rf"(?:[Tt]he{SPACE})?{NAME_WORD}(?:{SPACE}{NAME_WORD}){{0,4}}(?:{SPACE}(?:{_KINDS}))?"
# Whom an outlet "quoted … as saying": "him", "Ryabkov", "a source in the defence ministry".
QUOTED_SOURCE = (rf"(?:him|her|them|[A-Z][\w'’.-]*(?:{SPACE}[A-Z][\w'’.-]*){{0,3}}"
                 rf"|(?:an?|the|one|two|three|several|some|unnamed){SPACE}[\w'’-]+(?:{SPACE}[\w'’,-]+){{0,7}}?)")
_VIA_PATTERNS = (
    re.compile(rf"according{SPACE}to{SPACE}(?:the{SPACE})?(?P<via>{_OUTLET})"),
    re.compile(rf"(?P<via>{_OUTLET}){SPACE}(?:quoted|cited){SPACE}{QUOTED_SOURCE}{SPACE}as{SPACE}(?:saying|telling)"),
    re.compile(rf"(?:told|[Ii]n{SPACE}an{SPACE}interview{SPACE}with|[Ss]peaking{SPACE}to|said{SPACE}on|wrote{SPACE}(?:in|on)|as{SPACE}quoted{SPACE}by)"
               rf"{SPACE}(?:the{SPACE})?(?P<via>{_OUTLET})"),
    re.compile(rf"(?:as|,){SPACE}(?:the{SPACE})?(?P<via>{_OUTLET}){SPACE}report(?:s|ed)"),
    re.compile(rf"[Ii]n{SPACE}an?{SPACE}(?P<via>{_OUTLET}){SPACE}interview"),
)


def find_intermediaries(text: str, cue: TextSpan, sources: tuple[TextSpan, ...], contents: tuple[TextSpan, ...]) -> tuple[TextSpan, ...]:
    """Media outlets that pass the source's words on: "…, according to RIA", "RIA quoted him as saying"."""
    start = min([cue.start] + [s.start for s in sources] + [c.start for c in contents])
    end = max([cue.end] + [s.end for s in sources] + [c.end for c in contents])
    # Look a little around the attribution, within its sentences: the next sentence's "told Reuters"
    # is another attribution's.
    lo = max(text.rfind("\n", 0, start) + 1, start - 120)
    lo = max([lo] + [m.end() for m in sentence_stops(text, lo, start)])
    hi = text.find("\n", end)
    hi = min(hi if hi != -1 else len(text), end + 120)
    after = next(sentence_stops(text, max(start, end - 1), hi), None)  # the attribution's own full stop too
    hi = after.start() + 1 if after else hi
    window = text[lo:hi]
    found: list[TextSpan] = []
    for pattern in _VIA_PATTERNS:
        for match in pattern.finditer(window):
            s, e = lo + match.start("via"), lo + match.end("via")
            while e > s and text[e - 1] in ".,;:":  # a name word may swallow the full stop
                e -= 1
            candidate = text[s:e]
            if not is_outlet(candidate):
                continue
            if any(src.start <= s < src.end for src in sources):
                continue
            if all(not (f.start < e and s < f.end) for f in found):
                found.append(TextSpan(s, e, candidate))
    return tuple(sorted(found, key=lambda t: t.start))
