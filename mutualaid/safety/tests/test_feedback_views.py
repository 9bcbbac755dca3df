"""The follow-up page (each side of a closed need, once) and the organizers' page of answers."""

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid import services as aid_services
from mutualaid.safety.models import Feedback, Outcome, Reason, Report, Side
from mutualaid.safety.tests.helpers import SafetyTestCase, safety_counts
from mutualaid.test import make_member
from mutualaid.trust.models import Role

WORDS = "The volunteer was lovely. words-canary-3c2"


class FeedbackViewTestCase(SafetyTestCase):
    def setUp(self):
        self.need = self.fulfilled_need()
        self.need.refresh_from_db()
        aid_services.need_confirm(need=self.need, member=self.requester)
        self.url = reverse("safety:feedback", args=[self.need.code])

    def flashed(self, response):
        return " ".join(str(m) for m in get_messages(response.wsgi_request))


class FeedbackPageTests(FeedbackViewTestCase):
    def test_the_need_page_links_to_it_for_each_side_only(self):
        need_url = reverse("aid:need", args=[self.need.code])
        for member in (self.requester, self.volunteer):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertContains(self.client.get(need_url), self.url)
        self.client.force_login(self.organizer)
        self.assertNotContains(self.client.get(need_url), self.url)

    def test_each_side_is_asked_its_own_question(self):
        self.client.force_login(self.requester)
        self.assertContains(self.client.get(self.url), "Did you get what you needed?")
        self.client.force_login(self.volunteer)
        page = self.client.get(self.url)
        self.assertContains(page, "Did they get what they needed?")
        self.assertContains(page, "Did anything feel unsafe?")

    def test_an_answer_is_saved_and_the_second_is_refused(self):
        self.client.force_login(self.volunteer)
        data = {"outcome": Outcome.YES, "unsafe": "no", "words": WORDS}
        response = self.client.post(self.url, data)
        self.assertRedirects(response, reverse("aid:need", args=[self.need.code]))
        answer = Feedback.objects.get()
        self.assertEqual((answer.side, answer.unsafe, answer.words), (Side.VOLUNTEER, False, WORDS))
        again = self.client.post(self.url, {**data, "unsafe": "yes"})
        self.assertIn("already told us", self.flashed(again))
        self.assertEqual(Feedback.objects.count(), 1)
        self.assertFalse(Report.objects.exists())
        page = self.client.get(self.url)  # the page itself says so too
        self.assertRedirects(page, reverse("aid:need", args=[self.need.code]))
        self.assertIn("already told us", self.flashed(page))

    def test_unsafe_yes_opens_a_report(self):
        self.client.force_login(self.requester)
        self.client.post(self.url, {"outcome": Outcome.NO, "unsafe": "yes", "words": WORDS})
        report = Report.objects.get()
        self.assertEqual((report.reason, report.member), (Reason.UNSAFE, self.volunteer))

    def test_it_refuses_a_bad_form(self):
        self.client.force_login(self.requester)
        before = safety_counts()
        for data in ({}, {"outcome": "maybe", "unsafe": "no"}, {"outcome": "yes"}):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 422)
        self.assertNothingChanged(before)
        self.assertFalse(Feedback.objects.exists())

    def test_before_the_close_the_requester_is_sent_back(self):
        need = self.claimed_need()
        self.client.force_login(self.requester)
        response = self.client.get(reverse("safety:feedback", args=[need.code]))
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))

    def test_the_outsider_is_refused(self):
        before = safety_counts()
        data = {"outcome": Outcome.NO, "unsafe": "yes"}
        self.client.force_login(self.outsider)  # cannot see a closed need: not even that it exists
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, data).status_code, 404)
        self.client.force_login(self.organizer)  # sees the need, has no side in it
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, data).status_code, 403)
        self.client.logout()
        response = self.client.post(self.url, data)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertNothingChanged(before)
        self.assertFalse(Feedback.objects.exists())


class FeedbackListTests(FeedbackViewTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.requester)
        self.client.post(self.url, {"outcome": Outcome.PARTLY, "unsafe": "yes", "words": WORDS})
        self.list_url = reverse("safety:feedback_list")

    def test_organizers_who_match_or_handle_reports_read_the_answers(self):
        dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        for member in (self.organizer, dispatcher, self.officer):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                page = self.client.get(self.list_url)
                self.assertContains(page, self.need.summary)
                self.assertContains(page, WORDS)
                self.assertContains(page, Outcome.PARTLY.label)
        report = Report.objects.get()
        self.assertContains(page, reverse("safety:report_detail", args=[report.code]))

    def test_the_other_party_and_the_outsider_are_refused(self):
        admin = make_member("ada", roles=[Role.ADMIN])
        for member in (self.volunteer, self.requester, self.outsider, admin):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                response = self.client.get(self.list_url)
                self.assertEqual(response.status_code, 403)
                self.assertNotContains(response, WORDS, status_code=403)
        self.client.logout()
        response = self.client.get(self.list_url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.list_url}")

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.force_login(self.organizer)
        self.client.get(self.list_url)  # the first fetch fills what is cached
        one_row = self._queries()
        for _ in range(3):
            need = self.fulfilled_need()
            need.refresh_from_db()
            aid_services.need_confirm(need=need, member=self.requester)
            self.client.force_login(self.volunteer)
            self.client.post(
                reverse("safety:feedback", args=[need.code]),
                {"outcome": Outcome.YES, "unsafe": "yes"},
            )
        self.client.force_login(self.organizer)
        self.client.get(self.list_url)
        self.assertEqual(Feedback.objects.count(), 4)
        with self.assertNumQueries(one_row):
            self.client.get(self.list_url)

    def _queries(self):
        with CaptureQueriesContext(connection) as captured:
            self.client.get(self.list_url)
        return len(captured)
