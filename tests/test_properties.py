"""Property-based tests (hypothesis) for the pure stages: attribution extraction and speaker linking, span
decoding, sentence splitting and the reports. Each property runs a fixed, derandomized set of examples, so a
run is repeatable and the file stays fast in CI."""

from __future__ import annotations

import io
import re

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from rich.console import Console

from conftest import article_text
from spinlens.attribution.data import TAGS
from spinlens.attribution.extractor import attributions_from_tags, speech_kind
from spinlens.attribution.intermediaries import find_intermediaries
from spinlens.attribution.source_types import classify_source
from spinlens.attribution.speakers import SpeakerSearches, resolve_speaker
from spinlens.ingest import CONTROL_CHARACTERS
from spinlens.labels import TECHNIQUES
from spinlens.render.html import render_fragment, render_page
from spinlens.render.summary import densest_sentences, safe_text, segments, speaker_name
from spinlens.render.terminal import _bracketed, render
from spinlens.sentences import split_sentences
from spinlens.spans import quote_mask, snap_to_words
from spinlens.techniques.decoding import DecodeSettings, decode_spans
from spinlens.types import KINDS, SOURCE_TYPES, Analysis, Article, Attribution, SentenceScore, TechniqueSpan, TextSpan

# deadline=None: the shared CI machine's timing says nothing about the code; database=None: no .hypothesis folder.
FAST = settings(derandomize=True, max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(FAST, max_examples=100)
MANY = settings(FAST, max_examples=150)

# Short sentences from the training data (PTC train articles, PolNeAR texts), copied here so that the tests
# never need the data folder; and a few written for the linking rules the data has no short example of.
REAL_SENTENCES = (
    "President Donald Trump immediately seized on the verdict on Thursday as evidence of the perils of \"Illegal Immigration.\"",
    "But the president had not sent the formal paperwork to Capitol Hill.",
    "WASHINGTON — President Donald Trump formally notified Congress on Tuesday that deputy CIA director Gina Haspel is his pick to lead the agency.",
    "\"It's embarrassing for this so-called land of democracy and freedom of speech,\" he said.",
    "“This is what intent was, that he would be given the opportunity to leave under his own steam and not under shackles,” she said.",
    "Outside the courtroom, Rombot said: “I just want to say thank you to my attorney, my pastor and all of my friends.”",
    "Attorney’s office is considering an appeal, a spokeswoman said.",
    "ICE Director Thomas Homan said in a statement on Thursday.",
    "She told a town hall that “local, state and federal laws prohibit me from taking action,” according to ABC affiliate WFAA.",
    "President Barack Obama’s aides preselected the news outlets that were allowed to ask questions at his news conferences.",
    "The pictures were published by numerous news outlets and shared by millions of people on social media.",
    "The Guardian said Manafort returned there in 2015 and 2016 and said its sources had “tentatively dated” the final visit to March.",
    "The newspaper added that Manafort’s visit was not entered into the embassy’s log book and cited a source as saying Manafort left after 40 minutes.",
    "Reuters quoted German Foreign Minister Sigmar Gabriel as saying.",
    "FBI spokeswoman Sandra Breault told the Las Vegas Review-Journal on Thursday, when asked why there had been no significant updates in two weeks.",
    "This prompted the Honduran Foreign Ministry to urge its citizens not to join the group, according to Reuters.",
    "According to the newspaper, “America’s porous gun laws empower dealers to sell weapons to essentially any adult who passes a background check.",
    "“It was very nice,” the gambling tycoon told Reuters in a rare interview in Macau when asked if he had met Trump.",
    "She said Smith always carried a gun despite being a convicted felon.",
    "The law enforcement sources also said tracer rounds were found in Paddock's hotel room.",
    "He made it clear that he’s interested in the idea of appointing Powell to the position, they said.",
    # Written for the rules: an outlet that quotes a source, and "the newspaper" after a named paper.
    "Russian Deputy Foreign Minister Sergei Ryabkov spoke in Geneva on Monday.",
    "RIA quoted him as saying the talks had failed, and the newspaper said Mr. Ryabkov was angry.",
    "“The talks have failed,” Ryabkov told The Washington Post, and Interfax quoted a senior official as saying it was over.",
)
SEPARATORS = (" ", "  ", "\n", "\n\n", "\r\n", "\u2028", "\u00a0")
# Pieces that reach the sentence splitter's, the quotation mask's and the renderers' corner cases.
PIECES = (
    ".", "!", "?", "…", ",", ":", "\"", "'", "''", "“", "”", "‘", "’", "«", "»", "(", ")", "[", "]", "-", "—",
    " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\f", "\v", "\x85", "\u2028", "\u2029", "\u00a0", "\x1c", "\x1b[2J", "\x07",
    "Mr.", "U.S.", "Jan.", "e.g.", "A.", "the", "said", "he", "she", "they", "Reuters", "outlets", "newspaper", "President",
    "a", "Z", "é", "e\u0301", "İ", "ß", "🙂", "<b>", "&amp;", "&", "<", ">", "{{", "%}", ":smile:", "0", "42",
)

pieced_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=30).map("".join)
real_text = st.lists(st.tuples(st.sampled_from(REAL_SENTENCES), st.sampled_from(SEPARATORS)), min_size=1, max_size=4).map(
    lambda parts: "".join(sentence + separator for sentence, separator in parts).rstrip(" ")
)
# Real sentences with random pieces spliced in, so that real words meet hostile characters.
mixed_text = st.lists(st.one_of(st.sampled_from(REAL_SENTENCES), st.sampled_from(PIECES), st.text(max_size=3)), max_size=8).map(" ".join)
any_text = st.one_of(st.text(max_size=60), pieced_text, real_text, mixed_text)
unit = st.floats(0.0, 1.0)


