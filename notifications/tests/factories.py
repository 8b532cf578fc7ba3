import factory
from django.contrib.auth import get_user_model

from notifications.models import WebhookEndpoint


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    language = "ar"


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    # Tests may cross the leaf boundary: the endpoint's charity comes from charities' factory.
    charity = factory.SubFactory("charities.tests.factories.CharityFactory")
    owner = factory.SubFactory(UserFactory)
    url = factory.Sequence(lambda n: f"https://hooks.example.org/{n}")


def verify_phone(user, number: str, channel: str = "sms"):
    """A number proved by a code (the services' way is tested in test_phones.py)."""
    from django.utils import timezone

    from notifications.models import PhoneVerification

    row, _created = PhoneVerification.objects.update_or_create(
        user=user,
        channel=channel,
        defaults={"number": number, "verified_number": number, "verified_at": timezone.now()},
    )
    return row
