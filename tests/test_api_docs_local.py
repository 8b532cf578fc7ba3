"""The API docs are served from our own files: no CDN, no Google Fonts, a language."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/?script=", "/api/redoc/"])
def test_the_api_docs_name_no_outside_address(client, path):
    import re

    body = client.get(path).content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", body), body
    assert "fonts.googleapis" not in body and "cdn." not in body


def test_the_redoc_bundle_carries_no_cdn_address(client):
    body = client.get("/api/redoc/dist/bundles/redoc.standalone.js").content
    assert b"cdn.redoc.ly" not in body and len(body) > 100_000


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_have_a_language(client, path):
    assert '<html lang="en" dir="ltr">' in client.get(path).content.decode()
