"""Celery entry points for matching, on the `matching` queue (CELERY_TASK_ROUTES).

Thin: ids in, one service call. Safe to run twice (matching is idempotent and a
need being matched is skipped by a second worker), so `acks_late` lets a killed
worker's message be delivered again and the rerun finishes the job.
Other apps queue these by name (`volunteerbank.celery.app.signature(...)`), so
they never import matching.
"""

from celery import shared_task

from matching import response_times, services, sweep


@shared_task(name="matching.tasks.match_need_task", acks_late=True)
def match_need_task(need_id: int) -> int:
    return len(services.match_propose_for_need(need_id=need_id))


@shared_task(name="matching.tasks.match_batch_task", acks_late=True)
def match_batch_task(need_ids: list[int]) -> int:
    return sweep.match_needs(need_ids=need_ids)


@shared_task(name="matching.tasks.match_volunteer_task", acks_late=True)
def match_volunteer_task(volunteer_id: int) -> int:
    return sweep.match_for_volunteer(volunteer_id=volunteer_id)


@shared_task(name="matching.tasks.matching_sweep_task", acks_late=True)
def matching_sweep_task() -> dict:
    result = sweep.matching_sweep()
    return {"expired": result["expired"], "regions": len(result["batches"])}


@shared_task(name="matching.tasks.charity_response_times_task", acks_late=True)
def charity_response_times_task() -> int:
    return response_times.charity_response_times_refresh()


@shared_task(name="matching.tasks.match_waiting_task", acks_late=True)
def match_waiting_task() -> int:
    return response_times.match_waiting_remind()
