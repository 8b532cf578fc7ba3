"""Account messages already in the outbox: keys out of event and idempotency
keys, bodies (live links) out of the rows that were sent, failed or cancelled."""

import hashlib

from django.db import migrations


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def forget(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.filter(kind="account_email")
    for row in rows.iterator():
        prefix = row.event_key.split(":", 1)[0].rsplit("/", 1)[-1]
        row.event_key = f"{prefix}:{_digest(row.event_key)}"
        row.idempotency_key = f"account_email:{row.event_key}:migrated:{row.pk}"
        if row.status != "pending" and set(row.context) - {"subject"}:
            row.context = {"subject": row.context.get("subject", "")}
        row.save(update_fields=["event_key", "idempotency_key", "context"])
    for row in Notification.objects.exclude(kind="account_email").filter(idempotency_key__contains=":address:"):
        head, address = row.idempotency_key.rsplit(":address:", 1)
        row.idempotency_key = f"{head}:address:{_digest(address)}"[:200]
        row.save(update_fields=["idempotency_key"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_digest")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
