"""Thin Celery entry points for cases."""

from celery import shared_task

from cases.services.moderation import moderation_summary_send


@shared_task
def moderation_summary_task() -> None:
    """Safe to run twice: the summary is keyed by the day."""
    moderation_summary_send()
