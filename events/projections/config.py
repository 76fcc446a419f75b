"""The projections' knobs, read from settings with their defaults."""

from django.conf import settings


def stance_half_life_days() -> float:
    return float(settings.TRACKER_STANCE_HALF_LIFE_DAYS)


def force_window_days() -> int:
    """Force levels stated this close to the latest one count as concurrent estimates."""
    return int(settings.TRACKER_FORCE_WINDOW_DAYS)
