import random
import subprocess
import sys

import pytest

from conftest import SHARED
from spinlens.evaluate.ptc import flc_score, merge_spans, si_score, tc_score
from spinlens.formats.ptc import LabelledSpan as L


def test_merge_joins_overlaps_but_not_touching_spans():
    assert merge_spans([(5, 10), (0, 3), (8, 12), (12, 14)]) == [(0, 3), (5, 12), (12, 14)]


def test_si_partial_overlap_by_hand():
    gold = [L("1", 0, 10), L("1", 20, 30)]
    predicted = [L("1", 5, 15)]  # 5 of 10 predicted chars are right; covers half of the first gold span
    r = si_score(predicted, gold)
    assert r.precision == pytest.approx(0.5)
    assert r.recall == pytest.approx(0.25)  # (0.5 + 0) / 2
    assert r.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_si_gold_overlaps_are_merged_and_articles_kept_apart():
    gold = [L("1", 0, 10), L("1", 5, 20), L("2", 0, 10)]
    predicted = [L("1", 0, 20), L("3", 0, 10)]
    r = si_score(predicted, gold)
    assert r.gold == 2 and r.predicted == 2
    assert r.precision == pytest.approx(0.5) and r.recall == pytest.approx(0.5)


def test_si_empty_prediction_scores_zero():
    assert si_score([], [L("1", 0, 5)]).f1 == 0.0


def test_tc_counts_multisets():
    gold = [L("1", 0, 5, "Doubt"), L("1", 0, 5, "Slogans"), L("1", 9, 12, "Repetition")]
    predicted = [L("1", 0, 5, "Slogans"), L("1", 0, 5, "Slogans"), L("1", 9, 12, "Doubt")]
    accuracy, per = tc_score(predicted, gold)
    assert accuracy == pytest.approx(1 / 3)
    assert per["Slogans"].recall == 1.0 and per["Doubt"].recall == 0.0


def test_flc_only_same_technique_overlaps_count():
    gold = [L("1", 0, 10, "Doubt")]
    assert flc_score([L("1", 0, 10, "Slogans")], gold).overall.f1 == 0.0
    result = flc_score([L("1", 0, 10, "Doubt"), L("1", 20, 30, "Slogans")], gold)
    assert result.overall.precision == pytest.approx(0.5)
    assert result.overall.recall == pytest.approx(1.0)
    assert result.per_technique["Doubt"].f1 == pytest.approx(1.0)


def _random_spans(rng, techniques, n):
    out = []
    for _ in range(n):
        start = rng.randrange(0, 500)
        out.append(L(str(rng.randrange(3)), start, start + rng.randrange(1, 60), rng.choice(techniques)))
    return out


@pytest.mark.skipif(not (SHARED / "tools" / "ptc_score.py").exists(), reason="reference scorer not beside the checkout")
def test_agrees_with_reference_scorer(tmp_path):
    rng = random.Random(7)
    techniques = ["Doubt", "Slogans", "Loaded_Language"]
    gold = _random_spans(rng, techniques, 40)
    predicted = _random_spans(rng, techniques, 50)
    template_answers = [L(g.article_id, g.start, g.end, rng.choice(techniques)) for g in gold]
    write = lambda path, spans: path.write_text("".join(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in spans))
    write(tmp_path / "gold", gold)
    write(tmp_path / "pred", predicted)
    write(tmp_path / "tc", template_answers)
    # The reference SI scorer reads gold in the 3-column SI form.
    (tmp_path / "gold_si").write_text("".join(f"{s.article_id}\t{s.start}\t{s.end}\n" for s in gold))

    def reference(task, pred):
        gold_file = tmp_path / ("gold_si" if task == "si" else "gold")
        out = subprocess.run([sys.executable, str(SHARED / "tools" / "ptc_score.py"), task, str(pred), str(gold_file)],
                             capture_output=True, text=True, check=True).stdout
        return float(out.strip().splitlines()[-1].split("=")[1])

    assert round(si_score(predicted, gold).f1, 4) == reference("si", tmp_path / "pred")
    assert round(flc_score(predicted, gold).overall.f1, 4) == reference("flc", tmp_path / "pred")
    assert round(tc_score(template_answers, gold)[0], 4) == reference("tc", tmp_path / "tc")


def test_overlap_sums_add_up_to_the_corpus_score():
    from spinlens.evaluate.ptc import overlap_sums, prf_from_sums

    # Article 1 by hand: the prediction [0, 10) covers gold [0, 4) and [6, 10), so it earns 8/10
    # toward precision and both gold spans are fully recalled.
    assert overlap_sums([(0, 10)], [(0, 4), (6, 10)]) == (0.8, 2.0, 1, 2)
    assert overlap_sums([], [(0, 5)]) == (0.0, 0.0, 0, 1)
    totals = [a + b for a, b in zip(overlap_sums([(0, 10)], [(0, 4), (6, 10)]), overlap_sums([], [(0, 5)]))]
    corpus = si_score([L("1", 0, 10)], [L("1", 0, 4), L("1", 6, 10), L("2", 0, 5)])
    assert prf_from_sums(*totals) == corpus
    assert corpus.precision == pytest.approx(0.8) and corpus.recall == pytest.approx(2 / 3)


def test_crossfitted_si_exposes_settings_that_only_fit_the_articles_they_were_chosen_on():
    import numpy as np

    from spinlens.training.tuning import crossfit_f1

    # Two decode settings, two articles: each setting is perfect on one article and empty-handed on the
    # other. Chosen and scored on both, either gives F1 0.5; chosen on one article and scored on the
    # other, the choice is always wrong.
    sums = np.array([[(1, 1, 1, 1), (0, 0, 1, 1)], [(0, 0, 1, 1), (1, 1, 1, 1)]], dtype=float)
    assert crossfit_f1(sums) == 0.0
    # A setting that is best on every article is chosen on any half: cross-fitted equals in-sample.
    dominant = np.array([[(1, 1, 2, 1), (1, 1, 2, 1)], [(0, 0, 1, 1), (0, 0, 1, 1)]], dtype=float)
    assert crossfit_f1(dominant) == pytest.approx(2 * 0.5 * 1 / 1.5)
