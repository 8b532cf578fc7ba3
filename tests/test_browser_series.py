"""Playwright in Arabic on a phone: a charity sets up "iftar at sunset every day of
Ramadan", sees the first days' local times before saving, and a volunteer commits
to the whole series with one answer."""

import datetime as dt

import pytest

from cases.models import Need, NeedSeries
from cases.tests.factories import CaseFactory
from matching.models import Match, SeriesCommitment
from matching.services import match_approve, match_propose_for_need
from matching.tests.factories import make_volunteer, weekly
from tests.browser import screenshot, sign_in, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_a_charity_sets_up_iftar_at_sunset_for_ramadan_and_a_volunteer_commits_to_it(
    live_server, browser, page, settings, verified_charity, charity_owner
):
    settings.SERIES_HORIZON_DAYS = 120  # Ramadan 1448 starts on 2027-02-08: every day exists at once
    case = CaseFactory(charity=verified_charity, title="إفطار صائم في شبرا")
    sign_in(page, live_server, charity_owner)

    page.goto(f"{live_server.url}/ar/cases/{case.pk}/needs/new/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.select_option("#id_activity_type", label="إفطار صائم")
    page.fill("#id_description", "تجهيز وتوزيع وجبات الإفطار")
    page.fill("#id_starts_at", "2027-02-08T17:00")
    page.select_option("#id_repeat", "daily")
    page.fill("#id_repeat_count", "٣٠")  # Arabic-Indic digits, as phones type them
    page.select_option("#id_anchor", "sunset")
    page.fill("#id_anchor_offset_minutes", "-15")
    page.fill("#id_duration_minutes", "١٢٠")
    page.fill("#id_volunteers_needed", "2")
    page.locator("#id_volunteers_needed").dispatch_event("change")
    preview = page.locator("[data-testid=preview-days] li")
    preview.first.wait_for()
    assert preview.count() == 5
    assert "30" in page.locator("#need-preview h2").inner_text()
    first_line = preview.first.inner_text()
    assert "17:2" in first_line and "19:2" in first_line  # sunset in Cairo on 8 February is about 17:37
    screenshot(page, "series-form-preview")
    assert not NeedSeries.objects.exists()  # the preview saves nothing

    page.get_by_role("button", name="أضف الاحتياج").click()
    page.locator("[data-testid=need-series]").wait_for()
    series = NeedSeries.objects.get()
    assert series.anchor == "sunset" and series.anchor_offset_minutes == -15
    assert series.occurrences.count() == 30
    rule = page.locator("[data-testid=series-rule]").inner_text()
    assert "كل يوم" in rule and "قبل الغروب" in rule
    screenshot(page, "series-case-page")

    # A volunteer free every evening is proposed, invited for the first day, and says yes to all.
    mona = make_volunteer(
        "mona", display_name="منى", activities=["iftar"], slots=[weekly(day, "16:00", "21:00") for day in range(7)]
    )
    needs = list(Need.objects.filter(series=series).order_by("starts_at"))
    for need in needs:
        match_propose_for_need(need_id=need.pk)
    first = Match.objects.get(need=needs[0], volunteer=mona)
    match_approve(match=first, user=charity_owner)

    volunteer_page = signed_in_page(browser, live_server, mona.user)
    volunteer_page.goto(f"{live_server.url}/ar/matching/me/")
    volunteer_page.locator("[data-testid=accept-series]").click()
    volunteer_page.locator("[data-testid=commitment]").first.wait_for()
    assert volunteer_page.locator("[data-testid=commitment]").count() == 30
    screenshot(volunteer_page, "series-volunteer-committed")
    assert Match.objects.filter(volunteer=mona, status=Match.Status.CONFIRMED).count() == 30
    assert SeriesCommitment.objects.filter(volunteer=mona, series=series).exists()
    starts = [n.starts_at.astimezone(series.region.zone) for n in needs]
    assert starts[-1].time() > starts[0].time()  # the sun sets later through Ramadan
    assert starts[-1] - starts[0] > dt.timedelta(days=28)
    volunteer_page.context.close()
