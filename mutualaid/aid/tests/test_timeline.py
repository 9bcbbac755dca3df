"""The timeline: append-only, and written by every service in the same transaction as its change."""

from datetime import timedelta
from unittest import mock

import time_machine
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from mutualaid.aid import selectors, services
from mutualaid.aid.models import EventKind, TimelineEvent
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, changes_nothing

APPEND_ONLY = "The timeline is append-only"


class TimelineAppendOnlyTestCase(BaseTestCase):
    def setUp(self):
        self.need = self.claimed_need()
        self.event = self.need.events.get(kind=EventKind.NEED_POSTED)

    def test_an_event_cannot_be_saved_again(self):
        self.event.kind = EventKind.NEED_CANCELLED
        with changes_nothing(self), self.assertRaisesMessage(TypeError, APPEND_ONLY):
            self.event.save()

    def test_an_event_cannot_be_deleted(self):
        with changes_nothing(self), self.assertRaisesMessage(TypeError, APPEND_ONLY):
            self.event.delete()

    def test_events_cannot_be_updated_in_bulk(self):
        with changes_nothing(self), self.assertRaisesMessage(TypeError, APPEND_ONLY):
            TimelineEvent.objects.filter(need=self.need).update(actor=None)

    def test_events_cannot_be_deleted_in_bulk(self):
        with changes_nothing(self), self.assertRaisesMessage(TypeError, APPEND_ONLY):
            TimelineEvent.objects.filter(need=self.need).delete()

    def test_a_needs_events_cannot_be_updated_or_deleted_through_the_need(self):
        with changes_nothing(self):
            with self.assertRaisesMessage(TypeError, APPEND_ONLY):
                self.need.events.update(kind=EventKind.NEED_CANCELLED)
            with self.assertRaisesMessage(TypeError, APPEND_ONLY):
                self.need.events.all().delete()

    def test_events_cannot_be_changed_with_bulk_update(self):
        self.event.actor = self.outsider
        # bulk_update runs in an atomic block of its own; the inner one keeps the test's usable.
        with (
            changes_nothing(self),
            self.assertRaisesMessage(TypeError, APPEND_ONLY),
            transaction.atomic(),
        ):
            TimelineEvent.objects.bulk_update([self.event], ["actor"])

    def test_a_new_event_cannot_overwrite_an_old_one_by_taking_its_id(self):
        forged = TimelineEvent(
            pk=self.event.pk, need=self.need, kind=EventKind.NEED_CANCELLED, actor=self.outsider
        )
        with (
            changes_nothing(self),
            self.assertRaises((TypeError, IntegrityError)),
            transaction.atomic(),
        ):
            forged.save()

    def test_events_cannot_be_overwritten_with_an_upsert(self):
        forged = TimelineEvent(
            pk=self.event.pk, need=self.need, kind=EventKind.NEED_CANCELLED, actor=self.outsider
        )
        with (
            changes_nothing(self),
            self.assertRaises((TypeError, IntegrityError)),
            transaction.atomic(),
        ):
            TimelineEvent.objects.bulk_create(
                [forged], update_conflicts=True, unique_fields=["pk"], update_fields=["kind"]
            )

    def test_new_events_can_still_be_added(self):
        services.message_send(need=self.need, sender=self.requester, body="Hello")
        self.assertEqual(self.need.events.count(), 3)

    def test_an_event_holds_no_private_text(self):
        text_fields = [
            field.name
            for field in TimelineEvent._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        self.assertEqual(text_fields, ["kind"])

    def test_the_need_timeline_tells_the_story_in_order(self):
        services.message_send(need=self.need, sender=self.volunteer, body="On my way")
        services.need_mark_fulfilled(need=self.need, member=self.volunteer)
        services.need_confirm(need=self.need, member=self.requester)
        self.assertEqual(
            [(event.kind, event.actor) for event in selectors.need_timeline(self.need)],
            [
                (EventKind.NEED_POSTED, self.requester),
                (EventKind.NEED_CLAIMED, self.volunteer),
                (EventKind.MESSAGE_SENT, self.volunteer),
                (EventKind.NEED_FULFILLED, self.volunteer),
                (EventKind.NEED_CONFIRMED, self.requester),
            ],
        )


class TimelineWrittenByEveryServiceTestCase(BaseTestCase):
    """Each ready_<service> method sets up a fresh record and returns (action, kind, actor)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The volunteer takes on a need for nearly every service: above the network's usual cap.
        NetworkSettings.objects.update_or_create(pk=1, defaults={"max_active_claims": 50})

    SERVICES = [
        "need_post",
        "need_claim",
        "need_assign",
        "need_match_offer",
        "need_proposal_accept",
        "need_proposal_decline",
        "proposals_expire",
        "need_check_in_keep",
        "claims_check_in",
        "need_release",
        "message_send",
        "contact_share",
        "need_mark_fulfilled",
        "need_confirm",
        "needs_auto_confirm",
        "need_reopen",
        "need_cancel",
        "needs_expire",
        "offer_post",
        "offer_withdraw",
    ]

    def ready_need_post(self):
        return self.post_need, EventKind.NEED_POSTED, self.requester

    def ready_need_claim(self):
        need = self.post_need()
        return (
            lambda: services.need_claim(need=need, member=self.volunteer),
            EventKind.NEED_CLAIMED,
            self.volunteer,
        )

    def ready_need_assign(self):
        need = self.post_need()
        return (
            lambda: services.need_assign(
                need=need, volunteer=self.volunteer, organizer=self.organizer
            ),
            EventKind.NEED_ASSIGNED,
            self.organizer,
        )

    def proposed_need(self):
        need = self.post_need()
        services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        need.refresh_from_db()
        return need

    def ready_need_proposal_accept(self):
        need = self.proposed_need()
        return (
            lambda: services.need_proposal_accept(need=need, member=self.volunteer),
            EventKind.PROPOSAL_ACCEPTED,
            self.volunteer,
        )

    def ready_need_proposal_decline(self):
        need = self.proposed_need()
        return (
            lambda: services.need_proposal_decline(need=need, member=self.volunteer),
            EventKind.PROPOSAL_DECLINED,
            self.volunteer,
        )

    def ready_proposals_expire(self):
        with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):
            self.proposed_need()
        return services.proposals_expire, EventKind.PROPOSAL_EXPIRED, None

    def ready_need_check_in_keep(self):
        with time_machine.travel(timezone.now() - timedelta(days=60), tick=False):
            need = self.claimed_need()
        services.claims_check_in()
        return (
            lambda: services.need_check_in_keep(need=need, member=self.volunteer),
            EventKind.CHECK_IN_ANSWERED,
            self.volunteer,
        )

    def ready_claims_check_in(self):
        with time_machine.travel(timezone.now() - timedelta(days=60), tick=False):
            self.claimed_need()
        return services.claims_check_in, EventKind.CHECK_IN_ASKED, None

    def ready_contact_share(self):
        need = self.claimed_need()
        return (
            lambda: services.contact_share(
                need=need, member=self.requester, kind="phone", value="555 123 4567"
            ),
            EventKind.CONTACT_SHARED,
            self.requester,
        )

    def ready_need_match_offer(self):
        need, offer = self.post_need(), self.post_offer()
        return (
            lambda: services.need_match_offer(need=need, offer=offer, member=self.requester),
            EventKind.NEED_MATCHED,
            self.requester,
        )

    def ready_need_release(self):
        need = self.claimed_need()
        return (
            lambda: services.need_release(need=need, member=self.volunteer),
            EventKind.CLAIM_RELEASED,
            self.volunteer,
        )

    def ready_message_send(self):
        need = self.claimed_need()
        return (
            lambda: services.message_send(need=need, sender=self.requester, body="Hello"),
            EventKind.MESSAGE_SENT,
            self.requester,
        )

    def ready_need_mark_fulfilled(self):
        need = self.claimed_need()
        return (
            lambda: services.need_mark_fulfilled(need=need, member=self.volunteer),
            EventKind.NEED_FULFILLED,
            self.volunteer,
        )

    def ready_need_confirm(self):
        need = self.fulfilled_need()
        return (
            lambda: services.need_confirm(need=need, member=self.requester),
            EventKind.NEED_CONFIRMED,
            self.requester,
        )

    def ready_needs_auto_confirm(self):
        with time_machine.travel(timezone.now() - timedelta(days=60), tick=False):
            self.fulfilled_need()
        return services.needs_auto_confirm, EventKind.NEED_AUTO_CONFIRMED, None

    def ready_need_reopen(self):
        need = self.fulfilled_need()
        return (
            lambda: services.need_reopen(need=need, member=self.requester),
            EventKind.NEED_REOPENED,
            self.requester,
        )

    def ready_need_cancel(self):
        need = self.claimed_need()
        return (
            lambda: services.need_cancel(need=need, member=self.requester),
            EventKind.NEED_CANCELLED,
            self.requester,
        )

    def ready_needs_expire(self):
        self.post_need(needed_by=timezone.localdate() - timedelta(days=1))
        return services.needs_expire, EventKind.NEED_EXPIRED, None

    def ready_offer_post(self):
        return self.post_offer, EventKind.OFFER_POSTED, self.volunteer

    def ready_offer_withdraw(self):
        offer = self.post_offer()
        return (
            lambda: services.offer_withdraw(offer=offer, member=self.volunteer),
            EventKind.OFFER_WITHDRAWN,
            self.volunteer,
        )

    def test_every_service_writes_exactly_its_own_event_with_its_actor(self):
        for name in self.SERVICES:
            with self.subTest(service=name):
                action, kind, actor = getattr(self, f"ready_{name}")()
                before = list(TimelineEvent.objects.values_list("pk", flat=True))
                action()
                written = TimelineEvent.objects.exclude(pk__in=before)
                self.assertEqual([(event.kind, event.actor) for event in written], [(kind, actor)])

    def test_a_service_whose_event_cannot_be_written_changes_nothing(self):
        failure = DatabaseError("disk I/O error")
        for name in self.SERVICES:
            with self.subTest(service=name):
                action, _, _ = getattr(self, f"ready_{name}")()
                with (
                    changes_nothing(self),
                    mock.patch.object(services, "_record", side_effect=failure),
                    mock.patch.object(services, "_record_together", side_effect=failure),
                    self.assertRaises(DatabaseError),
                ):
                    action()
