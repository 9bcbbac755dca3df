"""The personas every test starts from.

- requester: posts needs
- volunteer: claims them
- organizer: keeps the network running and may read private details
- outsider: a member with no part in the records under test (an outsider must always be refused)
"""

from django.test import TestCase

from mutualaid.accounts.models import Member
from mutualaid.aid import services
from mutualaid.aid.models import Category, Urgency
from mutualaid.areas.models import Area

PASSWORD = "correct horse battery"  # noqa: S105 (the personas' test password)


def make_areas():
    north = Area.objects.create(name="Northside")
    central = Area.objects.create(name="Central")
    south = Area.objects.create(name="Southside")
    far = Area.objects.create(name="Far Hills")
    north.neighbors.add(central)
    central.neighbors.add(south)
    return north, central, south, far


def make_member(handle, *, area=None, organizer=False):
    return Member.objects.create_user(handle, PASSWORD, home_area=area, is_organizer=organizer)


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.north, cls.central, cls.south, cls.far = make_areas()
        cls.groceries = Category.objects.get(slug="groceries")
        cls.rides = Category.objects.get(slug="rides")
        cls.requester = make_member("rosa", area=cls.north)
        cls.volunteer = make_member("vic", area=cls.central)
        cls.organizer = make_member("olga", area=cls.central, organizer=True)
        cls.outsider = make_member("otto", area=cls.south)

    def post_need(self, requester=None, **fields):
        values = {
            "requester": requester or self.requester,
            "category": self.groceries,
            "area": self.north,
            "summary": "Groceries for a family of four",
            "details": "Flat 3B, ring twice. Allergic to peanuts.",
            "urgency": Urgency.SOON,
        }
        values.update(fields)
        return services.need_post(**values)

    def claimed_need(self, **fields):
        need = self.post_need(**fields)
        services.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        return need
