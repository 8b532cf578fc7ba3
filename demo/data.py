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
    accounts = [("moderator (admin)", MODERATOR_EMAIL)]
    accounts += cases_demo_load(moderator)
    return created, accounts


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
