"""The trigger vocabulary's types: what a trigger rule and a found trigger are, the event
types that are speech acts or physical acts, and the pattern helpers the rules are written
with (`whole_words`, `cues` for the cheap prefilter). The rules themselves are in triggers.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

SPEECH_TYPES = frozenset({"condemn", "threaten", "demand", "deny", "support", "agree", "ultimatum"})
PHYSICAL_TYPES = frozenset({"deploy", "withdraw", "attack", "capture", "force_level"})
FORCES = (
    r"(?:troops|soldiers|forces|marines|reinforcements|personnel|battalions?|brigades?|convoys?|"
    r"warships|jets|warplanes|aircraft|units?|paratroopers|special\s+forces|contingent|"
    r"commandos|sailors|reservists|guardsmen|fighters|(?:aircraft\s+)?carriers?|destroyers?|"
    r"(?:carrier\s+)?strike\s+groups?|bombers|"
    r"(?:air\s+defen[cs]e\s+|missile\s+|Patriot\s+)?batteries)"
)


@dataclass(frozen=True, eq=False)
class TriggerRule:
    type: str
    pattern: re.Pattern[str]
    noun: bool = False  # names an action; needs a modifier, by/from or light verb for its actor
    agent_after: bool = False  # "fell to ISIS": the actor comes after the trigger
    negation_ok: bool = False  # the rule itself contains its negation ("will not ... unanswered")
    subject_is_patient: bool = False  # "the Turkish troops are necessary": speaker supports them

    hint: tuple[str, ...] = ()  # prefilter words when they cannot be read off the pattern
    context_before: re.Pattern[str] | None = None  # must match the text before the trigger

    @cached_property
    def cues(self) -> tuple[str, ...] | None:
        if self.hint:
            return self.hint
        source = self.pattern.pattern
        inner = source[len("(?<![\\w-])(?:") : -len(")(?![\\w-])")]
        return cues(inner)


@dataclass(frozen=True)
class Trigger:
    type: str
    start: int
    end: int
    text: str
    rule: TriggerRule


def cues(pattern: str) -> tuple[str, ...] | None:
    """Literal word starts one of which any match must contain (a cheap prefilter), or
    None when some alternative starts with a group and cannot be prefiltered."""
    alternatives: list[str] = []
    depth = 0
    current = ""
    for i, ch in enumerate(pattern):
        if ch == "(" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and (i == 0 or pattern[i - 1] != "\\"):
            depth -= 1
        if ch == "|" and depth == 0:
            alternatives.append(current)
            current = ""
        else:
            current += ch
    alternatives.append(current)
    out = []
    for alternative in alternatives:
        m = re.match(r"[a-z]+", alternative)
        if m is None or len(m.group(0)) < 3:
            return None
        out.append(m.group(0))
    return tuple(sorted(set(out)))


def whole_words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
