from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from charities import selectors, services
from charities.forms import CharityRegisterForm, InviteForm, add_domain_error
from core.errors import DomainError


@login_required
def charity_register(request):
    form = CharityRegisterForm(request.POST or None, request.FILES or None)
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
    form = InviteForm(request.POST or None)
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
