"""Highlighting the evidence sentence in an untrusted article text."""

from __future__ import annotations

from newsroom.evidence import highlight_evidence


def test_the_sentence_is_marked_even_across_other_line_breaks() -> None:
    text = "Intro.\nUS forces struck\na base near   Erbil. More text."
    html = highlight_evidence(text, "US forces struck a base near Erbil.")
    assert html == (
        'Intro.\n<mark class="evidence">US forces struck\na base near   Erbil.</mark> More text.'
    )


def test_markup_in_the_article_and_the_evidence_stays_text() -> None:
    text = 'Before <img src=x onerror="alert(1)"> and <b>the strike</b> after.'
    html = highlight_evidence(text, "<b>the strike</b>")
    assert "<img" not in html and "<b>" not in html
    assert '<mark class="evidence">&lt;b&gt;the strike&lt;/b&gt;</mark>' in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_a_long_article_is_cut_around_the_evidence() -> None:
    text = "a" * 5000 + " The strike happened. " + "b" * 5000
    html = highlight_evidence(text, "The strike happened.", context=100)
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 300
    assert '<mark class="evidence">The strike happened.</mark>' in html


def test_evidence_missing_from_the_text_is_still_shown_marked_and_escaped() -> None:
    html = highlight_evidence("An unrelated text.", "Rockets <hit> the base.")
    assert html == '<mark class="evidence">Rockets &lt;hit&gt; the base.</mark>'


def test_no_evidence_shows_the_escaped_text() -> None:
    assert highlight_evidence("a < b", "") == "a &lt; b"
