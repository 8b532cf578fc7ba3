from django.urls import path

from impact.api import views

urlpatterns = [
    path("charities/<int:pk>/impact/", views.CharityImpactApi.as_view(), name="charity-impact"),
    path("stats/", views.StatsApi.as_view(), name="stats"),
]
