"""The hand features of each token that the attribution tagger reads beside the encodings."""

import numpy as np
import pytest

from spinlens.attribution.tagger import AttributionTagger
from spinlens.attribution.token_features import TOKEN_FEATURES, token_features
from spinlens.cards import ModelCard


def pieces(text: str, *parts: str) -> np.ndarray:
    """Offsets of each part, found left to right; "" is a special token (0, 0)."""
    offsets, at = [], 0
    for part in parts:
        if not part:
            offsets.append((0, 0))
            continue
        start = text.index(part, at)
        offsets.append((start, start + len(part)))
        at = start + len(part)
    return np.asarray(offsets, dtype=np.int64)


def named(row: np.ndarray) -> set[str]:
    return {name for name, value in zip(TOKEN_FEATURES, row) if value}


def test_each_token_is_read_by_its_word_and_its_place():
    text = 'Trump\'s aide said: "We won."\nIt was, according to him, over.'
    offsets = pieces(text, "", "Trump", "'s", "aide", "said", ":", '"', "We", "won", ".", '"', "It", "according", "him")
    rows = token_features(text, offsets, {"said", "trump"})
    assert named(rows[0]) == set()  # a special token has no characters
    assert named(rows[1]) == {"reporting_word", "capitalised", "opens_sentence"}  # "Trump's" is read as "trump"
    assert named(rows[2]) == {"reporting_word"}  # a piece of the same word; a straight apostrophe is no quotation mark
    assert named(rows[4]) == {"reporting_word"}
    assert named(rows[5]) == {"colon"}
    assert named(rows[6]) == {"quotation_mark", "in_quotation"}  # the opening mark is part of the quotation
    assert named(rows[7]) == {"in_quotation", "capitalised", "pronoun"}
    assert named(rows[11]) == {"capitalised", "opens_sentence", "pronoun"}  # after a line break
    assert named(rows[12]) == {"according"}
    assert named(rows[13]) == set()


def test_no_tokens_and_odd_text_give_zeros_of_the_right_shape():
    assert token_features("", np.zeros((0, 2), dtype=np.int64), set()).shape == (0, len(TOKEN_FEATURES))
    rows = token_features("a\ud800 said", pieces("a\ud800 said", "a", "\ud800", "said"), {"said"})  # a lone surrogate
    assert rows.shape == (3, len(TOKEN_FEATURES)) and named(rows[2]) == {"reporting_word"}


def test_a_tagger_reads_the_features_its_card_names_or_refuses():
    tags = ["O", "B-Cue", "I-Cue"]
    tagger = AttributionTagger(None, ModelCard(tags=tags, token_features={"names": list(TOKEN_FEATURES), "reporting_words": ["said"]}))
    assert tagger.reporting_words == frozenset({"said"})  # the card's words, not today's lists
    assert AttributionTagger(None, ModelCard(tags=tags)).reporting_words is None  # the encodings alone
    with pytest.raises(ValueError, match="token features"):
        AttributionTagger(None, ModelCard(tags=tags, token_features={"names": ["reporting_word"], "reporting_words": []}))
