"""The event seam: a notice's outbox rows are written in its transaction, handed to the worker by
id once it commits, and each is sent at most once, retried with backoff, failed for good at last."""

from datetime import timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from mutualaid.accounts import services, tasks
from mutualaid.accounts.models import Delivery, DeliveryStatus, Notice
from mutualaid.lib import channels, versions
from mutualaid.test import BaseTestCase


class Inbox:
    """A channel whose far end is a list in this process (the outside world of this test)."""

    def __init__(self, name="test", *, fail=0):
        self.sent: list[int] = []
        self.fail = fail
        self.channel = channels.Channel(name=name, accepts=self.accepts, send=self.send)

    def accepts(self, member, kind):
        return member.handle != "otto"

    def send(self, notice):
        if self.fail:
            self.fail -= 1
            raise ConnectionError("the far end did not answer")
        self.sent.append(notice.pk)


class OutboxTestCase(BaseTestCase):
    def setUp(self):
        self.inbox = Inbox()
        channels.register(self.inbox.channel)
        self.addCleanup(channels.unregister, "test")

    def test_the_notice_is_in_the_app_at_once_and_its_outbox_row_goes_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            notice = services.notify(member=self.requester, kind="message", text="Hello")
            self.assertEqual(Notice.objects.filter(member=self.requester).count(), 1)
            delivery = Delivery.objects.get(notice=notice)
            self.assertEqual(delivery.status, DeliveryStatus.PENDING)
            self.assertEqual(self.inbox.sent, [])  # nothing leaves before the commit
        outward = [c for c in callbacks if not isinstance(c, versions.AfterCommit)]
        self.assertEqual(len(outward), 1)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, DeliveryStatus.SENT)
        self.assertEqual(self.inbox.sent, [notice.pk])

    def test_a_rolled_back_write_sends_nothing(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    services.notify(member=self.requester, kind="message", text="Hello")
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual([c for c in callbacks if not isinstance(c, versions.AfterCommit)], [])
        self.assertFalse(Delivery.objects.exists())
        self.assertEqual(self.inbox.sent, [])

    def test_a_member_the_channel_cannot_reach_gets_no_row(self):
        services.notify(member=self.outsider, kind="message", text="Hello")
        self.assertFalse(Delivery.objects.exists())

    def test_a_row_is_never_sent_twice(self):
        notice = services.notify(member=self.requester, kind="message", text="Hello")
        self.assertEqual(services.deliveries_send(), 1)
        self.assertEqual(services.deliveries_send(), 0)
        # A second worker that read the row as pending before the first claimed it loses the race.
        delivery = Delivery.objects.get(notice=notice)
        claimed = Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=0
        ).update(status=DeliveryStatus.SENDING)
        self.assertEqual(claimed, 0)
        self.assertEqual(self.inbox.sent, [notice.pk])

    def test_a_row_left_sending_by_a_killed_worker_is_not_sent_again_by_the_next(self):
        notice = services.notify(member=self.requester, kind="message", text="Hello")
        Delivery.objects.filter(notice=notice).update(status=DeliveryStatus.SENDING, attempts=1)
        self.assertEqual(services.deliveries_send(), 0)
        self.assertEqual(self.inbox.sent, [])

    def test_a_failure_is_retried_with_backoff_then_fails_for_good(self):
        self.inbox.fail = channels.MAX_ATTEMPTS
        notice = services.notify(member=self.requester, kind="message", text="Hello")
        delivery = Delivery.objects.get(notice=notice)
        now = timezone.now()
        for attempt in range(1, channels.MAX_ATTEMPTS + 1):
            with time_machine.travel(now, tick=False):
                self.assertEqual(services.deliveries_send(), 0)
            delivery.refresh_from_db()
            self.assertEqual(delivery.attempts, attempt)
            self.assertEqual(delivery.error, "ConnectionError")
            if attempt < channels.MAX_ATTEMPTS:
                self.assertEqual(delivery.status, DeliveryStatus.PENDING)
                self.assertEqual(delivery.next_attempt_at, now + channels.backoff(attempt))
                with time_machine.travel(now, tick=False):  # not due yet: left alone
                    self.assertEqual(services.deliveries_send(), 0)
                delivery.refresh_from_db()
                self.assertEqual(delivery.attempts, attempt)
                now = delivery.next_attempt_at + timedelta(seconds=1)
        self.assertEqual(delivery.status, DeliveryStatus.FAILED)
        self.assertEqual(self.inbox.sent, [])

    def test_the_task_is_handed_ids_only(self):
        notice = services.notify(member=self.requester, kind="message", text="Secret words")
        ids = list(Delivery.objects.filter(notice=notice).values_list("pk", flat=True))
        result = tasks.deliver.enqueue(ids)
        self.assertEqual(result.args, [ids])
        self.assertEqual(self.inbox.sent, [notice.pk])

    def test_an_unknown_kind_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            services.notify(member=self.requester, kind="no_such_kind")
