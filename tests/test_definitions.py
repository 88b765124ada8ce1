"""The glossary: a definition for each of the 14 techniques, each saying what the technique is not."""

from spinlens.definitions import DEFINITIONS
from spinlens.labels import TECHNIQUES


def test_every_technique_has_a_definition_and_no_other():
    assert set(DEFINITIONS) == set(TECHNIQUES) and len(DEFINITIONS) == 14


def test_each_definition_says_what_the_technique_is_and_is_not():
    for technique, definition in DEFINITIONS.items():
        assert len(definition.meaning.split()) >= 8, technique
        assert definition.not_meaning.startswith("Not "), technique
        assert definition.meaning.endswith(".") and definition.not_meaning.endswith("."), technique
        # One or two sentences each: short enough for a tooltip.
        assert len(definition.meaning) <= 300 and len(definition.not_meaning) <= 300, technique
        assert definition.text == f"{definition.meaning} {definition.not_meaning}"


def test_the_examples_the_issue_names_are_excluded():
    assert "Anbar Awakening" in DEFINITIONS["Loaded_Language"].not_meaning
    assert "office" in DEFINITIONS["Name_Calling,Labeling"].not_meaning
