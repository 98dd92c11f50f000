"""Celery application (the "First steps with Django" layout).

Tasks take ids, re-fetch inside and call a service. With no broker configured
(the embedded default) settings make tasks run in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.settings.base")

app = Celery("posyandu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
