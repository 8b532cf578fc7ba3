"""A volunteer's profile and free time.

Free time is stored in the shape the coverage selector needs (see
`AvailabilitySlot`); the profile keeps the source of truth for what the slots
copy (region, time zone, activity interests, pause, whether they may be matched)
and `volunteers.services` keeps the copies in step.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ActivityType, Region, Skill
from volunteers.timewindows import MINUTES_PER_DAY, format_time

ADULT_AGE = 18


def adult_born_by(today: dt.date) -> dt.date:
    """The latest birth date of someone who is 18 on `today`."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - ADULT_AGE, day=28)


# The activity and skill bitmasks are signed 64-bit integers: bit N stands for
# the activity type (or skill) whose `position` is N. Positions are assigned once
# by the reference-data loader in CSV order and new entries are appended, so a
# bit never changes meaning. Matching reads interests and skills from the masks
# instead of probing the many-to-many tables for every candidate.
MAX_ACTIVITY_POSITION = 62

# Reliability of someone with no attendance recorded yet (see attendance.reliability).
NEUTRAL_RELIABILITY = 0.5


def activity_bit(item: ActivityType | Skill) -> int:
    if not 0 <= item.position <= MAX_ACTIVITY_POSITION:
        raise ValueError(f"{item.slug} has no bit (position {item.position})")
    return 1 << item.position


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Language(models.TextChoices):
    """Languages a volunteer speaks (not the interface language)."""

    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    URDU = "ur", _("Urdu")
    HINDI = "hi", _("Hindi")
    BENGALI = "bn", _("Bengali")
    TAGALOG = "tl", _("Tagalog")
    SIGN = "sgn", _("Sign language")


class VolunteerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile", verbose_name=_("user")
    )
    display_name = models.CharField(_("display name"), max_length=80)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Stored in E.164 form."))
    sms_number = models.CharField(_("SMS number"), max_length=20, blank=True)
    whatsapp_number = models.CharField(_("WhatsApp number"), max_length=20, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    activity_types = models.ManyToManyField(
        ActivityType, blank=True, related_name="+", verbose_name=_("activity types")
    )
    activity_mask = models.BigIntegerField(
        _("activity bitmask"),
        default=0,
        help_text=_("Bit N set when interested in the activity type at position N; kept in step by the services."),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", verbose_name=_("skills"))
    skill_mask = models.BigIntegerField(
        _("skill bitmask"),
        default=0,
        help_text=_("Bit N set when the volunteer has the skill at position N; kept in step by the services."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Kept in step by `volunteers.guardians` from the guardian's own answer to a signed link.
    guardian_consented_at = models.DateTimeField(_("a guardian consented at"), null=True, blank=True)
    max_hours_per_week = models.PositiveSmallIntegerField(_("hours a week at most"), null=True, blank=True)
    # Kept by attendance.services from attendance records (and copied onto the slots).
    reliability = models.FloatField(
        _("reliability"),
        default=NEUTRAL_RELIABILITY,
        db_default=NEUTRAL_RELIABILITY,
        help_text=_("0..1, smoothed share of commitments attended; 0.5 until attendance is recorded."),
    )
    attended_count = models.PositiveIntegerField(_("times attended"), default=0, db_default=0)
    attendance_count = models.PositiveIntegerField(_("times attendance was recorded"), default=0, db_default=0)
    paused_until = models.DateField(_("not available until"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"

    def age_on(self, day: dt.date) -> int | None:
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def is_minor(self) -> bool:
        age = self.age_on(timezone.localdate())
        return age is not None and age < ADULT_AGE

    @property
    def guardian_consent(self) -> bool:
        return self.guardian_consented_at is not None

    @property
    def is_matchable(self) -> bool:
        """Whether matching may propose this volunteer at all (pause is per window).
        Copied onto the slots by the services; a minor without consent who turns
        18 is made matchable by the daily `volunteer_adults_refresh` task."""
        return self.anonymised_at is None and self.user.is_active and (not self.is_minor or self.guardian_consent)


class GuardianConsent(models.Model):
    """A parent's or guardian's answer for a volunteer under 18.

    The minor names the guardian's email; the guardian gets a signed link
    (`volunteers.guardians`) and confirms, or later withdraws, with a POST on
    its page. `nonce` is signed into the link and replaced by every new
    request, so a link sent to an earlier address stops working. The profile's
    `guardian_consented_at` is the copy matching reads."""

    volunteer = models.OneToOneField(
        VolunteerProfile, on_delete=models.CASCADE, related_name="guardian", verbose_name=_("volunteer")
    )
    email = models.EmailField(_("guardian's email"))
    nonce = models.CharField(max_length=32, editable=False)
    language = models.CharField(_("language"), max_length=2, default="ar")
    requested_at = models.DateTimeField(_("requested at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")

    def __str__(self) -> str:
        return f"#{self.volunteer_id} {self.status}"

    @property
    def status(self) -> str:
        if self.withdrawn_at:
            return "withdrawn"
        return "confirmed" if self.confirmed_at else "pending"


class SlotKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    DATED = "dated", _("On a date")


class AvailabilitySlot(models.Model):
    """One stretch of free time within one local day.

    Stored form, chosen for "which volunteers are free for this UTC window":
    - `weekday` is Monday-first (0=Monday .. 6=Sunday), as Python's
      `date.weekday()` and the API, so no translation is needed anywhere; the
      Saturday-first week is a matter of display only. A dated slot stores the
      weekday of its date too, so both kinds share one index.
    - `start`/`end` are minutes since local midnight (0..1440; 1440 is 24:00),
      in the region's wall-clock time, because people think "every Saturday
      09:00" whatever Egypt's summer time does; the selector converts the UTC
      window to local time with zoneinfo instead of storing UTC, which would
      shift by an hour twice a year.
    - The region, its time zone, the activity bitmask, the pause date and
      `matchable` are copied from the profile, so the covering index
      `slot_cover` (or `slot_cover_by_end`, keyed by end >= b, when that bound
      is tighter) answers (region, weekday, start <= a) with end, date,
      activity bit, pause and volunteer id from the index alone (index-only
      scan on PostgreSQL), and its partial condition drops volunteers who may
      never be matched (anonymised, minors without consent). The pause is a
      date compared with the window, so it is an included column rather than
      part of the partial condition.
    - The skill bitmask, gender, birth date and reliability are copied too, so matching
      scores and filters every candidate of a need from that one index-only
      scan (gender and age limits, skill coverage, fit of the slot) and reads
      profiles only for the few it then considers closely.
    Touching or overlapping slots of the same kind on the same day are merged
    on save, so one local day's part of a window is covered by one slot.
    """

    volunteer = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("volunteer"),
        db_index=False,  # slot_by_volunteer leads with it
    )
    kind = models.CharField(_("kind"), max_length=6, choices=SlotKind.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), help_text=_("0 = Monday … 6 = Sunday"))
    date = models.DateField(_("date"), null=True, blank=True)
    start = models.PositiveSmallIntegerField(_("start (minutes after midnight)"))
    end = models.PositiveSmallIntegerField(_("end (minutes after midnight)"))
    # Copies of the profile, for the index (kept in step by volunteers.services).
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    timezone = models.CharField(_("time zone"), max_length=40)
    activity_mask = models.BigIntegerField(_("activity bitmask"), default=0)
    paused_until = models.DateField(_("not available until"), null=True, blank=True)
    matchable = models.BooleanField(_("may be matched"), default=True)
    skill_mask = models.BigIntegerField(_("skill bitmask"), default=0)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    reliability = models.FloatField(_("reliability"), default=NEUTRAL_RELIABILITY, db_default=NEUTRAL_RELIABILITY)

    class Meta:
        ordering = ["kind", "date", "weekday", "start"]
        verbose_name = _("availability slot")
        verbose_name_plural = _("availability slots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__gte=0, end__lte=MINUTES_PER_DAY, start__lt=models.F("end")),
                name="slot_within_one_day",
            ),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="slot_weekday_0_6"),
            models.CheckConstraint(
                condition=models.Q(kind=SlotKind.WEEKLY, date__isnull=True)
                | models.Q(kind=SlotKind.DATED, date__isnull=False),
                name="slot_kind_matches_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "weekday", "start"],
                include=[
                    "end",
                    "date",
                    "activity_mask",
                    "paused_until",
                    "volunteer",
                    "skill_mask",
                    "gender",
                    "birth_date",
                    "reliability",
                ],
                condition=models.Q(matchable=True),
                name="slot_cover",
            ),
            # The same, keyed by the end: for an evening window "ends at or after 21:00"
            # reads half the rows "starts at or before 18:00" does, and the planner picks
            # whichever bound is tighter (Cairo's Saturday 18:00: 2.3 ms to 1.6 ms at 100,000).
            models.Index(
                fields=["region", "weekday", "end"],
                include=[
                    "start",
                    "date",
                    "activity_mask",
                    "paused_until",
                    "volunteer",
                    "skill_mask",
                    "gender",
                    "birth_date",
                    "reliability",
                ],
                condition=models.Q(matchable=True),
                name="slot_cover_by_end",
            ),
            models.Index(
                fields=["timezone", "weekday", "start"],
                include=["end", "date", "activity_mask", "paused_until", "volunteer"],
                condition=models.Q(matchable=True),
                name="slot_cover_by_zone",
            ),
            models.Index(fields=["volunteer", "kind", "weekday", "date"], name="slot_by_volunteer"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.date or self.weekday} {self.start}-{self.end}"

    @property
    def start_text(self) -> str:
        return format_time(self.start)

    @property
    def end_text(self) -> str:
        return format_time(self.end)
