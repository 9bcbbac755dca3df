"""The suggestions page for one need, the backlog pages, and "needs that fit you" on the home
page: who may open them, what one click does, and a query count that does not grow."""

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.services import member_block
from mutualaid.aid import services
from mutualaid.aid.models import NeedStatus, Proposal, Visibility
from mutualaid.test import BaseTestCase, changes_nothing, make_member
from mutualaid.trust.models import Level, Role


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class OrganizerPagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tria", roles=[Role.TRIAGER])
        cls.dispatcher = make_member("disp", roles=[Role.DISPATCHER])
        cls.admin = make_member("adam", roles=[Role.ADMIN])
        cls.safety = make_member("sue", roles=[Role.SAFETY])

    def refuses_outsiders(self, url, method="get"):
        response = getattr(self.client, method)(url)
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False
        )
        for member in (self.outsider, self.admin, self.safety):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(getattr(self.client, method)(url).status_code, 403)
        self.client.logout()


class SuggestionsPageTestCase(OrganizerPagesTestCase):
    def setUp(self):
        self.need = self.post_need()
        self.url = reverse("dispatch:suggestions", args=[self.need.code])

    def test_outsiders_are_refused(self):
        self.refuses_outsiders(self.url)
        propose = reverse("dispatch:suggestion_propose", args=[self.need.code])
        with changes_nothing(self):
            self.refuses_outsiders(propose, method="post")

    def test_triagers_and_dispatchers_see_the_volunteers_with_their_reasons(self):
        nora = make_member("nora", area=self.north)
        for member in (self.triager, self.dispatcher):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                response = self.client.get(self.url)
                self.assertContains(response, "nora")
                self.assertContains(response, "same area")
                self.assertContains(response, "next area")
                self.assertContains(response, "not asked this week")
                self.assertContains(response, str(nora.code))
                self.assertNotContains(response, ">rosa<")  # never the requester

    def test_the_need_page_links_to_it_for_matchers(self):
        self.client.force_login(self.dispatcher)
        response = self.client.get(reverse("aid:need", args=[self.need.code]))
        self.assertContains(response, self.url)
        self.client.force_login(self.outsider)
        response = self.client.get(reverse("aid:need", args=[self.need.code]))
        self.assertNotContains(response, self.url)

    def test_one_click_proposes_the_match(self):
        self.client.force_login(self.dispatcher)
        response = self.client.post(
            reverse("dispatch:suggestion_propose", args=[self.need.code]),
            {"volunteer": str(self.volunteer.code)},
        )
        self.assertRedirects(
            response, reverse("aid:need", args=[self.need.code]), fetch_redirect_response=False
        )
        self.assertEqual(said(response), ["Asked vic: the need is theirs once they accept."])
        proposal = Proposal.objects.get(need=self.need, answered_at__isnull=True)
        self.assertEqual(proposal.volunteer, self.volunteer)
        self.assertEqual(proposal.proposed_by, self.dispatcher)
        self.assertTrue(self.volunteer.notices.filter(kind="match_proposed").exists())

    def test_a_volunteer_who_just_became_ineligible_is_refused(self):
        member_block(blocker=self.requester, blocked=self.volunteer)
        self.client.force_login(self.dispatcher)
        with changes_nothing(self):
            response = self.client.post(
                reverse("dispatch:suggestion_propose", args=[self.need.code]),
                {"volunteer": str(self.volunteer.code)},
            )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(len(said(response)), 1)

    def test_a_need_taken_meanwhile_shows_no_button(self):
        services.need_claim(need=self.need, member=self.outsider)
        self.client.force_login(self.dispatcher)
        response = self.client.get(self.url)
        self.assertContains(response, "This need is not open")
        self.assertNotContains(response, "Propose to")
        with changes_nothing(self):
            response = self.client.post(
                reverse("dispatch:suggestion_propose", args=[self.need.code]),
                {"volunteer": str(self.volunteer.code)},
            )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)

    def test_an_unknown_volunteer_code_changes_nothing(self):
        self.client.force_login(self.dispatcher)
        with changes_nothing(self):
            response = self.client.post(
                reverse("dispatch:suggestion_propose", args=[self.need.code]),
                {"volunteer": "not-a-code"},
            )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(said(response), ["That volunteer is no longer a member here."])

    def test_its_query_count_does_not_grow_with_the_volunteers(self):
        self.client.force_login(self.dispatcher)
        for i in range(11):
            make_member(f"few{i}", area=self.north)
        cache.clear()  # both counted from cold: the areas' rings are kept (matching.area_rings)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for i in range(30):
            make_member(f"many{i}", area=self.central)
            self.post_offer(offerer=make_member(f"giver{i}", area=self.north))
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertContains(response, "Propose to", count=10)
        self.assertEqual(len(few), len(many))


