"""A small world shaped like the seeds, written through the store as the services would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tests.projections.incident_log import report, source


@dataclass(frozen=True)
class SeedLike:
    us_2000: uuid.UUID
    us_2500: uuid.UUID
    denied_1500: uuid.UUID
    turkish_battalion: uuid.UUID
    iraqi_ultimatum: uuid.UUID


def seed_like_world() -> SeedLike:
    battalion = report(
        "deploy",
        "TUR",
        "IRQ",
        location="Mosul",
        country="IRQ",
        quantity={"value": None, "unit": "battalion"},
        occurred_on="2015-12-04",
        date_precision="day",
        source=source(outlet="Reuters", article_id=1, evidence="A battalion of Turkish soldiers"),
    )
    ultimatum = report(
        "ultimatum",
        "IRQ",
        "TUR",
        occurred_on="2015-12-06",
        deadline="2015-12-08T00:00:00+00:00",
        source=source(
            outlet="Reuters", article_id=1, evidence="has given Turkey 48 hours to withdraw"
        ),
    )
    us_2000 = report(
        "force_level",
        "USA",
        "IRQ",
        location="Iraq",
        country="IRQ",
        quantity={"value": 2000, "unit": "troops"},
        occurred_on="2024-01-05",
        source=source(outlet="AiBot", article_id=5, evidence="around 2,000 US troops in Iraq"),
    )
    denied = report(
        "deploy",
        "USA",
        "IRQ",
        location="Iraq",
        country="IRQ",
        quantity={"value": 1500, "unit": "troops"},
        occurred_on="2024-01-14",
        status="denied",
        source=source(outlet="CBS", article_id=4, evidence="1,500 troops ... being sent"),
    )
    us_2500 = report(
        "force_level",
        "USA",
        "IRQ",
        location="Iraq",
        country="IRQ",
        quantity={"value": 2500, "unit": "troops"},
        occurred_on="2024-05-14",
        source=source(outlet="Weekly Roundup", article_id=4, evidence="Around 2,500 US troops"),
    )
    return SeedLike(us_2000, us_2500, denied, battalion, ultimatum)
