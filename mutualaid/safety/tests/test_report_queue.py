"""The safety queue: open reports, oldest first, for safety officers only, at a fixed cost."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid.models import PrivateAccess
from mutualaid.safety import services
from mutualaid.safety.models import Reason, Report, ReportAction
from mutualaid.safety.tests.helpers import SafetyTestCase
from mutualaid.test import CANARY, make_member, share_private_text
from mutualaid.trust.models import Role


class ReportQueueTests(SafetyTestCase):
    def setUp(self):
        self.url = reverse("safety:report_queue")

    def one_of_each(self, reporter, prefix=""):
        """A report about a member, a need, an offer and a message."""
        need = self.claimed_need(summary=f"{prefix}Groceries")
        share_private_text(need)
        message = need.claims.get().messages.get(sender=self.volunteer)
        return [
            services.report_file(reporter=reporter, reason=Reason.SPAM, member=self.volunteer),
            services.report_file(reporter=reporter, reason=Reason.SPAM, need=need),
            services.report_file(reporter=reporter, reason=Reason.SPAM, offer=self.post_offer()),
            services.report_file(reporter=self.requester, reason=Reason.SPAM, message=message),
        ]

    def test_it_lists_open_reports_oldest_first(self):
        older, newer = self.one_of_each(self.outsider)[:2]
        Report.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
        handled = services.report_file(reporter=self.outsider, reason=Reason.SPAM, need=newer.need)
        services.report_handle(report=handled, officer=self.officer, action=ReportAction.DISMISS)
        self.client.force_login(self.officer)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        shown = list(response.context["reports"])
        self.assertEqual(shown[0], older)
        self.assertEqual(len(shown), 4)
        self.assertNotIn(handled, shown)
        self.assertContains(response, reverse("safety:report_detail", args=[older.code]))
        self.assertNotContains(response, CANARY)  # message bodies wait for the report's page

    def test_its_query_count_does_not_grow_with_the_reports(self):
        self.client.force_login(self.officer)
        self.one_of_each(self.outsider, prefix="a")
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for i in range(3):
            self.one_of_each(make_member(f"reporter{i}"), prefix=str(i))
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["reports"]), 16)
        self.assertEqual(len(many), len(few))

    def test_it_refuses_everyone_but_safety_officers(self):
        self.assertRedirects(
            self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}"
        )
        triager = make_member("tara", roles=[Role.TRIAGER])
        for member in (self.outsider, self.requester, self.organizer, triager):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(self.url).status_code, 403)


class ReportDetailTests(SafetyTestCase):
    def setUp(self):
        need = self.claimed_need()
        share_private_text(need)
        self.message = need.claims.get().messages.get(sender=self.volunteer)
        self.report = services.report_file(
            reporter=self.requester,
            reason=Reason.HARASSMENT,
            details="Rude to me.",
            message=self.message,
        )
        self.url = reverse("safety:report_detail", args=[self.report.code])

    def test_it_shows_the_reported_message_and_records_the_reading(self):
        self.client.force_login(self.officer)
        response = self.client.get(self.url)
        self.assertContains(response, CANARY)
        self.assertContains(response, "Rude to me.")
        self.assertContains(response, "vic")
        self.assertEqual(PrivateAccess.objects.filter(viewer=self.officer).count(), 1)

    def test_it_refuses_everyone_but_safety_officers(self):
        self.assertRedirects(
            self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}"
        )
        for member in (self.outsider, self.requester, self.organizer):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_an_unknown_report_is_404(self):
        self.client.force_login(self.officer)
        url = reverse("safety:report_detail", args=["00000000-0000-0000-0000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)


class ReportQueueLinkTests(SafetyTestCase):
    def test_only_safety_officers_see_the_queue_in_the_menu(self):
        url = reverse("safety:report_queue")
        self.client.force_login(self.officer)
        self.assertContains(self.client.get(reverse("aid:board")), url)
        self.client.force_login(self.organizer)
        self.assertNotContains(self.client.get(reverse("aid:board")), url)
