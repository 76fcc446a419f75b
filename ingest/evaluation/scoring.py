"""Scoring extracted events against a gold file: the same matching as
../shared/tools/score_extraction.py, kept here so the project stands alone.

A prediction matches a gold event of the same article when its type is among the gold's
types and its actor among the gold's actors (names normalised to codes by the registry's
codes, names and aliases); optional gold events never count as misses and a prediction
matching one is neutral; unmatched predictions that key-match some gold event are
duplicates (neutral), the rest are false positives.
Attribute accuracy is measured on matched required pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ingest.classify.lexicon import Registry


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def actor_names(registry: Registry) -> dict[str, str]:
    """Every lower-cased way to name an actor -> its code: the registry's codes, names and
    aliases (the names the classifier reads actors by). The shared scorer types its own
    table; the dozen names in it the registry fixtures lack ("iran-backed groups",
    "irgc quds force", "european governments", ...) change no line of its report on the
    seeds, dev, holdout or unseen2 sets, so they are not typed here again."""
    names: dict[str, str] = {}
    for actor in registry.actors.values():
        for name in (actor.code, actor.name, *actor.aliases):
            names.setdefault(_key(name), actor.code)
    return names


FACT = {
    "asserted": "fact", "reported": "fact", "claimed": "fact", "confirmed": "fact",
    "denied": "denied", "disputed": "denied", "planned": "planned", "announced": "planned",
    "threatened": "planned",
}  # fmt: skip

Event = dict[str, Any]


def norm_actor(a: Any, names: dict[str, str]) -> str | None:
    if a is None:
        return None
    if isinstance(a, dict):
        a = a.get("code") or a.get("name")
    s = re.sub(r"\s+", " ", str(a).strip().lower())
    if s in ("", "unknown", "none", "null", "?"):
        return None
    return names.get(s, names.get(s.replace("_", " "), s.upper()))


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


def attr_scores(g: Event, p: Event, names: dict[str, str]) -> dict[str, bool]:
    """Per-attribute correctness for a matched pair, for the attributes the gold states."""
    out: dict[str, bool] = {}
    if g.get("target"):
        target = norm_actor(p.get("target"), names)
        out["target"] = target in [norm_actor(t, names) for t in g["target"]]
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


def strict_ok(g: Event, p: Event, names: dict[str, str]) -> bool:
    """A matched pair that also agrees on the target (where gold has one) and exact factuality."""
    a = attr_scores(g, p, names)
    return a.get("target", True) and a.get("status_exact", True)


def keymatch(g: Event, p: Event, names: dict[str, str]) -> bool:
    return (p.get("type") in g["type"]) and (
        norm_actor(p.get("actor"), names) in [norm_actor(a, names) for a in g["actor"]]
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


def score(gold: list[Event], pred: list[Event], registry: Registry) -> Score:
    names = actor_names(registry)
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
                if i in used_p or not keymatch(g, p, names):
                    continue
                s = sum(attr_scores(g, p, names).values())
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
                result.strict += int(strict_ok(g, ps[best], names))
                for k, ok in attr_scores(g, ps[best], names).items():
                    attrs[k][0] += 1
                    attrs[k][1] += int(ok)
        for i, p in enumerate(ps):
            if i in used_p:
                continue
            if any(keymatch(g, p, names) for g in gs):
                result.dup += 1
            else:
                result.fp += 1
                result.extras.append(
                    f"{art}: {p.get('type')} {p.get('actor')}->{p.get('target')} | "
                    f"{str(p.get('evidence', ''))[:90]}"
                )
    result.attributes = dict(attrs)
    return result
