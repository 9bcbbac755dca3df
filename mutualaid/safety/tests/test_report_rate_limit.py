from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from mutualaid.safety.models import Report
from mutualaid.test import BaseTestCase


class ReportRateLimitTestCase(BaseTestCase):
    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "reports": (2, 86400)})
    def test_a_member_filing_too_many_reports_is_asked_to_wait(self):
        self.client.force_login(self.requester)
        url = reverse("safety:report_member")
        for _ in range(2):
            response = self.client.post(url, {"handle": "otto", "reason": "spam", "details": ""})
            self.assertEqual(response.status_code, 302)
        response = self.client.post(url, {"handle": "otto", "reason": "spam", "details": ""})
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response.headers)
        self.assertEqual(Report.objects.count(), 2)

    def test_the_outsider_must_log_in_first(self):
        response = self.client.post(reverse("safety:report_member"), {"handle": "otto"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
