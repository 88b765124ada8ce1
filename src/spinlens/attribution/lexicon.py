"""The words the attribution rules know, as data: outlets, bodies, documents, titles, first names, and the
words that make no cue alone.

The rules build their regular expressions from these lists (`source_types`, `speakers`, `intermediaries`).
The entries of a tuple are pieces of those expressions, tried in the order given: `photos?` is "photo" or
"photos", `RIA(?: Novosti)?` is "RIA" or "RIA Novosti", and an earlier entry wins over a later one that
starts the same ("Fox News" before "Fox"). The frozensets are plain words, looked up one at a time.
"""

from __future__ import annotations

from ..types import Gender

# --- outlets -----------------------------------------------------------------------------------------------
# Outlets known by name; MORE_OUTLETS continues the list after the papers (the order is the expression's).
OUTLETS: tuple[str, ...] = (
    "RIA(?: Novosti)?", "TASS", "Interfax", "Sputnik", "RT", "Reuters", "AP", "Associated Press", "AFP",
    "Agence France-Presse", "Bloomberg", "CNN", "Fox News", "Fox", "MSNBC", "NBC(?: News)?", "ABC(?: News)?",
    "CBS(?: News)?", "NPR", "PBS", "BBC", "Al Jazeera", "Politico", "Axios", "The Hill", "Breitbart(?: News)?",
    "Newsweek", "USA Today", "Vox", "BuzzFeed(?: News)?", "HuffPost", "Huffington Post",
)
# Papers named with or without "The".
PAPERS: tuple[str, ...] = (
    "New York Times", "Washington Post", "Wall Street Journal", "Daily Mail", "Los Angeles Times",
    "Chicago Tribune", "Boston Globe", "New York Post", "Financial Times", "Daily Beast",
)
# Ordinary words, or the start of other names ("Iran's Guardian Council", "The Atlantic Council"): outlets
# only after "the" and before no other capitalised word.
THE_OUTLETS: tuple[str, ...] = ("Guardian", "Times", "Telegraph", "Independent", "Economist", "Atlantic", "Intercept")
MORE_OUTLETS: tuple[str, ...] = (
    "WSJ", "NYT", "Xinhua", "Kommersant", "Izvestia", "Pravda", "Der Spiegel", "Le Monde", "Haaretz", "Ynet",
    "Yonhap", "Kyodo", "NHK", "Anadolu", "Al Arabiya", "IRNA", "KCNA", "Global Times", "Ukrinform", "UNIAN",
    "Deutsche Welle", "Euronews", "France 24", "Sky News",
)
# "Post" is a surname too: the papers by the word before it.
POST_PAPERS: tuple[str, ...] = ("Jerusalem", "Denver", "Bangkok", "Kyiv", "National", "Morning")
# A name ending in a newspaper's or broadcaster's word: "The Irish Times", "Army Radio".
OUTLET_ENDINGS: tuple[str, ...] = (
    "Times", "Herald", "Tribune", "Gazette", "Journal", "Chronicle", "Inquirer", "Radio", "Television", "TV",
)
MEDIA_WORDS: tuple[str, ...] = (
    "newspaper", "news agency", "magazine", "outlet", "network", "channel", "tabloid", "broadcaster", "daily",
    "paper", "website", "blog", "news",
)
# What may follow an outlet's name when it passes words on: "the Interfax news agency", "Channel 12 TV".
OUTLET_KINDS: tuple[str, ...] = (
    "news agency", "agency", "newspaper", "daily", "television", "TV", "channel", "website", "magazine",
)
# Head words of a mention that is an outlet ("the newspaper"). Not "agency": "the agency" is as often the
# Environmental Protection Agency as a news agency.
OUTLET_HEADS = frozenset("newspaper paper network outlet magazine broadcaster channel website daily tabloid".split())

