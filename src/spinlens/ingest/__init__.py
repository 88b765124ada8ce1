"""Text, file, HTML and URL -> Article, refusing what cannot be analysed with a one-line reason.

The modules, each using only those before it: `checks` (length, Unicode, binary, English), `html` (a page's
article text), `decode` (bytes, charsets, files, pipes, stdin), `web` (URLs, fetched safely: no private addresses); and
`titles` (the title an article is known by: its own, its headline, its file's name).
"""

from __future__ import annotations

import re

from ..types import Article
from .checks import CONTROL_CHARACTERS, MAX_TEXT_CHARS, SURROGATE, check_processable, check_text, check_unicode, from_text
from .decode import MAX_BYTES, PIPE_WAIT, decode_bytes, from_bytes, from_file, from_stdin, looks_like_html
from .html import MIN_HTML_WORDS, from_html
from .titles import MAX_HEADLINE_CHARS, article_title, display_title, headline, name_title, opening
from .web import FETCH_DEADLINE, FETCH_TIMEOUT, MAX_REDIRECTS, Download, check_address, fetch, from_url

__all__ = [
    "CONTROL_CHARACTERS", "FETCH_DEADLINE", "FETCH_TIMEOUT", "MAX_BYTES", "MAX_HEADLINE_CHARS", "MAX_REDIRECTS",
    "MAX_TEXT_CHARS", "MIN_HTML_WORDS", "PIPE_WAIT", "SURROGATE", "Download", "article_title", "check_address",
    "check_processable", "check_text", "check_unicode", "decode_bytes", "display_title", "fetch", "from_bytes",
    "from_file", "from_html", "from_stdin", "from_text", "from_url", "headline", "load", "looks_like_html",
    "name_title", "opening",
]


def load(source: str, allow_private: bool = False) -> Article:
    """`-` for stdin, an http(s) URL, or a file path."""
    if source == "-":
        return from_stdin()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        return from_url(source, allow_private=allow_private)
    return from_file(source)
