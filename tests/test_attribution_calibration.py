"""attributions[].score as the calibrated chance that an attribution is right, and the threshold below which
attributions are left out (min_attribution_score): the maths and the file without the models, then the
option through the Analyzer, the command line, the API and corpus runs."""

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import PROPAGANDA
from spinlens.attribution.calibration import (
    CALIBRATION_FILE,
    FEATURES,
    ScoreCalibration,
    features,
    is_right,
    threshold_for_f1,
)
from spinlens.attribution.data import TAGS
from spinlens.attribution.roles import TagScores
from spinlens.attribution.tagger import AttributionTagger, read_calibration
from spinlens.cards import ModelCard
from spinlens.types import Analysis, Article, Attribution, SentenceScore, TechniqueSpan, TextSpan

WORDS = frozenset({"said", "told", "according", ":"})
TEXT = "Ryabkov said the talks had failed. The ministry planned a trip."


def span(text: str, part: str, after: int = 0) -> TextSpan:
    start = text.index(part, after)
    return TextSpan(start, start + len(part), part)


def attribution(cue: TextSpan, sources=(), contents=(), score: float = 0.5) -> Attribution:
    return Attribution(cue, tuple(sources), tuple(contents), "indirect", "person" if sources else "none", None, (), score)


SAID = attribution(span(TEXT, "said"), [span(TEXT, "Ryabkov")], [span(TEXT, "the talks had failed")], 0.9)
PLANNED = attribution(span(TEXT, "planned"), [span(TEXT, "The ministry")], [span(TEXT, "a trip")], 0.02)  # below any default (the grid starts at 0.05)


def calibration(min_score: float = 0.4, tagger: str = "2026-01-01+00000000") -> ScoreCalibration:
    head = {"mean": [1.0, 2.0, 0.5, 0.5, 0.5], "scale": [2.0, 1.0, 0.5, 0.5, 0.5], "weights": [[1.0], [0.5], [0.2], [0.1], [0.4]], "bias": [1.5]}
    return ScoreCalibration.from_head(head, min_score, tagger, {"note": "made up"}, WORDS)


# --- the maths and the file, no model --------------------------------------------------------------------


def test_the_score_is_a_logistic_regression_over_standardised_features():
    rows = np.array([[0.0, 0.0, 1.0, 1.0, 1.0], [3.0, 4.0, 0.0, 1.0, 0.0]])
    z = ((rows - [1.0, 2.0, 0.5, 0.5, 0.5]) / [2.0, 1.0, 0.5, 0.5, 0.5]) @ [1.0, 0.5, 0.2, 0.1, 0.4] + 1.5
    assert np.allclose(calibration().probabilities(rows), 1 / (1 + np.exp(-z)))
    assert calibration().probabilities(np.zeros((0, len(FEATURES)))).shape == (0,)


def test_features_of_an_attribution():
    # Three word-piece tokens: "Ryabkov", "said", "the talks had failed" as one piece each.
    offsets = np.array([[0, 7], [8, 12], [13, 33]])
    probs = np.full((3, len(TAGS)), 0.02)
    probs[1, TAGS.index("B-Cue")] = 0.80
    probs[1, TAGS.index("I-Cue")] = 0.08
    rows = features([SAID, attribution(span(TEXT, "planned"), score=0.3)], TagScores(offsets, np.log(probs)), WORDS)
    assert rows.shape == (2, len(FEATURES))
    cue = probs[1, [TAGS.index("B-Cue"), TAGS.index("I-Cue")]].sum() / probs[1].sum()
    assert rows[0, 0] == pytest.approx(np.log(0.9 / 0.1)) and rows[0, 1] == pytest.approx(np.log(cue / (1 - cue)))
    assert rows[0, 2:].tolist() == [1.0, 1.0, 1.0]  # a source, a content, "said" reports
    assert rows[1, 0] == pytest.approx(np.log(0.3 / 0.7)) and rows[1, 2:].tolist() == [0.0, 0.0, 0.0]
    assert rows[1, 1] == pytest.approx(np.log(1e-4 / (1 - 1e-4)))  # no token of its own: clipped, not infinite


def test_calibrated_replaces_the_score_and_keeps_the_rest():
    offsets = np.array([[0, 7], [8, 12], [13, 33]])
    logits = np.zeros((3, len(TAGS)))
    out = calibration().calibrated(offsets, logits, [SAID])
    expected = calibration().probabilities(features([SAID], TagScores(offsets, logits), WORDS))[0]
    assert out[0].score == round(float(expected), 4) and out[0].cue == SAID.cue and out[0].sources == SAID.sources


