import datetime as dt

import pytest
from rest_framework.test import APIClient

from attendance.tests.factories import confirmed_match
from matching.tests.factories import make_charity, make_need, make_volunteer

# The default need of matching's factories: Saturday 2027-01-09 10:00-12:00 in Cairo (08:00-10:00 UTC).
DURING = dt.datetime(2027, 1, 9, 9, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2027, 1, 9, 12, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2027, 1, 9, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def charity(charity_owner):
    return make_charity(charity_owner)


@pytest.fixture
def coordinator(make_user, charity):
    from charities.models import Membership

    user = make_user("coordinator@charity.example.org")
    Membership.objects.create(charity=charity, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def need(charity):
    return make_need(charity=charity, volunteers_needed=3)


@pytest.fixture
def person(db):
    return make_volunteer("mona", slots=[])


@pytest.fixture
def match(need, person):
    return confirmed_match(need, person)


@pytest.fixture
def api():
    def make(user=None, language="ar") -> APIClient:
        client = APIClient(headers={"Accept-Language": language})
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _english():
    """Service tests read the English messages; the Arabic ones are tested by name, and over HTTP."""
    from django.utils import translation

    with translation.override("en"):
        yield
