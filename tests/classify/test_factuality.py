from ingest.classify.factuality import denial_position, skip_reason, status_of
from ingest.classify.triggers import find_triggers


def first(text: str, type_: str):
    return next(t for t in find_triggers(text) if t.type == type_)


def status(text: str, type_: str) -> str:
    return status_of(text, first(text, type_), denial_position(text))


def test_statuses():
    assert status("Amman denied reports of a deployment of Saudi troops.", "deploy") == "denied"
    assert status("The Houthis claimed responsibility for the attack.", "attack") == "claimed"
    assert status("Israeli jets struck the depot, Reuters reported.", "attack") == "reported"
    assert status("More British troops would be deployed next month.", "deploy") == "planned"
    assert status("Russian jets bombed the town.", "attack") == "asserted"


def test_no_event_when_negated_speculative_historical_or_a_purpose():
    def reason(text: str, type_: str) -> str | None:
        return skip_reason(text, first(text, type_), 2024)

    assert reason("Turkey did not attack the convoy.", "attack") == "negated"
    assert reason("Iran could attack US bases.", "attack") == "speculative"
    assert reason("In 2014 the group seized Mosul.", "capture") == "background"
    assert reason("The coalition was formed to fight and to retake Raqqa.", "capture") == (
        "purpose clause"
    )
    assert reason("Kurdish forces made a push to oust ISIS from the town.", "attack") is None


def test_actions_asked_of_someone_are_no_events():
    text = "Any deal would require Turkey to withdraw its troops."
    assert skip_reason(text, first(text, "withdraw"), 2024) == "requested"
