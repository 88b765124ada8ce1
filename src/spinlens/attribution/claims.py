"""Claims, sentence by sentence: whose claim each sentence is, and whether the author hedges it or hammers
it home.

A title, a byline or another line of its own that does not end as a sentence does (a heading, a credit)
is "none" (no claim to make). A sentence is "attributed" when it is the content of what someone said,
wrote or thought (claims_guidelines.md): mostly the words of attributions whose cue reports speech or
thought (_attribution_of says how), not one that merely names a source or holds a cue of an act ("He
spoke at the rally", "Obama's aides preselected the outlets"), hangs an attribution off the author's
clause ("…, who said …"), cites the author ("We reported …") or, a question of its own, follows an
attribution's content. Otherwise it is "none" if it has fewer than four words or no lower-case letter, or
the author's: "question" if it asks, "hedged" with a hedge marker, "boosted" with a booster and no hedge,
"asserted" otherwise. Markers are found in every sentence, attributed ones too. Rules over the
tagger's attributions and the word lists of spinlens.attribution.metadiscourse; no parser.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..arrays import BoolArray
from ..spans import quote_mask
from ..types import Attribution, Claim, ClaimStatus, Marker, MarkerKind, SentenceScore
from .metadiscourse import BOOSTERS, HEDGES, IRREGULAR_FORMS, MANNER_VERBS, MONTH_BEFORE, REPORTING_NOUNS, REPORTING_VERBS, SUGGEST_BEFORE


def _phrases(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(words, key=len, reverse=True)  # the longest phrase wins: "more likely" over "likely"
    body = "|".join(r"[^\S\n]+".join(re.escape(w) for w in phrase.split()) for phrase in alternatives)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.IGNORECASE)


_HEDGE = _phrases(HEDGES)
_BOOSTER = _phrases(BOOSTERS)
_MANNER = frozenset(MANNER_VERBS)
_MONTH_BEFORE = frozenset(MONTH_BEFORE)
_SUGGEST_BEFORE = frozenset(SUGGEST_BEFORE)
# "so that", "in order that", or "so" straight after a word (not "So …" or ", so …", which say "therefore"),
# then at most four words before the modal.
_PURPOSE = re.compile(r"(?:\b(?:so|in[^\S\n]+order)[^\S\n]+that|(?<=\w)[^\S\n]+so)(?:[^\S\n]+[\w'’-]+){0,4}[^\S\n]+$", re.IGNORECASE)
_WORDS = re.compile(r"[\w'’-]+")
# A cue that is a hedge and names nobody ("…, reportedly") leaves the claim the author's, hedged.
_HEDGE_CUE = re.compile(r"(?i:reportedly|allegedly|purportedly|supposedly|apparently|rumou?red(?:ly)?)")
# An attribution without a source counts only from this score up: of the tagger's sourceless ones that
# report, those below it are mostly fragments ("being confirmed", "suggest" in "meant to suggest").
_SOURCELESS_SCORE = 0.65
# A sentence of an attribution's cue and sources is its words when it opens or closes a quotation (the
# content lies outside it) or when its content here is at least this share of it; otherwise it describes
# an act ("Erdogan laments hosting the growing number of migrants").
_CUE_SENTENCE_CONTENT = 0.2
_INTRODUCES = re.compile(r":[\s\"“'‘]*$")  # a sentence that ends with a colon introduces what follows
_AUTHOR = frozenset(("i", "we", "us", "me", "this newspaper", "this reporter", "this writer", "the author"))
_RELATIVES = frozenset(("who", "which", "whom", "whose"))
CUE_WORDS = re.compile(r"[\w'’-]+|:")


def _inflected(verb: str) -> set[str]:
    """A regular verb's forms: "say" -> says, saying; "argue" -> argues, argued, arguing; "deny" -> denies,
    denied; "admit" -> admitted, admitting (a final consonant after one vowel is also doubled: forms that
    no one writes, "visitted", cost nothing)."""
    if verb.endswith("e"):
        return {verb, verb + "s", verb + "d", verb[:-1] + "ing"}
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return {verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    if verb.endswith(("s", "sh", "ch", "x")):
        return {verb, verb + "es", verb + "ed", verb + "ing"}
    forms = {verb, verb + "s", verb + "ed", verb + "ing"}
    if re.search(r"(?:^|[^aeiou]|qu)[aeiou][^aeiouwy]$", verb):  # "quip" too
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


REPORTING_WORDS = frozenset({form for verb in REPORTING_VERBS for form in _inflected(verb)} | set(IRREGULAR_FORMS) | set(REPORTING_NOUNS))
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’)\]]*\s*$")
_BYLINE = re.compile(r"^\s*(?:By|BY|Posted by|Written by)\s+[A-Z]")


def find_markers(text: str, start: int, end: int) -> list[tuple[int, int, MarkerKind]]:
    """(start, end, "hedge" | "booster") for each marker in text[start:end], in order."""
    found: list[tuple[int, int, MarkerKind]] = []
    patterns: tuple[tuple[MarkerKind, re.Pattern[str]], ...] = (("hedge", _HEDGE), ("booster", _BOOSTER))
    for kind, pattern in patterns:
        for match in pattern.finditer(text, start, end):
            if not _refused(text, start, match, kind):
                found.append((match.start(), match.end(), kind))
    found.sort()
    kept: list[tuple[int, int, MarkerKind]] = []
    for marker in found:  # "it is clear" and "clear" never both: the first, longest one stays
        if kept and marker[0] < kept[-1][1]:
            continue
        kept.append(marker)
    return kept


def _refused(text: str, start: int, match: re.Match[str], kind: MarkerKind) -> bool:
    """The other uses of a marker's words: the month May, "spoke clearly", "could not"."""
    word = match.group().lower()
    before = _WORDS.findall(text[max(start, match.start() - 40) : match.start()])  # in its sentence only
    previous = before[-1].lower() if before else ""
    after = text[match.end() : match.end() + 20]
    if word in ("may", "might", "could") and _PURPOSE.search(text, max(start, match.start() - 60), match.start()):
        return True  # "… so the factions could coalesce": a purpose, not a possibility
    if word == "may":
        return (match.group() == "May" and (bool(before) or bool(re.match(r"[^\S\n]*\d", after)))) or previous in _MONTH_BEFORE
    if word == "could":
        return bool(re.match(r"[^\S\n]*(?:not\b|n['’]t\b|only\b)", after))  # "could not attend": past (in)ability
    if word in ("suggest", "suggests"):
        return previous in _SUGGEST_BEFORE
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
    quoted = quote_mask(text)
    k = 0
    claimed = []
    for sentence in sentences:
        while k < len(parts) and parts[k][0] < sentence.end:
            active.append(parts[k])
            k += 1
        active = [p for p in active if p[1] > sentence.start]
        markers = find_markers(text, sentence.start, sentence.end)
        status, index = _status(text, sentence.start, sentence.end, active, markers, attributions, quoted)
        claim = Claim(status, tuple(Marker(a, b, text[a:b], kind) for a, b, kind in markers), index)
        claimed.append(replace(sentence, claim=claim))
    return tuple(claimed)


