"""Two-factor authentication for staff: the one place the rule lives.

Who: anyone who can enter the Django admin (`is_staff`) or moderate (superusers, and
staff granted `cases.moderate`, who are staff too). What: a TOTP authenticator
(allauth.mfa, with recovery codes), and a session that passed it — at sign-in (allauth's
MFA stage) or by setting it up in this session. A staff session without TOTP may only
reach the account pages (to set it up, or sign out); the web is redirected there
(accounts.middleware), the API answers 403 `mfa_required` (core.api.authentication).
`STAFF_MFA_REQUIRED` exists for the test suite, whose many staff fixtures sign in with
`force_login`; production forces it on.
"""

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.conf import settings


def mfa_required(user) -> bool:
    return bool(
        settings.STAFF_MFA_REQUIRED
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser)
    )


def mfa_enabled(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_passed(session) -> bool:
    """The session answered a second factor (or set one up): allauth's own record."""
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    return any(record.get("method") == "mfa" for record in records)


def mfa_missing(user, session) -> str | None:
    """None when the user may go on; else "setup" (no TOTP yet) or "authenticate"
    (TOTP exists but this session never answered it)."""
    if not mfa_required(user):
        return None
    if not mfa_enabled(user):
        return "setup"
    if not mfa_passed(session):
        return "authenticate"
    return None


def mfa_record_setup(request, authenticator) -> None:
    """Setting up TOTP proves the second factor for this session (the code was typed)."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, authenticator.user, "mfa", type=authenticator.type, id=authenticator.pk)
