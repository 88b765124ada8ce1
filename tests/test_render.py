import io
import json
import re
from dataclasses import replace

import pytest
from rich.console import Console

from conftest import article_text
from spinlens.render.html import render_fragment, render_page
from spinlens.render.summary import segments
from spinlens.render.terminal import _bracketed, _highlighted, render
from spinlens.types import Analysis, Article, Attribution, SentenceScore, TechniqueSpan, TextSpan

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


def test_segments_and_dense_sentences_agree_with_their_definitions():
    # Both are computed in one sweep (checking every span at every cut grew with the square of the text):
    # compare them with the definitions on random overlapping spans.
    import random

    from spinlens.labels import TECHNIQUES
    from spinlens.render.summary import attribution_parts, densest_sentences

    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 50)

        def span(n=n):
            a = rng.randint(0, n - 1)
            return a, rng.randint(a + 1, min(n, a + 12))

        techniques = tuple(TechniqueSpan(*span(), rng.choice(TECHNIQUES), rng.random(), 0.5) for _ in range(rng.randint(0, 6)))
        sentences = tuple(SentenceScore(*span(), rng.random()) for _ in range(rng.randint(0, 5)))
        attributions = tuple(
            Attribution(TextSpan(*span(), ""), (TextSpan(*span(), ""),), (TextSpan(*span(), ""),) * rng.randint(0, 1), "direct", "person", None, (), 0.5)
            for _ in range(rng.randint(0, 3))
        )
        analysis = Analysis(Article("x" * n), techniques, sentences, attributions)
        parts = attribution_parts(analysis)
        for seg in segments(analysis):
            assert seg.spans == tuple(i for i, t in enumerate(techniques) if t.start <= seg.start and t.end >= seg.end)
            assert seg.roles == tuple((i, role) for i, role, s, e in parts if s <= seg.start and e >= seg.end)
        counts = {s: sum(t.start < s.end and t.end > s.start for t in techniques) for s in sentences}
        dense = densest_sentences(analysis, limit=10)
        assert dict(dense) == {s: c for s, c in counts.items() if c} and [c for _, c in dense] == sorted((c for c in counts.values() if c), reverse=True)


def test_html_is_self_contained_escaped_and_shows_overlaps():
    page = render_page(ANALYSIS)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "&lt;b&gt;Title" in page
    assert "http://" not in page.replace('href="/', "") and "https://" not in page
    assert 'data-techniques="8 6"' in page  # the overlapping stretch carries both techniques
    assert "linear-gradient" in page
    assert "Loaded language: 90 % (score 0.90, technique 0.80), author&#39;s voice" in page
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


# Every control code but tab and newline: C0, DEL and C1 (0x9b is a one-byte CSI on some terminals).
CONTROLS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]))


def _hostile_analysis() -> Analysis:
    text = "The senator \x1b]0;PWNED\x07 said \x1b[2J\x1b[31mthe vile traitors\x9b31m are here." + CONTROLS + "\tend\n"
    vile, said = text.index("vile"), text.index("said")

    def span(start: int, end: int) -> TextSpan:
        return TextSpan(start, end, text[start:end])

    attribution = Attribution(
        span(text.index("\x1b]"), said + 4), (span(0, said),), (span(said + 5, len(text)),), "indirect", "person", None, (), 0.9
    )
    return Analysis(
        Article(text, title="Title \x1b]0;PWNED\x07\x9b2J"),
        (TechniqueSpan(vile, vile + 13, "Loaded_Language", 0.9, 0.8),),
        (SentenceScore(0, len(text), 0.7),),
        (attribution,),
        model={"name": "test", "version": "0", "attribution": "test"},
    )


@pytest.mark.parametrize("colour", [False, True])
def test_terminal_report_neutralises_control_codes_from_the_article(colour):
    out = io.StringIO()
    console = Console(file=out, force_terminal=colour, color_system="truecolor" if colour else None, width=300)
    render(_hostile_analysis(), console)
    report = out.getvalue()
    for code in ("\x1b]", "\x1b[2J", "\x1b[31m", "\x07", "\x9b", "\x00", "\x7f"):
        assert code not in report
    assert "PWNED" in report and "vile traitors" in report


