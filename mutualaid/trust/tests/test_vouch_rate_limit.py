from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Vouch


class VouchRateLimitTestCase(BaseTestCase):
    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "vouches": (1, 86400)})
    def test_too_many_vouches_in_a_day_are_asked_to_wait(self):
        first = make_member("first.newcomer", level=Level.NEWCOMER)
        second = make_member("second.newcomer", level=Level.NEWCOMER)
        self.client.force_login(self.volunteer)
        url = reverse("trust:vouch")
        response = self.client.post(url, {"handle": first.handle, "note": "Neighbors for years"})
        self.assertEqual(response.status_code, 302)
        response = self.client.post(url, {"handle": second.handle, "note": "From the school"})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Vouch.objects.filter(vouchee=second).count(), 0)
