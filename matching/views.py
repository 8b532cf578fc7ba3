"""Pages and HTMX partials for matching: the charity's review section, the
volunteer's invitations and commitments, the offer-to-help button, and the
calendar: the private feed (`/calendar/<token>.ics`), its link management and
one-event downloads (`matching.calendar` does the work).

Each action calls the same service as its API twin; a domain error becomes a
message shown above the section. With HTMX the section re-renders in place;
without it the browser is sent back to the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from cases.selectors import need_get_for_staff
from charities.selectors import charity_get_for_staff
from core.errors import DomainError
from matching import calendar, occurrences, selectors, services


def _review_context(request, need, error: str = "") -> dict:
    matches = list(selectors.match_list_for_need(request.user, need))
    return {
        "need": need,
        "loaded": True,
        "error": error,
        "proposed": [m for m in matches if m.status == m.Status.PROPOSED],
        "invited": [m for m in matches if m.status == m.Status.INVITED],
        "confirmed": [m for m in matches if m.status == m.Status.CONFIRMED],
        "places_left": max(0, need.volunteers_needed - need.volunteers_confirmed),
    }


@login_required
@require_http_methods(["GET", "POST"])
def need_review(request, pk):
    """GET: a need's proposals, invitations and confirmed volunteers. POST: approve
    or reject the ticked proposals (`match` repeated, `action` approve|reject)."""
    need = need_get_for_staff(request.user, pk)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        ids = request.POST.getlist("match")
        if action not in ("approve", "reject") or not ids:
            error = _("Tick at least one volunteer, then approve or reject.")
        else:
            try:
                matches = [selectors.match_get_for_staff(request.user, pk) for pk in ids]
                if any(match.need_id != need.pk for match in matches):
                    raise Http404
                services.match_review_many(matches=matches, user=request.user, approve=action == "approve")
            except DomainError as exc:
                error = str(exc.message)
        need.refresh_from_db()
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect("matching:need_review", pk=need.pk)
    context = _review_context(request, need, error)
    template = "matching/_need_review.html" if request.htmx else "matching/need_review.html"
    return render(request, template, context)


@login_required
@require_GET
def charity_review(request, pk):
    """Every open need of one of the person's charities, each with its review section."""
    charity = charity_get_for_staff(request.user, pk)
    needs = list(selectors.need_list_for_review(request.user, charity))
    return render(request, "matching/charity_review.html", {"charity": charity, "needs": needs})


def volunteer_context(request, error: str = "", notice: str = "") -> dict:
    matches = list(selectors.match_list_for_volunteer(request.user))
    return {
        "loaded": True,
        "error": error,
        "notice": notice,
        "invitations": [m for m in matches if m.status == m.Status.INVITED],
        "commitments": [m for m in matches if m.status == m.Status.CONFIRMED],
    }


@login_required
@require_GET
def my_matches(request):
    template = "matching/_volunteer_matches.html" if request.htmx else "matching/my_matches.html"
    return render(request, template, volunteer_context(request))


ANSWERS = {
    "accept": services.match_accept,
    "accept-series": occurrences.match_accept_series,
    "decline": services.match_decline,
    "cancel": services.match_cancel,
}
ANSWER_NOTICES = {
    "accept": gettext_lazy(
        "You accepted “%(case)s”. It is now under your commitments, with the organisation's contact."
    ),
    "accept-series": gettext_lazy(
        "You accepted “%(case)s”. It is now under your commitments, with the organisation's contact."
    ),
    "decline": gettext_lazy("You declined “%(case)s”. Thank you for answering."),
    "cancel": gettext_lazy("You cancelled your commitment to “%(case)s”; the organisation is told."),
}


@login_required
@require_POST
def answer(request, pk, action):
    """The volunteer accepts (one day, or every day of a repeating need), declines or
    cancels; the section re-renders with the outcome."""
    if action not in ANSWERS:
        raise Http404
    match = selectors.match_get_for_volunteer(request.user, pk)
    error = notice = ""
    try:
        ANSWERS[action](match=match, user=request.user)
    except DomainError as exc:
        error = str(exc.message)
    else:
        notice = ANSWER_NOTICES[action] % {"case": match.need.case.title}
    if request.htmx:
        return render(request, "matching/_volunteer_matches.html", volunteer_context(request, error, notice))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect("matching:my_matches")


@login_required
@require_POST
def offer(request, pk):
    """Offer to help on a need; answers with the button's new state."""
    need = selectors.need_get_open(pk)
    error, offered = "", False
    try:
        services.match_offer(need=need, user=request.user)
        offered = True
    except DomainError as exc:
        error = str(exc.message)
    if request.htmx:
        return render(request, "matching/_offer_button.html", {"need": need, "offered": offered, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you: the organisation will review your offer."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("matching:my_matches")


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@cache_control(private=True, no_cache=True)
def calendar_feed(request, token):
    """The private feed a phone's calendar subscribes to; no sign-in, the token is the key.
    A replaced, revoked or unknown token answers 404 with a sentence saying so."""
    try:
        feed = calendar.calendar_feed_get_by_token(token)
    except Http404:
        message = _(
            "This calendar link does not work any more: it was replaced or revoked. "
            "Your volunteer dashboard shows the current link."
        )
        return HttpResponse(message, status=404, content_type="text/plain; charset=utf-8")
    body = calendar.feed_render(feed, base_url=request.build_absolute_uri("/"))
    return _calendar_response(body, "volunteer-bank.ics")


@login_required
@require_GET
def match_calendar(request, pk):
    """One invitation or commitment as a calendar file (only its volunteer's)."""
    body = calendar.match_render(request.user, pk, base_url=request.build_absolute_uri("/"))
    return _calendar_response(body, f"volunteer-bank-{pk}.ics")


@login_required
@require_POST
def calendar_feed_manage(request):
    """Create a calendar link (or a new one, which stops the old) or revoke it; back to the dashboard."""
    try:
        if request.POST.get("action") == "revoke":
            calendar.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar link is revoked: calendars subscribed to it stop updating."))
        else:
            calendar.calendar_feed_create(user=request.user)
            messages.success(request, _("Your new calendar link is ready; any earlier link no longer works."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("volunteers:dashboard") + "#calendar")
