"""One query gives the volunteers who may take a need on; the claim service and can_claim read
the same predicates, so a volunteer the query offers can claim, and one it leaves out cannot."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualaid.accounts.models import Level
from mutualaid.accounts.services import member_block
from mutualaid.aid import selectors, services
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member


def today():
    return timezone.localtime(timezone.now(), timezone.get_default_timezone()).weekday()


class VolunteersEligibleForTestCase(BaseTestCase):
    def eligible(self, need):
        cap = NetworkSettings.load().max_active_claims
        return selectors.volunteers_eligible_for(need, network_cap=cap, weekday=today())

    def test_it_leaves_out_whoever_may_not_claim_and_agrees_with_the_claim_service(self):
        need = self.post_need()
        newcomer = make_member("newt", level=Level.NEWCOMER)
        blocked = make_member("blox")
        member_block(blocker=self.requester, blocked=blocked)
        blocker = make_member("blkr")
        member_block(blocker=blocker, blocked=self.requester)
        busy = make_member("busy")
        busy.max_active_claims = 1
        busy.save()
        services.need_claim(need=self.post_need(summary="Another one"), member=busy)
        away = make_member("away")
        away.available_days = [(today() + 1) % 7]
        away.save()
        gone = make_member("gone")
        gone.is_active = False
        gone.save()
        free = make_member("free", area=self.north)

        eligible = self.eligible(need)
        handles = {member.handle for member in eligible}
        self.assertIn("free", handles)
        self.assertIn(self.volunteer.handle, handles)
        for left_out in ("newt", "blox", "blkr", "busy", "away", "gone", self.requester.handle):
            self.assertNotIn(left_out, handles)
        # The nearest first: "free" lives in the need's own area.
        self.assertEqual(eligible[0].handle, "free")

        # The claim service answers the same for each of them.
        for member in (newcomer, blocked, blocker, busy, away):
            with self.assertRaises(Refusal):
                services.need_claim(need=need, member=member)
            need.refresh_from_db()
        self.assertFalse(need.can_claim(newcomer))
        self.assertTrue(need.can_claim(free))
        services.need_claim(need=need, member=free)

    def test_its_query_count_does_not_grow_with_the_members(self):
        need = self.post_need()
        NetworkSettings.load()  # the settings row exists, as on any running network
        with CaptureQueriesContext(connection) as few:
            self.eligible(need)
        for n in range(30):
            make_member(f"extra{n}")
        with CaptureQueriesContext(connection) as many:
            self.assertGreaterEqual(len(self.eligible(need)), 30)
        self.assertEqual(len(few), len(many))
