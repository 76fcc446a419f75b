"""Text cleanup: HTML bodies to text, a size cap, and a check that the text is English.

The classifier reads English news; other languages yield no events and a warning rather
than nonsense.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import trafilatura

MAX_CHARS = 60_000  # a long feature is ~20k characters; beyond this is a scrape gone wrong
HTML_HINT = re.compile(r"<\s*(?:html|body|p|div|br|span|a|article|h[1-6]|li|table)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
LETTER = re.compile(r"[^\W\d_]")
NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")
ENGLISH_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "as",
        "by",
        "at",
        "from",
        "it",
        "his",
        "has",
        "have",
        "are",
        "were",
        "be",
        "said",
        "an",
        "its",
        "this",
        "which",
        "after",
        "their",
        "who",
        "not",
        "but",
        "they",
        "had",
        "will",
        "been",
        "would",
        "he",
        "she",
    ]
)


@dataclass
class CleanText:
    title: str
    body: str
    warnings: list[str] = field(default_factory=list)
    usable: bool = True


def looks_like_html(text: str) -> bool:
    return bool(HTML_HINT.search(text[:5000]))


def html_to_text(markup: str) -> str:
    extracted = None
    try:
        extracted = trafilatura.extract(markup, include_comments=False, include_tables=False)
    except Exception:  # trafilatura raises assorted parser errors on broken markup
        extracted = None
    if not extracted:
        extracted = html.unescape(TAG.sub("\n", SCRIPT.sub(" ", markup)))
    return re.sub(r"\n\s*\n+", "\n\n", extracted).strip()


FOREIGN_STOPWORDS = frozenset(
    # French, Spanish, German, Italian, Portuguese, Turkish function words
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "et",
        "est",
        "dans",
        "une",
        "pour",
        "par",
        "sur",
        "avec",
        "selon",
        "qui",
        "aux",
        "ces",
        "cette",
        "el",
        "los",
        "las",
        "del",
        "y",
        "que",
        "por",
        "para",
        "con",
        "una",
        "como",
        "pero",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "den",
        "von",
        "zu",
        "auf",
        "dem",
        "sich",
        "il",
        "di",
        "che",
        "non",
        "per",
        "della",
        "sono",
        "gli",
        "nel",
        "os",
        "dos",
        "uma",
        "com",
        "não",
        "pelo",
        "pela",
        "ve",
        "bir",
        "bu",
        "için",
        "ile",
        "olarak",
        "daha",
    ]
)


def english_ratio(text: str) -> tuple[int, float]:
    """(number of words, share of them that are common English function words)."""
    words = WORD.findall(text[:20_000].lower())
    if not words:
        return 0, 0.0
    return len(words), sum(w in ENGLISH_STOPWORDS for w in words) / len(words)


def reads_as_english(text: str) -> bool:
    """English function words outnumber those of other languages, in Latin script."""
    sample = text[:6_000]
    # counting letters only when some are not Latin (English text has none: a quick search)
    if NON_LATIN.search(sample):
        letters = len(LETTER.findall(sample))
        if letters and len(NON_LATIN.findall(sample)) / letters > 0.3:
            return False
    words = WORD.findall(sample.lower())
    if len(words) < 8:
        return True
    english = sum(w in ENGLISH_STOPWORDS for w in words)
    foreign = sum(w in FOREIGN_STOPWORDS for w in words)
    return english > 0 and english >= foreign


# A scraped page's furniture: link lists ("Most read: 1. Iraq retakes Hawija") and
# prompts. Their headlines are other stories, not this one's events.
PAGE_FURNITURE = re.compile(
    r"^\s*(?:Related(?:\s+(?:posts?|articles?|stories|coverage|news))?\s*:|"
    r"Read\s+(?:more|also|next)\s*:|Most\s+(?:read|popular|viewed|shared)\b|"
    r"More\s+(?:from|on)\s+[\w ]{1,30}$|Share\s+this\b|Follow\s+us\s+on\b|"
    r"Skip\s+to\s+(?:content|main)\b|Advertisement\s*$|Cookies?\s+help\b|\u00a9)",
    re.IGNORECASE,
)


def without_furniture(body: str) -> str:
    return "\n".join(line for line in body.split("\n") if not PAGE_FURNITURE.match(line))


def clean(title: str, body: str, language: str | None = None) -> CleanText:
    warnings: list[str] = []
    title = (title or "").strip()
    body = body or ""
    if looks_like_html(body):
        body = html_to_text(body)
        warnings.append("body was HTML: converted to text")
    if looks_like_html(title):
        title = html.unescape(TAG.sub(" ", title)).strip()
    if len(body) > MAX_CHARS:
        warnings.append(f"body of {len(body)} characters cut to {MAX_CHARS}")
        body = body[:MAX_CHARS]
    body = without_furniture(body)
    title = title[:1000]
    text = f"{title}\n{body}"
    if not text.strip():
        return CleanText(title, body, [*warnings, "empty article: nothing to read"], False)
    if language and not language.lower().startswith("en"):
        return CleanText(title, body, [*warnings, f"language {language!r} is not English"], False)
    # three words in the opening lines spare counting the whole text
    words = len(WORD.findall(text[:400])) if len(text) > 400 else 0
    if words < 3:
        words, _ = english_ratio(text)
    if not reads_as_english(text):
        return CleanText(
            title, body, [*warnings, "text does not read as English: no events read"], False
        )
    if words < 3:
        return CleanText(title, body, [*warnings, "too little text to read"], False)
    return CleanText(title, body, warnings)
