"""Volunteer pages: onboarding, the dashboard with its HTMX free-time panels,
and privacy. Each view parses, calls one service or selector, and renders.

The panels (`_weekly_grid.html`, `_dated_slots.html`) are swapped whole by
htmx after every change, so what the page shows is always what was stored;
without JavaScript the same forms post normally and come back to the dashboard.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from volunteers import guardians, privacy, selectors, services
from volunteers.forms import OnboardingForm, ProfileForm, SlotForm, add_domain_error, week_order
from volunteers.models import SlotKind

WEEKLY, DATED = SlotKind.WEEKLY, SlotKind.DATED


def _profile_or_onboarding(request):
    profile = selectors.profile_for_user(request.user)
    return profile, (None if profile else redirect("volunteers:onboarding"))


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request):
    if selectors.profile_for_user(request.user):
        return redirect("volunteers:dashboard")
    form = OnboardingForm(
        request.POST if request.method == "POST" else None, initial={"display_name": request.user.get_full_name()}
    )
    if request.method == "POST":
        try:
            if form.is_valid():
                services.volunteer_onboard(user=request.user, changes=form.changes(), first_slot=form.first_slot())
                messages.success(request, _("Welcome! Add the rest of your free time below."))
                return redirect("volunteers:dashboard")
            services.profile_validate(user=request.user, changes=form.changes())
        except DomainError as error:
            form.add_domain_error(error)
    return render(request, "volunteers/onboarding.html", {"form": form})


def _panels(request, profile, *, editing: dict | None = None) -> dict:
    """The weekly grid and the dated list, with at most one open form (`editing`:
    kind, weekday or slot id, and the form)."""
    editing = editing or {}
    today = timezone.now().astimezone(profile.region.zone).date()
    slots = list(selectors.slot_list_for_user(request.user))
    days = []
    for weekday in week_order():
        day_slots = [s for s in slots if s.kind == WEEKLY and s.weekday == weekday]
        for slot in day_slots:
            slot.minutes = slot.end - slot.start  # drawn on a 1440-minute SVG bar
        opened = editing.get("kind") == WEEKLY and editing.get("weekday") == weekday and not editing.get("slot")
        days.append({"weekday": weekday, "slots": day_slots, "adding": opened})
    dated = [s for s in slots if s.kind == DATED and s.date >= today]
    dated_form = editing.get("form") if editing.get("kind") == DATED and not editing.get("slot") else SlotForm()
    return {
        "profile": profile,
        "days": days,
        "dated_slots": dated,
        "editing": editing,
        "dated_form": dated_form,
        "today": today,
    }


def _dashboard_context(request, profile, *, profile_form=None, editing=None, **extra) -> dict:
    return {
        **_panels(request, profile, editing=editing),
        "profile_form": profile_form or ProfileForm(initial=ProfileForm.initial_for(profile)),
        "commitments": [],  # filled by matching (issue 6)
        "guardian": selectors.guardian_for(profile) if profile.is_minor else None,
        **extra,
    }


def _panel_response(request, profile, kind, *, editing=None, status=200):
    """The changed panel for htmx; the whole dashboard otherwise (redirect on success)."""
    if request.htmx:
        template = "volunteers/_weekly_grid.html" if kind == WEEKLY else "volunteers/_dated_slots.html"
        return render(request, template, _panels(request, profile, editing=editing), status=status)
    if editing and editing.get("form") is not None and editing["form"].errors:
        context = _dashboard_context(request, profile, editing=editing)
        return render(request, "volunteers/dashboard.html", context, status=status)
    return redirect("volunteers:dashboard")


@login_required
@require_GET
def dashboard(request):
    profile, onboard = _profile_or_onboarding(request)
    if onboard:
        return onboard
    return render(request, "volunteers/dashboard.html", _dashboard_context(request, profile))


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile, onboard = _profile_or_onboarding(request)
    if onboard:
        return onboard
    if request.method == "GET":
        return redirect("volunteers:dashboard")
    form = ProfileForm(request.POST)
    try:
        if form.is_valid():
            services.profile_update(user=request.user, changes=form.changes())
            messages.success(request, _("Your profile is saved."))
            return redirect("volunteers:dashboard")
        services.profile_validate(user=request.user, changes=form.changes())
    except DomainError as error:
        form.add_domain_error(error)
    context = _dashboard_context(request, profile, profile_form=form)
    return render(request, "volunteers/dashboard.html", context, status=400)


@login_required
@require_GET
def slot_panel(request):
    """A panel with an empty form opened (?weekday=N) or closed (cancel)."""
    profile, onboard = _profile_or_onboarding(request)
    if onboard:
        return onboard
    kind = DATED if request.GET.get("kind") == DATED else WEEKLY
    editing = None
    if kind == WEEKLY and request.GET.get("weekday", "").isdigit():
        weekday = int(request.GET["weekday"])
        editing = {"kind": WEEKLY, "weekday": weekday, "form": SlotForm(initial={"weekday": str(weekday)})}
    return _panel_response(request, profile, kind, editing=editing)


@login_required
@require_POST
def slot_create(request):
    profile, onboard = _profile_or_onboarding(request)
    if onboard:
        return onboard
    form = SlotForm(request.POST)
    kind = DATED if request.POST.get("kind") == DATED else WEEKLY
    if form.is_valid():
        try:
            services.availability_slot_add(volunteer=profile, **form.slot_arguments())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _panel_response(request, profile, kind)
    weekday = int(request.POST["weekday"]) if request.POST.get("weekday", "").isdigit() else None
    editing = {"kind": kind, "weekday": weekday, "form": form}
    return _panel_response(request, profile, kind, editing=editing, status=400 if not request.htmx else 200)


@login_required
@require_http_methods(["GET", "POST"])
def slot_edit(request, pk):
    slot = selectors.slot_get_for_user(request.user, pk)
    profile = slot.volunteer
    initial = {
        "weekday": "" if slot.date else str(slot.weekday),
        "date": slot.date.isoformat() if slot.date else "",
        "start": slot.start_text,
        "end": slot.end_text,
    }
    form = SlotForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.availability_slot_update(slot=slot, **form.slot_arguments())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _panel_response(request, profile, slot.kind)
    editing = {"kind": slot.kind, "weekday": slot.weekday, "slot": slot.pk, "form": form}
    if request.htmx or request.method == "POST":
        status = 400 if request.method == "POST" and not request.htmx else 200
        return _panel_response(request, profile, slot.kind, editing=editing, status=status)
    return render(request, "volunteers/dashboard.html", _dashboard_context(request, profile, editing=editing))


@login_required
@require_POST
def slot_delete(request, pk):
    slot = selectors.slot_get_for_user(request.user, pk)
    services.availability_slot_remove(slot=slot)
    return _panel_response(request, slot.volunteer, slot.kind)


@login_required
@require_GET
def privacy_page(request):
    context = {"profile": selectors.profile_for_user(request.user), "sections": privacy.SECTIONS.values()}
    return render(request, "volunteers/privacy.html", context)


@login_required
@require_GET
def privacy_export(request):
    body = json.dumps(privacy.account_export(user=request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="volunteer-bank-export.json"'
    return response


@login_required
@require_POST
def privacy_delete(request):
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want to delete your account."))
        return redirect("volunteers:privacy")
    password = request.POST.get("password", "")
    if not password or not request.user.check_password(password):
        messages.error(request, _("Enter your password to delete your account."))
        return redirect("volunteers:privacy")
    privacy.account_delete(user=request.user)
    logout(request)
    messages.success(request, _("Your account has been deleted. Thank you for your time."))
    return redirect("home")


@login_required
@require_POST
def guardian_request(request):
    """The minor names a guardian's email (the form on the dashboard)."""
    profile, onboard = _profile_or_onboarding(request)
    if onboard:
        return onboard
    email = request.POST.get("email", "")
    try:
        consent = guardians.guardian_request(user=request.user, email=email)
    except DomainError as error:
        context = _dashboard_context(request, profile, guardian_error=error.message, guardian_email=email)
        return render(request, "volunteers/dashboard.html", context, status=400 if error.status_code == 400 else 409)
    messages.success(request, _("We sent a link to %(email)s.") % {"email": consent.email})
    return redirect("volunteers:dashboard")


@require_http_methods(["GET", "POST"])
def guardian_answer(request, token):
    """The guardian's page: GET explains and shows the buttons (and changes
    nothing, as mail scanners open links); POST confirms or withdraws."""
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "confirm":
            consent = guardians.guardian_confirm(token=token)
            messages.success(request, _("Thank you: your consent is recorded."))
        elif action == "withdraw":
            consent = guardians.guardian_withdraw(token=token)
            messages.success(request, _("Your consent is withdrawn."))
        else:
            consent = guardians.guardian_consent_for_token(token, to_confirm=False)
    except (guardians.LinkInvalid, DomainError) as error:
        problem = getattr(error, "message", None) or str(error)
        return render(request, "volunteers/guardian.html", {"problem": problem}, status=404 if action is None else 409)
    if action:
        return redirect(request.path)
    return render(request, "volunteers/guardian.html", {"consent": consent})
