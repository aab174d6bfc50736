import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
application = get_wsgi_application()

# Import every URL module, and with them every view, pandas and the chart libraries, now: at a
# worker's start instead of inside the first request each worker serves (about 1 s of CPU per
# worker, which at a deadline rush made the first hundred requests queue; decision 0265).
get_resolver().url_patterns  # noqa: B018 (reading the attribute imports them)
