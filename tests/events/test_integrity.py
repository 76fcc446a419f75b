"""Tamper evidence (issue 14): hash chains, seals, `verify_log`, the head endpoint, the
dashboard block; and no session setting that opens the log."""

from __future__ import annotations

import logging
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from events import store
from events.integrity.chain import GENESIS, canonical_encoding, canonical_json, link
from events.integrity.merkle import merkle_root
from events.integrity.seals import seal_log
from events.integrity.tables import LogCheck, Seal
from events.integrity.verify import record_verification, verify_log
from events.store import NewEvent

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS: list[dict[str, Any]] = [
    {"b": 1, "a": 2, "aa": [1, 2.5, None, True, False], "z": {"y": "x", "": 0}},
    {"text": 'Kyiv \u2013 «quoted» "x" \\ \n\t\u0001 ünïcödé 東京 🚀', "n": -0.0, "big": 10**20},
    {"tiny": 1e-07, "float": 0.1, "exp": 1.5e300, "neg": -12.75, "round": 2.0},
    {"nested": {"deep": [{"k": "v", "kk": [[], {}]}]}, "unicode key é": "é", "ab": "ab"},
]


def _append_sample() -> list[store.RecordedEvent]:
    recorded = []
    for i, payload in enumerate(PAYLOADS):
        recorded += store.append(
            f"chain-{i % 2}",
            [
                NewEvent("Thing", payload, {"user": "ed", "n": i}, occurred_on=date(2024, 1, 2)),
                NewEvent("Other", {"i": i}),
            ],
            expected_version=None,
        )
    return recorded


