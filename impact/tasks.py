"""Celery entry points for the rollups: thin, safe to run twice (a refresh claims its
dirty rows; a rebuild recomputes every row from its sources)."""

from celery import shared_task

from impact import services


@shared_task(name="impact.tasks.impact_refresh_task", acks_late=True)
def impact_refresh_task() -> int:
    return services.impact_refresh_dirty()


@shared_task(name="impact.tasks.impact_rebuild_task", acks_late=True)
def impact_rebuild_task() -> None:
    services.impact_rebuild()
