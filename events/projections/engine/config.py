"""The projections' knobs, read from settings with their defaults, and the registry's
country-level place names (the force rows key on them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

CountryNames = frozenset[tuple[str, str]]  # (ISO3, lower-case name): country-wide places


def stance_half_life_days() -> float:
    return float(settings.TRACKER_STANCE_HALF_LIFE_DAYS)


def force_window_days() -> int:
    """Force levels stated this close to the latest one count as concurrent estimates."""
    return int(settings.TRACKER_FORCE_WINDOW_DAYS)


def country_level_names() -> CountryNames:
    """Which place names mean a whole country. The registry knows them; a registry edit
    recomputes the force rows through the receiver events/apps.py connects to
    `registry.signals.registry_changed`."""
    from registry.selectors import country_level_names as registry_country_names

    return registry_country_names()


@dataclass(frozen=True)
class RuleContext:
    """What the derived read models' rules read besides the incidents, read once per
    rebuild (and handed to each of its processes)."""

    names: CountryNames
    window_days: int
    half_life_days: float


def rule_context() -> RuleContext:
    return RuleContext(country_level_names(), force_window_days(), stance_half_life_days())
