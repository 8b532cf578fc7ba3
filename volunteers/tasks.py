"""Thin Celery entry points for volunteers."""

from celery import shared_task

from volunteers.guardians import volunteer_adults_refresh


@shared_task
def volunteer_adults_refresh_task() -> int:
    """Daily: volunteers who turned 18 become matchable. Safe to run twice."""
    return volunteer_adults_refresh()
