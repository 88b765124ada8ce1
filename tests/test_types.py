import json
import re

import pytest

from spinlens.types import SCHEMA, Analysis, Article, Example, SentenceScore, TechniqueSpan


def test_analysis_round_trips_through_json():
    article = Article("Some “text” 🙂 here.", title="T", url=None, source="x.txt", metadata={"author": "A"})
    analysis = Analysis(article, (TechniqueSpan(0, 4, "Doubt", 0.5, 0.75),), (SentenceScore(0, 19, 0.25),), model={"name": "m", "version": "1"})
    data = json.loads(analysis.to_json())
    assert data["schema"] == SCHEMA
    assert data["techniques"] == [{"start": 0, "end": 4, "technique": "Doubt", "score": 0.5, "technique_score": 0.75, "voice": "author",
                                   "attribution": None, "probability": None, "examples": []}]
    assert Analysis.from_json(analysis.to_json()) == analysis


def test_probability_and_examples_round_trip():
    example = Example("111111111", "Doubt", "Is it?", "Is it? Nobody knows.", 0.81)
    span = TechniqueSpan(0, 4, "Doubt", 0.5, 0.75, probability=0.3, examples=(example,))
    analysis = Analysis(Article("Some text here."), (span,))
    data = json.loads(analysis.to_json())
    assert data["techniques"][0]["probability"] == 0.3
    assert data["techniques"][0]["examples"][0] == {"article_id": "111111111", "technique": "Doubt", "text": "Is it?",
                                                     "sentence": "Is it? Nobody knows.", "similarity": 0.81}
    assert Analysis.from_json(analysis.to_json()) == analysis
    assert span.headline == 0.3 and TechniqueSpan(0, 4, "Doubt", 0.5, 0.75).headline == 0.5


@pytest.mark.parametrize("probability", [1.5, -0.1, float("nan")])
def test_a_probability_outside_zero_to_one_is_refused(probability):
    data = json.loads(Analysis(Article("Some text here."), (TechniqueSpan(0, 4, "Doubt", 0.5, 0.75),)).to_json())
    data["techniques"][0]["probability"] = probability
    with pytest.raises(ValueError, match="probability"):
        Analysis.from_dict(data)


def test_unknown_schema_is_refused():
    with pytest.raises(ValueError, match="schema"):
        Analysis.from_dict({"schema": "other", "text": ""})


def test_a_dict_without_text_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="no 'text'"):
        Analysis.from_dict({"schema": "spinlens/analysis/v2", "techniques": []})


def test_a_reader_ignores_fields_a_later_version_adds():
    # A new field does not change the schema (docs/schema.md), so a file that has one must still load.
    analysis = Analysis(Article("Evil traitors lied."), (TechniqueSpan(0, 14, "Name_Calling,Labeling", 0.9, 0.8),))
    data = json.loads(analysis.to_json())
    data["techniques"][0]["extra"] = 1
    data["sentences"] = [{"start": 0, "end": 19, "score": 0.5, "extra": True}]
    loaded = Analysis.from_dict(data)
    assert loaded.techniques == analysis.techniques and loaded.sentences[0].score == 0.5


@pytest.mark.parametrize("data", [
    [],
    {"schema": SCHEMA, "text": "a", "attributions": [{}]},
    {"schema": SCHEMA, "text": "a", "techniques": [{"start": 0}]},
    {"schema": SCHEMA, "text": "a", "sentences": 3},
    {"schema": SCHEMA, "text": "ab", "techniques": [{"start": 1, "end": 5, "technique": "Doubt", "score": 0.5, "technique_score": 0.5}]},
    {"schema": SCHEMA, "text": "ab", "sentences": [{"start": 2, "end": 1, "score": 0.5}]},
    {"schema": SCHEMA, "text": "ab", "techniques": [{"start": 0, "end": 1, "technique": "Bogus", "score": 0.5, "technique_score": 0.5}]},
])
def test_what_is_not_an_analysis_is_a_value_error_that_says_so(data):
    # These were AttributeError, KeyError and TypeError from inside the reader, or loaded silently
    # (spans outside the text, a technique no report can colour).
    with pytest.raises(ValueError, match="not a spinlens analysis"):
        Analysis.from_dict(data)


def test_a_technique_outside_the_fourteen_is_refused():
    with pytest.raises(ValueError, match="unknown technique 'Bogus'"):
        TechniqueSpan(0, 3, "Bogus", 0.5, 0.5)


def test_to_dict_is_what_the_json_holds():
    from spinlens.types import Attribution, TextSpan

    text = "Critics said it failed."
    attribution = Attribution(TextSpan(8, 12, "said"), (TextSpan(0, 7, "Critics"),), (TextSpan(13, 23, "it failed."),), "indirect", "anonymous", None, (), 0.9)
    analysis = Analysis(Article(text), attributions=(attribution,))
    assert analysis.to_dict() == json.loads(analysis.to_json())  # sources, contents, via were tuples


def test_the_package_lists_its_lazy_entry_points():
    import spinlens

    assert {"analyze", "Analyzer"} <= set(dir(spinlens))


