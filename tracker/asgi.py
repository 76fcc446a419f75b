"""The ASGI application: what gunicorn's uvicorn workers serve, so that an open
Server-Sent Events stream (`/api/events/stream`) waits in the event loop, not a thread."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

application = get_asgi_application()
