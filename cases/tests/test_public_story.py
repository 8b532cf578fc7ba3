"""Approving a report publishes the moderator's words and picked photos; the
reporter's words stay private to moderators and the charity that claims the case."""

import pytest
from django.core.files.base import ContentFile

from cases.models import AuditEntry, Case, ReportPhoto
from cases.services import case_claim
from cases.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, request):
    def make(person):
        client.force_login(request.getfixturevalue(person))
        return client

    return make


WORDS = "Umm Ahmed, 0100 111 2222, flat 4 behind the bakery, has nothing to eat"
APPROVE = {"title": "A widow needs food", "story": "A widow in Shubra needs food baskets for the winter."}


def _url(report):
    return f"/api/v1/moderation/reports/{report.pk}/approve/"


@pytest.mark.parametrize("missing", ["title", "story"])
def test_approving_without_the_public_title_or_story_is_refused_naming_it(api_as, missing):
    report = ReportFactory(description=WORDS)
    body = {k: v for k, v in APPROVE.items() if k != missing}
    response = api_as("moderator_with_permission").post(_url(report), body, format="json")
    assert response.status_code == 400 and missing in response.json()
    blank = api_as("moderator_with_permission").post(_url(report), {**body, missing: "  "}, format="json")
    assert blank.status_code == 400 and missing in blank.json()
    assert not Case.objects.exists() and not AuditEntry.objects.filter(action="report_approved").exists()


def test_a_photo_of_another_report_is_refused(api_as):
    report, other = ReportFactory(), ReportFactory()
    ReportPhoto(report=other).image.save("x.jpg", ContentFile(b"jpeg"))
    body = {**APPROVE, "photo_ids": [ReportPhoto.objects.get().pk]}
    response = api_as("moderator_with_permission").post(_url(report), body, format="json")
    assert response.status_code == 400 and "photo_ids" in response.json()
    assert not Case.objects.exists()


def test_the_public_sees_the_moderators_story_and_no_photo_unless_picked(api_as, client):
    report = ReportFactory(description=WORDS)
    ReportPhoto(report=report).image.save("x.jpg", ContentFile(b"jpeg"))
    api_as("moderator_with_permission").post(_url(report), APPROVE, format="json")
    case = Case.objects.get()
    assert case.story == APPROVE["story"] and not case.cover_photo and not case.photos.exists()
    public = api_as("anonymous").get(f"/api/v1/cases/{case.pk}/").json()
    assert "Umm Ahmed" not in str(public)
    assert "Umm Ahmed" not in client.get(f"/en/cases/{case.pk}/").content.decode()
    assert "Umm Ahmed" not in str(api_as("anonymous").get("/api/v1/cases/", {"q": "Umm Ahmed"}).json())


def test_the_claiming_charity_reads_the_reporters_words(api_as, signed_in, verified_charity, charity_owner):
    report = ReportFactory(description=WORDS, region=verified_charity.regions.first())
    api_as("moderator_with_permission").post(_url(report), APPROVE, format="json")
    case = Case.objects.get()
    page = f"/en/cases/{case.pk}/"
    assert "Umm Ahmed" not in signed_in("charity_owner").get(page).content.decode()  # not before claiming
    case_claim(case=case, charity=verified_charity, user=charity_owner)
    assert "Umm Ahmed" in signed_in("charity_owner").get(page).content.decode()
    assert "Umm Ahmed" in signed_in("moderator_with_permission").get(page).content.decode()
    assert "Umm Ahmed" not in signed_in("other_charity_staff").get(page).content.decode()
