import pytest

from conftest import PROPAGANDA
from spinlens import Analysis, Analyzer, Article, analyze
from spinlens.errors import InputError
from spinlens.labels import TECHNIQUES


def test_fragments_have_exact_offsets_labels_and_scores(propaganda_analysis):
    analysis = propaganda_analysis
    assert analysis.text == PROPAGANDA
    assert analysis.techniques, "a paragraph this loaded must yield fragments"
    for span in analysis.techniques:
        assert 0 <= span.start < span.end <= len(PROPAGANDA)
        assert span.technique in TECHNIQUES
        assert 0.0 <= span.score <= 1.0 and 0.0 <= span.technique_score <= 1.0
        fragment = analysis.fragment_text(span)
        assert fragment == fragment.strip() or fragment[-1] in "”\"'"


def test_loaded_words_are_found(propaganda_analysis):
    found = " ".join(propaganda_analysis.fragment_text(t) for t in propaganda_analysis.techniques)
    assert any(word in found for word in ("disgraceful", "corrupt", "traitors", "evil", "lying"))


def test_sentences_cover_the_text_with_probabilities(propaganda_analysis):
    sentences = propaganda_analysis.sentences
    assert len(sentences) == 4
    assert all(0.0 <= s.score <= 1.0 for s in sentences)
    assert [propaganda_analysis.fragment_text(s)[:4] for s in sentences] == ["Make", "The\u00a0", "Why ", "They"]


def test_batch_gives_the_same_result_as_one_by_one(analyzer, propaganda_analysis):
    other = "The committee met on Tuesday and published its annual report on road maintenance in the county."
    batch = list(analyzer.analyze_many([other, Article(PROPAGANDA), other]))
    assert len(batch) == 3
    assert batch[1].techniques == propaganda_analysis.techniques
    assert batch[0] == batch[2]


def test_a_bad_item_in_a_batch_comes_after_the_analyses_before_it(analyzer):
    other = "The committee met on Tuesday and published its annual report on road maintenance in the county."
    results = analyzer.analyze_many([other, "  ", other])
    assert next(results).text == other
    with pytest.raises(InputError, match="item 1: the input is empty"):
        next(results)
    with pytest.raises(TypeError, match="not bytes"):
        analyzer.analyze(other.encode())
    with pytest.raises(InputError, match="empty"):
        analyzer.analyze("")


def test_long_article_is_analysed_to_its_end():
    sentence = "The brave patriots will never surrender to this evil, corrupt and disgusting regime of traitors. "
    text = "The committee met on Tuesday to discuss the budget for the coming year. " * 80 + sentence
    analysis = Analyzer(min_probability=0.2, attribution=False).analyze(text)  # any fragment the last window finds
    assert analysis.techniques, "the last window must be analysed"
    assert max(t.end for t in analysis.techniques) > len(text) - len(sentence)


def test_public_analyze_round_trips(propaganda_analysis):
    assert Analysis.from_json(propaganda_analysis.to_json()) == propaganda_analysis
    assert analyze(PROPAGANDA) == propaganda_analysis


def test_a_tagger_trained_on_another_encoder_is_refused(tmp_path):
    import json
    import shutil

    import pytest

    from spinlens import Analyzer
    from spinlens.errors import ModelError
    from spinlens.models import ATTRIBUTION, TECHNIQUES

    shipped = json.loads((TECHNIQUES / "card.json").read_text(encoding="utf-8"))["version"]
    assert json.loads((ATTRIBUTION / "card.json").read_text(encoding="utf-8"))["encoder"] == shipped
    stale = tmp_path / "attribution"
    shutil.copytree(ATTRIBUTION, stale)
    card = json.loads((stale / "card.json").read_text(encoding="utf-8"))
    (stale / "card.json").write_text(json.dumps({**card, "encoder": "2020-01-01+00000000"}), encoding="utf-8")
    with pytest.raises(ModelError, match="retrain it"):
        Analyzer(attribution_dir=stale).analyze(PROPAGANDA)
    assert Analyzer(attribution_dir=stale, attribution=False).analyze(PROPAGANDA).techniques


