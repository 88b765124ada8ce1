"""One article's failure is that article's alone: in the library, in corpus runs and in the API."""

import pytest

from spinlens.errors import AnalysisError, InputError
from spinlens.pipeline import Analyzer

from conftest import PROPAGANDA

# Ordinary wording that crashed the speaker linking (a source whose head word was "outlets" read the
# cache's list of outlets as its name search), each in its own way.
OUTLET_TEXTS = [
    "Several news outlets said the plan was a disaster. The newspaper said it was worse.",
    "The newspaper said it was a disaster. Media outlets said the senator lied.",
    "Reuters and the BBC reported the plan. The newspaper said it was a disaster. Media outlets said the senator lied.",
    "He met the heads of Big Media Outlets on Monday. News outlets said the plan was a disaster. The newspaper said it was worse.",
]
OTHER = "The committee met on Tuesday and published its annual report on road maintenance in the county."
MARK = "CRASH-ME"


@pytest.mark.parametrize("text", OUTLET_TEXTS)
def test_texts_that_name_outlets_are_analysed(analyzer, text):
    analysis = analyzer.analyze(text)
    assert [a.cue.text for a in analysis.attributions].count("said") >= 2
    for attribution in analysis.attributions:
        if attribution.speaker is not None:
            assert text[attribution.speaker.start : attribution.speaker.end] == attribution.speaker.text


@pytest.fixture
def faulty(monkeypatch):
    """An analyser whose stages fail, as a bug would, on any text holding MARK."""
    original = Analyzer._analysis

    def analysis(self, model, tagger, article, outputs, model_info):
        if MARK in article.text:
            raise RuntimeError(f"a bug\nmet {MARK}")
        return original(self, model, tagger, article, outputs, model_info)

    monkeypatch.setattr(Analyzer, "_analysis", analysis)
    return Analyzer(threads=1, batch_size=3)


def test_a_fault_in_one_article_fails_it_alone(faulty):
    items = [OTHER, f"{MARK} {OTHER}", "", OTHER, 7, PROPAGANDA, f"{OTHER} {MARK}"]
    none = list(faulty.analyze_many(items, errors="none"))
    assert [r is None for r in none] == [False, True, True, False, True, False, True]
    assert none[5].text == PROPAGANDA and none[0].text == OTHER
    returned = list(faulty.analyze_many(items, errors="return"))
    assert [type(r).__name__ for r in returned] == ["Analysis", "AnalysisError", "InputError", "Analysis", "TypeError", "Analysis", "AnalysisError"]
    error = returned[1]
    assert str(error) == "item 1: analysis failed: RuntimeError: a bug met CRASH-ME"
    assert error.position == 1 and isinstance(error.cause, RuntimeError) and error.__cause__ is error.cause
    assert str(returned[6]).startswith("item 6: ")


def test_a_fault_raised_names_its_item_after_the_analyses_before_it(faulty):
    results = faulty.analyze_many([OTHER, PROPAGANDA, f"{MARK} {OTHER}", OTHER])
    assert next(results).text == OTHER and next(results).text == PROPAGANDA
    with pytest.raises(AnalysisError, match=r"^item 2: analysis failed: RuntimeError"):
        next(results)


def test_a_failing_encoder_pass_costs_only_the_article_that_broke_it(monkeypatch):
    analyzer = Analyzer(threads=1, batch_size=4)
    model = analyzer.technique_model
    original = type(model).run

    def run(self, texts, **options):
        if any(MARK in text for text in texts):
            raise ValueError("the tokenizer choked")
        return original(self, texts, **options)

    monkeypatch.setattr(type(model), "run", run)
    results = list(analyzer.analyze_many([OTHER, f"{MARK} {OTHER}", PROPAGANDA], errors="return"))
    assert [type(r).__name__ for r in results] == ["Analysis", "AnalysisError", "Analysis"]
    assert "ValueError: the tokenizer choked" in str(results[1])


def test_a_missing_model_is_the_runs_error_not_an_articles(tmp_path):
    analyzer = Analyzer(model_dir=tmp_path)
    with pytest.raises(InputError.__base__):  # ModelError, a SpinlensError: not one AnalysisError per article
        list(analyzer.analyze_many([OTHER, PROPAGANDA], errors="return"))