def word_pieces(draw, text: str) -> np.ndarray:
    """Token offsets as a word-piece tokenizer gives them: words and punctuation marks, words sometimes cut in pieces."""
    offsets = []
    for match in re.finditer(r"\w+|[^\w\s]", text):
        start, end = match.span()
        cuts = sorted(draw(st.sets(st.integers(start + 1, end - 1), max_size=2))) if end - start > 1 else []
        bounds = [start, *cuts, end]
        offsets += zip(bounds, bounds[1:])
    return np.array(offsets, dtype=np.int64).reshape(-1, 2)


@st.composite
def tokenised(draw, texts=any_text):
    text = draw(texts)
    return text, word_pieces(draw, text)


@st.composite
def slices(draw, text: str) -> TextSpan:
    """A TextSpan over the text: mostly whole words (as the tagger's spans are), sometimes any slice."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    if words and draw(st.booleans()):
        first = draw(st.integers(0, len(words) - 1))
        last = draw(st.integers(first, min(first + 5, len(words) - 1)))
        start, end = words[first][0], words[last][1]
    else:
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
    return TextSpan(start, end, text[start:end])


def assert_slice(text: str, span: TextSpan, nonempty: bool = True) -> None:
    assert 0 <= span.start <= span.end <= len(text), span
    assert not nonempty or span.start < span.end, span
    assert span.text == text[span.start : span.end], span


# Passages whose later mentions name an earlier one ("he", "the president", "the newspaper", a surname).
PASSAGES = (
    "Russian Deputy Foreign Minister Sergei Ryabkov spoke in Geneva on Monday.\n"
    "“The talks have failed,” Ryabkov told reporters, according to RIA Novosti.\nHe said that Washington was to blame.",
    "WASHINGTON — President Donald Trump formally notified Congress on Tuesday that deputy CIA director Gina Haspel is his pick to lead "
    "the agency. But the president had not sent the formal paperwork to Capitol Hill, she said.",
    "The Washington Post reported the talks on Friday. The newspaper said news outlets had been told nothing, and the paper quoted "
    "Mr. Smith as saying so. Tom Smith, a spokesman, said he was sorry. RIA quoted him as saying it was over.",
    "Foreign Ministry spokeswoman Maria Zakharova spoke on Monday. She said the report was false. Zakharova, who was angry, "
    "told Interfax that they would answer. Officials said they agreed.",
)


# --- attribution extraction and linking ---------------------------------------------------------------------

# O is the commonest tag, as in the tagger's output: a sequence mostly of roles groups little.
TAG_CHOICES = st.sampled_from([0, 0, 0, *range(len(TAGS))])


@st.composite
def tagger_outputs(draw):
    text, offsets = draw(tokenised(st.one_of(st.sampled_from(PASSAGES), real_text, mixed_text, pieced_text)))
    n = len(offsets)
    if draw(st.booleans()):  # one-hot tags, as the tests in test_attribution.py feed them
        tags = draw(st.lists(TAG_CHOICES, min_size=n, max_size=n))
        logits = np.full((n, len(TAGS)), -5.0)
        logits[np.arange(n), tags] = 5.0
    else:  # any logits: ties and near-ties between tags too
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        logits = rng.normal(size=(n, len(TAGS))) * draw(st.sampled_from([0.0, 0.5, 3.0]))
    return text, offsets, logits


@SOME
@given(tagger_outputs())
@example(("RIA quoted him as saying the talks had failed.", np.array([[0, 3], [4, 10], [11, 14], [15, 17], [18, 24], [25, 28], [29, 34]]),
          np.eye(len(TAGS))[[1, 3, 1, 0, 3, 5, 6]] * 10))
def test_attributions_from_any_tags_are_valid_spans_of_the_text(output):
    text, offsets, logits = output
    attributions = attributions_from_tags(text, offsets, logits)
    for a in attributions:
        for span in (a.cue, *a.sources, *a.contents, *a.via, *([a.speaker] if a.speaker else [])):
            assert_slice(text, span)
        assert a.kind in KINDS and a.source_type in SOURCE_TYPES
        assert (a.source_type == "none") == (not a.sources)  # classify_source names a type for every source
        assert 0.0 <= a.score <= 1.0
        assert list(a.contents) == sorted(a.contents, key=lambda c: c.start)
        assert list(a.via) == sorted(a.via, key=lambda v: v.start)
    # An Analysis holding them passes the schema's own checks, and round-trips through JSON.
    analysis = Analysis(Article(text), attributions=tuple(attributions))
    assert Analysis.from_json(analysis.to_json()) == analysis


@SOME
@given(st.data(), st.one_of(real_text, mixed_text, any_text))
def test_classify_source_names_one_of_the_source_types(data, text):
    source = data.draw(slices(text))
    assert classify_source(text, source) in SOURCE_TYPES
    assert classify_source(text, None) == "none"


# What the tagger takes for sources: pronouns, names, "the newspaper", "the president", "news outlets".
MENTION = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|him|her|[Tt]he (?:newspaper|president|agency|paper|network))\b|\bMr\. [A-Z][\w’-]+"
                     r"|\b(?:news )?outlets\b|\b[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*")


@st.composite
def mention_spans(draw, text: str) -> TextSpan:
    found = [m.span() for m in MENTION.finditer(text)]
    if not found:
        return draw(slices(text))
    start, end = draw(st.sampled_from(found))
    return TextSpan(start, end, text[start:end])


@st.composite
def linking_cases(draw):
    text = draw(st.one_of(st.sampled_from(PASSAGES), real_text, mixed_text))
    found = sorted({m.span() for m in MENTION.finditer(text)})
    # The tagger's sources: every mention, or some of them and some other spans.
    mentions = found if draw(st.booleans()) else sorted({(s.start, s.end) for s in draw(st.lists(st.one_of(mention_spans(text), slices(text)), max_size=8))})
    sources = draw(st.lists(st.one_of(mention_spans(text), mention_spans(text), slices(text)), min_size=1, max_size=4))
    return text, mentions, sources


@SOME
@given(linking_cases())
@example(("The newspaper said so. Reuters said outlets lied. The outlets said no.", [(4, 13), (36, 43)],
          [TextSpan(36, 43, "outlets"), TextSpan(54, 61, "outlets"), TextSpan(0, 13, "The newspaper")]))
def test_resolve_speaker_gives_a_slice_of_the_text_whatever_searches_came_before(case):
    text, mentions, sources = case
    shared = SpeakerSearches(text)
    for source in sources:
        speaker = resolve_speaker(text, source, mentions, shared)
        if speaker is not None:
            assert_slice(text, speaker)
        # The searches made for earlier sources change no later result.
        assert speaker == resolve_speaker(text, source, mentions)


@st.composite
def named_mentions(draw):
    """A text and its mentions as the tagger's sources are: whole words within a sentence."""
    text = draw(st.one_of(st.sampled_from(PASSAGES), real_text))
    found = sorted({m.span() for m in MENTION.finditer(text)})
    sources = [TextSpan(s, e, text[s:e]) for s, e in draw(st.lists(st.sampled_from(found), min_size=1, max_size=4))] if found else []
    return text, found, sources