@pytest.mark.parametrize(("cue", "sources", "right"), [
    ((8, 12), [(0, 7)], True),  # the gold cue and source
    ((8, 12), [], True),  # no source to be wrong about
    ((8, 12), [(20, 25)], False),  # the right cue, another speaker
    ((10, 30), [(2, 5)], True),  # overlaps are enough
    ((40, 45), [(0, 7)], False),  # no gold cue there
])
def test_right_means_the_cue_and_where_both_name_one_the_source(cue, sources, right):
    gold = [([(8, 12)], [(0, 7)]), ([(50, 55)], [])]
    assert is_right(cue, sources, gold) is right


def test_a_gold_attribution_without_a_source_takes_any_source():
    assert is_right((50, 55), [(60, 70)], [([(50, 55)], [])])


def test_the_threshold_keeps_the_attributions_with_the_best_f1():
    scores = np.array([0.1, 0.25, 0.35, 0.5, 0.7, 0.9])
    right = np.array([0, 0, 1, 1, 0, 1])
    grid = (0.6, 0.2, 0.4, 0.3, 0.05)
    # F1 = 2 × right kept / (kept + gold), with 4 gold: from 0.05 6/10, 0.2 6/9, 0.3 6/8, 0.4 4/7, 0.6 2/6
    assert threshold_for_f1(scores, right, 4, grid) == 0.3
    # Every one right: keeping all is best; with no gold at all, the lowest of the ties
    assert threshold_for_f1(scores, np.ones(6), 6, grid) == 0.05
    assert threshold_for_f1(scores, np.zeros(6), 0, grid) == 0.05


def test_the_file_round_trips(tmp_path):
    path = tmp_path / CALIBRATION_FILE
    path.write_text(calibration().to_json(), encoding="utf-8")
    read = ScoreCalibration.read(path)
    rows = np.random.default_rng(0).normal(size=(5, len(FEATURES)))
    assert np.allclose(read.probabilities(rows), calibration().probabilities(rows), atol=1e-6)
    assert (read.min_score, read.tagger, read.reporting_words, read.record) == (0.4, "2026-01-01+00000000", WORDS, {"note": "made up"})


@pytest.mark.parametrize("change", [
    {"features": ["logit_mean_score"]}, {"weights": [1.0, 2.0]}, {"scale": [1.0, 0.0, 1.0, 1.0, 1.0]}, {"min_score": 1.5},
    {"reporting_words": "said"}, {"mean": [1.0, None, 1.0, 1.0, 1.0]},
])
def test_a_file_of_something_else_is_refused(tmp_path, change):
    path = tmp_path / CALIBRATION_FILE
    path.write_text(json.dumps({**json.loads(calibration().to_json()), **change}), encoding="utf-8")
    with pytest.raises((ValueError, TypeError)):
        ScoreCalibration.read(path)


def test_a_calibration_fitted_on_another_tagger_is_refused(tmp_path):
    card = ModelCard(version="2026-02-02+11111111")
    assert read_calibration(tmp_path, card) is None  # none there: the uncalibrated mean
    (tmp_path / CALIBRATION_FILE).write_text(calibration(tagger="2026-02-02+11111111").to_json(), encoding="utf-8")
    assert read_calibration(tmp_path, card) is not None
    with pytest.raises(ValueError, match="fitted on tagger 2026-02-02"):
        read_calibration(tmp_path, ModelCard(version="2026-03-03+22222222"))


def test_the_claims_and_voices_follow_the_attributions_kept():
    from spinlens.pipeline import keep_attributions, with_attributions

    technique = TechniqueSpan(TEXT.index("a trip"), TEXT.index("a trip") + 6, "Loaded_Language", 0.5, 0.5, probability=0.5)
    sentences = tuple(SentenceScore(start, end, 0.1) for start, end in ((0, 34), (35, len(TEXT))))
    analysis = with_attributions(Analysis(Article(TEXT), (technique,), sentences, model={"attribution": "x"}), (SAID, PLANNED))
    assert analysis.techniques[0].voice == "quoted" and analysis.techniques[0].attribution == 1
    kept = keep_attributions(analysis, 0.4)
    assert kept.attributions == (SAID,) and kept.techniques[0].voice == "author" and kept.model["min_attribution_score"] == "0.4"
    assert all(s.claim is None or s.claim.attribution in (None, 0) for s in kept.sentences)
    assert keep_attributions(analysis, 0.0).attributions == (SAID, PLANNED)
    assert keep_attributions(kept, 0.1).model["min_attribution_score"] == "0.4"  # a lower value keeps no more
    assert keep_attributions(Analysis(Article(TEXT)), 0.5) == Analysis(Article(TEXT))  # no attribution stage: unchanged


# --- the option, with the shipped models -----------------------------------------------------------------


def test_the_shipped_tagger_is_calibrated_with_a_default():
    from spinlens.loaders import attribution_tagger

    tagger = attribution_tagger()
    assert tagger.calibration is not None and tagger.calibration.tagger == tagger.card.version
    assert tagger.min_score is not None and 0 < tagger.min_score < 1


