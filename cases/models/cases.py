"""Cases, their needs, their timeline of updates and who follows them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charities.models import Charity
from core.models import ActivityType, Region, Skill


class Urgency(models.IntegerChoices):
    NORMAL = 1, _("normal")
    URGENT = 2, _("urgent")
    CRITICAL = 3, _("critical")


class Case(models.Model):
    """A humanitarian situation. The story is public; `private_details` is for its charity and moderators."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    PUBLIC_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED)
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN, Status.CLOSED},
        Status.OPEN: {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED},
        Status.IN_PROGRESS: {Status.OPEN, Status.RESOLVED, Status.CLOSED},
        Status.RESOLVED: set(),
        Status.CLOSED: set(),
    }

    charity = models.ForeignKey(
        Charity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("charity"),
        help_text=_("Empty for an approved public report no charity has claimed yet."),
    )
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("story"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("region"))
    activity_type = models.ForeignKey(
        ActivityType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity type"),
    )
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    cover_photo = models.ImageField(_("cover photo"), upload_to="cases/covers/", blank=True)
    private_details = models.TextField(
        _("private details"), blank=True, help_text=_("Beneficiary names, phones, addresses: never shown publicly.")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    public_latitude = models.FloatField(_("public latitude (blurred)"), null=True, blank=True, editable=False)
    public_longitude = models.FloatField(_("public longitude (blurred)"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "region", "-published_at"], name="case_public_list"),
            models.Index(fields=["charity", "status"], name="case_by_charity"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES and (self.charity_id is None or self.charity.is_verified)

    @property
    def is_claimable(self) -> bool:
        return self.charity_id is None and self.status == self.Status.OPEN


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="cases/photos/")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.image.name}"


class CaseStatusChange(models.Model):
    """Every lifecycle change of a case, kept for its history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Case.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case status change")
        verbose_name_plural = _("case status changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Need(models.Model):
    """One piece of help a case asks volunteers for. Consumed by matching.

    `region` is copied from the case so matching filters needs without a join;
    `matching_requested_at` is the dirty flag: set whenever the need is created
    or its matching inputs change, cleared by matching when it has run.
    `volunteers_confirmed` is kept by matching; a need with confirmed volunteers
    can no longer be edited. An occurrence of a repeating need carries its
    `series` and local `occurrence_date`; `cancelled_at` marks one called off
    (kept, so the series never creates it again, and shown struck through).
    """

    class Gender(models.TextChoices):
        ANY = "", _("anyone")
        FEMALE = "female", _("women only")
        MALE = "male", _("men only")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs", verbose_name=_("case"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="needs", verbose_name=_("activity type")
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="needs", verbose_name=_("skills"))
    description = models.CharField(_("what to do"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteers needed"), default=1)
    volunteers_confirmed = models.PositiveSmallIntegerField(_("volunteers confirmed"), default=0, editable=False)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True, default=Gender.ANY)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    radius_km = models.PositiveSmallIntegerField(_("radius (km)"), null=True, blank=True)
    matching_requested_at = models.DateTimeField(_("matching requested at"), null=True, blank=True, editable=False)
    series = models.ForeignKey(
        "cases.NeedSeries",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
        editable=False,
        verbose_name=_("repeating need"),
    )
    occurrence_date = models.DateField(_("local date of the occurrence"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            models.Index(fields=["region", "starts_at"], name="need_region_start"),
            models.Index(fields=["matching_requested_at"], name="need_matching_dirty"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="need_ends_after_start"),
            models.CheckConstraint(condition=models.Q(volunteers_needed__gte=1), name="need_at_least_one_volunteer"),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=models.Q(series__isnull=False),
                name="need_one_per_series_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_type} · {self.case}"


class CaseUpdate(models.Model):
    """Progress posted by the charity on the case's timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("text"))
    is_achievement = models.BooleanField(_("achievement"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case update")
        verbose_name_plural = _("case updates")

    def __str__(self) -> str:
        return self.text[:60]


class CaseUpdatePhoto(models.Model):
    update = models.ForeignKey(CaseUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="cases/updates/")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name


class CaseFollow(models.Model):
    """Someone who gets the case's updates: a follower, or a volunteer matching confirmed for it."""

    class Reason(models.TextChoices):
        FOLLOWED = "followed", _("follows the case")
        VOLUNTEERED = "volunteered", _("volunteers for the case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_follows")
    reason = models.CharField(max_length=12, choices=Reason.choices, default=Reason.FOLLOWED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case follower")
        verbose_name_plural = _("case followers")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id}"


class CaseHandover(models.Model):
    """A charity asks the charity holding a case to hand it over; that charity's owner decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="handovers_out")
    to_charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="handovers_in")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case handover request")
        verbose_name_plural = _("case handover requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "to_charity"],
                condition=models.Q(status="pending"),
                name="handover_one_pending_per_charity",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_charity_id} → {self.to_charity_id} ({self.status})"
