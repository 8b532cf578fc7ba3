"""Celery entry points for attendance: thin, safe to run twice (the reminder row
is the claim, so a rerun sends nothing new)."""

from celery import shared_task

from attendance import services


@shared_task(name="attendance.tasks.attendance_reminders_task", acks_late=True)
def attendance_reminders_task() -> int:
    return services.attendance_remind_due()