def _speaker_case(text: str, name: str) -> tuple[str, list[tuple[int, int]], list[TextSpan]]:
    start = text.rindex(name)
    return text, [(start, start + len(name))], [TextSpan(start, start + len(name), name)]


@SOME
@given(named_mentions())
# Each gave a name with a space before it or over two sentences: " Sergei Ryabkov", "Monday.\xa0Sergei
# Ryabkov", "Capitol Hill\rSergei Ryabkov".
@example(_speaker_case("It rained on Monday.  Sergei Ryabkov left. Ryabkov said so.", "Ryabkov"))
@example(_speaker_case("It rained on Monday.\u00a0Sergei Ryabkov left. Ryabkov said so.", "Ryabkov"))
@example(_speaker_case("They met at Capitol Hill\rSergei Ryabkov left. Ryabkov said so.", "Ryabkov"))
def test_a_speaker_is_a_trimmed_name_within_one_sentence(case):
    text, mentions, sources = case
    starts = [start for start, _ in split_sentences(text)]
    for source in sources:
        speaker = resolve_speaker(text, source, mentions)
        if speaker is not None:
            assert speaker.text == speaker.text.strip(), speaker
            assert not any(speaker.start < s < speaker.end for s in starts), speaker


@SOME
@given(st.data(), st.one_of(st.sampled_from(PASSAGES), real_text, mixed_text))
def test_find_intermediaries_gives_ordered_disjoint_outlets_in_the_text(data, text):
    cue = data.draw(slices(text))
    sources = tuple(data.draw(st.lists(slices(text), max_size=2)))
    contents = tuple(data.draw(st.lists(slices(text), max_size=2)))
    via = find_intermediaries(text, cue, sources, contents)
    for v in via:
        assert_slice(text, v)
        assert not any(s.start <= v.start < s.end for s in sources)  # a source is not its own intermediary
    assert all(a.end <= b.start for a, b in zip(via, via[1:])), via


