"""Every periodic task, in one place. Beat (django-celery-beat's database
scheduler) copies these into the database at start; change them here."""

BEAT_SCHEDULE = {
    # Rows whose message was lost (broker outage), that waited (quiet hours,
    # digests, back-off, rate limit) or whose worker died: queued again.
    "notifications-sweep": {
        "task": "notifications.tasks.notification_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
