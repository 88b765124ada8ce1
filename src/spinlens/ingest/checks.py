"""Whether a text can be analysed: not empty, not over the length limit, valid Unicode, not binary, English."""

from __future__ import annotations

import re

from ..errors import InputError
from ..types import Article

# Larger texts are refused: about 80,000 words, far past any news article. At this size an analysis
# takes about 20 s and 1.8 GB here (docs/benchmarks.md); a 3 MB text passed 8 GB.
MAX_TEXT_CHARS = 500_000
WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile("[\u0000-\u024f\u1e00-\u1eff]+")  # Basic Latin to Latin Extended-B, Latin Extended Additional
SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters but tab and newline (C0, DEL, C1): nobody's search text, and a terminal obeys them.
CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))
_NOT_ENGLISH = "the text does not look like English; spinlens models are trained on English news"
# Frequent English function words: a text with almost none of them is not English prose.
_ENGLISH = frozenset(
    "the of and to a in is that for it as was with be by on not he i this are or his from at which but "
    "have an they you were her she there been their one all we has would will said can who more its "
    "had if about what when so no up out than them into could other these some our also after over".split()
)
# Frequent function words of the languages most often mistaken for English (German, French, Spanish,
# Italian, Portuguese, Dutch), without the ones English shares ("in", "a", "is", "per" …): a short text
# gives the English list too few words to judge, these say what it is instead.
_FOREIGN = frozenset(
    "der die das und ist nicht ein eine einen einem mit von dem des zu auf für sich auch wird werden sind hat "
    "le la les et est une des du dans qui sur au aux ce cette sont avec pas "
    "el los las y es por una del con para se lo su como pero más "
    "il di che è gli della sono non ha per sul dal nel nella alla anche più questo questa hanno stato tutti dei delle "
    "os da do em não uma com são também mas foi pela pelo está ao às dos das um "
    "de het een en van niet op zijn dat te met voor ook als aan maar wordt heeft "
    "się nie że jest od dla jak już ale przez oraz jego które był była są być "
    "ve bir bu için ile olarak çok daha gibi olan değil ama "
    "và của là các có được trong cho không những một người này đã với".split()
)


def check_text(text: str) -> str:
    """Return the text if it can be analysed, else raise InputError."""
    if not text.strip():
        raise InputError("the input is empty: there is no text to analyse")
    if not any(map(str.isalnum, text)):  # zero-width spaces, a byte-order mark, punctuation
        raise InputError("the input holds no letters or digits: there is no text to analyse")
    check_processable(text)
    # Letters, not words: Chinese and Japanese have no spaces, so they would give too few words to judge.
    letters = sum(map(str.isalpha, text))
    if letters >= 10 and sum(map(str.isalpha, _LATIN.sub("", text))) > letters / 2:
        raise InputError(_NOT_ENGLISH)
    words = [w.lower() for w in WORD.findall(text)]
    english = sum(1 for w in words if w in _ENGLISH)
    if len(words) >= 20:
        latin = sum(1 for w in words if w.isascii())
        if latin / len(words) < 0.5 or english / len(words) < 0.08:
            raise InputError(_NOT_ENGLISH)
    foreign = sum(1 for w in words if w in _FOREIGN)
    if len(words) >= 6 and foreign >= 3 and foreign > 2 * english:  # names alone ("Las Vegas", "El Paso") are not enough
        raise InputError(_NOT_ENGLISH)
    return text


def check_processable(text: str) -> None:
    """Raise InputError for a text no stage should be given, whoever built it: over the length limit
    (memory grows with it), with lone surrogates, or binary."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"the text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    check_unicode(text)
    # Text given as a string (JSON, the library) never met the byte check of files.
    if looks_binary(text):
        raise InputError("the text holds control characters (NUL …): it looks like binary data, not text")


def check_unicode(text: str) -> None:
    """Raise InputError for lone surrogates (possible in JSON strings and Python literals): they cannot
    be encoded, so every later stage would fail on them."""
    if surrogate := SURROGATE.search(text):
        raise InputError(
            f"the text holds a lone surrogate (U+{ord(surrogate.group()):04X}) at character {surrogate.start()}: it is not valid Unicode"
        )


def looks_binary(data: bytes | str) -> bool:
    """A NUL anywhere, or many control codes in the first 8 KB."""
    if (b"\x00" in data) if isinstance(data, bytes) else ("\x00" in data):
        return True
    sample = data[:8192]
    codes = sample if isinstance(sample, bytes) else [ord(c) for c in sample]
    return sum(1 for c in codes if c < 32 and c not in (9, 10, 12, 13)) > len(codes) * 0.05


def from_text(text: str, title: str | None = None, source: str | None = None, url: str | None = None) -> Article:
    return Article(check_text(text), title=title, url=url, source=source)
