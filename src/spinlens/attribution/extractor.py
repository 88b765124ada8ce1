"""Tagger outputs -> attributions: role spans, grouped around their cues, with kind, source type,
speaker and intermediaries. Pure numpy and regular expressions."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..activations import softmax
from ..arrays import BoolArray, FloatArray, IntArray
from ..formats.brat import BratAttribution, format_brat
from ..sentences import split_sentences
from ..spans import quote_mask, snap_to_words
from ..types import Attribution, Kind, Role, TextSpan
from .data import TAG_PARTS, TAGS
from .intermediaries import QUOTED_SOURCE, find_intermediaries
from .lexicon import (
    ADJECTIVE_COMPANIONS,
    CERTAINTY_ADJECTIVES,
    FUNCTION_WORDS,
    NOT_ADVERBS,
    REPORTING_ADVERBS,
)
from .quotations import QUOTE_MARKS, block_quotations, reversed_cues
from .roles import RoleSpan, TagScores
from .source_types import SPACE, classify_source
from .speakers import SpeakerSearches, resolve_speaker
from .tag_path import best_valid_tags

MAX_SOURCE_GAP = 250  # characters between a source and its cue
MAX_CONTENT_GAP = 400  # characters between a content and its cue (contents may open the next paragraph)
MAX_BORROW_GAP = 150  # characters between two cues of one sentence that share a source
# The author's own asides read like cues to the tagger ("Make no mistake: …") but attribute nothing.
_AUTHOR_ASIDE = re.compile(
    r"\b(?:make no mistake|let(?: me|'s|’s| us) be (?:clear|honest|frank|blunt)|mark my words|let(?:'s|’s| us) face it"
    r"|the (?:truth|fact|bottom line|reality) is|believe me|trust me|to be sure|in other words|needless to say)\W*$",
    re.IGNORECASE,
)


_TRAILING = frozenset(" \t\n\u00a0")  # PolNeAR's sources keep an appositive's comma ("Katrina Pierson, a spokeswoman for Trump,")
# Case-sensitive as find_intermediaries reads it (QUOTED_SOURCE's names are capitalised); the verb in any case.
_QUOTED_AS_SAYING = re.compile(rf"(?P<verb>(?i:quoted|cited))[^\S\n]+(?P<source>{QUOTED_SOURCE})[^\S\n]+as[^\S\n]+(?:saying|telling)\b")
# Modals and adverbs alone, which the tagger takes for cues in opinion prose ("A party that cannot agree …",
# "Critics, however, …"); of PolNeAR train's 22,469 cues one is one of these alone ("also").
_NO_CUE = re.compile(r"(?:however|cannot|can|could|will|shall|should|may|might|must|also|still|really|indeed|not)\W*$", re.IGNORECASE)
# "the said agreement" ("said" as an adjective) and "That said, …" (a discourse marker) report no speech.
# "the official that said" is speech, so "that" only before a comma.
_ADJECTIVE_BEFORE = re.compile(r"\b(?:the|such)[^\S\n]+$", re.IGNORECASE)
_MARKER_BEFORE = re.compile(r"\bthat[^\S\n]+$", re.IGNORECASE)
_OPENING = re.compile(r"[\s\"“”'‘’«»(\[\-–—]+")  # what may come between a sentence's start and a content that opens it
_LOWER_WORD_END = re.compile(r"(?<![\w.])[a-z]{2,}\.$")  # "company." ends a sentence; "U.S.", "Jr." do not
_WORD = re.compile(r"\w(?:[\w'’-]*\w)?")  # a word begins and ends with a letter or digit ("don't", not "''")
_OPENING_MARKS, _CLOSING_MARKS = "\"“‘'«„", "\"”’'»"
# The words after "told" are whom it was told to, no part of the cue: of PolNeAR train's 391 gold cues that
# start with "told", 386 are "told" alone ("told reporters", "told the", "told me" are not).
_TOLD = re.compile(r"(?i:told|tells|tell|telling)\b")
# "according to" is one cue: 387 of train's 394 gold cues that start with "according" are these two words.
_ACCORDING = re.compile(rf"(?i:according){SPACE}(?i:to)\b")
_JUST_AFTER = re.compile(r"[^\S\n]*[,:]?[^\S\n]*(?:that[^\S\n]+)?")  # between a cue and a content that follows it at once
_NEXT_TO_CUE = re.compile(r"[\s,:]*(?:[\w'’-]+[\s,]+){0,2}")  # at most two words between ("called it")
_PUNCTUATED = re.compile(r"[,.!?…][\"”’']+|[\"”’']+[,.]")  # a quotation closed with a comma or a full stop




@dataclass
class _Run:
    """Tokens of one role that role_spans is gathering into a span: the first and the last so far."""

    role: Role
    first: int
    last: int


def role_spans(text: str, offsets: IntArray, logits: FloatArray) -> list[RoleSpan]:
    """The tags of the best valid BIO sequence (tag_path); contiguous tokens with the same role form a span;
    a B tag or a line break starts a new one
    (PolNeAR's sources and cues never cross a line; a content that runs on into the next paragraph
    becomes two parts of the same attribution)."""
    probs = softmax(logits.astype(np.float64))
    tags = best_valid_tags(np.log(np.maximum(probs, 1e-300)))
    spans: list[RoleSpan] = []
    current: _Run | None = None

    def close() -> None:
        if current is not None:
            start, end = snap_to_words(text, int(offsets[current.first, 0]), int(offsets[current.last, 1]))
            if spans and start < spans[-1].end:  # a word whose pieces got two roles stays with its first piece's
                start = spans[-1].end
                while start < end and text[start].isspace():
                    start += 1
                if start >= end:
                    return  # all of it was the other role's word
            if current.role == "Source":
                # A source names someone: not a lone comma; and "Tom Hardy, a spokesman for the company."
                # ends at "company" (but "U.S." and "Jr." keep their full stops). PolNeAR's cues and
                # contents can be punctuation alone (a colon, a quotation mark), so only sources are checked.
                while start < end and not text[start].isalnum():
                    start += 1
                while end > start and (text[end - 1] in _TRAILING or (text[end - 1] == "." and _LOWER_WORD_END.search(text, start, end))):
                    end -= 1
                if start == end:
                    return
            score = float(probs[np.arange(current.first, current.last + 1), tags[current.first : current.last + 1]].mean())
            spans.append(RoleSpan(current.role, start, end, score))

    # Only the tagged tokens are visited (most are "O"): an "O" between two of them ends a run, as does a
    # gap in their positions.
    tagged = np.flatnonzero(tags != TAGS.index("O"))
    starts, ends = offsets[:, 0].tolist(), offsets[:, 1].tolist()
    for i, tag in zip(tagged.tolist(), tags[tagged].tolist()):
        prefix, role = TAG_PARTS[TAGS[tag]]
        if (current is not None and prefix == "I" and role == current.role and i == current.last + 1
                and "\n" not in text[ends[i - 1] : starts[i]]):
            current.last = i
        else:
            close()
            current = _Run(role, i, i)
    close()
    return spans


def _gap(a: RoleSpan, b: RoleSpan) -> int:
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def _reaches(text: str, span: RoleSpan, cue: RoleSpan, starts: list[int], breaks: list[int]) -> bool:
    """Whether a source or content can belong to this cue: a source, or a content before its cue, is on its
    cue's line and in its sentence; a content after its cue may run on over sentences and into the next
    paragraph, but then it starts a sentence (a quotation continued). A sentence end inside a quotation
    that runs on does not count. In PolNeAR train (benchmarks/polnear_layout.py): sources off their cue's
    line 10 of 20,849, out of its sentence 28; contents before their cue 36 and 139 of 6,939; contents
    after their cue in a later sentence 2,108 of 19,448, of which 40 do not start it. `starts`: the
    sentence starts; `breaks`: those outside a quotation that runs on (_sentence_breaks)."""
    if _gap(span, cue) > (MAX_SOURCE_GAP if span.role == "Source" else MAX_CONTENT_GAP):
        return False
    lo, hi = min(span.end, cue.end), max(span.start, cue.start)
    crossed = bisect_right(breaks, hi) > bisect_right(breaks, lo)
    if span.role == "Content" and span.start >= cue.end:
        return not crossed or not _OPENING.sub("", text[starts[bisect_right(starts, hi) - 1] : span.start])
    return "\n" not in text[lo:hi] and not crossed


def attributions_from_tags(text: str, offsets: IntArray, logits: FloatArray) -> list[Attribution]:
    """Each cue is one attribution; each source and content joins the nearest cue within reach. Then the
    rules that read the text: a colon that introduces a block quotation, a cue after its quotation, and a
    cue that has nothing to attribute."""
    quoted = quote_mask(text)
    spans = _without_false_said(text, role_spans(text, offsets, logits))
    spans = _without_cueless_words(text, _trim_cues(text, _merge_neighbours(text, spans)))
    cues = [s for s in spans if s.role == "Cue"]
    members: list[dict[Role, list[RoleSpan]]] = [{"Source": [], "Content": []} for _ in cues]
    # Only cues within the longest gap can be reached: look at those (checking every cue for every span
    # grew with the square of the text).
    cue_starts, cue_ends = [c.start for c in cues], [c.end for c in cues]
    reach = max(MAX_SOURCE_GAP, MAX_CONTENT_GAP)
    starts = [start for start, _ in split_sentences(text)]
    breaks = _sentence_breaks(starts, quoted)
    for span in _split_at_sentences(text, spans, breaks):
        if span.role == "Cue" or not cues:
            continue
        nearby = range(bisect_left(cue_ends, span.start - reach), bisect_right(cue_starts, span.end + reach))
        reachable = [k for k in nearby if _reaches(text, span, cues[k], starts, breaks)]
        if reachable:
            members[min(reachable, key=lambda k: _gap(span, cues[k]))][span.role].append(span)
    _borrow_sources(text, cues, members)
    folded = _fold_quoted_as_saying(text, cues, members)
    # An aside still takes its contents above, so they do not join another cue; it is then dropped.
    events = [(cue, parts) for k, (cue, parts) in enumerate(zip(cues, members))
              if k not in folded and (parts["Source"] or not _AUTHOR_ASIDE.search(text, max(0, cue.start - 30), cue.end))]
    tag_score = TagScores(offsets, logits)
    events = reversed_cues(text, events, spans, quoted, tag_score)
    block_quotations(text, events, quoted, tag_score)
    for cue, parts in events:
        parts["Content"] = [c for c in parts["Content"] if not _scare_quoted(text, cue, c, starts)]
    events = [(cue, parts) for cue, parts in events if _attributes_something(text, cue, parts, quoted)]
    mentions = sorted({(s.start, s.end) for _, parts in events for s in parts["Source"]} | {(s.start, s.end) for s in spans if s.role == "Source"})
    searches = SpeakerSearches(text)  # resolve_speaker's searches, once per text
    attributions = []
    for cue, parts in events:
        sources = tuple(TextSpan(s.start, s.end, text[s.start : s.end]) for s in parts["Source"])
        contents = tuple(TextSpan(c.start, c.end, text[c.start : c.end]) for c in sorted(parts["Content"], key=lambda c: c.start))
        cue_span = TextSpan(cue.start, cue.end, text[cue.start : cue.end])
        speaker = resolve_speaker(text, sources[0], mentions, searches) if sources else None
        scores = [cue.score] + [s.score for s in parts["Source"] + parts["Content"]]
        attributions.append(
            Attribution(
                cue=cue_span,
                sources=sources,
                contents=contents,
                kind=speech_kind(text, contents, quoted),
                source_type=classify_source(text, sources[0] if sources else None),
                speaker=speaker,
                via=find_intermediaries(text, cue_span, sources, contents),
                score=round(float(np.mean(scores)), 4),
            )
        )
    return attributions


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _merge_neighbours(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """Two cues, or two sources, with only spaces between them on one line are one: the tagger starts a new
    span inside one ("has" "said", "according" "to", "The" "presumptive nominee"). In PolNeAR train gold has 3
    such pairs of cues and 37 of sources; the tagger gave 463 and 282."""
    out: list[RoleSpan] = []
    for span in spans:
        last = out[-1] if out else None
        if (last is not None and span.role == last.role and span.role in ("Cue", "Source") and span.start >= last.end
                and not text[last.end : span.start].strip() and "\n" not in text[last.end : span.start]):
            out[-1] = RoleSpan(span.role, last.start, span.end, (last.score + span.score) / 2)
        else:
            out.append(span)
    return out


def _trim_cues(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """Cue boundaries as PolNeAR draws them: "told" without whom it was told to, "according to" whole and no
    more, and no comma at a cue's end. In train the tagger ran 139 cues on after "told" and ended 82 with
    "according" alone and 89 with a comma (12 of the 22,469 gold cues end in one). What a cue grows over is
    taken from the span the tagger had given it to ("according" "to Reuters")."""
    out: list[RoleSpan] = []
    for span in spans:
        if span.role == "Cue":
            start, end = span.start, span.end
            if (told := _TOLD.match(text, start, end)) is not None:
                end = told.end()
            elif (according := _ACCORDING.match(text, start)) is not None:
                end = according.end()
            while end > start + 1 and text[end - 1] in ", " and re.search(r"\w", text[start:end]):
                end -= 1
            span = RoleSpan("Cue", start, end, span.score)
        out.append(span)
    cues = [s for s in out if s.role == "Cue"]
    cue_starts = [c.start for c in cues]
    trimmed = []
    for span in out:
        k = bisect_right(cue_starts, span.start) - 1  # the cue that starts last before the span (cues do not overlap)
        if span.role != "Cue" and k >= 0 and span.start < cues[k].end:
            start = cues[k].end
            while start < span.end and text[start].isspace():
                start += 1
            span = RoleSpan(span.role, start, span.end, span.score)
        if span.end > span.start:
            trimmed.append(span)
    return trimmed


def _without_cueless_words(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """The spans without the cues that are no cue by their words, whatever the tagger gave them, so that their
    sources and contents may join another cue: quotation marks alone (in PolNeAR train the tagger gave 25,
    1 of them on a gold cue) and one adverb in -ly that reports nothing ("strategically", "famously": 74,
    26). And without a source that is an article alone ("The")."""
    return [s for s in spans if not (s.role == "Cue" and _no_cue(text[s.start : s.end]))
            and not (s.role == "Source" and text[s.start : s.end].lower() in ("the", "a", "an"))]


def _no_cue(cue: str) -> bool:
    words = _words(cue)
    if not words:
        return all(c in QUOTE_MARKS or c.isspace() for c in cue)
    return (len(words) == 1 and words[0].endswith("ly") and len(words[0]) > 4
            and words[0] not in REPORTING_ADVERBS | NOT_ADVERBS | CERTAINTY_ADJECTIVES)


def _in_scare_quotes(text: str, start: int, end: int, quoted: BoolArray) -> bool:
    """Whether text[start:end] is inside quotation marks around one or two words (its own marks may be part
    of it: `advised"`)."""
    inside = [i for i in range(start, end) if quoted[i] and text[i] not in QUOTE_MARKS]
    if not inside:
        return False
    first = last = inside[0]
    while first > 0 and quoted[first - 1]:
        first -= 1
    while last < len(text) and quoted[last]:
        last += 1
    return last < len(text) and 1 <= len(_words(text[first:last])) <= 2 and all(quoted[i] or text[i] in QUOTE_MARKS or text[i].isspace() for i in range(start, end))


def _scare_quoted(text: str, cue: RoleSpan, content: RoleSpan, starts: list[int]) -> bool:
    """Whether a content is only a quoted one- or two-word phrase inside a sentence (words of the sentence
    before and after it) that is neither just after its cue nor a quotation that a comma or a full stop
    closes before its cue: `a so-called "market accident" would see` quotes no one; `called it "a disgrace"`
    and `Asked again, "Absolutely," he said` do. PolNeAR quotes a word or two mostly at a sentence's start
    or end or just after the cue, as speech: 71 of the 82 short quoted contents the tagger gave in train
    are gold contents; this rule drops 8 of them, 3 no gold content."""
    quotation = text[content.start : content.end].strip()
    inner = quotation.strip(" ,.;:")
    if len(inner) < 2 or inner[0] not in _OPENING_MARKS or inner[-1] not in _CLOSING_MARKS or not 1 <= len(_words(inner)) <= 2:
        return False
    k = bisect_right(starts, content.start)
    before = text[starts[k - 1] if k else 0 : content.start]
    after = text[content.end : starts[k] if k < len(starts) else len(text)]
    if not _WORD.search(before) or not _WORD.search(after):
        return False
    if cue.end <= content.start:
        return _NEXT_TO_CUE.fullmatch(text, cue.end, content.start) is None
    return not (content.end <= cue.start and _PUNCTUATED.search(quotation + text[content.end : content.end + 1]))


def _attributes_something(text: str, cue: RoleSpan, parts: dict[Role, list[RoleSpan]], quoted: BoolArray) -> bool:
    """Whether a cue attributes something (the counts are the tagger's cues in PolNeAR train):
    - It needs a source or a content: 1 of train's 19,833 gold attributions has neither; of the tagger's
      cues with neither, 1,023 are no gold cue and 531 are.
    - Auxiliaries, prepositions and articles alone ("has", "is about") need a content: 408 of the 538 without
      one are no gold cue. With one they stay: 72% of those contents' tokens are gold contents.
    - A word or two in scare quotes needs a content just after it: `the "experts" advised` is no cue,
      `whites "strongly agree" that …` is one.
    - With no source, an adjective of certainty needs a content just after it: "it is not clear that …" is
      the author's attribution in PolNeAR (26 of train's 56 gold cues of this shape have no source), "is
      almost certain to remain that way for the rest" with a content "rest" is none. So does a participle
      that opens a sentence ("Revealing in its timing, …", "Speaking on radio last week, …").
    These last two rules and the scare quotes drop 37 cues, 25 of them no gold cue."""
    words = _words(text[cue.start : cue.end])
    if not parts["Content"] and (not parts["Source"] or all(w in FUNCTION_WORDS for w in words)):
        return False
    content_after = any(_JUST_AFTER.fullmatch(text, cue.end, c.start) for c in parts["Content"] if c.start >= cue.end)
    if _in_scare_quotes(text, cue.start, cue.end, quoted) and not content_after:
        return False
    if parts["Source"]:
        return True
    adjective = any(w in CERTAINTY_ADJECTIVES for w in words) and all(
        w in CERTAINTY_ADJECTIVES or w in ADJECTIVE_COMPANIONS or (w.endswith("ly") and w not in REPORTING_ADVERBS) for w in words)
    opening = len(words) == 1 and words[0].endswith("ing") and text[cue.start].isupper()
    return content_after or not (adjective or opening)


def _sentence_breaks(starts: list[int], quoted: BoolArray) -> list[int]:
    """The sentence starts that break a text: all but those inside a quotation that runs on over them
    (the character before is quoted too)."""
    return [p for p in starts if p == 0 or not (quoted[p] and quoted[p - 1])]


def _split_at_sentences(text: str, spans: list[RoleSpan], breaks: list[int]) -> list[RoleSpan]:
    """Contents cut where a sentence starts outside a quotation: each part then joins its own nearest cue
    ("… early on Saturday. No one was injured, a fire service spokesman said" was all the police's)."""
    out = []
    for span in spans:
        cuts = breaks[bisect_right(breaks, span.start) : bisect_left(breaks, span.end)]
        if span.role != "Content" or not cuts:
            out.append(span)
            continue
        for start, end in zip([span.start, *cuts], [*cuts, span.end]):
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append(RoleSpan(span.role, start, end, span.score))
    return out


def _without_false_said(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """The spans without the cues that report no speech (a "said" that is no verb, an auxiliary alone),
    and the word before such a "said" that the tagger may have taken for its source ("That"), so that
    neither is given to another cue."""
    no_speech = [s for s in spans if s.role == "Cue" and _said_but_no_speech(text, s)]
    dropped = no_speech + [s for s in spans if s.role == "Cue" and _NO_CUE.match(text, s.start, s.end)]
    if not dropped:
        return spans
    return [s for s in spans if s not in dropped
            and not (s.role == "Source" and any(0 <= c.start - s.end <= 1 and len(text[s.start : s.end].split()) == 1 for c in no_speech))]


def _said_but_no_speech(text: str, cue: RoleSpan) -> bool:
    """Whether the cue's "said" is "the said agreement" or "That said," (the tagger may take "That" for a source)."""
    found = re.search(r"\bsaid\b", text[cue.start : cue.end], re.IGNORECASE)
    if found is None:
        return False
    said = cue.start + found.start()
    before, comma = text[max(0, said - 12) : said], text[said + 4 : said + 5] == ","
    return bool(_ADJECTIVE_BEFORE.search(before) and not comma) or bool(_MARKER_BEFORE.search(before) and comma)


def _fold_quoted_as_saying(text: str, cues: list[RoleSpan], members: list[dict[Role, list[RoleSpan]]]) -> set[int]:
    """ "RIA quoted him as saying …": the outlet passes on the words of "him", so "him" is the source and
    the outlet an intermediary (find_intermediaries names it from the text), and the "saying" cue the
    tagger may find as well is part of this one (its contents join it). Returns the cues folded in."""
    folded: set[int] = set()
    for k, cue in enumerate(cues):
        match = _QUOTED_AS_SAYING.match(text, cue.start)
        if match is None or k in folded:
            continue
        # The cue is the verb alone: the tagger may run it on into the source ("quoted a source in").
        cues[k] = cue = RoleSpan("Cue", cue.start, match.end("verb"), cue.score)
        phrase_end = match.end()
        parts = members[k]
        for j in range(k + 1, len(cues)):
            if cues[j].start >= phrase_end:
                break
            folded.add(j)
            parts["Content"].extend(members[j]["Content"])
        source = RoleSpan("Source", match.start("source"), match.end("source"), cue.score)
        parts["Source"] = [source]
        # What the tagger gave as content inside "him as saying" is not; what runs on past it is ("saying that …").
        kept = []
        for c in parts["Content"]:
            if c.start < phrase_end and c.end > cue.start:
                start = phrase_end
                while start < c.end and text[start].isspace():
                    start += 1
                c = RoleSpan(c.role, start, c.end, c.score)
            if c.end > c.start:
                kept.append(c)
        parts["Content"] = sorted(kept, key=lambda c: c.start)
    return folded


def _borrow_sources(text: str, cues: list[RoleSpan], members: list[dict[Role, list[RoleSpan]]]) -> None:
    """ "One senior diplomat, speaking on condition of anonymity, said …": a cue with content but no
    source takes the source of a content-less cue just before it in the same sentence."""
    for k in range(1, len(cues)):
        here, before = members[k], members[k - 1]
        between = text[cues[k - 1].end : cues[k].start]
        if (not here["Source"] and here["Content"] and before["Source"] and not before["Content"]
                and len(between) <= MAX_BORROW_GAP and not any(mark in between for mark in ".!?\n")):
            here["Source"] = list(before["Source"])


def speech_kind(text: str, contents: tuple[TextSpan, ...], quoted: BoolArray | None = None) -> Kind:
    """direct: the content is a quotation; indirect: reported speech without quotation marks; mixed: both."""
    quoted = quote_mask(text) if quoted is None else quoted
    inside = outside = 0
    for content in contents:
        for i in range(content.start, content.end):
            if text[i].isalnum():
                inside += bool(quoted[i])
                outside += not quoted[i]
    if inside and outside <= 0.1 * (inside + outside):
        return "direct"
    return "mixed" if inside else "indirect"


def to_brat(text: str, attributions: Iterable[Attribution]) -> str:
    brat: list[BratAttribution] = [
        {"cue": (a.cue.start, a.cue.end), "sources": [(s.start, s.end) for s in a.sources], "contents": [(c.start, c.end) for c in a.contents]}
        for a in attributions
    ]
    return format_brat(text, brat)
