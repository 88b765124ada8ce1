"""Who a source is: its type, its fullest mention in the article, and the outlets it is reported through.

Rules over the text, no parser: the tagger finds the spans, these rules name them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..sentences import ENDS_SENTENCE, TITLES, after_abbreviation, sentence_stops
from ..types import TextSpan


_MEDIA = re.compile(
    r"\b(?:RIA(?: Novosti)?|TASS|Interfax|Sputnik|RT|Reuters|AP|Associated Press|AFP|Agence France-Presse|Bloomberg|"
    r"CNN|Fox News|Fox|MSNBC|NBC(?: News)?|ABC(?: News)?|CBS(?: News)?|NPR|PBS|BBC|Al Jazeera|Politico|Axios|"
    r"The Hill|Breitbart(?: News)?|Newsweek|USA Today|Vox|BuzzFeed(?: News)?|HuffPost|Huffington Post|"
    r"(?:The )?(?:New York Times|Washington Post|Wall Street Journal|Daily Mail|Los Angeles Times|Chicago Tribune|"
    r"Boston Globe|New York Post|Financial Times|Daily Beast)|"
    # Ordinary words, or the start of other names ("Iran's Guardian Council", "The Atlantic Council"), alone.
    r"[Tt]he (?:Guardian|Times|Telegraph|Independent|Economist|Atlantic|Intercept)(?![^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+[A-Z])|"
    r"WSJ|NYT|Xinhua|Kommersant|Izvestia|Pravda|Der Spiegel|Le Monde|Haaretz|Ynet|Yonhap|Kyodo|NHK|Anadolu|Al Arabiya|"
    r"IRNA|KCNA|Global Times|Ukrinform|UNIAN|Deutsche Welle|Euronews|France 24|Sky News|"
    # A name ending in a newspaper's or broadcaster's word: "The Irish Times", "Army Radio" ("Post" is a
    # surname too: the papers by name).
    r"(?:Jerusalem|Denver|Bangkok|Kyiv|National|Morning)[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+Post|"
    r"(?:[A-Z][\w'’-]+[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+){1,3}(?:Times|Herald|Tribune|Gazette|Journal|Chronicle|Inquirer|Radio|Television|TV))\b"
)
_MEDIA_WORDS = re.compile(r"\b(?:newspaper|news agency|magazine|outlet|network|channel|tabloid|broadcaster|daily|paper|website|blog|news)\b", re.I)
_DOCUMENT_WORDS = re.compile(
    r"\b(?:statement|report|document|memo|photos?|images?|video|footage|data|poll|survey|study|letter|e-?mails?|filing|"
    r"records?|transcript|tweets?|post|complaint|indictment|analysis|release|website|figures|evidence|book|article|"
    r"ruling|order|lawsuit|census|estimate|documents|reports|polls|studies)\b", re.I)
_ORGANISATION_WORDS = re.compile(
    r"\b(?:ministry|department|government|agency|office|committee|campaign|party|administration|police|commission|"
    r"council|compan(?:y|ies)|courts?|White House|Kremlin|Pentagon|(?-i:FBI|CIA|NSA|UN|NATO|WHO|EU|IMF)|Congress|Senate|House|army|military|"
    r"officials? of|embassy|bureau|organi[sz]ations?|groups?|foundation|institute|university|"
    r"unions?|association|alliance|corporations?|inc|ltd|board|authority|authorities|service|council|prosecutors?|agencies|firms?)\b", re.I)
_ANONYMOUS = re.compile(
    r"^(?:(?:a|an|the|some|many|several|two|three|a few|other|one|unnamed|anonymous|senior|top|high-ranking|former)\s+)*"
    r"(?:[\w.-]+\s+){0,2}(?:sources?|officials?|people|persons?|aides?|insiders?|critics|experts|analysts|observers|"
    r"diplomats?|residents|witnesses|supporters|opponents|advocates|lawmakers|reports|rumou?rs|scholars|environmentalists|voters|"
    r"doctors|questioners?|Democrats|Republicans|conservatives|liberals|activists|economists|members|leaders|many)\b"
    r"(?![^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+(?-i:[A-Z]))", re.I)  # "Senior official John Smith" is named
_AUTHOR = re.compile(r"^(?:I|we|us|this (?:reporter|writer|author|newspaper|site|website)|the author|our (?:reporters?|correspondents?))$", re.I)
_PRONOUN = re.compile(r"^(?:he|she|him|her|his|they|them|it)$", re.I)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*)"
# "Board on Professional Responsibility", "experts in the United States": capitals after these are no person's name.
_CONNECTIVE = re.compile(r"(?:^|\s)(?:of|on|for|and|in|at|the|with|to|de|from)\s+$")
_PERSON_ROLE = re.compile(r"\b(?:strategist|adviser|advisor|aide|director|manager|lawyer|attorney|chairman|chairwoman|"
    r"president|writer|editor|analyst|member|host|anchor|founder|partner|senator|governor|mayor|candidate|nominee|"
    r"minister|secretary|ambassador|chancellor|premier|spokes(?:man|woman|person))$", re.I)
# Countries and capitals speak as their governments do ("Mexico said …").
_COUNTRIES = re.compile(r"^(?:the\s+)?(?:Mexico|Russia|China|Iran|Iraq|Syria|Israel|Britain|France|Germany|Japan|Canada|Ukraine|"
    r"Poland|India|Pakistan|Turkey|North Korea|South Korea|Cuba|Venezuela|United States|U\.S\.|America|Washington|Moscow|Beijing)$")


def _personal(name: str) -> bool:
    """Whether a run of capitalised words can be a person's name: no body, outlet or document word in it."""
    return not (_ORGANISATION_WORDS.search(name) or _MEDIA.search(name) or _MEDIA_WORDS.search(name) or _DOCUMENT_WORDS.search(name))


