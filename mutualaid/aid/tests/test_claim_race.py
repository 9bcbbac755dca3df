"""A claim is exclusive: volunteers pressing "I can help" at the same moment get one winner.

Real threads race on real connections (a file-backed SQLite database, or PostgreSQL), so this is a
TransactionTestCase: every thread must see committed rows, which a TestCase's transaction hides.
"""

import threading

from django.db import connection
from django.test import TransactionTestCase

from mutualaid.aid import services
from mutualaid.aid.models import Category, Claim, EventKind, Need, NeedStatus, TimelineEvent
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import make_areas, make_member

CLAIMANTS = 24
ROUNDS = 50
TAKEN = "Someone just took this"


class NeedClaimRaceTestCase(TransactionTestCase):
    # The flush after this test would otherwise wipe the seeded categories for the tests after it.
    serialized_rollback = True

    def setUp(self):
        north, *_ = make_areas()
        self.area = north
        self.groceries = Category.objects.get(slug="groceries")
        self.requester = make_member("rosa", area=north)
        self.volunteers = [make_member(f"vol{i:02d}", area=north) for i in range(CLAIMANTS)]
        # One volunteer may win every round: no volunteer limit may refuse them first.
        NetworkSettings.objects.update_or_create(pk=1, defaults={"max_active_claims": ROUNDS})

    def race(self, need_pk):
        """Every volunteer claims the need at once; returns one (volunteer, outcome) per thread."""
        barrier = threading.Barrier(CLAIMANTS, timeout=60)
        outcomes = [None] * CLAIMANTS

        def claim(index, volunteer):
            try:
                # Load the need (and open this thread's own connection) before the start, so that
                # every thread sees it open and they all collide on the write itself.
                need = Need.objects.get(pk=need_pk)
                barrier.wait()
                services.need_claim(need=need, member=volunteer)
            except Refusal as refusal:
                outcomes[index] = (volunteer, "refused", refusal.message)
            except BaseException as exc:  # any other error at all is what this test looks for
                outcomes[index] = (volunteer, "error", repr(exc))
            else:
                outcomes[index] = (volunteer, "won", "")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=claim, args=(i, volunteer))
            for i, volunteer in enumerate(self.volunteers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a claimant hung")
        return outcomes

    def test_exactly_one_of_many_simultaneous_claimants_wins_every_round(self):
        for round_number in range(ROUNDS):
            need = services.need_post(
                requester=self.requester,
                category=self.groceries,
                area=self.area,
                summary=f"Groceries, round {round_number}",
                urgency="today",
            )
            outcomes = self.race(need.pk)

            errors = [outcome for outcome in outcomes if outcome[1] == "error"]
            self.assertEqual(errors, [], f"round {round_number}: unexpected errors")
            winners = [volunteer for volunteer, result, _ in outcomes if result == "won"]
            self.assertEqual(len(winners), 1, f"round {round_number}: {len(winners)} winners")
            refusals = [message for _, result, message in outcomes if result == "refused"]
            self.assertEqual(len(refusals), CLAIMANTS - 1)
            for message in refusals:
                self.assertIn(TAKEN, message)

            winner = winners[0]
            need.refresh_from_db()
            self.assertEqual(need.status, NeedStatus.CLAIMED)
            self.assertEqual(need.claimant, winner)
            live = Claim.objects.filter(need=need, ended_at__isnull=True)
            self.assertEqual([claim.volunteer for claim in live], [winner])
            self.assertEqual(Claim.objects.filter(need=need).count(), 1)
            claimed = TimelineEvent.objects.filter(need=need, kind=EventKind.NEED_CLAIMED)
            self.assertEqual([event.actor for event in claimed], [winner])