def test_terminal_highlights_keep_their_offsets_after_any_control_code():
    analysis = _hostile_analysis()
    highlighted = _highlighted(analysis)
    (span,) = [s for s in highlighted.spans if "on" in str(s.style)]
    assert highlighted.plain[span.start : span.end] == "vile traitors"
    assert len(highlighted.plain) == len(analysis.text)
    assert not set(CONTROLS) & set(highlighted.plain)


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        # Shared end: the fragment that started later closes first.
        ([(0, 17), (4, 17), (4, 8)], "[the [[vile]3 traitors]2]1 are here."),
        ([(4, 8), (4, 17), (0, 17)], "[the [[vile]1 traitors]2]3 are here."),
        # Shared start: the longer fragment opens first.
        ([(4, 8), (4, 17)], "the [[vile]1 traitors]2 are here."),
        # The same stretch twice, and an empty fragment where another ends and one starts.
        ([(4, 8), (4, 8)], "the [[vile]2]1 traitors are here."),
        ([(0, 3), (3, 3), (3, 8)], "[the]1[[]2 vile]3 traitors are here."),
    ],
)
def test_plain_brackets_always_nest(spans, expected):
    text = "the vile traitors are here."
    techniques = tuple(TechniqueSpan(start, end, "Loaded_Language", 0.9, 0.8) for start, end in spans)
    assert _bracketed(Analysis(Article(text), techniques, ())) == expected


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x"]
)
def test_html_links_only_http_urls(url):
    page = render_page(Analysis(Article("The vile traitors are here.", url=url), (), ()))
    assert "<a href" not in page
    assert "alert(" in page or "data:text/html" in page  # still shown, as text


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&c=2", "HTTP://example.org/"])
def test_html_links_http_urls(url):
    page = render_page(Analysis(Article("The vile traitors are here.", url=url), (), ()))
    assert f'<a href="{url.replace("&", "&amp;")}"' in page


def test_notebook_fragment_makes_no_links():
    fragment = render_fragment(Analysis(Article("The vile traitors.", url="javascript:alert(1)"), (), ()))
    assert "href" not in fragment and "javascript:" not in fragment


def test_terminal_report_counts_in_the_singular_and_plural():
    text = "The vile traitors lied. Evil men."
    one = Analysis(Article(text), (TechniqueSpan(4, 17, "Name_Calling,Labeling", 0.9, 0.8),), (SentenceScore(0, 23, 0.9),),
                   unattributed_sentences=1, model={"attribution": "a"})  # the attribution stage ran
    two = Analysis(Article(text), one.techniques + (TechniqueSpan(24, 28, "Loaded_Language", 0.8, 0.7),), one.sentences,
                   unattributed_sentences=2, model={"attribution": "a"})
    for analysis, expected in ((one, ["1 technique fragment ", "makes 1 claim on", "  1 fragment,"]),
                               (two, ["2 technique fragments", "makes 2 claims on"])):
        out = io.StringIO()
        render(analysis, Console(file=out, width=300, color_system=None))
        report = out.getvalue()
        assert all(phrase in report for phrase in expected), report


def _report(analysis: Analysis, **console) -> str:
    out = io.StringIO()
    render(analysis, Console(file=out, width=300, **console))
    return out.getvalue()


