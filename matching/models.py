"""A match: one volunteer proposed for one need, and everything that happens to it.

Every change of `status` goes through one function of `matching.services`.
The need's window (`starts_at`, `ends_at`, `minutes`) is copied onto the match
so the double-booking and weekly-hours rules read one index of the volunteer's
commitments instead of joining needs; a need can no longer move once someone
is confirmed for it, so confirmed copies never go stale.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Need
from charities.models import Charity
from volunteers.models import VolunteerProfile


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        INVITED = "invited", _("invited")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED_BY_CHARITY = "declined_by_charity", _("declined by the organisation")
        DECLINED_BY_VOLUNTEER = "declined_by_volunteer", _("declined by the volunteer")
        EXPIRED = "expired", _("expired")
        CANCELLED = "cancelled", _("cancelled")

    class Source(models.TextChoices):
        MATCHING = "matching", _("found by matching")
        OFFER = "offer", _("offered to help")

    OPEN_STATUSES = (Status.PROPOSED, Status.INVITED)

    # No single-column indexes on need and volunteer: the unique (need, volunteer) and
    # `match_volunteer_recent` lead with them, and every proposal would write two more.
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="matches", verbose_name=_("need"), db_index=False
    )
    volunteer = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("volunteer"),
        db_index=False,
    )
    charity = models.ForeignKey(
        Charity, on_delete=models.CASCADE, related_name="matches", verbose_name=_("organisation"), db_index=False
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MATCHING)
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    minutes = models.PositiveIntegerField(_("minutes"))
    proposed_at = models.DateTimeField(_("proposed at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("invitation expires at"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(
        _("waiting for a place since"),
        null=True,
        blank=True,
        help_text=_("Set when the volunteer accepted while the need was full."),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["need", "volunteer"], name="match_once_per_need_and_volunteer"),
        ]
        indexes = [
            # The charity's review list: ?status= ranked by score.
            models.Index(fields=["charity", "status", "-score"], name="match_charity_review"),
            models.Index(fields=["need", "status", "-score"], name="match_need_status"),
            # A volunteer's confirmed commitments: double booking and the weekly-hours limit.
            models.Index(
                fields=["volunteer", "starts_at"],
                include=["ends_at", "minutes"],
                condition=models.Q(status="confirmed"),
                name="match_commitments",
            ),
            # Fairness: how often a volunteer was asked lately; and their own list.
            models.Index(fields=["volunteer", "proposed_at"], name="match_volunteer_recent"),
            models.Index(fields=["expires_at"], condition=models.Q(status="invited"), name="match_invitation_expiry"),
            # Proposals waiting for the charity's review: the 24-hour reminder (matching.response_times).
            models.Index(fields=["proposed_at"], condition=models.Q(status="proposed"), name="match_waiting_review"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → need {self.need_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CalendarFeed(models.Model):
    """A volunteer's private calendar subscription: whoever holds the token reads
    their confirmed commitments as iCalendar, so a phone's calendar can poll it
    without signing in.

    The token is stored as issued (not hashed) because the dashboard and the API
    must show the link again whenever asked; it grants reading one schedule and
    nothing else, and rotating it (a new row value) or revoking it (the row
    deleted) is how a leaked link is stopped. The unique index answers a lookup.
    """

    volunteer = models.OneToOneField(
        VolunteerProfile, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("volunteer")
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.volunteer_id}"


class SeriesCommitment(models.Model):
    """A volunteer said yes to every day of a repeating need (`matching.occurrences`).

    Each day is still its own confirmed match (capacity, clashes, reminders and
    the calendar feed work per day); this row is what makes the days the series
    creates later confirm them too. `ended_at` is set when they leave the series."""

    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="series_commitments", verbose_name=_("volunteer")
    )
    series = models.ForeignKey(
        "cases.NeedSeries", on_delete=models.CASCADE, related_name="commitments", verbose_name=_("repeating need")
    )
    created_at = models.DateTimeField(_("created at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment to a repeating need")
        verbose_name_plural = _("commitments to repeating needs")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "series"], name="series_commitment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → series {self.series_id}"
