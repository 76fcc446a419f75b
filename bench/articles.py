"""Synthetic news articles for the ingestion benchmarks: template sentences the classifier
reads (strikes, deployments, force levels, condemnations, threats) among filler, with
actors, places and dates drawn at random, so that most articles report new incidents and
some corroborate earlier ones, as a wire feed does."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

# (name used in text, adjective used in text)
ACTORS = [
    ("the United States", "US"),
    ("Turkey", "Turkish"),
    ("Iran", "Iranian"),
    ("Israel", "Israeli"),
    ("Russia", "Russian"),
    ("Iraq", "Iraqi"),
    ("Syria", "Syrian"),
    ("Kataib Hezbollah", "Kataib Hezbollah"),
    ("Hezbollah", "Hezbollah"),
    ("the Syrian Democratic Forces", "SDF"),
]
PLACES = [
    "Baghdad",
    "Mosul",
    "Erbil",
    "Kirkuk",
    "Jurf al-Nasr",
    "Ain al-Asad",
    "Tikrit",
    "Fallujah",
    "Ramadi",
    "Basra",
]
STRIKE = (
    "{a_adj} forces struck {b} positions near {place} on {day}, killing {n} fighters, "
    "officials said."
)
DEPLOY = "{a} deployed {n} troops to {place} on {day}, the defence ministry said."
LEVEL = "Around {n} {a_adj} troops are currently in Iraq, a military spokesman said."
CONDEMN = "{a} condemned the attack on {day} and said {b} would bear the consequences."
FILLER = [
    "The talks in Baghdad continued for a third day without a breakthrough, diplomats said.",
    "Markets in the region were calm, and oil prices barely moved after the reports.",
    "Local residents described a tense night, with roads closed and shops shuttered.",
    "The parliament is expected to debate the security agreement again next week.",
    "Analysts said the episode showed how fragile the understanding between them remains.",
]
START = date(2022, 1, 1)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def article(rng: random.Random, number: int, *, prefix: str = "bench") -> dict[str, Any]:
    """One JSON article as a feed pushes it (the ingest API's shape)."""
    day = START + timedelta(days=rng.randrange(0, 900))
    (a, a_adj), (b, _) = rng.sample(ACTORS, 2)
    values = {
        "a": a[0].upper() + a[1:],
        "a_adj": a_adj,
        "b": b,
        "place": rng.choice(PLACES),
        "day": _day(day),
    }
    sentences = [STRIKE.format(n=rng.randrange(2, 30), **values)]
    if rng.random() < 0.5:
        sentences.append(CONDEMN.format(**{**values, "a": b[0].upper() + b[1:], "b": a}))
    if rng.random() < 0.4:
        later = {**values, "day": _day(day + timedelta(days=rng.randrange(1, 5)))}
        sentences.append(DEPLOY.format(n=rng.choice([300, 900, 1500, 2000]), **later))
    if rng.random() < 0.2:
        sentences.append(LEVEL.format(n=rng.choice([900, 2000, 2500]), **values))
    # Wire copy is mostly context: a dozen sentences around the two or three that count.
    paragraphs = [*sentences, *rng.choices(FILLER, k=rng.randrange(6, 14))]
    rng.shuffle(paragraphs)
    external_id = f"{prefix}-{number}-{rng.getrandbits(40):x}"
    return {
        "external_id": external_id,
        "url": f"https://wire.example/{external_id}",
        "title": f"{a_adj} strike near {values['place']}",
        "body": "\n\n".join(paragraphs),
        "published_at": f"{(day + timedelta(days=1)).isoformat()}T09:00:00+00:00",
        "outlet": rng.choice(["Reuters", "AP", "AFP", "Rudaw", "Al-Monitor"]),
    }
