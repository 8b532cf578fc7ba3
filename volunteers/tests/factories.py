import factory

from accounts.models import User
from core.models import Region
from volunteers.models import VolunteerProfile


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"volunteer{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    password = factory.django.Password("s3cret-pass!")


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    """A bare profile; tests that need slots or interests go through the services."""

    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Volunteer {n}")
    region = factory.LazyFunction(lambda: Region.objects.get(code="EG-C"))
