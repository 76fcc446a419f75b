"""Sentence splitting for news text: lines without final punctuation (headlines,
subheadings, captions) stand alone; abbreviations ("Jan.", "Maj. Gen.", "U.S.") do not end
a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "maj",
        "col",
        "lt",
        "capt",
        "sgt",
        "adm",
        "gov",
        "sen",
        "rep",
        "st",
        "no",
        "vs",
        "etc",
        "inc",
        "corp",
        "co",
        "jr",
        "sr",
        "prof",
        "pres",
        "dept",
        "est",
        "approx",
    ]
)
BOUNDARY = re.compile(r"(?<=[.!?])([\"\u201d\u2019)\]]*)\s+(?=[\"\u201c\u2018(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    paragraph: int
    headline: bool  # a line with no sentence punctuation: title, subheading, caption


def _ends_with_abbreviation(chunk: str) -> bool:
    tail = chunk.rstrip('"\u201d\u2019)] ')
    if not tail.endswith("."):
        return False
    word = re.split(r"[\s(\[\"\u201c]", tail[:-1])[-1]
    if word.lower() in ABBREVIATIONS:
        return True
    # "U.S." / "U.N." / single initials "U." stay inside the sentence
    return bool(re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word))


def split_paragraph(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in BOUNDARY.finditer(paragraph):
        cut = m.start() + len(m.group(1))  # closing quotes stay with their sentence
        chunk = paragraph[start:cut]
        if _ends_with_abbreviation(chunk):
            continue
        pieces.append(chunk.strip())
        start = m.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


MAX_SENTENCE = 1200  # longer "sentences" are scrapes without punctuation: cut them up


def _bounded(text: str) -> list[str]:
    """Pieces of at most MAX_SENTENCE characters, cut at a space (keeps the work per
    sentence bounded whatever the input)."""
    pieces = []
    while len(text) > MAX_SENTENCE:
        cut = text.rfind(" ", 0, MAX_SENTENCE)
        cut = cut if cut > MAX_SENTENCE // 2 else MAX_SENTENCE
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return [p for p in pieces if p]


def split_sentences(title: str, body: str) -> list[Sentence]:
    out: list[Sentence] = []
    lines = [title, *body.splitlines()]
    for paragraph_index, line in enumerate(lines):
        line = re.sub(r"\s+", " ", line).strip()
        if not line:
            continue
        headline = not re.search(r"[.!?][\"\u201d\u2019)\]]*$", line) and len(line) < 160
        for sentence in split_paragraph(line):
            for text in _bounded(sentence):
                out.append(Sentence(len(out), text, paragraph_index, headline))
    return out
