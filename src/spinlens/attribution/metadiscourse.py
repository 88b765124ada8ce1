"""Word lists: the expressions with which an author hedges a claim or hammers it home.

Data only (spinlens.attribution.claims reads them). Drawn from Hyland's metadiscourse lists (hedges and
boosters, Metadiscourse, 2005) and the frequent hedge cues of the CoNLL-2010 shared task, cut to the
expressions that hedge or boost a claim in news prose more often than not: words that usually do
something else ("about", "would", "should", "must", "suspect", "really", "actually", "potential") and
approximators ("mostly", "largely", "generally") are left out, and the claims detector refuses the rest
in their other uses ("in May", "spoke clearly", "could not attend").
Lower case; a phrase is matched as whole words, any white space between its words.
"""

HEDGES: tuple[str, ...] = (
    # modal verbs and adverbs of possibility
    "may", "might", "could", "may have", "might have", "could have", "may or may not", "might or might not", "maybe", "perhaps", "possibly",
    "it is possible", "it's possible", "probably", "likely", "more likely", "much more likely",
    "most likely", "unlikely", "plausibly", "potentially", "presumably",
    "conceivably", "arguably",
    # appearance and report
    "appears to", "appeared to", "appear to", "it appears", "it seems", "seems", "seem", "seemed",
    "apparently", "reportedly", "allegedly", "purportedly", "supposedly",
    "is said to", "are said to", "was said to", "were said to", "is believed to", "are believed to",
    "suggests", "suggest",  # not "suggested": in news mostly what someone proposed or said ("Cruz suggested they drop out")
    "appears", "appear", "appeared",  # "appeared stunned"; not "appeared on Fox News" (APPEAR_NOT_BEFORE)
    "tend to", "tends to", "tended to", "tending to", "in part", "partly",  # a tendency, a limit on the claim
    "possible",  # only after a copula: "a grid failure is possible", not "as soon as possible"
    "not sure",
    # uncertainty
    "unclear", "not clear", "uncertain", "remains to be seen", "remains to be determined", "left to be determined",
    "yet to be determined", "not necessarily", "don't necessarily", "doesn't necessarily", "won't necessarily",
    "isn't necessarily", "aren't necessarily", "don’t necessarily", "doesn’t necessarily", "won’t necessarily",
    "isn’t necessarily", "aren’t necessarily", "it is not known", "there is a chance",
    "in my view", "in my opinion", "i think", "i believe", "i suspect", "we believe", "i guess",
    # degree: a limit on the claim (Hyland)
    "somewhat", "to some extent", "to some degree", "more or less",
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
    "make it clear", "makes it clear", "making it clear", "make it very clear", "makes it very clear",
    "made it quite clear", "make it quite clear", "makes it quite clear",
    "made clear", "make clear", "makes clear", "making clear", "it was clear", "it became clear", "it is obvious",
    "it was obvious", "in reality", "in truth", "the reality is",
    # a speaker's pledge of certainty
    "i guarantee", "i can guarantee", "i assure you", "i can assure you", "we can assure you", "i promise you",
    "sure",  # "Sure he was crazy.", "I'm sure"; not "make sure" or "not sure" (SURE_NOT_AFTER)
)

