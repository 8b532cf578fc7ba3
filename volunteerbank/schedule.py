"""Every periodic task, in one place. Beat (django-celery-beat's database
scheduler) copies these into the database at start; change them here."""

from zoneinfo import ZoneInfo

from django_celery_beat.tzcrontab import TzAwareCrontab

BEAT_SCHEDULE = {
    # Rows whose message was lost (broker outage), that waited (quiet hours,
    # digests, back-off, rate limit) or whose worker died: queued again.
    "notifications-sweep": {
        "task": "notifications.tasks.notification_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Needs whose matching message was lost, open needs with places left (in
    # per-region batches) and invitations past their 48 hours.
    "matching-sweep": {
        "task": "matching.tasks.matching_sweep_task",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Each moderator's queue, every morning at 07:00 in Cairo (08:00 in Riyadh).
    # A crontab with its own zone: Celery's clock is UTC and Egypt keeps summer time.
    "moderation-summary": {
        "task": "cases.tasks.moderation_summary_task",
        "schedule": TzAwareCrontab(minute=0, hour=7, tz=ZoneInfo("Africa/Cairo")),
        "options": {"expires": 3600},
    },
    # Occurrences of repeating needs, created SERIES_HORIZON_DAYS ahead (idempotent).
    "series-extend": {
        "task": "cases.tasks.series_extend_task",
        "schedule": TzAwareCrontab(minute=30, hour=2, tz=ZoneInfo("Africa/Cairo")),
        "options": {"expires": 3600},
    },
    # Each charity's median time to review proposed volunteers, cached on Charity.
    "charity-response-times": {
        "task": "matching.tasks.charity_response_times_task",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # Staff reminded (once per need and day) of proposals waiting 24 hours.
    "match-waiting": {
        "task": "matching.tasks.match_waiting_task",
        "schedule": 900.0,
        "options": {"expires": 850},
    },
    # Volunteers who turned 18 today become matchable (the slots' copied flag).
    "volunteer-adults": {
        "task": "volunteers.tasks.volunteer_adults_refresh_task",
        "schedule": TzAwareCrontab(minute=5, hour=0, tz=ZoneInfo("Africa/Cairo")),
        "options": {"expires": 3600},
    },
    # Rejected reports and their photos, REPORT_RETENTION_DAYS after review.
    "report-purge": {
        "task": "cases.tasks.report_purge_task",
        "schedule": TzAwareCrontab(minute=30, hour=3, tz=ZoneInfo("Africa/Cairo")),
        "options": {"expires": 3600},
    },
    # Staff who have not marked attendance a day after a need ended: one reminder per need.
    "attendance-reminders": {
        "task": "attendance.tasks.attendance_reminders_task",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # Impact rollups the hooks marked, whose refresh message was lost (broker outage).
    "impact-refresh": {
        "task": "impact.tasks.impact_refresh_task",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Search's common words found, filled and trimmed (cases/common_words.py).
    "common-words-refresh": {
        "task": "cases.tasks.common_words_refresh_task",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # Every impact rollup rebuilt from its sources (idempotent), when Cairo sleeps.
    "impact-rebuild": {
        "task": "impact.tasks.impact_rebuild_task",
        "schedule": TzAwareCrontab(minute=15, hour=4, tz=ZoneInfo("Africa/Cairo")),
        "options": {"expires": 3600},
    },
}
