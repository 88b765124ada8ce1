"""Who a source is: its fullest mention in the article ("Mr. Clarke" -> "Tom Clarke", "he" -> the nearest
earlier named source, "the newspaper" -> the outlet named before it), and its gender where its words tell.

Rules over the text, no parser: the tagger finds the spans, these rules name them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..sentences import ENDS_SENTENCE, TITLES, after_abbreviation
from ..types import Gender, TextSpan
from .lexicon import (
    FEMALE_NAMES,
    FEMALE_WORDS,
    MALE_NAMES,
    MALE_WORDS,
    OUTLET_HEADS,
    PLURAL_NOUNS,
    PRONOUN_GENDER,
    SENTENCE_OPENERS,
    TITLE_HEADS,
    TITLE_WORDS,
)
from .source_types import AUTHOR, MEDIA, NAME_WORD, PRONOUN, SPACE, classify_source

_PERSONAL_NAME = r"(?:[A-Z]\.|[A-Z][\w'’-]+)"  # no full stop after a word: "Duda. The" ends the name
_NAME_RUN = re.compile(rf"(?:{NAME_WORD}{SPACE})*")
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # what SPACE and NAME_WORD never take


@dataclass(frozen=True)
class Antecedent:
    """What a source mention offers a later "he", "she" or "they": its fullest name (None: no name to offer),
    whether it is one person, and its gender where its words tell."""

    fullest: TextSpan | None
    one_person: bool
    gender: Gender | None


@dataclass
class SpeakerSearches:
    """resolve_speaker's searches over one text, each done once: each reads the whole article, so without
    them linking grows with the square of the article's length. One field per kind of search, so that no
    mention's words can reach another search's result (a string-keyed dict once did: a source whose head
    word was "outlets" read the list of outlets)."""

    text: str
    antecedents: dict[tuple[int, int], Antecedent] = field(default_factory=dict)  # by (start, end) of a mention
    outlets: list[tuple[int, int]] | None = None  # the outlets named in the text, in order
    titled: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # by title word: "president"
    fullest: dict[str, tuple[int, int] | None] = field(default_factory=dict)  # by the name's last words
    lowercase: frozenset[str] | None = None  # the article's words written in lower case (_lowercase_words)

    def outlet_spans(self) -> list[tuple[int, int]]:
        if self.outlets is None:
            self.outlets = [m.span() for m in MEDIA.finditer(self.text)]
        return self.outlets

    def lowercase_words(self) -> frozenset[str]:
        if self.lowercase is None:
            self.lowercase = _lowercase_words(self.text)
        return self.lowercase

    def titled_names(self, head: str) -> list[tuple[int, int]]:
        if head.lower() not in self.titled:
            self.titled[head.lower()] = _titled_names(self.text, head, self.lowercase_words())
        return self.titled[head.lower()]

    def fullest_name(self, key: str) -> tuple[int, int] | None:
        if key not in self.fullest:
            self.fullest[key] = _fullest_name(self.text, key, self.lowercase_words())
        return self.fullest[key]


def resolve_speaker(
    text: str, source: TextSpan, mentions: list[tuple[int, int]], searches: SpeakerSearches | None = None
) -> TextSpan | None:
    """The fullest mention of the source: for a pronoun, the nearest earlier named source; for a short
    mention (a surname, "the ministry"), the longest capitalised name in the article that ends with it.
    `searches`: those already made over this text (pass one SpeakerSearches for all of a text's sources).
    `mentions`: the article's source spans in order."""
    if searches is None:
        searches = SpeakerSearches(text)
    elif searches.text is not text and searches.text != text:
        raise ValueError("resolve_speaker: the searches were made over another text")
    mention = source.text.strip()
    if AUTHOR.match(mention) or mention.lower() in ("you", "one"):
        return None  # the author speaks, or nobody in particular: there is no fuller name
    if PRONOUN.match(mention):
        personal = mention.lower() in ("he", "she", "him", "her", "his")
        wanted = PRONOUN_GENDER.get(mention.lower())
        # The nearest earlier source with a name (of the pronoun's gender, where the name or its words tell):
        # looked for backwards, so only candidates up to it are read.
        # Only mentions that start before it can end before it.
        for s, e in reversed(mentions[: bisect_left(mentions, (source.start,))]):
            if e > source.start:
                continue
            if (s, e) not in searches.antecedents:
                searches.antecedents[(s, e)] = _antecedent(text, TextSpan(s, e, text[s:e]), searches)
            offered = searches.antecedents[(s, e)]
            if (offered.fullest is not None and (not personal or offered.one_person)
                    and (wanted is None or offered.gender in (None, wanted))):
                return offered.fullest
        return None
    words = re.findall(r"[\w'’.-]+", mention)
    if not words:
        return None
    head = re.sub(r"['’]s?$", "", words[-1]) or words[-1]
    if head.lower() in OUTLET_HEADS and re.sub(r"^[Tt]he\s+", "", mention).islower():
        # "the newspaper", "the agency": the outlet named last before it ("The Washington Post").
        outlets = searches.outlet_spans()
        k = bisect_right(outlets, source.start, key=lambda span: span[1])  # outlets ending before it
        return TextSpan(*outlets[k - 1], text[slice(*outlets[k - 1])]) if k else None
    best: tuple[int, int] | None
    if head.lower() in TITLE_HEADS:
        # "the president", "Interior Minister": the nearest titled name before it ("President Andrzej Duda").
        titled = searches.titled_names(head)
        k = bisect_right(titled, source.start, key=lambda name: name[0])  # names starting before it
        best = titled[k - 1] if k else None
    elif head.islower() and head.endswith("s") and not head.endswith("ss") and not re.search(r"\s[A-Z]", mention):
        return None  # a group named by a plural noun ("news outlets", "officials") has no fuller name
    else:
        # Searched by the last two words of the name, titles left out: "Mr. Clarke" finds "Tom Clarke".
        tail = _name_tail(re.sub(r"['’]s?$", "", mention), head) if head[:1].isupper() else None
        name_words = _name_words(tail if tail is not None else head)
        best = searches.fullest_name(" ".join(name_words[-2:]) if name_words else head)
    if best is None:
        return None
    # A fuller name is longer, or names more ("Tom Clarke" for "Mr. Clarke").
    if best[1] - best[0] <= len(mention) and len(_name_words(text[best[0] : best[1]])) <= len(_name_words(mention)):
        return None
    return TextSpan(best[0], best[1], text[best[0] : best[1]])


def _name_tail(mention: str, head: str) -> str | None:
    """The capitalised words that end `mention` with `head`: `re.search(rf"(?:{NAME_WORD}{SPACE})*{head}$")`
    without compiling a pattern for each head word (compiling was a tenth of a corpus run's Python time)."""
    if not mention.endswith(head):
        return None
    end = len(mention) - len(head)
    # The leftmost start from which capitalised words and spaces run exactly up to the head, as re.search finds it.
    start = next(s for s in range(end + 1) if _NAME_RUN.fullmatch(mention, s, end))
    return mention[start:]


def _antecedent(text: str, candidate: TextSpan, searches: SpeakerSearches) -> Antecedent:
    named = (not PRONOUN.match(candidate.text.strip()) and re.search(NAME_WORD, candidate.text)
             and not AUTHOR.match(candidate.text.strip()) and _name_words(candidate.text))
    if not named:
        return Antecedent(None, False, None)
    fullest = resolve_speaker(text, candidate, [], searches) or candidate
    return Antecedent(fullest, _one_person(text, candidate), gender(candidate.text) or gender(fullest.text))


def _one_person(text: str, mention: TextSpan) -> bool:
    """Whether "he" or "she" can stand for this source: a person, or an unnamed one ("a senior official"),
    not a group ("some experts")."""
    kind = classify_source(text, mention)
    if kind != "anonymous":
        return kind == "person"
    # The head noun, before what describes it: "an official familiar with the talks", "sources close to him".
    head = re.split(r"\s+(?:with|in|of|at|from|for|on|close|familiar|who|that|briefed|involved)\b", mention.text.strip().rstrip(","), maxsplit=1)[0]
    last = (head.split() or [""])[-1].lower()
    return not ((last.endswith("s") and not last.endswith("ss")) or last in PLURAL_NOUNS)


def gender(name: str) -> Gender | None:
    """"male", "female" or None (unknown, or both) for a mention: its title ("Mrs."), a gendered word in it
    ("spokeswoman"), or a first name from a short list of common ones (the first word of a name, so the
    surname "Scott" and the place "Charlotte-Mecklenburg" say nothing)."""
    found: set[Gender] = set()
    previous = ""
    for word in re.findall(r"[\w'’.-]+", name):
        bare = word.rstrip(".,")
        starts_name = not previous[:1].isupper() or previous in TITLES or previous.lower() in TITLE_WORDS
        if bare.lower() in MALE_WORDS or (starts_name and bare in MALE_NAMES):
            found.add("male")
        elif bare.lower() in FEMALE_WORDS or (starts_name and bare in FEMALE_NAMES):
            found.add("female")
        previous = bare
    return found.pop() if len(found) == 1 else None


def _name_words(name: str) -> list[str]:
    """The words of a name that are not titles ("Mr.", "Foreign Minister")."""
    return [w for w in name.split() if w.rstrip(".") not in TITLES and w.lower().rstrip(".") not in TITLE_WORDS]


def _heading(text: str, pos: int) -> bool:
    """Whether the line at `pos` is a heading: four words or more, all in capitals or nearly all capitalised."""
    line = text[text.rfind("\n", 0, pos) + 1 : (text.find("\n", pos) + 1 or len(text) + 1) - 1]
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    return len(words) >= 4 and (line.upper() == line or sum(w[0].isupper() for w in words) >= 0.8 * len(words))


def _name_start(text: str, start: int, end: int, lowercase: frozenset[str]) -> int:
    """Where a capitalised run [start, end) starts to be a name: after its last full stop that ends a
    sentence ("Monday. The ministry"; not "Mr. Smith", "George W. Bush"), and after a sentence opener or a
    sentence's first word that the article also writes in lower case ("Should Mr. Clarke"). `lowercase`:
    the article's words written in lower case (`_lowercase_words`)."""
    base = start
    for boundary in re.finditer(r"(\w+)\.\s+", text[base:end]):
        if not after_abbreviation(text, base + boundary.end(1) + 1):  # "Monday." ends a sentence, "Sens." and "Jan." do not
            start = base + boundary.end()
    first = re.match(r"(\S+)\s+", text[start:end])
    if first and (first.group(1) in SENTENCE_OPENERS or (_sentence_initial(text, start) and first.group(1).lower() not in TITLE_WORDS
                                                        and first.group(1).lower() in lowercase)):
        start += first.end()
    return start


def _lowercase_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b[a-z][\w'’-]*", text))


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether `pos` starts a sentence or a line (its capital says nothing about a name)."""
    while pos > 0 and text[pos - 1] in " \t\u00a0":
        pos -= 1
    return pos == 0 or text[pos - 1] in "\n.!?\"”:"


def _titled_names(text: str, title: str, lowercase: frozenset[str]) -> list[tuple[int, int]]:
    """Every "[Capitalised words] Title Name [Name]" in `text` ("Deputy Foreign Minister Sergei Ryabkov"),
    in order, as (start, end); not under "Vice" (the vice president is not "the president").
    `lowercase`: the text's words written in lower case (`_lowercase_words`)."""
    found = []
    for match in re.finditer(rf"(?:{NAME_WORD}{SPACE}){{0,4}}{re.escape(title.capitalize())}(?:{SPACE}{_PERSONAL_NAME}){{1,3}}", text):
        start, end = _name_start(text, *match.span(), lowercase), match.end()
        if not re.search(rf"\bVice{SPACE}{re.escape(title.capitalize())}", text[start:end]):
            found.append((start, end))
    return found


@lru_cache(maxsize=4096)
def _name_pattern(cased: str) -> re.Pattern[str]:
    """Up to 6 capitalised words and the head word (compiled once a head word: re's own cache of 512
    was thrashed by the names of a corpus run)."""
    return re.compile(rf"(?:{NAME_WORD}{SPACE}){{0,6}}{cased}\b")


def _name_matches(text: str, pattern: re.Pattern[str], literal: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a `_name_pattern` that ends with `literal`, without trying a match at
    every position of the article: a match ends with the literal and cannot span two lines (neither
    NAME_WORD nor SPACE takes a line break), so only the line of each next occurrence is searched. The
    search stops at the line's end, a line break, where `\\b` behaves as at the end of the text."""
    if not literal:
        raise ValueError("a name is searched for by a word, not by an empty string")
    pos = 0
    while (found := text.find(literal, pos)) >= 0:
        breaks = _LINE_BREAK.search(text, found)
        line_end = breaks.start() if breaks else len(text)
        breaks_before = [m.end() for m in _LINE_BREAK.finditer(text, pos, found)]
        match = pattern.search(text, max(pos, breaks_before[-1] if breaks_before else 0), line_end)
        if match is None:
            pos = line_end
            continue
        yield match
        pos = match.end()  # past the literal: a match is never empty


def _fullest_name(text: str, head_word: str, lowercase: frozenset[str]) -> tuple[int, int] | None:
    """The longest capitalised name in `text` that ends with `head_word` (any case), as (start, end).
    `lowercase`: the text's words written in lower case (`_lowercase_words`). None for an empty head word."""
    if not head_word:
        return None
    head = re.escape(head_word)
    # Capitalised words on the same line before the head word: "Deputy Foreign Minister Sergei Ryabkov".
    literal = head_word if head_word[:1].isupper() else head_word[:1].upper() + head_word[1:]
    cased = head if head_word[:1].isupper() else re.escape(head_word[:1].upper()) + re.escape(head_word[1:])
    pattern = _name_pattern(cased)
    first_line = text.find("\n")
    best: tuple[int, int] | None = None
    for match in _name_matches(text, pattern, literal):
        if all(word.lower().rstrip(".") in TITLE_WORDS for word in match.group().split()):
            continue  # "Foreign Minister" alone names nobody
        if len(match.group().split()) >= 3 and match.group().upper() == match.group():
            continue  # an all-caps heading
        # The first line is the title unless it ends a sentence.
        heading = (match.start() < first_line and not ENDS_SENTENCE.search(text, 0, first_line)) or _heading(text, match.start())
        if heading and (match.group().upper() == match.group() or len(match.group().split()) > len(head_word.split()) + 1):
            continue  # the title and headings: "Rules Face Key Test In U.S. Court", "HE'S BEEN CALLED OUT BY ..."
        start, end = _name_start(text, *match.span(), lowercase), match.end()
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
    return best
