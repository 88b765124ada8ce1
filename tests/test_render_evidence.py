"""The evidence panel and the glossary of the HTML reports, and the headline figure every report shows."""

import io
import re

import pytest
from markupsafe import escape
from rich.console import Console

from spinlens.definitions import DEFINITIONS
from spinlens.render.evidence import MAX_EXAMPLES, example_parts
from spinlens.render.html import render_fragment, render_page
from spinlens.render.summary import percent
from spinlens.render.terminal import render
from spinlens.types import Analysis, Article, Attribution, Example, SentenceScore, TechniqueSpan, TextSpan

TEXT = "Critics said the vile traitors lied. The plan is a disaster."
SAID, VILE, DISASTER = TEXT.index("said"), TEXT.index("vile"), TEXT.index("disaster")
EXAMPLES = tuple(
    Example(f"article7{n}", "Name_Calling,Labeling", "<b>cowards</b>", f"They are <b>cowards</b> & worse, number {n}.", 0.9 - n / 100)
    for n in range(7)
)


def _span(start: int, end: int) -> TextSpan:
    return TextSpan(start, end, TEXT[start:end])


def analysis(examples=EXAMPLES, probability=0.62) -> Analysis:
    attribution = Attribution(_span(SAID, SAID + 4), (_span(0, 7),), (_span(SAID + 5, 36),), "indirect", "anonymous", None, (), 0.9)
    return Analysis(
        Article(TEXT, title="Evidence"),
        (TechniqueSpan(VILE, VILE + 13, "Name_Calling,Labeling", 0.9, 0.8, "quoted", 0, probability, examples),
         TechniqueSpan(DISASTER, DISASTER + 8, "Loaded_Language", 0.8, 0.7)),
        (SentenceScore(0, 36, 0.9), SentenceScore(37, len(TEXT), 0.8)),
        (attribution,),
        model={"name": "test", "version": "0", "attribution": "test"},
    )


def _panel(page: str, index: int) -> str:
    return re.search(rf'<details class="evidence" id="[^"]+-ev{index}" data-span="{index}".*?</details>', page, re.S).group(0)


@pytest.mark.parametrize(("p", "shown"), [(0.62, "62 %"), (0.625, "62 %"), (0.004, "<1 %"), (0.0, "0 %"), (0.996, ">99 %"), (1.0, "100 %")])
def test_percent_rounds_for_people(p, shown):
    assert percent(p) == shown


@pytest.mark.parametrize("render_html", [render_page, render_fragment])
def test_the_fragment_tooltip_and_panel_hold_the_definition_and_the_examples(render_html):
    page = render_html(analysis())
    meaning = str(escape(DEFINITIONS["Name_Calling,Labeling"].meaning))
    (tip,) = re.findall(r'<span class="frag" data-techniques="9" data-spans="0" data-tip="([^"]*)"', page)
    assert tip.startswith("Name calling / labeling: 62 % (score 0.90, technique 0.80), quoted") and meaning in tip
    panel = _panel(page, 0)
    assert meaning in panel and str(escape(DEFINITIONS["Name_Calling,Labeling"].not_meaning)) in panel
    assert '<span class="ev-prob">62 %</span>' in panel and "score 0.90 · technique 0.80" in panel
    assert "the words of <strong>Critics</strong>" in panel
    # At most five examples, each with its fragment bold inside its sentence, escaped, with its article and similarity.
    items = re.findall(r"<li>(.*?)</li>", panel)
    assert len(items) == MAX_EXAMPLES
    assert items[0] == 'They are <b>&lt;b&gt;cowards&lt;/b&gt;</b> &amp; worse, number 0. <span class="ev-meta">article article70 · similarity 0.90</span>'
    assert "<b>cowards</b>" not in page and "--explain" not in panel
    # A fragment without examples says how to get them; the author's words are the author's.
    other = _panel(page, 1)
    assert "spinlens analyze --explain" in other and "The author's own words." in other and "<ol" not in other
    assert "probability ·" not in other  # no calibrated probability: the score is the headline


def test_the_report_has_a_glossary_that_its_legend_links_to_and_a_notebook_view_has_none():
    page = render_page(analysis())
    root = re.search(r'<div class="spinlens" id="([^"]+)"', page).group(1)
    assert f'<a class="glossary-link" href="#{root}-glossary">' in page and f'<h2 id="{root}-glossary">' in page
    glossary = page.split(f'<h2 id="{root}-glossary">')[1]
    assert glossary.count("<dt") == 14 and all(str(escape(d.not_meaning)) in glossary for d in DEFINITIONS.values())
    assert f'title="{DEFINITIONS["Doubt"].meaning}"' in page  # each legend entry's tooltip
    fragment = render_fragment(analysis())
    assert 'class="glossary-link"' not in fragment and "<dl" not in fragment
    assert "http://" not in page.replace('href="/', "") and "https://" not in page


def test_an_analysis_without_fragments_has_no_panel():
    page = render_page(Analysis(Article("Nothing here.")))
    assert "evidence-panel" not in page.split("<script>")[-1].split("</script>")[1]


def test_an_example_whose_sentence_lacks_its_fragment_shows_the_fragment_alone():
    parts = example_parts(Example("a1", "Doubt", "spans\ntwo lines", "spans", 0.5))
    assert (parts["before"], parts["match"], parts["after"]) == ("", "spans\ntwo lines", "")
    assert example_parts(Example("a1", "Doubt", "x\x1b", "a x\x1b b", 0.5))["match"] == "x "  # control codes blanked


def test_the_terminal_list_leads_with_the_probability():
    out = io.StringIO()
    render(analysis(), Console(file=out, width=200, color_system=None))
    assert "[1] Name_Calling,Labeling 62 % (score 0.90, technique 0.80) 17-30: 'vile traitors'" in out.getvalue()
    out = io.StringIO()
    render(analysis(probability=None), Console(file=out, width=200, color_system=None))
    assert "[1] Name_Calling,Labeling 90 % (score 0.90," in out.getvalue()  # no probability: the score leads
