"""The follow-up after a need closes as done: each side answers privately, once; "unsafe" opens a
report in the safety queue, with the words sealed."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from mutualaid.accounts.models import Notice
from mutualaid.aid import services as aid_services
from mutualaid.lib import ratelimit
from mutualaid.lib.refusal import Refusal
from mutualaid.safety import services
from mutualaid.safety.models import Feedback, Outcome, Reason, Report, Side, SubjectKind
from mutualaid.safety.tests.helpers import SafetyTestCase

WORDS = "He shouted at me at the door. words-canary-91f"


class FeedbackTestCase(SafetyTestCase):
    def closed_need(self, **fields):
        need = self.fulfilled_need(**fields)
        need.refresh_from_db()
        aid_services.need_confirm(need=need, member=self.requester)
        return need

    def give(self, need, member, *, outcome=Outcome.YES, unsafe=False, words=""):
        return services.feedback_give(
            need=need, member=member, outcome=outcome, unsafe=unsafe, words=words
        )


class AskedTests(FeedbackTestCase):
    def asked(self, member):
        return Notice.objects.filter(member=member, kind="feedback_asked").count()

    def test_closing_asks_both_sides_with_a_link_to_the_page(self):
        need = self.closed_need()
        self.assertEqual((self.asked(self.requester), self.asked(self.volunteer)), (1, 1))
        self.assertEqual(self.asked(self.outsider), 0)
        notice = Notice.objects.get(member=self.volunteer, kind="feedback_asked")
        self.assertEqual(notice.params["need"], str(need.code))

    def test_auto_confirm_asks_too(self):
        self.fulfilled_need()
        aid_services.needs_auto_confirm(now=timezone.now() + timedelta(days=30))
        self.assertEqual((self.asked(self.requester), self.asked(self.volunteer)), (1, 1))


class FeedbackGiveTests(FeedbackTestCase):
    def test_the_requester_answers(self):
        need = self.closed_need()
        answer = self.give(need, self.requester, outcome=Outcome.PARTLY)
        self.assertEqual(
            (answer.side, answer.outcome, answer.unsafe, answer.report),
            (Side.REQUESTER, Outcome.PARTLY, False, None),
        )
        self.assertFalse(Report.objects.exists())

    def test_the_volunteer_answers_their_side(self):
        need = self.closed_need()
        self.assertEqual(self.give(need, self.volunteer).side, Side.VOLUNTEER)

    def test_once_per_person_per_need(self):
        need = self.closed_need()
        self.give(need, self.requester)
        with self.assertRaises(Refusal) as caught:
            self.give(need, self.requester, unsafe=True, words=WORDS)
        self.assertEqual(caught.exception.code, "already")
        self.assertIn("already told us", caught.exception.message)
        self.assertEqual(Feedback.objects.count(), 1)
        self.assertFalse(Report.objects.exists())
        self.give(need, self.volunteer)  # the other side still answers theirs
        self.assertEqual(Feedback.objects.count(), 2)

    def test_it_refuses_before_the_need_is_closed(self):
        need = self.fulfilled_need()
        with self.assertRaises(Refusal) as caught:
            self.give(need, self.requester)
        self.assertEqual(caught.exception.code, "stale")
        self.assertFalse(Feedback.objects.exists())

    def test_it_refuses_anyone_without_a_side_in_it(self):
        need = self.closed_need()
        for member in (self.outsider, self.organizer, self.officer):
            with self.subTest(member=member.handle), self.assertRaises(Refusal) as caught:
                self.give(need, member, unsafe=True)
            self.assertEqual(caught.exception.code, "forbidden")
        self.assertFalse(Feedback.objects.exists())
        self.assertFalse(Report.objects.exists())

    def test_it_refuses_an_unknown_outcome_and_too_many_words(self):
        need = self.closed_need()
        for outcome, words in (("maybe", ""), (Outcome.YES, "x" * 501)):
            with self.subTest(outcome=outcome), self.assertRaises(Refusal):
                self.give(need, self.requester, outcome=outcome, words=words)
        self.assertFalse(Feedback.objects.exists())


class UnsafeTests(FeedbackTestCase):
    def test_the_requesters_unsafe_opens_a_report_about_the_volunteer(self):
        need = self.closed_need()
        answer = self.give(need, self.requester, unsafe=True, words=WORDS)
        report = Report.objects.get()
        self.assertEqual(answer.report, report)
        self.assertEqual(
            (report.kind, report.member, report.reporter, report.reason, report.details),
            (SubjectKind.MEMBER, self.volunteer, self.requester, Reason.UNSAFE, WORDS),
        )
        self.assertTrue(report.is_open())

    def test_the_volunteers_unsafe_opens_a_report_about_the_need(self):
        need = self.closed_need(anonymous=True)
        self.give(need, self.volunteer, unsafe=True)
        report = Report.objects.get()
        self.assertEqual(
            (report.kind, report.need, report.reporter), ("need", need, self.volunteer)
        )
        self.assertEqual(report.subject_member(), self.requester)  # the officers can act on them

    def test_a_requester_whose_volunteer_left_reports_the_need(self):
        need = self.closed_need()
        type(self.volunteer).objects.filter(pk=self.volunteer.pk).delete()
        need.refresh_from_db()
        self.give(need, self.requester, unsafe=True)
        self.assertEqual(Report.objects.get().need, need)

    def test_the_words_are_sealed_in_the_database(self):
        need = self.closed_need()
        self.give(need, self.requester, unsafe=True, words=WORDS)
        with connection.cursor() as cursor:
            cursor.execute("SELECT words FROM safety_feedback")
            (stored,) = cursor.fetchone()
            cursor.execute("SELECT details FROM safety_report")
            (reported,) = cursor.fetchone()
        self.assertNotIn("words-canary", stored)
        self.assertNotIn("words-canary", reported)
        self.assertEqual(Feedback.objects.get().words, WORDS)

    def test_the_reports_daily_limit_does_not_hold_back_a_follow_up(self):
        need = self.closed_need()
        limits = {**settings.RATE_LIMITS, "reports": (1, 3600)}
        with self.settings(RATE_LIMITS=limits):
            ratelimit.enforce("reports", str(self.requester.code))  # today's one report, used
            with self.assertRaises(Refusal):
                ratelimit.enforce("reports", str(self.requester.code))
            self.give(need, self.requester, unsafe=True)
        self.assertEqual(Report.objects.count(), 1)
