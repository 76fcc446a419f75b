"""Tables derived from a registry (alias sets, lookups) are built once per registry and
never outlive it: an edit makes a new Registry, which builds its own."""

from __future__ import annotations

from ingest.classify.lexicon import Registry, fixture_registry


def _copy(base: Registry) -> Registry:
    return Registry(dict(base.actors), dict(base.places), "edited")


def test_memo_builds_once_per_registry() -> None:
    registry = _copy(fixture_registry())
    calls: list[int] = []

    def build() -> frozenset[str]:
        calls.append(1)
        return frozenset({"x"})

    first = registry.memo("names", build)
    assert registry.memo("names", build) is first
    assert len(calls) == 1


def test_a_new_registry_derives_its_own_tables() -> None:
    base = _copy(fixture_registry())
    assert base.proxies_of("IRN") == "IRAN_BACKED_MILITIAS"
    edited = _copy(base)
    del edited.actors["IRAN_BACKED_MILITIAS"]
    assert edited.proxies_of("IRN") is None
    assert base.proxies_of("IRN") == "IRAN_BACKED_MILITIAS"  # the old one kept its table