def author_claims(sentences: tuple[SentenceScore, ...]) -> int:
    """How many sentences are the author's own claims: asserted, hedged or boosted."""
    return sum(s.claim is not None and s.claim.status in ("asserted", "hedged", "boosted") for s in sentences)


def _status(text: str, start: int, end: int, parts: list[tuple[int, int, int, bool, bool]],
            markers: list[tuple[int, int, MarkerKind]], attributions: tuple[Attribution, ...],
            quoted: BoolArray) -> tuple[ClaimStatus, int | None]:
    """A sentence's status, and the index of its attribution when it is "attributed". `parts`: (start, end,
    attribution index, is its cue, is one of its contents) of the attribution parts that reach it."""
    body = text[start:end].strip()
    if _heading(text, start, end, body):
        return "none", None
    index = _attribution_of(text, start, end, parts, attributions, quoted)
    if index is not None and not _own_question(text, start, end, attributions[index], quoted):
        return "attributed", index
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


def _attribution_of(text: str, start: int, end: int, parts: list[tuple[int, int, int, bool, bool]],
                    attributions: tuple[Attribution, ...], quoted: BoolArray) -> int | None:
    """The attribution whose words the sentence is, or None. An attribution counts when its cue reports
    speech or thought (a reporting verb or noun) or its content here is a quotation, and when it does not
    hang off the author's main clause in a relative clause ("…, who said …"). The sentence is their words
    when the contents of those that count cover half of its letters and digits, or when it holds the cue
    of one and its cue, sources and contents cover half while it opens or closes a quotation (a content
    outside the sentence) or holds a fifth of content or quotation, or ends with a colon before its
    content; the attribution with most of the sentence is the one named."""
    letters = sum(c.isalnum() for c in text[start:end]) or 1
    by_attribution: dict[int, list[tuple[int, int, bool, bool]]] = {}
    for a, b, index, is_cue, is_content in parts:
        if a < end and start < b:
            by_attribution.setdefault(index, []).append((max(a, start), min(b, end), is_cue, is_content))
    quoted_share = sum(c.isalnum() and bool(quoted[i]) for i, c in enumerate(text[start:end], start)) / letters
    counted: dict[int, float] = {}
    union: dict[int, list[tuple[int, int]]] = {}  # the spans of each that count toward the sentence's words
    relative: set[int] = set()
    for index, inside in sorted(by_attribution.items()):
        attribution = attributions[index]
        here = [(s, e) for s, e, _, c in inside if c]
        if not (_reports(text, start, attribution, quoted) or _is_quoted(text, here, quoted)):
            continue
        if _relative(text, start, attribution):
            relative.add(index)
        whole = _letters(text, [(s, e) for s, e, _, _ in inside]) / letters
        share = _letters(text, here) / letters
        opens_or_closes = max(share, quoted_share) >= _CUE_SENTENCE_CONTENT or any(c.end <= start or c.start >= end for c in attribution.contents)
        holds_cue = any(c for _, _, c, _ in inside)
        union[index] = [(s, e) for s, e, _, _ in inside] if opens_or_closes else here
        counted[index] = whole if holds_cue and whole >= 0.5 and opens_or_closes else share
        if holds_cue and _INTRODUCES.search(text, start, end) and any(c.start >= end for c in attribution.contents):
            counted[index] = 1.0  # "Murillo wrote at the outset of the message:" and the quotation after it
    if not any(start <= attributions[i].cue.start < end for i in counted if i not in relative):
        # "…, who said …" hangs off the author's clause, unless the sentence reports another's words too
        # ("'…,' said Beck, who said …")
        for i in relative:
            del counted[i]
    if not counted:
        return None
    best = max(counted, key=lambda i: (i not in relative, counted[i], -i))
    if counted[best] >= 0.5:
        return best
    # The parts of several attributions, and quotations (a quotation's part that the tagger left out of its
    # content, "'… I admit, he’s taller than me,' Rubio said"), together
    covered = [False] * (end - start)
    for s, e in (span for i in counted for span in union[i]):
        covered[s - start : e - start] = [True] * (e - s)
    words = sum(c.isalnum() and (covered[i - start] or bool(quoted[i])) for i, c in enumerate(text[start:end], start))
    return best if words / letters >= 0.5 else None


