"""Reference data every app shares: regions and the two bilingual taxonomies.

Rows come from `core/data/*.csv` through a data migration and are edited in the
admin afterwards; no code names a region or an activity by hand.
"""

from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A name in Arabic and English; `name` answers in the active language."""

    name_ar = models.CharField(_("Arabic name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ar").startswith("en") else self.name_ar


class Country(models.TextChoices):
    EGYPT = "EG", _("Egypt")
    SAUDI_ARABIA = "SA", _("Saudi Arabia")


class Region(BilingualName):
    """An Egyptian governorate or a Saudi region, by its ISO 3166-2 code."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    capital_ar = models.CharField(_("capital (Arabic)"), max_length=120)
    capital_en = models.CharField(_("capital (English)"), max_length=120)
    latitude = models.FloatField(_("latitude of the capital"))
    longitude = models.FloatField(_("longitude of the capital"))
    timezone = models.CharField(_("time zone"), max_length=40)

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Taxonomy(BilingualName):
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]


class ActivityType(Taxonomy):
    """What a volunteer does: food baskets, iftar meals, blood donation, ..."""

    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(Taxonomy.Meta):
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")


class Skill(Taxonomy):
    """What a volunteer can do: first aid, driving, sign language, ..."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
