"""Pages anyone can see: home, the case list and a case's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import access, cards, selectors, services
from cases.forms import CaseStatusForm, CaseUpdateForm
from cases.models import Case
from charities.selectors import charity_list_for_user
from core import public_cache
from core.errors import DomainError
from core.paging import CappedPaginator

PAGE_SIZE = 12


@public_cache.anonymous_page(lambda: [public_cache.LISTS])
def home(request):
    """The hero, then the latest open cases."""
    return render(request, "cases/home.html", {"cards": cards.case_cards_html(selectors.case_list_public()[:6])})


@public_cache.anonymous_page(lambda: [public_cache.LISTS])
def case_list(request):
    from cases.forms import CaseFilterForm

    form = CaseFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"region": data["region"], "activity_type": data["activity_type"], "q": data["q"]}
    page = CappedPaginator(selectors.case_list_public(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = cards.case_cards_html(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {"form": form, "page": page, "query": query.urlencode()})


@public_cache.anonymous_page(lambda pk: [public_cache.case_scope(pk)])
def case_detail(request, pk):
    case = selectors.case_get_public(pk, user=request.user)
    can_manage = access.can_manage_case(request.user, case)
    finished = case.status in (Case.Status.RESOLVED, Case.Status.CLOSED)
    my_charities = (
        list(charity_list_for_user(request.user).filter(status="verified").prefetch_related("regions"))
        if request.user.is_authenticated
        else []  # no query built for an anonymous visitor, the case page's most frequent reader
    )
    claim_with = [c for c in my_charities if any(r.pk == case.region_id for r in c.regions.all())]
    can_see_private = access.can_see_private(request.user, case)
    context = {
        "case": case,
        "need_groups": selectors.case_need_groups(case),
        "updates": selectors.case_updates(case),
        "photos": case.photos.all(),
        "following": selectors.case_is_followed(case, request.user),
        "can_manage": can_manage,
        "can_see_private": can_see_private,
        "reported_as": selectors.case_reports_private(case) if can_see_private else [],
        "claim_with": claim_with if case.is_claimable else [],
        "handover_with": [c for c in claim_with if case.charity_id and c.pk != case.charity_id and not finished],
        "finished": finished,
        "update_form": CaseUpdateForm() if can_manage else None,
        "next_statuses": [Case.Status(s) for s in Case.TRANSITIONS[case.status]] if can_manage else [],
        "share_url": request.build_absolute_uri(case_url(case)),
    }
    response = render(request, "cases/case_detail.html", context)
    if can_manage:  # private details: never in a shared cache or the offline copy
        patch_cache_control(response, private=True, no_store=True)
    return response


def case_url(case) -> str:
    from django.urls import reverse

    return reverse("cases:detail", args=[case.pk])


@require_POST
@login_required
def case_follow_toggle(request, pk):
    case = selectors.case_get_public(pk, user=request.user)
    try:
        if request.POST.get("follow") == "0":
            services.case_unfollow(case=case, user=request.user)
            messages.info(request, _("You no longer follow this case."))
        else:
            services.case_follow(case=case, user=request.user)
            messages.success(request, _("You will get this case's updates."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("cases:detail", pk=case.pk)


@require_POST
@login_required
def case_update_create(request, pk):
    case = selectors.case_get_for_staff(request.user, pk)
    form = CaseUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_update_post(case=case, user=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your update is posted and followers are told."))
    else:
        messages.error(request, _("Write what happened."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
@login_required
def case_status(request, pk):
    case = selectors.case_get_for_staff(request.user, pk)
    form = CaseStatusForm(request.POST)
    if form.is_valid():
        try:
            services.case_status_change(
                case=case, user=request.user, to_status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The case is now %(status)s.") % {"status": case.get_status_display()})
    return redirect("cases:detail", pk=case.pk)
