"""People introduced with their state's title are learned for the article and reported on
the extraction (the three ways of introducing someone, and what is not a name)."""

from __future__ import annotations

from datetime import date

from ingest.classify import extract_with_report
from ingest.classify.types import ArticleInput
from tests.classify.helpers import registry


def _people(body: str) -> dict[str, str]:
    article = ArticleInput("t", "Report", body, date(2024, 3, 6))
    return extract_with_report(article, registry()).people


def test_state_title_name() -> None:
    people = _people("Kenyan President William Ruto said the troops would stay in Haiti.")
    assert people.get("William Ruto") == "KEN"
    assert people.get("Ruto") == "KEN"


def test_name_comma_state_title() -> None:
    # (Kaja Kallas is already an alias of the EU in the knowledge base: not learned again)
    people = _people("Anneli Varga, the EU's foreign policy chief, said sanctions would follow.")
    assert people.get("Anneli Varga") == "EU"
    assert people.get("Varga") == "EU"


def test_title_name_of_state() -> None:
    people = _people("President Ruto of Kenya said the police mission would continue.")
    assert people.get("Ruto") == "KEN"


def test_a_day_before_the_comma_is_no_name() -> None:
    people = _people("On Monday, the Kenyan foreign minister said the mission would continue.")
    assert "Monday" not in people and "On Monday" not in people


def test_learned_name_speaks_for_the_state_later() -> None:
    body = (
        "President Ruto of Kenya visited the troops on Tuesday.\n\n"
        "Ruto threatened to launch air strikes on the gangs within 48 hours."
    )
    article = ArticleInput("t", "Report", body, date(2024, 3, 6))
    events = extract_with_report(article, registry()).events
    assert any(e.actor == "KEN" for e in events), [(e.type, e.actor) for e in events]
