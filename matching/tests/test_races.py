"""Concurrency on PostgreSQL: two matching runs at once, two accepts of the last
place at once, and a run that dies half-way. Real threads, real connections."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from cases.models import Need
from matching import candidates, locks, services
from matching.models import Match
from matching.services import NeedFull
from matching.tests.factories import SAT, make_need, make_volunteer, weekly

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _race(*calls, timeout=30):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


def _slowly(monkeypatch, module, name, seconds=0.5):
    """Keep the real function but hold its caller (and its locks) a moment, so runs overlap."""
    real = getattr(module, name)

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, slow)


@pytest.fixture
def crowd(db):
    return [make_volunteer(f"crowd{n}", slots=[weekly(SAT, "09:00", "13:00")]) for n in range(8)]


def test_two_workers_matching_one_need_at_once_make_no_duplicates(crowd, monkeypatch):
    need = make_need(volunteers_needed=2)
    _slowly(monkeypatch, candidates, "find")
    first, second = _race(
        lambda: services.match_propose_for_need(need_id=need.pk),
        lambda: services.match_propose_for_need(need_id=need.pk),
    )
    assert not isinstance(first, Exception) and not isinstance(second, Exception)
    assert sorted([len(first), len(second)]) == [0, 6]  # the second skipped the need being matched
    assert need.matches.count() == 6
    assert need.matches.values("volunteer").distinct().count() == 6


def test_the_database_refuses_a_second_match_for_the_same_volunteer(crowd):
    need = make_need()
    services.match_propose_for_need(need_id=need.pk)
    existing = need.matches.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(
            need=need,
            volunteer=existing.volunteer,
            charity=existing.charity,
            starts_at=need.starts_at,
            ends_at=need.ends_at,
            minutes=120,
            proposed_at=existing.proposed_at,
        )


def test_two_volunteers_accepting_the_last_place_end_with_one_confirmed(crowd, charity_owner, monkeypatch):
    from matching.tests.factories import make_charity

    need = make_need(charity=make_charity(charity_owner), volunteers_needed=1)
    services.match_propose_for_need(need_id=need.pk)
    a, b = need.matches.order_by("-score")[:2]
    services.match_review_many(matches=[a, b], user=charity_owner, approve=True)
    _slowly(monkeypatch, locks, "lock_for_answer")
    results = _race(
        lambda: services.match_accept(match=a, user=a.volunteer.user),
        lambda: services.match_accept(match=b, user=b.volunteer.user),
    )
    assert sorted(type(r).__name__ for r in results) == ["Match", "NeedFull"]
    loser = results[0] if isinstance(results[0], NeedFull) else results[1]
    assert str(loser.message).startswith("اكتمل العدد")
    assert Match.objects.filter(need=need, status=Match.Status.CONFIRMED).count() == 1
    assert Need.objects.get(pk=need.pk).volunteers_confirmed == 1


def test_a_run_that_dies_half_way_leaves_nothing_and_the_rerun_finishes(crowd, monkeypatch):
    need = make_need(volunteers_needed=1)

    def die(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(services, "_digest", die)  # after the proposals are written, before commit
        with pytest.raises(SystemExit):
            services.match_propose_for_need(need_id=need.pk)
    assert not need.matches.exists()
    assert Need.objects.get(pk=need.pk).matching_requested_at is not None
    assert len(services.match_propose_for_need(need_id=need.pk)) == 3
    assert services.match_propose_for_need(need_id=need.pk) == []
    assert need.matches.count() == 3
