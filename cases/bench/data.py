"""Synthetic charities, cases, needs and updates for the page benchmark, written with COPY.

Cases are spread over regions as people are and over ~20 Arabic topics (so a search
for "بطاطين" matches about one case in twenty, as a popular word would), with a
tenth more that are not listed (drafts, resolved, closed). The secondary indexes of
the big tables are dropped during COPY and rebuilt after, as a bulk import would do.
"""

import datetime as dt
import io
import random

from django.db import connection
from django.utils import timezone

from cases.models import Case, CaseUpdate, Need
from cases.search import search_text
from charities.models import Charity
from core.models import ActivityType, Region

REGION_WEIGHTS = {"EG-C": 22, "EG-GZ": 13, "SA-01": 12, "SA-02": 10, "EG-ALX": 6, "SA-04": 5, "EG-KB": 3}
TOPICS = [
    ("بطاطين", "توزيع بطاطين على الأسر الأكثر احتياجا مع دخول الشتاء"),
    ("كسوة الشتاء", "ملابس شتوية للأطفال والمسنين في القرى البعيدة"),
    ("إفطار صائم", "وجبات إفطار للصائمين طوال شهر رمضان"),
    ("سلال غذائية", "تعبئة وتوزيع سلال غذائية على الأسر المتعففة"),
    ("فصول تقوية", "دروس تقوية لطلاب المرحلة الابتدائية قبل الامتحانات"),
    ("كرسي متحرك", "سيدة مسنة تحتاج كرسيا متحركا ومن يرافقها إلى المستشفى"),
    ("ترميم منزل", "إصلاح سقف منزل أسرة بعد الأمطار الغزيرة"),
    ("قافلة طبية", "أطباء وممرضون لقافلة طبية في قرية بلا مستوصف"),
    ("رعاية أيتام", "أنشطة ترفيهية ودروس لأطفال دار الأيتام"),
    ("مياه شرب", "توصيل مياه الشرب النظيفة إلى منازل القرية"),
    ("سيول", "مساعدة الأسر المتضررة من السيول في الإخلاء والتنظيف"),
    ("تبرع بالدم", "حملة تبرع بالدم لمرضى الثلاسيميا في المستشفى الجامعي"),
    ("محو الأمية", "فصول محو أمية للسيدات في المساء"),
    ("زيارة مسنين", "زيارة دار المسنين وقضاء الوقت مع النزلاء"),
    ("تشجير", "زراعة أشجار في الحي وتنظيف الحديقة العامة"),
    ("ذوي الإعاقة", "مرافقة الأطفال ذوي الإعاقة في أنشطة النادي"),
    ("أضاحي", "ذبح وتوزيع لحوم الأضاحي على الأسر"),
    ("حقيبة مدرسية", "تجهيز حقائب مدرسية وأدوات للطلاب مع بداية العام"),
    ("علاج", "مرافقة مريض في جلسات العلاج الكيماوي"),
    ("إيواء", "تجهيز مركز إيواء مؤقت للأسر بعد حريق"),
]
FILLER = [
    "نحتاج متطوعين في نهاية الأسبوع.",
    "المكان قريب من المسجد الكبير.",
    "يرجى الحضور قبل الموعد بنصف ساعة.",
    "العمل في فرق صغيرة مع مشرف من الجمعية.",
    "تتوفر المواصلات من محطة المترو.",
    "الأسرة مكونة من خمسة أفراد.",
    "سنوفر الأدوات والوجبات للمتطوعين.",
]
STATUS_WEIGHTS = {"open": 90, "in_progress": 10}
UNLISTED_SHARE = 0.1  # drafts, resolved and closed cases on top of the open ones


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples in column order) into a table, in chunks; returns how many."""
    count = 0
    buffer = io.StringIO()

    def flush():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v).replace("\t", " ").replace("\n", " ") for v in row))
        buffer.write("\n")
        count += 1
        if count % 100_000 == 0:
            flush()
    flush()
    return count


def _model_rows(model, rows):
    """Dicts by attname to tuples over every concrete column, defaults filled in."""
    fields = model._meta.concrete_fields
    columns = [f'"{field.column}"' for field in fields]
    defaults = {field.attname: field.get_default() for field in fields}

    def tuples():
        for row in rows:
            values = []
            for field in fields:
                value = row.get(field.attname, defaults[field.attname])
                if isinstance(value, bool):
                    value = "t" if value else "f"
                elif isinstance(value, dt.datetime):
                    value = value.isoformat()
                values.append(value)
            yield tuple(values)

    return columns, tuples()


def copy_model(model, rows) -> int:
    columns, tuples = _model_rows(model, rows)
    return _copy(model._meta.db_table, columns, tuples)


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
               WHERE i.tablename = ANY(%s) AND NOT x.indisprimary AND NOT x.indisunique""",
            [tables],
        )
        return cursor.fetchall()


