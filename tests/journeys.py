"""Every HTML page of every journey, for the browser checks (axe-core, tap targets), and
the inventory that keeps the list whole: each URL pattern of the project is either a
page here or excluded below with the reason (tests/test_page_inventory.py)."""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone, translation


@dataclass(frozen=True)
class Page:
    who: str | None  # an attribute of the world (None: a visitor)
    name: str
    path: str
    act: Callable | None = None  # what the person does on the page before it is checked
    status: int = 200  # what the page answers (a "not found" page is a page too)


def view_name(path: str, lang: str | None) -> str:
    """The URL name a path resolves to, in the language its prefix says (None: no prefix)."""
    with translation.override(lang):
        match = resolve(urlsplit(path).path)
    return match.view_name or match.route


def _fill_series(page) -> None:
    """The repeating need: iftar every day, at sunset, with its preview of the first days."""
    page.select_option("#id_repeat", "daily")
    page.fill("#id_repeat_count", "30")
    page.select_option("#id_anchor", "sunset")
    page.fill("#id_anchor_offset_minutes", "-15")
    page.fill("#id_duration_minutes", "120")
    page.fill("#id_starts_at", (timezone.localdate() + dt.timedelta(days=7)).isoformat() + "T17:00")
    page.locator("#id_volunteers_needed").dispatch_event("change")
    page.locator("[data-testid=preview-days] li").first.wait_for()


def _submit_empty_report(page) -> None:
    page.locator("form[enctype] button[type=submit]").click()
    page.locator(".vb-error-summary").wait_for()


def journeys(world, lang: str) -> list[Page]:
    w, code, extra = world, world.report.tracking_code, world.pages
    return [
        Page(None, "home", f"/{lang}/"),
        Page(None, "case_list", f"/{lang}/cases/"),
        Page(None, "case_detail", f"/{lang}/cases/{w.case.pk}/"),
        Page(None, "report_form", f"/{lang}/report/"),
        Page(None, "report_errors", f"/{lang}/report/", _submit_empty_report),
        Page(None, "report_status", f"/{lang}/report/{code}/"),
        Page(None, "report_not_found", f"/{lang}/report/track/?code=ZZZZ-ZZZZ", status=404),
        Page(None, "charity_public", f"/{lang}/charities/{w.charity.pk}/"),
        Page(None, "verify_form", f"/{lang}/verify/"),
        Page(None, "verify", f"/{lang}/verify/{w.certificate.code}/"),
        Page(None, "verify_not_found", f"/{lang}/verify/ZZZZ-ZZZZ-ZZZZ/", status=404),
        Page(None, "guardian_consent", f"/{lang}/volunteer/guardian/{extra.guardian_token}/"),
        Page(None, "unsubscribe", f"/{lang}/notifications/unsubscribe/{extra.unsubscribe_token}/"),
        Page(None, "offline", f"/{lang}/offline/"),
        Page(None, "signup", f"/{lang}/accounts/signup/"),
        Page(None, "login", f"/{lang}/accounts/login/"),
        Page(None, "password_reset", f"/{lang}/accounts/password/reset/"),
        Page(None, "password_reset_done", f"/{lang}/accounts/password/reset/done/"),
        Page(None, "password_reset_key", f"/{lang}/accounts/password/reset/key/{extra.reset_key}/"),
        Page(None, "password_reset_key_done", f"/{lang}/accounts/password/reset/key/done/"),
        Page(None, "email_sent", f"/{lang}/accounts/confirm-email/"),
        Page(None, "email_confirm", f"/{lang}/accounts/confirm-email/{extra.email_key}/"),
        Page(None, "inactive", f"/{lang}/accounts/inactive/"),
        Page(None, "api_docs", "/api/docs/"),
        Page(None, "api_redoc", "/api/redoc/"),
        Page("plain", "onboarding", f"/{lang}/volunteer/onboarding/"),
        Page("plain", "charity_register", f"/{lang}/charities/register/"),
        Page("plain", "dashboard_empty", f"/{lang}/dashboard/"),
        Page("plain", "staff_invitation", f"/{lang}/charities/invitations/{extra.invitation_token}/"),
        Page("plain", "choose_charity", f"/{lang}/attendance/charities/"),
        Page("volunteer", "volunteer_dashboard", f"/{lang}/volunteer/"),
        Page("volunteer", "slot_edit", f"/{lang}/volunteer/slots/{w.slot.pk}/edit/"),
        Page("volunteer", "my_matches", f"/{lang}/matching/me/"),
        Page("volunteer", "check_in", f"/{lang}/attendance/needs/{w.live_need.pk}/check-in/"),
        Page("volunteer", "my_hours", f"/{lang}/attendance/hours/"),
        Page("volunteer", "verify_holder", f"/{lang}/verify/{w.certificate.code}/"),
        Page("volunteer", "notifications", f"/{lang}/notifications/"),
        Page("volunteer", "notification_detail", f"/{lang}/notifications/{extra.notification.pk}/"),
        Page("volunteer", "notification_settings", f"/{lang}/notifications/settings/"),
        Page("volunteer", "privacy", f"/{lang}/volunteer/privacy/"),
        Page("volunteer", "account_email", f"/{lang}/accounts/email/"),
        Page("volunteer", "password_change", f"/{lang}/accounts/password/change/"),
        Page("volunteer", "reauthenticate", f"/{lang}/accounts/reauthenticate/"),
        Page("volunteer", "logout", f"/{lang}/accounts/logout/"),
        Page("minor", "minor_dashboard", f"/{lang}/volunteer/"),
        Page("owner", "charity_dashboard", f"/{lang}/dashboard/"),
        Page("owner", "case_create", f"/{lang}/cases/new/"),
        Page("owner", "case_edit", f"/{lang}/cases/{w.case.pk}/edit/"),
        Page("owner", "need_create", f"/{lang}/cases/{w.case.pk}/needs/new/"),
        Page("owner", "need_series", f"/{lang}/cases/{w.case.pk}/needs/new/", _fill_series),
        Page("owner", "need_edit", f"/{lang}/needs/{w.open_need.pk}/edit/"),
        Page("owner", "charity_review", f"/{lang}/matching/charities/{w.charity.pk}/"),
        Page("owner", "need_review", f"/{lang}/matching/needs/{w.need.pk}/review/"),
        Page("owner", "need_attendance", f"/{lang}/attendance/needs/{w.live_need.pk}/"),
        Page("owner", "charity_hours", f"/{lang}/attendance/charities/{w.charity.pk}/hours/"),
        Page("owner", "verify_issuer", f"/{lang}/verify/{w.certificate.code}/"),
        Page("owner", "charity_detail", f"/{lang}/charities/{w.charity.pk}/"),
        Page("owner", "charity_impact", f"/{lang}/charities/{w.charity.pk}/impact/"),
        Page(None, "impact_share", f"/{lang}/impact/c/{w.charity.pk}/"),
        Page(None, "impact_platform", f"/{lang}/impact/"),
        Page("owner", "staff_invite", f"/{lang}/charities/{w.charity.pk}/staff/"),
        Page("owner", "webhooks", f"/{lang}/charities/{w.charity.pk}/webhooks/"),
        Page("owner", "mfa_index", f"/{lang}/accounts/2fa/"),
        Page("owner", "mfa_activate", f"/{lang}/accounts/2fa/totp/activate/"),
        Page("moderator", "moderation_queue", f"/{lang}/moderation/"),
        Page("moderator", "moderation_report", f"/{lang}/moderation/reports/{w.report.pk}/"),
        Page("moderator", "moderation_charity", f"/{lang}/moderation/charities/{w.pending_charity.pk}/"),
        Page("moderator", "audit_log", f"/{lang}/moderation/audit/"),
        Page("moderator", "moderation_impact", f"/{lang}/moderation/impact/"),
        Page("moderator", "mfa_index_active", f"/{lang}/accounts/2fa/"),
        Page("moderator", "mfa_deactivate", f"/{lang}/accounts/2fa/totp/deactivate/"),
        Page("moderator", "recovery_codes", f"/{lang}/accounts/2fa/recovery-codes/"),
        Page("moderator", "recovery_codes_generate", f"/{lang}/accounts/2fa/recovery-codes/generate/"),
        Page("moderator", "mfa_reauthenticate", f"/{lang}/accounts/2fa/reauthenticate/"),
    ]


