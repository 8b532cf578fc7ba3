import datetime as dt

import pytest

from accounts.models import User
from volunteers.models import AvailabilitySlot, VolunteerProfile
from volunteers.services import availability_slot_add
from volunteers.tests.factories import UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, volunteer):
    client.force_login(volunteer)
    return client


@pytest.fixture
def slot(volunteer):
    return availability_slot_add(volunteer=volunteer.volunteer_profile, weekday=5, start="09:00", end="13:00")


def test_sign_up_leads_to_onboarding_in_the_same_language(client, db):
    response = client.post(
        "/ar/accounts/signup/",
        {"email": "nour@example.org", "password1": "a-long-pass-2027", "password2": "a-long-pass-2027"},
    )
    assert response["Location"] == "/ar/volunteer/onboarding/"


def test_onboarding_creates_the_profile_and_first_slot(client, db):
    client.force_login(UserFactory())
    response = client.post(
        "/ar/volunteer/onboarding/",
        {
            "display_name": "نور",
            "region": "EG-ALX",
            "activity_types": ["food_baskets", "tutoring"],
            "weekday": "5",
            "start": "٠٩:٣٠",
            "end": "١٢:٠٠",
        },
    )
    assert response["Location"] == "/ar/volunteer/"
    profile = VolunteerProfile.objects.get()
    assert (profile.display_name, profile.region.code, profile.activity_mask) == ("نور", "EG-ALX", 1 | 1 << 8)
    assert [(s.weekday, s.start, s.end) for s in AvailabilitySlot.objects.all()] == [(5, 570, 720)]


def test_onboarding_with_a_bad_time_saves_nothing_and_says_why_in_arabic(client, db):
    client.force_login(UserFactory())
    response = client.post(
        "/ar/volunteer/onboarding/",
        {
            "display_name": "نور",
            "region": "EG-C",
            "activity_types": ["iftar"],
            "weekday": "5",
            "start": "12:00",
            "end": "09:00",
        },
    )
    assert response.status_code == 200
    assert "يجب أن تكون النهاية بعد البداية" in response.content.decode()
    assert not VolunteerProfile.objects.exists()


def test_the_dashboard_sends_a_volunteer_without_profile_to_onboarding(client, db):
    client.force_login(UserFactory())
    assert client.get("/ar/volunteer/")["Location"] == "/ar/volunteer/onboarding/"


def test_onboarding_is_skipped_once_there_is_a_profile(signed_in):
    assert signed_in.get("/ar/volunteer/onboarding/")["Location"] == "/ar/volunteer/"


@pytest.mark.parametrize(
    "path", ["/ar/volunteer/", "/ar/volunteer/onboarding/", "/ar/volunteer/privacy/", "/ar/volunteer/slots/"]
)
def test_pages_ask_anonymous_visitors_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_arabic_dashboard_starts_the_week_on_saturday(signed_in, slot):
    html = signed_in.get("/ar/volunteer/").content.decode()
    assert html.index("السبت") < html.index("الأحد") < html.index("الجمعة")
    assert "09:00" in html and "9:00 ص" not in html  # one 24-hour clock per language (core.formats)
    assert "لا توجد التزامات بعد" in html
    english = signed_in.get("/en/volunteer/").content.decode()
    assert english.index("Monday") < english.index("Saturday")
    assert "09:00" in english and "a.m." not in english


def test_the_nav_links_to_my_volunteering_when_signed_in(signed_in, client):
    assert 'href="/ar/volunteer/"' in signed_in.get("/ar/").content.decode()


def test_the_dashboard_takes_constant_queries(signed_in, volunteer, django_assert_max_num_queries):
    profile = volunteer.volunteer_profile
    day = dt.date.today() + dt.timedelta(days=3)
    for count in (2, 20):
        for n in range(count):
            availability_slot_add(volunteer=profile, weekday=n % 7, start=f"{n // 7:02d}:00", end=f"{n // 7:02d}:30")
        availability_slot_add(volunteer=profile, date=day, start=f"{count:02d}:00", end=f"{count:02d}:30")
        with django_assert_max_num_queries(14):
            assert signed_in.get("/ar/volunteer/").status_code == 200


def test_htmx_opens_a_form_in_the_days_row(signed_in):
    response = signed_in.get("/ar/volunteer/slots/?weekday=3", **HTMX)
    html = response.content.decode()
    assert html.startswith('<div id="weekly-grid"') or 'id="weekly-grid"' in html[:200]
    assert 'name="start"' in html and "<html" not in html


def test_htmx_adds_a_slot_and_returns_the_grid(signed_in, volunteer):
    response = signed_in.post(
        "/ar/volunteer/slots/add/", {"kind": "weekly", "weekday": "3", "start": "22:00", "end": "24:00"}, **HTMX
    )
    assert response.status_code == 200
    assert "منتصف الليل" in response.content.decode()
    assert AvailabilitySlot.objects.filter(volunteer__user=volunteer, weekday=3, end=1440).exists()


def test_a_bad_slot_comes_back_with_the_error_and_saves_nothing(signed_in):
    response = signed_in.post(
        "/ar/volunteer/slots/add/", {"kind": "weekly", "weekday": "3", "start": "22:00", "end": "21:00"}, **HTMX
    )
    assert "يجب أن تكون النهاية بعد البداية" in response.content.decode()
    assert not AvailabilitySlot.objects.exists()


