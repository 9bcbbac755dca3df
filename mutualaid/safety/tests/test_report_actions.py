"""What a safety officer does with a report: dismiss, hide the post, warn, suspend.

Each action is written on the report, and the reporter is told, without details, that it was
handled.
"""

from django.urls import reverse

from mutualaid.accounts.models import Notice
from mutualaid.aid import selectors as aid_selectors
from mutualaid.lib.refusal import Refusal
from mutualaid.safety import services
from mutualaid.safety.models import Reason, Report, ReportAction, ReportStatus
from mutualaid.safety.tests.helpers import SafetyTestCase, safety_counts
from mutualaid.test import make_member, share_private_text
from mutualaid.trust.models import Level, Vouch


class ReportActionTestCase(SafetyTestCase):
    def setUp(self):
        self.need = self.post_need()
        self.report = services.report_file(
            reporter=self.outsider, reason=Reason.SCAM, need=self.need
        )
        self.url = reverse("safety:report_handle", args=[self.report.code])

    def handle(self, action, note="", **extra):
        self.client.force_login(self.officer)
        return self.client.post(self.url, {"action": action, "note": note, **extra})

    def thanks(self):
        return [
            notice.text for notice in Notice.objects.filter(member=self.outsider).order_by("pk")
        ]


class DismissTests(ReportActionTestCase):
    def test_it_dismisses_and_tells_the_reporter(self):
        response = self.handle(ReportAction.DISMISS, note="A real need.")
        self.assertRedirects(response, reverse("safety:report_queue"))
        self.report.refresh_from_db()
        self.assertEqual(
            (self.report.status, self.report.action, self.report.handled_by),
            (ReportStatus.DISMISSED, ReportAction.DISMISS, self.officer),
        )
        self.assertIsNotNone(self.report.handled_at)
        self.assertEqual(self.report.action_note, "A real need.")
        self.assertEqual(
            self.thanks(),
            ["Thank you: your report about “Groceries for a family of four” has been handled."],
        )

    def test_a_handled_report_cannot_be_handled_again(self):
        self.handle(ReportAction.DISMISS)
        before = safety_counts()
        response = self.handle(ReportAction.HIDE)
        self.assertEqual(response.status_code, 422)
        self.assertNothingChanged(before)
        self.report.refresh_from_db()
        self.assertEqual(self.report.action, ReportAction.DISMISS)

    def test_two_officers_at_once_handle_it_once(self):
        stale = Report.objects.get(pk=self.report.pk)
        services.report_handle(report=self.report, officer=self.officer, action="dismiss")
        before = safety_counts()
        with self.assertRaises(Refusal):
            services.report_handle(report=stale, officer=self.organizer, action="hide")
        self.assertNothingChanged(before)
        self.need.refresh_from_db()
        self.assertIsNone(self.need.hidden_at)

    def test_it_refuses_everyone_but_safety_officers(self):
        before = safety_counts()
        response = self.client.post(self.url, {"action": "dismiss"})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        for member in (self.outsider, self.requester, self.organizer):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.post(self.url, {"action": "dismiss"}).status_code, 403)
        self.assertNothingChanged(before)
        self.report.refresh_from_db()
        self.assertTrue(self.report.is_open())

    def test_it_refuses_bad_input(self):
        self.client.force_login(self.officer)
        before = safety_counts()
        for data in ({}, {"action": "delete"}, {"action": "warn", "note": "  "}):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 422)
        self.assertNothingChanged(before)
        self.report.refresh_from_db()
        self.assertTrue(self.report.is_open())

    def test_it_only_takes_a_post(self):
        self.client.force_login(self.officer)
        self.assertEqual(self.client.get(self.url).status_code, 405)


