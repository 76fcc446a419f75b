"""The scorer names actors as the registry does: no alias table typed a second time."""

from ingest.classify.lexicon import Registry
from ingest.evaluation.scoring import actor_names, norm_actor, score

from .helpers import registry


def test_registry_aliases_normalise_to_their_code():
    names = actor_names(registry())
    assert norm_actor("Kataib Hezbollah", names) == "KH"
    assert norm_actor("  the   Pentagon ", names) == "USA"
    assert norm_actor("kataib_hezbollah", names) == "KH"
    assert norm_actor("Nobody Known", names) == "NOBODY KNOWN"
    assert norm_actor("unknown", names) is None


def test_an_alias_added_to_the_registry_counts_in_the_score():
    gold = [{"article": "a", "type": ["attack"], "actor": ["SAWD"]}]
    pred = [{"article": "a", "type": "attack", "actor": "Awliya al-Dam"}]
    assert score(gold, pred, registry()).tp == 0
    actors = [
        {"code": "SAWD", "name": "Saraya Awliya al-Dam", "kind": "militia",
         "aliases": ["Awliya al-Dam"]},
    ]  # fmt: skip
    with_it = Registry.from_data(actors, [], "test")
    assert score(gold, pred, with_it).tp == 1
