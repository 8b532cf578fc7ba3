from demo.data import VOLUNTEER_EMAIL, demo_load
from volunteers.models import AvailabilitySlot, VolunteerProfile


def test_the_demo_has_dozens_of_volunteers_in_five_regions_and_loads_once(db):
    created, accounts = demo_load()
    assert created and ("volunteer", VOLUNTEER_EMAIL) in accounts
    profiles = VolunteerProfile.objects.all()
    assert profiles.count() >= 30
    assert set(profiles.values_list("region__code", flat=True)) == {"EG-C", "EG-GZ", "EG-ALX", "SA-01", "SA-02"}
    assert all(p.phone.startswith(("+20", "+966")) for p in profiles)
    slots = AvailabilitySlot.objects.count()
    assert AvailabilitySlot.objects.filter(volunteer__user__email=VOLUNTEER_EMAIL).exists()
    assert AvailabilitySlot.objects.filter(kind="dated").exists()
    created, _ = demo_load()
    assert not created
    assert (VolunteerProfile.objects.count(), AvailabilitySlot.objects.count()) == (profiles.count(), slots)
