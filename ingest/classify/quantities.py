"""Forces involved: "750 troops", "1,500 troops from the National Guard", "a battalion of
Turkish soldiers", "hundreds more troops". Casualty counts are not force sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from ingest.classify.numbers import NUMBER_WORD, to_int

UNITS = {
    "troops": "troops", "soldiers": "troops", "soldier": "troops", "marines": "troops",
    "personnel": "troops", "service members": "troops", "servicemen": "troops",
    "forces": "troops", "fighters": "troops", "reservists": "troops", "paratroopers": "troops",
    "special forces": "troops", "commandos": "troops", "guardsmen": "troops",
    "battalion": "battalion", "battalions": "battalion", "brigade": "brigade",
    "brigades": "brigade", "company": "company", "companies": "company",
    "division": "division", "divisions": "division", "regiment": "regiment",
    "aircraft": "aircraft", "jets": "aircraft", "warplanes": "aircraft",
    "fighter jets": "aircraft", "planes": "aircraft", "bombers": "aircraft",
    "helicopters": "helicopters", "vehicles": "vehicles", "armored vehicles": "vehicles",
    "armoured vehicles": "vehicles", "tanks": "tanks", "warships": "ships", "ships": "ships",
    "aircraft carriers": "ships", "carriers": "ships", "submarines": "ships",
    "carrier strike groups": "ships", "destroyers": "ships", "drones": "drones",
    "missile batteries": "batteries", "batteries": "batteries",
}  # fmt: skip
UNIT_WORD = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
HEDGE = (
    r"(?:about|around|some|roughly|nearly|almost|approximately|up\s+to|at\s+least|"
    r"more\s+than|over|an\s+estimated|another|an\s+additional)"
)
QUANTITY = re.compile(
    rf"\b(?:{HEDGE}\s+)?(?:\d[\d,]*\s*(?:to|-|\u2013|and)\s*)?(?P<num>{NUMBER_WORD})"
    # "200 to 300 troops": the upper bound
    rf"(?P<mult>\s+(?:hundred|thousand))?"
    rf"(?:\s+(?:more|additional|extra|new|further))?"
    rf"(?P<mods>(?:\s+(?!(?:{UNIT_WORD})\b)[\w.'-]+){{0,3}}?)\s+(?P<unit>{UNIT_WORD})\b",
    re.IGNORECASE,
)
CASUALTY_AFTER = re.compile(
    r"^\s*(?:(?:were|was|have\s+been|had\s+been|are)\s+)?(?:killed|dead|died|wounded|injured|"
    r"hurt|slain)",
    re.IGNORECASE,
)
CASUALTY_BEFORE = re.compile(
    r"(?:kill(?:ing|ed|s)?|wound(?:ing|ed)?|injur(?:ing|ed)|left)\s+(?:at\s+least\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: int | None
    unit: str

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "unit": self.unit}


def _unit_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for unit in UNITS:
        automaton.add_word(unit, unit)
    automaton.make_automaton()
    return automaton


# one pass over the sentence for any unit word (a regex alternation of forty words tried
# at every position costs more than the rest of this stage)
UNIT_AUTOMATON = _unit_automaton()


MODS_BREAK = re.compile(r"\b(?:were|was|are|is|killed|and|of|in|to|the)\b|[,;]", re.I)


def _candidates(sentence: str) -> list[re.Match[str]]:
    """Number-unit phrases whose modifier run holds no verb or clause break; a rejected
    one ("a convoy of 150 armored vehicles" read from "a") gives way to a later start."""
    found = []
    pos = 0
    while (m := QUANTITY.search(sentence, pos)) is not None:
        if MODS_BREAK.search(m.group("mods") or ""):
            pos = m.start() + 1
            continue
        found.append(m)
        pos = m.end()
    return found


def find_quantities(sentence: str) -> list[Quantity]:
    if next(UNIT_AUTOMATON.iter(sentence.lower()), None) is None:
        return []
    out: list[Quantity] = []
    for m in _candidates(sentence):
        if CASUALTY_AFTER.match(sentence, m.end()):
            continue
        if CASUALTY_BEFORE.search(sentence[max(0, m.start() - 25) : m.start()]):
            continue
        value = to_int(m.group("num"))
        if value is not None and m.group("mult"):
            value *= 100 if m.group("mult").strip().lower() == "hundred" else 1000
        if value is not None and value >= 1900 and value <= 2100 and "," not in m.group("num"):
            continue  # a year, not a force
        unit = UNITS[re.sub(r"\s+", " ", m.group("unit").lower())]
        out.append(Quantity(m.start("num"), m.end(), value, unit))
    return out
