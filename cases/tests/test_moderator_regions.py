"""A moderator works in their regions only: the queue, a report, the audit log,
charity verification (every region of the charity) and a duplicate's target.
"Everywhere" is an explicit flag; no regions and no flag means nothing."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from cases import selectors
from cases.models import AuditEntry, ModeratorRegion, Report
from cases.services import charity_verify, report_reject
from cases.tests.factories import CaseFactory, ReportFactory
from charities.models import Charity
from charities.tests.factories import CharityFactory
from core.errors import NotAllowed
from core.models import Region

pytestmark = pytest.mark.django_db


def _region(code):
    return Region.objects.get(code=code)


@pytest.fixture
def make_moderator(make_user):
    def make(email, *codes, everywhere=False):
        user = make_user(email, is_staff=True, moderates_everywhere=everywhere)
        user.user_permissions.add(Permission.objects.get(codename="moderate", content_type__app_label="cases"))
        for code in codes:
            ModeratorRegion.objects.create(user=user, region=_region(code))
        return user

    return make


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_a_moderator_without_regions_or_the_flag_sees_nothing(make_moderator, api_for):
    report = ReportFactory()
    CharityFactory(status=Charity.Status.PENDING)
    nobody = api_for(make_moderator("none@example.org"))
    assert nobody.get("/api/v1/moderation/reports/").json()["count"] == 0
    assert nobody.get(f"/api/v1/moderation/reports/{report.pk}/").status_code == 404
    assert nobody.get("/api/v1/moderation/charities/").json()["count"] == 0
    everywhere = api_for(make_moderator("all@example.org", everywhere=True))
    assert everywhere.get("/api/v1/moderation/reports/").json()["count"] == 1


def test_removing_the_last_region_does_not_make_a_moderator_global(make_moderator, api_for):
    ReportFactory(region=_region("EG-C"))
    moderator = make_moderator("riyadh@example.org", "SA-01")
    ModeratorRegion.objects.filter(user=moderator).delete()
    assert api_for(moderator).get("/api/v1/moderation/reports/").json()["count"] == 0


def test_the_audit_log_shows_only_the_moderators_regions(make_moderator, client):
    cairo_mod = make_moderator("cairo@example.org", "EG-C")
    riyadh_mod = make_moderator("riyadh@example.org", "SA-01")
    report_reject(report=ReportFactory(region=_region("EG-C")), moderator=cairo_mod, reason="غير واضح")
    report_reject(report=ReportFactory(region=_region("SA-01")), moderator=riyadh_mod, reason="مكرر")
    assert [e.note for e in selectors.audit_list(riyadh_mod)] == ["مكرر"]
    client.force_login(riyadh_mod)
    page = client.get("/ar/moderation/audit/").content.decode()
    assert "مكرر" in page and "غير واضح" not in page
    assert AuditEntry.objects.count() == 2


def test_verifying_a_charity_needs_every_one_of_its_regions(make_moderator, api_for):
    charity = CharityFactory(status=Charity.Status.PENDING, regions=[_region("EG-C"), _region("SA-01")])
    riyadh_mod = make_moderator("riyadh@example.org", "SA-01")
    assert api_for(riyadh_mod).post(f"/api/v1/moderation/charities/{charity.pk}/verify/").status_code == 404
    with pytest.raises(NotAllowed):
        charity_verify(charity=charity, moderator=riyadh_mod)
    charity.refresh_from_db()
    assert charity.status == Charity.Status.PENDING
    both = make_moderator("both@example.org", "SA-01", "EG-C")
    assert api_for(both).post(f"/api/v1/moderation/charities/{charity.pk}/verify/").status_code == 200


def test_a_duplicate_must_point_to_a_case_in_the_moderators_regions(make_moderator, api_for):
    report = ReportFactory(region=_region("SA-01"))
    elsewhere = CaseFactory(region=_region("EG-C"))
    riyadh_mod = make_moderator("riyadh@example.org", "SA-01")
    url = f"/api/v1/moderation/reports/{report.pk}/duplicate/"
    response = api_for(riyadh_mod).post(url, {"case": elsewhere.pk}, format="json")
    assert response.status_code == 400 and "case" in response.json()
    report.refresh_from_db()
    assert report.status == Report.Status.PENDING_REVIEW
    nearby = CaseFactory(region=_region("SA-01"))
    assert api_for(riyadh_mod).post(url, {"case": nearby.pk}, format="json").status_code == 200


def test_the_migration_keeps_todays_global_moderators_global(make_moderator, make_user):
    migration = importlib.import_module("cases.migrations.0004_moderators_everywhere_explicit")
    was_global = make_moderator("global@example.org")
    regional = make_moderator("regional@example.org", "EG-C")
    volunteer = make_user("volunteer.x@example.org")
    migration.flag_todays_global_moderators(apps, None)
    for user in (was_global, regional, volunteer):
        user.refresh_from_db()
    assert was_global.moderates_everywhere
    assert not regional.moderates_everywhere and not volunteer.moderates_everywhere
