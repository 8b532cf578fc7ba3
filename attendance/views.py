"""Pages for attendance, hours and certificates, phone first.

Each action calls the same service as its API twin; a domain error becomes a
message above the page (or the field's error on a form) and nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from attendance import certificates, checkin, selectors, services
from attendance.api.views import client_address, hours_file
from attendance.forms import HoursRequestForm
from attendance.limits import TooManyAttempts
from attendance.models import Attendance, HoursRequest
from charities.models import Charity
from charities.selectors import charity_list_for_user
from core.errors import DomainError, InvalidInput


def _check_in_url(request, need, code: str) -> str:
    return request.build_absolute_uri(reverse("attendance:check_in", args=[need.pk])) + f"?code={code}"


@never_cache
@login_required
@require_safe
def need_attendance(request, pk):
    """The coordinator's page: the check-in code and QR, and each confirmed volunteer to mark."""
    need = selectors.need_get_for_staff(request.user, pk)
    now = timezone.now()
    code = checkin.current_code(need, now=now)
    rows = list(selectors.attendance_list_for_need(need))
    return render(
        request,
        "attendance/need_attendance.html",
        {
            "need": need,
            "rows": rows,
            "code": code,
            "qr": checkin.qr_svg(_check_in_url(request, need, code)),
            "started": now >= need.starts_at,
            "unmarked": sum(1 for row in rows if not hasattr(row, "attendance")),
            "statuses": Attendance.Status,
        },
    )


@login_required
@require_POST
def mark(request, pk):
    match = selectors.confirmed_match_get_for_staff(request.user, pk)
    try:
        services.attendance_mark(
            match=match, user=request.user, status=request.POST.get("status", ""), minutes=request.POST.get("minutes")
        )
        messages.success(request, _("Saved: %(name)s.") % {"name": match.volunteer.display_name})
    except DomainError as exc:
        messages.error(request, f"{match.volunteer.display_name}: {exc.message}")
    return redirect(reverse("attendance:need", args=[match.need_id]) + f"#match-{match.pk}")


