"""Every path that locks takes its locks in the one order of `matching.locks`, as
FOR NO KEY UPDATE, so none deadlocks against another: an offer to help against a
matching run (the reported 500), and every action on one need at once from many
threads and a real worker, with capacity never exceeded."""

import ast
import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Need
from cases.services import case_handover_request
from matching import candidates, services
from matching.models import Match
from matching.tests.factories import SAT, make_charity, make_need, make_volunteer, weekly
from tests.celery_worker import celery_worker, wait_until
from volunteerbank.celery import app

APPS = ("accounts", "attendance", "cases", "charities", "core", "matching", "notifications", "volunteers")


def _calls_to_select_for_update():
    for app_name in APPS:
        for path in (Path(settings.BASE_DIR) / app_name).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "select_for_update":
                    yield path, node


def test_every_row_lock_is_for_no_key_update():
    """Plain FOR UPDATE blocks the KEY SHARE lock that inserting a row pointing at
    the locked one takes (a match at its volunteer and need): the deadlock of an
    offer against a matching run. Every lock in the apps is FOR NO KEY UPDATE."""
    found = list(_calls_to_select_for_update())
    assert len(found) > 10
    plain = [
        f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
        for path, node in found
        if not any(k.arg == "no_key" and getattr(k.value, "value", None) is True for k in node.keywords)
    ]
    assert plain == []


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _thread(target, results, index):
    def run():
        try:
            results[index] = target()
        except Exception as exc:  # a 500 raised through the test client lands here
            results[index] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_an_offer_while_matching_runs_on_the_need_is_a_409_not_a_deadlock(monkeypatch):
    """The matching run holds the need and is about to propose the volunteer; the
    volunteer offers to help at that moment. Before: the offer held the volunteer
    FOR UPDATE and waited for the need, the run waited for the volunteer to insert
    the proposal: "deadlock detected", a 500. Now the run finishes and the offer is
    told, with a sentence, that they are already matched."""
    volunteer = make_volunteer("offering", slots=[weekly(SAT, "09:00", "13:00")])
    need = make_need(volunteers_needed=1)
    run_holds_need, offer_started = threading.Event(), threading.Event()
    real_best = candidates.best

    def best_then_wait(*args, **kwargs):
        ranked = real_best(*args, **kwargs)
        run_holds_need.set()
        offer_started.wait(10)
        time.sleep(0.5)  # the offer takes the volunteer's lock and queues for the need
        return ranked

    monkeypatch.setattr(candidates, "best", best_then_wait)
    results = [None, None]
    run = _thread(lambda: services.match_propose_for_need(need_id=need.pk), results, 0)
    assert run_holds_need.wait(20)

    def offer():
        offer_started.set()
        return _client(volunteer.user).post(f"/api/v1/needs/{need.pk}/offer/", HTTP_ACCEPT_LANGUAGE="en")

    offering = _thread(offer, results, 1)
    run.join(30)
    offering.join(30)
    proposals, response = results
    assert not isinstance(proposals, Exception), proposals
    assert [m.volunteer_id for m in proposals] == [volunteer.pk]
    assert not isinstance(response, Exception), response
    assert response.status_code == 409, response.content
    assert response.json()["detail"] == "You have already been matched with this need."