# Words before "clearly"/"plainly" that make them describe a manner, not a certainty ("spoke clearly").
MANNER_VERBS: tuple[str, ...] = (
    "speak", "speaks", "spoke", "spoken", "say", "says", "said", "state", "states", "stated", "see", "sees",
    "saw", "seen", "hear", "heard", "write", "wrote", "written", "think", "thought", "marked", "labeled",
    "labelled", "defined", "visible", "explain", "explained", "dressed", "more", "less", "very", "so", "as",
)
# Words before "may"/"might" that make it a generalisation, not a possibility ("wherever they may occur").
GENERALISERS: tuple[str, ...] = ("wherever", "whatever", "whoever", "whenever", "however", "whichever", "whomever")
# Words after a personal pronoun's "could" (verbs, and the adverbs "well" and "still") that keep it a possibility: with a pronoun subject, "could" and an
# action verb read as ability or an option ("I could deal with all of those things", "He could rally another
# time"; Coates 1983: root "could" goes with agentive subjects), "could" and these as conjecture ("they could
# face persecution", "you could say", "he could be right").
PRONOUN_COULD_POSSIBLE: tuple[str, ...] = ("be", "have", "face", "say", "argue", "lose", "become", "need", "end", "well", "still")
# Words that open an indirect question: a modal after one in its clause is the question's, not the author's hedge
# ("talking about whether this could mean a joint ticket", "confused as to how he could play the part").
QUESTION_CLAUSE_OPENERS: tuple[str, ...] = ("whether", "how")
# Words that put a hedge after them, in their clause, inside someone's past thought, a fear, a hint or a chance,
# which the author reports as a fact: the hedge is theirs, not the author's ("I thought she might do something
# like that", "expressed alarm that his views might be closer", "fearful that the party is potentially
# compromised", "the remote chance that Clinton may be indicted"); not the author's own present fear ("I fear
# that … may be such that"), which hedges.
THOUGHT_OPENERS: tuple[str, ...] = ("thought", "believed", "imagined", "feared", "worried", "fear", "fears", "alarm",
                                    "worry", "worries", "fearful", "hints", "hinted", "chance")
# Words that open a condition: "could" after one in its clause is the condition's ability, not a conjecture ("if
# everyone could vote").
CONDITION_OPENERS: tuple[str, ...] = ("if", "unless")
# Words before a modal that make it a generalisation about anyone, not a hedge ("whatever definition one might put
# on that term", "Somebody might say 'establishment'").
GENERIC_SUBJECTS: tuple[str, ...] = ("one", "somebody", "someone")
# Verbs after a modal that make it a formula or advice, not a hedge ("These, I might add, are not", "you might want
# to delay until May", "readers may recall that").
MODAL_FORMULA_VERBS: tuple[str, ...] = ("add", "want", "wish", "recall")
# Verbs of seeming after "may"/"might" that, with a "but" later in the sentence, concede rather than hedge
# ("The Sun might look the same to you, but it changes").
CONCESSIVE_VERBS: tuple[str, ...] = ("seem", "look", "sound", "appear", "feel")
# Words before "possibly" that make it emphasis, not a hedge ("as vanilla as you can possibly make it").
EMPHATIC_POSSIBLY_AFTER: tuple[str, ...] = ("can", "could", "cannot", "can't", "can’t", "couldn't", "couldn’t")
# Words before "likely"/"unlikely" that make it an adjective of a noun, not a hedge ("likely voters", "seen as likely
# disrupters", "an unlikely alliance").
LIKELY_ATTRIBUTIVE_AFTER: tuple[str, ...] = ("a", "an", "the", "as", "of", "for", "among", "their", "his", "her", "its", "our",
                                             "most", "least")  # "the most unlikely candidate"
