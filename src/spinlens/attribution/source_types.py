"""What kind of source an attribution has: a person, an organisation, the media, a document, an anonymous
source, the author, or none (types.SOURCE_TYPES). Rules over the mention's words, no parser."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby

from ..types import SourceType, TextSpan
from .lexicon import (
    ANONYMOUS_NOUNS,
    ANONYMOUS_QUALIFIERS,
    AUTHOR_OUR,
    AUTHOR_PRONOUNS,
    AUTHOR_THIS,
    CONNECTIVES,
    COUNTRIES,
    DOCUMENT_WORDS,
    MEDIA_WORDS,
    MORE_OUTLETS,
    ORGANISATION_WORDS,
    OUTLET_ENDINGS,
    OUTLETS,
    PAPERS,
    PERSON_ROLES,
    POST_PAPERS,
    PRONOUNS,
    THE_OUTLETS,
)

SPACE = r"[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+"  # spaces and no-break spaces, on one line (no line break of split_sentences)
NAME_WORD = r"(?:[A-Z][\w'’.-]*)"


def _either(words: Iterable[str]) -> str:
    return "|".join(words)


def _capitals_kept(words: Iterable[str]) -> str:
    """`_either`, with each run of all-capital entries (acronyms) matched in capitals only under re.I."""
    return _either(f"(?-i:{_either(run)})" if upper else _either(run) for upper, run in groupby(words, key=str.isupper))


MEDIA = re.compile(
    rf"\b(?:{_either(OUTLETS)}|(?:The )?(?:{_either(PAPERS)})|[Tt]he (?:{_either(THE_OUTLETS)})(?!{SPACE}[A-Z])|"
    rf"{_either(MORE_OUTLETS)}|(?:{_either(POST_PAPERS)}){SPACE}Post|(?:[A-Z][\w'’-]+{SPACE}){{1,3}}(?:{_either(OUTLET_ENDINGS)}))\b"
)
_MEDIA_WORDS = re.compile(rf"\b(?:{_either(MEDIA_WORDS)})\b", re.I)
_DOCUMENT_WORDS = re.compile(rf"\b(?:{_either(DOCUMENT_WORDS)})\b", re.I)
_ORGANISATION_WORDS = re.compile(rf"\b(?:{_capitals_kept(ORGANISATION_WORDS)})\b", re.I)
_ANONYMOUS = re.compile(
    rf"^(?:(?:{_either(ANONYMOUS_QUALIFIERS)})\s+)*(?:[\w.-]+\s+){{0,2}}(?:{_either(ANONYMOUS_NOUNS)})\b"
    rf"(?!{SPACE}(?-i:[A-Z]))", re.I)  # "Senior official John Smith" is named
AUTHOR = re.compile(rf"^(?:{_either(AUTHOR_PRONOUNS)}|this (?:{_either(AUTHOR_THIS)})|the author|our (?:{_either(AUTHOR_OUR)}))$", re.I)
PRONOUN = re.compile(rf"^(?:{_either(PRONOUNS)})$", re.I)
_CONNECTIVE = re.compile(rf"(?:^|\s)(?:{_either(CONNECTIVES)})\s+$")
_PERSON_ROLE = re.compile(rf"\b(?:{_either(PERSON_ROLES)})$", re.I)
_COUNTRIES = re.compile(rf"^(?:the\s+)?(?:{_either(COUNTRIES)})$")


def is_outlet(mention: str) -> bool:
    """Whether a mention names an outlet or uses a media word: "Reuters", "the newspaper"."""
    return bool(MEDIA.search(mention) or _MEDIA_WORDS.search(mention))


def _personal(name: str) -> bool:
    """Whether a run of capitalised words can be a person's name: no body, outlet or document word in it."""
    return not (_ORGANISATION_WORDS.search(name) or is_outlet(name) or _DOCUMENT_WORDS.search(name))


def classify_source(text: str, source: TextSpan | None) -> SourceType:
    """One of types.SOURCE_TYPES for an attribution's first source."""
    if source is None:
        return "none"
    mention = source.text.strip().rstrip(",")
    if AUTHOR.match(mention):
        return "author"
    # A person named first, before an appositive: "Vann R. Newkirk II, a writer for The Atlantic".
    lead = re.match(rf"^((?:{NAME_WORD}{SPACE})+{NAME_WORD}),{SPACE}(?:a|an|the|who|his|her)\b", mention)
    if lead and _personal(lead.group(1)):
        return "person"
    # Or named last: "union leader Frank Moss", "Foreign Ministry spokeswoman Maria Zakharova".
    named = re.search(rf"(?:^|\s)((?:{NAME_WORD}{SPACE})+{NAME_WORD})$", mention)
    if named and not _CONNECTIVE.search(mention[: named.start(1)]) and _personal(named.group(1)):
        return "person"
    if _COUNTRIES.match(mention):
        return "organisation"
    if is_outlet(mention):
        return "media"
    if _DOCUMENT_WORDS.search(mention) and not re.search(rf"\b{NAME_WORD}\s+{NAME_WORD}\b", mention[1:]):
        return "document"
    if _ANONYMOUS.match(mention):
        return "anonymous"
    if _PERSON_ROLE.search(mention):
        return "person"
    if _ORGANISATION_WORDS.search(mention) or re.fullmatch(r"(?i:the\s+)?[A-Z][A-Z0-9&]{1,5}", mention):
        return "organisation"
    content_words = re.sub(r"^(?:(?:the|a|an|some|many|several|one|other|these|those|most|few)\s+)*", "", mention, flags=re.I).split()
    if content_words and not any(w[0].isupper() for w in content_words) and not PRONOUN.match(mention) and mention.lower() != "who":
        return "anonymous"  # no name at all: "environmentalists", "one questioner"
    return "person"
