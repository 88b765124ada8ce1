"""Claims, sentence by sentence: statuses and markers from the attribution parts and the word lists."""

import pytest

from spinlens.attribution.claims import author_claims, find_markers, sentence_claims
from spinlens.sentences import split_sentences
from spinlens.types import Analysis, Article, Attribution, SentenceScore, TextSpan


def span(text: str, part: str) -> TextSpan:
    start = text.index(part)
    return TextSpan(start, start + len(part), part)


def markers(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], kind) for s, e, kind in find_markers(text, 0, len(text))]


@pytest.mark.parametrize("text, expected", [
    ("Make no mistake: this corrupt regime is destroying our great nation.", [("Make no mistake", "booster")]),
    ("Rest assured, there is no doubt it is potentially worse.", [("Rest assured", "booster"), ("there is no doubt", "booster"), ("potentially", "hedge")]),
    ("It is much more likely that he may resign.", [("much more likely", "hedge"), ("may", "hedge")]),
    ("In May the senator resigned; by May 5 he had left. May 3 was quiet.", []),  # the month
    ("He spoke clearly about the bill.", []),  # a manner, not a certainty
    ("He could not attend, but the bill could fail.", [("could", "hedge")]),  # past inability is no hedge
    ("The plan reportedly failed, apparently by design.", [("reportedly", "hedge"), ("apparently", "hedge")]),
    ("Of course, in fact, it is clear.", [("Of course", "booster"), ("in fact", "booster"), ("it is clear", "booster")]),
])
def test_markers_are_found_in_their_claim_senses_only(text, expected):
    assert markers(text) == expected


def claims(text: str, attributions: tuple[Attribution, ...] = ()) -> list[tuple[str, int | None]]:
    sentences = tuple(SentenceScore(s, e, 0.5) for s, e in split_sentences(text))
    return [(s.claim.status, s.claim.attribution) for s in sentence_claims(text, sentences, attributions)]


def test_the_authors_sentences_are_asserted_hedged_boosted_or_asked():
    text = ("BIDEN VISITS OHIO\n\nThe senator voted against the bill on Monday. The vote may cost him the seat. "
            "Make no mistake, the vote was a betrayal. Why did he do it? Yes, really. It may well be, of course, a mistake.")
    assert claims(text) == [("none", None), ("asserted", None), ("hedged", None), ("boosted", None), ("question", None),
                            ("none", None), ("hedged", None)]  # a hedge wins over a booster


def test_a_sentence_of_an_attributions_words_is_attributed_to_it():
    text = "The minister said the talks had failed. The talks may resume. \"We will never give in,\" the spokesman said."
    said = Attribution(span(text, "said"), (span(text, "The minister"),), (span(text, "the talks had failed."),), "indirect",
                       "person", None, (), 0.9)
    quoted = Attribution(TextSpan(text.rindex("said"), text.rindex("said") + 4, "said"), (span(text, "the spokesman"),),
                         (span(text, "We will never give in,"),), "direct", "person", None, (), 0.9)
    assert claims(text, (said, quoted)) == [("attributed", 0), ("hedged", None), ("attributed", 1)]


def test_a_title_without_a_full_stop_is_no_claim_but_a_first_sentence_is():
    assert claims("Senate passes the budget bill\n\nThe Senate passed the bill on Friday night.")[0] == ("none", None)
    assert claims("The Senate passed the budget bill on Friday.\n\nIt goes to the House.")[0] == ("asserted", None)


def test_claims_round_trip_and_count_the_authors_own():
    text = "The plan may fail. The plan failed on Monday. Did it?"
    sentences = sentence_claims(text, tuple(SentenceScore(s, e, 0.5) for s, e in split_sentences(text)), ())
    analysis = Analysis(Article(text), (), sentences, (), author_claims(sentences))
    assert analysis.unattributed_sentences == 2
    again = Analysis.from_json(analysis.to_json())
    assert again == analysis and again.sentences[0].claim.markers[0].text == "may"
    data = analysis.to_dict()
    assert data["sentences"][0]["claim"] == {"status": "hedged", "markers": [{"start": 9, "end": 12, "text": "may", "kind": "hedge"}], "attribution": None}
    del data["sentences"][0]["claim"]  # an analysis made before claims reads back without them
    assert Analysis.from_dict(data).sentences[0].claim is None
    data["sentences"][1]["claim"] = {"status": "attributed", "markers": [], "attribution": 3}
    with pytest.raises(ValueError, match=r"sentences\[1\].claim: status 'attributed' with attribution 3"):
        Analysis.from_dict(data)


def attribution(text: str, cue: str, sources: tuple[str, ...] = (), contents: tuple[str, ...] = (), kind: str = "indirect",
                score: float = 0.9, cue_at: int = 0) -> Attribution:
    """An attribution of the fragments of text; the cue is its occurrence from cue_at on."""
    start = text.index(cue, cue_at)
    return Attribution(TextSpan(start, start + len(cue), cue), tuple(span(text, s) for s in sources),
                       tuple(span(text, c) for c in contents), kind, "person", None, (), score)


