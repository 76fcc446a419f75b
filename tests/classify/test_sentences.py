from ingest.classify.sentences import split_sentences


def test_abbreviations_and_initials_do_not_end_sentences():
    body = (
        "Maj. Gen. John Smith said on Jan. 5 that U.S. forces left. The Pentagon agreed. "
        "“We will respond,” he said. Then it ended!"
    )
    texts = [s.text for s in split_sentences("Title line", body)]
    assert texts == [
        "Title line",
        "Maj. Gen. John Smith said on Jan. 5 that U.S. forces left.",
        "The Pentagon agreed.",
        "“We will respond,” he said.",
        "Then it ended!",
    ]


def test_closing_quote_stays_with_its_sentence():
    texts = [s.text for s in split_sentences("T", 'He called it "a crime." (AFP) Next one.')]
    assert texts[1] == 'He called it "a crime."'


def test_lines_without_final_punctuation_are_headlines():
    sentences = split_sentences("Rockets hit base", "Caption without stop\nA full sentence.")
    assert [s.headline for s in sentences] == [True, True, False]
    assert [s.paragraph for s in sentences] == [0, 1, 2]


def test_run_on_text_is_cut_into_bounded_pieces():
    sentences = split_sentences("T", "word " * 3000)
    assert len(sentences) > 10
    assert max(len(s.text) for s in sentences) <= 1200
