"""The periodic tasks of `volunteerbank.schedule`, run in a thread of `make run`.

The embedded default has no broker and no `celery beat`: tasks run eagerly in the
web process. Without this, nothing periodic would happen there — digests never
released, reminders never sent, invitations never expired. With a broker
(`REDIS_URL`) the real beat does it and this stays off.
"""

import logging
import threading

from celery.schedules import maybe_schedule
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)
TICK_SECONDS = 5.0


class EmbeddedBeat(threading.Thread):
    def __init__(self, schedule: dict, app, *, tick: float = TICK_SECONDS):
        super().__init__(name="embedded-beat", daemon=True)
        app.loader.import_default_modules()  # registers the apps' tasks (autodiscovery is lazy)
        self.app = app
        self.tick = tick
        self.entries = {name: maybe_schedule(entry["schedule"], app=app) for name, entry in schedule.items()}
        self.tasks = {name: entry["task"] for name, entry in schedule.items()}
        self.last_run = dict.fromkeys(schedule, timezone.now())
        self.stopping = threading.Event()

    def run_due(self) -> list[str]:
        """Run every entry that is due now; return the names run."""
        ran = []
        for name, schedule in self.entries.items():
            due, _next = schedule.is_due(self.last_run[name])
            if not due:
                continue
            self.last_run[name] = timezone.now()
            try:
                self.app.tasks[self.tasks[name]].apply()
            except Exception:
                logger.exception("periodic task %s failed", name)
            ran.append(name)
        return ran

    def run(self) -> None:
        while not self.stopping.wait(self.tick):
            self.run_due()
            close_old_connections()  # this thread's own, as after a request

    def stop(self) -> None:
        self.stopping.set()