def classify_source(text: str, source: TextSpan | None) -> str:
    """One of types.SOURCE_TYPES for an attribution's first source."""
    if source is None:
        return "none"
    mention = source.text.strip().rstrip(",")
    if _AUTHOR.match(mention):
        return "author"
    # A person named first, before an appositive: "Vann R. Newkirk II, a writer for The Atlantic".
    lead = re.match(rf"^((?:{_NAME_WORD}[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+)+{_NAME_WORD}),[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+(?:a|an|the|who|his|her)\b", mention)
    if lead and _personal(lead.group(1)):
        return "person"
    # Or named last: "union leader Frank Moss", "Foreign Ministry spokeswoman Maria Zakharova".
    named = re.search(rf"(?:^|\s)((?:{_NAME_WORD}[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+)+{_NAME_WORD})$", mention)
    if named and not _CONNECTIVE.search(mention[: named.start(1)]) and _personal(named.group(1)):
        return "person"
    if _COUNTRIES.match(mention):
        return "organisation"
    if _MEDIA.search(mention) or _MEDIA_WORDS.search(mention):
        return "media"
    if _DOCUMENT_WORDS.search(mention) and not re.search(rf"\b{_NAME_WORD}\s+{_NAME_WORD}\b", mention[1:]):
        return "document"
    if _ANONYMOUS.match(mention):
        return "anonymous"
    if _PERSON_ROLE.search(mention):
        return "person"
    if _ORGANISATION_WORDS.search(mention) or re.fullmatch(r"(?i:the\s+)?[A-Z][A-Z0-9&]{1,5}", mention):
        return "organisation"
    content_words = re.sub(r"^(?:(?:the|a|an|some|many|several|one|other|these|those|most|few)\s+)*", "", mention, flags=re.I).split()
    if content_words and not any(w[0].isupper() for w in content_words) and not _PRONOUN.match(mention) and mention.lower() != "who":
        return "anonymous"  # no name at all: "environmentalists", "one questioner"
    return "person"


