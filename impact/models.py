"""Rollups of what the work achieved: the only thing impact pages, exports and the API read.

Built from the attested hours (`attendance.HoursRecord`), attendance, needs, reviewed
matches, resolved cases and moderated reports by `impact.services`, one charity at a time
(on the hooks of `core.rollups`) or all at once (`impact_rebuild`, nightly and by
`manage.py rebuild_impact`). Each table can be dropped and rebuilt from its sources.

- `ImpactMonth`: one cell per charity × case × region × activity × month (the case is
  empty for hours attested on request).
- `ImpactVolunteers`: distinct volunteers with attested hours, per charity and month,
  per charity, case and month, and per charity over all time (`month` empty): distinct
  counts do not add up, so each grain is stored.
- `ImpactDuration`: one value per filled need (hours from publishing to the last place
  taken), reviewed proposal (hours from proposal to review) or moderated report (hours
  from submission to decision), for medians over any filter.
- `PlatformImpact`: the public totals, per region, per activity and per month.
- `ModerationDay`: the moderation queue's size and oldest report at the end of each day.
- `ImpactDirty`: charities (and the moderation queue) whose rollups wait for a refresh.

No table holds anything about a person: counts and sums only.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from charities.models import Charity
from core.models import ActivityType, Region


class ImpactMonth(models.Model):
    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField(_("month"))
    minutes = models.BigIntegerField(_("minutes attested"), default=0)
    attendances = models.PositiveIntegerField(_("attendances"), default=0)
    no_shows = models.PositiveIntegerField(_("no-shows"), default=0)
    places_needed = models.PositiveIntegerField(_("places needed"), default=0)
    places_filled = models.PositiveIntegerField(_("places filled"), default=0)
    cases_resolved = models.PositiveIntegerField(_("cases resolved"), default=0)

    class Meta:
        verbose_name = _("impact per month")
        verbose_name_plural = _("impact per month")
        indexes = [models.Index(fields=["charity", "month"], name="impact_month_charity")]

    def __str__(self) -> str:
        return f"{self.charity_id} · {self.month:%Y-%m}: {self.minutes} min"


class ImpactVolunteers(models.Model):
    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField(_("month"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)

    class Meta:
        verbose_name = _("volunteers per month")
        verbose_name_plural = _("volunteers per month")
        indexes = [models.Index(fields=["charity", "case", "month"], name="impact_volunteers_charity")]

    def __str__(self) -> str:
        return f"{self.charity_id} · {self.month}: {self.volunteers}"


class ImpactDuration(models.Model):
    class Kind(models.TextChoices):
        FILL = "fill", _("publishing to filled")
        REVIEW = "review", _("proposal to review")
        DECISION = "decision", _("report to decision")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField(_("month"))
    hours = models.FloatField(_("hours"))

    class Meta:
        verbose_name = _("duration")
        verbose_name_plural = _("durations")
        # Index-only medians: the values are in the index, beside the filter's columns.
        indexes = [
            models.Index(fields=["kind", "charity", "month"], include=["case", "hours"], name="impact_duration_charity")
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.month:%Y-%m}: {self.hours:.1f} h"


class PlatformImpact(models.Model):
    class Scope(models.TextChoices):
        TOTAL = "total", _("total")
        REGION = "region", _("region")
        ACTIVITY = "activity", _("activity")
        MONTH = "month", _("month")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField(_("month"), null=True, blank=True)
    minutes = models.BigIntegerField(_("minutes attested"), default=0)
    attendances = models.PositiveIntegerField(_("attendances"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    charities = models.PositiveIntegerField(_("organisations"), default=0)
    cases_resolved = models.PositiveIntegerField(_("cases resolved"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("platform impact")
        verbose_name_plural = _("platform impact")

    def __str__(self) -> str:
        return f"{self.scope}: {self.minutes} min"


class ModerationDay(models.Model):
    day = models.DateField(_("day"), unique=True)
    queue_size = models.PositiveIntegerField(_("reports waiting"), default=0)
    oldest_hours = models.FloatField(_("oldest waiting (hours)"), default=0)
    received = models.PositiveIntegerField(_("reports received"), default=0)
    decided = models.PositiveIntegerField(_("reports decided"), default=0)

    class Meta:
        ordering = ["day"]
        verbose_name = _("moderation day")
        verbose_name_plural = _("moderation days")

    def __str__(self) -> str:
        return f"{self.day}: {self.queue_size}"


class ImpactDirty(models.Model):
    key = models.CharField(max_length=40, unique=True)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rollup waiting for a refresh")
        verbose_name_plural = _("rollups waiting for a refresh")

    def __str__(self) -> str:
        return self.key


class ImpactCharity(models.Model):
    """A charity's headline, all time: what its public profile and share link show."""

    charity = models.OneToOneField(Charity, on_delete=models.CASCADE, related_name="+")
    minutes = models.BigIntegerField(_("minutes attested"), default=0)
    attendances = models.PositiveIntegerField(_("attendances"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    cases_resolved = models.PositiveIntegerField(_("cases resolved"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("charity impact")
        verbose_name_plural = _("charity impact")

    def __str__(self) -> str:
        return f"{self.charity_id}: {self.minutes} min"


class ModerationRegionMonth(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    received = models.PositiveIntegerField(_("reports received"), default=0)
    decided = models.PositiveIntegerField(_("reports decided"), default=0)

    class Meta:
        verbose_name = _("reports per region")
        verbose_name_plural = _("reports per region")

    def __str__(self) -> str:
        return f"{self.region_id} · {self.month:%Y-%m}: {self.received}"
