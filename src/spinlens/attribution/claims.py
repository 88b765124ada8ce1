"""Claims, sentence by sentence: whose claim each sentence is, and whether the author hedges it or hammers
it home.

A title, a byline or another line of its own that does not end as a sentence does (a heading, a credit),
a first line in title case and page furniture (a site's notices, a poll printed twice) are "none" (no
claim to make). A sentence is "attributed" when it is the content of what someone said, wrote or thought
(claims_guidelines.md): mostly the words of attributions whose cue reports speech or thought, judging
ones ("chastised Clinton for …") included (_attribution_of says how), the middle of a quotation that
runs over several sentences, or a line of a transcript's turn after its speaker's label; not one that
merely names a source or holds a cue of an act ("He spoke at the rally", "Obama's aides preselected the
outlets"), hangs an attribution off the author's clause ("…, who said …", "Although Trump has admitted
…, he …"), cites the author ("We reported …") or, a question of its own, follows an attribution's content
or asks about it ("Did he say so?"). Otherwise it is "none" if it has no lower-case letter or fewer than
four words and no pronoun, or the author's: "question" if it asks, "hedged" with a hedge marker,
"boosted" with a booster and no hedge, "asserted" otherwise. Markers are found in every sentence,
attributed ones too. Rules over the tagger's attributions and the word lists of
spinlens.attribution.metadiscourse; no parser.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import numpy as np

from ..arrays import BoolArray, IntArray
from ..spans import quote_mask
from ..types import Attribution, Claim, ClaimStatus, Marker, MarkerKind, SentenceScore
from .metadiscourse import (
    APPEAR_NOT_BEFORE,
    BOILERPLATE,
    BOOSTERS,
    CLAUSE_WORDS,
    CONCESSIVE_VERBS,
    CONDITION_OPENERS,
    COPULAS,
    EMPHATIC_POSSIBLY_AFTER,
    GENERALISERS,
    GENERIC_SUBJECTS,
    HEDGES,
    IRREGULAR_FORMS,
    LIKELY_ATTRIBUTIVE_AFTER,
    MANNER_VERBS,
    MODAL_FORMULA_VERBS,
    MONTH_BEFORE,
    NON_REPORTS,
    PRONOUN_COULD_POSSIBLE,
    PROPOSITION_ANAPHORS,
    QUESTION_CLAUSE_OPENERS,
    QUESTION_OPENERS,
    REPORTING_NOUNS,
    REPORTING_VERBS,
    SIGN_OFFS,
    SUBORDINATORS,
    SUGGEST_BEFORE,
    SURE_NOT_AFTER,
    THOUGHT_OPENERS,
)


def _phrases(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(words, key=len, reverse=True)  # the longest phrase wins: "more likely" over "likely"
    body = "|".join(r"[^\S\n]+".join(re.escape(w) for w in phrase.split()) for phrase in alternatives)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.IGNORECASE)


_HEDGE = _phrases(HEDGES)
_BOOSTER = _phrases(BOOSTERS)
_MANNER = frozenset(MANNER_VERBS)
_MONTH_BEFORE = frozenset(MONTH_BEFORE)
_SUGGEST_BEFORE = frozenset(SUGGEST_BEFORE)
_APPEAR_NOT_BEFORE = frozenset(APPEAR_NOT_BEFORE)
_SURE_NOT_AFTER = frozenset(SURE_NOT_AFTER)
_COPULAS = frozenset(COPULAS)
_PERSONS = frozenset(("i", "you", "he", "she", "we", "they", "one"))
_GENERALISERS = frozenset(GENERALISERS)
_EMPHATIC_POSSIBLY_AFTER = frozenset(EMPHATIC_POSSIBLY_AFTER)
_LIKELY_ATTRIBUTIVE_AFTER = frozenset(LIKELY_ATTRIBUTIVE_AFTER)
_QUESTION_CLAUSE_OPENERS = frozenset(QUESTION_CLAUSE_OPENERS)
_THOUGHT_OPENERS = frozenset(THOUGHT_OPENERS)
_CONDITION_OPENERS = frozenset(CONDITION_OPENERS)
_GENERIC_SUBJECTS = frozenset(GENERIC_SUBJECTS)
_MODAL_FORMULA_VERBS = frozenset(MODAL_FORMULA_VERBS)
_PRONOUN_COULD_POSSIBLE = frozenset(PRONOUN_COULD_POSSIBLE)
_CONCESSIVE = frozenset(form for verb in CONCESSIVE_VERBS for form in (verb, verb + "s"))  # "might look", "may seem"
_MODAL = re.compile(r"(?:may|might|could)\b")  # the modal verbs, alone or in "could have", "may or may not"
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s")  # punctuation that ends a clause before a modal
_QUESTION_WINDOW = 8  # words back from a modal in which a clause's opener ("whether", "thought", "if") is looked for
_OWN_FEAR = re.compile(r"\b(?:I|[Ww]e)[^\S\n]+(?:fear|worry)\b")  # the author's own present fear hedges: "I fear that … may"
_LABEL_WORDS = 4  # a marker inside a quotation of at most this many words is a quoted label ("somewhat liberal")
# "so that", "in order that", or "so" straight after a word (not "So …" or ", so …", which say "therefore"),
# then at most four words before the modal.
_PURPOSE = re.compile(r"(?:\b(?:so|in[^\S\n]+order)[^\S\n]+that|(?<=\w)[^\S\n]+so)(?:[^\S\n]+[\w'’-]+){0,4}[^\S\n]+$", re.IGNORECASE)
_WORDS = re.compile(r"[\w'’-]+")
_HEDGE_CUE = re.compile(r"(?i:reportedly|allegedly|purportedly|supposedly|apparently|rumou?red(?:ly)?)")
# An attribution without a source counts only from this score up: of the tagger's sourceless ones that
# report, those below it are mostly fragments ("being confirmed", "suggest" in "meant to suggest").
_SOURCELESS_SCORE = 0.65
# A sentence of an attribution's cue and sources is its words when it opens or closes a quotation (the
# content lies outside it) or when its content here is at least this share of it; otherwise it describes
# an act ("Erdogan laments hosting the growing number of migrants").
_CUE_SENTENCE_CONTENT = 0.2
# A line that opens with a speaker's label ("HANNITY: …", "\"WALLACE: …", "Dennis Bernstein: …"), and a blank line.
_LABEL = re.compile(r"[\"“]?[A-Z][\w.'’-]*(?:[^\S\n][A-Z][\w.'’-]*){0,3}:[^\S\n]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_CLOSING_QUOTES = ("\"", "”", "»")
_PARAGRAPH_END = re.compile(r"[^\S\n]*\n[^\S\n]*\n")
# A report with no content whose source and cue are this share of the sentence leaves its content out.
_ELLIPTICAL_SHARE = 0.6
# "But on Tuesday, X said …": at most this many words before a report's source, or between its cue and "that".
_OPENER_WORDS = 4
_INTRODUCES = re.compile(r":[\s\"“'‘]*$")  # a sentence that ends with a colon introduces what follows
_CLAUSE_WORDS = frozenset(CLAUSE_WORDS)
_SIGN_OFFS = frozenset(SIGN_OFFS)
_CONTRACTION = re.compile(r"\w['’](?:s|ll|re|ve|d|m)$|n['’]t$", re.IGNORECASE)
_TITLE_WORDS = 12  # a first paragraph of one sentence and at most this many words is the headline
_DECKS = 3  # short paragraphs of one line under it, each of at most _TITLE_WORDS words, are its decks
_TITLE_BLOCK_CHARS = 600  # all within this many characters of the text's start
_BOILERPLATE = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in BOILERPLATE) + r")(?!\w)", re.IGNORECASE)
_QUESTION_OPENERS = frozenset(QUESTION_OPENERS)
_NON_REPORTS = frozenset(NON_REPORTS)
_AUTHOR = frozenset(("i", "we", "us", "me", "this newspaper", "this reporter", "this writer", "the author"))
_RELATIVES = frozenset(("who", "which", "whom", "whose", "where"))  # "a rally, where the secretary said …"
_SUBORDINATORS = frozenset(SUBORDINATORS)
_ANAPHORS = frozenset(PROPOSITION_ANAPHORS)
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


def find_markers(text: str, start: int, end: int, quoted: BoolArray | None = None) -> list[tuple[int, int, MarkerKind]]:
    """(start, end, "hedge" | "booster") for each marker in text[start:end], in order. quoted: quote_mask(text),
    where the caller has it (sentence_claims asks once for every sentence)."""
    found: list[tuple[int, int, MarkerKind]] = []
    patterns: tuple[tuple[MarkerKind, re.Pattern[str]], ...] = (("hedge", _HEDGE), ("booster", _BOOSTER))
    quoted = quote_mask(text) if quoted is None else quoted
    for kind, pattern in patterns:
        for match in pattern.finditer(text, start, end):
            if not _refused(text, start, end, match, kind) and not _quoted_label(text, quoted, match.start(), match.end()):
                found.append((match.start(), match.end(), kind))
    found.sort()
    kept: list[tuple[int, int, MarkerKind]] = []
    for marker in found:  # "it is clear" and "clear" never both: the first, longest one stays
        if kept and marker[0] < kept[-1][1]:
            continue
        kept.append(marker)
    return kept


def _refused(text: str, start: int, end: int, match: re.Match[str], kind: MarkerKind) -> bool:
    """The other uses of a marker's words: the month May, "spoke clearly", "could not"."""
    word = match.group().lower()
    before = _WORDS.findall(text[max(start, match.start() - 40) : match.start()])  # in its sentence only
    previous = before[-1].lower() if before else ""
    after = text[match.end() : match.end() + 20]
    following = re.match(r"[^\S\n]+([\w'’-]+)", after)  # the next word, with no punctuation between
    next_word = following.group(1).lower() if following else ""
    if word in ("may", "might", "could") and _PURPOSE.search(text, max(start, match.start() - 60), match.start()):
        return True  # "… so the factions could coalesce": a purpose, not a possibility
    if _MODAL.match(word) and _in_clause_after(text, start, match.start(), _QUESTION_CLAUSE_OPENERS):
        return True  # "whether this could mean a joint ticket": the question's possibility, not the author's
    if kind == "hedge" and _in_clause_after(text, start, match.start(), _THOUGHT_OPENERS) \
            and not _OWN_FEAR.search(text, start, match.start()):
        return True  # "I thought she might do something like that": their past thought, not the author's hedge
    if _MODAL.match(word) and (previous in _GENERIC_SUBJECTS or next_word in _MODAL_FORMULA_VERBS or next_word == "ever"
                               or re.match(r"[^\S\n]+be[^\S\n]+tempted\b", after)):
        return True  # "one might put", "I might add", "you might want to", "could ever have imagined", "might be tempted"
    if word.startswith("could") and _in_clause_after(text, start, match.start(), _CONDITION_OPENERS):
        return True  # "if everyone could vote": the condition's ability, not a conjecture
    if ((word in ("may", "might") and next_word in _CONCESSIVE) or (word in _CONCESSIVE and previous in ("may", "might"))) \
            and re.search(r"\bbut\b", text[match.end() : end]):
        return True  # "The Sun might look the same to you, but …", "This may seem large, but …": a concession, modal and verb
    if re.fullmatch(r"(?:could|might)\s+have", word) and next_word == "been" and re.search(r"\bif\b", text[match.end() : end], re.IGNORECASE):
        return True  # "could have been prevented if …": a counterfactual, not a conjecture
    if word in ("may", "might") and {w.lower() for w in before[-2:]} & _GENERALISERS:
        return True  # "wherever they may occur": a generalisation
    if word == "may":  # the month; "you may opt out": permission; "may be subject to": legal liability
        month = (match.group() == "May" and (bool(before) or bool(re.match(r"[^\S\n]*\d", after)))) or previous in _MONTH_BEFORE
        return month or previous == "you" or bool(re.match(r"[^\S\n]+be[^\S\n]+subject\b", after))
    if word == "could":  # "could not attend": past (in)ability; "you could see her", "I could deal with it": a
        # person's perception, ability or option (not "the city could see a rise"); "a witness who could corroborate"
        agentive = previous in _PERSONS and next_word not in _PRONOUN_COULD_POSSIBLE
        elliptical = not next_word  # "the only answer he could:"
        return bool(re.match(r"[^\S\n]*(?:not\b|n['’]t\b|only\b)", after)) or agentive or previous == "who" or elliptical
    if re.fullmatch(r"could\s+have", word):  # "could have done more": counterfactual; "could have been": a conjecture
        return next_word != "been"
    if word in ("suggest", "suggests"):
        return previous in _SUGGEST_BEFORE
    if word in ("clearly", "plainly"):
        return previous in _MANNER
    if word in ("appear", "appears", "appeared"):
        return not next_word or next_word in _APPEAR_NOT_BEFORE  # "appeared on Fox News": seen, not seeming
    if word == "sure":
        return previous in _SURE_NOT_AFTER
    if word == "somewhat":
        return previous == "as"  # "those describing themselves as somewhat conservative": a poll's category
    if word == "possibly":
        return previous in _EMPHATIC_POSSIBLY_AFTER  # "as plain as you can possibly make it"
    if word == "likely" and previous == "less":
        return True  # "much less likely to vote for Republicans": a change of odds the sentence reports, not a hedge
    if word in ("likely", "unlikely"):  # "likely voters", "the most unlikely candidate": an adjective of the noun after it
        return (previous in _LIKELY_ATTRIBUTIVE_AFTER or not before) and next_word not in ("", "to", "that")
    if word == "possible":  # "is possible", not "possible complicity", "as soon as possible", "not possible", "possible to find"
        prior = [w.lower() for w in before[-2:]]
        negated = any(w in ("not", "never") or w.endswith(("n't", "n’t")) for w in prior)  # "were never possible"
        return not set(prior) & _COPULAS or negated or next_word == "to" or "as" in prior  # "as much as is possible"
    return False


