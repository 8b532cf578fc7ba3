import threading

import pytest
from django.db import connections

from notifications import services
from notifications.models import Channel, Kind, Notification
from notifications.tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_row_send_it_once():
    services.notify(kind=Kind.MATCH_CANCELLED, event_key="race", context={}, recipients=[UserFactory()])
    row = Notification.objects.get(channel=Channel.EMAIL)
    start, results = threading.Barrier(4), []

    def worker():
        start.wait()
        try:
            results.append(services.notification_claim(notification_id=row.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r is not None for r in results) == 1
