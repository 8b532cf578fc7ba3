from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("email", "username", "language", "is_staff", "date_joined")
    search_fields = ("email", "username", "first_name", "last_name")
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("language", "moderates_everywhere")}))