class BacklogPagesTestCase(OrganizerPagesTestCase):
    def test_outsiders_are_refused(self):
        self.refuses_outsiders(reverse("dispatch:backlog"))
        with changes_nothing(self):
            self.refuses_outsiders(reverse("dispatch:backlog"), method="post")
            self.refuses_outsiders(reverse("dispatch:backlog_send"), method="post")

    def test_review_then_send_the_checked_rows(self):
        first = self.post_need(summary="First need")
        second = self.post_need(summary="Second need", visibility=Visibility.ORGANIZERS)
        for member in (self.triager, self.dispatcher):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                response = self.client.get(reverse("dispatch:backlog"))
                self.assertContains(response, "Propose matches for the waiting needs")
                response = self.client.post(reverse("dispatch:backlog"))
                self.assertContains(response, "2 needs matched")
                self.assertContains(response, "Second need")
                self.assertContains(response, 'name="pair"', count=2)
        rows = response.context["rows"]
        self.assertFalse(Proposal.objects.exists())  # reviewing writes nothing
        kept = next(row for row in rows if row.need.pk == first.pk)
        response = self.client.post(
            reverse("dispatch:backlog_send"),
            {"pair": [f"{kept.need.code}:{kept.member.code}", "junk"]},
        )
        self.assertRedirects(response, reverse("dispatch:backlog"), fetch_redirect_response=False)
        self.assertEqual(
            said(response),
            ["Sent 1 proposal: the volunteer was asked, and holds the need once they accept."],
        )
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.status, NeedStatus.PROPOSED)
        self.assertEqual(second.status, NeedStatus.OPEN)  # unchecked: dropped

    def test_a_refused_row_says_why_and_the_rest_go(self):
        need = self.post_need(summary="Taken meanwhile")
        self.client.force_login(self.dispatcher)
        rows = self.client.post(reverse("dispatch:backlog")).context["rows"]
        services.need_claim(need=need, member=self.outsider)
        response = self.client.post(
            reverse("dispatch:backlog_send"),
            {"pair": [f"{row.need.code}:{row.member.code}" for row in rows]},
        )
        messages = said(response)
        self.assertEqual(len(messages), 1)
        self.assertIn("Not sent: “Taken meanwhile”", messages[0])

    def test_nothing_checked_sends_nothing(self):
        self.client.force_login(self.dispatcher)
        with changes_nothing(self):
            response = self.client.post(reverse("dispatch:backlog_send"))
        self.assertEqual(said(response), ["No row was checked: nothing was sent."])

    def test_the_review_query_count_does_not_grow_with_the_needs(self):
        self.client.force_login(self.dispatcher)
        for i in range(3):
            self.post_need(summary=f"Few {i}")
        cache.clear()  # counted from cold: the areas' rings are kept
        with CaptureQueriesContext(connection) as few:
            self.client.post(reverse("dispatch:backlog"))
        for i in range(20):
            make_member(f"helper{i}", area=self.north)
            self.post_need(summary=f"Many {i}", area=self.south if i % 2 else self.north)
        cache.clear()  # counted from cold: the areas' rings are kept
        with CaptureQueriesContext(connection) as many:
            response = self.client.post(reverse("dispatch:backlog"))
        self.assertContains(response, "23 needs matched")
        self.assertEqual(len(few), len(many))


class HomeFitsTestCase(BaseTestCase):
    def test_a_vouched_volunteer_sees_needs_that_fit_them(self):
        need = self.post_need(summary="Groceries near vic", area=self.central)
        self.client.force_login(self.volunteer)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Needs that fit you")
        self.assertContains(response, "Groceries near vic")
        self.assertContains(response, reverse("aid:need", args=[need.code]))
        self.assertContains(response, "same area")
        self.assertContains(response, reverse("aid:board"))

    def test_a_newcomer_goes_to_the_board_as_before(self):
        self.post_need()
        self.client.force_login(make_member("newt", level=Level.NEWCOMER))
        response = self.client.get(reverse("home"))
        self.assertRedirects(response, reverse("aid:board"), fetch_redirect_response=False)

    def test_its_query_count_does_not_grow_with_the_needs(self):
        self.client.force_login(self.volunteer)
        self.post_need(summary="Only one")
        cache.clear()  # counted from cold: the areas' rings are kept
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("home"))
        for i in range(25):
            self.post_need(summary=f"Need {i}", area=self.far if i % 2 else self.central)
        cache.clear()  # counted from cold: the areas' rings are kept
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("home"))
        self.assertContains(response, 'class="card urgency', count=5)
        self.assertEqual(len(few), len(many))