@pytest.fixture
def two_attributions(monkeypatch):
    """The tagger finds SAID (0.9) and PLANNED (0.02) in TEXT (and nothing elsewhere), whatever the model says."""
    monkeypatch.setattr(AttributionTagger, "extract", lambda self, text, offsets, encodings: [SAID, PLANNED] if text == TEXT else [])


def test_the_default_leaves_a_low_score_out_and_zero_keeps_it(two_attributions):
    from spinlens import Analyzer
    from spinlens.loaders import attribution_tagger

    default = Analyzer().analyze(TEXT)
    assert default.attributions == (SAID,) and default.model["min_attribution_score"] == str(attribution_tagger().min_score)
    everything = Analyzer(min_attribution_score=0).analyze(TEXT)
    assert everything.attributions == (SAID, PLANNED) and everything.model["min_attribution_score"] == "0.0"
    assert Analyzer(min_attribution_score=0.95).analyze(TEXT).attributions == ()
    assert "min_attribution_score" not in Analyzer(attribution=False).analyze(TEXT).model


def test_an_analyzer_with_a_threshold_and_keep_attributions_agree():
    from spinlens import Analyzer
    from spinlens.pipeline import keep_attributions

    article = (Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "opinion.txt").read_text(encoding="utf-8")
    everything = Analyzer(min_attribution_score=0).analyze(article)
    for threshold in (0.4, 0.8):
        assert keep_attributions(everything, threshold).to_dict() == Analyzer(min_attribution_score=threshold).analyze(article).to_dict()


@pytest.mark.parametrize("value", [-0.1, 1.5, "0.5", True])
def test_a_threshold_outside_zero_to_one_is_refused(value):
    from spinlens import Analyzer

    with pytest.raises(ValueError, match="min_attribution_score"):
        Analyzer(min_attribution_score=value)


def test_cli_min_attribution_score(tmp_path, two_attributions):
    from test_cli import one_line_error, spinlens

    source = tmp_path / "texts" / "article.txt"
    source.parent.mkdir()
    source.write_text(TEXT, encoding="utf-8")
    result = spinlens("analyze", source, "--format", "json", "--min-attribution-score", "0")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["attributions"]) == 2
    assert len(json.loads(spinlens("analyze", source, "--format", "json").stdout)["attributions"]) == 1
    message = b"--min-attribution-score must be a probability from 0 to 1"
    assert one_line_error(spinlens("analyze", source, "--min-attribution-score", "2"), message)
    assert one_line_error(spinlens("batch", source, "--db", f"sqlite:///{tmp_path / 'b.db'}", "--min-attribution-score", "-1"), message)
    assert not (tmp_path / "b.db").exists()  # refused before the database is made
    assert one_line_error(spinlens("predict", "brat", "--texts", source.parent, "--out", tmp_path / "ann", "--min-attribution-score", "1.5"), message)
    # The benchmark's answer keeps what an analysis keeps, and every attribution with 0.
    def cues(*options: str) -> int:
        assert spinlens("predict", "brat", "--texts", source.parent, "--out", tmp_path / "ann", *options).returncode == 0
        lines = (tmp_path / "ann" / "article.ann").read_text(encoding="utf-8").splitlines()
        return sum(line.split("\t")[1].startswith("Cue ") for line in lines if line.startswith("T"))

    assert (cues(), cues("--min-attribution-score", "0")) == (1, 2)


def test_api_min_attribution_score(tmp_path, two_attributions):
    from spinlens.server.app import create_app
    from test_server import ready_client

    client = ready_client(create_app(f"sqlite:///{tmp_path / 'm.db'}"))
    default = client.post("/api/analyze", json={"text": TEXT}).json()
    assert [a["cue"]["text"] for a in default["attributions"]] == ["said"]
    none = client.post("/api/analyze", json={"text": TEXT, "min_attribution_score": 0.95}).json()
    assert none["attributions"] == [] and none["model"]["min_attribution_score"] == "0.95"
    assert all(s["claim"]["status"] != "attributed" for s in none["sentences"])
    lower = client.post("/api/analyze", json={"text": TEXT, "min_attribution_score": 0}).json()
    assert lower["attributions"] == default["attributions"]  # the stored analysis: a lower value keeps no more
    assert client.post("/api/analyze", json={"text": TEXT, "min_attribution_score": 3}).status_code == 422


def test_batch_min_attribution_score_stores_what_it_asks_for(tmp_path, two_attributions):
    from conftest import batch_one

    analysis = batch_one(tmp_path, TEXT, min_attribution_score=0.0)
    assert len(analysis.attributions) == 2 and analysis.model["min_attribution_score"] == "0.0"


def test_the_propaganda_example_keeps_only_attributions_from_the_default():
    from spinlens import Analyzer
    from spinlens.loaders import attribution_tagger

    default = attribution_tagger().min_score
    assert all(a.score >= default for a in Analyzer().analyze(PROPAGANDA).attributions)
