"""Reporting a case, and following a report by its tracking code."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import selectors, services
from cases.forms import ReportForm, TrackForm, add_domain_error
from cases.services.reports import report_rate_limited
from core.errors import DomainError
from core.http import client_ip


def report_create(request):
    form = ReportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if report_rate_limited(client_ip(request)):
            form.is_valid()
            form.add_error(
                None, _("You have sent many reports in the last minute. Please wait a minute and try again.")
            )
            status = 429
        elif form.is_valid():
            data = dict(form.cleaned_data)
            if data.pop("website"):
                form.add_error(None, _("Your report could not be sent."))
                status = 400
            else:
                try:
                    report = services.report_submit(reporter=request.user, **data)
                except DomainError as error:
                    add_domain_error(form, error)
                    status = 400
                else:
                    return redirect("cases:report-status", code=report.tracking_code)
        else:
            status = 400
    return render(request, "cases/report_form.html", {"form": form, "track_form": TrackForm()}, status=status)


def report_track(request):
    """Find a report by its code however it was typed; say so when the code is empty or unknown."""
    form = TrackForm(request.GET)
    if form.is_valid():
        report = selectors.report_find_by_code(form.cleaned_data["code"])
        if report is not None:
            return redirect("cases:report-status", code=report.tracking_code)
        form.add_error("code", _not_found(form.cleaned_data["code"]))
        return render(request, "cases/report_track.html", {"track_form": form}, status=404)
    return render(request, "cases/report_track.html", {"track_form": form}, status=400)


def _not_found(code: str) -> str:
    return _("No report has the code %(code)s. Check it against the page or email you got when you sent it.") % {
        "code": code.strip()
    }


def report_status(request, code):
    report = selectors.report_find_by_code(code)
    if report is None:
        form = TrackForm({"code": code})
        form.is_valid()
        form.add_error("code", _not_found(code))
        return render(request, "cases/report_track.html", {"track_form": form}, status=404)
    if report.tracking_code != code:
        return redirect("cases:report-status", code=report.tracking_code)
    return render(request, "cases/report_status.html", {"report": report})
