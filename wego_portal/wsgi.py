"""WSGI entry point, used by gunicorn (`gunicorn wego_portal.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wego_portal.settings")

application = get_wsgi_application()
