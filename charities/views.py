from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from charities import selectors, services
from charities.forms import CharityRegisterForm, InviteForm, WebhookEndpointForm, add_domain_error
from core.errors import DomainError
from notifications import selectors as notification_selectors
from notifications import webhooks


@login_required
def charity_register(request):
    form = CharityRegisterForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            charity = services.charity_register(user=request.user, **data)
        except DomainError as error:
            add_domain_error(form, error, {"name": "name_ar"})
        else:
            messages.success(request, _("Your organisation is registered. A moderator will verify it soon."))
            return redirect(f"{reverse('cases:dashboard')}?charity={charity.pk}")
    return render(request, "charities/charity_register.html", {"form": form})


def charity_detail(request, pk):
    charity = selectors.charity_get_public(pk)
    cases = charity.cases.filter(status__in=["open", "in_progress", "resolved"]).select_related("region")[:30]
    return render(request, "charities/charity_detail.html", {"charity": charity, "cases": cases})


@login_required
def staff_invite(request, pk):
    charity = selectors.charity_get_for_staff(request.user, pk, owner_only=True)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_invite(charity=charity, invited_by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect(f"{reverse('cases:dashboard')}?charity={charity.pk}")
    return render(request, "charities/staff_invite.html", {"form": form, "charity": charity})


@login_required
def invitation_accept(request, token):
    invitation = selectors.invitation_get_by_token(token)
    if request.method == "POST":
        try:
            services.staff_invitation_accept(invitation=invitation, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You are now on the staff of %(name)s.") % {"name": invitation.charity.name})
            return redirect(f"{reverse('cases:dashboard')}?charity={invitation.charity_id}")
    return render(request, "charities/invitation.html", {"invitation": invitation})


# --- Webhooks: self-service for the charity's owners ----------------------------------------------

_SECRET_SESSION_KEY = "webhook-secret:{}"  # noqa: S105 (a session key name, not a secret)


def _show_secret_once(request, endpoint) -> None:
    """The page after creating or rotating shows the secret, then the session forgets it."""
    request.session[_SECRET_SESSION_KEY.format(endpoint.pk)] = endpoint.secret


@login_required
def webhook_list(request, pk):
    charity = selectors.charity_get_for_staff(request.user, pk, owner_only=True)
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.webhook_endpoint_create(
                charity_id=charity.pk,
                created_by=request.user,
                url=form.cleaned_data["url"],
                kinds=form.cleaned_data["kinds"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _show_secret_once(request, endpoint)
            messages.success(request, _("The endpoint is added. Copy its secret now: it is shown only once."))
            return redirect("charities:webhooks", pk=charity.pk)
    endpoints = list(notification_selectors.webhook_endpoint_list_for_charity(charity_id=charity.pk))
    for endpoint in endpoints:
        endpoint.secret_once = request.session.pop(_SECRET_SESSION_KEY.format(endpoint.pk), None)
    context = {
        "charity": charity,
        "form": form,
        "endpoints": endpoints,
        "deliveries": notification_selectors.webhook_delivery_list_for_charity(charity_id=charity.pk)[:100],
    }
    return render(request, "charities/webhooks.html", context)


@require_POST
@login_required
def webhook_action(request, pk, endpoint_pk, action):
    charity = selectors.charity_get_for_staff(request.user, pk, owner_only=True)
    endpoint = notification_selectors.webhook_endpoint_get_for_charity(charity_id=charity.pk, pk=endpoint_pk)
    if action == "rotate":
        _show_secret_once(request, webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint))
        messages.success(request, _("A new secret is set. Copy it now: it is shown only once."))
    elif action == "pause":
        webhooks.webhook_endpoint_set_active(endpoint=endpoint, active=False)
        messages.success(request, _("The endpoint is paused."))
    elif action == "resume":
        webhooks.webhook_endpoint_set_active(endpoint=endpoint, active=True)
        messages.success(request, _("The endpoint is active again."))
    elif action == "delete":
        webhooks.webhook_endpoint_delete(endpoint=endpoint)
        messages.success(request, _("The endpoint is deleted."))
    return redirect("charities:webhooks", pk=charity.pk)
