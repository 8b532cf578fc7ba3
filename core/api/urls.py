from django.urls import path

from core.api import views

urlpatterns = [
    path("regions/", views.RegionListApi.as_view(), name="region-list"),
    path("activity-types/", views.ActivityTypeListApi.as_view(), name="activity-type-list"),
    path("skills/", views.SkillListApi.as_view(), name="skill-list"),
]
