"""Which place names mean a whole country, as the force rows key on them.

The registry knows the names (registry.selectors); a registry edit recomputes the force
rows through the receiver events/apps.py connects to `registry.signals.registry_changed`.
"""

from __future__ import annotations

from events.projections.forces import CountryNames
from registry.selectors import country_level_names as _registry_country_names


def country_level_names() -> CountryNames:
    return _registry_country_names()
