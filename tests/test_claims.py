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
    ("You could see her posing, and the city could see a rise.", [("could", "hedge")]),  # a person's perception is no hedge
    ("No one who could corroborate it could have done more; it could have been a bomb.", [("could have", "hedge")]),  # ability, counterfactual
    ("You may opt out wherever they may occur; it may be subject to arrest, which may or may not be right.",
     [("may or may not", "hedge")]),  # permission, a generalisation, legal liability; the phrase once
    ("Likely voters, seen as likely disrupters, will likely stay as plain as you can possibly make it, the only way he could.",
     [("likely", "hedge")]),  # adjectives of nouns, emphasis and an elliptical ability are no hedges
    ("In reality, I guarantee you it was somewhat worse, and she made clear why.",
     [("In reality", "booster"), ("I guarantee", "booster"), ("somewhat", "hedge"), ("made clear", "booster")]),
    ("The plan reportedly failed, apparently by design.", [("reportedly", "hedge"), ("apparently", "hedge")]),
    ("They asked whether this could mean a deal and how he might win, but the deal could fail.",
     [("could", "hedge")]),  # an indirect question's possibility is not the author's; after a comma the clause is new
    ("The sun might look the same, but it may rain.", [("may", "hedge")]),  # a concession ("might look ..., but") is no hedge
    ("The most unlikely candidate is unlikely to win; an unlikely alliance.", [("unlikely", "hedge")]),  # adjectives of nouns
    ("I could deal with it, but they could face a fine and you could say so.", [("could", "hedge"), ("could", "hedge")]),  # an option
    ("It was never possible; it is possible.", [("it is possible", "hedge")]),  # negated by "never"
    ("It may seem odd.", [("may", "hedge"), ("seem", "hedge")]),  # without a "but" it hedges
    ("It could have been prevented if he had listened.", []),  # a counterfactual conditional
    ("It could have been prevented.", [("could have", "hedge")]),  # without an "if", a conjecture as before
    ("Of course, in fact, it is clear.", [("Of course", "booster"), ("in fact", "booster"), ("it is clear", "booster")]),
    # a modal inside someone's past thought or a fear is theirs; the author's own present fear still hedges
    ("I thought she might do it; the fear of what might lie ahead; he believed it could be done.", []),
    ("But I fear that control of propaganda may be such.", [("may", "hedge")]),
    ("It may rain; she thought so.", [("may", "hedge")]),  # the thought after the modal leaves it the author's
    # any hedge inside a fear, a hint or a chance the sentence reports; a change of odds reported
    ("Progressives are fearful that the party is potentially compromised, as the White House hints at what his plans might include.", []),
    ("He held on to the remote chance that she may be indicted.", []),
    ("Voters said they were much less likely to vote for him; he will likely lose.", [("likely", "hedge")]),
    # a condition's ability, a generalisation about anyone, a formula or advice, "ever"
    ("If everyone could vote, whatever one might put on it, and somebody might say so.", []),
    ("These, I might add, are rare; you might want to wait; we might be tempted; readers may recall it.", []),
    ("Beyond any the world could ever have imagined.", []),
    ("If he loses, the party could split.", [("could", "hedge")]),  # after the comma the clause is the author's
    # a concession's verb of seeming; a poll's category; "as much as is possible"
    ("This may seem large, but it is small.", []),
    ("Those describing themselves as somewhat conservative.", []),
    ("We go with as much momentum as is possible.", []),
    # a marker inside a quotation of at most four words is a quoted label or answer, not a hedge
    ("Voters who are “somewhat liberal” and the 21 percent who said “not too likely” agree.", []),
    ("It is classified as “potentially hazardous” by the center.", []),
    ("He said, “It may well rain tomorrow over the hills.”", [("may", "hedge")]),  # a longer quotation hedges
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


LEDE = "The Senate passed the budget bill on Friday night after a long debate over spending and taxes."


def test_a_title_without_a_full_stop_is_no_claim_but_a_first_sentence_is():
    assert claims("Senate passes the budget bill\n\nThe Senate passed the bill on Friday night.")[0] == ("none", None)
    assert claims(LEDE + "\n\nIt goes to the House.")[0] == ("asserted", None)
    # A short first paragraph of one sentence is a headline, full stop or not (PolNeAR's titles have one)
    assert claims("Barbs and pleas before N.H. vote.\n\nCandidates made their last pitches on Monday.") == [("none", None), ("asserted", None)]
    # not when the line goes on, or runs into the next line without a blank one
    assert claims("He made his pitch. Candidates made their last pitches on Monday.\n\nMore follows.")[0] == ("asserted", None)
    assert claims("Barbs and pleas before N.H. vote.\nCandidates made their last pitches on Monday.")[0] == ("asserted", None)