@pytest.mark.parametrize("colour", [False, True])
def test_terminal_report_prints_emoji_codes_as_the_article_has_them(colour):
    # Rich turned ':thumbs_up:' into 👍 in the article, the fragment list and the densest sentences.
    text = "The :thumbs_up: vile traitors lied. :smile: Evil men."
    analysis = Analysis(Article(text), (TechniqueSpan(4, 29, "Name_Calling,Labeling", 0.9, 0.8),), (SentenceScore(0, 35, 0.9),))
    report = _report(analysis, force_terminal=colour, color_system="truecolor" if colour else None)
    assert "👍" not in report and "😄" not in report
    assert ":thumbs_up: vile traitors" in report and ":smile: Evil men." in report
    assert "score 0.90: The :thumbs_up: vile traitors lied." in report
    if not colour:
        assert "The [:thumbs_up: vile traitors]1 lied." in report and "4-29: ':thumbs_up: vile traitors'" in report


def test_terminal_report_brackets_fragments_under_no_color(monkeypatch):
    # Rich drops every colour under NO_COLOR but still reports a colour system: no fragment was marked.
    monkeypatch.setenv("NO_COLOR", "1")
    report = _report(ANALYSIS, force_terminal=True, color_system="truecolor")
    assert "[a total [disaster]1 & a shame]2." in report


@pytest.mark.parametrize(("system", "brackets"), [("standard", True), ("windows", True), ("256", False), ("truecolor", False)])
def test_terminal_report_brackets_fragments_where_16_colours_cannot_tell_techniques_apart(system, brackets):
    # The 14 fills fall onto 4 of the 16 colours (256 keep them apart).
    report = _report(ANALYSIS, force_terminal=True, color_system=system)
    assert ("[a total [disaster]1 & a shame]2." in report) is brackets
    assert ("\x1b[30;4" in report) is not brackets  # black on a background colour


def test_each_notebook_view_has_an_id_of_its_own():
    # The id was the analysis's hash: a second view of the same analysis drove the first one's filter.
    views = [render_fragment(ANALYSIS) for _ in range(2)]
    ids = [re.search(r'<div class="spinlens" id="([^"]+)"', view).group(1) for view in views]
    assert ids[0] != ids[1]
    assert all(f"JSON.stringify({json.dumps(i)})" in view for i, view in zip(ids, views))
    assert render_page(ANALYSIS) == render_page(ANALYSIS)  # a page is one view: the same analysis, the same bytes


def _quoted_analysis() -> Analysis:
    text = "Critics said the vile traitors lied. The plan is a disaster."
    said, vile = text.index("said"), text.index("vile")

    def span(start: int, end: int) -> TextSpan:
        return TextSpan(start, end, text[start:end])

    attribution = Attribution(span(said, said + 4), (span(0, 7),), (span(said + 5, 36),), "indirect", "anonymous", None, (), 0.9)
    return Analysis(
        Article(text),
        (TechniqueSpan(vile, vile + 13, "Name_Calling,Labeling", 0.9, 0.8, "quoted", 0),
         TechniqueSpan(text.index("disaster"), len(text) - 1, "Loaded_Language", 0.8, 0.7)),
        (SentenceScore(0, 36, 0.9), SentenceScore(37, len(text), 0.8)),
        (attribution,),
        model={"name": "test", "version": "0", "attribution": "test"},
    )


def test_a_fragment_inside_an_attribution_names_the_speaker_in_its_tooltip():
    # The fragment's own title hid the attribution's, though the page says "hover for the speaker".
    page = render_page(_quoted_analysis())
    (inside,) = re.findall(r'<span class="frag" data-techniques="9" data-spans="0" data-tip="([^"]*)" title="([^"]*)"', page)
    assert inside[0] == inside[1] and "Name calling / labeling: 90 % (score 0.90, technique 0.80)" in inside[1] and "content of attribution 1: Critics" in inside[1]
    (outside,) = re.findall(r'<span class="frag" data-techniques="8" data-spans="1" data-tip="[^"]*" title="([^"]*)"', page)
    assert "attribution" not in outside


def test_a_hidden_fragment_drops_its_tooltip_and_a_shown_one_gets_it_back():
    # A technique ticked off in the legend hid its fill but kept the fragment's title tooltip.
    script = render_page(_quoted_analysis()).split("function refresh()")[1]
    off, on = script.split("frag.removeAttribute('data-off');")
    assert "frag.removeAttribute('title')" in off and "frag.title = frag.dataset.tip" in on


