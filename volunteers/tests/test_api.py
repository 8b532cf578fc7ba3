import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify
from volunteers.models import AvailabilitySlot, VolunteerProfile
from volunteers.services import availability_slot_add
from volunteers.tests.factories import UserFactory

PROFILE, SLOTS = "/api/v1/me/profile/", "/api/v1/me/availability/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_volunteer(api, volunteer):
    api.force_authenticate(volunteer)
    return api


@pytest.fixture
def slot(volunteer):
    return availability_slot_add(volunteer=volunteer.volunteer_profile, weekday=5, start="09:00", end="13:00")


@pytest.fixture
def others_slot(other_volunteer):
    return availability_slot_add(volunteer=other_volunteer.volunteer_profile, weekday=4, start="16:00", end="18:00")


def _future(days=14):
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


# --- profile ---


def test_the_profile_reads_as_the_contract_says(as_volunteer):
    response = as_volunteer.get(PROFILE)
    assert response.status_code == 200
    assert response.json() == {
        "display_name": "Mona",
        "phone": "",
        "sms_number": "",
        "whatsapp_number": "",
        "region": "EG-C",
        "activity_types": ["food_baskets"],
        "skills": [],
        "languages": [],
        "gender": "",
        "birth_date": None,
        "location": None,
        "guardian_consent": False,
        "is_minor": False,
        "max_hours_per_week": None,
        "paused_until": None,
    }


