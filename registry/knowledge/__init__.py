"""The world knowledge base, built from data packages (no Django here): call `load_world()`."""

from __future__ import annotations

from pathlib import Path

from registry.knowledge.build import DATA, POPULATION_FLOOR, read_or_build, version_of
from registry.knowledge.world import Place, World

__all__ = ["Place", "World", "load_world", "version_of"]

_LOADED: dict[tuple[str, int], World] = {}


def load_world(data_dir: Path = DATA, population_floor: int = POPULATION_FLOOR) -> World:
    """The knowledge base, from its cache file (built on first use), once per process."""
    key = (str(data_dir), population_floor)
    if key not in _LOADED:
        _LOADED[key] = World.from_data(read_or_build(data_dir, population_floor))
    return _LOADED[key]