@FAST
@given(tokenised(any_text), st.data())
def test_speech_kind_and_quote_mask_accept_any_text(case, data):
    text, _ = case
    mask = quote_mask(text)
    assert mask.shape == (len(text),) and mask.dtype == bool
    contents = tuple(data.draw(st.lists(slices(text), max_size=3)))
    kind = speech_kind(text, contents, mask)
    assert kind in KINDS
    if not any(mask[c.start : c.end].any() for c in contents):
        assert kind == "indirect"  # nothing inside quotation marks is no direct speech


# --- span decoding ---------------------------------------------------------------------------------------------


@st.composite
def decoder_inputs(draw):
    text, offsets = draw(tokenised(any_text))
    n = len(offsets)
    probs = np.array(draw(st.lists(st.one_of(unit, st.sampled_from([0.0, 0.3, 0.5, 0.9, 1.0])), min_size=n, max_size=n)), dtype=np.float64)
    decode = DecodeSettings(
        threshold=draw(st.sampled_from([0.0, 0.3, 0.5, 0.99, 1.0])),
        merge_gap=draw(st.integers(0, 10)),
        min_chars=draw(st.integers(1, 5)),
        smooth=draw(st.integers(1, 5)),
    )
    return text, offsets, probs, decode


@MANY
@given(decoder_inputs())
def test_decoded_fragments_lie_in_the_text_in_order_within_a_sentence(case):
    text, offsets, probs, decode = case
    spans = decode_spans(text, offsets, probs, decode)
    starts = [start for start, _ in split_sentences(text)]
    for start, end, score in spans:
        assert 0 <= start < end <= len(text)
        assert end - start >= decode.min_chars
        assert 0.0 <= score <= 1.0
        assert snap_to_words(text, start, end) == (start, end)  # no word cut in half
        assert not any(start < s < end for s in starts), (text[start:end], starts)  # fragments stay within a sentence
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans  # in text order, none overlapping
    if not (probs >= decode.threshold).any() and decode.smooth == 1:
        assert spans == []


