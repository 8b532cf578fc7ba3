import io

import factory
from PIL import Image

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


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A JPEG carrying EXIF with a GPS position, as a phone camera writes it."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (30.0, 2.0, 40.0), "E", (31.0, 14.0, 10.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
