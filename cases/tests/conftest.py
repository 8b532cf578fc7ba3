import pytest
from rest_framework.test import APIClient

from cases.tests.factories import CaseFactory
from charities.tests.factories import jpeg_with_gps  # noqa: F401 - re-exported for the cases tests

PEOPLE = ["anonymous", "plain_user", "charity_owner", "other_charity_staff", "moderator_with_permission"]


@pytest.fixture
def api_as(request, db):
    """`api_as("charity_owner")` is an API client signed in as that named person (or nobody)."""

    def make(person: str) -> APIClient:
        client = APIClient()
        if person != "anonymous":
            client.force_authenticate(request.getfixturevalue(person))
        return client

    return make


@pytest.fixture
def open_case(verified_charity):
    return CaseFactory(charity=verified_charity, private_details="أم أحمد، 01001234567، شارع النيل 5")


@pytest.fixture
def claimable_case(db):
    """An approved public report's case: open, in Cairo, no charity yet."""
    return CaseFactory(charity=None)