@login_required
@require_POST
def mark_all(request, pk):
    need = selectors.need_get_for_staff(request.user, pk)
    try:
        count = services.attendance_mark_all(need=need, user=request.user)
        messages.success(
            request,
            ngettext("%(count)s volunteer marked as attended.", "%(count)s volunteers marked as attended.", count)
            % {"count": count},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("attendance:need", pk=need.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk):
    """The volunteer's check-in: the QR opens it with the code filled in; typing works too."""
    need = selectors.need_get_for_check_in(request.user, pk)
    error, status, attendance = "", 200, None
    code = request.POST.get("code") if request.method == "POST" else request.GET.get("code", "")
    if request.method == "POST":
        try:
            attendance = services.attendance_check_in(need=need, user=request.user, code=code)
        except DomainError as exc:
            error, status = exc.message, exc.status_code
    return render(
        request,
        "attendance/check_in.html",
        {"need": need, "code": code or "", "error": error, "attendance": attendance},
        status=status,
    )


def _hours_context(request, form=None) -> dict:
    volunteer = selectors.volunteer_for_user(request.user)
    records = selectors.hours_records_for(volunteer)
    return {
        "volunteer": volunteer,
        "summary": selectors.hours_summary(volunteer),
        "records": records,
        "requests": HoursRequest.objects.filter(volunteer=volunteer).select_related("charity")[:20],
        "certificates": certificates.certificate_list_for_user(request.user)[:20],
        "charities_with_hours": Charity.objects.filter(hours_records__volunteer=volunteer).distinct(),
        "form": form or HoursRequestForm(),
    }


@never_cache
@login_required
@require_safe
def my_hours(request):
    return render(request, "attendance/my_hours.html", _hours_context(request))


@login_required
@require_POST
def hours_request(request):
    form = HoursRequestForm(request.POST)
    if form.is_valid():
        try:
            services.hours_request_create(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your request was sent to the organisation."))
            return redirect("attendance:my_hours")
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "attendance/my_hours.html", _hours_context(request, form), status=400)


@login_required
@require_POST
def certificate_issue(request):
    charity = None
    if request.POST.get("charity"):
        charity = (
            Charity.objects.filter(pk=request.POST["charity"]).first() if request.POST["charity"].isdigit() else None
        )
        if charity is None:
            raise Http404
    try:
        certificate = certificates.certificate_issue(user=request.user, charity=charity)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("attendance:my_hours")
    messages.success(request, _("Your certificate is ready."))
    return redirect("verify", code=certificate.code)


@never_cache
@login_required
@require_safe
def charity_hours(request, pk):
    """The charity's after-the-match page: needs to mark, hours requests, exports."""
    charity, requests = selectors.hours_requests_for_charity(request.user, pk)
    return render(
        request,
        "attendance/charity_hours.html",
        {
            "charity": charity,
            "needs": selectors.needs_to_mark(request.user).filter(case__charity=charity)[:30],
            "pending": [r for r in requests if r.status == HoursRequest.Status.PENDING],
            "decided": [r for r in requests if r.status != HoursRequest.Status.PENDING][:20],
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@login_required
@require_POST
def hours_request_decide(request, pk, action):
    hours_request = selectors.hours_request_get_for_staff(request.user, pk)
    try:
        if action == "approve":
            services.hours_request_approve(request=hours_request, user=request.user)
            messages.success(request, _("Approved: the hours are attested."))
        elif action == "decline":
            services.hours_request_decline(request=hours_request, user=request.user, reason=request.POST.get("reason"))
            messages.success(request, _("Declined; the volunteer will read your reason."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("attendance:charity_hours", pk=hours_request.charity_id)


@login_required
@require_safe
def hours_export(request, pk, kind):
    if kind not in ("csv", "xlsx"):
        raise Http404
    try:
        return hours_file(request, pk, kind=kind)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("attendance:charity_hours", pk=pk)


@login_required
@require_safe
def my_charities_hours(request):
    """Where the dashboard's link lands: the person's charity, or the one to choose."""
    charities = list(charity_list_for_user(request.user))
    if len(charities) == 1:
        return redirect("attendance:charity_hours", pk=charities[0].pk)
    return render(request, "attendance/choose_charity.html", {"charities": charities})


# --- Public verification --------------------------------------------------------------------------


@require_safe
def verify_form(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("verify", code=certificates.normalise_code(code) or "-")
    return render(request, "attendance/verify.html", {"certificate": None})


@never_cache
@require_safe
def verify(request, code):
    """Anyone: who, how many hours, which charity, when, and whether it was revoked."""
    try:
        certificate = certificates.certificate_lookup(code, client=client_address(request))
    except TooManyAttempts as exc:
        return render(request, "attendance/verify.html", {"error": exc.message}, status=429)
    except Http404:
        return render(
            request, "attendance/verify.html", {"error": _("No certificate has this code."), "code": code}, status=404
        )
    english = (request.LANGUAGE_CODE or "ar").startswith("en")
    lines = [
        {
            **line,
            "name": line["name_en"] if english else line["name_ar"],
            "hours": certificates.hours_text(line["minutes"]),
        }
        for line in certificate.lines
    ]
    return render(
        request,
        "attendance/verify.html",
        {
            "certificate": certificate,
            "grouped": certificates.grouped(certificate.code),
            "hours": certificates.hours_text(certificate.minutes),
            "lines": lines,
            "can_revoke": certificates.can_revoke(request.user, certificate) and not certificate.revoked_at,
            "is_holder": request.user.is_authenticated and certificate.volunteer.user_id == request.user.pk,
        },
    )


@login_required
@require_POST
def revoke(request, code):
    certificate = certificates.certificate_lookup(code, client=client_address(request))
    try:
        certificates.certificate_revoke(certificate=certificate, user=request.user)
        messages.success(request, _("The certificate was revoked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("verify", code=certificate.code)


@require_safe
def certificate_pdf(request, code):
    """The PDF, for anyone holding the code (it is the same secret the QR carries)."""
    try:
        certificate = certificates.certificate_lookup(code, client=client_address(request))
    except TooManyAttempts as exc:
        return HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
    response = HttpResponse(certificates.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response
