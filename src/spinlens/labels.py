"""The 14 PTC / SemEval-2020 Task 11 technique labels, spelled as in the corpus files."""

TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

TECHNIQUE_INDEX: dict[str, int] = {name: i for i, name in enumerate(TECHNIQUES)}

# Human-readable names for reports; the corpus spellings stay the identifiers.
DISPLAY_NAMES: dict[str, str] = {
    "Appeal_to_Authority": "Appeal to authority",
    "Appeal_to_fear-prejudice": "Appeal to fear / prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "Bandwagon / Reductio ad Hitlerum",
    "Black-and-White_Fallacy": "Black-and-white fallacy",
    "Causal_Oversimplification": "Causal oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration / minimisation",
    "Flag-Waving": "Flag-waving",
    "Loaded_Language": "Loaded language",
    "Name_Calling,Labeling": "Name calling / labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Thought-terminating cliché",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism / straw man / red herring",
}

# One colour per technique, distinguishable on light and dark backgrounds.
COLOURS: dict[str, str] = {
    "Appeal_to_Authority": "#8dd3c7",
    "Appeal_to_fear-prejudice": "#fb8072",
    "Bandwagon,Reductio_ad_hitlerum": "#bebada",
    "Black-and-White_Fallacy": "#80b1d3",
    "Causal_Oversimplification": "#fdb462",
    "Doubt": "#b3de69",
    "Exaggeration,Minimisation": "#fccde5",
    "Flag-Waving": "#d9d9d9",
    "Loaded_Language": "#ffed6f",
    "Name_Calling,Labeling": "#ff9f9f",
    "Repetition": "#ccebc5",
    "Slogans": "#e5c494",
    "Thought-terminating_Cliches": "#a6cee3",
    "Whataboutism,Straw_Men,Red_Herring": "#cab2d6",
}
