"""Force levels a sentence states: "Around 2,500 US troops are currently in Iraq, and 900
in Syria." (troops, an owner, a place; no trigger word needed).

Input: a sentence's mentions. Output: one force_level `Draft` per place.
"""

from __future__ import annotations

import re

from ingest.classify.drafts import Draft
from ingest.classify.mentions import SentenceView
from ingest.classify.places import PlaceMention
from ingest.classify.quantities import Quantity

SPEAKER_AFTER = re.compile(r"\s*,?\s+(?:said|says|told|announced|added)\b")
FORCE_LEVEL = re.compile(
    r"^\s*(?:(?:are|is|remain|remains|were|have|has|(?:will|would)\s+(?:remain|stay))\s+)?(?:(?:currently|still|now|"
    r"permanently|already)\s+)?(?:(?:stationed|based|present|deployed|located)\s+)?"
    r"(?:(?:at|in)\s+(?:more\s+than\s+|some\s+|about\s+|around\s+)?\d+\s+(?:[\w-]+\s+){0,2}?"
    r"(?:bases|outposts|positions|sites)(?:\s+and\s+\w+)?\s+)?"
    r"(?:in|at|across|inside)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central|"
    r"north-?eastern|north-?western|south-?eastern|south-?western)\s+)?$",
    re.IGNORECASE,
)
ELIDED_LEVEL = re.compile(
    r",?\s+and\s+(?:about\s+|around\s+|some\s+|roughly\s+|nearly\s+)?(?P<num>\d{1,3}(?:,\d{3})*|"
    r"\d+)\s+(?:more\s+)?(?:in|at)\s+$",
    re.IGNORECASE,
)


def force_levels(view: SentenceView) -> list[Draft]:
    return _force_levels(view, view.quantities)


def _force_levels(view: SentenceView, found: list[Quantity]) -> list[Draft]:
    """ "Around 2,500 US troops are currently in Iraq, and 900 in Syria." """
    text = view.sentence.text
    out: list[Draft] = []
    quantities = [q for q in found if q.unit == "troops" and q.value]
    for q in quantities:
        for p in view.places:
            if p.start < q.end or not FORCE_LEVEL.match(text[q.end : p.start]):
                continue
            owner = [m for m in view.actors if q.start <= m.start < q.end and not m.sponsor]
            if not owner:
                before = [
                    m for m in view.actors if m.end <= q.start and not m.sponsor and not m.locative
                ]
                owner = before[-1:] if before else []
            if not owner:
                # "About 300 troops will remain at al-Tanf, Esper said": the speaker's
                owner = [
                    m
                    for m in view.actors
                    if m.start > p.end
                    and not (m.sponsor or m.locative)
                    and SPEAKER_AFTER.match(text, m.end)
                ][:1]
            if not owner:
                break
            actor = owner[0].code
            out.append(_level(actor, p, q.value, view))
            # the elided ones that follow: ", and 900 in Syria"
            for p2 in view.places:
                if p2.start <= p.end:
                    continue
                m = ELIDED_LEVEL.search(text[p.end : p2.start])
                if m and m.end() == p2.start - p.end:
                    value = int(m.group("num").replace(",", ""))
                    out.append(_level(actor, p2, value, view))
            break
    return out


def _level(actor: str, p: PlaceMention, value: int | None, view: SentenceView) -> Draft:
    return Draft(
        type="force_level",
        actor=actor,
        target=p.place.country if p.place.country != actor else None,
        place=p.place,
        quantity=Quantity(0, 0, value, "troops"),
        killed=None,
        injured=None,
        when=None,
        deadline=None,
        status="asserted",
        source=None,
        evidence=[view.sentence.text],
        confidence=0.75,
        sentence=view.sentence.index,
    )
