"""One chokepoint answers "is this person on this charity's staff (with this role)":
`charities.selectors`. Every other module asks it; a test keeps it that way."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from charities.models import Membership
from charities.selectors import is_staff_of, staff_charity_ids, staff_require
from charities.tests.factories import CharityFactory
from core.errors import NotAllowed

APPS = ("accounts", "attendance", "cases", "charities", "core", "matching", "notifications", "volunteers")
# A membership looked up by its person: that is the staff check.
BY_PERSON = re.compile(r"(Membership\.objects\.filter\([^)]*\buser\b|memberships__user|charity_memberships__user)")


def test_no_module_but_the_selectors_checks_membership_by_person():
    offenders = []
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if (
                "tests" in path.parts
                or "migrations" in path.parts
                or (path.name == "selectors.py" and app == "charities")
            ):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if BY_PERSON.search(line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []


@pytest.mark.django_db
def test_the_chokepoint_knows_roles_and_refuses_outsiders(make_user):
    charity, other = CharityFactory(), CharityFactory()
    owner, coordinator, outsider = make_user("o@example.org"), make_user("c@example.org"), make_user("x@example.org")
    Membership.objects.create(charity=charity, user=owner, role=Membership.Role.OWNER)
    Membership.objects.create(charity=charity, user=coordinator, role=Membership.Role.COORDINATOR)
    assert is_staff_of(owner, charity) and is_staff_of(coordinator, charity.pk)
    assert is_staff_of(owner, charity, role=Membership.Role.OWNER)
    assert not is_staff_of(coordinator, charity, role=Membership.Role.OWNER)
    assert not is_staff_of(outsider, charity) and not is_staff_of(owner, other) and not is_staff_of(owner, None)
    assert set(staff_charity_ids(owner).values_list("charity_id", flat=True)) == {charity.pk}
    with pytest.raises(NotAllowed):
        staff_require(outsider, charity)
    with pytest.raises(NotAllowed, match="owner"):
        staff_require(coordinator, charity, role=Membership.Role.OWNER, message="Only the owner")
    staff_require(coordinator, charity)
