from spinlens.sentences import split_sentences


def test_sentences_with_quotes_abbreviations_and_lines():
    text = "Mr. Smith said “It is bad.” Then he left!  U.S. officials agree.\nNew line"
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == ["Mr. Smith said “It is bad.”", "Then he left!", "U.S. officials agree.", "New line"]


def test_offsets_index_the_original_text():
    text = "\u00a0First one. Second 🙂 one?\n\n Third."
    for s, e in split_sentences(text):
        assert text[s:e] == text[s:e].strip()
    assert [text[s:e] for s, e in split_sentences(text)][-1] == "Third."


def test_blank_text_has_no_sentences():
    assert split_sentences(" \n ") == []


def test_news_abbreviations_end_no_sentence():
    text = "The Rev. Al Sharpton met Sgt. Ann Lee on Jan. 5 and Capt. Bo Li on Sept. 11 near Mt. Hood. He works for the FBI. Then he left."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The Rev. Al Sharpton met Sgt. Ann Lee on Jan. 5 and Capt. Bo Li on Sept. 11 near Mt. Hood.",
        "He works for the FBI.",
        "Then he left.",
    ]


def test_sentence_stops_skip_abbreviations():
    from spinlens.sentences import sentence_stops

    text = "Gov. Ann Lee said so. Reps. Bo and Li did not! Why? Ask the U.S. team."
    stops = [m.start() for m in sentence_stops(text, 0, len(text))]
    assert stops == [text.index("so.") + 2, text.index("not!") + 3, text.index("Why?") + 3]


def test_every_line_break_ends_a_sentence():
    text = "Corrupt Media Lies Again\rThe media lies.\u2029Every day\fand night.\r\nYes"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Corrupt Media Lies Again", "The media lies.", "Every day", "and night.", "Yes"]
