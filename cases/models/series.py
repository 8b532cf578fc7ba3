"""A need that repeats: the rule, and what every occurrence copies.

Occurrences are ordinary `Need` rows (matching, reviews, reminders and the
calendar feed work on them unchanged) tied to their series by `Need.series` and
keyed by their local date, so creating them twice is impossible
(`need_one_per_series_date`). `cases.services.series` owns both.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ActivityType, Region, Skill


class NeedSeries(models.Model):
    """An RFC 5545 RRULE read in the region's local time, from `first_date`.

    A fixed series starts each occurrence at `start_time` local time (Egypt's
    summer time keeps it); a sunset series at sunset at the case's point (the
    region's capital without one) plus `anchor_offset_minutes`. Every occurrence
    lasts `duration_minutes`."""

    class Anchor(models.TextChoices):
        FIXED = "", _("a fixed time")
        SUNSET = "sunset", _("sunset")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="series", verbose_name=_("case"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("activity type")
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", verbose_name=_("skills"))
    description = models.CharField(_("what to do"), max_length=300, blank=True)
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteers needed"), default=1)
    gender = models.CharField(_("gender"), max_length=6, blank=True, default="")
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(_("radius (km)"), null=True, blank=True)
    recurrence = models.CharField(_("repetition rule"), max_length=500)
    first_date = models.DateField(_("first day"))
    start_time = models.TimeField(_("local start time"), null=True, blank=True)
    anchor = models.CharField(_("starts at"), max_length=8, choices=Anchor.choices, blank=True, default=Anchor.FIXED)
    anchor_offset_minutes = models.SmallIntegerField(_("minutes after sunset"), default=0)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first_date", "id"]
        verbose_name = _("repeating need")
        verbose_name_plural = _("repeating needs")

    def __str__(self) -> str:
        return f"{self.activity_type} · {self.recurrence}"

    @property
    def frequency(self) -> str:
        """DAILY, WEEKLY, MONTHLY or YEARLY (the rule's FREQ)."""
        for part in self.recurrence.removeprefix("RRULE:").split(";"):
            if part.startswith("FREQ="):
                return part[5:]
        return ""

    @property
    def offset_before(self) -> int:
        return -self.anchor_offset_minutes
