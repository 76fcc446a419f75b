"""`manage.py bench` refuses options that do not fit the benchmark, with one line."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["store", "--workers", "2"], "--workers applies to bench pipeline only"),
        (["pipeline", "--workers", "0"], "--workers must be at least 1"),
    ],
)
def test_a_misplaced_workers_option_is_refused(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("bench", *args)