# URL names that are no page to check, each with the reason. A new URL pattern must be
# added to journeys() or here, or tests/test_page_inventory.py fails.
EXCLUDED = {
    # not HTML
    "health": "JSON for monitors",
    "service-worker": "JavaScript",
    "manifest": "the web app manifest (JSON)",
    "calendar-feed": "an iCalendar download",
    "matching:match_calendar": "an iCalendar download",
    "certificate-pdf": "a PDF download (tests/test_browser_attendance.py looks at it)",
    "attendance:hours_export": "a CSV or XLSX download",
    "impact:charity-csv": "a CSV download",
    "impact:charity-pdf": "a PDF download (impact/tests/test_http.py reads it)",
    "volunteers:privacy-export": "a JSON download",
    "schema": "the OpenAPI document (YAML or JSON)",
    "redoc-bundle": "JavaScript",
    "mfa_download_recovery_codes": "a text download",
    "provider-webhooks:whatsapp": "a provider's webhook",
    "provider-webhooks:sms": "a provider's webhook",
    # fragments swapped into a page that is checked
    "notifications:bell": "the bell, inside every signed-in page",
    "volunteers:slot-panel": "the free-time panel, inside the volunteer dashboard",
    "cases:need-preview": "the series preview, inside need_series",
    # actions: POST, then a redirect to a page that is checked
    "set_language": "POST, then back to the page",
    "cases:follow": "POST, then the case page",
    "cases:status": "POST, then the case page",
    "cases:update-create": "POST, then the case page",
    "cases:need-cancel": "POST, then the case page",
    "cases:claim": "POST, then the case page",
    "cases:handover-request": "POST, then the case page",
    "cases:handover-decide": "POST, then the charity dashboard",
    "cases:moderation-report-decide": "POST, then the moderation queue",
    "cases:moderation-charity-decide": "POST, then the moderation queue",
    "charities:staff-remove": "POST, then the charity dashboard",
    "charities:webhook-action": "POST, then the webhooks page",
    "notifications:read": "POST, then the list (or the item for htmx)",
    "notifications:read-all": "POST, then the list",
    "notifications:phone-code-send": "POST, then the settings page (phone verification state is checked there)",
    "notifications:phone-code-confirm": "POST, then the settings page",
    "matching:offer": "POST, then the case page",
    "matching:answer": "POST, then the volunteer's matches",
    "matching:calendar_manage": "POST, then the volunteer dashboard",
    "volunteers:profile": "GET redirects to the dashboard, whose profile form is checked; POST re-renders it",
    "volunteers:slot-create": "POST, then the dashboard",
    "volunteers:slot-delete": "POST, then the dashboard",
    "volunteers:guardian-request": "POST, then the dashboard (minor_dashboard)",
    "volunteers:privacy-delete": "POST, then home",
    "attendance:mark": "POST, then need_attendance",
    "attendance:mark_all": "POST, then need_attendance",
    "attendance:hours_request": "POST, then my_hours",
    "attendance:certificate_issue": "POST, then verify",
    "attendance:hours_request_decide": "POST, then charity_hours",
    "verify-revoke": "POST, then verify",
    "admin-login": "redirects to the sign-in page",
    "account_set_password": "redirects to password_change: every account here has a password",
    "account_confirm_login_code": "sign-in by emailed code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED)",
    "mfa_authenticate": "only mid-sign-in of a staff member with an authenticator "
    "(tests/test_browser_staff_mfa.py); same form as mfa_reauthenticate",
}