def _own_question(text: str, start: int, end: int, attribution: Attribution, quoted: BoolArray) -> bool:
    """A question outside quotation marks after its attribution's cue ("As Reuters reports, …. Are we
    really supposed to believe this?"): the author asks, whatever the tagger gave the content."""
    asks = text[start:end].rstrip("\"'”’)] \n").endswith("?")
    return asks and not start <= attribution.cue.start < end and not _is_quoted(text, [(start, end)], quoted)


def _reports(text: str, start: int, attribution: Attribution, quoted: BoolArray) -> bool:
    """Whether the cue reports speech or thought (a reporting verb or noun, in it or in the three words
    before it in its sentence, where the tagger split a cue: "said | on Saturday that", "told | ABC News
    that"), and names who does or is sure of itself ("…, saying …" has its source in the main clause;
    "being confirmed" is no report); the author citing themselves ("We reported last month that …", "I
    think …" outside a quotation) makes the claim their own."""
    if not attribution.sources and attribution.score < _SOURCELESS_SCORE:
        return False
    if attribution.sources and all(s.text.strip().lower() in _AUTHOR for s in attribution.sources) and not quoted[attribution.cue.start]:
        return False
    cue = attribution.cue
    words = CUE_WORDS.findall(cue.text) + CUE_WORDS.findall(text[max(start, cue.start - 40) : cue.start])[-3:]
    return any(w.lower() in REPORTING_WORDS for w in words)


def _relative(text: str, start: int, attribution: Attribution) -> bool:
    """Whether the cue is in a relative clause: "Perez, who said …", "France, which the OECD says …"."""
    before = _WORDS.findall(text[max(start, attribution.cue.start - 60) : attribution.cue.start])
    sources = [_WORDS.findall(s.text)[:1] for s in attribution.sources if s.start >= start]
    return (bool(before) and before[-1].lower() in _RELATIVES) or any(w and w[0].lower() in _RELATIVES for w in sources)


def _is_quoted(text: str, spans: list[tuple[int, int]], quoted: BoolArray) -> bool:
    """Whether nine in ten of the letters and digits of the spans are inside quotation marks."""
    inside = total = 0
    for s, e in spans:
        for i in range(s, e):
            if text[i].isalnum():
                total += 1
                inside += bool(quoted[i])
    return total > 0 and inside >= 0.9 * total


def _letters(text: str, spans: list[tuple[int, int]]) -> int:
    return sum(sum(c.isalnum() for c in text[s:e]) for s, e in _merged(spans))


def _no_claim(text: str, start: int, end: int, body: str) -> bool:
    return len(_WORDS.findall(body)) < 4 or not any(c.islower() for c in body)


def _heading(text: str, start: int, end: int, body: str) -> bool:
    """A byline; the title: the article's first line, when more follows and it does not end as a sentence
    does; or another line of its own that does not end as a sentence does (a heading, a caption, a credit,
    a tweet's signature), in a text of several lines. None is a claim, whatever the tagger finds in it."""
    if _BYLINE.match(body):
        return True
    first_line = text.find("\n")
    if 0 < first_line and start < first_line and not _ENDS_SENTENCE.search(text, 0, first_line):
        return True
    own_line = (start == 0 or text[start - 1] == "\n") and text[end : end + 1] in ("", "\n")
    return own_line and first_line >= 0 and not _ENDS_SENTENCE.search(text, start, end)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
