import pytest

from notifications.tests.fake_provider import fake_provider

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
TWILIO_TOKEN = "test-twilio-token"


@pytest.fixture
def whatsapp_provider(settings):
    """The WhatsApp Cloud API played on 127.0.0.1, and the settings pointing at it."""
    with fake_provider() as provider:
        settings.WHATSAPP_API_BASE = f"{provider.url}/v21.0"
        settings.WHATSAPP_PHONE_NUMBER_ID = "1234"
        settings.WHATSAPP_TOKEN = "test-token"
        settings.WHATSAPP_APP_SECRET = APP_SECRET
        settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
        settings.PROVIDER_TIMEOUT = 1.0
        yield provider


@pytest.fixture
def twilio_provider(settings):
    default = (201, {"sid": "SM0001", "status": "queued"}, 0.0)
    with fake_provider(default=default) as provider:
        settings.SMS_PROVIDER = "twilio"
        settings.TWILIO_API_BASE = provider.url
        settings.TWILIO_ACCOUNT_SID = "AC123"
        settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
        settings.TWILIO_FROM = "+15550001111"
        settings.SMS_SENDERS = {"EG": "VolunteerBk", "SA": "+966500000000"}
        settings.SITE_URL = "https://volunteerbank.example"
        settings.PROVIDER_TIMEOUT = 1.0
        yield provider


@pytest.fixture
def reachable(db):
    """make(number, channel) → a volunteer whose profile holds `number` (typed any way)
    for that channel, proved by a code."""
    from notifications.tests.factories import verify_phone
    from volunteers.services import profile_update
    from volunteers.tests.factories import UserFactory

    def make(number="0100 123 4567", channel="whatsapp", language="ar", region="EG-C"):
        user = UserFactory(language=language)
        field = "whatsapp_number" if channel == "whatsapp" else "sms_number"
        profile = profile_update(user=user, changes={"region": region, "display_name": "Huda", field: number})
        verify_phone(user, getattr(profile, field), channel=channel)
        return user

    return make
