from ingest.classify.casualties import count_list, find_casualties
from ingest.classify.numbers import to_int
from ingest.classify.quantities import find_quantities


def test_number_words_and_digits():
    assert to_int("1,500") == 1500
    assert to_int("twenty-five") == 25
    assert to_int("a") == 1
    assert to_int("hundreds") is None


def test_force_sizes_with_units():
    found = find_quantities(
        "Britain sent 1,200 more British soldiers and a brigade, plus hundreds of jets."
    )
    assert [(q.value, q.unit) for q in found] == [(1200, "troops"), (1, "brigade")]
    assert [
        (q.value, q.unit) for q in find_quantities("Washington sent thousands more troops")
    ] == [(None, "troops")]


def test_casualty_counts_are_not_force_sizes():
    assert find_quantities("The blast killed 14 soldiers.") == []


def test_coordinated_counts_add_up():
    assert count_list("two Jordanian soldiers and three British troops") == 5


def test_casualties_active_passive_and_bare():
    c = find_casualties("The shelling killed at least 12 civilians and wounded 30 others.")
    assert (c.killed, c.injured) == (12, 30)
    c = find_casualties("A colonel and six guards were killed and nine people injured.")
    assert (c.killed, c.injured) == (7, 9)
    c = find_casualties("Medics said 40 dead after the raid.")
    assert c.killed == 40
    assert find_casualties("The ceasefire held.").killed is None
