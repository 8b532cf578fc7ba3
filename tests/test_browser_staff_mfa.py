"""A moderator's first sign-in, in Arabic on a phone: the admin sends them to the
allauth sign-in, then to set up an authenticator app, then to their recovery codes."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission

from tests.browser import screenshot
from tests.test_staff_mfa import totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


def test_a_moderator_signs_in_through_allauth_and_sets_up_totp(live_server, page, make_user, settings):
    settings.STAFF_MFA_REQUIRED = True
    moderator = make_user("mod@example.org", is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="moderate", content_type__app_label="cases"))

    page.goto(f"{live_server.url}/ar/admin/")
    page.wait_for_url("**/ar/accounts/login/?next=*")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.url.endswith("next=%2Far%2Fadmin%2F")
    screenshot(page, "staff_admin_sign_in_ar")
    page.fill("input[name=login]", "mod@example.org")
    page.fill("input[name=password]", "s3cret-pass!")
    page.locator("form button[type=submit]").last.click()

    # allauth asks for the password again before adding a factor, then shows the QR code.
    # Wait for the page after sign-in (the login page itself also matches "/accounts/").
    page.wait_for_url(re.compile(r".*/accounts/(reauthenticate|2fa/totp/activate)/.*"))
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", "s3cret-pass!")
        page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/ar/accounts/2fa/totp/activate/")
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1
    screenshot(page, "staff_mfa_setup_ar")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_code(secret))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/ar/accounts/2fa/recovery-codes/**")
    screenshot(page, "staff_mfa_recovery_codes_ar")
    assert Authenticator.objects.filter(user=moderator, type="totp").exists()

    page.goto(f"{live_server.url}/ar/admin/")
    assert page.url.endswith("/ar/admin/")
    page.goto(f"{live_server.url}/ar/moderation/")
    assert page.url.endswith("/ar/moderation/")