class HideTests(ReportActionTestCase):
    def test_a_hidden_need_leaves_the_board_and_everyone_but_its_author_and_organizers(self):
        self.handle(ReportAction.HIDE)
        self.need.refresh_from_db()
        self.assertIsNotNone(self.need.hidden_at)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.ACTIONED)
        self.assertNotIn(self.need, aid_selectors.board_needs(viewer=self.volunteer))
        self.assertNotIn(self.need, aid_selectors.board_needs(viewer=self.organizer))
        page = reverse("aid:need", args=[self.need.code])
        for member, status in (
            (self.outsider, 404),
            (self.volunteer, 404),
            (self.requester, 200),
            (self.organizer, 200),
        ):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(page).status_code, status)
        self.assertEqual(len(self.thanks()), 1)

    def test_a_hidden_offer_leaves_the_board_and_everyone_but_its_author_and_organizers(self):
        offer = self.post_offer()
        report = services.report_file(reporter=self.outsider, reason=Reason.SPAM, offer=offer)
        services.report_handle(report=report, officer=self.officer, action=ReportAction.HIDE)
        offer.refresh_from_db()
        self.assertIsNotNone(offer.hidden_at)
        self.assertNotIn(offer, aid_selectors.board_offers(viewer=self.requester))
        page = reverse("aid:offer", args=[offer.code])
        for member, status in ((self.requester, 404), (self.volunteer, 200), (self.organizer, 200)):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(page).status_code, status)

    def test_a_report_about_a_member_has_no_post_to_hide(self):
        report = services.report_file(
            reporter=self.outsider, reason=Reason.SPAM, member=self.volunteer
        )
        self.client.force_login(self.officer)
        before = safety_counts()
        url = reverse("safety:report_handle", args=[report.code])
        self.assertEqual(self.client.post(url, {"action": "hide"}).status_code, 422)
        self.assertNothingChanged(before)


class WarnTests(ReportActionTestCase):
    def test_it_warns_the_author_with_the_officers_words(self):
        self.handle(ReportAction.WARN, note="Please do not ask for money.")
        self.assertEqual(
            [n.text for n in Notice.objects.filter(member=self.requester).order_by("pk")],
            ["A warning from the network's safety officers: Please do not ask for money."],
        )
        self.report.refresh_from_db()
        self.assertEqual(
            (self.report.status, self.report.action, self.report.action_note),
            (ReportStatus.ACTIONED, ReportAction.WARN, "Please do not ask for money."),
        )
        # The reporter learns it was handled, not how.
        self.assertEqual(len(self.thanks()), 1)
        self.assertNotIn("money", self.thanks()[0])


class SuspendTests(ReportActionTestCase):
    def test_it_suspends_the_author_with_the_reason_they_see(self):
        vouchee = make_member("vera")
        Vouch.objects.create(voucher=self.requester, vouchee=vouchee, note="neighbor")
        response = self.handle(ReportAction.SUSPEND, note="Scamming neighbors.", flag_branch="on")
        self.assertRedirects(response, reverse("safety:report_queue"))
        self.requester.refresh_from_db()
        self.assertEqual(self.requester.level, Level.SUSPENDED)
        self.assertEqual(self.requester.suspension_reason, "Scamming neighbors.")
        vouchee.refresh_from_db()
        self.assertIsNotNone(vouchee.review_hold_at)
        self.report.refresh_from_db()
        self.assertEqual(
            (self.report.action, self.report.handled_by), (ReportAction.SUSPEND, self.officer)
        )
        self.assertEqual(len(self.thanks()), 1)

    def test_a_suspension_needs_a_reason(self):
        before = safety_counts()
        response = self.handle(ReportAction.SUSPEND, note="")
        self.assertEqual(response.status_code, 422)
        self.assertNothingChanged(before)
        self.requester.refresh_from_db()
        self.assertEqual(self.requester.level, Level.VOUCHED)


class ThanksInTheReportersLanguageTests(SafetyTestCase):
    def test_a_report_about_a_message_is_worded_when_read_in_the_readers_language(self):
        from django.utils import translation

        need = self.claimed_need(summary="Groceries")
        share_private_text(need)
        message = need.claims.get().messages.get(sender=self.volunteer)
        report = services.report_file(reporter=self.requester, reason=Reason.SPAM, message=message)
        with translation.override("en"):  # the officer reads English
            services.report_handle(report=report, officer=self.officer, action=ReportAction.DISMISS)
        notice = Notice.objects.get(member=self.requester, kind="report_handled_message")
        with translation.override("es"):
            self.assertEqual(
                notice.text,
                "Gracias: tu reporte sobre un mensaje acerca de “Groceries” ya fue atendido.",
            )
        with translation.override("en"):
            self.assertEqual(
                notice.text,
                "Thank you: your report about a message about “Groceries” has been handled.",
            )
