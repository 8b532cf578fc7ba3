import factory

from charities.models import Charity, Membership
from core.models import Region


class CharityFactory(factory.django.DjangoModelFactory):
    """A verified Egyptian charity serving Cairo unless told otherwise."""

    class Meta:
        model = Charity
        skip_postgeneration_save = True

    name_ar = factory.Sequence(lambda n: f"جمعية الخير {n}")
    name_en = factory.Sequence(lambda n: f"Good Deeds Society {n}")
    country = "EG"
    license_number = factory.Sequence(lambda n: f"MSS-{1000 + n}")
    status = Charity.Status.VERIFIED

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted or [Region.objects.get(code="EG-C" if self.country == "EG" else "SA-01")])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    charity = factory.SubFactory(CharityFactory)
    role = Membership.Role.OWNER