def load(size: int, *, seed: int = 17, stdout=None) -> dict:
    """Write `size` listed cases (plus a tenth unlisted), their charities, needs and updates."""
    rng = random.Random(seed)
    now = timezone.now()
    regions = list(Region.objects.order_by("pk"))
    weights = [REGION_WEIGHTS.get(r.code, 0.8) for r in regions]
    activities = list(ActivityType.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    charity_count = max(5, size // 500)
    charities = []
    for n in range(1, charity_count + 1):
        region = rng.choices(regions, weights)[0]
        charities.append(
            {
                "id": n,
                "name_ar": f"جمعية الخير رقم {n}",
                "name_en": f"Charity {n}",
                "country": region.country,
                "license_number": f"B-{n}",
                "description": "جمعية أهلية مشهرة تعمل في خدمة المجتمع منذ سنوات.",
                "status": Charity.Status.VERIFIED,
                "verified_at": now,
                "created_at": now,
                "_region": region,
            }
        )
    copy_model(Charity, charities)
    region_rows = [(c["id"], c["_region"].pk) for c in charities]
    _copy("charities_charity_regions", ["charity_id", "region_id"], region_rows)

    total = size + int(size * UNLISTED_SHARE)
    statuses = list(STATUS_WEIGHTS)
    status_weights = list(STATUS_WEIGHTS.values())
    needs, updates = [], []

    def cases():
        for pk in range(1, total + 1):
            charity = charities[rng.randrange(charity_count)]
            region = charity["_region"]
            if pk <= size:
                status = rng.choices(statuses, status_weights)[0]
            else:
                status = rng.choice(["draft", "resolved", "closed"])
            topic, sentence = TOPICS[rng.randrange(len(TOPICS))]
            title = f"{topic} - {region.capital_ar} ({pk})"
            story = " ".join([sentence, *rng.sample(FILLER, 3)])
            published = None if status == "draft" else now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                needs.append((pk, region.pk, rng.choice(activities), rng.randrange(2, 24 * 60)))
            if rng.random() < 0.3:
                updates.append((pk, published or now))
            yield {
                "id": pk,
                "charity_id": charity["id"],
                "title": title,
                "story": story,
                "region_id": region.pk,
                "activity_type_id": rng.choice(activities),
                "urgency": rng.choices((1, 2, 3), (80, 15, 5))[0],
                "status": status,
                "private_details": "بيانات خاصة بالأسرة",
                "latitude": region.latitude,
                "longitude": region.longitude,
                "public_latitude": region.latitude + 0.015,
                "public_longitude": region.longitude + 0.015,
                "search_text": search_text(title, story),
                "created_at": published or now,
                "published_at": published,
                "updated_at": now,
            }

    tables = [Case._meta.db_table, Need._meta.db_table, CaseUpdate._meta.db_table]
    indexes = _secondary_indexes(tables)
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    copy_model(Case, cases())
    need_rows = (
        {
            "id": n,
            "case_id": case_id,
            "region_id": region_id,
            "activity_type_id": activity,
            "description": "المساعدة في التوزيع والتنظيم",
            "starts_at": now + dt.timedelta(hours=hours),
            "ends_at": now + dt.timedelta(hours=hours + 3),
            "volunteers_needed": 1 + n % 5,
            "created_at": now,
        }
        for n, (case_id, region_id, activity, hours) in enumerate(needs, start=1)
    )
    copy_model(Need, need_rows)
    update_rows = (
        {"id": n, "case_id": case_id, "text": "وصلت المساعدات إلى الأسر، شكرا لكل المتطوعين.", "created_at": when}
        for n, (case_id, when) in enumerate(updates, start=1)
    )
    copy_model(CaseUpdate, update_rows)
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table in ["charities_charity", *tables]:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [table])  # noqa: S608 (our table names)
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "cases": size,
        "unlisted": total - size,
        "charities": charity_count,
        "needs": len(needs),
        "updates": len(updates),
    }
