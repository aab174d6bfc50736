"""The Celery application.

Without CELERY_BROKER_URL the settings switch Celery to eager mode, so that the demo and a
small installation run without a broker; with it, tasks go to a real worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")

app = Celery("selfscan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
