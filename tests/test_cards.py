"""Model cards: read by the loaders, written by the trainers, their JSON kept exactly."""

import inspect
import json
from dataclasses import replace

import pytest

from spinlens.cards import ModelCard, required
from spinlens.models import ATTRIBUTION, TECHNIQUES


@pytest.mark.parametrize("folder", [TECHNIQUES, ATTRIBUTION], ids=["techniques", "attribution"])
def test_the_shipped_cards_round_trip_byte_for_byte(folder):
    text = (folder / "card.json").read_text(encoding="utf-8")
    card = ModelCard.read(folder / "card.json")
    assert card.to_dict() == json.loads(text) and list(card.to_dict()) == list(json.loads(text))
    # As the trainers write it (indent 1); a trailing newline added by hand is the file's alone.
    assert json.dumps(card.to_dict(), indent=1) == card.to_json() == text.removesuffix("\n")
    assert card.extra == {}  # every key of the shipped cards is a field
    assert ModelCard.from_dict(card.to_dict()) == card


def test_the_loaders_read_the_cards_fields():
    technique, tagger = ModelCard.read(TECHNIQUES / "card.json"), ModelCard.read(ATTRIBUTION / "card.json")
    assert technique.name == "spinlens-techniques" and tagger.name == "spinlens-attribution"
    assert tagger.encoder == technique.version  # the tagger reads the shipped encoder's encodings
    assert technique.decode is not None and set(technique.decode) == {"threshold", "merge_gap", "min_chars", "smooth"}
    assert tagger.tags is not None and tagger.tag_bias is not None and len(tagger.tags) == len(tagger.tag_bias)
    # Scripts that look keys up by name (benchmarks/) read the JSON.
    assert technique["data"] is technique.data and technique.get("missing", 1) == 1 and "recipe" in technique


def test_unknown_keys_and_nulls_are_kept_in_their_places():
    data = {"name": "x", "from_a_later_version": {"a": [1, 2]}, "version": None, "decode": {"threshold": 0.4}, "zeta": 1}
    card = ModelCard.from_dict(data)
    assert card.extra == {"from_a_later_version": {"a": [1, 2]}, "zeta": 1}
    assert card.to_dict() == data and list(card.to_dict()) == list(data)
    assert list(replace(card, name="y").to_dict()) == list(data)  # a field changed keeps its place
    with pytest.raises(TypeError, match="JSON object"):
        ModelCard.from_dict([1, 2])


def test_fields_a_card_gains_go_where_updating_its_json_put_them():
    # `train tune` on a split run whose card has no decode and no recipe, as the trainers did it with dicts.
    shipped = json.loads((TECHNIQUES / "card.json").read_text(encoding="utf-8"))
    before = {key: value for key, value in shipped.items() if key not in ("decode", "recipe")}
    tuning = {"decode": {"threshold": 0.3, "merge_gap": 3, "min_chars": 4, "smooth": 1}, "flc_decode": shipped["flc_decode"],
              "second_label": 0.4, "fragment_calibration": {"a": 1.0, "b": 0.0}, "sentence_calibration": {"a": 1.0, "b": 0.0},
              "validation": {"si": {"precision": 0.5, "recall": 0.5, "f1": 0.5}}}
    expected = dict(before)
    expected["tuning_command"] = "spinlens train tune"
    expected.update(tuning)
    card = replace(ModelCard.from_dict(before), tuning_command="spinlens train tune")
    card = replace(card, **tuning)
    assert list(card.to_dict()) == list(expected) and card.to_json() == json.dumps(expected, indent=1)
    # A final run's card: the recipe's settings carried over as the recipe has them, then its record.
    expected = dict(before)
    expected.update({key: shipped[key] for key in ("flc_decode", "second_label")})
    expected["recipe"] = {"command": "x"}
    card = replace(ModelCard.from_dict(before).updated({key: shipped[key] for key in ("flc_decode", "second_label")}), recipe={"command": "x"})
    assert list(card.to_dict()) == list(expected) and card.to_dict() == expected
    # A new card lists its fields in the order training writes them.
    fresh = ModelCard(name="spinlens-attribution", version="v", encoder="e", tags=["O"], training_seconds=3, selected_epoch=1)
    assert list(fresh.to_dict()) == ["name", "version", "encoder", "tags", "selected_epoch", "training_seconds"]


def test_what_a_model_needs_is_a_key_error_naming_it():
    assert required([1.0], "span_feature_weights") == [1.0]
    with pytest.raises(KeyError, match="span_feature_weights"):
        required(ModelCard().span_feature_weights, "span_feature_weights")


def test_both_trainers_default_to_the_same_epochs():
    from spinlens.cli.train import train_attribution, train_techniques
    from spinlens.training.attribution import AttributionTrainConfig
    from spinlens.training.config import EPOCHS, TrainConfig

    defaults = {TrainConfig.__dataclass_fields__["epochs"].default, AttributionTrainConfig.__dataclass_fields__["epochs"].default}
    defaults |= {inspect.signature(command).parameters["epochs"].default for command in (train_techniques, train_attribution)}
    assert defaults == {EPOCHS}


def test_an_ensemble_taggers_members_are_a_field_of_its_card():
    members = [{"seed": 13, "selected_epoch": 7, "history": [{"epoch": 1, "micro_f1": 0.8, "cue_f1": 0.6}]},
               {"seed": 14, "selected_epoch": 5, "history": []}]
    card = ModelCard.from_dict({"name": "spinlens-attribution", "selected_epoch": None, "members": members})
    assert card.members == members and card.extra == {}
    assert card.to_dict() == {"name": "spinlens-attribution", "selected_epoch": None, "members": members}