def test_a_headline_has_no_markers_since_it_makes_no_claim():
    text = "Calif. may raise minimum wage to $15 by 2022.\n\nThe state assembly voted on Monday."
    sentences = sentence_claims(text, tuple(SentenceScore(s, e, 0.5) for s, e in split_sentences(text)), ())
    assert [(s.claim.status, s.claim.markers) for s in sentences] == [("none", ()), ("asserted", ())]
    assert find_markers(text, 0, len(text))  # the words are there: the headline drops them


def test_a_credit_line_is_no_claim():
    assert claims("The vote was close. The Associated Press contributed to this report.") == [("asserted", None), ("none", None)]


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
    assert [status for status, _ in claims(text)] == ["none", "none", "none", "asserted"]  # the first: a short first paragraph
    assert claims("The plan may fail on Monday")[0] == ("hedged", None)  # a text of one line is not a heading


def test_reporting_verbs_are_inflected_with_their_doubled_consonants():
    from spinlens.attribution.claims import REPORTING_WORDS
    assert {"said", "admitted", "quipped", "argued", "denies", "according", "stressed"} <= REPORTING_WORDS
    assert not {"preselected", "spoke", "discussed", "used"} & REPORTING_WORDS


def test_a_judging_speech_act_or_a_speech_act_noun_reports_its_content():
    text = "The FBI director chastised Clinton for use of the server but did not recommend prosecution."
    judged = attribution(text, "chastised", ("The FBI director",), ("Clinton for use of the server but",))
    assert claims(text, (judged,)) == [("attributed", 0)]
    noun = "Mrs. Clinton has been frank in her acknowledgment that she needs to raise revenue, through a tax on the rich."
    acknowledged = attribution(noun, "frank in her acknowledgment", ("Mrs. Clinton",), ("that she needs to raise revenue",))
    assert claims(noun, (acknowledged,)) == [("attributed", 0)]


def test_a_content_that_only_points_back_is_the_sentence_before():
    text = "Records say Haig may have conspired with the gunman. Haig strongly denies that."
    denies = attribution(text, "strongly denies", ("Haig",), ("that.",), cue_at=text.index("Haig strongly"))
    assert claims(text, (denies,))[1] == ("attributed", 0)


def test_relative_and_adverbial_clauses_are_asides_but_a_relative_after_the_cue_is_the_sources():
    text = ("The U.N. called an emergency meeting to discuss the test, which state news media claimed now allows "
            "Pyongyang to produce nuclear warheads small enough to attach to ballistic missiles.")
    aside = attribution(text, "claimed now", ("state news media",),
                        ("allows Pyongyang to produce nuclear warheads small enough to attach to ballistic missiles",))
    assert claims(text, (aside,)) == [("asserted", None)]
    although = "Although Trump has admitted using the tax code for years, he does not defend it."
    admitted = attribution(although, "has admitted", ("Trump",), ("using the tax code for years",))
    assert claims(although, (admitted,)) == [("asserted", None)]
    cleft = "That’s when she pointed to reports that Trump called the pageant winner names."
    pointed = attribution(cleft, "pointed to", ("she",), ("reports that Trump called the pageant winner names",))
    assert claims(cleft, (pointed,)) == [("attributed", 0)]  # a cleft puts the report first
    because = "Trump blasted Sessions because, he said, the former senator never took control of the department."
    said = attribution(because, "said", ("he",), ("the former senator never took control of the department",))
    assert claims(because, (said,)) == [("attributed", 0)]  # a parenthesis governs the clause
    quoted = "Acts reads: “Because he saw it pleased the crowd, he proceeded further to take Peter also.”"
    saw = attribution(quoted, "saw", ("he",), ("it pleased the crowd, he proceeded further to take Peter also.",), kind="direct")
    assert claims(quoted, (saw,)) == [("attributed", 0)]  # the quoted speaker's own subordinate clause
    continued = "To which she said, “Thank God at least you still believe in the devil.”"
    she = attribution(continued, "said", ("she",), ("“Thank God at least you still believe in the devil.”",), kind="direct")
    assert claims(continued, (she,)) == [("attributed", 0)]  # a relative that opens the sentence continues the last
    parenthesis = "All of which, he said, would help ensure confidence in the process and lead toward a broad coalescing."
    he = attribution(parenthesis, "said", ("he",), ("would help ensure confidence in the process and lead toward a broad coalescing.",))
    assert claims(parenthesis, (he,)) == [("attributed", 0)]
    according = "According to Zakkout, who sits on the boards of two groups, Anderson’s declaration “makes a lot of sense.”"
    zakkout = attribution(according, "According to", ("Zakkout", "who sits"), ("Anderson’s declaration “makes a lot of sense",))
    assert claims(according, (zakkout,)) == [("attributed", 0)]


