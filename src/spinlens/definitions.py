"""What each of the 14 techniques is, and what it is not, in this project's words: the glossary that the
reports show beside the legend, in each fragment's tooltip and in its evidence panel.

Data in a module, as the word lists of attribution/lexicon.py are: keyed by the corpus spellings of
labels.TECHNIQUES (tests/test_definitions.py checks that each of the 14 has one). Each `meaning` and each
`not_meaning` is one or two sentences; `not_meaning` starts with "Not" and names the look-alikes that a
reader (or the model) might take for the technique.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    meaning: str  # what the technique is
    not_meaning: str  # what looks like it but is not it

    @property
    def text(self) -> str:
        """Both sentences, as one line for a tooltip."""
        return f"{self.meaning} {self.not_meaning}"


DEFINITIONS: dict[str, Definition] = {
    "Appeal_to_Authority": Definition(
        "Offering the standing of a person or body (an expert, an official, a celebrity, an institution) as the reason to "
        "believe a claim, in place of the evidence for it.",
        "Not every attribution: reporting what an official said or did, or the findings of a named study, is sourcing; it "
        "becomes the technique when the speaker's status is itself the argument.",
    ),
    "Appeal_to_fear-prejudice": Definition(
        "Winning support for an idea by stirring up alarm, anxiety or hostility towards a group, often by picturing what "
        "will happen if the other side wins.",
        "Not a plain report of a real danger (a storm warning, casualty figures): the technique works on the fear instead of "
        "informing about the risk.",
    ),
    "Bandwagon,Reductio_ad_hitlerum": Definition(
        "Bandwagon: urging a view because everybody, or every true member of a group, already holds it. Reductio ad "
        "Hitlerum: rejecting a view because a hated person or group (Nazis, terrorists, a reviled regime) holds it.",
        "Not a poll or a count of supporters reported as news, nor a historical mention of Hitler: popularity or the hated "
        "company has to stand in for the argument.",
    ),
    "Black-and-White_Fallacy": Definition(
        "Presenting two choices as the only ones when others exist, usually with one of them unthinkable (\"either we act "
        "now or the country is lost\"); \"there is no alternative\" belongs here too.",
        "Not a choice that really has two sides (a yes-or-no vote, a guilty or not-guilty verdict), nor a mere contrast "
        "between two positions.",
    ),
    "Causal_Oversimplification": Definition(
        "Putting a complex outcome down to one cause, or one culprit, when many things brought it about.",
        "Not every statement of cause: a specific cause given for a specific event (\"the road closed because of the "
        "flood\") simplifies nothing.",
    ),
    "Doubt": Definition(
        "Undermining the credibility of a person, a group or a claim by questioning it, usually through insinuation or "
        "pointed questions rather than evidence.",
        "Not a neutral note that something is unconfirmed or disputed, nor a question asked to inform the reader.",
    ),
    "Exaggeration,Minimisation": Definition(
        "Making something out to be much bigger, better or worse than it is (\"the worst betrayal in history\"), or "
        "playing down something serious (\"just a few emails\").",
        "Not an accurate superlative or a measured figure (\"the largest protest since 2010\", when it was), nor an "
        "everyday intensifier that distorts nothing.",
    ),
    "Flag-Waving": Definition(
        "Calling on patriotism or the pride of a group (a nation, a party, a faith) to justify or sell an idea.",
        "Not a neutral mention of a country, its people or its flag (\"the American delegation\"), nor a nationality "
        "stated as a fact.",
    ),
    "Loaded_Language": Definition(
        "Words chosen for their emotional charge, favourable or hostile, to sway the reader where a neutral word would "
        "say the same (\"slaughter\" for \"killing\", \"heroic\", \"disgraceful\").",
        "Not a proper name that happens to contain an emotive word (\"Anbar Awakening\", \"Operation Desert Storm\"), nor "
        "a strong word that is simply the accurate one (\"murder\" in a murder conviction).",
    ),
    "Name_Calling,Labeling": Definition(
        "Pinning a label on a person or group, an insult or a praise word, that the audience is meant to fear, despise, "
        "love or admire (\"traitors\", \"globalist elites\", \"patriots\").",
        "Not a neutral description of an office or role (\"the senator\", \"the prime minister\"), nor the name a group "
        "goes by.",
    ),
    "Repetition": Definition(
        "Saying the same message, word or phrase again and again so that it sticks and comes to seem accepted.",
        "Not the ordinary reuse of a name or a topic word that any article about the subject needs.",
    ),
    "Slogans": Definition(
        "A short, punchy phrase, often a rallying cry, that packs a position into a few memorable words (\"Make "
        "America great again\", \"Lock her up\").",
        "Not any short sentence, nor a headline that only sums up the story.",
    ),
    "Thought-terminating_Cliches": Definition(
        "A stock phrase that discourages thinking further by sounding final (\"it is what it is\", \"enough said\", "
        "\"that's just how things are\").",
        "Not a proverb or a common phrase used to describe something rather than to close the discussion.",
    ),
    "Whataboutism,Straw_Men,Red_Herring": Definition(
        "Dodging a point instead of answering it: accusing the critic of the same fault (whataboutism), attacking a "
        "distorted version of their view (straw man), or changing the subject (red herring).",
        "Not a fair comparison made on its merits, nor an accurate summary of an opponent's position.",
    ),
}