# --- sentences -------------------------------------------------------------------------------------------------

LINE_BREAKS = "\n\r\f\v\x85\u2028\u2029"


@MANY
@given(st.one_of(st.text(), pieced_text, real_text, mixed_text))
@example("Hi.\r\n“Yes,” he said.\u2028\u00a0\u00a0Mr. Smith left!\x85")
def test_sentences_are_ordered_trimmed_and_cover_every_visible_character(text):
    spans = split_sentences(text)
    covered = set()
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        sentence = text[start:end]
        assert sentence == sentence.strip()  # whitespace trimmed
        assert not set(sentence) & set(LINE_BREAKS)  # every line break ends a sentence
        covered.update(range(start, end))
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end < start and text[end:start].isspace()  # in order, apart, only whitespace between
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@MANY
@given(st.one_of(pieced_text, real_text, st.text(max_size=30)), st.one_of(pieced_text, real_text, st.text(max_size=30)),
       st.sampled_from(LINE_BREAKS))
def test_a_line_break_splits_the_sentences_of_the_lines_apart(first, second, line_break):
    shift = len(first) + 1
    assert split_sentences(first + line_break + second) == split_sentences(first) + [(s + shift, e + shift) for s, e in split_sentences(second)]


# --- reports ---------------------------------------------------------------------------------------------------


