"""Every URL pattern is a page the browser checks look at (tests/journeys.py) or is
excluded there with its reason: a new page cannot slip past axe-core and the tap-target
check unnoticed."""

import pytest

from tests.journeys import EXCLUDED, EXCLUDED_ROUTES, journeys, pages_world, url_patterns, view_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(world) -> set[str]:
    world.pages = pages_world(world)
    return {view_name(page.path, lang) for lang in ("ar", "en") for page in journeys(world, lang)}


def test_every_url_is_a_checked_page_or_excluded_with_a_reason(checked):
    patterns = {(route, name) for route, name in url_patterns()}
    unknown = sorted(
        f"{route} ({name})"
        for route, name in patterns
        if name not in checked
        and name not in EXCLUDED
        and not any(
            route.removeprefix(lang).startswith(start) for start in EXCLUDED_ROUTES for lang in ("ar/", "en/", "")
        )
    )
    assert not unknown, "add to tests/journeys.py (journeys or EXCLUDED): " + ", ".join(unknown)


def test_nothing_is_both_checked_and_excluded_and_every_exclusion_exists(checked):
    names = {name for _, name in url_patterns()}
    assert not checked & set(EXCLUDED)
    assert set(EXCLUDED) <= names, set(EXCLUDED) - names
    assert all(EXCLUDED.values())


def test_the_walk_finds_pages_of_every_app():
    names = {name for _, name in url_patterns()}
    assert {"home", "cases:detail", "attendance:my_hours", "volunteers:guardian-answer", "verify"} <= names