def test_a_tagger_that_reads_what_the_graph_does_not_give_is_refused(tmp_path, monkeypatch):
    import json
    import shutil

    import pytest

    from spinlens import Analyzer
    from spinlens.attribution.tagger import AttributionTagger
    from spinlens.errors import ModelError
    from spinlens.models import ATTRIBUTION

    reads_middle = tmp_path / "attribution"
    shutil.copytree(ATTRIBUTION, reads_middle)
    card = json.loads((reads_middle / "card.json").read_text(encoding="utf-8"))
    (reads_middle / "card.json").write_text(json.dumps({**card, "encoder_outputs": ["middle_encodings", "encodings"]}), encoding="utf-8")
    analyzer = Analyzer(attribution_dir=reads_middle)
    monkeypatch.setattr(analyzer.technique_model, "encodings_outputs", ("encodings",))  # a graph exported before the middle layer
    with pytest.raises(ModelError, match="middle_encodings, which the graph"):
        analyzer.analyze(PROPAGANDA)
    (reads_middle / "card.json").write_text(json.dumps({**card, "encoder_outputs": ["layer_9"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="this spinlens knows"):
        AttributionTagger.load(reads_middle, calibrated=False)


def test_spacy_docs_with_an_analysis_serialise():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("en")
    nlp.add_pipe("spinlens")
    doc = nlp(PROPAGANDA)
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert restored._.spinlens == doc._.spinlens and restored._.spinlens.text == PROPAGANDA
    (again,) = DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab)
    assert [s._.spinlens_score for s in again.spans["spinlens_techniques"]] == [s._.spinlens_score for s in doc.spans["spinlens_techniques"]]


def test_spacy_names_the_document_it_cannot_analyse_by_its_place():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("spinlens")
    # It said "item 2": counted within a batch of 4, after the blank document was left out.
    texts = [PROPAGANDA, " ", PROPAGANDA, PROPAGANDA, PROPAGANDA, PROPAGANDA, PROPAGANDA, "bad \x00\x00\x00\x00 " * 20]
    with pytest.raises(InputError, match="^document 7: the text holds control characters"):
        list(nlp.pipe(texts, batch_size=4))


def test_batches_refuse_wrong_items_by_position_and_a_lone_text(analyzer):
    # A None item lost the analyses before it and named no position; a bare str was analysed one
    # character at a time; an Article with a lone surrogate or no text failed inside the tokenizer.
    from spinlens import Article

    other = "The committee met on Tuesday and published its annual report on road maintenance in the county."
    results = analyzer.analyze_many([other, None, other])
    assert next(results).text == other
    with pytest.raises(TypeError, match="item 1: expected the article's text"):
        next(results)
    with pytest.raises(TypeError, match="not one text"):
        next(analyzer.analyze_many(other))
    with pytest.raises(InputError, match="lone surrogate"):
        analyzer.analyze(Article("Hello \ud800 world, he said."))
    with pytest.raises(TypeError, match="an Article's text must be a str"):
        analyzer.analyze(Article(None))


def test_a_batch_can_keep_going_with_none_in_place_of_what_it_cannot_analyse(analyzer):
    # One empty or foreign text in a column of texts ended the whole run; errors="none" keeps the results
    # aligned with the items instead.
    other = "The committee met on Tuesday and published its annual report on road maintenance in the county."
    items = ["", other, float("nan"), "Der Bundestag hat heute ein neues Gesetz verabschiedet, das die Steuern erhöht.", PROPAGANDA]
    results = list(analyzer.analyze_many(items, errors="none"))
    assert [r is None for r in results] == [True, False, True, True, False]
    assert results[1].text == other and results[4] == analyzer.analyze(PROPAGANDA)
    assert list(analyzer.analyze_many(["", ""], errors="none")) == [None, None]
    with pytest.raises(ValueError, match="errors must be"):
        next(analyzer.analyze_many([other], errors="skip"))


def test_bad_model_folders_are_model_errors(tmp_path):
    # A card without what the model needs, or another model's ONNX file, gave KeyError / onnxruntime errors.
    import shutil

    from spinlens import Analyzer
    from spinlens.errors import ModelError
    from spinlens.models import ATTRIBUTION, TECHNIQUES

    cases = {"empty": ("{}", None), "list": ("[1, 2]", None), "graph": (None, ATTRIBUTION / "tagger.onnx")}
    for name, (card, onnx) in cases.items():
        folder = tmp_path / name
        shutil.copytree(TECHNIQUES, folder)
        if card is not None:
            (folder / "card.json").write_text(card)
        if onnx is not None:
            shutil.copy(onnx, folder / "model.onnx")
        with pytest.raises(ModelError, match="cannot read it"):
            Analyzer(model_dir=folder, attribution=False).analyze("The vile traitors are destroying our great nation, he said.")


@pytest.mark.parametrize("options", [{"threads": 0}, {"threads": -1}, {"batch_size": 0}, {"threads": 1.5}, {"batch_size": None}, {"threads": True}])
def test_thread_and_batch_counts_below_one_are_refused(options):
    # batch_size=None read the whole input before yielding anything; True passed as one thread.
    from spinlens import Analyzer

    with pytest.raises(ValueError, match="at least 1"):
        Analyzer(**options)


@pytest.mark.parametrize("options, message", [
    ({"model_dir": ""}, "model_dir"), ({"attribution_dir": ""}, "attribution_dir"), ({"model_dir": 2}, "model_dir"),
    ({"attribution": "yes"}, "attribution must be"),
])
def test_model_folders_and_switches_of_the_wrong_kind_are_refused(options, message):
    # model_dir="" (an empty environment variable) silently meant the shipped model.
    from spinlens import Analyzer

    with pytest.raises(ValueError, match=message):
        Analyzer(**options)


def test_an_article_too_long_or_binary_is_refused_like_a_text(analyzer):
    from spinlens import InputError
    from spinlens.ingest import MAX_TEXT_CHARS

    for text in ("word " * (MAX_TEXT_CHARS // 5 + 1), "\x00\x01" * 1000):
        with pytest.raises(InputError):
            analyzer.analyze(Article(text))
        with pytest.raises(InputError):
            analyzer.analyze(text)
