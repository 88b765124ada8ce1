"""Training-data preparation (no torch needed): splits, targets, weights and window examples."""

import numpy as np
import pytest

from spinlens.formats.ptc import LabelledSpan as L
from spinlens.labels import TECHNIQUE_INDEX
from spinlens.models import TECHNIQUES as SHIPPED
from spinlens.techniques.encoding import load_tokenizer
from spinlens.training.examples import build_examples, class_weights, span_targets, split_ids


def test_split_is_seeded_disjoint_and_complete():
    ids = [str(i) for i in range(100)]
    train, val = split_ids(ids, 0.15, 13)
    assert (train, val) == split_ids(list(reversed(ids)), 0.15, 13)
    assert len(val) == 15 and not set(train) & set(val) and sorted(train + val) == sorted(ids)
    assert split_ids(ids, 0.15, 14)[1] != val


def test_rare_techniques_weigh_more():
    weights = class_weights([L("1", 0, 1, "Loaded_Language")] * 50 + [L("1", 0, 1, "Slogans")] * 2)
    assert weights[TECHNIQUE_INDEX["Slogans"]] > weights[TECHNIQUE_INDEX["Loaded_Language"]]
    assert np.isclose(weights.mean(), 1.0)


def test_a_span_with_two_techniques_shares_its_target():
    targets = span_targets([L("1", 0, 5, "Doubt"), L("1", 0, 5, "Slogans"), L("1", 7, 9, "Doubt")])
    both = targets["1"][(0, 5)]
    assert both[TECHNIQUE_INDEX["Doubt"]] == 0.5 and both[TECHNIQUE_INDEX["Slogans"]] == 0.5
    assert targets["1"][(7, 9)].sum() == 1.0


def test_examples_label_tokens_and_keep_spans_in_one_window():
    tokenizer = load_tokenizer(SHIPPED / "tokenizer.json")
    text = "The traitors lied. " * 200 + "Evil, evil, evil!"
    start = text.rindex("Evil")
    spans = {(4, 12): np.eye(14)[TECHNIQUE_INDEX["Name_Calling,Labeling"]], (start, start + 4): np.eye(14)[TECHNIQUE_INDEX["Repetition"]]}
    examples = build_examples(tokenizer, text, spans)
    assert len(examples) > 1
    assert examples[0].si[1] == 1.0 and examples[0].si[0] == 0.0  # "traitors" yes, "The" no
    assert sum(len(ex.spans) for ex in examples) == 2
    last = examples[-1].spans[0]
    assert last[3][0] > 0  # "Evil" recurs in the article: the repetition feature is set


def test_examples_know_each_tokens_sentence():
    tokenizer = load_tokenizer(SHIPPED / "tokenizer.json")
    text = "Traitors lied again. The vote is on Mon.\nA day of shame."
    (example,) = build_examples(tokenizer, text, {(0, 8): np.eye(14)[0]})
    # The sentence-level loss takes a sentence's target from its tokens: one index per sentence.
    assert list(example.sentence) == [0] * 5 + [1] * 6 + [2] * 5
    assert example.si[example.sentence == 0].max() == 1.0 and example.si[example.sentence > 0].max() == 0.0


def test_a_final_run_trains_on_every_article_with_the_validated_recipe(tmp_path):
    from pathlib import Path

    import pytest

    from spinlens.cards import ModelCard
    from spinlens.training.config import TrainConfig
    from spinlens.training.techniques import CARRIED_OVER, final_config

    ids = [str(i) for i in range(40)]
    assert split_ids(ids, 0.0, 13) == (sorted(ids), [])
    recipe = {
        "data": {"validation_ids": ["3", "7"]},
        **{key: {} for key in CARRIED_OVER},
        "selected_epoch": 4,
        "training": {"epochs": 8, "seed": 21, "batch_size": 8, "lr": 5e-5, "head_lr": 2e-3, "sentence_weight": 0.5},
    }
    config = final_config(TrainConfig(data=Path("ptc"), out=tmp_path, epochs=9, seed=1), ModelCard.from_dict(recipe))
    # Epoch 4 of an 8-epoch schedule: the final run stops where the recipe's selected checkpoint was.
    assert (config.epochs, config.schedule_epochs) == (4, 8)
    assert (config.seed, config.batch_size, config.lr, config.head_lr, config.val_fraction) == (21, 8, 5e-5, 2e-3, 0.0)
    assert config.sentence_weight == 0.5
    # A card that chose nothing on held-out articles (itself a final run) cannot be a recipe.
    with pytest.raises(ValueError):
        final_config(config, ModelCard.from_dict({**recipe, "data": {"validation_ids": []}}))


def test_folds_partition_the_articles_the_same_way_each_time():
    from spinlens.training.examples import fold_ids

    ids = [f"a{i:03d}" for i in range(23)]
    folds = [fold_ids(ids, 5, k, seed=13) for k in range(5)]
    validation = [set(val) for _, val in folds]
    assert sorted(a for val in validation for a in val) == ids  # each article validated exactly once
    assert all(set(train).isdisjoint(val) and set(train) | val == set(ids) for (train, _), val in zip(folds, validation))
    assert sorted(len(val) for val in validation) == [4, 4, 5, 5, 5]
    assert fold_ids(list(reversed(ids)), 5, 2, seed=13) == folds[2] and fold_ids(ids, 5, 2, seed=14) != folds[2]
    with pytest.raises(ValueError, match="fold must be 0 to 4"):
        fold_ids(ids, 5, 5, seed=13)
