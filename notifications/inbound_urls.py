from django.urls import path

from notifications import inbound_views

app_name = "provider-webhooks"

urlpatterns = [
    path("whatsapp/", inbound_views.whatsapp_webhook, name="whatsapp"),
    path("sms/", inbound_views.sms_webhook, name="sms"),
]
