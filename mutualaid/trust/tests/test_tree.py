"""The vouch tree's top page: roots, unconnected heads and the search by handle, paged."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.accounts.policy import ROLE_CAPABILITIES, Capability
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import selectors, services
from mutualaid.trust.models import Role, Vouch

from .helpers import make_newcomer


def counted(queries) -> int:
    """The queries that ask something (not the transaction's bookkeeping around them, which
    differs between SQLite and PostgreSQL)."""
    bookkeeping = ("SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL", "BEGIN", "COMMIT")
    return sum(not query["sql"].startswith(bookkeeping) for query in queries.captured_queries)


def vouch(voucher, vouchee, note="Same street"):
    """A vouch as it stands in the tree, whatever the rules said when it was given."""
    return Vouch.objects.create(voucher=voucher, vouchee=vouchee, note=note)


class TreeTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")
        self.vouch = services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Bakery")
        self.kid = make_newcomer("kid")
        vouch(self.newt, self.kid)

    def page(self, member=None, **params):
        self.client.force_login(member or self.organizer)
        return self.client.get(reverse("trust:tree"), params)

    def heads(self, response):
        return {member.handle: member for member in response.context["heads"]}

    def test_the_roots_are_the_approved_members_with_their_branch_sizes(self):
        heads = self.heads(self.page())
        self.assertEqual(set(heads), {"rosa", "vic", "olga", "otto"})
        self.assertEqual((heads["vic"].children, heads["vic"].branch_size), (1, 2))
        self.assertEqual((heads["rosa"].children, heads["rosa"].branch_size), (0, 0))

    def test_a_member_reached_twice_is_counted_once(self):
        vouch(self.requester, self.kid)
        vouch(self.volunteer, self.kid)
        heads = self.heads(self.page())
        self.assertEqual((heads["vic"].children, heads["vic"].branch_size), (2, 2))

    def test_a_revoked_vouch_still_counts_in_the_branch(self):
        services.vouch_revoke(vouch=self.vouch, by=self.volunteer)
        self.assertEqual(self.heads(self.page())["vic"].branch_size, 2)

    def test_the_roots_come_a_page_at_a_time(self):
        Member.objects.bulk_create(
            Member(handle=f"root{i:02d}", password="!", approved_at=timezone.now())
            for i in range(55)
        )
        first, second = self.page(), self.page(page=2)
        self.assertEqual(len(first.context["heads"]), 50)
        self.assertEqual(len(second.context["heads"]), 59 - 50)
        self.assertContains(first, "?page=2")

    def test_members_nobody_vouched_for_are_listed_apart(self):
        loner = make_newcomer("lone")
        left = make_newcomer("orphan")
        Vouch.objects.create(voucher=None, vouchee=left, note="Their voucher has left")
        heads = self.heads(self.page(show="unconnected"))
        self.assertLessEqual({"lone", "orphan"}, set(heads))
        self.assertNotIn("vic", heads)
        self.assertNotIn("kid", heads)
        self.assertIn(loner.pk, selectors.tree_unconnected(selectors.tree_stamp()))

    def test_a_circle_no_approved_member_reaches_is_listed_once(self):
        ann, bea, cy = (make_newcomer(handle) for handle in ("ann", "bea", "cyd"))
        vouch(ann, bea), vouch(bea, cy), vouch(cy, ann)
        heads = self.heads(self.page(show="unconnected"))
        self.assertIn("ann", heads)  # the first by handle heads the circle
        self.assertNotIn("bea", heads)
        self.assertNotIn("cyd", heads)
        self.assertEqual(heads["ann"].branch_size, 2)

    def test_a_circle_hanging_from_a_root_is_on_the_tree(self):
        vouch(self.kid, self.newt)  # newt and kid vouch for each other, and vic for newt
        heads = self.heads(self.page(show="unconnected"))
        self.assertNotIn("newt", heads)
        self.assertNotIn("kid", heads)

    def test_the_heads_follow_the_tree_when_it_changes(self):
        heads = self.heads(self.page(show="unconnected"))
        self.assertNotIn("lone", heads)
        make_newcomer("lone")
        self.assertIn("lone", self.heads(self.page(show="unconnected")))
        services.vouch_give(
            voucher=self.requester, vouchee=Member.objects.get(handle="lone"), note="x"
        )
        self.assertNotIn("lone", self.heads(self.page(show="unconnected")))
        self.assertEqual(self.heads(self.page())["rosa"].branch_size, 1)

    def test_the_search_finds_handles_with_their_way_up(self):
        response = self.page(q="KI")
        kid = self.heads(response)["kid"]
        self.assertEqual([member.handle for member in kid.path], ["vic", "newt"])
        self.assertTrue(kid.rooted)
        self.assertContains(response, reverse("trust:tree_branch", args=[self.newt.code]))
        self.assertNotIn("rosa", self.heads(response))

    def test_a_long_way_up_is_shortened_in_the_search(self):
        chain = [self.kid]
        for handle in ("grandkid", "great", "greater"):
            chain.append(make_newcomer(handle))
            vouch(chain[-2], chain[-1])
        response = self.page(q="greater")
        path = self.heads(response)["greater"].path
        self.assertEqual([m.handle for m in path], ["vic", "newt", "kid", "grandkid", "great"])
        self.assertContains(response, "…")
        self.assertNotContains(response, reverse("trust:tree_branch", args=[self.kid.code]))
        self.assertContains(response, reverse("trust:tree_branch", args=[chain[1].code]))

    def test_the_search_says_when_no_approved_member_reaches_them(self):
        ann, bea = make_newcomer("ann"), make_newcomer("bea")
        vouch(ann, bea), vouch(bea, ann)
        response = self.page(q="bea")
        self.assertFalse(self.heads(response)["bea"].rooted)
        self.assertContains(response, "no approved member reaches them")

    def test_the_search_finds_nothing_gracefully(self):
        response = self.page(q="zzz")
        self.assertContains(response, "handle holds these letters.")

    def test_suspended_and_held_members_are_marked(self):
        now = timezone.now()
        Member.objects.filter(pk=self.kid.pk).update(review_hold_at=now)
        Member.objects.filter(pk=self.newt.pk).update(suspended_at=now, level="suspended")
        response = self.page(q="k")
        self.assertContains(response, "held for review")
        self.assertContains(self.page(q="newt"), "suspended")

    def queries(self, **params):
        """The queries of the page when what the tree's stamp keeps is kept, and when not."""
        url = reverse("trust:tree")
        self.client.force_login(self.organizer)
        self.client.get(url, params)
        with CaptureQueriesContext(connection) as warm:
            response = self.client.get(url, params)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            self.client.get(url, params)
        return counted(warm), counted(cold), response

    def grow(self, count, start=0):
        """``count`` more roots with two levels below, lone newcomers and circles of two."""
        for i in range(start, start + count):
            head = make_member(f"grown{i}")
            below = make_newcomer(f"kin{i}")
            vouch(head, below)
            vouch(below, make_newcomer(f"kinkid{i}"))
            make_newcomer(f"single{i}")
            circle = [make_newcomer(f"ring{i}{j}") for j in range(2)]
            vouch(circle[0], circle[1]), vouch(circle[1], circle[0])

    def assert_fixed_queries(self, most, **params):
        self.grow(1)
        few = self.queries(**params)
        self.grow(6, start=1)
        many = self.queries(**params)
        self.assertGreater(len(many[2].context["heads"]), len(few[2].context["heads"]))
        self.assertEqual(many[:2], few[:2])
        # session, member, roles, the tree's stamp, count, page, unread notices, session's save
        self.assertLessEqual(many[0], most)

    def test_the_roots_answer_in_a_fixed_number_of_queries(self):
        self.assert_fixed_queries(8)

    def test_the_unconnected_heads_answer_in_a_fixed_number_of_queries(self):
        self.assert_fixed_queries(7, show="unconnected")  # the heads' count is kept

    def test_the_search_answers_in_a_fixed_number_of_queries(self):
        self.assert_fixed_queries(10, q="i")  # and the ways up, and the members on them

    def test_each_organizer_role_that_sees_trust_gets_the_tree(self):
        for role in Role.values:
            with self.subTest(role=role):
                response = self.page(make_member(f"o-{role}", roles=[role]))
                allowed = Capability.VIEW_TRUST in ROLE_CAPABILITIES[role]
                self.assertEqual(response.status_code, 200 if allowed else 403)

    def test_a_plain_member_is_refused(self):
        self.assertEqual(self.page(self.volunteer).status_code, 403)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(reverse("trust:tree"))
        self.assertRedirects(response, f"{reverse('accounts:login')}?next=/trust/tree/")
