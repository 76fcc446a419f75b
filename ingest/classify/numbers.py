"""Numbers as news writes them: "1,500", "25", "four", "twenty-five", "a", "hundreds"."""

from __future__ import annotations

import re
from functools import lru_cache

from number_parser import parse_number

SMALL = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12, "a dozen": 12, "single": 1,
}  # fmt: skip
# Vague plurals: a size is stated but not its value.
VAGUE = frozenset(
    ["dozens", "hundreds", "thousands", "scores", "several", "many", "some", "few", "tens"]
)
NUMBER_WORD = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|a\s+dozen|dozens|hundreds|thousands|tens\s+of\s+thousands|"
    r"several|a|an)"
)
NUMBER_RE = re.compile(rf"\b{NUMBER_WORD}\b", re.IGNORECASE)
MULTIPLIER = re.compile(r"^\s+(hundred|thousand|million)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def to_int(token: str) -> int | None:
    """The value of a number token; None for vague sizes ("hundreds") and non-numbers."""
    t = re.sub(r"\s+", " ", token.strip().lower())
    if not t:
        return None
    if t in VAGUE or t.startswith("tens of"):
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t):
        return int(t.replace(",", ""))
    if re.fullmatch(r"\d+\.\d+", t):
        return int(float(t))
    if t in SMALL:
        return SMALL[t]
    parsed = parse_number(t.replace("-", " "))
    return int(parsed) if isinstance(parsed, int | float) else None
