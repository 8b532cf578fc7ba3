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
    accounts = [("moderator (admin)", MODERATOR_EMAIL), ("volunteer", VOLUNTEER_EMAIL)]
    accounts += cases_demo_load(moderator)
    return created, accounts


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


CHARITY_OWNER_EMAIL = "owner@resala.demo.volunteerbank.local"

DEMO_CHARITIES = [
    # (owner email, name_ar, name_en, country, licence, region codes)
    (CHARITY_OWNER_EMAIL, "جمعية رسالة للأعمال الخيرية", "Resala Charity", "EG", "MSS-1234", ["EG-C", "EG-GZ"]),
    ("owner@orman.demo.volunteerbank.local", "الجمعية الأورمان", "Al-Orman Association", "EG", "MSS-5678", ["EG-ALX"]),
    (
        "owner@ataa.demo.volunteerbank.local",
        "جمعية عطاء الخيرية",
        "Ataa Charity",
        "SA",
        "NCNP-0912",
        ["SA-01", "SA-02"],
    ),
]

DEMO_CASES = [
    # (charity index, region, title, story, activity slug, urgency, update text)
    (
        0,
        "EG-C",
        "سلال رمضان لأسر المطرية",
        "خمسون أسرة في المطرية تنتظر سلال رمضان: أرز وزيت وسكر وعدس. نحتاج متطوعين للتعبئة والتوزيع.",
        "food_baskets",
        2,
        "عبّأنا أول عشرين سلة، شكرًا لكل من ساعد.",
    ),
    (
        0,
        "EG-C",
        "إفطار صائم في شبرا",
        "مائدة إفطار يومية لمئتي صائم من العمال وعابري السبيل طوال شهر رمضان.",
        "iftar",
        1,
        "قدّمنا ١٨٠ وجبة في اليوم الأول.",
    ),
    (
        0,
        "EG-GZ",
        "ترميم منزل أسرة في إمبابة",
        "سقف منزل أم أحمد وأطفالها الأربعة يتسرب منه ماء المطر. نحتاج نجارين ومساعدين.",
        "",
        3,
        "وصلت الأخشاب، ونبدأ العمل يوم السبت.",
    ),
    (
        1,
        "EG-ALX",
        "كسوة الشتاء لأطفال العامرية",
        "مئة طفل يحتاجون ملابس شتوية وبطاطين قبل موجة البرد.",
        "eid_clothing",
        2,
        "جمعنا ستين قطعة حتى الآن.",
    ),
    (
        1,
        "EG-ALX",
        "دروس تقوية لطلاب الإعدادية",
        "طلاب في حي كرموز يحتاجون دروس تقوية في الرياضيات والعلوم يومي الجمعة والسبت.",
        "",
        1,
        "انضم خمسة معلمين متطوعين.",
    ),
    (
        2,
        "SA-01",
        "سلال غذائية لأسر حي السويدي",
        "أسر متعففة في حي السويدي بالرياض تحتاج سلالًا غذائية شهرية.",
        "food_baskets",
        1,
        "وزعنا ثلاثين سلة هذا الأسبوع.",
    ),
    (
        2,
        "SA-01",
        "زيارة كبار السن في دار الرعاية",
        "زيارات أسبوعية لكبار السن في دار الرعاية: حديث وقراءة ونزهة قصيرة.",
        "",
        1,
        "أسعدت الزيارة الأولى خمسة عشر مسنًا.",
    ),
    (
        2,
        "SA-02",
        "إفطار صائم عند الحرم",
        "توزيع وجبات إفطار على المعتمرين قرب الحرم في مكة المكرمة.",
        "iftar",
        2,
        "جهّزنا ثلاثمئة وجبة.",
    ),
]


def _demo_cover(index: int):
    """A plain coloured cover, so the demo cards are not all text."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    colours = [(25, 135, 84), (13, 110, 253), (220, 53, 69), (255, 193, 7), (111, 66, 193), (32, 201, 151)]
    out = io.BytesIO()
    Image.new("RGB", (800, 400), colours[index % len(colours)]).save(out, format="JPEG")
    return SimpleUploadedFile(f"cover{index}.jpg", out.getvalue(), content_type="image/jpeg")


def cases_demo_load(moderator) -> list[tuple[str, str]]:
    """Three verified charities with open cases, needs and updates, and two pending reports."""
    import datetime as dt

    from django.utils import timezone

    from cases import services as case_services
    from charities import services as charity_services
    from charities.models import Charity
    from core.models import ActivityType, Region, Skill

    accounts = [("charity owner (Resala)", CHARITY_OWNER_EMAIL)]
    if Charity.objects.filter(license_number=DEMO_CHARITIES[0][4]).exists():
        return accounts
    regions = {r.code: r for r in Region.objects.all()}
    default_activity = ActivityType.objects.filter(is_active=True).first()
    charities, owners = [], []
    for email, name_ar, name_en, country, licence, codes in DEMO_CHARITIES:
        owner = _user(email)
        charity = charity_services.charity_register(
            user=owner,
            name_ar=name_ar,
            name_en=name_en,
            country=country,
            license_number=licence,
            regions=[regions[c] for c in codes],
            activity_types=list(ActivityType.objects.filter(is_active=True)[:4]),
            description="جهة خيرية تعمل في خدمة الأسر المحتاجة منذ سنوات.",
            facebook_url="https://www.facebook.com/",
        )
        case_services.charity_verify(charity=charity, moderator=moderator)
        charity.refresh_from_db()
        charities.append(charity)
        owners.append(owner)
    skills = list(Skill.objects.filter(is_active=True)[:2])
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    for n, (index, code, title, story, slug, urgency, update) in enumerate(DEMO_CASES):
        activity = ActivityType.objects.filter(slug=slug).first() or default_activity
        case = case_services.case_create(
            user=owners[index],
            charity=charities[index],
            title=title,
            story=story,
            region=regions[code],
            activity_type=activity,
            urgency=urgency,
            private_details="اسم المسؤول عن الأسرة ورقم هاتفه: يُحفظان هنا ولا يظهران للعامة.",
            latitude=regions[code].latitude + 0.01 * n,
            longitude=regions[code].longitude,
            cover_photo=_demo_cover(n),
        )
        case_services.need_create(
            case=case,
            user=owners[index],
            activity_type=activity,
            skills=skills,
            starts_at=start + dt.timedelta(days=n),
            ends_at=start + dt.timedelta(days=n, hours=4),
            volunteers_needed=3 + n,
        )
        case_services.case_update_post(case=case, user=owners[index], text=update)
    case_services.report_submit(
        description="رجل مسن يعيش وحده في عين شمس ويحتاج أدوية ووجبات يومية.",
        region=regions["EG-C"],
        consent=True,
        location_text="عين شمس، قرب محطة المترو",
        contact="01001234567",
        urgency=2,
    )
    case_services.report_submit(
        description="أسرة نازحة في حي النسيم تحتاج بطاطين ومدفأة.",
        region=regions["SA-01"],
        consent=True,
        location_text="حي النسيم",
    )
    return accounts