@dataclass(frozen=True)
class Antecedent:
    """What a source mention offers a later "he", "she" or "they": its fullest name (None: no name to offer),
    whether it is one person, and its gender where its words tell."""

    fullest: TextSpan | None
    one_person: bool
    gender: str | None


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

    def outlet_spans(self) -> list[tuple[int, int]]:
        if self.outlets is None:
            self.outlets = [m.span() for m in _MEDIA.finditer(self.text)]
        return self.outlets

    def titled_names(self, head: str) -> list[tuple[int, int]]:
        if head.lower() not in self.titled:
            self.titled[head.lower()] = _titled_names(self.text, head)
        return self.titled[head.lower()]

    def fullest_name(self, key: str) -> tuple[int, int] | None:
        if key not in self.fullest:
            self.fullest[key] = _fullest_name(self.text, key)
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
    if _AUTHOR.match(mention) or mention.lower() in ("you", "one"):
        return None  # the author speaks, or nobody in particular: there is no fuller name
    if _PRONOUN.match(mention):
        personal = mention.lower() in ("he", "she", "him", "her", "his")
        wanted = _PRONOUN_GENDER.get(mention.lower())
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
    if head.lower() in _OUTLET_HEADS and re.sub(r"^[Tt]he\s+", "", mention).islower():
        # "the newspaper", "the agency": the outlet named last before it ("The Washington Post").
        outlets = searches.outlet_spans()
        k = bisect_right(outlets, source.start, key=lambda span: span[1])  # outlets ending before it
        return TextSpan(*outlets[k - 1], text[slice(*outlets[k - 1])]) if k else None
    best: tuple[int, int] | None
    if head.lower() in _TITLE_HEADS:
        # "the president", "Interior Minister": the nearest titled name before it ("President Andrzej Duda").
        titled = searches.titled_names(head)
        k = bisect_right(titled, source.start, key=lambda name: name[0])  # names starting before it
        best = titled[k - 1] if k else None
    elif head.islower() and head.endswith("s") and not head.endswith("ss") and not re.search(r"\s[A-Z]", mention):
        return None  # a group named by a plural noun ("news outlets", "officials") has no fuller name
    else:
        # Searched by the last two words of the name, titles left out: "Mr. Clarke" finds "Tom Clarke".
        tail = re.search(rf"(?:{_NAME_WORD}[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+)*{re.escape(head)}$", re.sub(r"['’]s?$", "", mention))
        name_words = _name_words(tail.group() if tail and head[:1].isupper() else head)
        best = searches.fullest_name(" ".join(name_words[-2:]) if name_words else head)
    if best is None:
        return None
    # A fuller name is longer, or names more ("Tom Clarke" for "Mr. Clarke").
    if best[1] - best[0] <= len(mention) and len(_name_words(text[best[0] : best[1]])) <= len(_name_words(mention)):
        return None
    return TextSpan(best[0], best[1], text[best[0] : best[1]])


def _antecedent(text: str, candidate: TextSpan, searches: SpeakerSearches) -> Antecedent:
    named = (not _PRONOUN.match(candidate.text.strip()) and re.search(_NAME_WORD, candidate.text)
             and not _AUTHOR.match(candidate.text.strip()) and _name_words(candidate.text))
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
    return not ((last.endswith("s") and not last.endswith("ss")) or last in _PLURAL_NOUNS)


def gender(name: str) -> str | None:
    """"male", "female" or None (unknown, or both) for a mention: its title ("Mrs."), a gendered word in it
    ("spokeswoman"), or a first name from a short list of common ones (the first word of a name, so the
    surname "Scott" and the place "Charlotte-Mecklenburg" say nothing)."""
    found = set()
    previous = ""
    for word in re.findall(r"[\w'’.-]+", name):
        bare = word.rstrip(".,")
        starts_name = not previous[:1].isupper() or previous in TITLES or previous.lower() in _TITLE_WORDS
        if bare.lower() in _MALE_WORDS or (starts_name and bare in _MALE_NAMES):
            found.add("male")
        elif bare.lower() in _FEMALE_WORDS or (starts_name and bare in _FEMALE_NAMES):
            found.add("female")
        previous = bare
    return found.pop() if len(found) == 1 else None


def _name_words(name: str) -> list[str]:
    """The words of a name that are not titles ("Mr.", "Foreign Minister")."""
    return [w for w in name.split() if w.rstrip(".") not in TITLES and w.lower().rstrip(".") not in _TITLE_WORDS]


def _heading(text: str, pos: int) -> bool:
    """Whether the line at `pos` is a heading: four words or more, all in capitals or nearly all capitalised."""
    line = text[text.rfind("\n", 0, pos) + 1 : (text.find("\n", pos) + 1 or len(text) + 1) - 1]
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    return len(words) >= 4 and (line.upper() == line or sum(w[0].isupper() for w in words) >= 0.8 * len(words))


def _name_start(text: str, start: int, end: int, lowercase: set[str]) -> int:
    """Where a capitalised run [start, end) starts to be a name: after its last full stop that ends a
    sentence ("Monday. The ministry"; not "Mr. Smith", "George W. Bush"), and after a sentence opener or a
    sentence's first word that the article also writes in lower case ("Should Mr. Clarke"). `lowercase`:
    the article's words written in lower case (`_lowercase_words`)."""
    base = start
    for boundary in re.finditer(r"(\w+)\.\s+", text[base:end]):
        if not after_abbreviation(text, base + boundary.end(1) + 1):  # "Monday." ends a sentence, "Sens." and "Jan." do not
            start = base + boundary.end()
    first = re.match(r"(\S+)\s+", text[start:end])
    if first and (first.group(1) in _SENTENCE_OPENERS or (_sentence_initial(text, start) and first.group(1).lower() not in _TITLE_WORDS
                                                        and first.group(1).lower() in lowercase)):
        start += first.end()
    return start


