"""Claims, sentence by sentence: whose claim each sentence is, and whether the author hedges it or hammers
it home.

A title or a byline is "none" (no claim to make). A sentence is "attributed" when it is mostly the words
of an attribution (its cue, sources and contents cover half of its characters or more, or it holds a cue
and a content of one attribution; a cue that is only a hedge with no source, "…, reportedly", does not
count); otherwise it is "none" if it has fewer than four words or no lower-case letter (a heading), or
the author's: "question" if it asks, "hedged" with a hedge marker, "boosted" with a booster and no hedge,
"asserted" otherwise. Markers are found in every sentence, attributed ones too. Rules over the
tagger's attributions and the word lists of spinlens.attribution.metadiscourse; no parser.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..types import Attribution, Claim, ClaimStatus, Marker, MarkerKind, SentenceScore
from .metadiscourse import BOOSTERS, HEDGES, MANNER_VERBS, MONTH_BEFORE


def _phrases(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(words, key=len, reverse=True)  # the longest phrase wins: "more likely" over "likely"
    body = "|".join(r"[^\S\n]+".join(re.escape(w) for w in phrase.split()) for phrase in alternatives)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.IGNORECASE)


_HEDGE = _phrases(HEDGES)
_BOOSTER = _phrases(BOOSTERS)
_MANNER = frozenset(MANNER_VERBS)
_MONTH_BEFORE = frozenset(MONTH_BEFORE)
_WORDS = re.compile(r"[\w'’-]+")
# A cue that is a hedge and names nobody ("…, reportedly") leaves the claim the author's, hedged.
_HEDGE_CUE = re.compile(r"(?i:reportedly|allegedly|purportedly|supposedly|apparently|rumou?red(?:ly)?)")
_BYLINE = re.compile(r"^\s*(?:By|BY|Posted by|Written by)\s+[A-Z]")


def find_markers(text: str, start: int, end: int) -> list[tuple[int, int, MarkerKind]]:
    """(start, end, "hedge" | "booster") for each marker in text[start:end], in order."""
    found: list[tuple[int, int, MarkerKind]] = []
    patterns: tuple[tuple[MarkerKind, re.Pattern[str]], ...] = (("hedge", _HEDGE), ("booster", _BOOSTER))
    for kind, pattern in patterns:
        for match in pattern.finditer(text, start, end):
            if not _refused(text, match, kind):
                found.append((match.start(), match.end(), kind))
    found.sort()
    kept: list[tuple[int, int, MarkerKind]] = []
    for marker in found:  # "it is clear" and "clear" never both: the first, longest one stays
        if kept and marker[0] < kept[-1][1]:
            continue
        kept.append(marker)
    return kept


def _refused(text: str, match: re.Match[str], kind: MarkerKind) -> bool:
    """The other uses of a marker's words: the month May, "spoke clearly", "could not"."""
    word = match.group().lower()
    before = _WORDS.findall(text[max(0, match.start() - 40) : match.start()])
    previous = before[-1].lower() if before else ""
    after = text[match.end() : match.end() + 20]
    if word == "may":
        return (match.group() == "May" and (bool(before) or bool(re.match(r"[^\S\n]*\d", after)))) or previous in _MONTH_BEFORE
    if word == "could":
        return bool(re.match(r"[^\S\n]*(?:not\b|n['’]t\b|only\b)", after))  # "could not attend": past (in)ability
    if word in ("clearly", "plainly"):
        return previous in _MANNER
    return False


def sentence_claims(text: str, sentences: tuple[SentenceScore, ...], attributions: tuple[Attribution, ...]) -> tuple[SentenceScore, ...]:
    """The sentences with their claims. Sentences are in text order; the attribution parts that reach each
    are found by one sweep over both, so long articles stay linear."""
    parts = sorted((p.start, p.end, index, p is a.cue, p in a.contents) for index, a in enumerate(attributions)
                   if a.sources or not _HEDGE_CUE.fullmatch(a.cue.text.strip())
                   for p in (a.cue, *a.sources, *a.contents))
    active: list[tuple[int, int, int, bool, bool]] = []
    k = 0
    claimed = []
    for sentence in sentences:
        while k < len(parts) and parts[k][0] < sentence.end:
            active.append(parts[k])
            k += 1
        active = [p for p in active if p[1] > sentence.start]
        markers = find_markers(text, sentence.start, sentence.end)
        status, index = _status(text, sentence.start, sentence.end, active, markers)
        claim = Claim(status, tuple(Marker(a, b, text[a:b], kind) for a, b, kind in markers), index)
        claimed.append(replace(sentence, claim=claim))
    return tuple(claimed)


def author_claims(sentences: tuple[SentenceScore, ...]) -> int:
    """How many sentences are the author's own claims: asserted, hedged or boosted."""
    return sum(s.claim is not None and s.claim.status in ("asserted", "hedged", "boosted") for s in sentences)


def _status(text: str, start: int, end: int, parts: list[tuple[int, int, int, bool, bool]],
            markers: list[tuple[int, int, MarkerKind]]) -> tuple[ClaimStatus, int | None]:
    """A sentence's status, and the index of its attribution when it is "attributed". `parts`: (start, end,
    attribution index, is its cue, is one of its contents) of the attribution parts that reach it."""
    body = text[start:end].strip()
    if _title_or_byline(text, start, body):
        return "none", None
    by_attribution: dict[int, list[tuple[int, int, bool, bool]]] = {}
    for a, b, index, is_cue, is_content in parts:
        if a < end and start < b:
            by_attribution.setdefault(index, []).append((max(a, start), min(b, end), is_cue, is_content))
    best, best_cover = None, 0.0
    for index, inside in sorted(by_attribution.items()):
        covered = sum(e - s for s, e in _merged([(s, e) for s, e, _, _ in inside]))
        holds = any(c for _, _, c, _ in inside) and any(t for _, _, _, t in inside)  # its cue and a content here
        cover = covered / max(len(body), 1) + (1.0 if holds else 0.0)
        if cover > best_cover:
            best, best_cover = index, cover
    if best is not None and best_cover >= 0.5:
        return "attributed", best
    if _no_claim(text, start, end, body):
        return "none", None
    if body.rstrip("\"'”’)] ").endswith("?"):
        return "question", None
    kinds = {kind for _, _, kind in markers}
    if "hedge" in kinds:
        return "hedged", None
    if "booster" in kinds:
        return "boosted", None
    return "asserted", None


def _no_claim(text: str, start: int, end: int, body: str) -> bool:
    return len(_WORDS.findall(body)) < 4 or not any(c.islower() for c in body)


def _title_or_byline(text: str, start: int, body: str) -> bool:
    """A byline, or the title: the article's first line, when more follows and it does not end as a
    sentence does. Neither is a claim, whatever the tagger finds in it."""
    if _BYLINE.match(body):
        return True
    first_line = text.find("\n")
    return 0 < first_line and start < first_line and not re.search(r"[.!?][\"'”’)]*\s*$", text[:first_line])


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
