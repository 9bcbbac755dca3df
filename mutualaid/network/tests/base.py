"""What the admins' page tests share: a non-admin organizer; proof that outsiders are refused."""

from django.test import Client
from django.urls import reverse

from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role


class NetworkAdminTestCase(BaseTestCase):
    """``organizer`` is an admin; ``triager`` is an organizer who is not."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tess", roles=[Role.TRIAGER, Role.DISPATCHER, Role.SAFETY])

    def setUp(self):
        self.client.force_login(self.organizer)

    def assert_outsiders_refused(self, url, *, method="get", data=None, unchanged=None):
        """Anonymous: sent to log in. A plain member and a non-admin organizer: 403.

        ``unchanged``: a function whose value must be the same after the three tries.
        """
        before = unchanged() if unchanged else None
        response = getattr(Client(), method)(url, data or {})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
        for member in (self.outsider, self.triager):
            client = Client()
            client.force_login(member)
            self.assertEqual(getattr(client, method)(url, data or {}).status_code, 403, member)
        if unchanged:
            self.assertEqual(unchanged(), before)
