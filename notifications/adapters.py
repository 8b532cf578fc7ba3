from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.http import client_ip
from notifications.models import Kind
from notifications.services import key_digest, notification_record


@dataclass(frozen=True)
class _Site:
    """What allauth's templates read as `current_site`: our name, never the host."""

    name: str
    domain: str


def _absolute(path: str) -> str:
    """Links in account mail: SITE_URL (which follows PORT) and the reader's language
    prefix (`reverse` adds it), for the web and the headless app alike."""
    return settings.SITE_URL.rstrip("/") + path


def site() -> _Site:
    return _Site(name=str(_("Volunteer Bank")), domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up, verification and password messages go through the outbox, so a
    slow mail server never slows the page and a broker outage loses nothing. They
    greet from "Volunteer Bank" (not the host allauth would name), and are sent
    in the same HTML frame as every other email."""

    def get_email_confirmation_url(self, request, emailconfirmation):
        return _absolute(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return _absolute(path.replace("UID-KEY", quote(key)))

    def format_email_subject(self, subject):
        return f"{_('Volunteer Bank')}: {subject}"

    def get_client_ip(self, request) -> str:
        """allauth's rate limits (sign-in, sign-up, codes) count per the one client address."""
        return client_ip(request)

    def send_mail(self, template_prefix, email, context):
        context = {**context, "email": email, "current_site": site()}
        message = self.render_mail(template_prefix, email, context)
        html = None
        for alternative, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = alternative
        if html is None:
            try:
                html = render_to_string(f"{template_prefix}_message.html", context, self.request)
            except TemplateDoesNotExist:
                html = render_to_string(
                    "notifications/email/message.html",
                    {"title": message.subject, "body": message.body, "linkify": True},
                )
        user = context.get("user")
        # The key of a live link (or a code) must not be stored in the searchable,
        # long-kept event key: a digest of it (and of the address) keeps each message once.
        key = context.get("key") or context.get("code") or context.get("password_reset_url") or ""
        notification_record(
            kind=Kind.ACCOUNT_EMAIL,
            event_key=f"{template_prefix.rsplit('/', 1)[-1]}:{key_digest(f'{key}:{email}')}",
            context={"subject": message.subject, "body": message.body, "html": html},
            recipient=user if getattr(user, "pk", None) and user.email == email else None,
            address=email,
            language=translation.get_language()[:2],
        )
