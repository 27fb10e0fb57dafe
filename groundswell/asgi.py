"""ASGI entry point, for servers that speak ASGI. Groundswell's views are synchronous."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
application = get_asgi_application()
