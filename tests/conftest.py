import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"

# An opinion-style paragraph with curly quotes, an NBSP and an emoji, so offsets are tested on real-world text.
PROPAGANDA = (
    "Make no mistake: this disgraceful, corrupt regime is destroying our great nation, and every true patriot "
    "knows it. The\u00a0so-called “experts” are nothing but lying traitors 🙂 who want to see America burn. "
    "Why should we trust these criminals ever again? They are evil, evil, evil."
)


@pytest.fixture(scope="session")
def analyzer():
    from spinlens import Analyzer

    return Analyzer(threads=1)


@pytest.fixture(scope="session")
def propaganda_analysis(analyzer):
    return analyzer.analyze(PROPAGANDA)


def batch_one(tmp_path: Path, text: str, **options):
    """The analysis `spinlens batch` stores for one article with these options (run_batch's keywords)."""
    from spinlens.batch.runner import run_batch
    from spinlens.store.db import Store

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(text, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    assert run_batch([tmp_path / "in"], store, progress=False, **options).stored == 1
    return store.get(1)[1]


def article_text(page: str) -> str:
    """The characters a browser's parser puts in the page's article element."""
    from html.parser import HTMLParser

    body = re.search(r'<div class="article muted">(.*?)</div>\n<script>', page, re.S).group(1)
    parser = HTMLParser(convert_charrefs=True)
    out: list[str] = []
    parser.handle_data = out.append
    parser.feed(body)
    parser.close()
    return "".join(out)
