"""Queue Celery tasks after the transaction that needs them commits.

A broker outage must delay work, never fail the request that caused it: the
rows the work is about are already committed and a periodic sweep queues them
again, so a failed publish is logged and dropped here.
"""

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _publish(task, args, kwargs) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("broker unreachable, %s left for the sweep: %s", task.name, exc)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: _publish(task, args, kwargs))


def task_named(name: str):
    """A task of another app, by its name, as a signature of the running Celery app.
    Apps never import the project's Celery module (`volunteerbank.celery`, an
    import-linter contract) nor, for cases and volunteers, matching itself."""
    return current_app.signature(name)


def enqueue_named_on_commit(name: str, *args, **kwargs) -> None:
    """`enqueue_on_commit` for a task known by name (e.g. "matching.tasks.match_need_task")."""
    enqueue_on_commit(task_named(name), *args, **kwargs)