@pytest.mark.parametrize("render_html", [render_page, render_fragment])
def test_html_blanks_control_codes_and_keeps_the_text_length(render_html):
    # ESC, BEL, VT … went into the page raw (HTML parse errors), and a parser folds CRLF into one character.
    analysis = _hostile_analysis()
    page = render_html(replace(analysis, article=replace(analysis.article, text=analysis.text.replace("\x07 said", "\r\nsaid"))))
    assert not set(CONTROLS) & set(page)
    shown = article_text(page)
    assert len(shown) == len(analysis.text) and "PWNED" in shown and " \nsaid" in shown


def test_control_codes_become_spaces_and_a_lone_cr_a_line_break():
    from spinlens.render.summary import safe_text

    assert safe_text("a\r\nb\rc\x1b[2J\x07\x85d\te\n") == "a \nb\nc [2J  d\te\n"


def _claimed_analysis() -> Analysis:
    """Sentences with claims: a title, an assertion, a hedged one with <markup>, a boosted one with a fragment
    over the sentence break, an attributed one."""
    from spinlens.types import Claim, Marker

    text = "BIG NEWS\n\nThe plan failed on Monday. The plan <may> fail again. Make no mistake, it is a disaster. Critics said it was fine."
    may, make, disaster, said = text.index("<may>"), text.index("Make no mistake"), text.index("disaster"), text.index("said")
    sentences = ["BIG NEWS", "The plan failed on Monday.", "The plan <may> fail again.", "Make no mistake, it is a disaster.",
                 "Critics said it was fine."]
    bounds = [(text.index(s), text.index(s) + len(s)) for s in sentences]
    critics = bounds[-1][0]
    attribution = Attribution(TextSpan(said, said + 4, "said"), (TextSpan(critics, critics + 7, "Critics"),),
                              (TextSpan(said + 5, len(text) - 1, "it was fine"),),
                              "indirect", "anonymous", None, (), 0.9)
    claims = [Claim("none"), Claim("asserted"), Claim("hedged", (Marker(may, may + 5, "<may>", "hedge"),)),
              Claim("boosted", (Marker(make, make + 15, "Make no mistake", "booster"),)), Claim("attributed", (), 0)]
    return Analysis(
        Article(text),
        (TechniqueSpan(disaster, said, "Loaded_Language", 0.9, 0.8),),  # runs on into the attributed sentence
        tuple(SentenceScore(s, e, 0.5, c) for (s, e), c in zip(bounds, claims)),
        (attribution,), 3, model={"name": "test", "version": "0", "attribution": "test"},
    )


@pytest.mark.parametrize("render_html", [render_page, render_fragment])
def test_claims_shade_sentences_behind_an_unticked_box_and_list_the_qualified_ones(render_html):
    analysis = _claimed_analysis()
    page = render_html(analysis)
    toggle = re.search(r'<input type="checkbox" class="claims-toggle" id="([^"]+)">', page)
    assert toggle and f'<label class="claim-key" for="{toggle.group(1)}">' in page  # off by default
    legend = re.search(r'<span class="claim-legend"[^>]*>(.*?)</span>\n', page).group(1)
    assert re.findall(r'class="claim-(\w+)"', legend) == ["attributed", "asserted", "hedged", "boosted", "question", "none"]
    assert "hedged (1)" in legend and "question (0)" in legend
    for status in ("attributed", "asserted", "hedged", "boosted", "question", "none"):
        assert f".claims-toggle:checked~.article .claim-{status}{{background:" in page
    # Each sentence is wrapped once; the fragment is cut at the sentence break, the text stays whole.
    article = re.search(r'<div class="article muted">(.*?)</div>\n<script>', page, re.S).group(1)
    assert re.findall(r'<span class="claim-(\w+)">', article) == ["none", "asserted", "hedged", "boosted", "attributed"]
    assert '<span class="claim-hedged">The plan &lt;may&gt; fail again.</span>' in article
    # In the boosted sentence, the space after it, the source, and the space after that.
    assert article.count('data-techniques="8"') == 4
    assert '<span class="claim-boosted">Make no mistake, it is a <span class="frag" data-techniques="8"' in article
    assert article_text(page) == analysis.text
    assert "<may>" not in page
    if render_html is render_fragment:  # a notebook view is the article alone, without the report's lists
        return
    # The list: the hedged and boosted sentences, their markers marked and escaped, and the count of asserted ones.
    claims = page[page.index("<h2>The author's own claims</h2>") :]
    assert "Asserted plainly: 1 · hedged: 1 · boosted: 1" in claims
    items = re.search(r'<ol class="claims">(.*?)</ol>', claims).group(1)
    assert '<mark class="hedge" title="hedge" style="background:rgba(230,160,0,.45);color:inherit">&lt;may&gt;</mark> fail again.' in items
    assert '<mark class="booster"' in items and ">Make no mistake</mark>, it is a disaster." in items
    assert "The plan failed on Monday" not in items and "Critics" not in items