# Words before "suggest(s)" that make it "propose" or "imply", not evidence that hedges ("I suggest we wait",
# "is meant to suggest").
SUGGEST_BEFORE: tuple[str, ...] = ("to", "i", "we", "you", "they", "he", "she")
# Words after "appear(s|ed)" that make it "be seen" or "be published", not a hedge ("appeared on Fox News",
# "first appeared in the Herald", "appear before Congress").
APPEAR_NOT_BEFORE: tuple[str, ...] = (
    "in", "on", "at", "as", "before", "for", "with", "alongside", "behind", "online", "next", "onstage", "together",
    "during", "from", "inside", "outside", "live", "publicly", "briefly", "again", "here", "there", "twice", "once",
    "under", "opposite", "across", "beside", "among", "via", "within", "after", "regularly", "frequently", "often",
    "suddenly", "and", "or", "but",
)
# Words before "sure" that make it no booster: "make sure" (see to it), "not sure" (a hedge of its own).
SURE_NOT_AFTER: tuple[str, ...] = (
    "make", "makes", "made", "making", "not", "never", "isn't", "isn’t", "wasn't", "wasn’t", "aren't", "aren’t",
    "weren't", "weren’t", "too", "even", "for", "to",
)
# Copulas: "possible" hedges after one ("is possible", "it's quite possible"), not before a noun ("possible
# complicity" is the content's) or in "as soon as possible".
COPULAS: tuple[str, ...] = (
    "is", "was", "are", "were", "be", "been", "being", "seems", "seemed", "remains", "remained", "it's", "it’s",
    "that's", "that’s", "becomes", "became",
)
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
    "question", "wonder", "speculate", "reason", "rule", "conclude", "find", "show", "indicate",
    # speech acts that judge what they are about: the object and its reason are their content ("chastised
    # Clinton for use of the server", "protested the court's decision"); not "attack" or "defend", which
    # as often report deeds
    "criticize", "criticise", "chastise", "chide", "rebuke", "scold", "reprimand", "berate", "blast", "slam",
    "lambaste", "castigate", "excoriate", "assail", "condemn", "denounce", "decry", "deplore", "deride",
    "ridicule", "mock", "snipe", "fault", "blame", "praise", "applaud", "hail", "commend", "laud", "tout",
    "thank", "congratulate", "apologize", "apologise", "express", "voice", "dispute", "reject", "dismiss",
    "bemoan", "riff",
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
    # the speech acts as nouns ("her acknowledgment that …", "his denial")
    # (those spelt as their verbs, "promise", "demand", "question", come with REPORTING_VERBS)
    "acknowledgment", "acknowledgement", "admission", "assertion", "insistence", "denial", "suggestion",
    "criticism", "complaint", "complaints", "accusation", "accusations", "allegation", "allegations",
    "prediction", "concession", "contention", "observation", "explanation", "declaration", "confession",
    "misgivings", "warnings", "plea", "assurance", "assurances",
)
# Pro-forms that stand for a proposition said before: a content of only these ("Haig strongly denies that.")
# is the earlier sentence's.
PROPOSITION_ANAPHORS: tuple[str, ...] = ("that", "this", "it", "so", "as much", "the same", "otherwise")
# Conjunctions that open an adverbial clause: an attribution just after one ("Although Trump has admitted …,
# he does not defend it") hangs off the author's main clause. Not "as" ("as X pointed out, P" attributes P).
SUBORDINATORS: tuple[str, ...] = (
    "although", "though", "while", "whereas", "since", "because", "if", "unless", "after", "before", "once",
    "until", "when", "whenever",
)

# Personal pronouns: with one, a sentence of fewer than four words is a clause ("Just ask him."; a
# contraction does as much: "He'll be back.", "Here's why:"); a shorter one without is a name, a handle or a
# label, no claim.
CLAUSE_WORDS: tuple[str, ...] = ("i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us", "them")
# Sign-offs and greetings, no claims whatever their pronouns.
SIGN_OFFS: tuple[str, ...] = (
    "thank you", "thanks", "thank you all", "thank you for reading", "stay tuned", "good night", "god bless",
    "god bless you",
)
# Phrases of a site's forms and notices: a sentence with one is page furniture, no claim. Not "privacy
# policy" or "terms of service" alone: news reports on them ("violated Twitter's terms of service").
BOILERPLATE: tuple[str, ...] = (
    "this site's privacy policy", "this site’s privacy policy", "our privacy policy", "our terms of use",
    "our terms of service", "this field is for validation purposes",
    "completing this poll", "take our poll", "story continues below", "opt out at any time", "opt out at anytime",
    "sign up for our newsletter", "subscribe to our newsletter", "click here to subscribe",
    "contributed to this report", "contributed reporting",  # a credit line ("The Associated Press contributed to this report.")
    "additional reporting by", "editing by", "reprinted with permission",  # not "Editor's note:", often a claim
)
# Words that open a question: an auxiliary before its subject or a question word. A question so opened with
# a cue in its clause ("Did he say that?") is the author's, about the speech.
QUESTION_OPENERS: tuple[str, ...] = (
    "do", "does", "did", "is", "are", "was", "were", "am", "will", "would", "can", "could", "should", "shall", "has",
    "have", "had", "may", "might", "must", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't",
    "won't", "wouldn't", "can't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't", "who", "whom", "whose",
    "what", "which", "why", "how", "when", "where",
)
# Words before or in a cue that make it a refusal or an absence of speech, an event the author reports ("He
# declined to comment", "did not respond"), not words left out.
NON_REPORTS: tuple[str, ...] = ("not", "never", "no", "declined", "declines", "refused", "refuses", "failed", "fails", "without")