def test_a_new_user_creates_the_profile_with_a_first_patch(api, db):
    user = UserFactory()
    api.force_authenticate(user)
    assert api.get(PROFILE).status_code == 404
    response = api.patch(
        PROFILE,
        {
            "region": "SA-02",
            "display_name": "Khalid",
            "phone": "٠٥٠١٢٣٤٥٦٧",
            "activity_types": ["hajj_umrah", "iftar"],
            "skills": ["first_aid"],
            "languages": ["ar", "ur"],
            "location": {"lat": 21.42, "lon": 39.82},
            "birth_date": "١٩٩٠-٠٥-٠١",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["phone"] == "+966501234567"
    assert body["birth_date"] == "1990-05-01"
    assert sorted(body["activity_types"]) == ["hajj_umrah", "iftar"]
    assert body["location"] == {"lat": 21.42, "lon": 39.82}
    assert api.get(PROFILE).json() == body


def test_patch_changes_only_what_it_names_and_repeats_harmlessly(as_volunteer, volunteer):
    for _ in range(2):
        response = as_volunteer.patch(PROFILE, {"skills": ["driving"], "paused_until": _future()}, format="json")
        assert response.status_code == 200
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert [s.slug for s in profile.skills.all()] == ["driving"]
    assert profile.display_name == "Mona" and profile.region.code == "EG-C"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"region": "XX-1"}, "region"),
        ({"activity_types": ["unknown"]}, "activity_types"),
        ({"skills": ["unknown"]}, "skills"),
        ({"phone": "+1 202 555 0143"}, "phone"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
    ],
)
def test_bad_profile_input_is_400_naming_the_field_and_saves_nothing(as_volunteer, volunteer, body, field):
    response = as_volunteer.patch(PROFILE, {"display_name": "Changed", **body}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert VolunteerProfile.objects.get(user=volunteer).display_name == "Mona"


def test_errors_come_in_the_language_asked_for(as_volunteer):
    arabic = as_volunteer.patch(PROFILE, {"phone": "123"}, format="json", HTTP_ACCEPT_LANGUAGE="ar")
    english = as_volunteer.patch(PROFILE, {"phone": "123"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "Egyptian" in english.json()["phone"][0]
    assert "مصري" in arabic.json()["phone"][0]


def test_a_first_patch_without_region_is_refused(api, db):
    api.force_authenticate(UserFactory())
    response = api.patch(PROFILE, {"display_name": "X"}, format="json")
    assert response.status_code == 400 and "region" in response.json()
    assert not VolunteerProfile.objects.exists()


@pytest.mark.parametrize("path", [PROFILE, SLOTS, f"{SLOTS}1/", "/api/v1/me/export/"])
def test_anonymous_callers_are_refused(api, db, path):
    assert api.get(path).status_code in (401, 403)
    assert api.patch(path, {}, format="json").status_code in (401, 403)


def test_wrong_methods_are_refused(as_volunteer, slot):
    assert as_volunteer.post(PROFILE, {}, format="json").status_code == 405
    assert as_volunteer.delete(PROFILE).status_code == 405
    assert as_volunteer.get(f"{SLOTS}{slot.pk}/").status_code == 405
    assert as_volunteer.patch(f"{SLOTS}{slot.pk}/", {}, format="json").status_code == 405
    assert as_volunteer.delete(SLOTS).status_code == 405


# --- availability ---


def test_slots_round_trip_with_the_contracts_fields(as_volunteer):
    day = _future()
    weekly = as_volunteer.post(SLOTS, {"weekday": 5, "start": "٠٩:٣٠", "end": "24:00"}, format="json")
    dated = as_volunteer.post(SLOTS, {"date": day, "weekday": None, "start": "16:00", "end": "20:00"}, format="json")
    assert weekly.status_code == dated.status_code == 201
    assert weekly.json() == {"id": weekly.json()["id"], "weekday": 5, "date": None, "start": "09:30", "end": "24:00"}
    assert dated.json() == {"id": dated.json()["id"], "weekday": None, "date": day, "start": "16:00", "end": "20:00"}
    listed = as_volunteer.get(SLOTS).json()
    assert listed["count"] == 2
    assert {s["id"] for s in listed["results"]} == {weekly.json()["id"], dated.json()["id"]}


def test_a_slot_that_touches_another_comes_back_merged(as_volunteer, slot):
    response = as_volunteer.post(SLOTS, {"weekday": 5, "start": "13:00", "end": "15:00"}, format="json")
    assert response.status_code == 201
    assert response.json() == {"id": slot.pk, "weekday": 5, "date": None, "start": "09:00", "end": "15:00"}
    assert AvailabilitySlot.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekday": 5, "start": "13:00", "end": "09:00"}, "end"),
        ({"weekday": 5, "date": "2099-01-02", "start": "09:00", "end": "10:00"}, "weekday"),
        ({"start": "09:00", "end": "10:00"}, "weekday"),
        ({"weekday": 9, "start": "09:00", "end": "10:00"}, "weekday"),
        ({"date": "2001-01-01", "start": "09:00", "end": "10:00"}, "date"),
        ({"weekday": 1, "start": "00:00", "end": "20:00"}, "end"),
        ({"weekday": 1, "start": "25:00", "end": "26:00"}, "start"),
        ({"weekday": 1, "end": "10:00"}, "start"),
    ],
)
def test_bad_slots_are_400_naming_the_field_and_save_nothing(as_volunteer, body, field):
    response = as_volunteer.post(SLOTS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not AvailabilitySlot.objects.exists()


def test_more_than_fifty_slots_are_refused(as_volunteer, volunteer):
    profile = volunteer.volunteer_profile
    for n in range(50):
        availability_slot_add(volunteer=profile, weekday=n % 7, start=f"{n // 7:02d}:00", end=f"{n // 7:02d}:30")
    response = as_volunteer.post(SLOTS, {"weekday": 6, "start": "20:00", "end": "21:00"}, format="json")
    assert response.status_code == 400
    assert "50" in response.json()["detail"]
    assert AvailabilitySlot.objects.count() == 50


def test_adding_a_slot_without_a_profile_is_a_conflict(api, db):
    api.force_authenticate(UserFactory())
    response = api.post(SLOTS, {"weekday": 5, "start": "09:00", "end": "10:00"}, format="json")
    assert response.status_code == 409
    assert not AvailabilitySlot.objects.exists()


def test_put_replaces_a_slot(as_volunteer, slot):
    response = as_volunteer.put(f"{SLOTS}{slot.pk}/", {"weekday": 6, "start": "18:00", "end": "22:00"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": slot.pk, "weekday": 6, "date": None, "start": "18:00", "end": "22:00"}
    slot.refresh_from_db()
    assert (slot.weekday, slot.start, slot.end) == (6, 1080, 1320)


def test_put_with_bad_input_leaves_the_slot_unchanged(as_volunteer, slot):
    response = as_volunteer.put(f"{SLOTS}{slot.pk}/", {"weekday": 6, "start": "18:00", "end": "17:00"}, format="json")
    assert response.status_code == 400 and "end" in response.json()
    slot.refresh_from_db()
    assert (slot.weekday, slot.start, slot.end) == (5, 540, 780)


def test_delete_removes_a_slot_then_404s(as_volunteer, slot):
    assert as_volunteer.delete(f"{SLOTS}{slot.pk}/").status_code == 204
    assert not AvailabilitySlot.objects.exists()
    assert as_volunteer.delete(f"{SLOTS}{slot.pk}/").status_code == 404


def test_another_volunteers_slot_is_404_and_untouched(as_volunteer, others_slot):
    url = f"{SLOTS}{others_slot.pk}/"
    assert as_volunteer.put(url, {"weekday": 1, "start": "01:00", "end": "02:00"}, format="json").status_code == 404
    assert as_volunteer.delete(url).status_code == 404
    others_slot.refresh_from_db()
    assert (others_slot.weekday, others_slot.start) == (4, 960)
    assert as_volunteer.get(SLOTS).json()["count"] == 0


def test_the_slot_list_takes_constant_queries(as_volunteer, volunteer, django_assert_max_num_queries):
    profile = volunteer.volunteer_profile
    for count in (3, 30):
        AvailabilitySlot.objects.filter(volunteer=profile).delete()
        for n in range(count):
            availability_slot_add(volunteer=profile, weekday=n % 7, start=f"{n // 7:02d}:00", end=f"{n // 7:02d}:30")
        with django_assert_max_num_queries(4):
            response = as_volunteer.get(f"{SLOTS}?page_size=100")
        assert response.json()["count"] == count


def test_the_api_works_with_a_headless_session_token(api, volunteer):
    login = api.post(
        "/_allauth/app/v1/auth/login", {"email": volunteer.email, "password": "s3cret-pass!"}, format="json"
    )
    assert login.status_code == 200, login.json()
    token = login.json()["meta"]["session_token"]
    response = api.post(
        SLOTS, {"weekday": 0, "start": "10:00", "end": "11:00"}, format="json", HTTP_X_SESSION_TOKEN=token
    )
    assert response.status_code == 201


# --- privacy ---


def test_the_export_holds_the_account_profile_slots_and_notifications(as_volunteer, volunteer, slot, others_slot):
    notify(kind="case_update", event_key="case:1:update:1", context={"case": 1}, recipients=[volunteer])
    response = as_volunteer.get("/api/v1/me/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["account"]["email"] == volunteer.email
    assert data["volunteer_profile"]["display_name"] == "Mona"
    assert data["availability"] == [
        {"kind": "weekly", "weekday": 5, "date": None, "start": "09:00", "end": "13:00", "timezone": "Africa/Cairo"}
    ]
    assert {(n["kind"], n["channel"]) for n in data["notifications"]} == {
        ("case_update", "in_app"),
        ("case_update", "email"),
    }


def test_deleting_the_account_anonymises_it_and_keeps_the_rows(as_volunteer, volunteer, slot):
    notify(kind="case_update", event_key="case:1:update:1", context={"case": 1}, recipients=[volunteer])
    refused = as_volunteer.delete("/api/v1/me/")
    assert refused.status_code == 403 and "password" in refused.json()  # no recent sign-in, no password
    assert as_volunteer.delete("/api/v1/me/", {"password": "wrong"}, format="json").status_code == 403
    assert User.objects.get(pk=volunteer.pk).is_active
    assert as_volunteer.delete("/api/v1/me/", {"password": "s3cret-pass!"}, format="json").status_code == 204
    user = User.objects.get(pk=volunteer.pk)
    assert not user.is_active and not user.has_usable_password()
    assert "example.org" not in user.email and user.username == user.email
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.anonymised_at and profile.display_name == "" and profile.phone == ""
    assert profile.skill_mask == 0 and profile.activity_mask == 0
    assert not AvailabilitySlot.objects.exists()
    assert Notification.objects.filter(recipient=user).count() == 2
    assert all(n.context == {} for n in Notification.objects.filter(recipient=user))


def test_a_deleted_account_can_no_longer_sign_in_or_use_its_token(api, volunteer):
    login = api.post(
        "/_allauth/app/v1/auth/login", {"email": volunteer.email, "password": "s3cret-pass!"}, format="json"
    )
    assert login.status_code == 200, login.json()
    token = login.json()["meta"]["session_token"]
    # Signed in moments ago: no password needed.
    assert api.delete("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 204
    assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code in (401, 403)
    again = api.post(
        "/_allauth/app/v1/auth/login", {"email": volunteer.email, "password": "s3cret-pass!"}, format="json"
    )
    assert again.status_code in (400, 401)


def test_get_me_still_answers_who_i_am(as_volunteer, volunteer):
    assert as_volunteer.get("/api/v1/me/").json()["email"] == volunteer.email


def test_the_export_lists_verified_numbers_and_deleting_forgets_numbers_and_browsers(as_volunteer, volunteer):
    from notifications.models import InboundMessage, PhoneVerification, PushSubscription
    from notifications.tests.factories import verify_phone

    verify_phone(volunteer, "+201001234567", channel="whatsapp")
    PushSubscription.objects.create(user=volunteer, endpoint="https://push.example/1", p256dh="k", auth="a")
    InboundMessage.objects.create(channel="whatsapp", message_id="w1", sender="+201001234567", user=volunteer, text="1")
    exported = as_volunteer.get("/api/v1/me/export/").json()["verified_phones"]
    assert [(p["channel"], p["verified_number"]) for p in exported] == [("whatsapp", "+201001234567")]
    assert as_volunteer.delete("/api/v1/me/", {"password": "s3cret-pass!"}, format="json").status_code == 204
    assert not PhoneVerification.objects.exists() and not PushSubscription.objects.exists()
    assert InboundMessage.objects.get().sender == ""