def _lowercase_words(text: str) -> set[str]:
    return set(re.findall(r"\b[a-z][\w'’-]*", text))


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether `pos` starts a sentence or a line (its capital says nothing about a name)."""
    while pos > 0 and text[pos - 1] in " \t\u00a0":
        pos -= 1
    return pos == 0 or text[pos - 1] in "\n.!?\"”:"


def _titled_names(text: str, title: str) -> list[tuple[int, int]]:
    """Every "[Capitalised words] Title Name [Name]" in `text` ("Deputy Foreign Minister Sergei Ryabkov"),
    in order, as (start, end); not under "Vice" (the vice president is not "the president")."""
    found = []
    lowercase = _lowercase_words(text)
    for match in re.finditer(rf"(?:{_NAME_WORD}[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+){{0,4}}{re.escape(title.capitalize())}(?:[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+{_PERSONAL_NAME}){{1,3}}", text):
        start, end = _name_start(text, *match.span(), lowercase), match.end()
        if not re.search(rf"\bVice[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+{re.escape(title.capitalize())}", text[start:end]):
            found.append((start, end))
    return found


def _fullest_name(text: str, head_word: str) -> tuple[int, int] | None:
    """The longest capitalised name in `text` that ends with `head_word` (any case), as (start, end)."""
    head = re.escape(head_word)
    # Capitalised words on the same line before the head word: "Deputy Foreign Minister Sergei Ryabkov".
    cased = head if head_word[:1].isupper() else re.escape(head_word[:1].upper()) + re.escape(head_word[1:])
    pattern = re.compile(rf"(?:{_NAME_WORD}[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+){{0,6}}{cased}\b")
    first_line = text.find("\n")
    lowercase = _lowercase_words(text)
    best: tuple[int, int] | None = None
    for match in pattern.finditer(text):
        if all(word.lower().rstrip(".") in _TITLE_WORDS for word in match.group().split()):
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


_PLURAL_NOUNS = frozenset("people men women police staff children folks".split())
_PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
# Not pronouns: "his ex-wife" is a woman.
_MALE_WORDS = frozenset("mr man spokesman congressman chairman businessman father husband ex-husband widower son brother "
                        "uncle king prince sir lord boy".split())
_FEMALE_WORDS = frozenset("mrs ms miss woman spokeswoman congresswoman chairwoman businesswoman mother wife ex-wife widow "
                          "daughter sister aunt queen princess lady madam dame girl".split())
# Common first names in English-language news; a name not listed tells nothing.
_MALE_NAMES = frozenset(
    "Aaron Adam Ahmed Al Alan Albert Alexander Alexei Alexey Ali Andrei Andrew Anthony Antonio Arthur Austin "
    "Barack Ben Benjamin Bernie Beto Bill Billy Bob Bobby Boris Brandon Brian Bruce Bryan Carl Carlos "
    "Charles Chris Christian Christopher Chuck Cory Dan Daniel David Dennis Dmitri Dmitry Donald Douglas "
    "Dylan Edward Elijah Emmanuel Eric Ethan Eugene Francisco Frank Friedrich Gabriel Gary George Gerald "
    "Giuseppe Gordon Gregory Hans Harold Hassan Henry Hunter Igor Imran Ivan Jack Jacob Jacques James Jared "
    "Jason Jeffrey Jeremy Jerry Jesse Jim Joe John Johnny Jonathan Jordan Jorge Jose Joseph Joshua Juan "
    "Justin Keir Keith Kenneth Kevin Klaus Kyle Larry Lawrence Logan Louis Luis Manuel Marco Mark Matthew "
    "Michael Miguel Mike Mikhail Mitch Mitt Mohammed Muhammad Narendra Nathan Newt Nicholas Nigel Nikolai "
    "Noah Olaf Oleg Patrick Paul Pavel Pedro Pete Peter Petro Philip Pierre Ralph Rand Randy Raymond Recep "
    "Richard Rishi Robert Roger Ron Ronald Roy Russell Ryan Samuel Scott Sean Sergei Sergey Shinzo Stephen "
    "Steve Steven Ted Thomas Timothy Tom Tony Tyler Viktor Vincent Vladimir Volodymyr Walter Wayne William "
    "Willie Wolfgang Xi Yuri Zachary ".split()
)
_FEMALE_NAMES = frozenset(
    "Abigail Alexandria Alexis Alice Amanda Amber Amy Andrea Angela Ann Anna Annalena Anne Ashley "
    "Barbara Benazir Betty Beverly Brenda Brittany Carol Carolyn Catherine Charlotte Chelsea Cheryl "
    "Christina Christine Claire Cynthia Dana Danielle Deborah Debra Denise Diana Diane Donna Doris Dorothy "
    "Elena Elizabeth Emily Emma Evelyn Frances Giorgia Gloria Golda Grace Greta Hanna Hannah Heather Helen "
    "Hillary Hope Huma Ilhan Indira Ingrid Irina Isabella Ivanka Jacinda Jacqueline Janet Janice Jennifer "
    "Jessica Jill Joan Joyce Judith Judy Julie Kaja Kamala Karen Katherine Kathleen Kathryn Kayla Kayleigh "
    "Kelly Kellyanne Kimberly Kirsten Laura Lauren Linda Lisa Liz Lori Madison Margaret Maria Marie Marilyn "
    "Marine Marsha Martha Mary Megan Melania Melissa Michelle Nancy Natalia Natalie Natalya Nicola Nicole "
    "Nikki Olga Olivia Pamela Patricia Priti Rachel Rebecca Ruth Samantha Sandra Sanna Sara Sarah Sharon "
    "Shirley Sophia Sophie Stephanie Suella Susan Svetlana Tammy Tatiana Tatyana Teresa Theresa Tulsi Ursula "
    "Victoria Virginia Yelena Yulia ".split()
)
# Not "agency": "the agency" is as often the Environmental Protection Agency as a news agency.
_OUTLET_HEADS = frozenset("newspaper paper network outlet magazine broadcaster channel website daily tabloid".split())
# Head words that name an office: "the president" is resolved to the nearest "President <Name>".
_TITLE_HEADS = frozenset(
    "president minister secretary senator governor mayor chancellor spokesman spokeswoman spokesperson ambassador "
    "prosecutor judge chairman chairwoman director premier congressman congresswoman representative commissioner".split())
_TITLE_WORDS = _TITLE_HEADS | frozenset(
    "the a vice deputy prime foreign interior defence defense finance justice health economy trade energy state former "
    "acting chief senior press first general attorney u.s us white house retired".split())
_PERSONAL_NAME = r"(?:[A-Z]\.|[A-Z][\w'’-]+)"  # no full stop after a word: "Duda. The" ends the name
_SENTENCE_OPENERS = frozenset("The A An But And As In On At By For When While After Before According Meanwhile However Although Though If Should That's Because Since Then So Yet Still Even Now".split())
_SPACE = r"[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+"  # spaces and no-break spaces, on one line (no line break of split_sentences)
_OUTLET = (rf"(?:[Tt]he{_SPACE})?{_NAME_WORD}(?:{_SPACE}{_NAME_WORD}){{0,4}}"
           rf"(?:{_SPACE}(?:news{_SPACE}agency|agency|newspaper|daily|television|TV|channel|website|magazine))?")
# Whom an outlet "quoted … as saying": "him", "Ryabkov", "a source in the defence ministry".
QUOTED_SOURCE = (r"(?:him|her|them|[A-Z][\w'’.-]*(?:[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+[A-Z][\w'’.-]*){0,3}"
                 r"|(?:an?|the|one|two|three|several|some|unnamed)[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+[\w'’-]+(?:[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+[\w'’,-]+){0,7}?)")
_VIA_PATTERNS = (
    re.compile(rf"according{_SPACE}to{_SPACE}(?:the{_SPACE})?(?P<via>{_OUTLET})"),
    re.compile(rf"(?P<via>{_OUTLET}){_SPACE}(?:quoted|cited){_SPACE}{QUOTED_SOURCE}{_SPACE}as{_SPACE}(?:saying|telling)"),
    re.compile(rf"(?:told|[Ii]n{_SPACE}an{_SPACE}interview{_SPACE}with|[Ss]peaking{_SPACE}to|said{_SPACE}on|wrote{_SPACE}(?:in|on)|as{_SPACE}quoted{_SPACE}by)"
               rf"{_SPACE}(?:the{_SPACE})?(?P<via>{_OUTLET})"),
    re.compile(rf"(?:as|,){_SPACE}(?:the{_SPACE})?(?P<via>{_OUTLET}){_SPACE}report(?:s|ed)"),
    re.compile(rf"[Ii]n{_SPACE}an?{_SPACE}(?P<via>{_OUTLET}){_SPACE}interview"),
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
            if not (_MEDIA.search(candidate) or _MEDIA_WORDS.search(candidate)):
                continue
            if any(src.start <= s < src.end for src in sources):
                continue
            if all(not (f.start < e and s < f.end) for f in found):
                found.append(TextSpan(s, e, candidate))
    return tuple(sorted(found, key=lambda t: t.start))