@pytest.mark.parametrize("markers_text, expected", [
    ("He spoke clearly. Clearly, the plan failed.", [("Clearly", "booster")]),  # the word before is another sentence's
    ("Cruz urged them to drop out so the factions could coalesce around him.", []),  # a purpose, no possibility
    ("So the plan could fail. It rained, so the game could be cancelled.", [("could", "hedge"), ("could", "hedge")]),
    ("None of this is meant to suggest a plot. I suggest we wait. The data suggest a plot.", [("suggest", "hedge")]),
    ("Cruz suggested they should drop out.", []),  # what someone proposed or said
    ("Money doesn't necessarily win. Quite simply, it failed. Guilt is left to be determined.",
     [("doesn't necessarily", "hedge"), ("Quite simply", "booster"), ("left to be determined", "hedge")]),
])
def test_markers_refuse_purpose_proposal_and_look_inside_their_sentence(markers_text, expected):
    found = [m for s, e in split_sentences(markers_text) for m in find_markers(markers_text, s, e)]
    assert [(markers_text[s:e], kind) for s, e, kind in found] == expected


def test_a_cue_of_an_act_leaves_the_sentence_the_authors_and_a_reporting_cue_does_not():
    text = "Obama's aides preselected the news outlets that were allowed to ask questions."
    act = attribution(text, "preselected", ("Obama's aides",), ("the news outlets that were allowed to ask questions",))
    assert claims(text, (act,)) == [("asserted", None)]
    said = text.replace("preselected", "said they chose")
    reported = attribution(said, "said", ("Obama's aides",), ("they chose the news outlets that were allowed to ask questions",))
    assert claims(said, (reported,)) == [("attributed", 0)]


def test_a_cue_the_tagger_split_from_its_reporting_verb_still_reports():
    text = "A Twitter spokesman said on Saturday that there were one million tweets with the hashtag."
    split = attribution(text, "Saturday", ("A Twitter spokesman",), ("that there were one million tweets with the hashtag",))
    assert claims(text, (split,)) == [("attributed", 0)]


def test_an_attribution_in_a_relative_clause_leaves_the_main_clause_the_authors():
    text = "It was negotiated with help from Perez, who said he expects the agreement to be finalized over the weekend."
    aside = attribution(text, "said", ("Perez", "who"), ("he expects the agreement to be finalized over the weekend",))
    assert claims(text, (aside,)) == [("asserted", None)]
    quoted = "\"Trump is a dictator in the making,\" said Beck, who said there were too many disturbing things."
    first = attribution(quoted, "said", ("Beck",), ("Trump is a dictator in the making,",), kind="direct")
    second = attribution(quoted, "said", ("who",), ("there were too many disturbing things",), cue_at=quoted.index("who"))
    assert claims(quoted, (first, second)) == [("attributed", 0)]  # the sentence reports Beck's words anyway


def test_a_cue_sentence_is_attributed_when_it_opens_a_quotation_not_when_it_describes_an_act():
    text = "Murillo wrote at the outset of the message:\n\n\"We are done with this.\""
    opens = attribution(text, "wrote", ("Murillo",), ("We are done with this.",))
    assert claims(text, (opens,)) == [("attributed", 0), ("attributed", 0)]
    act = "President Recep Tayyip Erdogan laments hosting the growing number of migrants."
    laments = attribution(act, "laments", ("President Recep Tayyip Erdogan",), ("number of",))
    assert claims(act, (laments,)) == [("asserted", None)]


def test_an_unsure_attribution_without_a_source_does_not_count_but_a_quotation_does():
    text = "Sporadic cases have occurred since the epidemic was brought under control, with few patients confirmed."
    content = ("cases have occurred since the epidemic was brought under control",)
    assert claims(text, (attribution(text, "confirmed", (), content, score=0.5),)) == [("asserted", None)]
    assert claims(text, (attribution(text, "confirmed", (), content, score=0.9),)) == [("attributed", 0)]
    quoted = "These geniuses also \"Support Enactment of Comprehensive Background Checks and a Ban on Bump Stocks.\""
    odd_cue = attribution(quoted, "also", (), ("Support Enactment of Comprehensive Background Checks and a Ban on Bump Stocks.",), score=0.6)
    assert claims(quoted, (odd_cue,)) == [("attributed", 0)]


def test_the_author_citing_themselves_or_asking_after_a_content_keeps_the_claim():
    text = "We reported last month that the same officials had promised lower prices by the autumn."
    ours = attribution(text, "reported", ("We",), ("that the same officials had promised lower prices by the autumn",))
    assert claims(text, (ours,)) == [("asserted", None)]
    asked = "As Reuters reports, gas prices have doubled since the spring. Are we supposed to believe this is worth it?"
    swallowed = attribution(asked, "reports", ("Reuters",), ("gas prices have doubled since the spring.",
                                                            "Are we supposed to believe this is worth it?"))
    assert claims(asked, (swallowed,)) == [("attributed", 0), ("question", None)]


def test_a_quotation_the_tagger_left_out_of_the_content_counts_with_it():
    text = "\"He is always calling me names. I admit, he is taller than me,\" Rubio said Sunday in Virginia."
    part = attribution(text, "said", ("Rubio",), ("I admit,",), kind="direct")
    assert claims(text, (part,))[-1] == ("attributed", 0)


def test_a_line_of_its_own_without_a_full_stop_is_no_claim():
    text = "The title is a sentence.\n\nHaig named as person of interest\nArticle posted with permission from The Free Thought Project\nHe was named on Monday."
    assert [status for status, _ in claims(text)] == ["asserted", "none", "none", "asserted"]
    assert claims("The plan may fail on Monday")[0] == ("hedged", None)  # a text of one line is not a heading


def test_reporting_verbs_are_inflected_with_their_doubled_consonants():
    from spinlens.attribution.claims import REPORTING_WORDS
    assert {"said", "admitted", "quipped", "argued", "denies", "according", "stressed"} <= REPORTING_WORDS
    assert not {"preselected", "spoke", "discussed", "used"} & REPORTING_WORDS
