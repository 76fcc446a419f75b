"""`python -m registry.knowledge build [--floor N]`: build the cache file now (a worker would
otherwise build it on its first load) and print what it holds."""

from __future__ import annotations

import argparse
import time

from registry.knowledge.build import POPULATION_FLOOR, build_world_data, cache_path, write_cache
from registry.knowledge.world import World


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m registry.knowledge")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--floor", type=int, default=POPULATION_FLOOR)
    args = parser.parse_args()
    started = time.perf_counter()
    data = build_world_data(population_floor=args.floor)
    path = write_cache(data)
    world = World.from_data(data)
    print(
        f"{world.version}: {len(world.states)} states, {len(world.groups)} groups, "
        f"{len(world.place_rows)} places (floor {args.floor}) in "
        f"{time.perf_counter() - started:.1f}s -> {path}"
    )
    assert path == cache_path(world.version)


if __name__ == "__main__":
    main()
