import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
application = get_wsgi_application()

# Import every view, build the URL tables and compile the templates now: at a worker's start
# instead of inside the first requests each worker serves (selfscan.core.warmup).
from selfscan.core.warmup import warm_up  # noqa: E402

warm_up()
