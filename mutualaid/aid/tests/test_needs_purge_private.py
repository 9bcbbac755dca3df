from datetime import timedelta

import time_machine
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import ContactShare, EventKind, Message, Need, NeedStatus
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase

SECRET = "The door code is 4471, second floor"


class NeedsPurgePrivateTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        NetworkSettings.objects.update_or_create(pk=1, defaults={"retention_days": 30})

    def closed_need_with_private_text(self):
        need = self.claimed_need(details=SECRET)
        services.message_send(need=need, sender=self.requester, body=SECRET)
        services.contact_share(need=need, member=self.requester, kind="phone", value="555 0100")
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        return need

    def test_it_keeps_private_text_within_the_retention_period(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            need = self.closed_need_with_private_text()
        with time_machine.travel(start + timedelta(days=29), tick=False):
            self.assertEqual(services.needs_purge_private(), 0)
        self.assertEqual(Need.objects.get(pk=need.pk).details, SECRET)
        self.assertEqual(Message.objects.count(), 1)

    def test_it_purges_details_and_messages_but_keeps_the_anonymous_facts(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            need = self.closed_need_with_private_text()
            cancelled = self.post_need(details=SECRET)
            services.need_cancel(need=cancelled, member=self.requester)
            still_open = self.post_need(
                details=SECRET, needed_by=timezone.localdate() + timedelta(days=60)
            )
        events_before = list(need.events.values_list("kind", flat=True))
        with time_machine.travel(start + timedelta(days=31), tick=False):
            self.assertEqual(services.needs_purge_private(), 2)
            self.assertEqual(services.needs_purge_private(), 0)  # once only
        need = Need.objects.get(pk=need.pk)
        self.assertEqual(need.details, "")
        self.assertIsNotNone(need.purged_at)
        self.assertEqual(Need.objects.get(pk=cancelled.pk).details, "")
        self.assertEqual(Need.objects.get(pk=still_open.pk).details, SECRET)
        self.assertEqual(Message.objects.count(), 0)
        self.assertEqual(ContactShare.objects.count(), 0)
        # The facts for the figures remain: category, area, times, status and the timeline.
        self.assertEqual(need.status, NeedStatus.CLOSED)
        self.assertEqual((need.category, need.area), (self.groceries, self.north))
        kinds = list(need.events.values_list("kind", flat=True))
        self.assertEqual(kinds, [*events_before, EventKind.NEED_PURGED])

    def test_it_follows_the_retention_days_the_admins_set(self):
        NetworkSettings.objects.filter(pk=1).update(retention_days=10)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            need = self.closed_need_with_private_text()
        with time_machine.travel(start + timedelta(days=9), tick=False):
            self.assertEqual(services.needs_purge_private(), 0)
        with time_machine.travel(start + timedelta(days=11), tick=False):
            self.assertEqual(services.needs_purge_private(), 1)
        self.assertEqual(Need.objects.get(pk=need.pk).details, "")

    def test_a_shared_contact_ends_when_the_claim_ends(self):
        need = self.claimed_need()
        services.contact_share(need=need, member=self.requester, kind="phone", value="555 0100")
        services.need_release(need=need, member=self.volunteer)
        self.assertEqual(ContactShare.objects.count(), 0)
