"""The best valid BIO tag sequence: exact against every sequence of a few tokens."""

import itertools

import numpy as np
import pytest

from spinlens.attribution.data import TAG_INDEX, TAGS
from spinlens.attribution.tag_path import best_valid_tags


def valid(path):
    return all(not TAGS[t].startswith("I-") or (i > 0 and TAGS[path[i - 1]][2:] == TAGS[t][2:]) for i, t in enumerate(path))


def total(log_probs, path):
    return sum(log_probs[i, t] for i, t in enumerate(path))


@pytest.mark.parametrize("seed", range(20))
def test_it_is_the_best_of_all_valid_sequences(seed):
    rng = np.random.default_rng(seed)
    log_probs = rng.normal(size=(int(rng.integers(1, 5)), len(TAGS)))
    best = max((p for p in itertools.product(range(len(TAGS)), repeat=len(log_probs)) if valid(p)), key=lambda p: total(log_probs, p))
    found = best_valid_tags(log_probs).tolist()
    assert valid(found) and total(log_probs, found) == pytest.approx(total(log_probs, best))


def test_a_span_that_the_argmax_opens_with_an_i_tag_gets_its_b_tag():
    o, b_cue, i_cue = TAG_INDEX["O"], TAG_INDEX["B-Cue"], TAG_INDEX["I-Cue"]
    probs = np.full((4, len(TAGS)), 0.01)
    probs[0, o] = probs[3, o] = 0.9
    probs[1, i_cue], probs[1, b_cue] = 0.6, 0.3  # argmax: O I-Cue I-Cue O
    probs[2, i_cue] = 0.9
    assert np.log(probs).argmax(axis=1).tolist() == [o, i_cue, i_cue, o]
    assert best_valid_tags(np.log(probs)).tolist() == [o, b_cue, i_cue, o]
    assert best_valid_tags(np.zeros((0, len(TAGS)))).tolist() == []