# --- documents and bodies ----------------------------------------------------------------------------------
DOCUMENT_WORDS: tuple[str, ...] = (
    "statement", "report", "document", "memo", "photos?", "images?", "video", "footage", "data", "poll", "survey",
    "study", "letter", "e-?mails?", "filing", "records?", "transcript", "tweets?", "post", "complaint",
    "indictment", "analysis", "release", "website", "figures", "evidence", "book", "article", "ruling", "order",
    "lawsuit", "census", "estimate", "documents", "reports", "polls", "studies",
)
# All-capital entries are acronyms, matched in capitals only ("who" is no WHO).
ORGANISATION_WORDS: tuple[str, ...] = (
    "ministry", "department", "government", "agency", "office", "committee", "campaign", "party", "administration",
    "police", "commission", "council", "compan(?:y|ies)", "courts?", "White House", "Kremlin", "Pentagon",
    "FBI", "CIA", "NSA", "UN", "NATO", "WHO", "EU", "IMF",
    "Congress", "Senate", "House", "army", "military", "officials? of", "embassy", "bureau", "organi[sz]ations?",
    "groups?", "foundation", "institute", "university", "unions?", "association", "alliance", "corporations?",
    "inc", "ltd", "board", "authority", "authorities", "service", "council", "prosecutors?", "agencies", "firms?",
)
# Countries and capitals speak as their governments do ("Mexico said …").
COUNTRIES: tuple[str, ...] = (
    "Mexico", "Russia", "China", "Iran", "Iraq", "Syria", "Israel", "Britain", "France", "Germany", "Japan",
    "Canada", "Ukraine", "Poland", "India", "Pakistan", "Turkey", "North Korea", "South Korea", "Cuba",
    "Venezuela", "United States", r"U\.S\.", "America", "Washington", "Moscow", "Beijing",
)

# --- people and groups -------------------------------------------------------------------------------------
# An unnamed source: words before its noun ("two senior"), then the noun ("officials").
ANONYMOUS_QUALIFIERS: tuple[str, ...] = (
    "a", "an", "the", "some", "many", "several", "two", "three", "a few", "other", "one", "unnamed", "anonymous",
    "senior", "top", "high-ranking", "former",
)
ANONYMOUS_NOUNS: tuple[str, ...] = (
    "sources?", "officials?", "people", "persons?", "aides?", "insiders?", "critics", "experts", "analysts",
    "observers", "diplomats?", "residents", "witnesses", "supporters", "opponents", "advocates", "lawmakers",
    "reports", "rumou?rs", "scholars", "environmentalists", "voters", "doctors", "questioners?", "Democrats",
    "Republicans", "conservatives", "liberals", "activists", "economists", "members", "leaders", "many",
)
# The author speaking: "I", "this reporter", "our correspondents".
AUTHOR_PRONOUNS: tuple[str, ...] = ("I", "we", "us")
AUTHOR_THIS: tuple[str, ...] = ("reporter", "writer", "author", "newspaper", "site", "website")
AUTHOR_OUR: tuple[str, ...] = ("reporters?", "correspondents?")
PRONOUNS: tuple[str, ...] = ("he", "she", "him", "her", "his", "they", "them", "it")
# Words that stand for a source without naming it, which the tagger sometimes gives as one: "…, who said".
RELATIVE_PRONOUNS: tuple[str, ...] = ("who", "whom", "which", "that")
# Words a person's role ends with: "Republican strategist", "Foreign Ministry spokeswoman".
PERSON_ROLES: tuple[str, ...] = (
    "strategist", "adviser", "advisor", "aide", "director", "manager", "lawyer", "attorney", "chairman",
    "chairwoman", "president", "writer", "editor", "analyst", "member", "host", "anchor", "founder", "partner",
    "senator", "governor", "mayor", "candidate", "nominee", "minister", "secretary", "ambassador", "chancellor",
    "premier", "spokes(?:man|woman|person)",
)
# "Board on Professional Responsibility", "experts in the United States": capitals after these are no person's name.
CONNECTIVES: tuple[str, ...] = ("of", "on", "for", "and", "in", "at", "the", "with", "to", "de", "from")
# Nouns that name a group without a plural "s".
PLURAL_NOUNS = frozenset("people men women police staff children folks".split())
# Head words that name an office: "the president" is resolved to the nearest "President <Name>".
TITLE_HEADS = frozenset(
    "president minister secretary senator governor mayor chancellor spokesman spokeswoman spokesperson ambassador "
    "prosecutor judge chairman chairwoman director premier congressman congresswoman representative commissioner".split())
