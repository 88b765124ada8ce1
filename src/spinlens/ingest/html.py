"""HTML -> Article: the page's main text, title and metadata, extracted with trafilatura."""

from __future__ import annotations

import re

from ..errors import InputError
from ..sentences import ENDS_SENTENCE
from ..types import Article
from .checks import WORD, check_text

MIN_HTML_WORDS = 25  # less than this from a page is navigation or debris, not an article
_STRAY_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_Q_TAG = re.compile(r"<(/?)q(?:\s[^>]*)?>", re.IGNORECASE)


def from_html(html: str, url: str | None = None, source: str | None = None) -> Article:
    """Extract the main text with trafilatura; offsets then refer to that extracted text."""
    import trafilatura  # lazy: trafilatura (lxml …) adds about 0.1 s to every start; only pages need it

    # What browsers do and lxml does not: a stray </body> or </html> mid-page ends nothing (lxml dropped
    # every paragraph after it), and <q> shows its quotation marks (lxml's text lost them).
    html = _STRAY_END.sub("", html)
    html = _Q_TAG.sub(lambda m: "”" if m.group(1) else "“", html)
    try:
        # htmldate's fast mode: dates from markup (meta tags, JSON-LD, <time>, the URL) but no guessing from free
        # text, where a footer's "© 2024" would become 2024-01-01; original_date prefers publication to update.
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # trafilatura raises many kinds on broken markup
        raise InputError(f"the HTML could not be parsed: {type(error).__name__}") from None
    if document is None:
        raise InputError("no article text found in the HTML")
    data = document if isinstance(document, dict) else document.as_dict()
    text = data.get("text") or ""
    words = len(WORD.findall(text))
    if words < MIN_HTML_WORDS:
        raise InputError(f"no article text found in the HTML ({words} words extracted; at least {MIN_HTML_WORDS} needed)")
    # Menus, captions and lists of links add up to many words without one sentence of prose (a page with
    # only a headline, a photo gallery); every text of PTC and PolNeAR has such a sentence.
    if not any(len(WORD.findall(line)) >= 10 and ENDS_SENTENCE.search(line) for line in text.splitlines()):
        raise InputError("no article text found in the HTML (no line of 10 words or more ending a sentence: menus, captions or links only)")
    metadata = {k: str(data[k]) for k in ("author", "date", "sitename", "hostname", "description") if data.get(k)}
    return Article(check_text(text), title=data.get("title"), url=url, source=source, metadata=metadata)
