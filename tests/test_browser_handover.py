"""In Arabic on a phone: another charity asks for a case, the holder's owner accepts
on the dashboard, the confirmed volunteer reads who organises them now; then the new
charity closes the case and the volunteer's commitment is withdrawn with a notice."""

import pytest

from cases.models import Case, CaseHandover
from charities.models import Charity
from matching import services
from matching.models import Match
from matching.tests.factories import SAT, make_need, make_volunteer, weekly
from tests.browser import screenshot, sign_in, signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


def test_a_case_changes_hands_and_is_closed_in_arabic(
    live_server, browser, page, verified_charity, charity_owner, other_charity_staff
):
    volunteer = make_volunteer("huda", display_name="هدى", slots=[weekly(SAT, "09:00", "13:00")])
    need = make_need(charity=verified_charity, volunteers_needed=2, description="توزيع بطاطين")
    services.match_propose_for_need(need_id=need.pk)
    match = need.matches.get(volunteer=volunteer)
    services.match_approve(match=match, user=charity_owner)
    services.match_accept(match=match, user=volunteer.user)
    case = need.case
    taker = Charity.objects.get(memberships__user=other_charity_staff)

    # 1. Staff of another charity serving Cairo ask for the case from its page.
    asking = signed_in_page(browser, live_server, other_charity_staff)
    asking.goto(f"{live_server.url}/ar/cases/{case.pk}/")
    assert asking.get_attribute("html", "dir") == "rtl"
    asking.fill(f"#handover-message-{taker.pk}", "نعمل في هذا الحي كل أسبوع")
    asking.get_by_role("button", name=f"اطلب نقل هذه الحالة إلى {taker.name}").click()
    asking.wait_for_load_state()
    assert CaseHandover.objects.filter(status="pending").exists()
    screenshot(asking, "handover_requested_ar")

    # 2. The holder's owner reads the request with its message and accepts it.
    owner = signed_in_page(browser, live_server, charity_owner)
    owner.goto(f"{live_server.url}/ar/dashboard/?charity={verified_charity.pk}")
    assert "نعمل في هذا الحي كل أسبوع" in owner.locator(".handover-message").inner_text()
    screenshot(owner, "handover_dashboard_ar")
    owner.locator("button[name=accept][value='1']").click()
    owner.wait_for_load_state()
    assert "أُبلغ متطوعوها" in owner.content() or case.title in owner.content()
    screenshot(owner, "handover_accepted_ar")
    assert Case.objects.get(pk=case.pk).charity_id == taker.pk
    assert Match.objects.get(pk=match.pk).charity_id == taker.pk

    # 3. The confirmed volunteer reads, in Arabic, who organises them now.
    sign_in(page, live_server, volunteer.user)
    page.goto(f"{live_server.url}/ar/notifications/")
    assert "نقل بين الجمعيات" in page.content()
    screenshot(page, "handover_volunteer_notice_ar")

    # 4. The new charity closes the case: the commitment is withdrawn and the volunteer told.
    asking.goto(f"{live_server.url}/ar/cases/{case.pk}/")
    asking.get_by_role("button", name="اجعلها: مغلقة").click()
    asking.wait_for_load_state()
    assert "أصبحت الحالة: مغلقة" in asking.content()
    asking.locator(".case-finished").wait_for()
    assert asking.get_by_role("link", name="أضف احتياجًا").count() == 0
    screenshot(asking, "case_closed_ar")
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    assert Match.objects.get(pk=match.pk).status == Match.Status.CANCELLED
    page.goto(f"{live_server.url}/ar/notifications/")
    assert "أُلغي" in page.content() or "ألغي" in page.content()
    screenshot(page, "case_closed_volunteer_notice_ar")
