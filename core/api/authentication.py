from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from accounts.mfa import mfa_missing


class MfaRequired(exceptions.PermissionDenied):
    """403 `{"detail": "...", "code": "mfa_required"}`: the app sends the person to
    allauth's TOTP set-up (or second-factor) flow."""

    def __init__(self, message):
        super().__init__({"detail": message, "code": "mfa_required"})


def _refuse_without_mfa(user, session) -> None:
    """Staff sessions (a phone's token or the browser's cookie) count only once they
    passed TOTP (accounts.mfa); before that every API call is 403 `mfa_required`."""
    missing = mfa_missing(user, session)
    if missing == "setup":
        raise MfaRequired(_("Staff accounts need two-factor authentication: set it up first."))
    if missing == "authenticate":
        raise MfaRequired(_("Sign in again with your authentication code."))


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's X-Session-Token, answering 401 (not 403) when no valid token is sent,
    so a phone knows to sign in again rather than that it lacks a right."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _refuse_without_mfa(*result)
        return result

    def authenticate_header(self, request) -> str:
        return 'Session-Token header="X-Session-Token"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session cookie, with the same second-factor rule for staff."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _refuse_without_mfa(result[0], request._request.session)
        return result
