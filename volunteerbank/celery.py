"""The Celery app. Configuration comes from Django settings (CELERY_* names);
periodic tasks are declared once, in `volunteerbank.schedule`. Without
DJANGO_SETTINGS_MODULE a worker loads the production settings (fails closed); tests and
`make run` set their own before importing this module."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volunteerbank.settings.production")

app = Celery("volunteerbank")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_publish_retry_policy = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
app.autodiscover_tasks()
