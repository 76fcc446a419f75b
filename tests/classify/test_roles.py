from ingest.classify.actors import find_actor_mentions
from ingest.classify.roles import assign_roles
from ingest.classify.triggers import find_triggers

from .helpers import low, registry


def roles(text: str, type_: str) -> tuple[str | None, str | None, str]:
    mentions = find_actor_mentions(text, low(text), registry())
    trigger = next(t for t in find_triggers(text) if t.type == type_)
    r = assign_roles(text, trigger, mentions)
    return (r.agent.code if r.agent else None, r.patient.code if r.patient else None, r.agent_rule)


def test_active_voice_subject_and_object():
    assert roles("Israeli jets bombed Hezbollah positions overnight.", "attack")[:2] == (
        "ISR",
        "HEZBOLLAH",
    )


def test_passive_voice_by_phrase():
    assert roles("The Jordanian outpost was struck by Houthi drones.", "attack") == (
        "HOUTHIS",
        "JOR",
        "by",
    )


def test_noun_with_modifier_and_light_verb():
    assert roles("A Turkish drone strike hit the PKK camp.", "attack")[0] == "TUR"
    agent, patient, rule = roles(
        "The Pentagon said Washington carried out strikes against Kataib Hezbollah.", "attack"
    )
    assert (agent, patient, rule) == ("USA", "KH", "subject")


def test_bare_noun_names_nobody():
    assert roles("Damascus said the attack on the convoy was a crime.", "attack")[0] is None


def test_reporting_verb_separates_speaker_from_doer():
    # Jordan reports; the strike is not Jordan's
    assert roles("Jordan said that rockets struck the base.", "attack")[0] is None


def test_speaker_of_a_quote_is_the_agent_of_a_speech_act():
    text = "“This is a violation of Iraqi sovereignty by the Turkish side,” an Iraqi official said."
    assert roles(text, "condemn")[0] == "IRQ"


def test_capture_fell_to():
    assert roles("The town fell to the Islamic State in June.", "capture")[0] == "ISIS"


def test_struck_a_deal_is_an_agreement_not_a_strike():
    types = [t.type for t in find_triggers("Ankara struck a deal with Moscow.")]
    assert types == ["agree"]
