"""Showing an article with the sentence an incident came from highlighted.

The article text is untrusted (it arrived from a feed), so it is escaped piece by piece
and only our own <mark> is added: the text never becomes markup. The evidence sentence is
found whitespace-insensitively (feeds and the sentence splitter disagree on line breaks).
"""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

CONTEXT_CHARS = 600  # shown around the evidence, so a long article stays readable


def _pattern(evidence: str) -> re.Pattern[str] | None:
    words = evidence.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def highlight_evidence(text: str, evidence: str, *, context: int = CONTEXT_CHARS) -> SafeString:
    """`text` escaped, with `evidence` wrapped in <mark>; an excerpt around it if long."""
    pattern = _pattern(evidence)
    found = pattern.search(text) if pattern else None
    if found is None:
        if evidence.strip():  # the article changed or is gone: still show the sentence
            return format_html('<mark class="evidence">{}</mark>', evidence.strip())
        return SafeString(escape(text[: 2 * context]))
    start, end = found.span()
    before_from = max(0, start - context)
    after_to = min(len(text), end + context)
    return format_html(
        '{}{}<mark class="evidence">{}</mark>{}{}',
        "…" if before_from else "",
        text[before_from:start],
        text[start:end],
        text[end:after_to],
        "…" if after_to < len(text) else "",
    )
