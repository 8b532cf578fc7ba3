"""Reference data. Facts other rows copy are read-only here (see docs/denormalised.md):
a region's code and time zone (copied onto every availability slot) and an activity
type's or skill's position (its bit in every profile's, slot's and need's bitmask).
Names and whether an item is offered stay editable."""

from django.contrib import admin

from . import public_cache
from .models import ActivityType, Region, Skill


class _PublicNames(admin.ModelAdmin):
    """Names show on every public page and case card: a change shows at once."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_cache.bump(public_cache.ALL)


@admin.register(Region)
class RegionAdmin(_PublicNames):
    list_display = ("code", "name_ar", "name_en", "country", "timezone")
    list_filter = ("country", "timezone")
    search_fields = ("code", "name_ar", "name_en")
    readonly_fields = ("code", "country", "timezone")


class _BitAdmin(_PublicNames):
    list_display = ("slug", "name_ar", "name_en", "position", "is_active")
    list_editable = ("is_active",)
    list_filter = ("is_active",)
    search_fields = ("slug", "name_ar", "name_en")

    def get_readonly_fields(self, request, obj=None):
        # A new item takes the next free bit; an existing one keeps its bit and slug for ever.
        return ("slug", "position") if obj is not None else ("position",)

    def save_model(self, request, obj, form, change):
        if not change:
            last = type(obj).objects.order_by("-position").values_list("position", flat=True).first()
            obj.position = 0 if last is None else last + 1
        super().save_model(request, obj, form, change)


@admin.register(ActivityType)
class ActivityTypeAdmin(_BitAdmin):
    pass


@admin.register(Skill)
class SkillAdmin(_BitAdmin):
    pass
