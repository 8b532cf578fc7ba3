"""A tracking code is found however it is typed; email links follow the run's port;
allauth's mail greets from the site's name, in HTML like every other email."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from cases.models import Report
from cases.tests.factories import ReportFactory
from notifications.models import Notification
from notifications.services import notification_deliver

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def report():
    return ReportFactory(tracking_code="ABCD-EF23")


@pytest.mark.parametrize("typed", ["ABCD-EF23", "abcd-ef23", "ABCDEF23", " abcd ef٢٣ ", "ABCD–EF23"])
def test_a_code_typed_any_way_finds_the_report(client, report, typed):
    response = client.get("/ar/report/track/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == "/ar/report/ABCD-EF23/"


def test_a_code_in_the_address_without_its_dash_lands_on_the_right_page(client, report):
    response = client.get("/ar/report/abcdef23/")
    assert response.status_code == 302 and response["Location"] == "/ar/report/ABCD-EF23/"


def test_an_unknown_code_gets_a_friendly_page_with_the_form(client, report):
    response = client.get("/en/report/track/", {"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No report has the code ZZZZ-ZZZZ" in html and 'name="code"' in html and 'value="ZZZZ-ZZZZ"' in html
    assert client.get("/en/report/ZZZZZZZZ/").status_code == 404


def test_an_empty_code_says_so(client):
    response = client.get("/ar/report/track/", {"code": "  "})
    assert response.status_code == 400
    assert "أدخل رمز المتابعة" in response.content.decode()


def test_site_url_follows_port_when_not_set():
    env = {**os.environ, "PORT": "8123", "DJANGO_SETTINGS_MODULE": "volunteerbank.settings.base"}
    env.pop("SITE_URL", None)
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "http://127.0.0.1:8123"


def test_notification_links_use_site_url(settings):
    from notifications.messages import absolute_url

    settings.SITE_URL = "http://127.0.0.1:8123"
    assert absolute_url("/cases/4/", "ar") == "http://127.0.0.1:8123/ar/cases/4/"


def test_the_first_email_greets_from_the_site_in_html(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    client.post(
        "/ar/accounts/signup/",
        {"email": "layla@example.org", "password1": "a-long-pass-2027", "password2": "a-long-pass-2027"},
        HTTP_HOST="127.0.0.1:8123",
    )
    for row in Notification.objects.filter(status=Notification.Status.PENDING):
        notification_deliver(notification_id=row.pk)
    message = mail.outbox[0]
    assert message.subject.startswith("بنك المتطوعين: ")
    assert "[127.0.0.1" not in message.subject
    assert "بنك المتطوعين" in message.body.splitlines()[0]
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    assert 'dir="rtl"' in html and "http://127.0.0.1:8123/ar/accounts/confirm-email/" in html and "<a href=" in html
    assert not Report.objects.exists()


def test_visitors_find_the_organisation_sign_up_and_skip_volunteer_onboarding(client):
    home = client.get("/ar/").content.decode()
    assert "/ar/accounts/signup/?next=/ar/charities/register/" in home
    page = client.get("/ar/accounts/signup/?next=/ar/charities/register/").content.decode()
    assert "تسجيل جهة خيرية" in page and 'aria-current="page"' in page
    response = client.post(
        "/ar/accounts/signup/",
        {
            "email": "society@example.org",
            "password1": "a-long-pass-2027",
            "password2": "a-long-pass-2027",
            "next": "/ar/charities/register/",
        },
    )
    assert response["Location"] == "/ar/charities/register/"
