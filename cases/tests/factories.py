import datetime as dt

import factory
from django.utils import timezone

from cases import search
from cases.models import Case, Need, Report
from charities.tests.factories import CharityFactory
from core.models import ActivityType, Region


def cairo() -> Region:
    return Region.objects.get(code="EG-C")


class CaseFactory(factory.django.DjangoModelFactory):
    """An open case of a verified Cairo charity."""

    class Meta:
        model = Case

    charity = factory.SubFactory(CharityFactory)
    title = factory.Sequence(lambda n: f"أسرة تحتاج إلى مساعدة {n}")
    story = "أسرة من خمسة أفراد تحتاج إلى سلال غذائية وبطاطين قبل الشتاء."
    region = factory.LazyFunction(cairo)
    status = Case.Status.OPEN
    published_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(lambda case: search.search_text(case.title, case.story))


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    case = factory.SubFactory(CaseFactory)
    region = factory.LazyAttribute(lambda need: need.case.region)
    activity_type = factory.LazyFunction(lambda: ActivityType.objects.order_by("position").first())
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda need: need.starts_at + dt.timedelta(hours=4))
    volunteers_needed = 3


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    description = "رجل مسن يعيش وحده ويحتاج إلى أدوية ووجبات يومية"
    region = factory.LazyFunction(cairo)
    location_text = "شبرا، بجوار المسجد"
    consent = True
    search_text = factory.LazyAttribute(lambda r: search.search_text(r.description, r.location_text))


def case_admin_edit(admin_client, case, **fields):
    """Post the admin's change form of `case` as it stands, with `fields` changed and no inline rows."""
    url = f"/en/admin/cases/case/{case.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and not isinstance(v, list | dict) and k not in ("cover_photo", "location")
    }
    data.update({"story": case.story, "urgency": case.urgency, **fields})
    for prefix in ("needs", "photos", "status_changes"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return admin_client.post(url, data)
