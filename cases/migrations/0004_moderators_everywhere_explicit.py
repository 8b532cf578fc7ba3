""""Everywhere" used to be implied by having no ModeratorRegion rows, so removing a
moderator's last region made them global. It is now the explicit
`User.moderates_everywhere`: today's moderators without regions keep what they had."""

from django.db import migrations
from django.db.models import Q


def flag_todays_global_moderators(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Permission = apps.get_model("auth", "Permission")
    ModeratorRegion = apps.get_model("cases", "ModeratorRegion")
    moderate = Permission.objects.filter(content_type__app_label="cases", codename="moderate")
    granted = Q(user_permissions__in=moderate) | Q(groups__permissions__in=moderate)
    moderators = User.objects.filter(Q(is_superuser=True) | (Q(is_staff=True) & granted))
    with_regions = ModeratorRegion.objects.values("user_id")
    User.objects.filter(pk__in=moderators.exclude(pk__in=with_regions).values("pk")).update(moderates_everywhere=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_moderates_everywhere"),
        ("cases", "0003_trigram_search"),
    ]

    operations = [migrations.RunPython(flag_todays_global_moderators, migrations.RunPython.noop)]
