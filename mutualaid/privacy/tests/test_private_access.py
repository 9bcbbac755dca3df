"""Access records: every time an organizer opens someone's private text, it is written down."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import EventKind, Message, NeedStatus, TimelineEvent
from mutualaid.privacy.models import AccessKind, PrivateAccess
from mutualaid.privacy.services import private_access_record
from mutualaid.test import BaseTestCase, make_member

ALL = [AccessKind.DETAILS, AccessKind.MESSAGES, AccessKind.CONTACT]


class PrivateAccessRecordTestCase(BaseTestCase):
    def test_it_records_an_organizer_reading_each_kind(self):
        need = self.claimed_need()
        rows = private_access_record(viewer=self.organizer, need=need, what=ALL)
        self.assertEqual(len(rows), 3)
        self.assertEqual(
            set(PrivateAccess.objects.values_list("viewer", "owner", "need", "what")),
            {(self.organizer.pk, self.requester.pk, need.pk, kind) for kind in ALL},
        )

    def test_each_kind_once_per_opening(self):
        need = self.post_need()
        private_access_record(viewer=self.organizer, need=need, what=["details", "details"])
        self.assertEqual(PrivateAccess.objects.count(), 1)

    def test_it_does_not_record_people_reading_their_own(self):
        need = self.claimed_need()
        for member in (self.requester, self.volunteer):
            with self.subTest(member.handle):
                self.assertEqual(private_access_record(viewer=member, need=need, what=ALL), [])
        self.assertFalse(PrivateAccess.objects.exists())

    def test_it_does_not_record_an_organizer_who_is_the_requester_or_the_claimant(self):
        own = self.post_need(requester=self.organizer)
        private_access_record(viewer=self.organizer, need=own, what=ALL)
        held = self.post_need()
        services.need_claim(need=held, member=self.organizer)
        held.refresh_from_db()
        private_access_record(viewer=self.organizer, need=held, what=ALL)
        self.assertFalse(PrivateAccess.objects.exists())

    def test_nothing_shown_or_nobody_to_tell_means_no_record(self):
        need = self.post_need()
        private_access_record(viewer=self.organizer, need=need, what=[])
        need.requester = None
        private_access_record(viewer=self.organizer, need=need, what=ALL)
        private_access_record(viewer=self.outsider, need=self.post_need(), what=ALL)
        self.assertFalse(PrivateAccess.objects.exists())

    def test_it_refuses_an_unknown_kind(self):
        with self.assertRaises(ValueError):
            private_access_record(viewer=self.organizer, need=self.post_need(), what=["diary"])
        self.assertFalse(PrivateAccess.objects.exists())


class NeedPageAccessTestCase(BaseTestCase):
    def page(self, need, member, **extra):
        self.client.force_login(member)
        return self.client.get(reverse("aid:need", args=[need.code]), **extra)

    def recorded(self):
        return sorted(PrivateAccess.objects.values_list("viewer__handle", "owner__handle", "what"))

    def full_need(self):
        need = self.claimed_need()
        services.message_send(need=need, sender=self.requester, body="Door code 4711")
        services.contact_share(need=need, member=self.requester, kind="phone", value="555 1234")
        return need

    def test_an_organizer_opening_the_page_is_recorded_for_each_thing_shown(self):
        need = self.full_need()
        response = self.page(need, self.organizer)
        self.assertContains(response, "Door code 4711")
        self.assertEqual(
            self.recorded(),
            [
                ("olga", "rosa", "contact"),
                ("olga", "rosa", "details"),
                ("olga", "rosa", "messages"),
            ],
        )
        self.assertEqual(set(PrivateAccess.objects.values_list("need", flat=True)), {need.pk})

    def test_every_opening_is_recorded(self):
        need = self.post_need()
        self.page(need, self.organizer)
        self.page(need, self.organizer)
        self.assertEqual(self.recorded(), [("olga", "rosa", "details")] * 2)

    def test_only_what_is_shown_is_recorded(self):
        need = self.post_need(details="")
        self.page(need, self.organizer)
        self.assertFalse(PrivateAccess.objects.exists())
        services.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        services.message_send(need=need, sender=self.volunteer, body="Hello")
        self.page(need, self.organizer)
        self.assertEqual(self.recorded(), [("olga", "rosa", "messages")])

    def test_the_requester_and_the_claimant_reading_their_own_are_not_recorded(self):
        need = self.full_need()
        for member in (self.requester, self.volunteer):
            self.assertContains(self.page(need, member), "Door code 4711")
        self.assertFalse(PrivateAccess.objects.exists())

    def test_members_who_see_nothing_private_leave_no_record(self):
        need = self.post_need()
        self.assertEqual(self.page(need, self.outsider).status_code, 200)
        claimed = self.full_need()
        self.assertEqual(self.page(claimed, self.outsider).status_code, 404)
        services.need_release(need=claimed, member=self.volunteer)
        self.page(claimed, self.volunteer)  # released: sees the summary only
        self.assertFalse(PrivateAccess.objects.exists())

    def test_the_htmx_panel_is_recorded_too(self):
        need = self.full_need()
        response = self.page(need, self.organizer, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="need-panel"')
        self.assertEqual(len(self.recorded()), 3)

    def test_a_panel_after_an_action_is_recorded(self):
        need = self.post_need()
        self.client.force_login(self.organizer)
        self.client.post(
            reverse("aid:need_assign", args=[need.code]),
            {"handle": "vic"},
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(self.recorded(), [("olga", "rosa", "details")])

    def test_a_closed_need_opened_later_is_recorded(self):
        need = self.full_need()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)
        self.page(need, self.organizer)
        self.assertEqual(
            self.recorded(), [("olga", "rosa", "details"), ("olga", "rosa", "messages")]
        )

    def test_another_organizer_is_recorded_apart(self):
        need = self.post_need()
        oscar = make_member("oscar", organizer=True)
        self.page(need, self.organizer)
        self.page(need, oscar)
        self.assertEqual(
            self.recorded(), [("olga", "rosa", "details"), ("oscar", "rosa", "details")]
        )

    def test_the_page_costs_the_same_however_many_messages(self):
        need = self.full_need()
        claim = need.claims.get()
        url = reverse("aid:need", args=[need.code])
        self.client.force_login(self.organizer)
        self.client.get(url)

        def add(count):
            now = timezone.now()
            Message.objects.bulk_create(
                Message(claim=claim, sender=self.volunteer, body=f"Note {i}", created_at=now)
                for i in range(count)
            )
            TimelineEvent.objects.bulk_create(
                TimelineEvent(
                    need=need, claim=claim, actor=self.volunteer, kind=EventKind.MESSAGE_SENT
                )
                for _ in range(count)
            )

        add(3)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        add(27)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "Note 26")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])
        self.assertEqual(PrivateAccess.objects.count(), 9)
