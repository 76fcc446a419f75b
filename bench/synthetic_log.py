"""A deterministic synthetic event log, shaped as the ingestion and the editors write it.

Incident streams opened by an `IncidentReported` (classifier or editor, with the article,
outlet, evidence and confidence), then some `IncidentCorroborated` (other outlets,
sometimes other figures), `IncidentVerified`, `IncidentCorrected`, `IncidentRetracted` (by
an editor, or because the one source withdrew it) and `IncidentMerged` (followed by the
survivor's corroboration), interleaved in the log as they would be over two years of news.
Actors, places and incident types follow a skewed (Zipf-like) mix: a few actors and
attacks dominate, ultimatums are rare. The payloads are `events.domain` payloads
(`validate_sample` checks a sample); `bench replay` and `bench api` load it with COPY.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

SEED = 20240104
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_DAYS = 730

# (code, weight): a few actors dominate the news.
ACTORS = [
    ("USA", 14),
    ("IRN", 10),
    ("ISR", 10),
    ("RUS", 9),
    ("UKR", 8),
    ("TUR", 6),
    ("IRQ", 6),
    ("SYR", 5),
    ("KH", 4),
    ("HEZBOLLAH", 4),
    ("HAMAS", 4),
    ("PMF", 3),
    ("HN", 2),
    ("KIA", 2),
    ("SDF", 2),
    ("PKK", 2),
    ("HTS", 2),
    ("HOUTHIS", 2),
    ("GBR", 1),
    ("FRA", 1),
    ("JOR", 1),
    ("SAU", 1),
    ("LBN", 1),
    ("EGY", 1),
]
# (country, location, latitude, longitude): the location is sometimes the country itself.
PLACES = [
    ("IRQ", "Baghdad", 33.31, 44.37),
    ("IRQ", "Mosul", 36.34, 43.13),
    ("IRQ", "Erbil", 36.19, 44.01),
    ("IRQ", "Iraq", None, None),
    ("SYR", "Deir ez-Zor", 35.33, 40.14),
    ("SYR", "Afrin", 36.51, 36.87),
    ("SYR", "Syria", None, None),
    ("ISR", "Gaza City", 31.50, 34.47),
    ("LBN", "Beirut", 33.89, 35.50),
    ("UKR", "Kharkiv", 49.99, 36.23),
    ("UKR", "Ukraine", None, None),
    ("YEM", "Hodeidah", 14.80, 42.95),
    ("JOR", "Tower 22", 33.32, 38.69),
    ("IRN", "Isfahan", 32.65, 51.67),
]
# (type, weight, carries a quantity, casualties)
TYPES = [
    ("attack", 30, False, True),
    ("condemn", 14, False, False),
    ("deploy", 8, True, False),
    ("threaten", 7, False, False),
    ("demand", 6, False, False),
    ("deny", 6, False, False),
    ("support", 6, False, False),
    ("withdraw", 4, True, False),
    ("force_level", 5, True, False),
    ("capture", 5, False, False),
    ("agree", 4, False, False),
    ("ultimatum", 2, False, False),
]
OUTLETS = ["Reuters", "AP", "AFP", "Al Jazeera", "BBC", "Kurdistan24", "Al-Monitor", "Rudaw"]
FACTUALITY = [("asserted", 70), ("reported", 15), ("claimed", 7), ("denied", 4), ("planned", 4)]
UNITS = [("troops", 8), ("battalion", 1), ("soldiers", 1)]
SENTENCE = (
    "{actor} forces {verb} {target} positions near {place} on {day}, officials said, "
    "according to a statement carried by {outlet} and confirmed by two local sources."
)
VERBS = {
    "attack": "struck",
    "deploy": "deployed to",
    "withdraw": "withdrew from",
    "force_level": "keep troops at",
    "condemn": "condemned",
    "threaten": "threatened",
    "demand": "demanded a halt from",
    "deny": "denied attacking",
    "support": "backed",
    "agree": "agreed a truce with",
    "capture": "captured",
    "ultimatum": "gave 48 hours to",
}


def _weighted(pairs: list[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


@dataclass
class _Incident:
    incident_id: str
    fields: dict[str, Any]
    article_ids: list[int] = field(default_factory=list)


class LogGenerator:
    """A deterministic synthetic log: `events()` yields rows in log order."""

    def __init__(self, size: int, seed: int = SEED) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.next_article = 1
        self.actor_codes, self.actor_weights = _weighted(ACTORS)
        self.type_rows = [(t[0], t[2], t[3]) for t in TYPES]
        self.type_weights = [t[1] for t in TYPES]
        self.factuality, self.factuality_weights = _weighted(FACTUALITY)
        self.units, self.unit_weights = _weighted(UNITS)

    # --- payloads ---------------------------------------------------------------------
    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _actor(self) -> str:
        return self.rng.choices(self.actor_codes, self.actor_weights)[0]

    def _source(self, day: date, outlet: str, fields: dict[str, Any]) -> dict[str, Any]:
        article_id = self.next_article
        self.next_article += 1
        external_id = f"{outlet.lower().replace(' ', '-')}-{article_id}"
        published = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=self.rng.randrange(6, 23)
        )
        place = fields.get("location") or "the area"
        return {
            "article_id": article_id,
            "feed": "wire",
            "external_id": external_id,
            "url": f"https://news.example/{external_id}",
            "outlet": outlet,
            "title": f"{fields.get('actor') or 'Unknown'} {VERBS[fields['type']]} "
            f"{fields.get('target') or 'targets'} near {place}",
            "published_at": published.isoformat().replace("+00:00", "Z"),
            "speaker": outlet,
            "evidence": SENTENCE.format(
                actor=fields.get("actor") or "Unidentified",
                verb=VERBS[fields["type"]],
                target=fields.get("target") or "militant",
                place=place,
                day=day.strftime("%d %B"),
                outlet=outlet,
            ),
            "confidence": round(self.rng.uniform(0.45, 0.98), 2),
            "classifier_version": "2024.06-rules",
            "status": fields["status"],
            "content_hash": f"{self.rng.getrandbits(128):032x}",
        }

    def _fields(self, day: date) -> dict[str, Any]:
        rng = self.rng
        type_, has_quantity, casualties = rng.choices(self.type_rows, self.type_weights)[0]
        actor = self._actor()
        target: str | None = self._actor()
        while target == actor:
            target = self._actor()
        country, location, lat, lon = rng.choice(PLACES)
        quantity = None
        if has_quantity:
            unit = rng.choices(self.units, self.unit_weights)[0]
            value = None if unit == "battalion" else rng.choice([150, 300, 900, 1500, 2000, 2500])
            quantity = {"value": value, "unit": unit}
            target = None if rng.random() < 0.7 else target
        status = rng.choices(self.factuality, self.factuality_weights)[0]
        deadline = None
        if type_ == "ultimatum":
            deadline = f"{(day + timedelta(days=2)).isoformat()}T12:00:00Z"
        return {
            "type": type_,
            "actor": actor,
            "target": target,
            "location": location,
            "country": country,
            "latitude": lat,
            "longitude": lon,
            "quantity": quantity,
            "killed": rng.choice([None, 0, 1, 2, 4, 7, 12]) if casualties else None,
            "injured": rng.choice([None, 3, 9]) if casualties else None,
            "occurred_on": day.isoformat() if rng.random() < 0.9 else None,
            "date_precision": "day",
            "deadline": deadline,
            "status": status,
        }

    def _reported(self, incident: _Incident, day: date) -> tuple[str, dict[str, Any]]:
        outlet = self.rng.choice(OUTLETS)
        source = self._source(day, outlet, incident.fields)
        incident.article_ids.append(source["article_id"])
        editor = self.rng.random() < 0.03
        data = {
            **incident.fields,
            "incident_id": incident.incident_id,
            "method": "editor" if editor else "classifier",
            "source": source,
            "needs_review": source["confidence"] < 0.6,
        }
        return "IncidentReported", data

    def _corroborated(self, incident: _Incident, day: date) -> tuple[str, dict[str, Any]]:
        source = self._source(day, self.rng.choice(OUTLETS), incident.fields)
        incident.article_ids.append(source["article_id"])
        reported: dict[str, Any] = {}
        if incident.fields.get("killed") and self.rng.random() < 0.2:
            reported["killed"] = incident.fields["killed"] + self.rng.randrange(1, 5)
        quantity = incident.fields.get("quantity")
        if quantity and quantity.get("value") and self.rng.random() < 0.3:
            reported["quantity"] = {"value": quantity["value"] + 500, "unit": quantity["unit"]}
        data = {
            "incident_id": incident.incident_id,
            "source": source,
            "reported": reported,
            "merged_from": None,
        }
        return "IncidentCorroborated", data

    def _follow_up(self, kind: str, incident: _Incident) -> tuple[str, dict[str, Any]]:
        rng, iid = self.rng, incident.incident_id
        if kind == "verified":
            return "IncidentVerified", {"incident_id": iid, "note": "checked against two wires"}
        if kind == "corrected":
            changes: dict[str, Any] = rng.choice(
                [
                    {"killed": rng.randrange(0, 20)},
                    {"location": rng.choice(PLACES)[1]},
                    {"status": "reported"},
                    {"target": self._actor()},
                ]
            )
            return "IncidentCorrected", {
                "incident_id": iid,
                "changes": changes,
                "reason": "editor: figures from the ministry's statement",
            }
        # retracted: by an editor, or the only source withdrew it
        article_id = incident.article_ids[0] if rng.random() < 0.5 else None
        return "IncidentRetracted", {
            "incident_id": iid,
            "reason": "source updated" if article_id else "editor: misattributed report",
            "article_id": article_id,
        }

    # --- the log ------------------------------------------------------------------------
    def events(self) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any], datetime]]:
        """(stream_id, type, data, metadata, recorded_at) in log order, `size` of them."""
        rng = self.rng
        pending: list[tuple[float, int, str, Any]] = []  # (time, seq, kind, incident)
        import heapq

        seq = 0
        emitted = 0
        per_second = max(1.0, self.size / (SPAN_DAYS * 86400.0))
        clock = 0.0
        recent: list[_Incident] = []
        while emitted < self.size:
            clock += rng.expovariate(per_second * 0.55)
            due = pending and pending[0][0] <= clock
            if due:
                at, _, kind, payload = heapq.heappop(pending)
            else:
                at, kind, payload = clock, "reported", None
            recorded = START + timedelta(seconds=at)
            day = (recorded - timedelta(days=rng.choice([0, 0, 0, 1, 2]))).date()
            if kind == "reported":
                incident = _Incident(self._uuid(), self._fields(day))
                event = self._reported(incident, day)
                recent.append(incident)
                if len(recent) > 2000:
                    recent.pop(0)
                for _ in range(rng.choices([0, 1, 2, 3], [45, 33, 15, 7])[0]):
                    seq += 1
                    later = at + rng.expovariate(1 / 7200)
                    heapq.heappush(pending, (later, seq, "corroborated", incident))
                follow = rng.random()
                for kind_after, share in (
                    ("verified", 0.10),
                    ("corrected", 0.05),
                    ("retracted", 0.03),
                    ("merged", 0.015),
                ):
                    if follow < share:
                        seq += 1
                        later = at + rng.expovariate(1 / 86400)
                        heapq.heappush(pending, (later, seq, kind_after, incident))
                        break
                    follow -= share
            elif kind == "corroborated":
                incident = payload
                event = self._corroborated(incident, day)
            elif kind == "merged":
                incident = payload
                survivor = rng.choice(recent)
                if survivor is incident:
                    continue
                event = (
                    "IncidentMerged",
                    {
                        "incident_id": incident.incident_id,
                        "into": survivor.incident_id,
                        "reason": "duplicate",
                    },
                )
                seq += 1
                heapq.heappush(pending, (at, seq, "absorbed", (survivor, incident)))
            elif kind == "absorbed":
                survivor, incident = payload
                type_, data = self._corroborated(survivor, day)
                data["merged_from"] = incident.incident_id
                event = (type_, data)
                incident = survivor
            else:
                incident = payload
                event = self._follow_up(kind, incident)
            metadata = {
                "source_article": incident.article_ids[-1],
                "classifier_version": "2024.06-rules",
                "correlation_id": incident.incident_id,
            }
            if event[0] in ("IncidentVerified", "IncidentCorrected", "IncidentMerged"):
                metadata = {"user": "editor-3", "correlation_id": incident.incident_id}
            yield f"incident-{incident.incident_id}", event[0], event[1], metadata, recorded
            emitted += 1


def validate_sample(generator: LogGenerator, n: int = 2000) -> None:
    """The synthetic payloads are exactly what the domain would have written."""
    from events.domain import validate_payload

    for i, (_, type_, data, _, _) in enumerate(generator.events()):
        if i >= n:
            break
        assert validate_payload(type_, data) == data, (type_, data)
