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
