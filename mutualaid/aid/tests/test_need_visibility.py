"""Organizers-only needs: off the board, and on no page but the requester's, the volunteer's and
the organizers'."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import selectors, services
from mutualaid.aid.models import Need, NeedStatus, Urgency, Visibility
from mutualaid.test import BaseTestCase, record_counts

DETAILS = "Flat 3B, ring twice. Allergic to peanuts."
SENSITIVE = "Help with a court date"


class NeedVisibilityTestCase(BaseTestCase):
    def private_need(self, **fields):
        return self.post_need(summary=SENSITIVE, visibility=Visibility.ORGANIZERS, **fields)

    def page(self, need, member):
        self.client.force_login(member)
        return self.client.get(reverse("aid:need", args=[need.code]))

    def board(self, member):
        self.client.force_login(member)
        return self.client.get(reverse("aid:board"), {"area": ""})

    def assign(self, need, volunteer=None):
        """An organizer's match, accepted by the volunteer."""
        volunteer = volunteer or self.volunteer
        services.need_assign(need=need, volunteer=volunteer, organizer=self.organizer)
        services.need_proposal_accept(need=need, member=volunteer)
        need.refresh_from_db()

    # Posting one

    def test_the_form_offers_both_visibilities_members_first_and_chosen(self):
        self.client.force_login(self.requester)
        response = self.client.get(reverse("aid:need_new"))
        self.assertContains(response, "Members who can help")
        self.assertContains(
            response, "Organizers only (for sensitive needs; organizers match them privately)"
        )
        self.assertContains(response, 'name="visibility" value="members" id="id_visibility_0"')
        content = response.content.decode()
        tag = content[content.index('value="members"') :].split(">", 1)[0]
        self.assertIn("checked", tag)

    def test_a_member_posts_an_organizers_only_need(self):
        self.client.force_login(self.requester)
        response = self.client.post(
            reverse("aid:need_new"),
            {
                "category": "groceries",
                "summary": SENSITIVE,
                "area": str(self.north.code),
                "urgency": "soon",
                "visibility": "organizers",
            },
        )
        need = Need.objects.get()
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertEqual(need.visibility, Visibility.ORGANIZERS)
        self.assertFalse(need.anonymous)

    def test_a_need_is_for_members_unless_told_otherwise(self):
        self.client.force_login(self.requester)
        self.client.post(
            reverse("aid:need_new"),
            {
                "category": "groceries",
                "summary": "Milk",
                "area": self.north.code,
                "urgency": "soon",
            },
        )
        self.assertEqual(Need.objects.get().visibility, Visibility.MEMBERS)

    def test_a_bad_visibility_is_refused_and_changes_nothing(self):
        self.client.force_login(self.requester)
        before = record_counts()
        response = self.client.post(
            reverse("aid:need_new"),
            {
                "category": "groceries",
                "summary": SENSITIVE,
                "area": str(self.north.code),
                "urgency": "soon",
                "visibility": "everyone",
            },
        )
        self.assertContains(response, "Select a valid choice.", status_code=422)
        self.assertContains(response, f'value="{SENSITIVE}"', status_code=422)
        self.assertEqual(record_counts(), before)

    # The board

    def test_it_stays_off_the_board_for_members(self):
        self.private_need()
        self.post_need(summary="Soup for a neighbor")
        for member in (self.volunteer, self.outsider, self.requester):
            with self.subTest(member.handle):
                response = self.board(member)
                self.assertContains(response, "Soup for a neighbor")
                self.assertNotContains(response, SENSITIVE)
                self.assertContains(response, "1 open need")
        self.assertNotIn(SENSITIVE, [n.summary for n in selectors.board_needs()])

    def test_organizers_find_it_on_the_board_marked_as_theirs(self):
        self.private_need()
        response = self.board(self.organizer)
        self.assertContains(response, SENSITIVE)
        self.assertContains(response, '<span class="tag">Organizers only</span>', html=True)

    def test_the_boards_query_count_does_not_grow_with_its_rows(self):
        def bulk(count, prefix):
            Need.objects.bulk_create(
                Need(
                    requester=self.requester,
                    category=self.groceries,
                    area=self.north,
                    summary=f"{prefix} {i:04d}",
                    urgency=Urgency.WEEK,
                    visibility=[Visibility.MEMBERS, Visibility.ORGANIZERS][i % 2],
                    created_at=timezone.now(),
                )
                for i in range(count)
            )

        self.board(self.organizer)  # warm up the session
        bulk(3, "Few")
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("aid:board"), {"area": ""})
        bulk(30, "Many")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("aid:board"), {"area": ""})
        self.assertContains(response, "Many 0029")
        self.assertEqual(len(many), len(few))

    # Its page

    def test_the_requester_and_organizers_see_its_page(self):
        need = self.private_need()
        for member in (self.requester, self.organizer):
            with self.subTest(member.handle):
                response = self.page(need, member)
                self.assertContains(response, SENSITIVE)
                self.assertContains(response, DETAILS)
                self.assertContains(response, "Organizers only")

    def test_any_other_member_gets_404_while_it_is_open(self):
        need = self.private_need()
        for member in (self.volunteer, self.outsider):
            with self.subTest(member.handle):
                response = self.page(need, member)
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, SENSITIVE, status_code=404)

    def test_the_volunteer_it_is_matched_with_sees_it_and_nobody_else(self):
        need = self.private_need()
        self.assign(need)
        response = self.page(need, self.volunteer)
        self.assertContains(response, SENSITIVE)
        self.assertContains(response, DETAILS)
        self.assertEqual(self.page(need, self.outsider).status_code, 404)

    def test_a_released_volunteer_loses_it_at_once(self):
        need = self.private_need()
        self.assign(need)
        services.need_release(need=need, member=self.volunteer)
        # They are told it is no longer theirs, and shown nothing of it.
        page = self.page(need, self.volunteer)
        self.assertContains(page, "This need is no longer yours")
        self.assertNotContains(page, SENSITIVE)
        self.assertNotIn(need, selectors.needs_visible_to(member=self.volunteer))

    def test_the_volunteer_loses_it_once_it_is_closed(self):
        need = self.private_need()
        self.assign(need)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        self.assertEqual(self.page(need, self.volunteer).status_code, 200)
        services.need_confirm(need=need, member=self.requester)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.CLOSED)
        page = self.page(need, self.volunteer)
        self.assertContains(page, "This need has ended")
        self.assertNotContains(page, SENSITIVE)
        self.assertEqual(self.page(need, self.requester).status_code, 200)

    def test_it_leaves_my_claims_when_the_claim_ends(self):
        need = self.private_need()
        self.assign(need)
        self.client.force_login(self.volunteer)
        self.assertContains(self.client.get(reverse("aid:my_claims")), SENSITIVE)
        services.need_release(need=need, member=self.volunteer)
        self.assertNotContains(self.client.get(reverse("aid:my_claims")), SENSITIVE)

    def test_a_members_need_stays_in_my_claims_when_the_claim_ends(self):
        need = self.claimed_need(summary="Ordinary shopping")
        services.need_release(need=need, member=self.volunteer)
        self.client.force_login(self.volunteer)
        self.assertContains(self.client.get(reverse("aid:my_claims")), "Ordinary shopping")

    def test_members_cannot_act_or_write_on_it_and_nothing_changes(self):
        need = self.private_need()
        before = record_counts()
        for member in (self.volunteer, self.outsider):
            self.client.force_login(member)
            for name in ("aid:need_claim", "aid:need_cancel", "aid:need_message"):
                with self.subTest(member=member.handle, url=name):
                    url = reverse(name, args=[need.code])
                    response = self.client.post(url, {"body": "Hello"})
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(record_counts(), before)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_needs_visible_to(self):
        private = self.private_need()
        ordinary = self.post_need()
        self.assertEqual(set(selectors.needs_visible_to(member=self.outsider)), {ordinary})
        self.assertEqual(
            set(selectors.needs_visible_to(member=self.requester)), {private, ordinary}
        )
        self.assertEqual(
            set(selectors.needs_visible_to(member=self.organizer)), {private, ordinary}
        )
