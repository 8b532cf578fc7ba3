"""The demo world of `make run`. Built through the same services real users go
through, so the demo shows what the product really does."""

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_PASSWORD = "demo-pass-2027"  # noqa: S105 - printed for people trying the demo
MODERATOR_EMAIL = "moderator@demo.volunteerbank.local"


def _user(email: str, **fields):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"username": email, **fields})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_load() -> tuple[bool, list[tuple[str, str]]]:
    """Returns whether anything was created, and the accounts to print."""
    User = get_user_model()
    created = not User.objects.filter(email=MODERATOR_EMAIL).exists()
    moderator = _user(MODERATOR_EMAIL, is_staff=True, is_superuser=True)
    _notifications_demo(moderator)
    return created, [("moderator (admin)", MODERATOR_EMAIL)]


def _notifications_demo(moderator) -> None:
    """A first message under the moderator's bell; the event key makes it once only."""
    from notifications.models import Kind
    from notifications.services import notify

    notify(
        kind=Kind.MODERATION_SUMMARY,
        event_key="demo:first-summary",
        context={"pending_count": 0, "url": "/admin/notifications/notification/"},
        recipients=[moderator],
    )
