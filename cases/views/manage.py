"""Pages for a charity's staff: dashboard, cases, needs, claims and handovers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import selectors, services
from cases.forms import CaseEditForm, CaseForm, NeedForm, add_domain_error
from charities.selectors import charity_get_for_staff, charity_list_for_user, membership_role, staff_list
from core.errors import DomainError


def _chosen_charity(request):
    charities = list(charity_list_for_user(request.user))
    chosen = request.GET.get("charity") or request.POST.get("charity")
    if chosen:
        return charity_get_for_staff(request.user, chosen), charities
    return (charities[0] if charities else None), charities


@login_required
def dashboard(request):
    charity, charities = _chosen_charity(request)
    if charity is None:
        return render(request, "cases/dashboard_empty.html")
    context = {
        "charity": charity,
        "charities": charities,
        "is_owner": membership_role(request.user, charity) == "owner",
        "cases": selectors.case_list_for_charity(charity),
        "claimable": selectors.case_list_claimable(charity)[:20],
        "handovers": selectors.handover_list_incoming(charity),
        "staff": staff_list(charity),
    }
    return render(request, "cases/dashboard.html", context)


@login_required
def case_create(request):
    charity, _charities = _chosen_charity(request)
    if charity is None:
        raise Http404
    form = CaseForm(request.POST if request.method == "POST" else None, request.FILES or None, charity=charity)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case = services.case_create(user=request.user, charity=charity, **data)
        except DomainError as error:
            add_domain_error(form, error, {"description": "story", "location": "latitude"})
        else:
            messages.success(request, _("The case is saved."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "charity": charity})


@login_required
def case_edit(request, pk):
    case = selectors.case_get_for_staff(request.user, pk)
    initial = {
        "title": case.title,
        "story": case.story,
        "urgency": case.urgency,
        "private_details": case.private_details,
    }
    form = CaseEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_edit(case=case, user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error, {"description": "story"})
        else:
            messages.success(request, _("The case is saved."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case, "charity": case.charity})


@login_required
def need_create(request, pk):
    case = selectors.case_get_for_staff(request.user, pk)
    form = NeedForm(request.POST if request.method == "POST" else None, zone=case.region.zone)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(case=case, user=request.user, **form.service_fields())
        except DomainError as error:
            add_domain_error(form, error, SERIES_ERRORS)
        else:
            if need.series_id:
                messages.success(request, _("The repeating need is added; we will look for volunteers for each day."))
            else:
                messages.success(request, _("The need is added; we will look for volunteers."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/need_form.html", {"form": form, "case": case})


# A rule's error shows on the field people typed it in.
SERIES_ERRORS = {"recurrence": "repeat", "anchor": "anchor"}


@login_required
@require_GET
def need_preview(request, pk):
    """htmx: the local times of the first days of the rule the form describes, before saving."""
    case = selectors.case_get_for_staff(request.user, pk)
    form = NeedForm(request.GET, zone=case.region.zone)
    form.is_valid()  # other fields may still be empty: only the times matter here
    data = form.cleaned_data
    context = {"case": case, "days": [], "total": 0, "error": ""}
    rule = data.get("recurrence") or ("RRULE:FREQ=DAILY;COUNT=1" if data.get("anchor") else "")
    starts_at = data.get("starts_at")
    if rule and starts_at:
        duration = data.get("duration_minutes")
        if duration is None and data.get("ends_at"):
            duration = round((data["ends_at"] - starts_at).total_seconds() / 60)
        try:
            days, context["total"] = services.series_preview(
                case=case,
                starts_at=starts_at,
                recurrence_rule=rule,
                duration_minutes=duration,
                anchor=data.get("anchor") or "",
                anchor_offset_minutes=data.get("anchor_offset_minutes") or 0,
            )
        except DomainError as error:
            context["error"] = error.message
        else:
            zone = case.region.zone
            context["days"] = [(d.starts_at.astimezone(zone), d.ends_at.astimezone(zone)) for d in days]
    return render(request, "cases/_need_preview.html", context)


@login_required
def need_edit(request, pk):
    """Edit a need in the region's local time. Once a volunteer is confirmed only its
    time can change; the volunteers are told of a move (see `need_update`)."""
    need = selectors.need_get_for_staff(request.user, pk)
    zone = need.case.region.zone
    initial = {
        "activity_type": need.activity_type_id,
        "skills": list(need.skills.values_list("pk", flat=True)),
        "description": need.description,
        "starts_at": need.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": need.ends_at.astimezone(zone).replace(tzinfo=None),
        "volunteers_needed": need.volunteers_needed,
        "gender": need.gender,
        "min_age": need.min_age,
        "radius_km": need.radius_km,
    }
    confirmed = need.volunteers_confirmed > 0
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        zone=zone,
        times_only=confirmed,
        series=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(need=need, user=request.user, **form.service_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if confirmed:
                messages.success(request, _("The need is saved; its volunteers are told of a new time."))
            else:
                messages.success(request, _("The need is saved; we will look for volunteers again."))
            return redirect("cases:detail", pk=need.case_id)
    context = {"form": form, "case": need.case, "need": need, "times_only": confirmed}
    return render(request, "cases/need_form.html", context)


@require_POST
@login_required
def case_claim(request, pk):
    case = selectors.case_get_public(pk, user=request.user)
    charity = charity_get_for_staff(request.user, request.POST.get("charity"))
    try:
        services.case_claim(case=case, charity=charity, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The case is now your organisation's. Add its needs."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
@login_required
def handover_request(request, pk):
    case = selectors.case_get_public(pk, user=request.user)
    charity = charity_get_for_staff(request.user, request.POST.get("charity"))
    try:
        services.case_handover_request(
            case=case, charity=charity, user=request.user, message=request.POST.get("message", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request is sent to the organisation holding the case."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
@login_required
def handover_decide(request, pk):
    handover = selectors.handover_get_for_staff(request.user, pk)
    accept = request.POST.get("accept") == "1"
    try:
        handover = services.case_handover_decide(handover=handover, user=request.user, accept=accept)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if accept:
            messages.success(
                request,
                _("“%(title)s” now belongs to %(charity)s; its volunteers were told.")
                % {"title": handover.case.title, "charity": handover.to_charity.name},
            )
        else:
            messages.success(
                request, _("The request was declined; %(charity)s was told.") % {"charity": handover.to_charity.name}
            )
    return redirect(f"{_dashboard_url()}?charity={handover.from_charity_id}")


def _dashboard_url() -> str:
    from django.urls import reverse

    return reverse("cases:dashboard")


@require_POST
@login_required
def need_cancel(request, pk):
    """Call off one need (one day of a repeating need); its volunteers are told."""
    need = selectors.need_get_for_staff(request.user, pk)
    try:
        services.need_cancel(need=need, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("This day is cancelled; its volunteers are told."))
    return redirect("cases:detail", pk=need.case_id)
