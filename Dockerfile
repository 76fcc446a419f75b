FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY tracker tracker
COPY registry registry
COPY events events
COPY ingest ingest
COPY newsroom newsroom
COPY bench bench
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SETTINGS_MODULE=tracker.settings_production SECRET_KEY=build-only \
    python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "tracker.asgi:application", "-k", "uvicorn_worker.UvicornWorker", "--bind", "0.0.0.0:8000", "--workers", "3"]
