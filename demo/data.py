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


VOLUNTEER_EMAIL = "volunteer@demo.volunteerbank.local"
_VOLUNTEER_NAMES = [
    "منى", "أحمد", "سارة", "محمد", "ليلى", "يوسف", "هدى", "عمر", "نور", "خالد", "فاطمة", "مصطفى",
    "ريم", "طارق", "آية", "إبراهيم", "سلمى", "حسن", "دينا", "كريم", "جنى", "عبدالله", "شهد", "فيصل",
    "لمى", "سلطان", "هالة", "ماجد", "رنا", "بدر", "نوال", "زياد", "غادة", "وليد", "أسماء", "تركي",
]  # fmt: skip
_VOLUNTEER_REGIONS = ["EG-C", "EG-GZ", "EG-ALX", "SA-01", "SA-02"]
_ACTIVITIES = ["food_baskets", "iftar", "tutoring", "elderly_care", "blood_donation", "medical_aid", "event_support"]
_SKILLS = ["first_aid", "driving", "cooking", "packing", "teaching", "photography", "social_media"]
_WEEKLY_PATTERNS = [  # (weekday 0=Monday, start, end): evenings, weekend mornings, a night across midnight
    [(5, "09:00", "13:00"), (1, "18:00", "21:00")],
    [(4, "16:00", "22:00")],
    [(3, "22:00", "24:00"), (4, "00:00", "02:00")],
    [(5, "10:00", "14:00"), (6, "17:00", "20:00"), (2, "19:00", "22:00")],
    [(0, "17:00", "21:00"), (3, "17:00", "21:00")],
]


def _volunteers_load() -> None:
    """A few dozen volunteers across Cairo, Giza, Alexandria, Riyadh and Makkah,
    made through the volunteers services (profiles, interests, weekly and dated slots)."""
    import datetime as dt
    import random

    from volunteers.services import availability_slot_add, profile_update

    pick = random.Random(2027)  # the same demo every time
    soon = dt.date.today() + dt.timedelta(days=7)
    for n, name in enumerate(_VOLUNTEER_NAMES):
        email = VOLUNTEER_EMAIL if n == 0 else f"volunteer{n}@demo.volunteerbank.local"
        user = _user(email)
        if hasattr(user, "volunteer_profile"):
            continue
        region = _VOLUNTEER_REGIONS[n % len(_VOLUNTEER_REGIONS)]
        profile = profile_update(
            user=user,
            changes={
                "display_name": name,
                "region": region,
                "phone": f"010{n:08d}" if region.startswith("EG") else f"055{n:07d}",
                "activity_types": pick.sample(_ACTIVITIES, 3),
                "skills": pick.sample(_SKILLS, 2),
                "languages": ["ar", "en"] if n % 3 == 0 else ["ar"],
                "gender": "female" if n % 2 == 0 else "male",
                "max_hours_per_week": 4 + n % 8,
            },
        )
        for weekday, start, end in _WEEKLY_PATTERNS[n % len(_WEEKLY_PATTERNS)]:
            availability_slot_add(volunteer=profile, weekday=weekday, start=start, end=end)
        if n % 4 == 0:
            day = soon + dt.timedelta(days=n % 7)
            availability_slot_add(volunteer=profile, date=day, start="16:00", end="20:00")


@transaction.atomic
def demo_load() -> tuple[bool, list[tuple[str, str]]]:
    """Returns whether anything was created, and the accounts to print."""
    User = get_user_model()
    created = not User.objects.filter(email=MODERATOR_EMAIL).exists()
    moderator = _user(MODERATOR_EMAIL, is_staff=True, is_superuser=True)
    _notifications_demo(moderator)
    _volunteers_load()
    return created, [("moderator (admin)", MODERATOR_EMAIL), ("volunteer", VOLUNTEER_EMAIL)]


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
