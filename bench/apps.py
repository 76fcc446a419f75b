from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks' app: it only holds `manage.py bench`, above every other app."""

    name = "bench"
    verbose_name = "Benchmarks"
