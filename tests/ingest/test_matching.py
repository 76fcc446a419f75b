"""The matching rule on its own: pure functions, no database."""

from datetime import date

import pytest

from ingest.incidents.matching import (
    IncidentSignature,
    ancestors,
    best_match,
    dates_compatible,
    matches,
    places_compatible,
    targets_compatible,
)

PARENTS = {"PMF": "IRQ", "KH": "PMF", "HN": "PMF", "KIA": "PMF", "YPG": "SDF", "IRQ": None}


def strike(**overrides: object) -> IncidentSignature:
    fields: dict[str, object] = {
        "type": "attack",
        "actor": "USA",
        "target": "HN",
        "location": "Baghdad",
        "country": "IRQ",
        "occurred_on": date(2024, 1, 4),
        "date_precision": "day",
    }
    fields.update(overrides)
    return IncidentSignature(**fields)  # type: ignore[arg-type]


def test_ancestors_walk_up_and_stop_on_a_cycle() -> None:
    assert ancestors("KH", PARENTS) == ["PMF", "IRQ"]
    assert ancestors("A", {"A": "B", "B": "A"}) == ["B"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("HN", "HN", True),
        ("HN", None, True),
        (None, "KIA", True),
        ("HN", "KIA", True),  # siblings under PMF
        ("KIA", "PMF", True),  # child and parent
        ("KH", "IRQ", True),  # grandchild and grandparent
        ("HN", "YPG", False),
        ("USA", "IRN", False),
    ],
)
def test_targets_compatible(a: str | None, b: str | None, expected: bool) -> None:
    assert targets_compatible(a, b, PARENTS) is expected
    assert targets_compatible(b, a, PARENTS) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("Baghdad", "IRQ"), ("baghdad", "IRQ"), True),
        (("Baghdad", "IRQ"), (None, None), True),
        (("Baghdad", "IRQ"), ("Jurf al-Nasr", "IRQ"), True),  # same country
        (("Baghdad", "IRQ"), ("Deir ez-Zor", "SYR"), False),
        (("Baghdad", None), ("Erbil", None), False),  # cannot tell
        ((None, "IRQ"), (None, "SYR"), False),
    ],
)
def test_places_compatible(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None], expected: bool
) -> None:
    assert places_compatible(*a, *b) is expected


def when(
    day: date | None, precision: str | None = "day", published: date | None = None
) -> IncidentSignature:
    return strike(occurred_on=day, date_precision=precision, reported_on=published)


def test_dates_within_a_day_or_inside_a_coarser_period() -> None:
    d = date(2024, 1, 4)
    assert dates_compatible(when(d), when(date(2024, 1, 5)))
    assert not dates_compatible(when(d), when(date(2024, 1, 6)))
    assert dates_compatible(when(d), when(date(2024, 1, 1), "month"))
    assert not dates_compatible(when(d), when(date(2024, 2, 1), "month"))
    assert dates_compatible(when(date(2024, 12, 31)), when(date(2024, 1, 1), "year"))


def test_an_undated_event_happened_in_the_month_before_its_article() -> None:
    undated_jan = when(None, None, published=date(2024, 1, 5))
    assert dates_compatible(undated_jan, when(date(2024, 1, 4)))
    assert dates_compatible(undated_jan, when(date(2023, 12, 10)))
    assert not dates_compatible(undated_jan, when(date(2020, 1, 1)))
    assert not dates_compatible(undated_jan, when(None, None, published=date(2020, 1, 1)))
    # Nothing says when: only as vague as another such, never a dated incident.
    assert dates_compatible(when(None, None), when(None, None))
    assert not dates_compatible(when(None, None), when(d := date(2024, 1, 4)))
    assert not dates_compatible(when(None, None), when(None, None, published=d))


def test_matches_needs_same_type_and_known_same_actor() -> None:
    assert matches(strike(target="KIA", occurred_on=date(2024, 1, 5)), strike(), PARENTS)
    assert not matches(strike(type="condemn"), strike(), PARENTS)
    assert not matches(strike(actor="GBR"), strike(), PARENTS)
    assert not matches(strike(actor=None), strike(actor=None), PARENTS)
    assert not matches(strike(occurred_on=date(2024, 1, 7)), strike(), PARENTS)


def test_best_match_prefers_the_exact_target_then_place_then_nearest_date() -> None:
    candidates = [
        ("sibling", strike(target="KIA")),
        ("exact", strike(target="HN", occurred_on=date(2024, 1, 5))),
        ("other", strike(type="deploy")),
    ]
    assert best_match(strike(), candidates, PARENTS) == "exact"
    assert best_match(strike(actor="GBR"), candidates, PARENTS) is None
    near = [("far", strike(occurred_on=date(2024, 1, 5))), ("same", strike())]
    assert best_match(strike(), near, PARENTS) == "same"
