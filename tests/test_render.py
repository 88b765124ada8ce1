import io

from rich.console import Console

from spinlens.render.html import render_page
from spinlens.render.summary import segments
from spinlens.render.terminal import _highlighted, render
from spinlens.types import Analysis, Article, SentenceScore, TechniqueSpan

TEXT = "They said <script>alert('x')</script> is a total disaster & a shame."
A, B = TEXT.index("a total"), TEXT.index("disaster")
ANALYSIS = Analysis(
    Article(TEXT, title="<b>Title</b>"),
    (
        TechniqueSpan(B, B + 8, "Loaded_Language", 0.9, 0.8),
        TechniqueSpan(A, A + 26, "Exaggeration,Minimisation", 0.6, 0.5),
    ),
    (SentenceScore(0, len(TEXT), 0.7),),
    model={"name": "test", "version": "0"},
)


def test_segments_split_overlaps():
    cut = [(s.start, s.end, s.spans) for s in segments(ANALYSIS)]
    assert cut == [(0, A, ()), (A, B, (1,)), (B, B + 8, (0, 1)), (B + 8, A + 26, (1,)), (A + 26, len(TEXT), ())]


def test_html_is_self_contained_escaped_and_shows_overlaps():
    page = render_page(ANALYSIS)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "&lt;b&gt;Title" in page
    assert "http://" not in page.replace('href="/', "") and "https://" not in page
    assert 'data-techniques="8 6"' in page  # the overlapping stretch carries both techniques
    assert "linear-gradient" in page
    assert "Loaded language: score 0.90" in page
    assert page.count('type="checkbox"') == 14


def test_plain_terminal_report_brackets_fragments():
    out = io.StringIO()
    render(ANALYSIS, Console(file=out, force_terminal=False, width=200))
    report = out.getvalue()
    assert "[a total [disaster]1 & a shame]2." in report
    assert "Loaded language" in report and "Most technique-dense sentences" in report
    assert "\x1b[" not in report


def test_terminal_highlights_keep_their_offsets_after_crlf():
    text = "Title\r\n\r\nThey said it is a total disaster.\r\nMake no mistake: it is.\x0c"
    start = text.index("a total disaster")
    analysis = Analysis(Article(text), (TechniqueSpan(start, start + 16, "Loaded_Language", 0.9, 0.8),), ())
    highlighted = _highlighted(analysis)
    (span,) = [s for s in highlighted.spans if "on" in str(s.style)]
    assert highlighted.plain[span.start : span.end] == "a total disaster"
    assert len(highlighted.plain) == len(text)


def test_colour_terminal_report_uses_styles():
    out = io.StringIO()
    render(ANALYSIS, Console(file=out, force_terminal=True, color_system="truecolor", width=200))
    assert "\x1b[" in out.getvalue()
