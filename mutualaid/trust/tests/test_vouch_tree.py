from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import selectors, services
from mutualaid.trust.models import Role

from .helpers import make_newcomer


def flatten(nodes):
    for node in nodes:
        yield node
        yield from flatten(node.children)


class VouchTreeTestCase(BaseTestCase):
    def setUp(self):
        self.newt = make_newcomer("newt")
        self.vouch = services.vouch_give(voucher=self.volunteer, vouchee=self.newt, note="Bakery")

    def grow(self, count):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"vouch_limit": 50})
        for i in range(count):
            services.vouch_give(
                voucher=self.requester, vouchee=make_newcomer(f"kid{i:02d}"), note=f"Note {i}"
            )

    def test_roots_are_approved_members_with_their_branches(self):
        tree = selectors.vouch_tree()
        roots = {node.member.handle for node in tree.roots}
        self.assertEqual(roots, {"rosa", "vic", "olga", "otto"})
        vic = next(node for node in tree.roots if node.member.handle == "vic")
        self.assertEqual([c.member.handle for c in vic.children], ["newt"])
        self.assertEqual(vic.children[0].depth, 1)
        self.assertEqual(vic.children[0].vouch.note, "Bakery")

    def test_a_revoked_edge_stays_on_the_tree(self):
        services.vouch_revoke(vouch=self.vouch, by=self.volunteer)
        nodes = list(flatten(selectors.vouch_tree().roots))
        edge = next(node for node in nodes if node.member.handle == "newt")
        self.assertIsNotNone(edge.vouch.revoked_at)

    def test_a_circle_of_vouches_ends(self):
        # newt, vouched by vic, vouches back for vic once the wait is over.
        from datetime import timedelta

        import time_machine
        from django.utils import timezone

        with time_machine.travel(timezone.now() + timedelta(days=20)):
            services.vouch_give(voucher=self.newt, vouchee=self.volunteer, note="Old friend")
        nodes = list(flatten(selectors.vouch_tree().roots))
        self.assertTrue(any(node.repeated for node in nodes))

    def test_members_nobody_vouched_for_are_listed_apart(self):
        loner = make_newcomer("lone")
        tree = selectors.vouch_tree()
        self.assertIn(loner.pk, [node.member.pk for node in tree.unconnected])

    def tree_page(self, member=None):
        self.client.force_login(member or self.organizer)
        return self.client.get(reverse("trust:tree"))

    def test_the_page_shows_the_tree_to_any_organizer(self):
        services.vouch_revoke(vouch=self.vouch, by=self.volunteer)
        for role in Role.values:
            response = self.tree_page(make_member(f"o-{role}", roles=[role]))
            self.assertContains(response, "newt")
            self.assertContains(response, "Bakery")
            self.assertContains(response, "<del>")

    def test_the_page_answers_in_a_fixed_number_of_queries(self):
        self.client.force_login(self.organizer)
        self.client.get(reverse("trust:tree"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("trust:tree"))
        self.grow(8)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("trust:tree"))
        self.assertContains(response, "kid07")
        self.assertEqual(len(many), len(few))
        # session, member, roles, members, vouches, unread notices (and the session's save)
        self.assertLessEqual(len(few), 9)

    def test_a_plain_member_is_refused(self):
        response = self.tree_page(self.volunteer)
        self.assertEqual(response.status_code, 403)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(reverse("trust:tree"))
        self.assertRedirects(response, f"{reverse('accounts:login')}?next=/trust/tree/")