def test_the_middle_of_a_quotation_is_its_speakers_when_the_quotation_closes():
    text = ("Clinton was asked about her style. \"I love to wave my arms. And I can’t yell too much. It comes across "
            "as too loud,\" she said.")
    said = attribution(text, "said", ("she",), ("It comes across as too loud,",), kind="direct")
    assert claims(text, (said,)) == [("asserted", None), ("attributed", 0), ("attributed", 0), ("attributed", 0)]
    paragraph = "She said: \"I love to wave my arms. And I can’t yell too much.\n\n\"It comes across as too loud.\""
    opened = attribution(paragraph, "said:", ("She",), ("I love to wave my arms.",), kind="direct")
    assert claims(paragraph, (opened,))[1] == ("attributed", 0)  # a quotation over paragraphs leaves each open
    stray = "She said: \"I love to wave my arms. And I can’t yell too much.\nIt was late.\nThe hall emptied."
    opened = attribution(stray, "said:", ("She",), ("I love to wave my arms.",), kind="direct")
    assert claims(stray, (opened,))[1:3] == [("asserted", None), ("asserted", None)]  # never closed: a stray mark, maybe


def test_a_content_the_tagger_ran_on_past_the_closing_mark_is_the_authors():
    text = "“It includes all of that,” Ray told the paper. Indoctrination means to teach a person to accept a belief uncritically."
    told = attribution(text, "told", ("Ray", "the paper"),
                       ("“It includes all of that,”", "Indoctrination means to teach a person to accept a belief uncritically."), kind="mixed")
    assert claims(text, (told,)) == [("attributed", 0), ("asserted", None)]


def test_a_short_sentence_with_a_pronoun_is_a_claim_and_a_short_question_asks():
    text = "Primary results\n\nHe was beaten in the primary on Tuesday by a wide margin across the state.\n\nHe’ll be back.\n\nJust ask him.\n\nHarsh?\n\nBobba Luie.\n\nThank you."
    assert [status for status, _ in claims(text)] == ["none", "asserted", "asserted", "asserted", "question", "none", "none"]


def test_page_furniture_and_a_first_line_in_title_case_are_no_claims():
    text = ("Stealth Over Health: Hillary Clinton Was Headed to ER But Diverted to Avoid Bad Optics.\n"
            "The campaign kept quiet on Sunday.\n"
            "Will Brett Kavanaugh be confirmed to the Supreme Court?\n"
            "Will Brett Kavanaugh be confirmed to the Supreme Court?\n"
            "Will the vote come before the midterms?\n"
            "You also agree to this site's Privacy Policy and Terms of Use.")
    assert [status for status, _ in claims(text)] == ["none", "asserted", "none", "none", "question", "none"]
    assert claims(LEDE + "\n\nIt goes to the House.")[0] == ("asserted", None)


def test_a_question_about_a_speech_act_is_the_authors_unless_the_cue_is_set_off():
    text = "Did Campos call 911 after the shooting?"
    call = attribution(text, "call", (), ("Campos", "911 after the shooting?"))
    assert claims(text, (call,)) == [("question", None)]
    asked = "Why, he asked, should the city pay for all of this?"
    reported = attribution(asked, "asked", ("he",), ("Why,", "should the city pay for all of this?"))
    assert claims(asked, (reported,)) == [("attributed", 0)]


def test_a_report_without_its_content_is_elliptical_unless_it_is_a_refusal():
    text = "A poll found that most voters wanted the returns. Sixty-two percent of Republicans agreed."
    agreed = attribution(text, "agreed", ("Sixty-two percent of Republicans",))
    assert claims(text, (agreed,))[1] == ("attributed", 0)
    refused = "Councilman Reyes declined to comment on Friday."
    comment = attribution(refused, "declined to comment", ("Councilman Reyes",))
    assert claims(refused, (comment,)) == [("asserted", None)]


def test_a_that_clause_after_the_opening_source_and_cue_runs_to_the_end():
    text = ("Fowler noted that at one of his first meetings, in 1972, he supported a decision to nominate Sargent Shriver "
            "to replace Thomas Eagleton as George McGovern’s vice presidential nominee.")
    noted = attribution(text, "noted", ("Fowler",), ("that at one of his first meetings, in 1972",))
    assert claims(text, (noted,)) == [("attributed", 0)]
    passive = "However, it is now being reported that an informant in the deal has told congressional committees that Moscow paid lobbyists."
    reported = attribution(passive, "is now being reported", (), ("that an informant in the deal",))
    assert claims(passive, (reported,)) == [("attributed", 0)]
    split = "Haig told the AP on Tuesday that he sold unspecified ammunition to the gunman months before."
    told = attribution(split, "told", ("Haig",))
    assert claims(split, (told,)) == [("attributed", 0)]