# Whole families, by the start of the route: none is a page of ours to check.
EXCLUDED_ROUTES = {
    "api/v1/": "the JSON API: the contract and fuzz tests check it against its schema",
    "_allauth/": "allauth headless: JSON for the phone apps",
    "^media/": "uploaded files, served by Django only in development",
    "admin/": "Django's admin: its own markup, for superusers (moderators work in /moderation/)",
}


def url_patterns(patterns=None, prefix: str = "", namespace: str | None = None):
    """(route, name) of every URL pattern of the project, names with their namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield route, name or str(pattern.pattern)


def pages_world(world) -> SimpleNamespace:
    """What the pages beyond the shared world need: a minor waiting for a guardian, a
    staff invitation, a notification, signed links, a phone code on its way and an
    authenticator for the moderator. The minor joins the world as `world.minor`."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from charities.services import staff_invite
    from notifications import phones
    from notifications.messages import unsubscribe_token
    from notifications.models import Channel, Kind, Notification
    from notifications.services import notify
    from notifications.tests.samples import SAMPLES
    from volunteers import guardians
    from volunteers.services import profile_update
    from volunteers.tests.factories import UserFactory

    notify(kind=Kind.MATCH_INVITED, event_key="a11y", context=SAMPLES[Kind.MATCH_INVITED], recipients=[world.volunteer])
    profile_update(user=world.volunteer, changes={"whatsapp_number": "0100 123 4567"})
    fresh = type(world.volunteer).objects.get(pk=world.volunteer.pk)  # the profile as just saved
    phones.phone_verification_start(user=fresh, channel="whatsapp")

    minor = UserFactory(email="teen@example.org")
    today = timezone.localdate()
    born = today.replace(year=today.year - 15) - dt.timedelta(days=3)
    profile_update(user=minor, changes={"region": "EG-C", "display_name": "يوسف", "birth_date": born})
    consent = guardians.guardian_request(user=minor, email="parent@example.org")

    invitation = staff_invite(charity=world.charity, invited_by=world.owner, email=world.plain.email)
    address = EmailAddress.objects.create(user=world.plain, email="second@example.org", verified=False)
    TOTP.activate(world.moderator, generate_totp_secret())
    RecoveryCodes.activate(world.moderator)
    world.minor = minor
    return SimpleNamespace(
        notification=Notification.objects.filter(recipient=world.volunteer, channel=Channel.IN_APP).latest("pk"),
        guardian_token=guardians.guardian_token(consent),
        invitation_token=invitation.token,
        unsubscribe_token=unsubscribe_token(kind=Kind.MATCH_INVITED, user_id=world.volunteer.pk),
        reset_key=f"{user_pk_to_url_str(world.plain)}-{default_token_generator.make_token(world.plain)}",
        email_key=EmailConfirmationHMAC(address).key,
    )


def sign_in_recently(page, live_server, user) -> None:
    """A session cookie for `user` that also says they typed their password a moment ago,
    so allauth's pages that ask again (2FA, email) show themselves, not the question."""
    from allauth.account.internal.flows import login
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    session[login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[login.AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session.save()
    page.context.add_cookies([{"name": "sessionid", "value": session.session_key, "url": live_server.url}])