def test_the_schema_documents_an_example_that_reads_back_and_keeps_its_own_rule():
    # The example's content ran 44 positions for a 24-character text and overlapped its "via".
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "schema.md").read_text(encoding="utf-8")
    block = page[page.index("```json\n") + 8 : page.index("\n```", page.index("```json\n"))]
    analysis = Analysis.from_dict(json.loads(block))
    spans = [s for s in analysis.spans() if hasattr(s, "text")]
    assert spans and all(analysis.text[s.start : s.end] == s.text for s in spans)
    assert json.loads(block)["voice"] == analysis.voice_counts()


def test_an_analysis_shows_a_short_summary_and_says_when_nothing_was_found():
    text = "The vile traitors lied again. " * 200
    analysis = Analysis(Article(text), (TechniqueSpan(4, 17, "Name_Calling,Labeling", 0.9, 0.8),))
    shown = repr(analysis)
    assert len(shown) < 200 and "6,000 characters" in shown and "1 technique fragments" in shown
    html = notebook_html()
    assert "No technique fragments found." in html(Analysis(Article("Plain text.")))
    assert "No technique fragments found." not in html(analysis)


def notebook_html():
    """How IPython shows an Analysis as HTML (its display formatter, with spinlens's display registered)."""
    from IPython.core.interactiveshell import InteractiveShell

    import spinlens

    shell = InteractiveShell.instance()
    spinlens._register_notebook_display()
    return lambda analysis: shell.display_formatter.format(analysis)[0]["text/html"]


def _quoted() -> dict:
    text = "Critics said the vile traitors lied."
    return {
        "schema": SCHEMA, "text": text, "title": "T", "metadata": {"author": "A"}, "model": {"name": "m", "version": "1", "attribution": "a"},
        "techniques": [{"start": 17, "end": 30, "technique": "Name_Calling,Labeling", "score": 0.9, "technique_score": 0.8,
                        "voice": "quoted", "attribution": 0, "probability": None, "examples": []}],
        "sentences": [{"start": 0, "end": 36, "score": 0.9}],
        "attributions": [{"cue": {"start": 8, "end": 12, "text": "said"}, "sources": [{"start": 0, "end": 7, "text": "Critics"}],
                          "contents": [{"start": 13, "end": 36, "text": "the vile traitors lied."}], "kind": "indirect",
                          "source_type": "anonymous", "speaker": None, "via": [], "score": 0.9}],
        "unattributed_sentences": 0,
    }


def test_a_quoted_fragment_reads_back_and_renders():
    from spinlens.render.html import render_page

    analysis = Analysis.from_dict(_quoted())
    assert analysis.to_dict() == {**_quoted(), "url": None, "source": None, "voice": {"author": 0, "quoted": 1}}
    assert "Critics" in render_page(analysis)


def _set(path: str, value):
    """_quoted() with the field at a dotted path ('techniques.0.score') set to value."""
    data = _quoted()
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    target[int(last) if isinstance(target, list) else last] = value
    return data


@pytest.mark.parametrize(("path", "value", "reason"), [
    # These loaded, and then the reports failed on them (TypeError, ValueError from a format) or showed them wrong.
    ("techniques.0.attribution", None, "techniques[0] is quoted, but its attribution None"),
    ("techniques.0.attribution", 1, "techniques[0] is quoted, but its attribution 1"),
    ("techniques.0.attribution", True, "techniques[0] is quoted"),
    ("techniques.0.voice", "author", "techniques[0] is in the author's voice, but has attribution 0"),
    ("techniques.0.voice", "Quoted", "techniques[0].voice is 'Quoted'"),
    ("techniques.0.score", "0.5", "techniques[0].score is '0.5', not a number"),
    ("techniques.0.technique_score", None, "techniques[0].technique_score is None"),
    ("techniques.0.score", float("nan"), "techniques[0].score is nan"),
    ("techniques.0.start", True, "span True-30 is outside the text"),
    ("sentences.0.score", [0.5], "sentences[0].score"),
    ("attributions.0.score", "high", "attributions[0].score"),
    ("attributions.0.cue.text", "told", "span 8-12 has the text 'told', not the article's 'said'"),
    ("attributions.0.sources.0.text", None, "span 0-7 has the text None"),
    ("attributions.0.kind", "quoted", "attributions[0].kind is 'quoted'"),
    ("attributions.0.source_type", 3, "attributions[0].source_type is 3"),
    ("attributions.0.source_type", "celebrity", "attributions[0].source_type is 'celebrity', not one of"),
    ("unattributed_sentences", "3", "unattributed_sentences '3' is not a count"),
    ("unattributed_sentences", -1, "unattributed_sentences -1"),
    ("title", 5, "ValueError: an article's title, url and source are strings"),
    ("metadata.author", ["A"], "ValueError: an article's metadata maps strings to strings"),
    ("model.version", 1, "model must map strings to strings"),
])
def test_what_breaks_the_schema_is_a_value_error_that_says_where(path, value, reason):
    with pytest.raises(ValueError, match=re.escape("not a spinlens analysis: " + reason)):
        Analysis.from_dict(_set(path, value))


@pytest.mark.parametrize("metadata", [None, ["author"], {"year": 2020}])
def test_an_article_refuses_metadata_that_is_not_strings_by_name(metadata):
    with pytest.raises(ValueError, match="metadata maps strings to strings"):
        Article("Text.", metadata=metadata)
