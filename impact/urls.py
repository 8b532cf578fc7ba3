from django.urls import path

from impact import views

app_name = "impact"

urlpatterns = [
    path("charities/<int:pk>/impact/", views.charity_impact, name="charity"),
    path("charities/<int:pk>/impact.csv", views.charity_impact_csv, name="charity-csv"),
    path("charities/<int:pk>/impact.pdf", views.charity_impact_pdf, name="charity-pdf"),
    path("impact/", views.platform, name="platform"),
    path("impact/c/<int:pk>/", views.charity_share, name="share"),
    path("moderation/impact/", views.moderation, name="moderation"),
]
