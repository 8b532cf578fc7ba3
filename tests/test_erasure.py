"""Erasure (Saudi PDPL, Egypt Law 151/2020): after `DELETE /api/v1/me/` no
column of any table holds the person's email, phone or name.

One person touches every place a copy used to survive: an account email, a
report they filed (with a photo on disk) and one they left their email on,
an offer that was confirmed (the staff's notification, the webhook payload,
the match's reasons), a digest naming them, a staff invitation they received
and one they sent, an opt-out. Then every column of every model is scanned.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils.html import escape
from rest_framework.test import APIClient

from cases.models import Report, ReportPhoto
from cases.services import report_approve, report_reject, report_submit
from charities.models import Membership
from charities.services import staff_invite
from charities.tests.factories import jpeg_with_gps
from core.models import Region
from matching import services as matching
from matching.models import Match
from matching.tests.factories import SAT, make_charity, make_need
from notifications.models import Kind, WebhookEndpoint
from notifications.services import key_digest, notify_digest, unsubscribe
from volunteers.services import availability_slot_add, profile_update

EMAIL = "zainab.qutbiyya@example.org"
PHONE = "+201001234567"
NATIONAL = "1001234567"  # in every written form: +20 100…, 0100…, 20100…
NAME = "Zainab Qutbiyya"


def _hits(needles: list[str]) -> list[str]:
    """Every (table.column) whose text holds one of the needles, over every concrete
    column of every model (many-to-many tables included)."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                column = connection.ops.quote_name(field.column)
                for needle in needles:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608 (names from models)
                        f"WHERE LOWER(CAST({column} AS TEXT)) LIKE %s",
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{field.column} holds {needle!r}")
    return found


@pytest.fixture
def person(db, django_user_model):
    user = django_user_model.objects.create_user(
        username=EMAIL, email=EMAIL, password="s3cret-pass!", first_name="Zainab", last_name="Qutbiyya"
    )
    profile = profile_update(
        user=user,
        changes={"region": "EG-C", "display_name": NAME, "activity_types": ["food_baskets"], "phone": "01001234567"},
    )
    availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="13:00")
    return user


@pytest.mark.postgres
def test_after_deletion_no_column_holds_the_persons_email_phone_or_name(
    person, charity_owner, moderator_with_permission, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    cairo = Region.objects.get(code="EG-C")

    # An account email (a password reset) to them.
    assert client.post("/en/accounts/password/reset/", {"email": EMAIL}).status_code == 302

    # A report they filed, signed in, with their phone and a photo; approved into a case.
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    filed = report_submit(
        description=f"A family near the mosque needs food; {NAME} knows them.",
        region=cairo,
        consent=True,
        contact=PHONE,
        photos=[photo],
        reporter=person,
    )
    photo_file = Path(ReportPhoto.objects.get(report=filed).image.path)
    assert photo_file.exists()
    report_approve(
        report=filed,
        moderator=moderator_with_permission,
        title="Food for a family",
        story="A family of five needs food baskets this winter.",
        photo_ids=[],
    )
    # A report filed without an account but with their email, rejected.
    anonymous_report = report_submit(description="Blankets needed.", region=cairo, consent=True, contact=EMAIL)
    report_reject(report=anonymous_report, moderator=moderator_with_permission, reason="Not enough detail.")

    # An offer confirmed: the staff are told their name, and so is the charity's webhook.
    charity = make_charity(charity_owner)
    WebhookEndpoint.objects.create(charity=charity, url="https://hooks.example.org/vb")
    need = make_need(charity=charity, starts=dt.datetime(2027, 1, 9, 8, tzinfo=dt.UTC))
    match = matching.match_offer(need=need, user=person)
    matching.match_approve(match=match, user=charity_owner)
    matching.match_accept(match=match, user=person)
    notify_digest(
        kind=Kind.MATCHES_DIGEST, key=f"need:{need.pk}", context={"volunteer_name": NAME}, charity_id=charity.pk
    )

    # Invitations: one to them, one from them; and an opt-out of their address.
    staff_invite(charity=charity, invited_by=charity_owner, email=EMAIL)
    own = make_charity()
    Membership.objects.create(charity=own, user=person, role=Membership.Role.OWNER)
    staff_invite(charity=own, invited_by=person, email="friend@example.org")
    unsubscribe(address=EMAIL, kind=Kind.REPORT_STATUS)

    needles = [EMAIL, NATIONAL, NAME]
    assert len(_hits(needles)) >= 10, "the scenario touches the places a copy survived"

    api = APIClient()
    api.force_authenticate(person)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete("/api/v1/me/", {"password": "s3cret-pass!"}, format="json").status_code == 204

    assert _hits([*needles, key_digest(EMAIL)]) == []  # nor the digest keying mail to the bare address
    assert not photo_file.exists()
    assert not Report.objects.filter(pk=anonymous_report.pk).exists()
    assert Report.objects.get(pk=filed.pk).case is not None  # the case stays, without their words
    assert Match.objects.get(pk=match.pk).reasons == []


def test_the_export_holds_every_advertised_section(person, client):
    from volunteers.privacy import SECTIONS

    api = APIClient()
    api.force_authenticate(person)
    data = api.get("/api/v1/me/export/").json()
    assert set(data) - {"exported_at"} == set(SECTIONS)
    client.force_login(person)
    page = client.get("/en/volunteer/privacy/").content.decode()
    for label in SECTIONS.values():
        assert escape(str(label)) in page
