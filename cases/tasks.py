"""Thin Celery entry points for cases."""

from celery import shared_task

from cases.services.moderation import moderation_summary_send
from cases.services.series import series_extend_all


@shared_task
def moderation_summary_task() -> None:
    """Safe to run twice: the summary is keyed by the day."""
    moderation_summary_send()


@shared_task(name="cases.tasks.series_extend_task", acks_late=True)
def series_extend_task() -> int:
    """Safe to run twice: an occurrence is unique per series and local day."""
    return series_extend_all()
