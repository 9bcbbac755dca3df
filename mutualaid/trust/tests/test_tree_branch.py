"""One branch of the vouch tree: the way up, who vouched, and the members below it."""

import uuid
from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.policy import ROLE_CAPABILITIES, Capability
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services
from mutualaid.trust.models import Role, Vouch

from .helpers import make_newcomer
from .test_tree import counted, vouch


def flatten(nodes):
    for node in nodes:
        yield node
        yield from flatten(node.children)


class TreeBranchTestCase(BaseTestCase):
    def setUp(self):
        # vic -> newt -> kid -> grandkid -> great -> greater
        self.newt = make_newcomer("newt")
        self.vouch = services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Bakery")
        self.chain = [self.volunteer, self.newt]
        for handle in ("kid", "grandkid", "great", "greater"):
            member = make_newcomer(handle)
            vouch(self.chain[-1], member)
            self.chain.append(member)

    def branch(self, member, by=None, **params):
        self.client.force_login(by or self.organizer)
        return self.client.get(reverse("trust:tree_branch", args=[member.code]), params)

    def nodes(self, response):
        return list(flatten(response.context["nodes"]))

    def test_it_shows_the_way_up_to_the_root(self):
        response = self.branch(self.chain[3])  # grandkid
        head = response.context["head"]
        self.assertEqual([member.handle for member in head.path], ["vic", "newt", "kid"])
        self.assertTrue(head.rooted)
        self.assertContains(response, reverse("trust:tree_branch", args=[self.newt.code]))

    def test_the_way_up_takes_the_fewest_steps_to_an_approved_member(self):
        vouch(self.requester, self.chain[4])  # rosa vouched for "great" too
        head = self.branch(self.chain[5]).context["head"]  # greater
        self.assertEqual([member.handle for member in head.path], ["rosa", "great"])

    def test_a_root_has_no_way_up(self):
        response = self.branch(self.volunteer)
        self.assertEqual(response.context["head"].path, [])
        self.assertContains(response, "They are approved: a root of the tree.")

    def test_the_members_below_go_a_few_levels_deep_then_link_further(self):
        response = self.branch(self.volunteer)
        nodes = self.nodes(response)
        self.assertEqual(
            [(node.member.handle, node.depth) for node in nodes],
            [("newt", 1), ("kid", 2), ("grandkid", 3)],
        )
        self.assertEqual(nodes[-1].more, 1)  # "great" is below grandkid, one more page down
        self.assertContains(response, "1 more below")
        self.assertContains(response, reverse("trust:tree_branch", args=[self.chain[3].code]))
        self.assertEqual(
            (response.context["head"].children, response.context["head"].branch_size), (1, 5)
        )

    def test_the_note_of_each_vouch_is_shown(self):
        self.assertContains(self.branch(self.volunteer), "Bakery")

    def test_a_revoked_vouch_stays_and_is_struck_through(self):
        services.vouch_revoke(vouch=self.vouch, by=self.volunteer)
        response = self.branch(self.volunteer)
        self.assertIsNotNone(self.nodes(response)[0].vouch.revoked_at)
        self.assertContains(response, "<del>")
        self.assertContains(response, "revoked on")
        self.assertContains(self.branch(self.newt), "<del>")  # and among who vouched for them

    def test_a_member_reached_twice_is_shown_once_with_a_link(self):
        kid = self.chain[2]
        vouch(self.volunteer, kid)  # vic vouched for kid too, who is also below newt
        response = self.branch(self.volunteer)
        places = [node for node in self.nodes(response) if node.member.pk == kid.pk]
        # Opened where it is nearest to vic (breadth first); a link where it comes again.
        self.assertEqual({node.depth: node.repeated for node in places}, {1: False, 2: True})
        self.assertEqual([node.children for node in places if node.repeated], [[]])
        self.assertContains(response, f'id="m-{kid.code}"', count=1)
        self.assertContains(response, f'href="#m-{kid.code}"')
        self.assertContains(response, "already on this page")

    def test_a_circle_back_to_the_root_ends(self):
        with time_machine.travel(timezone.now() + timedelta(days=20)):
            services.vouch_give(voucher=self.newt, vouchee=self.volunteer, note="Old friend")
        response = self.branch(self.volunteer)
        back = [node for node in self.nodes(response) if node.member.pk == self.volunteer.pk]
        self.assertEqual([node.repeated for node in back], [True])
        self.assertEqual(response.context["head"].branch_size, 5)

    def test_a_long_circle_nobody_approved_reaches_does_not_hang(self):
        ring = [make_newcomer(f"ring{i}") for i in range(12)]
        for voucher, vouchee in zip(ring, ring[1:] + ring[:1], strict=True):
            vouch(voucher, vouchee)
        response = self.branch(ring[5])
        head = response.context["head"]
        self.assertFalse(head.rooted)
        self.assertContains(response, "No approved member reaches them")
        self.assertEqual(len(head.path), 11)  # round the circle up to the member before them
        self.assertEqual(head.branch_size, 11)
        # Below ring5 comes ring6, who is on the way up already: a link to it there.
        self.assertEqual(
            [(n.member.handle, n.repeated) for n in self.nodes(response)], [("ring6", True)]
        )

    def test_the_members_they_vouched_for_come_a_page_at_a_time(self):
        newcomers = [make_newcomer(f"new{i:02d}") for i in range(25)]
        Vouch.objects.bulk_create(
            Vouch(voucher=self.requester, vouchee=member, note="x") for member in newcomers
        )
        first, second = self.branch(self.requester), self.branch(self.requester, page=2)
        self.assertEqual(len(first.context["nodes"]), 20)
        self.assertEqual(len(second.context["nodes"]), 5)
        self.assertContains(first, "?page=2")

    def test_suspended_and_held_members_are_marked(self):
        now = timezone.now()
        self.newt.__class__.objects.filter(pk=self.newt.pk).update(suspended_at=now)
        self.newt.__class__.objects.filter(pk=self.chain[2].pk).update(review_hold_at=now)
        response = self.branch(self.volunteer)
        self.assertContains(response, '<span class="tag">suspended</span>')
        self.assertContains(response, '<span class="tag">held for review</span>')

    def test_it_answers_in_a_fixed_number_of_queries(self):
        url = reverse("trust:tree_branch", args=[self.volunteer.code])
        self.client.force_login(self.organizer)

        def count():
            self.client.get(url)
            with CaptureQueriesContext(connection) as warm:
                response = self.client.get(url)
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                self.client.get(url)
            return counted(warm), counted(cold), response

        few = count()
        for i in range(6):  # more below vic, on every level, and a second voucher for vic
            member = make_newcomer(f"more{i}")
            vouch(self.chain[i % 4], member)
            vouch(member, make_newcomer(f"moremore{i}"))
        vouch(self.requester, self.volunteer)
        many = count()
        self.assertGreater(len(self.nodes(many[2])), len(self.nodes(few[2])))
        self.assertEqual(many[:2], few[:2])
        self.assertLessEqual(many[0], 14)

    def test_an_unknown_member_is_not_found(self):
        self.client.force_login(self.organizer)
        response = self.client.get(reverse("trust:tree_branch", args=[uuid.uuid4()]))
        self.assertEqual(response.status_code, 404)

    def test_each_organizer_role_that_sees_trust_gets_the_branch(self):
        for role in Role.values:
            with self.subTest(role=role):
                response = self.branch(self.newt, by=make_member(f"o-{role}", roles=[role]))
                allowed = Capability.VIEW_TRUST in ROLE_CAPABILITIES[role]
                self.assertEqual(response.status_code, 200 if allowed else 403)

    def test_a_plain_member_is_refused(self):
        self.assertEqual(self.branch(self.newt, by=self.volunteer).status_code, 403)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        url = reverse("trust:tree_branch", args=[self.newt.code])
        response = self.client.get(url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
