"""Word lists: the expressions with which an author hedges a claim or hammers it home.

Data only (spinlens.attribution.claims reads them). Drawn from Hyland's metadiscourse lists (hedges and
boosters, Metadiscourse, 2005) and the frequent hedge cues of the CoNLL-2010 shared task, cut to the
expressions that hedge or boost a claim in news prose more often than not: words that usually do
something else ("about", "would", "should", "must", "appear", "suspect", "really", "potential") and
approximators ("mostly", "largely", "generally") are left out, and the claims detector refuses the rest
in their other uses ("in May", "spoke clearly", "could not attend").
Lower case; a phrase is matched as whole words, any white space between its words.
"""

HEDGES: tuple[str, ...] = (
    # modal verbs and adverbs of possibility
    "may", "might", "could", "may have", "might have", "could have", "maybe", "perhaps", "possibly",
    "it is possible", "it's possible", "probably", "likely", "more likely", "much more likely",
    "most likely", "unlikely", "plausibly", "potentially", "presumably",
    "conceivably", "arguably",
    # appearance and report
    "appears to", "appeared to", "appear to", "it appears", "it seems", "seems", "seem", "seemed",
    "apparently", "reportedly", "allegedly", "purportedly", "supposedly",
    "is said to", "are said to", "was said to", "were said to", "is believed to", "are believed to",
    "suggests", "suggest",  # not "suggested": in news mostly what someone proposed or said ("Cruz suggested they drop out")
    # uncertainty
    "unclear", "not clear", "uncertain", "remains to be seen", "remains to be determined", "left to be determined",
    "yet to be determined", "not necessarily", "don't necessarily", "doesn't necessarily", "won't necessarily",
    "isn't necessarily", "aren't necessarily", "don’t necessarily", "doesn’t necessarily", "won’t necessarily",
    "isn’t necessarily", "aren’t necessarily", "it is not known", "there is a chance",
    "in my view", "in my opinion", "i think", "i believe", "i suspect", "we believe", "i guess",
)

BOOSTERS: tuple[str, ...] = (
    "make no mistake", "rest assured", "there is no doubt", "there's no doubt", "there can be no doubt",
    "no doubt", "without doubt", "beyond doubt", "without question", "beyond question", "no question",
    "undoubtedly", "doubtless", "unquestionably", "undeniably", "undeniable", "indisputably",
    "indisputable", "incontrovertibly", "incontrovertible", "certainly", "for certain", "it is certain",
    "quite simply", "definitely", "surely", "for sure", "to be sure", "clearly", "it is clear", "it's clear",
    "let me be clear", "let's be clear", "obviously", "it is obvious", "evidently", "plainly", "of course",
    "in fact", "the fact is", "the truth is", "indeed", "needless to say", "everyone knows", "we all know",
    "made it clear", "made it very clear", "it goes without saying",
)

# Words before "clearly"/"plainly" that make them describe a manner, not a certainty ("spoke clearly").
MANNER_VERBS: tuple[str, ...] = (
    "speak", "speaks", "spoke", "spoken", "say", "says", "said", "state", "states", "stated", "see", "sees",
    "saw", "seen", "hear", "heard", "write", "wrote", "written", "think", "thought", "marked", "labeled",
    "labelled", "defined", "visible", "explain", "explained", "dressed", "more", "less", "very", "so", "as",
)
# Words before "suggest(s)" that make it "propose" or "imply", not evidence that hedges ("I suggest we wait",
# "is meant to suggest").
SUGGEST_BEFORE: tuple[str, ...] = ("to", "i", "we", "you", "they", "he", "she")
# Words before "may" that make it the month ("in May", "since May"); a number after it does too.
MONTH_BEFORE: tuple[str, ...] = (
    "in", "of", "since", "until", "by", "last", "next", "this", "early", "late", "mid", "from", "through",
    "during", "before", "after", "on", "each", "every",
)


# Verbs (base forms) that report what someone said, wrote, found or thought: a sentence is the words of an
# attribution whose cue holds one of these or of REPORTING_NOUNS ("said", "according to", "told
# reporters", "in a statement"); a cue of another verb ("preselected", "is bent on", "turned to",
# "spoke", "discussed", "criticized") reports an act, and its sentence stays the author's. claims.py makes
# the inflected forms; IRREGULAR_FORMS are those it cannot make.
REPORTING_VERBS: tuple[str, ...] = (
    # speech and writing
    "say", "tell", "state", "claim", "argue", "add", "note", "write", "report", "announce", "explain", "insist",
    "warn", "deny", "admit", "acknowledge", "confirm", "ask", "reply", "respond", "answer", "tweet", "post",
    "declare", "allege", "assert", "contend", "maintain", "concede", "recall", "testify", "reveal", "disclose",
    "describe", "accuse", "promise", "pledge", "vow", "urge", "caution", "complain", "boast", "brag", "joke",
    "quip", "crack", "emphasize", "emphasise", "stress", "observe", "comment", "remark", "mention", "recount",
    "quote", "cite", "charge", "counter", "retort", "reiterate", "repeat", "assure", "hint", "imply", "confess",
    "plead", "proclaim", "affirm", "swear", "insinuate", "muse", "inform", "email", "e-mail", "text", "blog",
    "read", "continue", "call", "label", "brand", "dub", "interject", "shout", "yell", "scream", "exclaim",
    "whisper", "mutter", "object", "protest", "point", "elaborate", "clarify", "agree", "disagree", "lament",
    "predict", "forecast", "estimate", "suggest", "propose", "recommend", "advise", "demand", "threaten",
    "question", "wonder", "speculate", "reason", "rule", "conclude", "find", "show",
    # thought
    "believe", "think", "fear", "expect", "hope", "worry", "doubt", "feel", "suspect", "assume", "realize",
    "realise", "recognize", "recognise", "figure", "guess", "calculate",
)
IRREGULAR_FORMS: tuple[str, ...] = ("said", "told", "thought", "wrote", "written", "found", "felt", "swore", "sworn", "read")
# Nouns and phrases that report ("according to", "in a statement", "his remarks"); a colon after a
# source ("Trump: …") too.
REPORTING_NOUNS: tuple[str, ...] = (
    "according", "statement", "statements", "interview", "remarks", "comments", "tweet", "tweets", "view",
    "views", "opinion", "belief", "claim", "claims", "report", "reports", "testimony", "letter", "email",
    "e-mail", "memo", "post", "speech", "quoted", "warning", "argument", "words", "answer", "reply",
    "response", "announcement", "assessment", "conclusion", "findings", "reportedly", "allegedly", ":",
)
