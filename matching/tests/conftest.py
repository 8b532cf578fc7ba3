import datetime as dt

import pytest
from rest_framework.test import APIClient

from matching.tests.factories import SAT, make_charity, make_need, make_volunteer, weekly


@pytest.fixture(autouse=True)
def _before_the_dates(monkeypatch):
    """Dated slots may not be in the past: the volunteers' services see 2027-01-01."""
    now = dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr("volunteers.services.timezone.now", lambda: now)


@pytest.fixture
def charity(charity_owner):
    return make_charity(charity_owner)


@pytest.fixture
def need(charity):
    """Saturday 2027-01-09 10:00-12:00 in Cairo, one place."""
    return make_need(charity=charity, volunteers_needed=1, skills=["first_aid"])


@pytest.fixture
def saturday_people(db):
    """Five volunteers free on Saturday mornings in Cairo, the first with first aid."""
    return [
        make_volunteer(
            f"sat{n}", slots=[weekly(SAT, "09:00", "13:00")], **({"skills": ["first_aid"]} if n == 0 else {})
        )
        for n in range(5)
    ]


@pytest.fixture
def api():
    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
