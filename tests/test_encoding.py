import re

import numpy as np
import pytest

from spinlens.spans import lower_same_length, snap_to_words
from spinlens.techniques.decoding import DecodeSettings, decode_spans, span_features
from spinlens.techniques.encoding import gather_windows, token_range, window_ranges


@pytest.mark.parametrize("n", [0, 1, 254, 255, 600, 5000])
def test_windows_cover_every_token_without_truncation(n):
    ranges = window_ranges(n)
    covered = np.zeros(n, dtype=int)
    for s, e in ranges:
        assert e - s <= 254
        covered[s:e] += 1
    assert (covered >= 1).all()
    assert all(b[0] < a[1] for a, b in zip(ranges, ranges[1:])), "neighbouring windows overlap"


def test_gather_averages_overlapping_windows():
    merged = gather_windows(4, [(0, 3), (2, 4)], [np.array([1.0, 1.0, 1.0]), np.array([0.0, 0.0])])
    assert merged.tolist() == [1.0, 1.0, 0.5, 0.0]


def test_token_range_maps_characters_to_tokens():
    offsets = np.array([[0, 4], [5, 9], [10, 12]])
    assert token_range(offsets, 5, 9) == (1, 2)
    assert token_range(offsets, 3, 11) == (0, 3)
    assert token_range(offsets, 12, 20) == (3, 3)


def test_decode_joins_runs_snaps_words_and_drops_tiny_spans():
    text = "aa bbbb cccc dd e"
    offsets = np.array([[0, 2], [3, 5], [5, 7], [8, 12], [13, 15], [16, 17]])
    probs = np.array([0.1, 0.9, 0.2, 0.8, 0.1, 0.9])
    spans = decode_spans(text, offsets, probs, DecodeSettings(threshold=0.5, merge_gap=3, min_chars=2))
    # "bb" grows to the word "bbbb" and joins "cccc" one space away; the lone "e" is too short.
    assert [(s, e) for s, e, _ in spans] == [(3, 12)]
    assert spans[0][2] == pytest.approx(np.mean([0.9, 0.2, 0.8]))


def test_decode_never_merges_across_a_line_break():
    text = "aaaa\nbbbb"
    offsets = np.array([[0, 4], [5, 9]])
    spans = decode_spans(text, offsets, np.array([0.9, 0.9]), DecodeSettings(0.5, 5, 1))
    assert [(s, e) for s, e, _ in spans] == [(0, 4), (5, 9)]


def test_decode_keeps_fragments_within_a_sentence():
    # A paragraph of propaganda came out as one fragment over all its sentences (PTC, where the model
    # learnt, has a sentence per line); "Mr. Smith" does not end a sentence.
    text = "They lie. Mr. Smith lies too. Evil!"
    offsets = np.array([m.span() for m in re.finditer(r"\w+|[^\w\s]", text)])
    for settings in (DecodeSettings(0.5, 0, 1), DecodeSettings(0.5, 100, 1)):  # runs, and merges of runs
        probs = np.full(len(offsets), 0.9)
        if settings.merge_gap:
            probs[[2, 8]] = 0.1  # the full stops: the runs around them could only be merged
        spans = [text[s:e] for s, e, _ in decode_spans(text, offsets, probs, settings)]
        assert spans[0].startswith("They lie") and "Mr. Smith lies too" in spans[1] and spans[-1].startswith("Evil"), spans
        assert len(spans) == 3


def test_snap_to_words():
    assert snap_to_words("unbelievable claims", 2, 6) == (0, 12)


def test_lowering_keeps_offsets():
    text = "İstanbul SAID"
    assert len(lower_same_length(text)) == len(text)
    assert lower_same_length(text).endswith("said")


def test_repeated_fragments_are_counted():
    lowered = "evil is evil and evil"
    assert span_features(lowered, 0, 4)[0] == pytest.approx(np.log1p(2))
    assert span_features(lowered, 5, 7)[0] == 0.0  # too short to count


def test_calibration_error_and_platt_fit():
    from spinlens.formats.ptc import LabelledSpan
    from spinlens.techniques.inference import Fragment
    from spinlens.training.tuning import _platt, expected_calibration_error, fragment_truth

    assert expected_calibration_error(np.array([0.9, 0.9]), np.array([1.0, 1.0])) == pytest.approx(0.1)
    assert expected_calibration_error(np.array([0.2, 0.8]), np.array([0.0, 1.0])) == pytest.approx(0.2)
    rng = np.random.default_rng(0)
    raw = rng.uniform(0.05, 0.95, 4000)
    truth = (rng.uniform(size=4000) < raw ** 2).astype(float)  # raw scores are overconfident
    calibration = _platt(raw, truth)
    assert expected_calibration_error(calibration(raw), truth) < expected_calibration_error(raw, truth) / 2
    fragments = [("1", Fragment(0, 10, 0.5, np.zeros(14))), ("1", Fragment(20, 24, 0.5, np.zeros(14)))]
    assert fragment_truth(fragments, [LabelledSpan("1", 5, 22)]).tolist() == [0.5, 0.5]


def test_smoothing_closes_one_token_gaps():
    text = "aa bb cc dd ee"
    offsets = np.array([[0, 2], [3, 5], [6, 8], [9, 11], [12, 14]])
    probs = np.array([0.0, 0.9, 0.3, 0.9, 0.0])
    plain = decode_spans(text, offsets, probs, DecodeSettings(0.35, 0, 1, 1))
    smoothed = decode_spans(text, offsets, probs, DecodeSettings(0.35, 0, 1, 3))
    assert [(s, e) for s, e, _ in plain] == [(3, 5), (9, 11)]
    assert [(s, e) for s, e, _ in smoothed] == [(3, 11)]


def test_tokens_keep_the_combining_marks_after_them():
    # The tokenizer strips accents, so "history" + U+0301 ended its token before the accent and every span
    # ending on that word (technique, source, speaker) cut the accent off.
    from spinlens.loaders import technique_model
    from spinlens.techniques.encoding import cover_marks, encode

    text = "the history\u0301 of Larijani\u0301, cafe\u0301s and x\u0301\u0302 end"
    pieces = [text[a:b] for a, b in encode(technique_model().tokenizer, text).offsets]
    assert "history\u0301" in pieces and "cafe\u0301s" in pieces and "x\u0301\u0302" in pieces
    assert not any(text[b:b + 1] and text[b] in "\u0301\u0302" for _, b in encode(technique_model().tokenizer, text).offsets)
    # A mark inside a token's range stays where it is; text without marks is left alone.
    assert cover_marks("e\u0301x", np.array([[0, 3]])).tolist() == [[0, 3]]
    plain = np.array([[0, 3], [4, 8]])
    assert cover_marks("the word", plain) is plain
