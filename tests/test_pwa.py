import pytest

from tests.browser import screenshot


@pytest.mark.parametrize(
    ("language", "direction", "name"), [("ar", "rtl", "بنك المتطوعين"), ("en", "ltr", "Volunteer Bank")]
)
def test_the_manifest_speaks_the_page_language(client, db, language, direction, name):
    response = client.get(f"/{language}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["lang"], manifest["dir"], manifest["name"]) == (language, direction, name)
    assert manifest["start_url"] == f"/{language}/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])


def test_every_page_links_the_manifest_of_its_language(client, db):
    assert 'rel="manifest" href="/ar/manifest.webmanifest"' in client.get("/ar/").content.decode()
    assert 'rel="manifest" href="/en/manifest.webmanifest"' in client.get("/en/").content.decode()


def test_the_service_worker_is_served_from_the_root_with_its_shell(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert '"/ar/offline/"' in body and "bootstrap.rtl.min.css" in body


def test_the_offline_page_renders_in_arabic(client, db):
    response = client.get("/ar/offline/")
    assert response.status_code == 200
    assert "غير متصل" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_app_installs_and_reads_offline(live_server, page):
    page.goto(f"{live_server.url}/ar/")
    assert page.locator('link[rel="manifest"]').get_attribute("href") == "/ar/manifest.webmanifest"
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/"
    page.reload()  # now controlled by the worker, which keeps a copy of the page
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a 390 px phone"
    screenshot(page, "pwa_home_ar")

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/ar/")
    assert "بوقتك" in page.locator("h1").inner_text(), "a visited page stays readable offline"
    page.goto(f"{live_server.url}/ar/accounts/login/")
    assert "غير متصل" in page.locator("h1").inner_text()
    screenshot(page, "pwa_offline_ar")
    page.context.set_offline(False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_touch_targets_are_at_least_44_px(live_server, page):
    small = []
    for path in ("/ar/", "/ar/accounts/login/", "/ar/accounts/signup/"):
        page.goto(f"{live_server.url}{path}")
        page.click(".navbar-toggler")
        small += page.evaluate(
            """() => [...document.querySelectorAll('a.btn, button, .nav-link, input:not([type=hidden]), select')]
                .filter(e => e.offsetParent !== null && e.type !== 'checkbox')
                .filter(e => e.getBoundingClientRect().height < 44)
                .map(e => location.pathname + ' ' + e.outerHTML.slice(0, 80))"""
        )
    assert small == []


def test_the_service_worker_keeps_pages_apart_and_only_html(client, db):
    body = client.get("/sw.js").content.decode()
    assert 'const PAGES = "vb-pages";' in body
    assert 'startsWith("text/html")' in body and "!response.redirected" in body
    assert "if (neverCached(url.pathname)) {" in body
    assert 'event.data.type === "clear-pages"' in body


def test_signing_in_or_out_empties_the_pages_cache(client, db):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    script = Path(finders.find("js/pwa.js")).read_text(encoding="utf-8")
    assert 'const VB_PAGES_CACHE = "vb-pages";' in script
    assert "accounts\\/(logout|login)" in script and "caches.delete(VB_PAGES_CACHE)" in script
