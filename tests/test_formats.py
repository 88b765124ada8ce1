from pathlib import Path

import pytest

from conftest import FIXTURES
from spinlens.formats.ptc import (
    LabelledSpan,
    format_si,
    format_tc,
    labelled_article_id,
    parse_label_lines,
    read_articles,
    read_labels,
)


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


def test_a_file_that_is_not_utf8_is_named_with_its_byte(tmp_path):
    (tmp_path / "article1.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(ValueError, match=r"article1\.txt is not valid UTF-8 \(byte 3\)"):
        read_articles(tmp_path)
    (tmp_path / "gold.labels").write_bytes(b"1\tDoubt\t0\t2\n1\tDoubt\xff\t0\t2\n")
    with pytest.raises(ValueError, match=r"gold\.labels is not valid UTF-8 \(byte 19\)"):
        read_labels(tmp_path)


def test_a_bad_line_in_a_label_folder_names_its_file(tmp_path):
    (tmp_path / "article1.task2-TC.labels").write_text("1\tDoubt\t0\t2\r\n1\tDoubt\tx\t2\n")
    with pytest.raises(ValueError, match=r"article1\.task2-TC\.labels: line 2: expected 3 or 4"):
        read_labels(tmp_path)


@pytest.mark.parametrize(
    "line, message",
    [
        ("1\t?\t-1\t4", "line 2: start -1 is negative"),
        ("1\t?\t5\t5", "line 2: start 5 is not before end 5"),
        ("1\t?\t6\t4", "line 2: start 6 is not before end 4"),
        ("1\t?\t2\t11", r"line 2: end 11 is past the end of article 1 \(10 characters\)"),
        ("2\t?\t0\t4", "line 2: no article 2 among the articles"),
    ],
)
def test_spans_must_lie_within_their_articles(line, message):
    with pytest.raises(ValueError, match=message):
        list(parse_label_lines(["1\t?\t0\t10", line], {"1": 10}))
    assert len(list(parse_label_lines([line]))) == 1  # unchecked without lengths


def test_gold_of_other_articles_can_be_left_out():
    lines = ["1\tDoubt\t0\t10", "2\tDoubt\t0\t99"]
    assert list(parse_label_lines(lines, {"1": 10}, skip_other_articles=True)) == [LabelledSpan("1", 0, 10, "Doubt")]


def test_label_file_names_give_their_article():
    assert labelled_article_id(Path("article111.task2-TC.labels")) == "111"
    assert labelled_article_id(Path("gold.task1-SI.labels")) == "gold"


def test_brat_span_problems_are_found_and_other_lines_ignored():
    from spinlens.formats.brat import span_problem

    good = "T1\tSource 0 3\tHe\nT2\tCue 4 8\tsaid\n#1\tAnnotatorNotes T1\tnote\nE1\tAttribution:T2 Cue:T2 Source:T1\n"
    assert span_problem(good, 8) is None
    assert "does not lie within" in span_problem(good, 7)
    assert span_problem("T1\tContent 9 4\tx\n", 20).startswith("line 1: span 9 4")
    assert "cannot read" in span_problem("T1\tCue 1 2;3\tx\n", 20)
    assert span_problem("T1\tOther 0 999\tx\n", 5) is None  # roles that are not scored are not checked


def test_two_files_of_one_article_are_refused(tmp_path):
    # article1.txt and 1.txt are both article 1: one replaced the other and predictions silently lost it.
    from spinlens.formats.ptc import read_articles

    (tmp_path / "article1.txt").write_text("One text.")
    (tmp_path / "1.txt").write_text("Another text.")
    with pytest.raises(ValueError, match="are both article 1"):
        read_articles(tmp_path)


def test_a_label_file_may_open_with_a_byte_order_mark(tmp_path):
    # The BOM became part of the first line's id, and that gold line was skipped as another article's.
    from spinlens.formats.ptc import read_labels

    path = tmp_path / "gold.txt"
    path.write_bytes("\ufeff1\tDoubt\t0\t3\n1\tSlogans\t4\t8\n".encode())
    spans = read_labels(path, {"1": 10}, skip_other_articles=True)
    assert [(s.article_id, s.technique) for s in spans] == [("1", "Doubt"), ("1", "Slogans")]


def test_offsets_are_ascii_digits():
    from spinlens.formats.ptc import parse_label_lines

    with pytest.raises(ValueError, match="line 1"):
        list(parse_label_lines(["1\t?\t\u0661\t5"]))


@pytest.mark.parametrize("name", ["#7.txt", "a\tb.txt", "a\nb.txt", "a\rb.txt"])
def test_article_ids_that_would_break_label_lines_are_refused(tmp_path, name):
    # "#7" made every line of its article a comment; "a<TAB>b" added a column to each.
    from spinlens.formats.ptc import article_id

    (tmp_path / name).write_text("Some text.")
    with pytest.raises(ValueError, match="would break its label lines"):
        read_articles(tmp_path)
    assert article_id(Path("article7.txt")) == "7" and article_id(Path("x#7.txt")) == "x#7"


def test_techniques_must_be_the_14_labels_and_tc_lines_must_have_one():
    # A misspelt technique, an SI line or a template "?" matched nothing in TC and FLC and scored 0.
    with pytest.raises(ValueError, match="line 2: unknown technique 'Loaded_language'"):
        list(parse_label_lines(["1\tLoaded_Language\t0\t5", "1\tLoaded_language\t0\t5"]))
    for line in ("1\t0\t5", "1\t?\t0\t5"):
        with pytest.raises(ValueError, match="line 1: no technique"):
            list(parse_label_lines([line], need_technique=True))
        assert len(list(parse_label_lines([line]))) == 1  # SI lines and templates, where no technique is needed


def test_a_repeated_brat_id_is_refused():
    # parse_brat keeps one span per id, so the scorer silently dropped the other line.
    from spinlens.formats.brat import span_problem

    content = "T1\tSource 0 3\tHe\nT2\tCue 4 8\tsaid\nT1\tContent 9 12\tyes\nE1\tAttribution:T2 Cue:T2\n"
    assert span_problem(content, 20) == "line 3: id T1 is used again (first on line 1)"
    assert span_problem(content.replace("T1\tContent", "T3\tContent"), 20) is None


def test_a_brat_file_may_open_with_a_byte_order_mark_and_a_bad_one_is_named(tmp_path):
    # The BOM made the first line unreadable, so its span was silently dropped.
    from spinlens.formats.brat import read_brat

    path = tmp_path / "a_ab12.ann"
    path.write_bytes("\ufeffT1\tSource 0 5\tTrump\nT2\tCue 6 10\tsaid\n".encode())
    assert sorted(read_brat(path).spans) == ["T1", "T2"]
    path.write_bytes(b"T1\tSource 0 5\tTr\xffmp\n")
    with pytest.raises(ValueError, match=r"a_ab12\.ann is not valid UTF-8 \(byte 16\)"):
        read_brat(path)
