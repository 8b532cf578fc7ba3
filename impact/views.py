"""Impact pages: the charity's dashboard (its staff), its CSV and one-page PDF, the
public share page with Open Graph tags, the platform page and the moderators' figures.
Each reads rollups through `impact.selectors`: the same few queries at any size."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from core.errors import InvalidInput
from impact import figures, pdf, selectors
from impact.forms import ImpactFilterForm
from impact.regions_map import legend, region_maps


def _charity_context(request, charity, form: ImpactFilterForm) -> dict:
    period, case = form.choice()
    found = selectors.charity_impact(charity, period=period, case=case)
    return {
        "charity": charity,
        "form": form,
        "figures": found,
        "headline": figures.charity_headline(found),
        "charts": figures.charity_charts(found),
        "period_label": figures.period_label(period),
        "query": period.query + (f"&case={case.pk}" if case else ""),
        "share_url": request.build_absolute_uri(reverse("impact:share", args=[charity.pk])),
    }


@login_required
@require_safe
def charity_impact(request, pk):
    """The staff's dashboard: charts with their tables, filtered by period and case."""
    charity = selectors.charity_for_impact(request.user, pk)
    form = ImpactFilterForm(request.GET or None, charity=charity)
    return render(request, "impact/charity_impact.html", _charity_context(request, charity, form))


def _download(request, pk, *, render, content_type: str, extension: str) -> HttpResponse:
    """The staff's figures as a file: (period, case) from the query, or a translated 400
    (plain text: a download link has no page to show the form's errors on)."""
    charity = selectors.charity_for_impact(request.user, pk)
    try:
        period = selectors.period_parse(request.GET.get("from"), request.GET.get("to"))
        case = selectors.case_for_impact(charity, request.GET.get("case"))
    except InvalidInput as error:
        return HttpResponseBadRequest(str(error.message), content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        render(selectors.charity_impact(charity, period=period, case=case)), content_type=content_type
    )
    name = f"impact-{charity.pk}-{period.first:%Y-%m}-{period.last:%Y-%m}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def charity_impact_csv(request, pk):
    return _download(request, pk, render=figures.charity_csv, content_type="text/csv; charset=utf-8", extension="csv")


@login_required
@require_safe
def charity_impact_pdf(request, pk):
    language = translation.get_language()
    return _download(
        request,
        pk,
        render=lambda found: pdf.impact_pdf(found, language=language),
        content_type="application/pdf",
        extension="pdf",
    )


@require_safe
def charity_share(request, pk):
    """Public: a verified charity's headline figures, with Open Graph tags for a post."""
    charity = selectors.charity_for_share(pk)
    context = {"charity": charity, "page_url": request.build_absolute_uri()}
    context.update(figures.public_headline(selectors.charity_headline(charity.pk)))
    context["summary"] = translation.gettext(
        "%(name)s · hours given: %(hours)s · volunteers: %(volunteers)s · cases resolved: %(cases)s"
    ) % {
        "name": charity.name,
        "hours": context["hours"],
        "volunteers": context["volunteers"],
        "cases": context["cases_resolved"],
    }
    return render(request, "impact/charity_share.html", context)


@require_safe
def platform(request):
    """Public: the platform's totals by region (with the map) and by activity."""
    stats = selectors.platform_stats()
    context = {
        "stats": stats,
        "charts": figures.platform_charts(stats),
        "hours": figures.hours_text(stats["minutes"]),
        "volunteers": figures.number(stats["volunteers"]),
        "charities": figures.number(stats["charities"]),
        "cases_resolved": figures.number(stats["cases_resolved"]),
        "regions": [
            {
                "name": row["region"].name,
                "hours": figures.hours_text(row["minutes"]),
                "volunteers": figures.number(row["volunteers"]),
            }
            for row in sorted(stats["regions"], key=lambda row: -row["minutes"])
        ],
        "maps": region_maps(stats["regions"], title=_map_title()),
        "legend": legend(stats["regions"]),
    }
    return render(request, "impact/platform.html", context)


def _map_title() -> str:
    return translation.gettext("Hours given in each region")


@login_required
@require_safe
def moderation(request):
    """Moderators only (404 for anyone else): the queue over time, reports per region,
    time to decision."""
    stats = selectors.moderation_stats_for(request.user)
    return render(request, "impact/moderation.html", {"stats": stats, "charts": figures.moderation_charts(stats)})