@st.composite
def analyses(draw, texts=any_text):
    text = draw(texts)
    n = len(text)

    def span() -> tuple[int, int]:
        start = draw(st.integers(0, n))
        return start, draw(st.integers(start, min(n, start + 40)))

    def text_span() -> TextSpan:
        start, end = span()
        return TextSpan(start, end, text[start:end])

    attributions = tuple(
        Attribution(
            text_span(), tuple(text_span() for _ in range(draw(st.integers(0, 2)))), tuple(text_span() for _ in range(draw(st.integers(0, 2)))),
            draw(st.sampled_from(KINDS)), draw(st.sampled_from(SOURCE_TYPES)), text_span() if draw(st.booleans()) else None,
            tuple(text_span() for _ in range(draw(st.integers(0, 2)))), draw(unit),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    techniques = []
    for _ in range(draw(st.integers(0, 6))):
        quoted = bool(attributions) and draw(st.booleans())
        techniques.append(TechniqueSpan(
            *span(), draw(st.sampled_from(TECHNIQUES)), draw(unit), draw(unit),
            "quoted" if quoted else "author", draw(st.integers(0, len(attributions) - 1)) if quoted else None,
        ))
    sentences = tuple(SentenceScore(*span(), draw(unit)) for _ in range(draw(st.integers(0, 4))))
    short = st.one_of(st.text(max_size=12), st.sampled_from(PIECES))
    article = Article(
        text,
        title=draw(st.none() | short),
        url=draw(st.none() | short | st.sampled_from(["https://example.org/a?b=1&c=<2>", "javascript:alert(1)", "HTTP://x.y/\r\n"])),
        metadata=draw(st.dictionaries(short, short, max_size=2)),
    )
    model = draw(st.dictionaries(st.sampled_from(["name", "version", "attribution", "x"]), short, max_size=3))
    return Analysis(article, tuple(techniques), sentences, attributions, draw(st.integers(0, 3)), model)


@FAST
@given(analyses())
def test_a_valid_analysis_reads_back_from_its_json(analysis):
    assert Analysis.from_json(analysis.to_json()) == analysis
    assert Analysis.from_json(analysis.to_json(indent=None)).to_dict() == analysis.to_dict()


@FAST
@given(analyses())
# The model's name and version went into the page raw (a JSON file's may hold control codes).
@example(Analysis(Article("Text."), model={"name": "\x1f", "version": "\x1b[2J"}))
def test_html_shows_the_article_escaped_with_its_offsets_and_no_control_codes(analysis):
    for page in (render_page(analysis), render_fragment(analysis)):
        assert article_text(page) == safe_text(analysis.text)  # every character, one for one
        assert not (set(page) - {"\t", "\n"}) & CONTROL_CHARACTERS
    page = render_page(analysis)
    for attribution in range(len(analysis.attributions)):  # the page's table names each speaker
        assert f"<td>{escape(safe_text(speaker_name(analysis, attribution)))}</td>" in page
    if analysis.article.title:
        assert f"<h1>{escape(safe_text(analysis.article.title))}</h1>" in page


def _without_sgr(report: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", report)


@FAST
@given(analyses(), st.sampled_from([None, "truecolor", "256", "standard"]), st.integers(40, 200))
def test_terminal_report_renders_any_analysis_without_control_codes(analysis, colour, width):
    out = io.StringIO()
    render(analysis, Console(file=out, force_terminal=colour is not None, color_system=colour, width=width))
    report = out.getvalue()
    assert not (set(_without_sgr(report)) - {"\n"}) & CONTROL_CHARACTERS  # only Rich's own colour codes
    if colour is None:
        assert "\x1b" not in report
    squashed = re.sub(r"\s+", "", _without_sgr(report))  # narrow consoles wrap the table's title
    assert f"{len(analysis.techniques)}techniquefragment" in squashed if analysis.techniques else "Notechniquefragmentsfound." in squashed


@FAST
@given(analyses(any_text.map(lambda t: re.sub(r"[\[\]0-9]", "_", t))))
def test_plain_brackets_open_and_close_at_each_fragments_offsets(analysis):
    # Without brackets or digits in the article, the markers can be read back: each "[" at a fragment's
    # start, each "]N" at the end of fragment N, and the article's text between them unchanged.
    bracketed = _bracketed(analysis)
    opened, closed, plain = [], {}, []
    for token in re.finditer(r"\[|\](\d+)|[^\[\]]", bracketed, re.S):
        if token.group() == "[":
            opened.append(len(plain))
        elif token.group(1):
            assert token.group(1) not in closed
            closed[token.group(1)] = len(plain)
        else:
            plain.append(token.group())
    assert "".join(plain) == safe_text(analysis.text)
    assert sorted(opened) == sorted(t.start for t in analysis.techniques)
    assert closed == {str(i + 1): t.end for i, t in enumerate(analysis.techniques)}


@FAST
@given(analyses())
def test_segments_partition_the_text_and_dense_sentences_rank_by_count(analysis):
    cut = segments(analysis)
    if analysis.text:
        assert cut[0].start == 0 and cut[-1].end == len(analysis.text)
    assert all(s.start < s.end for s in cut) and all(a.end == b.start for a, b in zip(cut, cut[1:]))
    dense = densest_sentences(analysis)
    assert len(dense) <= 5 and all(n > 0 for _, n in dense)
    assert [n for _, n in dense] == sorted((n for _, n in dense), reverse=True)
