"""No form hides an error behind another: one submit shows every mistake, in a summary
linking to each field, and every `aria-describedby` names an id the page has."""

import re

import pytest

from cases.models import Report
from core.models import Region
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def described_ids_exist(html: str) -> list[str]:
    """The ids `aria-describedby` points at that the page lacks (should be none)."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    wanted = {i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()}
    return sorted(wanted - ids)


def summary_links(html: str) -> list[str]:
    summary = re.search(r'class="alert alert-danger vb-error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


def test_an_empty_report_shows_every_error_at_once_and_keeps_what_was_typed(client):
    response = client.post(
        "/en/report/", {"description": "", "location_text": "Helwan, near the mosque", "urgency": 1, "website": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    for message in ("Describe what is needed.", "Choose the region.", "Confirm that the people concerned agree"):
        assert message in html
    assert set(summary_links(html)) >= {"id_description", "id_region", "id_consent"}
    assert "Please correct these 3 problems" in html
    assert 'value="Helwan, near the mosque"' in html
    assert 'id="id_description_error"' in html and 'id="id_contact_helptext"' in html
    assert described_ids_exist(html) == []
    assert not Report.objects.exists()


def test_the_profile_shows_name_phone_location_and_hours_errors_in_one_page(client, volunteer):
    client.force_login(volunteer)
    response = client.post(
        "/en/volunteer/profile/",
        {
            "display_name": "",
            "region": "EG-C",
            "phone": "12345",
            "latitude": "95",
            "longitude": "31",
            "max_hours_per_week": "500",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert set(summary_links(html)) == {"id_display_name", "id_phone", "id_latitude", "id_max_hours_per_week"}
    for message in ("valid Egyptian (+20) or Saudi", "not on Earth", "from 1 to 168", "This field is required"):
        assert message in html
    assert 'value="12345"' in html and 'value="500"' in html
    assert described_ids_exist(html) == []
    assert VolunteerProfile.objects.get(user=volunteer).display_name == "Mona"


def test_onboarding_shows_the_name_region_and_time_errors_together(client, plain_user):
    client.force_login(plain_user)
    response = client.post("/en/volunteer/onboarding/", {"display_name": "", "weekday": "5", "start": "25:00"})
    html = response.content.decode()
    assert response.status_code in (200, 400)
    links = summary_links(html)
    assert {"id_display_name", "id_region", "id_activity_types_0"} <= set(links)
    assert described_ids_exist(html) == []


@pytest.mark.parametrize(
    ("person", "path"),
    [
        (None, "/ar/report/"),
        ("volunteer", "/ar/volunteer/profile/"),
        ("plain_user", "/ar/charities/register/"),
        ("charity_owner", "/ar/cases/new/"),
    ],
)
def test_every_form_names_only_ids_that_exist_after_an_empty_submit(client, request, person, path):
    if person:
        client.force_login(request.getfixturevalue(person))
    if path == "/ar/cases/new/":
        request.getfixturevalue("verified_charity")
    html = client.post(path, {}).content.decode()
    assert "vb-error-summary" in html
    assert described_ids_exist(html) == []


def test_the_api_names_every_bad_field_of_a_report(client):
    response = client.post("/api/v1/reports/", {"description": ""}, content_type="application/json")
    assert response.status_code == 400
    assert {"description", "region"} <= set(response.json())


def test_a_region_is_still_checked_when_the_description_is_missing(client):
    region = Region.objects.get(code="EG-C")
    response = client.post("/en/report/", {"description": "", "region": region.pk, "urgency": 1})
    html = response.content.decode()
    assert "Choose the region." not in html and "Describe what is needed." in html
