"""The moderation queue: reports and charities, with locks and the audit trail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import access, selectors, services
from cases.forms import ApproveForm, DuplicateForm, RejectForm
from core.errors import DomainError
from notifications.selectors import zone_for_user


def _moderator_only(view):
    def wrapped(request, *args, **kwargs):
        if not access.is_moderator(request.user):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_moderator_only
def queue(request):
    context = {
        "reports": selectors.report_list_queue(request.user)[:50],
        "stats": selectors.report_queue_stats(request.user),
        "charities": selectors.charity_list_pending(request.user)[:50],
        "now": timezone.now(),
    }
    return render(request, "cases/moderation_queue.html", context)


@_moderator_only
def report_review(request, pk, *, approve_form=None, status=200):
    """Shows a report; reading changes nothing. Reviewing takes its lock by POST (the
    "lock" action), so a link preview or a prefetch never reserves it; while another
    moderator holds it, the page is read-only."""
    report = selectors.report_get_for_moderator(request.user, pk)
    locked_out = _("Another moderator is reviewing this report.") if report.is_locked_for(request.user) else None
    held = bool(report.locked_by_id == request.user.pk and report.locked_until and report.locked_until > timezone.now())
    context = {
        "report": report,
        "locked_out": locked_out,
        "held": held,
        "duplicates": selectors.report_duplicates(report),
        "approve_form": approve_form or ApproveForm(report=report),
        "reject_form": RejectForm(),
        "duplicate_form": DuplicateForm(),
    }
    return render(request, "cases/moderation_report.html", context, status=status)


@require_POST
@_moderator_only
def report_decide(request, pk, action):
    report = selectors.report_get_for_moderator(request.user, pk)
    try:
        if action == "lock":
            services.report_lock(report=report, moderator=request.user)
            return redirect("cases:moderation-report", pk=report.pk)
        if action == "approve":
            form = ApproveForm(request.POST, report=report)
            if not form.is_valid():
                return report_review(request, pk, approve_form=form, status=400)
            case = services.report_approve(report=report, moderator=request.user, **form.cleaned_data)
            messages.success(request, _("Approved: case #%(id)s is open for charities to claim.") % {"id": case.pk})
        elif action == "reject":
            form = RejectForm(request.POST)
            form.is_valid()
            services.report_reject(report=report, moderator=request.user, reason=form.cleaned_data.get("reason", ""))
            messages.success(request, _("Rejected; the reporter will see your reason."))
        elif action == "duplicate":
            form = DuplicateForm(request.POST)
            case_id = form.cleaned_data.get("case") if form.is_valid() else None
            case = selectors.case_for_duplicate(case_id)
            services.report_duplicate(report=report, moderator=request.user, case=case)
            messages.success(request, _("Marked as a duplicate."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cases:moderation-report", pk=report.pk)
    return redirect("cases:moderation")


@_moderator_only
def charity_review(request, pk):
    charity = selectors.charity_get_for_moderator(request.user, pk)
    return render(request, "cases/moderation_charity.html", {"charity": charity, "reject_form": RejectForm()})


@require_POST
@_moderator_only
def charity_decide(request, pk, action):
    charity = selectors.charity_get_for_moderator(request.user, pk)
    try:
        if action == "verify":
            services.charity_verify(charity=charity, moderator=request.user)
            messages.success(request, _("The organisation is verified."))
        elif action == "reject":
            services.charity_reject(charity=charity, moderator=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The organisation is rejected; its owner is told why."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cases:moderation-charity", pk=charity.pk)
    return redirect("cases:moderation")


@_moderator_only
def audit_log(request):
    page = Paginator(selectors.audit_list(request.user), 50).get_page(request.GET.get("page"))
    zone, zone_label = zone_for_user(user=request.user)
    return render(request, "cases/audit_log.html", {"page": page, "zone": zone, "zone_label": zone_label})
