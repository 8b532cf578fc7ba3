from django.contrib import admin

from .models import ActivityType, Region, Skill


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en", "country", "timezone")
    list_filter = ("country", "timezone")
    search_fields = ("code", "name_ar", "name_en")


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_ar", "name_en", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("slug", "name_ar", "name_en")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_ar", "name_en", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("slug", "name_ar", "name_en")
