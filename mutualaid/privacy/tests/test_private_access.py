"""Access records: every time someone other than a need's own people opens its private text
through the one door (``aid.selectors.need_private_text``), it is written down for its requester."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import (
    AccessKind,
    EventKind,
    Message,
    Need,
    NeedStatus,
    PrivateAccess,
    TimelineEvent,
)
from mutualaid.aid.selectors import need_private_text
from mutualaid.privacy.services import member_delete
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role

ALL = {AccessKind.DETAILS, AccessKind.MESSAGES, AccessKind.CONTACT}


def inserts(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]


class NeedPrivateTextTestCase(BaseTestCase):
    def full_need(self):
        """A claimed need with details, two messages and a shared contact."""
        need = self.claimed_need(details="Flat 3B, ring twice")
        services.message_send(need=need, sender=self.requester, body="Door code 4711")
        services.message_send(need=need, sender=self.volunteer, body="See you at six")
        services.contact_share(need=need, member=self.requester, kind="phone", value="555 1234")
        return need

    def recorded(self):
        return set(PrivateAccess.objects.values_list("viewer", "owner", "need", "what"))

    def assertNothing(self, text):
        self.assertFalse(text)
        self.assertEqual((text.details, text.conversation, text.contact), ("", [], None))

    def test_a_dispatcher_reading_is_recorded_for_each_thing_shown(self):
        need = self.full_need()
        text = need_private_text(need, self.organizer)  # olga: admin and dispatcher
        self.assertEqual(text.details, "Flat 3B, ring twice")
        self.assertEqual([m.body for m in text.conversation], ["Door code 4711", "See you at six"])
        self.assertEqual(text.contact.value, "555 1234")
        self.assertEqual(
            self.recorded(),
            {(self.organizer.pk, self.requester.pk, need.pk, kind) for kind in ALL},
        )

    def test_a_triager_reading_is_recorded_too(self):
        need = self.post_need(details="Flat 3B, ring twice")
        triager = make_member("tia", roles=[Role.TRIAGER])
        self.assertEqual(need_private_text(need, triager).details, "Flat 3B, ring twice")
        self.assertEqual(
            self.recorded(), {(triager.pk, self.requester.pk, need.pk, AccessKind.DETAILS)}
        )

    def test_every_reading_is_recorded_in_one_insert_whatever_is_shown(self):
        details_only = self.post_need()
        everything = self.full_need()
        for need, kinds in ((details_only, 1), (everything, 3)):
            with self.subTest(kinds=kinds), CaptureQueriesContext(connection) as queries:
                need_private_text(need, self.organizer)
            self.assertEqual(len(inserts(queries)), 1, inserts(queries))
            self.assertEqual(PrivateAccess.objects.filter(need=need).count(), kinds)
        need_private_text(details_only, self.organizer)
        self.assertEqual(PrivateAccess.objects.filter(need=details_only).count(), 2)

    def test_only_what_is_shown_is_recorded(self):
        need = self.post_need(details="")
        self.assertNothing(need_private_text(need, self.organizer))
        self.assertFalse(PrivateAccess.objects.exists())
        services.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        services.message_send(need=need, sender=self.volunteer, body="Hello")
        need_private_text(need, self.organizer)
        self.assertEqual(
            self.recorded(), {(self.organizer.pk, self.requester.pk, need.pk, "messages")}
        )

    def test_the_requester_and_the_current_volunteer_read_their_own_without_a_record(self):
        need = self.full_need()
        for member in (self.requester, self.volunteer):
            with self.subTest(member.handle):
                text = need_private_text(need, member)
                self.assertEqual(text.details, "Flat 3B, ring twice")
                self.assertEqual(text.contact.value, "555 1234")
        self.assertFalse(PrivateAccess.objects.exists())

    def test_an_organizer_who_is_the_requester_or_the_volunteer_leaves_no_record(self):
        own = self.post_need(requester=self.organizer)
        self.assertTrue(need_private_text(own, self.organizer))
        held = self.post_need()
        services.need_claim(need=held, member=self.organizer)
        held.refresh_from_db()
        self.assertTrue(need_private_text(held, self.organizer))
        self.assertFalse(PrivateAccess.objects.exists())

    def test_an_admin_only_member_gets_nothing_and_leaves_no_record(self):
        need = self.full_need()
        admin = make_member("ada", roles=[Role.ADMIN])
        self.assertNothing(need_private_text(need, admin))
        self.assertFalse(PrivateAccess.objects.exists())

    def test_members_without_a_part_get_nothing_and_leave_no_record(self):
        need = self.full_need()
        safety = make_member("sol", roles=[Role.SAFETY])  # reads reported messages only
        for member in (self.outsider, safety):
            with self.subTest(member.handle):
                self.assertNothing(need_private_text(need, member))
        services.need_release(need=need, member=self.volunteer)
        need.refresh_from_db()
        self.assertNothing(need_private_text(need, self.volunteer))  # released: not theirs now
        self.assertFalse(PrivateAccess.objects.exists())

    def test_a_need_whose_requester_left_has_nobody_to_tell(self):
        need = self.full_need()
        member_delete(member=self.requester)  # the volunteer's message stays until retention
        need = Need.objects.get(pk=need.pk)
        self.assertIsNone(need.requester)
        self.assertEqual(
            [m.body for m in need_private_text(need, self.organizer).conversation],
            ["See you at six"],
        )
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
        admin = make_member("ada", roles=[Role.ADMIN])  # sees every need, reads no private text
        self.assertNotContains(self.page(self.full_need(), admin), "Door code 4711")
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
