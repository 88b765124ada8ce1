"""Hand features of each word-piece token that the attribution tagger reads beside the encoder's encodings.

The encoder was fine-tuned to spot propaganda; these say what attribution turns on and such an encoder may no
longer carry: a reporting word ("said", "according"), the inside of a quotation, a quotation mark or colon, a
capital, the start of a sentence, a pronoun. The reporting words come from the tagger's card, so a tagger
always reads the features it was trained on, whatever later becomes of the claims' word lists.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np

from ..arrays import BoolArray, FloatArray, IntArray
from ..spans import quote_mask

# In the order of the tagger's input columns.
TOKEN_FEATURES: tuple[str, ...] = (
    "reporting_word", "in_quotation", "quotation_mark", "colon", "capitalised", "opens_sentence", "pronoun", "according",
)
_WORD = re.compile(r"[\w'’-]+")
_QUOTATION_MARKS = "\"“”‘’«»"
_PRONOUNS = frozenset(("he", "she", "they", "i", "we", "it", "who"))


def token_features(text: str, offsets: IntArray, reporting_words: Collection[str]) -> FloatArray:
    """(tokens, len(TOKEN_FEATURES)) 0/1 features; a token is read by the word its first character falls in
    (a possessive 's dropped: "Trump's" is "trump"). Tokens without characters (special tokens) are all 0."""
    out = np.zeros((len(offsets), len(TOKEN_FEATURES)), dtype=np.float32)
    if len(offsets) == 0 or not text:
        return out
    starts, ends = offsets[:, 0].astype(np.int64), offsets[:, 1].astype(np.int64)
    real = ends > starts
    matches = list(_WORD.finditer(text))
    words = [m.group().lower() for m in matches]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    word_starts = np.asarray([m.start() for m in matches], dtype=np.int64)
    word_ends = np.asarray([m.end() for m in matches], dtype=np.int64)
    index = np.searchsorted(word_starts, starts, side="right") - 1
    in_word = real & (index >= 0)
    in_word[in_word] &= word_ends[index[in_word]] > starts[in_word]

    def per_word(kinds: Collection[str]) -> FloatArray:
        flags = np.asarray([w in kinds for w in words] + [False], dtype=np.float32)  # the last: no word
        return np.where(in_word, flags[np.where(in_word, index, -1)], 0.0)

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # a code point a character

    def any_char(chars: str) -> BoolArray:
        hits = np.concatenate([[0], np.cumsum(np.isin(codes, [ord(c) for c in chars]))])
        found: BoolArray = ((hits[ends] - hits[starts]) > 0) & real
        return found

    # The character before each token, blanks skipped: -1 at the text's start.
    positions = np.arange(len(codes))
    last_filled = np.maximum.accumulate(np.where(np.isin(codes, [ord(" "), ord("\t")]), -1, positions))
    previous = np.where(starts > 0, last_filled[np.maximum(starts - 1, 0)], -1)
    opens = (previous < 0) | np.isin(codes[np.maximum(previous, 0)], [ord(c) for c in "\n.!?"])

    out[:, 0] = per_word(frozenset(reporting_words))
    out[:, 1] = quote_mask(text)[np.minimum(starts, len(text) - 1)] & real
    out[:, 2] = any_char(_QUOTATION_MARKS)
    out[:, 3] = any_char(":")
    out[:, 4] = [bool(r) and text[s].isupper() for r, s in zip(real, starts)]
    out[:, 5] = opens & real
    out[:, 6] = per_word(_PRONOUNS)
    out[:, 7] = per_word(("according",))
    return out
