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
