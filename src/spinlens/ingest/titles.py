"""An article's title, for the pages, the reports and the store: the one it came with (an HTML page's, a JSON
Lines record's, a request's), else its text's first line when that reads as a headline (as a PTC file's
does), else the name of the file it came from, else its URL. Nothing here changes an article's text: a
headline found in it stays its first line, and every offset holds."""

from __future__ import annotations

import re
from pathlib import PurePath

from ..sentences import ENDS_SENTENCE, after_abbreviation
from ..types import Article

MAX_HEADLINE_CHARS = 200  # a longer first line is a paragraph, not a headline
_LINES = re.compile(r"\r\n|\r|\n")
_NAMELESS = ("-", "standard input")  # what from_stdin and the CLI call standard input


def headline(text: str) -> str | None:
    """The text's first line (blank lines before it passed over) when it reads as a headline: at most
    MAX_HEADLINE_CHARS characters with a letter in them, not ending a sentence with a full stop ("Dept." or
    "U.S." are abbreviations, "!" and "?" end headlines too), not running on (a comma or a semicolon), and
    followed by a blank line or by a paragraph (a line that starts with no lower-case letter and ends a
    sentence), not by the rest of a line broken in two."""
    lines = _LINES.split(text.lstrip(" \t\r\n"), 2)
    first = lines[0].strip()
    if not first or len(first) > MAX_HEADLINE_CHARS or not any(map(str.isalpha, first)):
        return None
    if first.endswith((",", ";")) or (first.endswith(".") and not first.endswith("..") and not after_abbreviation(first, len(first))):
        return None
    if len(lines) < 2:
        return None  # the whole text is one line
    following = lines[1].strip()
    if not following:  # a blank line, and then the text
        return first if len(lines) > 2 and lines[2].strip() else None
    if following[0].islower() or not ENDS_SENTENCE.search(following):
        return None
    return first


def name_title(source: str | None) -> str | None:
    """The name of the file an article came from ("article111111111.txt", "records.jsonl:12"); a URL whole;
    None for standard input."""
    if not source or source in _NAMELESS:
        return None
    if "://" in source:
        return source
    return PurePath(source).name or source


def article_title(article: Article) -> str | None:
    """The title an article is known by: its own, else its headline, else its file's name, else its URL;
    None for a text given with none of them (pasted, or sent to the API) whose first line is no headline."""
    return article.title or headline(article.text) or name_title(article.source) or article.url


def opening(text: str, limit: int = 80) -> str:
    """The first words of a text (its first line with any), cut at a word near `limit` characters: what a
    page shows for an article that has no title."""
    line = next((line.strip() for line in _LINES.split(text) if line.strip()), "")
    words = " ".join(line.split())
    if len(words) <= limit:
        return words
    cut = words[:limit].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(",;:.-–— ") + "…"


def display_title(article: Article) -> str:
    """The heading of an article's page or report: article_title, else the text's first words."""
    return article_title(article) or opening(article.text) or "Article"
