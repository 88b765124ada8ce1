"""Character-span utilities shared by the stages: offsets into the text exactly as given, never shifted."""

from __future__ import annotations


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "'’-"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span so it never cuts a word in half (word pieces can fire alone)."""
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end]) and end > 0 and _is_word(text[end - 1]):
        end += 1
    return start, end


def lower_same_length(text: str) -> str:
    """Lower-case without changing any offset (a few characters lower to two code points)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
