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

# One colour per technique, light enough for black text (contrast 7:1 or more with #111) and far from white
# (none looks like no highlight). Any two differ by a CIEDE2000 distance of 15 or more, and of 7.5 or more as
# readers with deuteranopia or protanopia see them (tests/test_palette.py). Colour is never the only cue:
# each technique also has a letter (BADGES) that the HTML report shows at the start of each fragment.
COLOURS: dict[str, str] = {
    "Appeal_to_Authority": "#a3cc47",
    "Appeal_to_fear-prejudice": "#f57a99",
    "Bandwagon,Reductio_ad_hitlerum": "#d68f70",
    "Black-and-White_Fallacy": "#99ebff",
    "Causal_Oversimplification": "#00b8ad",
    "Doubt": "#adc2ff",
    "Exaggeration,Minimisation": "#ffcc85",
    "Flag-Waving": "#00adff",
    "Loaded_Language": "#ffeb5c",
    "Name_Calling,Labeling": "#eb70d6",
    "Repetition": "#85e0ad",
    "Slogans": "#c29900",
    "Thought-terminating_Cliches": "#ebffb8",
    "Whataboutism,Straw_Men,Red_Herring": "#d6adcc",
}

# One letter per technique, the second cue beside the colour: shown in the legend and before each fragment.
BADGES: dict[str, str] = {
    "Appeal_to_Authority": "A",
    "Appeal_to_fear-prejudice": "F",
    "Bandwagon,Reductio_ad_hitlerum": "B",
    "Black-and-White_Fallacy": "K",
    "Causal_Oversimplification": "C",
    "Doubt": "D",
    "Exaggeration,Minimisation": "E",
    "Flag-Waving": "G",
    "Loaded_Language": "L",
    "Name_Calling,Labeling": "N",
    "Repetition": "R",
    "Slogans": "S",
    "Thought-terminating_Cliches": "T",
    "Whataboutism,Straw_Men,Red_Herring": "W",
}