# --- Everything at once, with a real worker ---------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_every_action_on_one_need_at_once_never_deadlocks_or_overfills(charity_owner, make_user, tmp_path):
    people = [make_volunteer(f"busy{n}", slots=[weekly(SAT, "08:00", "16:00")]) for n in range(10)]
    charity = make_charity(charity_owner)
    need = make_need(charity=charity, volunteers_needed=2, matching_requested_at=None)
    newcomer = make_user("owner@taker.example.org")
    handover = case_handover_request(case=need.case, charity=make_charity(newcomer), user=newcomer)
    # No first round: the worker's runs and the volunteers' offers start together, as after a need is created.
    log = tmp_path / "worker.log"
    statuses: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    done, matched = threading.Event(), threading.Event()  # the window closes 10 s after the first proposals

    def record(response):
        with lock:
            statuses.append(response.status_code)

    def act(body):
        def loop():
            try:
                while not done.is_set():
                    body()
            except BaseException as exc:
                with lock:
                    errors.append(exc)
            finally:
                connection.close()

        return loop

    def staff(user):
        client = _client(user)

        def body():
            for match in Match.objects.filter(need=need, status=Match.Status.PROPOSED).values_list("pk", flat=True):
                record(client.post(f"/api/v1/matches/{match}/approve/"))
            for match in Match.objects.filter(need=need, status=Match.Status.CONFIRMED).values_list("pk", flat=True)[
                :1
            ]:
                record(client.post(f"/api/v1/matches/{match}/cancel/", {"reason": "x"}, format="json"))
                time.sleep(0.3)

        return body

    def volunteer(profile, index):
        client = _client(profile.user)

        def body():
            record(client.post(f"/api/v1/needs/{need.pk}/offer/"))
            match = Match.objects.filter(need=need, volunteer=profile).first()
            if match is not None and match.status == Match.Status.INVITED:
                action = "decline" if index % 4 == 3 else "accept"
                record(client.post(f"/api/v1/matches/{match.pk}/{action}/"))
            elif match is not None and match.status == Match.Status.CONFIRMED and index % 3 == 0:
                record(client.post(f"/api/v1/matches/{match.pk}/cancel/", {"reason": "y"}, format="json"))
            time.sleep(0.05)

        return body

    def reschedule():
        client, hour = _client(charity_owner), [10]

        def body():
            current = Need.objects.select_related("case").get(pk=need.pk)
            user = newcomer if current.case.charity_id != charity.pk else charity_owner
            client.force_authenticate(user)
            hour[0] = 11 if hour[0] == 10 else 10
            starts = dt.datetime(2027, 1, 9, hour[0], tzinfo=dt.timezone(dt.timedelta(hours=2)))
            body = {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=2)).isoformat()}
            record(client.patch(f"/api/v1/needs/{need.pk}/", body, format="json"))
            time.sleep(0.2)

        return body

    def matching():
        app.send_task("matching.tasks.match_need_task", args=[need.pk])
        time.sleep(0.1)

    def hand_over():
        if matched.wait(60) and not done.wait(3):
            record(_client(charity_owner).post(f"/api/v1/handovers/{handover.pk}/accept/"))
        done.wait(60)

    bodies = [staff(charity_owner), staff(newcomer), reschedule(), matching, hand_over]
    bodies += [volunteer(profile, i) for i, profile in enumerate(people)]
    with celery_worker(log_path=log):
        threads = [threading.Thread(target=act(body)) for body in bodies]
        for thread in threads:
            thread.start()
        # The worker may take a while to start on a busy machine; the offers race its first run.
        wait_until(lambda: Match.objects.filter(need=need).exists(), timeout=90)
        matched.set()
        time.sleep(10)
        done.set()
        for thread in threads:
            thread.join(60)
        wait_until(lambda: Need.objects.get(pk=need.pk).matching_requested_at is None, timeout=20)
    worker_log = log.read_text()
    assert errors == [], errors
    assert statuses and 500 not in statuses
    assert set(statuses) <= {200, 201, 400, 403, 404, 409}, sorted(set(statuses))
    assert "deadlock" not in worker_log.lower(), worker_log[-3000:]
    assert "Traceback" not in worker_log, worker_log[-3000:]
    confirmed = Match.objects.filter(need=need, status=Match.Status.CONFIRMED).count()
    assert confirmed <= 2
    assert Need.objects.get(pk=need.pk).volunteers_confirmed == confirmed
    assert statuses.count(200) >= 3  # things really happened
    assert Match.objects.filter(need=need, answered_at__isnull=False).exists()  # someone answered
