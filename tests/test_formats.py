import pytest

from spinlens.formats.ptc import LabelledSpan, format_si, format_tc, parse_label_lines, read_articles, read_labels

from conftest import FIXTURES


def test_label_lines_round_trip():
    spans = [LabelledSpan("7", 3, 9, "Doubt"), LabelledSpan("7", 0, 2, "Name_Calling,Labeling")]
    assert list(parse_label_lines(format_tc(spans).splitlines())) == spans
    si = [LabelledSpan("7", 3, 9)]
    assert list(parse_label_lines(format_si(si).splitlines())) == si


def test_template_question_mark_means_no_technique():
    assert list(parse_label_lines(["1\t?\t4\t8"])) == [LabelledSpan("1", 4, 8, None)]


def test_bad_line_names_its_number():
    with pytest.raises(ValueError, match="line 2"):
        list(parse_label_lines(["1\t2\t3", "1\tx\t3"]))


def test_fixture_articles_keep_every_character():
    articles = read_articles(FIXTURES / "ptc" / "articles")
    assert set(articles) == {"728153988", "999000565", "761780613"}
    raw = (FIXTURES / "ptc" / "articles" / "article999000565.txt").read_bytes().decode("utf-8")
    assert articles["999000565"] == raw
    labels = read_labels(FIXTURES / "ptc" / "labels")
    span = next(s for s in labels if s.article_id == "999000565" and s.technique == "Loaded_Language")
    assert articles["999000565"][span.start : span.end] == "to trigger"
