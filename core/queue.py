"""Queue Celery tasks after the transaction that needs them commits.

A broker outage must delay work, never fail the request that caused it: the
rows the work is about are already committed and a periodic sweep queues them
again, so a failed publish is logged and dropped here.
"""

import logging

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
