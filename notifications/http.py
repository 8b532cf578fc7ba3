"""The one door for calls to messaging providers (WhatsApp, the SMS gateway, push
services): a timeout on every call, no redirects followed, and one outcome type.

Keeping every provider call here means connection rules (egress restrictions,
proxies, pinned addresses; see the hardening of webhooks) are adopted in one place.
A 5xx, 408, 429 or a network failure is transient (retried with back-off by the
outbox); other 4xx are permanent."""

from dataclasses import dataclass

import requests
from django.conf import settings

USER_AGENT = "VolunteerBank/1"


@dataclass
class Answer:
    status: int
    body: dict
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def transient(self) -> bool:
        return self.status >= 500 or self.status in (408, 429)


class NetworkError(Exception):
    """The provider could not be reached or did not answer in time (transient)."""


def session() -> requests.Session:
    """A session for libraries that take one (pywebpush)."""
    made = requests.Session()
    made.headers["User-Agent"] = USER_AGENT
    made.max_redirects = 0
    return made


def post(url: str, *, json=None, data=None, headers=None, auth=None) -> Answer:
    """POST and read the answer; raises NetworkError for timeouts and refused connections."""
    try:
        response = requests.post(
            url,
            json=json,
            data=data,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            auth=auth,
            timeout=settings.PROVIDER_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise NetworkError(f"{type(exc).__name__}: {exc}") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    return Answer(status=response.status_code, body=body if isinstance(body, dict) else {}, text=response.text[:500])
