"""A need's states and moves live in one table: the services, can_* and the selectors read it."""

from mutualaid.aid import services
from mutualaid.aid.models import NEED_TRANSITIONS, Need, NeedStatus
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase

CAN = {
    "claim": "can_claim",
    "release": "can_release",
    "fulfil": "can_mark_fulfilled",
    "confirm": "can_confirm",
    "reopen": "can_reopen",
    "cancel": "can_cancel",
    "assign": "can_assign",
}


class NeedStatesTestCase(BaseTestCase):
    def need_in(self, status):
        need = self.post_need()
        if status != NeedStatus.OPEN:
            claimant = (
                self.volunteer if status in (NeedStatus.CLAIMED, NeedStatus.FULFILLED) else None
            )
            Need.objects.filter(pk=need.pk).update(status=status, claimant=claimant)
            need.refresh_from_db()
        return need

    def actor_for(self, action):
        by = NEED_TRANSITIONS[action].by
        return {
            "volunteer": self.outsider,
            "claimant": self.volunteer,
            "requester": self.requester,
            "matcher": self.organizer,
        }[by]

    def test_can_answers_by_the_table_in_every_state(self):
        for status in NeedStatus.values:
            need = self.need_in(status)
            for action, method in CAN.items():
                with self.subTest(status=status, action=action):
                    allowed = status in NEED_TRANSITIONS[action].sources
                    self.assertEqual(getattr(need, method)(self.actor_for(action)), allowed)

    def test_each_service_moves_to_the_tables_target(self):
        moves = [
            ("claim", lambda n: services.need_claim(need=n, member=self.outsider), NeedStatus.OPEN),
            (
                "release",
                lambda n: services.need_release(need=n, member=self.volunteer),
                NeedStatus.CLAIMED,
            ),
            (
                "fulfil",
                lambda n: services.need_mark_fulfilled(need=n, member=self.volunteer),
                NeedStatus.CLAIMED,
            ),
            (
                "confirm",
                lambda n: services.need_confirm(need=n, member=self.requester),
                NeedStatus.FULFILLED,
            ),
            (
                "reopen",
                lambda n: services.need_reopen(need=n, member=self.requester),
                NeedStatus.FULFILLED,
            ),
            (
                "cancel",
                lambda n: services.need_cancel(need=n, member=self.requester),
                NeedStatus.OPEN,
            ),
        ]
        for action, act, start in moves:
            with self.subTest(action=action):
                if start == NeedStatus.OPEN:
                    need = self.post_need()
                else:
                    need = self.claimed_need()
                    if start == NeedStatus.FULFILLED:
                        services.need_mark_fulfilled(need=need, member=self.volunteer)
                act(need)
                need.refresh_from_db()
                self.assertEqual(need.status, NEED_TRANSITIONS[action].target)

    def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(self):
        need = self.need_in(NeedStatus.CLOSED)
        for act in (
            lambda: services.need_claim(need=need, member=self.outsider),
            lambda: services.need_cancel(need=need, member=self.requester),
            lambda: services.need_reopen(need=need, member=self.requester),
        ):
            with self.assertRaises(Refusal):
                act()
            need.refresh_from_db()
            self.assertEqual(need.status, NeedStatus.CLOSED)
