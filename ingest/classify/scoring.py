"""Scoring extracted events against a gold file: the same matching as
../shared/tools/score_extraction.py, kept here so the project stands alone.

A prediction matches a gold event of the same article when its type is among the gold's
types and its (alias-normalised) actor among the gold's actors; optional gold events never
count as misses and a prediction matching one is neutral; unmatched predictions that
key-match some gold event are duplicates (neutral), the rest are false positives.
Attribute accuracy is measured on matched required pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ALIASES: dict[str, list[str]] = {
    "USA": [
        "us",
        "usa",
        "united states",
        "united states of america",
        "america",
        "washington",
        "pentagon",
        "american",
        "us forces",
        "us military",
        "white house",
    ],
    "TUR": ["tur", "turkey", "turkiye", "türkiye", "ankara", "turkish"],
    "IRQ": [
        "irq",
        "iraq",
        "baghdad",
        "iraqi government",
        "iraqi",
        "iraqi forces",
        "iraqi military",
    ],
    "IRN": ["irn", "iran", "tehran", "iranian", "islamic republic of iran"],
    "RUS": ["rus", "russia", "moscow", "russian", "russian federation"],
    "SYR": ["syr", "syria", "damascus", "syrian government", "assad regime", "syrian"],
    "ISR": ["isr", "israel", "israeli"],
    "KWT": ["kwt", "kuwait"],
    "JOR": ["jor", "jordan"],
    "GBR": ["gbr", "uk", "united kingdom", "britain", "british"],
    "ISIS": [
        "isis",
        "isil",
        "is",
        "islamic state",
        "daesh",
        "islamic state group",
        "islamic state of iraq and the levant",
        "islamic state of iraq and syria",
    ],
    "KRG": [
        "krg",
        "kurdistan regional government",
        "kurdish government",
        "kurdistan region",
        "kurdistan region of iraq",
        "kurdish regional government",
    ],
    "PESHMERGA": ["peshmerga", "kurdish peshmerga"],
    "YPG": ["ypg", "people's protection units", "peoples protection units", "syrian kurds"],
    "SDF": ["sdf", "syrian democratic forces", "kurdish-led forces"],
    "KURDISH_FORCES": ["kurdish forces", "kurds"],
    "PKK": ["pkk", "kurdistan workers' party", "kurdistan workers party"],
    "PUK": ["puk", "patriotic union of kurdistan"],
    "KH": [
        "kh",
        "kataib hezbollah",
        "kata'ib hezbollah",
        "kataib hizballah",
        "kata'ib hizballah",
        "hezbollah brigades",
        "kataib_hezbollah",
    ],
    "HN": [
        "hn",
        "harakat al-nujaba",
        "harakat al nujaba",
        "nujaba",
        "harakat hezbollah al-nujaba",
        "harakat_al_nujaba",
    ],
    "KIA": ["kia", "kataib imam ali", "kata'ib imam ali", "kataib_imam_ali"],
    "PMF": [
        "pmf",
        "popular mobilization forces",
        "popular mobilisation forces",
        "hashd al-shaabi",
        "popular mobilization units",
        "pmu",
    ],
    "IRGC": [
        "irgc",
        "islamic revolutionary guard corps",
        "revolutionary guards",
        "quds force",
        "irgc quds force",
        "irgc-qf",
        "iran's revolutionary guards",
        "revolutionary guards quds force",
    ],
    "IRI": ["iri", "islamic resistance in iraq", "islamic_resistance_in_iraq"],
    "IRAN_BACKED_MILITIAS": [
        "iran_backed_militias",
        "iran-backed militias",
        "iran-backed militia",
        "iran backed militias",
        "pro-iran militias",
        "iran-aligned militias",
        "iran-aligned factions",
        "iran-backed groups",
        "pro-iran fighters",
        "iran-backed militant groups",
    ],
    "COALITION": [
        "coalition",
        "us-led coalition",
        "global coalition",
        "international coalition",
        "cjtf-oir",
        "anti-isis coalition",
        "coalition forces",
    ],
    "ARAB_LEAGUE": ["arab league", "arab_league", "league of arab states"],
    "EU": ["eu", "european union"],
    "EUROPEAN_GOVERNMENTS": ["european governments"],
    "FSA": ["fsa", "free syrian army"],
    "SNA": ["sna", "syrian national army", "tfsa", "turkish-backed free syrian army"],
    "SYRIAN_REBELS": ["syrian rebels", "syrian rebel fighters", "rebels", "syrian_rebels"],
}  # a faithful copy of the shared scorer's table
NORM: dict[str, str] = {}
for _code, _names in ALIASES.items():
    NORM[_code.lower()] = _code
    for _name in _names:
        NORM[_name] = _code

FACT = {
    "asserted": "fact", "reported": "fact", "claimed": "fact", "confirmed": "fact",
    "denied": "denied", "disputed": "denied", "planned": "planned", "announced": "planned",
    "threatened": "planned",
}  # fmt: skip

Event = dict[str, Any]


def norm_actor(a: Any) -> str | None:
    if a is None:
        return None
    if isinstance(a, dict):
        a = a.get("code") or a.get("name")
    s = re.sub(r"\s+", " ", str(a).strip().lower())
    if s in ("", "unknown", "none", "null", "?"):
        return None
    return NORM.get(s, NORM.get(s.replace("_", " "), s.upper()))


def norm_place(p: Any) -> str | None:
    if p is None:
        return None
    if isinstance(p, dict):
        p = p.get("name")
    return re.sub(r"[^a-z0-9]+", " ", str(p).lower()).strip().replace("al ", "al")


def place_ok(pred: Any, golds: Iterable[Any]) -> bool:
    p = norm_place(pred)
    if not p:
        return False
    for gold in golds:
        g = norm_place(gold)
        if g is not None and (p == g or p in g or g in p):
            return True
    return False


def qty(e: Event) -> tuple[Any, str]:
    q = e.get("quantity")
    if isinstance(q, dict):
        return q.get("value"), (q.get("unit") or "").lower()
    return None, ""


def attr_scores(g: Event, p: Event) -> dict[str, bool]:
    """Per-attribute correctness for a matched pair, for the attributes the gold states."""
    out: dict[str, bool] = {}
    if g.get("target"):
        out["target"] = norm_actor(p.get("target")) in [norm_actor(t) for t in g["target"]]
    if g.get("location"):
        out["location"] = place_ok(p.get("location"), g["location"])
    if g.get("quantity"):
        gv, gu = g["quantity"].get("value"), g["quantity"].get("unit", "")
        pv, pu = qty(p)
        out["quantity"] = (gv is None or pv == gv) and (not gu or gu.rstrip("s") in pu)
    for k in ("killed", "injured"):
        if g.get(k) is not None:
            out[k] = p.get(k) == g[k]
    if g.get("occurred_on"):
        out["date"] = (p.get("occurred_on") or "")[:10] == g["occurred_on"]
    if g.get("status"):
        out["status"] = FACT.get((p.get("status") or "asserted").lower()) == FACT[g["status"]]
        out["status_exact"] = (p.get("status") or "asserted").lower() == g["status"]
    return out


def strict_ok(g: Event, p: Event) -> bool:
    """A matched pair that also agrees on the target (where gold has one) and exact factuality."""
    a = attr_scores(g, p)
    return a.get("target", True) and a.get("status_exact", True)


def keymatch(g: Event, p: Event) -> bool:
    return (p.get("type") in g["type"]) and (
        norm_actor(p.get("actor")) in [norm_actor(a) for a in g["actor"]]
    )


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    dup: int = 0
    strict: int = 0  # matched pairs right on target and exact status as well
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [n, correct]
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def strict_f1(self) -> float:
        p = self.strict / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.strict / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        n, ok = self.attributes.get(name, [0, 0])
        return ok / n if n else None

    def report(self, verbose: bool = False) -> list[str]:
        """The lines the shared scorer prints, in its order and format."""
        lines: list[str] = []
        if verbose:
            lines.append("MISSED:")
            lines.extend(f"   {m}" for m in self.misses)
            lines.append("EXTRA:")
            lines.extend(f"   {e}" for e in self.extras)
        for k, (n, ok) in sorted(self.attributes.items()):
            lines.append(f"attr {k}: {ok}/{n}")
        lines.append(
            f"strict (type+actor+target+exact status): {self.strict}/{self.tp} matched pairs, "
            f"strict_F1={self.strict_f1:.3f}"
        )
        lines.append(f"tp={self.tp} fp={self.fp} fn={self.fn} dup={self.dup}")
        lines.append(f"precision={self.precision:.3f} recall={self.recall:.3f} F1={self.f1:.3f}")
        return lines


def score(gold: list[Event], pred: list[Event]) -> Score:
    by_art: dict[str, tuple[list[Event], list[Event]]] = defaultdict(lambda: ([], []))
    for g in gold:
        by_art[g["article"]][0].append(g)
    for p in pred:
        by_art[str(p.get("article"))][1].append(p)
    result = Score()
    attrs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for art, (gs, ps) in sorted(by_art.items()):
        used_p: set[int] = set()
        # required first, then optional; pick the prediction agreeing on most attributes
        for g in sorted(gs, key=lambda g: g.get("optional", False)):
            best, best_s = None, -1
            for i, p in enumerate(ps):
                if i in used_p or not keymatch(g, p):
                    continue
                s = sum(attr_scores(g, p).values())
                if s > best_s:
                    best, best_s = i, s
            if best is None:
                if not g.get("optional"):
                    result.fn += 1
                    result.misses.append(
                        f"{art}: {g['type']} {g['actor']}->{g.get('target')} ({g.get('note', '')})"
                    )
                continue
            used_p.add(best)
            if not g.get("optional"):
                result.tp += 1
                result.strict += int(strict_ok(g, ps[best]))
                for k, ok in attr_scores(g, ps[best]).items():
                    attrs[k][0] += 1
                    attrs[k][1] += int(ok)
        for i, p in enumerate(ps):
            if i in used_p:
                continue
            if any(keymatch(g, p) for g in gs):
                result.dup += 1
            else:
                result.fp += 1
                result.extras.append(
                    f"{art}: {p.get('type')} {p.get('actor')}->{p.get('target')} | "
                    f"{str(p.get('evidence', ''))[:90]}"
                )
    result.attributes = dict(attrs)
    return result
