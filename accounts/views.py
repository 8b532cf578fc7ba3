"""The Django admin's sign-in goes through allauth: one form, its rate limits and the
second factor, instead of the admin's own form which has neither."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _


def admin_login(request):
    """Replaces /admin/login/: send the visitor to allauth's sign-in, coming back to the
    admin page they asked for."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = ""
    target = target or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        messages.error(request, _("The administration is for staff only."))
        return redirect("home")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
