from datetime import UTC, date, datetime

from ingest.classify.dates import dateline, deadline_after, find_dates, parse_publication

WEDNESDAY = date(2024, 3, 6)


def resolved(text: str, published: date | None = WEDNESDAY) -> list[tuple[str, str]]:
    return [(d.value.isoformat(), d.precision) for d in find_dates(text, published)]


def test_days_months_and_weekdays_resolve_against_publication():
    assert resolved("The raid on Feb. 27 came after talks on Monday.") == [
        ("2024-02-27", "day"),
        ("2024-03-04", "day"),
    ]
    assert resolved("Fighting resumed in October and again last March.") == [
        ("2023-10-01", "month"),
        ("2023-03-01", "month"),
    ]
    assert resolved("Saturday's drone strike and yesterday's raid") == [
        ("2024-03-02", "day"),
        ("2024-03-05", "day"),
    ]


def test_a_date_after_publication_belongs_to_the_previous_year():
    assert resolved("the clashes of December 30") == [("2023-12-30", "day")]


def test_explicit_years_and_no_publication_date():
    assert resolved("It began on 7 October 2023, not in 2022.", None) == [
        ("2023-10-07", "day"),
        ("2022-01-01", "year"),
    ]
    assert resolved("on Sunday", None) == []


def test_may_the_verb_is_not_a_month():
    assert resolved("Troops may leave.") == []


def test_deadline_counts_from_publication():
    assert deadline_after("gave them 72 hours to leave", WEDNESDAY) == datetime(
        2024, 3, 9, tzinfo=UTC
    )
    assert deadline_after("gave them some time", WEDNESDAY) is None


def test_publication_dates_and_datelines():
    assert parse_publication("2024-03-06T10:00:00Z") == WEDNESDAY
    assert parse_publication("Wed, 06 Mar 2024 10:00:00 GMT") == WEDNESDAY
    assert dateline(["Breaking", "March 6, 2024", "Text."]) == WEDNESDAY


def test_deadline_by_a_date():
    assert deadline_after("gave Damascus until the end of the month to withdraw", WEDNESDAY) == (
        datetime(2024, 4, 1, tzinfo=UTC)
    )
    assert deadline_after("must leave by March 20", WEDNESDAY) == datetime(2024, 3, 21, tzinfo=UTC)


def test_the_weekend_just_gone_is_dated_by_its_sunday():
    assert resolved("Strikes over the weekend killed 25.") == [("2024-03-03", "day")]


def test_this_month_last_month_last_year():
    assert resolved("It announced earlier this month and again last month, as last year.") == [
        ("2024-03-01", "month"),
        ("2024-02-01", "month"),
        ("2023-01-01", "year"),
    ]
