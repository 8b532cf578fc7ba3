import io

import pytest
from PIL import Image
from rest_framework.test import APIClient

from cases.tests.factories import CaseFactory

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


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A JPEG carrying EXIF with a GPS position, as a phone camera writes it."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (30.0, 2.0, 40.0), "E", (31.0, 14.0, 10.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