def _tamper(sql: str, params: list[Any]) -> None:
    """What a superuser can do: switch the guards off, change a row, switch them on."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE events_event DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE events_event ENABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'events_event'"
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            cursor.execute(sql, params)
            for _, create in triggers:
                cursor.execute(create)


def _stored_hash(position: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_hash FROM events_event WHERE position = %s", [position])
        return bytes(cursor.fetchone()[0])


def test_every_event_hash_chains_to_the_previous_event_of_its_stream() -> None:
    recorded = _append_sample()
    previous: dict[str, bytes] = {}
    for event in recorded:
        raw = connection.vendor == "postgresql"
        expected = link(
            previous.get(event.stream_id, GENESIS),
            canonical_encoding(
                stream_id=event.stream_id,
                version=event.version,
                event_id=str(event.event_id),
                type=event.type,
                schema_version=event.schema_version,
                data=_stored_json(event.position, "data") if raw else event.data,
                metadata=event.metadata,
                occurred_on=event.occurred_on,
            ),
        )
        assert _stored_hash(event.position) == expected, event
        previous[event.stream_id] = expected
    assert len(set(previous.values())) == 2


def _stored_json(position: int, column: str) -> Any:
    from events.integrity.chain import parse_json

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}::text FROM events_event WHERE position = %s", [position])
        return parse_json(cursor.fetchone()[0])


@pytest.mark.postgres
def test_the_canonical_encoding_is_postgresqls_jsonb_text() -> None:
    for payload in PAYLOADS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT jsonb_build_array(%s::varchar, 3, %s::uuid, 'T', 1, %s::jsonb, "
                "'{}'::jsonb, %s::date)::text",
                ["s-1", str(uuid.UUID(int=7)), _json(payload), date(2024, 2, 29)],
            )
            database_text = cursor.fetchone()[0]
        ours = canonical_encoding(
            stream_id="s-1",
            version=3,
            event_id=str(uuid.UUID(int=7)),
            type="T",
            schema_version=1,
            data=payload,
            metadata={},
            occurred_on=date(2024, 2, 29),
        )
        assert ours.decode() == database_text


def _json(value: Any) -> str:
    from django.core.serializers.json import DjangoJSONEncoder

    return DjangoJSONEncoder().encode(value)


def test_canonical_json_numbers_and_keys() -> None:
    assert canonical_json({"bb": 1, "a": 2, "c": 3}) == '{"a": 2, "c": 3, "bb": 1}'
    assert canonical_json([Decimal("1E+3"), Decimal("1.50"), -0.0, 1e-07]) == (
        "[1000, 1.50, 0.0, 0.0000001]"
    )


def test_verify_log_passes_an_untouched_log_and_counts_what_it_checked() -> None:
    _append_sample()
    first = seal_log()
    assert first is not None and first.event_count == 8
    store.append("chain-late", [NewEvent("Thing", {"late": True})], expected_version=0)
    second = seal_log()
    assert second is not None and (second.number, second.event_count) == (2, 1)
    assert seal_log() is None  # nothing new
    store.append("chain-late", [NewEvent("Thing", {"unsealed": 1})], expected_version=1)
    result = verify_log()
    assert result.ok, result.describe()
    assert (result.events_checked, result.seals_checked, result.unsealed) == (10, 2, 1)
    call_command("verify_log")  # exits 0


def test_a_seal_is_the_merkle_root_over_the_previous_root_and_the_new_events() -> None:
    recorded = _append_sample()
    first = seal_log()
    assert first is not None
    hashes = [_stored_hash(e.position) for e in sorted(recorded, key=lambda e: e.position)]
    assert bytes(first.root) == merkle_root(hashes)
    late = store.append("chain-late", [NewEvent("Thing", {"x": 1})], expected_version=0)
    second = seal_log()
    assert second is not None
    assert bytes(second.root) == merkle_root([bytes(first.root), _stored_hash(late[0].position)])


def test_verify_log_names_a_row_a_superuser_changed_with_the_triggers_disabled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    recorded = _append_sample()
    seal_log()
    victim = recorded[3]
    _tamper(
        "UPDATE events_event SET data = %s WHERE position = %s",
        ['{"forged": 1}', victim.position],
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_log")
    assert exit_.value.code == 1
    message = capsys.readouterr().err
    assert f"position {victim.position}" in message and "does not match" in message
    check = LogCheck.objects.get()
    assert not check.ok and check.first_bad_position == victim.position


def test_verify_log_sees_a_rewritten_hash_through_the_seal() -> None:
    recorded = _append_sample()
    seal_log()
    victim = recorded[-1]  # the newest event of its stream: no successor to break
    forged = link(
        _stored_hash(recorded[-2].position),
        canonical_encoding(
            stream_id=victim.stream_id,
            version=victim.version,
            event_id=str(victim.event_id),
            type=victim.type,
            schema_version=victim.schema_version,
            data={"i": 99},
            metadata={},
            occurred_on=None,
        ),
    )
    _tamper(
        "UPDATE events_event SET data = %s, chain_hash = %s WHERE position = %s",
        ['{"i": 99}', forged, victim.position],
    )
    result = verify_log()
    assert not result.ok
    assert "seal 1" in result.problem


def test_verify_log_sees_a_deleted_row() -> None:
    recorded = _append_sample()
    seal_log()
    _tamper("DELETE FROM events_event WHERE position = %s", [recorded[0].position])
    result = verify_log()
    assert not result.ok
    assert result.first_bad_position == recorded[1].position  # its successor's chain breaks


def test_a_failed_verification_is_logged_at_error_and_shown_on_the_dashboard(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorded = _append_sample()
    _tamper("UPDATE events_event SET type = 'Forged' WHERE position = %s", [recorded[2].position])
    with caplog.at_level(logging.ERROR, logger="events.integrity.verify"):
        record_verification(verify_log())
    assert any(
        r.levelno == logging.ERROR and f"position {recorded[2].position}" in r.getMessage()
        for r in caplog.records
    )
    client = Client()
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw-123456"))
    page = client.get("/admin/events/incidentrow/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="log-check-failed"' in html and f"position {recorded[2].position}" in html


def test_log_head_returns_the_newest_seal(settings: Any) -> None:
    settings.TRACKER_ANONYMOUS_READS = True
    client = Client()
    missing = client.get("/api/log/head/")
    assert missing.status_code == 404 and "not been sealed" in missing.content.decode()
    _append_sample()
    seal_log()
    store.append("chain-late", [NewEvent("Thing", {"x": 1})], expected_version=0)
    newest = seal_log()
    assert newest is not None
    head = client.get("/api/log/head/").json()
    assert head["seal"] == 2 == Seal.objects.count()
    assert head["position"] == newest.position
    assert head["root"] == bytes(newest.root).hex() and len(head["root"]) == 64
    assert head["sealed_at"].startswith(str(newest.sealed_at.date()))


def test_seals_are_append_only() -> None:
    _append_sample()
    seal_log()
    for statement in ("UPDATE events_seal SET root = root", "DELETE FROM events_seal"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


@pytest.mark.postgres
def test_no_session_setting_opens_the_log() -> None:
    store.append("hatch-1", [NewEvent("Thing", {"a": 1})], expected_version=0)
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL tracker.allow_purge = 'on'")
        cursor.execute("TRUNCATE events_event")
    assert store.stream_version("hatch-1") == 1


@pytest.mark.postgres
@pytest.mark.slow
def test_chains_and_seals_hold_under_eight_writers_committing_out_of_order() -> None:
    """Writers of one stream wait for each other's lock and commit out of position order
    (tests.events.writers): each append still chains to the one committed before it, and
    seals made while they write cover exactly what verify later finds in their ranges."""
    import multiprocessing
    import time

    from tests.events import writers

    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    name = connection.settings_dict["NAME"]
    procs = [ctx.Process(target=writers.write_for, args=(name, w, 4.0, out)) for w in range(8)]
    for p in procs:
        p.start()
    committed = []
    pending = len(procs)
    while pending:
        seal_log()
        while not out.empty():
            committed += out.get()
            pending -= 1
        time.sleep(0.2)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    seal_log()
    result = verify_log()
    assert result.ok, result.describe()
    assert result.events_checked == len(committed) > 200
    assert result.seals_checked >= 3 and result.unsealed == 0


def test_beat_seals_every_minute_and_verifies_daily(settings: Any) -> None:
    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["events.tasks.seal_log"] == 60
    assert schedule["events.tasks.verify_log"] == 24 * 3600
