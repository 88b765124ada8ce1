"""How many flags a user sees: the judge's default, and --min-probability / min_probability to see more or fewer."""

import json

import pytest

from conftest import PROPAGANDA, batch_one
from spinlens import Analyzer
from spinlens.loaders import technique_model
from spinlens.models import TECHNIQUES as SHIPPED


@pytest.fixture(scope="module")
def everything():
    """Every (fragment, technique) pair the shipped judge gives the example, down to probability 0."""
    return Analyzer(min_probability=0.0, attribution=False).analyze(PROPAGANDA)


def test_the_shipped_model_has_a_judge_with_a_default():
    model = technique_model(SHIPPED)
    judge = model.judge
    assert judge is not None and 0 < judge.min_probability < 1 and 0 < judge.flc_min_probability <= judge.min_probability
    assert judge.si_threshold is not None and model.si_settings.threshold == judge.si_threshold  # chosen on the folds


def test_every_flag_has_a_probability_and_the_default_shows_those_above_it(everything):
    default = technique_model(SHIPPED).min_probability
    shown = Analyzer(attribution=False).analyze(PROPAGANDA).techniques
    assert all(t.probability is not None and 0 <= t.probability <= 1 for t in everything.techniques)
    assert len(everything.techniques) == 14 * len({(t.start, t.end) for t in everything.techniques})  # each technique once a fragment
    expected = [(t.start, t.end, t.technique) for t in everything.techniques if t.probability >= default]
    assert sorted((t.start, t.end, t.technique) for t in shown) == sorted(expected)


def test_a_higher_threshold_shows_fewer(everything):
    probabilities = sorted({t.probability for t in everything.techniques})
    middle = probabilities[len(probabilities) // 2]
    shown = Analyzer(min_probability=middle, attribution=False).analyze(PROPAGANDA).techniques
    assert 0 < len(shown) < len(everything.techniques) and min(t.probability for t in shown) >= middle


@pytest.mark.parametrize("value", [-0.1, 1.5, "0.5", True])
def test_a_threshold_outside_zero_to_one_is_refused(value):
    with pytest.raises(ValueError, match="min_probability"):
        Analyzer(min_probability=value)


def test_cli_min_probability(tmp_path, everything):
    from test_cli import spinlens

    source = tmp_path / "article.txt"
    source.write_text(PROPAGANDA, encoding="utf-8")
    result = spinlens("analyze", source, "--format", "json", "--out", tmp_path / "all.json", "--min-probability", "0", "--no-attribution")
    assert result.returncode == 0, result.stderr
    assert len(json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["techniques"]) == len(everything.techniques)
    refused = spinlens("analyze", source, "--min-probability", "2")
    assert refused.returncode == 2 and b"min-probability" in refused.stderr


def test_api_min_probability_shows_fewer(tmp_path, everything):
    from spinlens.server.app import create_app
    from test_server import ready_client

    client = ready_client(create_app(f"sqlite:///{tmp_path / 'm.db'}"))
    default = client.post("/api/analyze", json={"text": PROPAGANDA}).json()["techniques"]
    top = max(t.probability for t in everything.techniques)
    fewer = client.post("/api/analyze", json={"text": PROPAGANDA, "min_probability": top}).json()["techniques"]
    assert len(fewer) <= len(default) and all(t["probability"] >= top for t in fewer)
    assert client.post("/api/analyze", json={"text": PROPAGANDA, "min_probability": 3}).status_code == 422


def test_batch_min_probability_stores_what_it_asks_for(tmp_path, everything):
    analysis = batch_one(tmp_path, PROPAGANDA, min_probability=0.0)
    assert len(analysis.techniques) == len(everything.techniques) and analysis.model["min_probability"] == "0.0"


def test_predict_ptc_flc_decodes_its_own_fragments_with_its_own_heads():
    """FLC lines come from fragments decoded at the judge's FLC token threshold, judged by the FLC presence
    head, both chosen on the folds; an analysis shows the card's fragments."""
    from dataclasses import replace

    from spinlens.techniques.inference import find_fragments

    model = technique_model(SHIPPED)
    judge = model.judge
    assert judge is not None and judge.flc_fragment_threshold is not None and judge.flc_presence is not None
    assert judge.flc_fragment_threshold < model.settings.threshold  # the analysis keeps the card's
    outputs = model.run([PROPAGANDA])[0]
    own = find_fragments(outputs, replace(model.settings, threshold=judge.flc_fragment_threshold), model.feature_weights,
                         model.fragment_calibration, judge.for_flc())
    expected = sorted((f.start, f.end, t) for f in own for t, _, _ in f.flags(judge.flc_min_probability))
    assert sorted((line.start, line.end, line.technique) for line in model.flc_labels("a", outputs)) == expected
    assert {(f.start, f.end) for f in own} != {(f.start, f.end) for f in model.fragments(outputs)}