def test_without_claims_there_is_no_toggle_and_no_list_and_the_article_is_as_before():
    analysis = _claimed_analysis()
    old = replace(analysis, sentences=tuple(replace(s, claim=None) for s in analysis.sentences))
    page = render_page(old)
    assert "claims-toggle" not in page and "claim-legend" not in page and "claim-" not in page
    # The 14 techniques' boxes and the attributions' (the analysis has one); claims add theirs.
    assert "The author's own claims" not in page and page.count('type="checkbox"') == 15
    assert render_page(analysis).count('type="checkbox"') == 16
    # The article's markup is that of the segments alone, as it was before claims.
    article = re.search(r'<div class="article muted">(.*?)</div>\n<script>', page, re.S).group(1)
    assert article.count('data-techniques="8"') == 3  # cut by the source inside it alone


def test_a_report_with_claims_but_nothing_hedged_or_boosted_says_so():
    from spinlens.types import Claim

    analysis = Analysis(Article("The plan failed on Monday."), (), (SentenceScore(0, 26, 0.5, Claim("asserted")),), (), 1)
    page = render_page(analysis)
    assert "Asserted plainly: 1 · hedged: 0 · boosted: 0" in page and "No hedged or boosted claims." in page
    assert '<ol class="claims">' not in page


def test_each_fragment_shows_its_techniques_letter_where_it_starts():
    page = render_page(ANALYSIS)
    article = re.search(r'<div class="article muted">(.*?)</div>\n<script>', page, re.S).group(1)
    # Exaggeration (6) starts at "a total", loaded language (8) at "disaster"; the piece after "disaster" starts neither.
    assert re.findall(r'data-techniques="([\d ]+)"[^>]*?(?: data-starts="([\d ]*)" data-badge="(\w*)")?>', article) == [
        ("6", "6", "E"), ("8 6", "8", "L"), ("6", "", "")]
    assert article_text(page) == TEXT  # the letters are drawn by CSS, not written into the text
    assert '<span class="badge" aria-hidden="true">L</span>Loaded language (1)' in page


@pytest.mark.parametrize("article, heading", [
    (Article("Council approves plan\n\nThe council met on Tuesday.", source="/data/article1.txt"), "Council approves plan"),
    (Article("The council met on Tuesday.", source="/data/article1.txt"), "article1.txt"),
    (Article("The council met on Tuesday.", source="standard input"), "The council met on Tuesday."),
    (Article("The council met on Tuesday.", title="Given"), "Given"),
])
def test_the_report_is_headed_by_the_articles_title(article, heading):
    page = render_page(Analysis(article))
    assert f"<h1>{heading}</h1>" in page and f"<title>spinlens: {heading}</title>" in page
    assert article_text(page) == article.text  # a headline stays in the text
