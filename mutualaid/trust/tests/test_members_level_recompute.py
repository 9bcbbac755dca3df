"""The network's required vouches change: every member's level is worked out again, on commit,
by a background task (network emits an event; trust subscribes and queues the task)."""

from unittest import mock

from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.network.models import SettingsChange
from mutualaid.network.services import network_settings_update
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services, tasks
from mutualaid.trust.models import Level

from .helpers import make_newcomer


def level(member) -> str:
    return Member.objects.values_list("level", flat=True).get(pk=member.pk)


class MembersLevelRecomputeTestCase(BaseTestCase):
    def setUp(self):
        self.nina = make_newcomer("nina")

    def set_vouches_required(self, number):
        with self.captureOnCommitCallbacks(execute=True):
            network_settings_update(by=self.organizer, vouches_required=number)

    def test_changing_the_vouches_required_moves_members_between_levels(self):
        self.set_vouches_required(2)
        services.vouch_give(voucher=self.volunteer, vouchee=self.nina, note="My neighbor")
        self.assertEqual(level(self.nina), Level.NEWCOMER)  # one vouch of the two

        self.set_vouches_required(1)
        self.assertEqual(level(self.nina), Level.VOUCHED)
        self.assertIsNotNone(Member.objects.get(pk=self.nina.pk).vouched_since)

        self.set_vouches_required(2)
        self.assertEqual(level(self.nina), Level.NEWCOMER)
        self.assertIsNone(Member.objects.get(pk=self.nina.pk).vouched_since)
        self.assertEqual(level(self.volunteer), Level.VOUCHED)  # approved: stays vouched

        self.assertEqual(
            list(
                SettingsChange.objects.order_by("pk").values_list("field", "old", "new", "actor")
            ),
            [
                ("vouches_required", 1, 2, self.organizer.pk),
                ("vouches_required", 2, 1, self.organizer.pk),
                ("vouches_required", 1, 2, self.organizer.pk),
            ],
        )

    def test_nothing_is_recomputed_before_the_change_commits(self):
        self.set_vouches_required(2)
        services.vouch_give(voucher=self.volunteer, vouchee=self.nina, note="My neighbor")
        with self.captureOnCommitCallbacks() as callbacks:
            network_settings_update(by=self.organizer, vouches_required=1)
        self.assertEqual(level(self.nina), Level.NEWCOMER)
        for callback in callbacks:
            callback()
        self.assertEqual(level(self.nina), Level.VOUCHED)

    def test_other_settings_queue_no_recomputing(self):
        with (
            mock.patch.object(tasks, "members_level_recompute") as task,
            self.captureOnCommitCallbacks(execute=True),
        ):
            network_settings_update(by=self.organizer, vouch_limit=9, name="Eastside")
        task.enqueue.assert_not_called()
        with (
            mock.patch.object(tasks, "members_level_recompute") as task,
            self.captureOnCommitCallbacks(execute=True),
        ):
            network_settings_update(by=self.organizer, vouches_required=3)
        task.enqueue.assert_called_once_with()

    def test_the_task_leaves_the_suspended_alone(self):
        sam = make_member("sam", level=Level.SUSPENDED)
        Member.objects.filter(pk=sam.pk).update(suspended_at=timezone.now())
        with mock.patch.object(
            tasks, "member_level_recompute", wraps=tasks.member_level_recompute
        ) as recompute:
            result = tasks.members_level_recompute.enqueue()
        self.assertEqual(result.errors, [], result.errors and result.errors[0].traceback)
        looked_at = {call.kwargs["member"].pk for call in recompute.call_args_list}
        self.assertNotIn(sam.pk, looked_at)
        self.assertIn(self.nina.pk, looked_at)
        self.assertEqual(result.return_value, Member.objects.exclude(pk=sam.pk).count())
        self.assertEqual(level(sam), Level.SUSPENDED)
