"""Fixtures every test may use: named people, and gates for real servers.

A test marked `postgres`, `redis`, `browser` or `pdf` is skipped, with the reason, when
that server is missing; with REQUIRE_SERVICES=1 (CI) it fails instead.
"""

import os
import shutil

import hypothesis
import pytest
from django.conf import settings
from django.db import connection

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

# Property tests check what comes out, not how fast: on a loaded 2-core machine drawing
# examples can be slow, which is no failure of the code under test.
hypothesis.settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("shared-machine")

pytest_plugins = ["tests.browser"]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _as_by_day(request, monkeypatch):
    """Quiet hours (22:00-07:00 in the person's zone, on by default) hold non-urgent
    email, SMS and WhatsApp until morning, so a test that sends at the real time would
    pass by day and fail by night (in Cairo from 20:00 UTC). Tests run as by day;
    those about quiet hours pin the clock and are marked `quiet_hours`."""
    if request.node.get_closest_marker("quiet_hours") is None:
        monkeypatch.setattr("notifications.services.quiet_hours_end", lambda row, moment: None)


def _missing(marker: str) -> str | None:
    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker == "redis":
        if not settings.REDIS_URL:
            return "needs Redis: set REDIS_URL=redis://..."
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            return f"needs Redis at REDIS_URL, which does not answer: {exc}"
    if marker == "browser" and not (os.path.exists(CHROMIUM) and shutil.which("chromium")):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    if marker == "pdf":
        try:
            import weasyprint  # noqa: F401 (loads Pango through cffi)
        except OSError as exc:
            return f"needs Pango for WeasyPrint (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
        if not shutil.which("pdftoppm"):
            return "needs pdftoppm (apt-get install poppler-utils)"
    return None


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, real workers) flush the database, and with it
    the reference data the migrations loaded; restore it for each of them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = (marker and marker.kwargs.get("transaction")) or fixtures & {"transactional_db", "live_server"}
        if transactional:
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser", "pdf"):
        if item.get_closest_marker(marker) and (reason := _missing(marker)):
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
            pytest.skip(reason)


@pytest.fixture
def make_user(db, django_user_model):
    counter = iter(range(1, 1_000_000))

    def make(email: str | None = None, **fields):
        n = next(counter)
        email = email or f"person{n}@example.org"
        user = django_user_model.objects.create_user(
            username=fields.pop("username", email),
            email=email,
            password=fields.pop("password", "s3cret-pass!"),
            **fields,
        )
        return user

    return make


@pytest.fixture
def moderator(make_user):
    return make_user("moderator@example.org", is_staff=True)


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def volunteer(db):
    """A signed-up volunteer in Cairo with a profile and no free time yet (volunteers app)."""
    from volunteers.services import profile_update
    from volunteers.tests.factories import UserFactory

    user = UserFactory(email="volunteer@example.org")
    profile_update(user=user, changes={"region": "EG-C", "display_name": "Mona", "activity_types": ["food_baskets"]})
    return user


@pytest.fixture
def other_volunteer(db):
    """Another volunteer, in Riyadh: the outsider for a volunteer's own data."""
    from volunteers.services import profile_update
    from volunteers.tests.factories import UserFactory

    user = UserFactory(email="other.volunteer@example.org")
    profile_update(user=user, changes={"region": "SA-01", "display_name": "Khalid"})
    return user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache; each test starts with none used, and with the
    reference choices read again (a test may add an activity type or region)."""
    from django.core.cache import cache

    from core.selectors import choices_forget

    cache.clear()
    choices_forget()


@pytest.fixture
def public_cache():
    """The shared cache of public pages and cards, empty before and after the test (tests
    that turn it on with PUBLIC_CACHE_SECONDS or PUBLIC_FRAGMENT_SECONDS read it back)."""
    from django.core.cache import caches

    cache = caches["public"]
    cache.clear()
    yield cache
    cache.clear()


# Charities and cases: named people for the permission matrix.


@pytest.fixture
def charity_owner(make_user):
    return make_user("owner@charity.example.org")


@pytest.fixture
def verified_charity(charity_owner):
    """A verified Cairo charity, owned by `charity_owner`."""
    from charities.models import Membership
    from charities.tests.factories import CharityFactory

    charity = CharityFactory(name_ar="جمعية رسالة", name_en="Resala")
    Membership.objects.create(charity=charity, user=charity_owner, role=Membership.Role.OWNER)
    return charity


@pytest.fixture
def other_charity_staff(make_user):
    """The owner of another verified charity, also serving Cairo."""
    from charities.models import Membership
    from charities.tests.factories import CharityFactory

    user = make_user("staff@other-charity.example.org")
    charity = CharityFactory(name_ar="جمعية الأورمان", name_en="Al-Orman")
    Membership.objects.create(charity=charity, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def moderator_with_permission(make_user):
    """A staff user granted `cases.moderate`, moderating every region."""
    from django.contrib.auth.models import Permission

    user = make_user("reviewer@example.org", is_staff=True, moderates_everywhere=True)
    user.user_permissions.add(Permission.objects.get(codename="moderate", content_type__app_label="cases"))
    return user


@pytest.fixture
def plain_user(make_user):
    """Signed in, but no charity and no moderation rights (a volunteer, say)."""
    return make_user("someone@example.org")


# Matching.


@pytest.fixture
def reference_data(transactional_db):
    """Regions, activity types and skills again: a transactional test's flush removes what the migration loaded."""
    from core.models import ActivityType, Region, Skill
    from core.reference import reference_data_load

    reference_data_load(region_model=Region, activity_type_model=ActivityType, skill_model=Skill)
