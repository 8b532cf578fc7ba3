"""Thin Celery entry points for cases."""

from celery import shared_task

from cases import common_words
from cases.privacy import report_purge
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


@shared_task
def report_purge_task() -> int:
    """Daily: rejected reports past REPORT_RETENTION_DAYS go, photos included. Safe to run twice."""
    return report_purge()


@shared_task
def common_words_refresh_task() -> dict:
    """Hourly: the newest cases of each common word for search. Safe to run twice."""
    return common_words.refresh()
