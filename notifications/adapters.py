from allauth.account.adapter import DefaultAccountAdapter
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from core.http import client_ip
from notifications.models import Kind
from notifications.services import key_digest, notification_record


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up, verification and password messages go through the outbox, so a
    slow mail server never slows the page and a broker outage loses nothing."""

    def get_client_ip(self, request) -> str:
        """allauth's rate limits (sign-in, sign-up, codes) count per the one client address."""
        return client_ip(request)

    def send_mail(self, template_prefix, email, context):
        context = {**context, "email": email}
        message = self.render_mail(template_prefix, email, context)
        html = None
        for alternative, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = alternative
        if html is None:
            try:
                html = render_to_string(f"{template_prefix}_message.html", context, self.request)
            except TemplateDoesNotExist:
                html = None
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
