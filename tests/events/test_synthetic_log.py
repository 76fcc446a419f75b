"""The benchmarks' synthetic log (bench.synthetic_log) writes what the domain would."""

from __future__ import annotations

from collections import Counter

from bench.synthetic_log import LogGenerator, validate_sample


def test_the_synthetic_log_is_deterministic_and_its_payloads_validate() -> None:
    first = list(LogGenerator(3000, seed=7).events())
    again = list(LogGenerator(3000, seed=7).events())
    assert len(first) == 3000
    assert first == again
    validate_sample(LogGenerator(3000, seed=7), n=3000)
    types = Counter(type_ for _, type_, _, _, _ in first)
    assert types["IncidentReported"] == len({stream for stream, *_ in first})
    assert {"IncidentCorroborated", "IncidentRetracted"} <= set(types)
