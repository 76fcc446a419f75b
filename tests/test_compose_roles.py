"""docker-compose runs with two database roles (issue 14): the superuser only for
`db_roles`, the owner only for migrations, the runtime role for everything else."""

import re
from pathlib import Path
from urllib.parse import urlparse

import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def _user(url: str) -> str:
    # ${VAR:?message} stands for a password: replaced before the URL is parsed
    return urlparse(re.sub(r"\$\{[^}]*\}", "secret", url)).username or ""


def test_compose_uses_the_owner_to_migrate_and_the_runtime_role_for_the_rest() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    users = {
        name: _user(service.get("environment", {}).get("DATABASE_URL", ""))
        for name, service in services.items()
        if "DATABASE_URL" in service.get("environment", {})
    }
    assert users.pop("roles") == services["db"]["environment"]["POSTGRES_USER"]
    assert "db_roles" in services["roles"]["command"]
    assert set(users.values()) == {"tracker_app"}, users
    assert {"web", "worker", "beat", "migrate"} <= set(users)
    migrate = services["migrate"]["environment"]
    assert _user(migrate["MIGRATION_DATABASE_URL"]) == "tracker_owner"
    assert not any(
        "MIGRATION_DATABASE_URL" in services[s]["environment"] for s in users if s != "migrate"
    )
    assert "tracker_owner" in services["roles"]["command"]
    assert "tracker_app" in services["roles"]["command"]
