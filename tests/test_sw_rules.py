"""The service worker never keeps staff, charity, moderation, admin or account pages
offline: the rules in the worker's own code are read and run against real addresses."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    ("admin:index", ()),
    ("cases:moderation", ()),
    ("cases:audit", ()),
    ("cases:moderation-report", (1,)),
    ("cases:dashboard", ()),
    ("cases:create", ()),
    ("cases:edit", (3,)),
    ("cases:need-edit", (4,)),
    ("charities:webhooks", (5,)),
    ("charities:invite", (5,)),
    ("account_email", ()),
    ("mfa_activate_totp", ()),
]
VOLUNTEER_PAGES = [("home", ()), ("volunteers:dashboard", ()), ("cases:list", ()), ("cases:detail", (3,))]


def _addresses(names):
    paths = []
    for language in ("ar", "en"):
        with translation.override(language):
            paths += [reverse(name, args=args) for name, args in names]
    return paths


def _worker(client):
    return client.get("/sw.js").content.decode()


def _rules(body):
    return json.loads(re.search(r"const NEVER_CACHE = (\[.*?\]);", body, re.S).group(1))


def test_the_worker_lists_every_staff_area_as_never_cached(client):
    rules = _rules(_worker(client))
    for path in _addresses(STAFF_PAGES):
        bare = re.sub(r"^/(ar|en)(?=/)", "", path)
        assert any(bare.startswith(p) for p in rules) or re.search(r"/cases/\d+/edit/", bare), path
    for path in _addresses(VOLUNTEER_PAGES):
        bare = re.sub(r"^/(ar|en)(?=/)", "", path)
        assert not any(bare.startswith(p) for p in rules), path


def test_the_worker_skips_pages_marked_no_store(client):
    body = _worker(client)
    assert "!/no-store/.test(cacheControl)" in body and "if (neverCached(url.pathname)) {" in body


def test_a_case_page_seen_by_its_staff_is_no_store(client, verified_charity, charity_owner):
    from cases.tests.factories import CaseFactory

    case = CaseFactory(charity=verified_charity)
    assert "no-store" not in client.get(f"/en/cases/{case.pk}/").get("Cache-Control", "")
    client.force_login(charity_owner)
    assert "no-store" in client.get(f"/en/cases/{case.pk}/")["Cache-Control"]


@pytest.mark.browser
def test_the_worker_code_itself_refuses_staff_pages(client, page):
    """Run the worker's own neverCached() in Chromium on the same addresses."""
    body = _worker(client)
    start = body.index("const NEVER_CACHE")
    end = body.index("}", body.index("function neverCached")) + 1
    script = body[start:end]
    staff, volunteer = _addresses(STAFF_PAGES), _addresses(VOLUNTEER_PAGES)
    verdicts = page.evaluate(
        f"(paths) => {{ {script}; return paths.map((p) => neverCached(p)); }}",
        staff + volunteer,
    )
    assert verdicts == [True] * len(staff) + [False] * len(volunteer)
