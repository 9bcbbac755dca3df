"""A member's page for organizers: their needs, claims, offers, proposals, vouches, and (by
capability) reports and feedback about them; a fixed number of queries; the read recorded."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import ContactKind
from mutualaid.accounts.services import member_set_languages
from mutualaid.aid import services as aid
from mutualaid.aid.models import AccessKind, PrivateAccess, Urgency
from mutualaid.dispatch import intake, selectors
from mutualaid.safety import services as safety
from mutualaid.safety.models import Outcome, Reason
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services as trust
from mutualaid.trust.models import Level, Role


class MemberPageTestCase(BaseTestCase):
    def url(self, member):
        return reverse("dispatch:member", args=[member.code])

    def closed_with_feedback(self, summary="Groceries for a family of four"):
        need = self.fulfilled_need(summary=summary)
        aid.need_confirm(need=need, member=self.requester)
        safety.feedback_give(
            need=need, member=self.requester, outcome=Outcome.YES, unsafe=False, words="Kind."
        )
        return need

    def test_outsiders_are_refused(self):
        url = self.url(self.volunteer)
        self.assertRedirects(self.client.get(url), f"{reverse('accounts:login')}?next={url}")
        for member in (self.outsider, make_member("new", level=Level.NEWCOMER)):
            self.client.force_login(member)
            self.assertEqual(self.client.get(url).status_code, 403)
        self.assertFalse(PrivateAccess.objects.exists())

    def test_it_shows_the_record_by_capability(self):
        need = self.closed_with_feedback()
        offer = self.post_offer()
        safety.report_file(reporter=self.outsider, reason=Reason.SPAM, member=self.volunteer)
        member_set_languages(member=self.volunteer, languages=["es", "vi"])
        trust.vouch_give(voucher=self.organizer, vouchee=self.volunteer, note="We met")
        safety_officer = make_member("sol", roles=[Role.SAFETY])
        admin = make_member("ada", roles=[Role.ADMIN])
        dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        expected = {
            # who: (sees reports, sees feedback)
            safety_officer: (True, True),
            admin: (False, False),
            dispatcher: (False, True),
        }
        for viewer, (reports, feedback) in expected.items():
            self.client.force_login(viewer)
            with self.subTest(viewer.handle):
                page = self.client.get(self.url(self.volunteer))
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, need.summary)
                self.assertContains(page, offer.summary)
                self.assertContains(page, "Español")
                self.assertContains(page, "Tiếng Việt")
                self.assertContains(page, "olga")  # vouched for by
                record = page.context["record"]
                self.assertEqual(record.reports is not None, reports)
                self.assertEqual(record.feedback is not None, feedback)
                if reports:
                    self.assertEqual(len(record.reports), 1)
                if feedback:
                    self.assertContains(page, "Kind.")
                else:
                    self.assertNotContains(page, "Kind.")

    def test_an_anonymous_need_stays_anonymous_to_who_may_not_see_handles(self):
        self.post_need(summary="Somewhere quiet to stay", anonymous=True)
        self.post_need(summary="A ride on Friday")
        for viewer, shown in (
            (make_member("ada", roles=[Role.ADMIN]), False),
            (make_member("sol", roles=[Role.SAFETY]), True),
            (self.organizer, True),
        ):
            self.client.force_login(viewer)
            with self.subTest(viewer.handle):
                page = self.client.get(self.url(self.requester))
                self.assertContains(page, "A ride on Friday")
                if shown:
                    self.assertContains(page, "Somewhere quiet to stay")
                else:
                    self.assertNotContains(page, "Somewhere quiet to stay")

    def test_the_read_is_recorded_and_listed_for_the_member(self):
        self.client.force_login(self.organizer)
        self.client.get(self.url(self.volunteer))

        access = PrivateAccess.objects.get()
        self.assertEqual(
            (access.viewer, access.owner, access.need, access.what),
            (self.organizer, self.volunteer, None, AccessKind.MEMBER),
        )
        self.client.force_login(self.volunteer)
        listed = self.client.get(reverse("privacy:accesses"))
        self.assertContains(listed, "olga opened your member&#x27;s record")

    def test_a_callers_intake_is_shown(self):
        need, _code = intake.need_take_in(
            organizer=self.organizer,
            category=self.groceries,
            area=self.north,
            summary="Groceries for an older neighbor",
            urgency=Urgency.SOON,
            contact_kind=ContactKind.PHONE,
            contact="415 555 2671",
            consent=True,
        )
        self.client.force_login(self.organizer)
        page = self.client.get(self.url(need.requester))
        self.assertContains(page, "Taken in by phone")
        self.assertContains(page, "Organizers speak for them.")
        self.assertNotContains(page, "555")  # the contact is on the relay page only

    def test_it_keeps_its_query_count_and_caps_each_list(self):
        safety_officer = make_member("sol", roles=[Role.SAFETY, Role.DISPATCHER])
        self.client.force_login(safety_officer)
        self.closed_with_feedback()
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url(self.volunteer))
        for n in range(selectors.MEMBER_PAGE_ROWS + 2):
            self.closed_with_feedback(summary=f"Groceries, week {n}")
            self.post_offer(summary=f"Shopping, week {n}")
            safety.report_file(
                reporter=make_member(f"rep{n}"), reason=Reason.SPAM, member=self.volunteer
            )
        trust.vouch_give(voucher=self.organizer, vouchee=self.volunteer, note="We met")
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(self.url(self.volunteer))
        self.assertEqual(len(many), len(few))
        record = page.context["record"]
        self.assertEqual(len(record.claims), selectors.MEMBER_PAGE_ROWS)
        self.assertIn("claims", record.more)
        self.assertContains(page, "?more=claims")
        more = self.client.get(self.url(self.volunteer), {"more": "claims"})
        self.assertEqual(len(more.context["record"].claims), selectors.MEMBER_PAGE_ROWS + 3)
