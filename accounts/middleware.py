"""Staff pages need a second factor (accounts.mfa): a staff session without it is sent
to set up TOTP, or to sign in again, before any other page answers."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.mfa import mfa_missing

# Paths a staff member without MFA may still reach: the account pages (set-up, sign-out,
# re-authentication), files, and the API (which answers for itself).
EXEMPT_PREFIXES = ("/static/", "/media/", "/api/", "/_allauth/", "/i18n/", "/sw.js", "/health/")


def _exempt(path: str) -> bool:
    if path.startswith(EXEMPT_PREFIXES):
        return True
    parts = path.split("/", 3)
    return len(parts) > 2 and parts[2] in ("accounts", "offline", "manifest.webmanifest")


class StaffMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _exempt(request.path_info) or not request.user.is_authenticated:
            return self.get_response(request)
        missing = mfa_missing(request.user, request.session)
        if missing == "setup":
            messages.info(request, _("Staff accounts need two-factor authentication. Set it up to continue."))
            return redirect(reverse("mfa_activate_totp"))
        if missing == "authenticate":
            logout(request)
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