# Words of a title, not of a name: "Deputy Foreign Minister", "former U.S. Attorney".
TITLE_WORDS = TITLE_HEADS | frozenset(
    "the a vice deputy prime foreign interior defence defense finance justice health economy trade energy state former "
    "acting chief senior press first general attorney u.s us white house retired".split())
# Capitalised at a sentence's start, so no part of a name after it.
SENTENCE_OPENERS = frozenset(
    "The A An But And As In On At By For When While After Before According Meanwhile However Although Though If "
    "Should That's Because Since Then So Yet Still Even Now".split())

# --- gender ------------------------------------------------------------------------------------------------
PRONOUN_GENDER: dict[str, Gender] = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
# Not pronouns: "his ex-wife" is a woman.
MALE_WORDS = frozenset("mr man spokesman congressman chairman businessman father husband ex-husband widower son brother "
                       "uncle king prince sir lord boy".split())
FEMALE_WORDS = frozenset("mrs ms miss woman spokeswoman congresswoman chairwoman businesswoman mother wife ex-wife widow "
                         "daughter sister aunt queen princess lady madam dame girl".split())
# Common first names in English-language news; a name not listed tells nothing.
MALE_NAMES = frozenset(
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
FEMALE_NAMES = frozenset(
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

# --- cues ----------------------------------------------------------------------------------------------------
# What the tagger takes for a cue in opinion prose but is none (extractor.py counts them in PolNeAR train).
# Auxiliaries, prepositions and articles: a cue made of these words only ("has", "is", "to", "about") is one
# only with a content. Gold has some alone ("in" 67 times of 22,469 cues, "for" 22, "of" 15, "to" 13), but
# most that the tagger gives are not.
FUNCTION_WORDS = frozenset(
    "has have had having is was are were be been being am do did does to of on about for with at by in into a an "
    "the from over against up out".split())
# A cue of one adverb in -ly is none ("strategically", "famously"), except these, which report: "…, reportedly".
REPORTING_ADVERBS = frozenset("reportedly allegedly apparently seemingly purportedly supposedly reputedly ostensibly".split())
# Words in -ly that are no adverbs: verbs that may be cues ("reply", "imply"), nouns.
NOT_ADVERBS = frozenset(
    "apply comply imply multiply reply rely supply ally rally tally bully fly july family italy assembly anomaly "
    "monopoly".split())
# Adjectives of certainty and truth: "it is almost certain", "is likely", "it was clear". A cue made of one of
# these and the words of ADJECTIVE_COMPANIONS is one only with a source ("Aides are certain that …") or a
# content just after it ("it is not clear that …").
CERTAINTY_ADJECTIVES = frozenset(
    "certain uncertain likely unlikely clear unclear sure unsure possible impossible probable improbable obvious "
    "evident apparent true untrue false right wrong doubtful undeniable inevitable plausible".split())
# Copulas, pronouns and degree words that come with such an adjective: "it is far from certain", "became clear".
ADJECTIVE_COMPANIONS = frozenset(
    "is was are were be been being it s seems seemed seem appears appeared appear became becomes become "
    "remains remained almost very far from quite more most less least not n't n’t so too all but increasingly "
    "fairly pretty absolutely entirely abundantly now still also already made make makes making isn't isn’t wasn't "
    "wasn’t aren't aren’t weren't weren’t it's it’s that's that’s".split())
# Verbs that report a quotation just before them, their source before or after them: "'…,' the statement
# reads", "'…,' said the report".
QUOTATION_VERBS: tuple[str, ...] = (
    "reads", "read", "says", "said", "states", "stated", "notes", "noted", "adds", "added", "writes", "wrote",
    "continues", "continued", "argues", "argued", "concludes", "concluded", "declares", "declared", "warns",
    "warned", "explains", "explained", "insists", "insisted", "claims", "claimed", "asks", "asked", "replies",
    "replied", "responds", "responded", "tweeted", "tells", "told",
)
