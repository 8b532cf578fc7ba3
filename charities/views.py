from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from charities import selectors, services
from charities.forms import CharityRegisterForm, InviteForm, WebhookEndpointForm, add_domain_error
from core import public_cache
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


@public_cache.anonymous_page(lambda pk: [public_cache.charity_scope(pk)])
def charity_detail(request, pk):
    """A verified charity's public profile: constant queries (its regions, its latest 30
    public cases and their need counts), shared from the cache with anonymous visitors."""
    charity = selectors.charity_get_public(pk)
    cards = selectors.charity_public_case_cards(charity)
    return render(request, "charities/charity_detail.html", {"charity": charity, "cards": cards})


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


@login_required
@require_POST
def staff_remove(request, pk, user_pk):
    membership = selectors.membership_get_for_owner(request.user, pk, user_pk)
    try:
        services.staff_remove(membership=membership, removed_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(email)s is no longer on the staff.") % {"email": membership.user.email})
    return redirect(f"{reverse('cases:dashboard')}?charity={pk}")


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
