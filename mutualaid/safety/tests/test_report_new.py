"""Members report a need, an offer, a message or a member: only what they can see."""

from django.urls import reverse

from mutualaid.aid import services as aid_services
from mutualaid.aid.models import OfferStatus
from mutualaid.safety.models import Reason, Report, ReportStatus, SubjectKind
from mutualaid.safety.tests.helpers import SafetyTestCase, safety_counts
from mutualaid.test import share_private_text

VALID = {"reason": Reason.SCAM, "details": "Asked me for money up front."}


class ReportNeedTests(SafetyTestCase):
    def setUp(self):
        self.need = self.post_need()
        self.url = reverse("safety:report_need", args=[self.need.code])

    def test_the_need_page_links_to_the_report_form_for_others_only(self):
        self.client.force_login(self.outsider)
        self.assertContains(self.client.get(reverse("aid:need", args=[self.need.code])), self.url)
        self.client.force_login(self.requester)
        self.assertNotContains(
            self.client.get(reverse("aid:need", args=[self.need.code])), self.url
        )

    def test_it_shows_the_form(self):
        self.client.force_login(self.outsider)
        response = self.client.get(self.url)
        self.assertContains(response, "Report the need")
        self.assertContains(response, Reason.SCAM.label)

    def test_it_files_a_report(self):
        self.client.force_login(self.outsider)
        response = self.client.post(self.url, VALID)
        self.assertRedirects(response, reverse("aid:need", args=[self.need.code]))
        report = Report.objects.get()
        self.assertEqual(
            (report.kind, report.need, report.reporter, report.reason, report.status),
            (SubjectKind.NEED, self.need, self.outsider, Reason.SCAM, ReportStatus.OPEN),
        )
        self.assertEqual(report.details, VALID["details"])

    def test_it_sends_the_anonymous_visitor_to_log_in(self):
        before = safety_counts()
        response = self.client.post(self.url, VALID)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertNothingChanged(before)

    def test_it_hides_a_need_the_member_cannot_see(self):
        need = self.claimed_need()
        self.client.force_login(self.outsider)
        before = safety_counts()
        url = reverse("safety:report_need", args=[need.code])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, VALID).status_code, 404)
        self.assertNothingChanged(before)

    def test_it_refuses_a_bad_reason(self):
        self.client.force_login(self.outsider)
        before = safety_counts()
        for data in ({}, {"reason": "nope"}, {"reason": Reason.SPAM, "details": "x" * 501}):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 422)
        self.assertNothingChanged(before)

    def test_it_refuses_a_report_about_ones_own_need(self):
        self.client.force_login(self.requester)
        before = safety_counts()
        response = self.client.post(self.url, VALID)
        self.assertContains(response, "cannot report yourself", status_code=422)
        self.assertNothingChanged(before)


class ReportOfferTests(SafetyTestCase):
    def test_it_files_a_report_about_an_offer(self):
        offer = self.post_offer()
        self.client.force_login(self.outsider)
        self.assertContains(
            self.client.get(reverse("aid:offer", args=[offer.code])),
            reverse("safety:report_offer", args=[offer.code]),
        )
        response = self.client.post(reverse("safety:report_offer", args=[offer.code]), VALID)
        self.assertRedirects(response, reverse("aid:offer", args=[offer.code]))
        self.assertEqual(Report.objects.get().offer, offer)

    def test_it_hides_an_offer_the_member_cannot_see(self):
        offer = self.post_offer()
        aid_services.offer_withdraw(offer=offer, member=self.volunteer)
        self.assertEqual(offer.status, OfferStatus.WITHDRAWN)
        self.client.force_login(self.outsider)
        before = safety_counts()
        url = reverse("safety:report_offer", args=[offer.code])
        self.assertEqual(self.client.post(url, VALID).status_code, 404)
        self.assertNothingChanged(before)

    def test_the_offerer_cannot_report_their_own_offer(self):
        offer = self.post_offer()
        self.client.force_login(self.volunteer)
        before = safety_counts()
        url = reverse("safety:report_offer", args=[offer.code])
        self.assertEqual(self.client.post(url, VALID).status_code, 422)
        self.assertNothingChanged(before)


class ReportMessageTests(SafetyTestCase):
    def setUp(self):
        self.need = self.claimed_need()
        share_private_text(self.need)
        self.theirs = self.need.claims.get().messages.get(sender=self.volunteer)
        self.url = reverse("safety:report_message", args=[self.theirs.code])

    def test_each_message_of_someone_else_has_a_report_link(self):
        self.client.force_login(self.requester)
        page = self.client.get(reverse("aid:need", args=[self.need.code]))
        self.assertContains(page, self.url)
        mine = self.need.claims.get().messages.get(sender=self.requester)
        self.assertNotContains(page, reverse("safety:report_message", args=[mine.code]))

    def test_it_files_a_report_about_a_message(self):
        self.client.force_login(self.requester)
        response = self.client.post(self.url, VALID)
        self.assertRedirects(response, reverse("aid:need", args=[self.need.code]))
        report = Report.objects.get()
        self.assertEqual((report.kind, report.message), (SubjectKind.MESSAGE, self.theirs))

    def test_it_hides_a_message_from_those_who_cannot_read_it(self):
        before = safety_counts()
        for member in (self.outsider,):
            self.client.force_login(member)
            self.assertEqual(self.client.get(self.url).status_code, 404)
            self.assertEqual(self.client.post(self.url, VALID).status_code, 404)
        self.assertNothingChanged(before)

    def test_a_volunteer_whose_claim_ended_cannot_report_its_messages(self):
        aid_services.need_release(need=self.need, member=self.volunteer)
        mine = self.need.claims.get().messages.get(sender=self.requester)
        self.client.force_login(self.volunteer)
        before = safety_counts()
        url = reverse("safety:report_message", args=[mine.code])
        self.assertEqual(self.client.post(url, VALID).status_code, 404)
        self.assertNothingChanged(before)

    def test_it_refuses_a_report_about_ones_own_message(self):
        self.client.force_login(self.volunteer)
        before = safety_counts()
        self.assertEqual(self.client.post(self.url, VALID).status_code, 422)
        self.assertNothingChanged(before)


class ReportMemberTests(SafetyTestCase):
    def setUp(self):
        self.url = reverse("safety:report_member")

    def test_it_files_a_report_about_a_member_by_handle(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        response = self.client.post(self.url, {**VALID, "handle": "@OTTO"})
        self.assertRedirects(response, reverse("safety:blocks"))
        report = Report.objects.get()
        self.assertEqual((report.kind, report.member), (SubjectKind.MEMBER, self.outsider))

    def test_it_refuses_an_unknown_handle_or_oneself(self):
        self.client.force_login(self.requester)
        before = safety_counts()
        for handle in ("nobody-here", "", "rosa"):
            with self.subTest(handle=handle):
                response = self.client.post(self.url, {**VALID, "handle": handle})
                self.assertEqual(response.status_code, 422)
        self.assertNothingChanged(before)

    def test_it_sends_the_anonymous_visitor_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