def test_without_htmx_adding_a_slot_returns_to_the_dashboard(signed_in):
    response = signed_in.post("/ar/volunteer/slots/add/", {"kind": "weekly", "weekday": "1", "start": "8", "end": "9"})
    assert response.status_code == 400  # "8" is not HH:MM
    response = signed_in.post(
        "/ar/volunteer/slots/add/", {"kind": "weekly", "weekday": "1", "start": "08:00", "end": "09:00"}
    )
    assert response["Location"] == "/ar/volunteer/"
    assert AvailabilitySlot.objects.count() == 1


def test_a_dated_slot_is_added_to_the_dated_list(signed_in):
    day = dt.date.today() + dt.timedelta(days=5)
    response = signed_in.post(
        "/ar/volunteer/slots/add/", {"kind": "dated", "date": day.isoformat(), "start": "16:00", "end": "20:00"}, **HTMX
    )
    assert 'id="dated-slots"' in response.content.decode()
    assert AvailabilitySlot.objects.get().date == day


def test_editing_and_removing_a_slot(signed_in, slot):
    form = signed_in.get(f"/ar/volunteer/slots/{slot.pk}/edit/", **HTMX).content.decode()
    assert 'value="09:00"' in form
    signed_in.post(f"/ar/volunteer/slots/{slot.pk}/edit/", {"weekday": "5", "start": "10:00", "end": "14:00"}, **HTMX)
    slot.refresh_from_db()
    assert (slot.start, slot.end) == (600, 840)
    signed_in.post(f"/ar/volunteer/slots/{slot.pk}/delete/", **HTMX)
    assert not AvailabilitySlot.objects.exists()
    assert signed_in.post(f"/ar/volunteer/slots/{slot.pk}/delete/", **HTMX).status_code == 404


def test_another_volunteers_slot_cannot_be_edited_or_removed(signed_in, other_volunteer):
    theirs = availability_slot_add(volunteer=other_volunteer.volunteer_profile, weekday=1, start="08:00", end="09:00")
    assert signed_in.get(f"/ar/volunteer/slots/{theirs.pk}/edit/").status_code == 404
    edit = {"weekday": "1", "start": "01:00", "end": "02:00"}
    assert signed_in.post(f"/ar/volunteer/slots/{theirs.pk}/edit/", edit).status_code == 404
    assert signed_in.post(f"/ar/volunteer/slots/{theirs.pk}/delete/").status_code == 404
    assert AvailabilitySlot.objects.filter(pk=theirs.pk, start=480).exists()


def test_deleting_a_slot_needs_post(signed_in, slot):
    assert signed_in.get(f"/ar/volunteer/slots/{slot.pk}/delete/").status_code == 405
    assert AvailabilitySlot.objects.exists()


def test_the_profile_form_saves_and_normalises(signed_in, volunteer):
    response = signed_in.post(
        "/ar/volunteer/profile/",
        {
            "display_name": "منى",
            "region": "EG-GZ",
            "activity_types": ["iftar"],
            "phone": "٠١٠٠١٢٣٤٥٦٧",
            "max_hours_per_week": "٦",
            "latitude": "30.0",
            "longitude": "31.2",
        },
    )
    assert response["Location"] == "/ar/volunteer/"
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert (profile.display_name, profile.region.code, profile.phone) == ("منى", "EG-GZ", "+201001234567")
    assert (profile.max_hours_per_week, profile.latitude, profile.activity_mask) == (6, 30.0, 1 << 1)


def test_the_profile_form_shows_a_bad_phone_and_saves_nothing(signed_in, volunteer):
    response = signed_in.post("/ar/volunteer/profile/", {"display_name": "X", "region": "EG-C", "phone": "12345"})
    assert response.status_code == 400
    assert "أدخل رقم هاتف مصري" in response.content.decode()
    assert VolunteerProfile.objects.get(user=volunteer).display_name == "Mona"


def test_the_browser_export_downloads_json(signed_in, slot):
    response = signed_in.get("/ar/volunteer/privacy/export/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response.json()["availability"][0]["start"] == "09:00"


def test_deleting_in_the_browser_needs_the_box_ticked_and_the_password(signed_in, volunteer):
    assert signed_in.post("/ar/volunteer/privacy/delete/")["Location"] == "/ar/volunteer/privacy/"
    refused = signed_in.post("/ar/volunteer/privacy/delete/", {"confirm": "yes"})
    assert refused["Location"] == "/ar/volunteer/privacy/"
    refused = signed_in.post("/ar/volunteer/privacy/delete/", {"confirm": "yes", "password": "wrong"})
    assert refused["Location"] == "/ar/volunteer/privacy/"
    assert User.objects.get(pk=volunteer.pk).is_active
    response = signed_in.post("/ar/volunteer/privacy/delete/", {"confirm": "yes", "password": "s3cret-pass!"})
    assert response["Location"] == "/ar/"
    user = User.objects.get(pk=volunteer.pk)
    assert not user.is_active and user.email.endswith("@deleted.invalid")
    assert signed_in.get("/ar/volunteer/").status_code == 302  # signed out


def test_onboarding_asks_for_at_least_one_activity(client, db):
    client.force_login(UserFactory())
    response = client.post("/ar/volunteer/onboarding/", {"display_name": "نور", "region": "EG-C"})
    assert response.status_code == 200
    assert 'name="activity_types"' in response.content.decode()
    assert response.context["form"].errors["activity_types"]
    assert not VolunteerProfile.objects.exists()