def _in_clause_after(text: str, start: int, at: int, openers: frozenset[str]) -> bool:
    """Whether the clause before `at` (from the sentence's start or the last clause break), within its last
    _QUESTION_WINDOW words, holds one of `openers` (an indirect question's "whether", a thought's "thought")."""
    clause = _CLAUSE_BREAK.split(text[start:at])[-1]
    return any(w.lower() in openers for w in _WORDS.findall(clause)[-_QUESTION_WINDOW:])


def _quoted_label(text: str, quoted: BoolArray, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside a quotation of at most _LABEL_WORDS words: a label or an answer quoted
    (“somewhat liberal”, “not too likely”, classified as “potentially hazardous”), not a hedge of the author's or the
    speaker's."""
    if not quoted[start]:
        return False
    left, right = start, end
    while left > 0 and quoted[left - 1] and start - left < 80:  # 80 characters hold more than _LABEL_WORDS words
        left -= 1
    while right < len(text) and quoted[right] and right - end < 80:
        right += 1
    return len(_WORDS.findall(text[left:right])) <= _LABEL_WORDS


def sentence_claims(text: str, sentences: tuple[SentenceScore, ...], attributions: tuple[Attribution, ...]) -> tuple[SentenceScore, ...]:
    """The sentences with their claims. Sentences are in text order; the attribution parts that reach each
    are found by one sweep over both, so long articles stay linear."""
    parts = sorted((p.start, p.end, index, p is a.cue, p in a.contents) for index, a in enumerate(attributions)
                   if _names_source(a) for p in (a.cue, *a.sources, *a.contents))
    active: list[tuple[int, int, int, bool, bool]] = []
    quoted = quote_mask(text)
    labels = _speaker_labels(text, attributions)
    turn: int | None = None
    k = previous_end = 0
    claimed = []
    for sentence in sentences:
        while k < len(parts) and parts[k][0] < sentence.end:
            active.append(parts[k])
            k += 1
        active = [p for p in active if p[1] > sentence.start]
        turn = _turn(text, previous_end, sentence.start, labels, turn) if labels else None
        previous_end = sentence.end
        body = text[sentence.start : sentence.end].strip()
        if _heading(text, sentence.start, sentence.end, body) or _furniture(text, sentence.start, sentence.end, body):
            claimed.append(replace(sentence, claim=Claim("none", (), None)))  # no claim, so nothing hedged either
            continue
        markers = find_markers(text, sentence.start, sentence.end, quoted)
        status, index = _status(text, sentence.start, sentence.end, active, markers, attributions, quoted, turn)
        claim = Claim(status, tuple(Marker(a, b, text[a:b], kind) for a, b, kind in markers), index)
        claimed.append(replace(sentence, claim=claim))
    return tuple(claimed)


def _speaker_labels(text: str, attributions: tuple[Attribution, ...]) -> dict[int, int]:
    """{line start: attribution index} of a transcript's speaker labels ("HANNITY: …", "JP: …"): a source of
    at most four words that opens a line, a colon its cue. Only where there are two or more, an exchange; one
    alone is more often a headline ("Pence: …") or a quotation's introduction."""
    labels: dict[int, int] = {}
    for index, attribution in enumerate(attributions):
        if attribution.cue.text.strip() != ":" or not attribution.sources:
            continue
        source = min(attribution.sources, key=lambda s: s.start)
        line_start = text.rfind("\n", 0, source.start) + 1
        if not text[line_start : source.start].strip(" \"“'‘") and len(_WORDS.findall(source.text)) <= 4 and not text[source.end : attribution.cue.start].strip():
            labels[line_start] = index
    return labels if len(labels) >= 2 else {}


def _turn(text: str, previous_end: int, start: int, labels: dict[int, int], turn: int | None) -> int | None:
    """The speaker label whose turn the sentence at `start` is part of: a line that opens with a label starts
    a turn (none, where the tagger made no attribution of the label: "WALLACE: …"), and the turn goes on to
    the next such line or a blank line."""
    if _BLANK_LINE.search(text, previous_end, start):
        turn = None
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and _LABEL.match(text, start):
        turn = labels.get(line_start)
    return turn


def _names_source(attribution: Attribution) -> bool:
    """A cue that is a hedge and names nobody ("…, reportedly") leaves the claim the author's, hedged."""
    return bool(attribution.sources) or not _HEDGE_CUE.fullmatch(attribution.cue.text.strip())


def author_claims(sentences: tuple[SentenceScore, ...]) -> int:
    """How many sentences are the author's own claims: asserted, hedged or boosted."""
    return sum(s.claim is not None and s.claim.status in ("asserted", "hedged", "boosted") for s in sentences)


def _status(text: str, start: int, end: int, parts: list[tuple[int, int, int, bool, bool]],
            markers: list[tuple[int, int, MarkerKind]], attributions: tuple[Attribution, ...],
            quoted: BoolArray, turn: int | None) -> tuple[ClaimStatus, int | None]:
    """A sentence's status, and the index of its attribution when it is "attributed". `parts`: (start, end,
    attribution index, is its cue, is one of its contents) of the attribution parts that reach it; `turn`:
    the speaker label of the transcript turn it is in, if any. Headings and page furniture are none before this
    is asked (sentence_claims)."""
    body = text[start:end].strip()
    index = _attribution_of(text, start, end, parts, attributions, quoted)
    if index is None:
        index = _quotation_continued(text, start, end, attributions, quoted)
    if index is not None and not _own_question(text, start, end, attributions[index], quoted):
        return "attributed", index
    if turn is not None:
        return "attributed", turn  # an answer in a transcript is the speaker's, a question too
    asks = body.rstrip("\"'”’)] ").endswith("?")
    if _no_claim(text, start, end, body) and not ((asks or markers) and any(c.islower() for c in body)):
        return "none", None  # "Harsh?" asks, "Of course not." boosts, however short
    if asks:
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
    quoted_share = sum(c.isalnum() for c, inside in zip(text[start:end], quoted[start:end].tolist()) if inside) / letters
    counted: dict[int, float] = {}
    union: dict[int, list[tuple[int, int]]] = {}  # the spans of each that count toward the sentence's words
    relative: set[int] = set()
    for index, inside in sorted(by_attribution.items()):
        attribution = attributions[index]
        here = [(s, e) for s, e, _, c in inside if c]
        reports = _reports(text, start, attribution, quoted)
        if not (reports or _is_quoted(text, here, quoted)):
            continue
        if quoted_share == 0 and _ran_on(text, start, attribution, quoted):
            continue
        if not quoted[attribution.cue.start] and (_relative(text, start, attribution) or _subordinate(text, start, attribution)):
            relative.add(index)  # a clause inside a quotation is the quoted speaker's, not the author's aside
        whole = _letters(text, [(s, e) for s, e, _, _ in inside]) / letters
        share = _letters(text, here) / letters
        opens_or_closes = (max(share, quoted_share) >= _CUE_SENTENCE_CONTENT or _refers_back(text, here)
                           or any(c.end <= start or c.start >= end for c in attribution.contents))
        holds_cue = any(c for _, _, c, _ in inside)
        union[index] = [(s, e) for s, e, _, _ in inside] if opens_or_closes else here
        counted[index] = whole if holds_cue and whole >= 0.5 and opens_or_closes else share
        if holds_cue and _INTRODUCES.search(text, start, end) and any(c.start >= end for c in attribution.contents):
            counted[index] = 1.0  # "Murillo wrote at the outset of the message:" and the quotation after it
        if holds_cue and reports and index not in relative and (_elliptical(text, start, attribution, whole) or _says_that(text, start, attribution)):
            counted[index] = 1.0  # "According to MSNBC, basically.", "Fowler noted that …": all of it theirs
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
    words = sum(c.isalnum() and (here or inside) for c, here, inside in zip(text[start:end], covered, quoted[start:end].tolist()))
    return best if words / letters >= 0.5 else None


def _quotation_continued(text: str, start: int, end: int, attributions: tuple[Attribution, ...], quoted: BoolArray) -> int | None:
    """The attribution of the quotation that the sentence is the middle of ("'I love to wave my arms. And I
    can't yell too much. It comes across as too loud,'"): a sentence all inside one run of quotation marks
    that a content of an attribution shares, the nearest such attribution; None for any other sentence. The
    run must end at a closing mark or at the end of a paragraph (where a quotation over several paragraphs
    leaves each): one that runs on over lines to the end of the text is more often an unmatched straight
    quote than a quotation."""
    letters = [i for i in range(start, end) if text[i].isalnum()]
    if not letters or not quoted[letters[0] : letters[-1] + 1].all():
        return None
    starts, ends = _quotation_runs(text)
    run = int(np.searchsorted(starts, letters[0], side="right")) - 1
    run_start, run_end = int(starts[run]), int(ends[run])
    if text[run_end : run_end + 1] not in _CLOSING_QUOTES and not _PARAGRAPH_END.match(text, run_end):
        return None
    sharing = [(min(abs(c.start - start), abs(c.end - end)), i) for i, a in enumerate(attributions) if _names_source(a)
               for c in a.contents if c.start < run_end and run_start < c.end]
    return min(sharing)[1] if sharing else None


@lru_cache(maxsize=8)
def _quotation_runs(text: str) -> tuple[IntArray, IntArray]:
    """The starts and ends of the runs of characters inside quotation marks, once an article."""
    edges = np.diff(np.concatenate(([False], quote_mask(text), [False])).astype(np.int8))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _own_question(text: str, start: int, end: int, attribution: Attribution, quoted: BoolArray) -> bool:
    """A question outside quotation marks after its attribution's cue ("As Reuters reports, …. Are we
    really supposed to believe this?"), or one that asks about the speech or thought itself, its cue in the
    question's own clause ("Does he believe that all Catholics must follow the rules?", "Did Campos call
    911?"): the author asks, whatever the tagger gave the content. A cue set off by a comma reports the
    question ("Why, he asked, should we pay?")."""
    asks = text[start:end].rstrip("\"'”’)] \n").endswith("?")
    if not asks or _is_quoted(text, [(start, end)], quoted):
        return False
    if not start <= attribution.cue.start < end:
        return True
    words = _WORDS.findall(text[start : attribution.cue.start])
    return bool(words) and words[0].lower().replace("’", "'") in _QUESTION_OPENERS and "," not in text[start : attribution.cue.start]


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
    if not attribution.sources and _word_before(text, start, attribution.cue.start)[0] in _AUTHOR and not quoted[attribution.cue.start]:
        return False  # "I sometimes wonder how long that list is": the tagger left the author out of the source
    cue = attribution.cue
    words = CUE_WORDS.findall(cue.text) + CUE_WORDS.findall(text[max(start, cue.start - 40) : cue.start])[-3:]
    return any(w.lower() in REPORTING_WORDS for w in words)


def _elliptical(text: str, start: int, attribution: Attribution, whole: float) -> bool:
    """Whether the sentence is a report whose content is the sentence before, left out ("According to MSNBC,
    basically.", "Sixty-two percent of Republicans agreed."): a source and its cue, no content anywhere, and
    little else. Not a refusal to speak ("He declined to comment.", "She did not respond.")."""
    if attribution.contents or not attribution.sources or whole < _ELLIPTICAL_SHARE:
        return False
    words = _WORDS.findall(text[max(start, attribution.cue.start - 30) : attribution.cue.end])
    return not any(w.lower() in _NON_REPORTS or w.lower().endswith(("n't", "n’t")) for w in words)


def _says_that(text: str, start: int, attribution: Attribution) -> bool:
    """Whether the sentence opens with the attribution's source and cue and its complement clause follows
    ("Fowler noted that …", "Haig told the AP on Tuesday that …", "She explained why …"), or with an impersonal
    passive report ("It is now being reported that …"): the clause runs to the sentence's end, all of it the
    content, however much of it the tagger kept."""
    sources = [s for s in attribution.sources if start <= s.start < attribution.cue.start]
    subject = min(s.start for s in sources) if sources else attribution.cue.start
    if not sources and _word_before(text, start, subject)[0] != "it":
        return False
    if len(_WORDS.findall(text[start:subject])) > _OPENER_WORDS:
        return False
    following = [w.lower() for w in _WORDS.findall(text[attribution.cue.end : attribution.cue.end + 60])][: _OPENER_WORDS + 1]
    return "that" in following or following[:1] in (["why"], ["how"], ["whether"])


def _ran_on(text: str, start: int, attribution: Attribution, quoted: BoolArray) -> bool:
    """Whether the tagger ran a quotation's content on past its closing mark into the author's next
    sentences ("'It includes all of that,' Ray told the paper. Indoctrination means …"): the cue and a
    quoted content end before a sentence without quotation marks. A quotation's words end at its mark."""
    return attribution.cue.end <= start and any(c.end <= start and _is_quoted(text, [(c.start, c.end)], quoted) for c in attribution.contents)


def _relative(text: str, start: int, attribution: Attribution) -> bool:
    """Whether the cue is in a relative clause: "Perez, who said …", "the test, which state news media
    claimed …". Only the sources before the cue are its subject: "who" after it belongs to a source's own
    relative clause ("According to Zakkout, who sits on the boards …, P"). A relative that opens the sentence
    ("To which she said, …") continues the one before, and a comma after it makes the report a parenthesis
    ("All of which, he said, would help …"): neither hangs off a clause of the author's. A subject that opens the
    sentence owns a relative source after it ("Wasserman Schultz, who is reviled by progressives, said …")."""
    subject_opens = False
    for source in sorted(attribution.sources, key=lambda s: s.start):
        first = _WORDS.findall(source.text)[:1]
        if not (start <= source.start < attribution.cue.start and first):
            continue
        words_before = len(_WORDS.findall(text[start : source.start]))
        if first[0].lower() not in _RELATIVES:
            subject_opens = subject_opens or words_before <= _OPENER_WORDS
        elif words_before and not subject_opens:
            return True
    return any(_word_before(text, start, at)[0] in _RELATIVES and len(_WORDS.findall(text[start:at])) > 2
               for at in {attribution.cue.start, _clause_start(start, attribution)})


def _subordinate(text: str, start: int, attribution: Attribution) -> bool:
    """Whether the attribution opens an adverbial clause ("Although Trump has admitted using the tax code, he
    does not defend it"): an aside to the author's main clause, as a relative clause is. A comma after the
    conjunction makes the report a parenthesis that governs the clause ("because, he said, …"); a copula
    before it makes a cleft that puts the report first ("That's when she pointed to reports that …")."""
    conjunction, at = _word_before(text, start, _clause_start(start, attribution))
    return conjunction in _SUBORDINATORS and _word_before(text, start, at)[0] not in _COPULAS


def _word_before(text: str, start: int, at: int) -> tuple[str, int]:
    """The word just before `at` in the sentence, lower case, with nothing but a space between, and where it
    starts; ("", at) if none."""
    before = re.search(r"([\w'’-]+)[^\S\n]+$", text[max(start, at - 30) : at])
    return (before.group(1).lower(), max(start, at - 30) + before.start(1)) if before else ("", at)


def _clause_start(start: int, attribution: Attribution) -> int:
    """Where the attribution's clause starts in the sentence: its source nearest before the cue (the subject:
    "he" of "Trump was following … when he claimed"), or the cue."""
    before = [s.start for s in attribution.sources if start <= s.start < attribution.cue.start]
    return max(before) if before else attribution.cue.start


def _refers_back(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the content here is only a pro-form for a proposition said before ("Haig strongly denies
    that."): its content is the earlier sentence's, as a quotation's is when the cue closes it."""
    words = " ".join(w.lower() for s, e in spans for w in _WORDS.findall(text[s:e]))
    return words in _ANAPHORS


def _is_quoted(text: str, spans: list[tuple[int, int]], quoted: BoolArray) -> bool:
    """Whether nine in ten of the letters and digits of the spans are inside quotation marks."""
    inside = total = 0
    for s, e in spans:
        for c, q in zip(text[s:e], quoted[s:e].tolist()):
            if c.isalnum():
                total += 1
                inside += q
    return total > 0 and inside >= 0.9 * total


def _letters(text: str, spans: list[tuple[int, int]]) -> int:
    return sum(sum(c.isalnum() for c in text[s:e]) for s, e in _merged(spans))


def _no_claim(text: str, start: int, end: int, body: str) -> bool:
    """No letter in lower case (a name in capitals, a label), or fewer than four words without a pronoun or
    a contraction to make them a clause: a name, a handle, "___." are none; "He'll be back.", "Just ask
    him." and "Here's why:" are claims. A sign-off ("Thank you.") is none."""
    words = [w.lower() for w in _WORDS.findall(body)]
    if not any(c.islower() for c in body) or " ".join(words) in _SIGN_OFFS:
        return True
    clause = any(w in _CLAUSE_WORDS or _CONTRACTION.search(w) for w in words)
    return len(words) < 4 and not clause


def _furniture(text: str, start: int, end: int, body: str) -> bool:
    """Page furniture, not the article's prose: a sentence with a phrase of a site's forms and notices
    ("this site's Privacy Policy", "This field is for validation purposes"), or a line that repeats the line next to it
    (a poll printed twice: "Will Brett Kavanaugh be confirmed?" three times over)."""
    if _BOILERPLATE.search(body):
        return True
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False  # not a line of its own
    return body in (_neighbour_line(text, line_start, -1), _neighbour_line(text, line_end, 1))


def _neighbour_line(text: str, at: int, step: int) -> str:
    """The nearest line that is not empty before (step -1) the line that starts at `at`, or after (step 1)
    the one that ends there, stripped; "" at the text's edge."""
    while 0 < at if step < 0 else at < len(text):
        if step < 0:
            line_start = text.rfind("\n", 0, at - 1) + 1
            line, at = text[line_start : at - 1], line_start
        else:
            line_end = text.find("\n", at + 1)
            line_end = len(text) if line_end < 0 else line_end
            line, at = text[at + 1 : line_end], line_end
        if line.strip():
            return line.strip()
    return ""


def _heading(text: str, start: int, end: int, body: str) -> bool:
    """A byline; the title: the article's first line, when more follows and it does not end as a sentence
    does, is in title case or is one short sentence and a paragraph of its own; or another line of its own that does not end as a sentence does (a heading, a
    caption, a credit, a tweet's signature), in a text of several lines. None is a claim, whatever the
    tagger finds in it."""
    if _BYLINE.match(body):
        return True
    first_line = text.find("\n")
    if 0 < first_line and start < first_line and (not _ENDS_SENTENCE.search(text, 0, first_line) or _title_case(text[:first_line])):
        return True
    if _title_block(text, start, end, body):
        return True  # a headline with a full stop ("Barbs and pleas before N.H. vote.") and the decks under it
    own_line = (start == 0 or text[start - 1] == "\n") and text[end : end + 1] in ("", "\n")
    return own_line and first_line >= 0 and not _ENDS_SENTENCE.search(text, start, end)


def _title_block(text: str, start: int, end: int, body: str) -> bool:
    """Whether the sentence is a paragraph of its own, one line of at most _TITLE_WORDS words, not ending with a
    colon, with only such paragraphs (at most _DECKS) before it: a headline and its decks ("Truck attack in
    France kills at least 80." / "Suspected Terror on Bastille Day."), which PolNeAR's texts end with a full
    stop. A lede is longer."""
    if start > _TITLE_BLOCK_CHARS or body.endswith(":") or len(_WORDS.findall(body)) > _TITLE_WORDS:
        return False
    if text[text.rfind("\n", 0, start) + 1 : start].strip() or not _PARAGRAPH_END.match(text, end):
        return False  # not a line of its own, or no blank line after it
    before = [p.strip() for p in _BLANK_LINE.split(text[:start]) if p.strip()]
    return len(before) <= _DECKS and all("\n" not in p and len(_WORDS.findall(p)) <= _TITLE_WORDS and not p.endswith(":") for p in before)


def _title_case(line: str) -> bool:
    """Whether a line is in title case ("Stealth Over Health: Hillary Clinton Was Headed to ER But Diverted
    to Avoid Bad Optics."): three words of four letters or more, nearly all capitalised. A first line so
    written is a headline even with a full stop; a sentence's words of that length are mostly in lower case."""
    long_words = [w for w in _WORDS.findall(line) if len(w) >= 4 and w[0].isalpha()]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