@pytest.mark.parametrize("text, expected", [
    ("The latter tend to draw from the district. In part, the speech reflected it.", [("tend to", "hedge"), ("In part", "hedge")]),
    ("While Democrats appeared stunned, he appeared on Fox News. Prices appear to rise.", [("appeared", "hedge"), ("appear to", "hedge")]),
    ("A grid failure is possible. Act as soon as possible on his possible complicity; it is not possible to know.",
     [("possible", "hedge")]),
    ("Sure he was crazy. Make sure you vote. I'm not sure.", [("Sure", "booster"), ("not sure", "hedge")]),
    ("Francis makes it very clear that he approves.", [("makes it very clear", "booster")]),
])
def test_more_hedges_and_boosters_in_their_claim_senses_only(text, expected):
    found = [m for s, e in split_sentences(text) for m in find_markers(text, s, e)]
    assert [(text[s:e], kind) for s, e, kind in found] == expected


def test_judging_speech_acts_and_their_nouns_are_reporting_words():
    from spinlens.attribution.claims import REPORTING_WORDS
    assert {"chastised", "criticized", "blasted", "expressed", "acknowledgment", "denial"} <= REPORTING_WORDS
    assert not {"attacked", "defended"} & REPORTING_WORDS  # as often deeds as words


def test_a_transcript_turn_runs_from_its_speaker_label_to_the_next_label_or_a_blank_line():
    text = ("HANNITY: All right.\nI got a note from a congressman about it.\nIs that true?\n"
            "DB: What about the money?\nIt came from abroad, the records show it.\n"
            "CARTER: I believe that is true.\nWe will know more next week.\n\nThe interview aired on Friday night.")
    hannity = attribution(text, ":", ("HANNITY",), ("All right.",))
    carter = attribution(text, ":", ("CARTER",), ("I believe that is true.",), cue_at=text.index("CARTER"))
    assert claims(text, (hannity, carter)) == [
        ("attributed", 0), ("attributed", 0), ("attributed", 0),  # the speaker's question too
        ("question", None), ("asserted", None),  # a label the tagger missed ends the turn before it
        ("attributed", 1), ("attributed", 1),
        ("asserted", None)]  # and so does a blank line
    alone = "The speaker was blunt.\nGingrich: We will win the House.\nThe polls disagree with him."
    one = attribution(alone, ":", ("Gingrich",), ("We will win the House.",))
    assert claims(alone, (one,))[2] == ("asserted", None)  # one label is no exchange, more often an introduction


def test_a_subject_owns_the_relative_clause_after_it_and_where_opens_one():
    text = "Wasserman Schultz, who is reviled by progressives, said at the hearing that drafting the platform is an open process."
    said = attribution(text, "said", ("Wasserman Schultz", "who", "progressives"), ("drafting the platform is an open process.",))
    assert claims(text, (said,)) == [("attributed", 0)]
    met = "The senator met Perez, who said at the hearing that drafting the platform is an open process."
    perez = attribution(met, "said", ("Perez", "who"), ("drafting the platform is an open process.",))
    assert claims(met, (perez,)) == [("asserted", None)]  # the source is the object of the author's clause
    rally = "The evidence was a clip from a rally in Ohio, where the secretary of state said she was there to help."
    secretary = attribution(rally, "said", ("the secretary of state",), ("she was there to help.",))
    assert claims(rally, (secretary,)) == [("asserted", None)]


def test_a_report_of_why_or_whether_runs_to_the_end_and_the_authors_own_wondering_is_theirs():
    text = "She explained why the administration decided to take a comprehensive approach, which gives the regime no way out."
    explained = attribution(text, "explained", ("She",), ("why the administration decided to take a comprehensive approach",))
    assert claims(text, (explained,)) == [("attributed", 0)]
    wonder = "I sometimes wonder how long that list is going to be when this is all over."
    own = attribution(wonder, "sometimes wonder", (), ("how long that list is going to be when this is all over.",), score=0.73)
    assert claims(wonder, (own,)) == [("asserted", None)]


def test_decks_under_a_headline_credits_and_short_judgments():
    text = ("Truck attack in France kills at least 80.\n\nSuspected Terror on Bastille Day.\n\n"
            "A truck rammed into a crowd celebrating Bastille Day in Nice on Thursday night, killing at least 80 people.\n\n"
            "It was a massacre.\n\nOf course not.\n\n"
            "(Additional reporting by Marius Zaharia; Editing by Lincoln Feast.)\n\nReprinted with permission from Chuck Baldwin.")
    assert [status for status, _ in claims(text)] == ["none", "none", "asserted", "asserted", "boosted", "none", "none"]
