"""WSGI entry point, served by granian in `regie serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings")
application = get_wsgi_application()
