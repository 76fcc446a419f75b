from ingest.classify.cleanup import MAX_CHARS, clean, english_ratio, html_to_text, looks_like_html


def test_html_body_becomes_text_with_a_warning():
    markup = (
        "<html><body><article><h1>Strike</h1><p>Turkish jets struck positions of the PKK "
        "near the border on Monday, the ministry said in a statement.</p>"
        "<p>The army said all targets were destroyed in the operation.</p>"
        "<script>var x = 1;</script></article></body></html>"
    )
    assert looks_like_html(markup)
    result = clean("Strike", markup)
    assert "<p>" not in result.body and "var x" not in result.body
    assert "Turkish jets struck" in result.body
    assert any("HTML" in w for w in result.warnings)


def test_broken_markup_still_gives_text():
    text = html_to_text("<div><p>Rockets hit the base <b>overnight</p>")
    assert "Rockets hit the base" in text


def test_huge_body_is_capped():
    body = "The army said the convoy moved north. " * 5000
    result = clean("Long", body)
    assert len(result.body) == MAX_CHARS
    assert any("cut" in w for w in result.warnings)


def test_non_english_is_refused_with_a_warning():
    french = (
        "Les forces turques ont bombardé des positions kurdes dans le nord de la Syrie "
        "dimanche, selon le ministère de la Défense, qui affirme avoir neutralisé des cibles."
    )
    result = clean("Frappes", french)
    assert not result.usable
    assert any("English" in w for w in result.warnings)


def test_declared_language_is_honoured():
    result = clean("Title", "The army said the convoy moved north.", language="ar")
    assert not result.usable


def test_empty_article_is_not_usable():
    result = clean("", "   \n ")
    assert not result.usable and result.warnings


def test_english_ratio_counts_function_words():
    words, ratio = english_ratio("The army said that the convoy was hit by a rocket in the north")
    assert words == 14 and ratio > 0.3
