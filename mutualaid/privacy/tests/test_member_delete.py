"""member_delete: their private text goes, the anonymous facts stay, and those affected are told."""

from unittest import mock

from django.db import connection

from mutualaid.accounts.models import Member, Notice, Role
from mutualaid.accounts.services import notify
from mutualaid.aid import services as aid_services
from mutualaid.aid import triage
from mutualaid.aid.models import (
    AccessKind,
    Claim,
    ClaimEnd,
    ContactKind,
    ContactShare,
    EventKind,
    Message,
    Need,
    NeedNote,
    NeedStatus,
    Offer,
    OfferStatus,
    PrivateAccess,
    TimelineEvent,
)
from mutualaid.network.models import NetworkSettings
from mutualaid.privacy.services import member_delete
from mutualaid.test import BaseTestCase, make_member

# The words of aid/notices.py: need_cancel tells the volunteer, need_release(leaving=True) the
# requester; member_delete sends nothing of its own.
RELEASED = (
    "volunteer_left",
    "Your need “{}” is back on the board: its volunteer can no longer help. "
    "Another neighbor can take it on.",
)
CANCELLED = (
    "need_cancelled",
    "“{}”, which you were helping with, was cancelled by the person who posted it.",
)


def told(notice, summary):
    """(kind, words) as ``notices`` lists them."""
    kind, words = notice
    return (kind, words.format(summary))


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class MemberDeleteTestCase(BaseTestCase):
    def talk(self, need):
        aid_services.message_send(need=need, sender=need.requester, body="ROSA-WROTE door 12")
        aid_services.message_send(need=need, sender=need.claimant, body="VIC-WROTE on my way")

    def delete(self, *, member):
        """member_delete, remembering which notices were there before it."""
        self.before = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        member_delete(member=member)

    def notices(self, member):
        """(kind, words) of every notice the deletion sent ``member`` (the aid services called
        before it send their own, which are not counted)."""
        sent = Notice.objects.filter(member=member, pk__gt=self.before).order_by("pk")
        return [(notice.kind, notice.text) for notice in sent]

    def test_the_member_row_goes(self):
        self.delete(member=self.requester)
        self.assertFalse(Member.objects.filter(handle="rosa").exists())
        self.assertEqual(
            raw("SELECT COUNT(*) FROM accounts_member WHERE handle = %s", "rosa"), [(0,)]
        )

    def test_their_open_needs_are_cancelled_and_stay_as_anonymous_facts(self):
        need = self.post_need(summary="Groceries for a family of four")
        self.delete(member=self.requester)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)
        self.assertIsNone(need.requester)
        self.assertEqual(need.details, "")
        self.assertEqual((need.category, need.area), (self.groceries, self.north))
        self.assertEqual(need.summary, "Groceries for a family of four")
        kinds = list(need.events.values_list("kind", "actor"))
        self.assertEqual(kinds, [(EventKind.NEED_POSTED, None), (EventKind.NEED_CANCELLED, None)])

    def test_their_claimed_need_is_cancelled_and_the_volunteer_told(self):
        need = self.claimed_need()
        self.talk(need)
        self.delete(member=self.requester)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.CANCELLED, None))
        claim = Claim.objects.get(need=need)
        self.assertEqual(claim.end_reason, ClaimEnd.CANCELLED)
        self.assertEqual(claim.volunteer, self.volunteer)
        self.assertEqual(
            self.notices(self.volunteer), [told(CANCELLED, "Groceries for a family of four")]
        )
        # Rosa's messages go; vic's are vic's, and retention takes them with the need.
        self.assertEqual(
            [m.body for m in Message.objects.filter(claim=claim)], ["VIC-WROTE on my way"]
        )

    def test_their_claims_are_released_and_the_requesters_told(self):
        need = self.claimed_need(summary="A ride to the clinic")
        self.talk(need)
        self.delete(member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.OPEN, None))
        self.assertEqual(need.details[:7], "Flat 3B")  # rosa's need keeps rosa's details
        claim = Claim.objects.get(need=need)
        self.assertEqual((claim.end_reason, claim.volunteer), (ClaimEnd.RELEASED, None))
        self.assertEqual(self.notices(self.requester), [told(RELEASED, "A ride to the clinic")])
        self.assertEqual([m.body for m in Message.objects.all()], ["ROSA-WROTE door 12"])
        released = need.events.get(kind=EventKind.CLAIM_RELEASED)
        self.assertEqual((released.actor, released.claim), (None, claim))

    def test_a_need_they_marked_done_goes_back_on_the_board(self):
        """A fulfilled need must have a volunteer; its requester decides again."""
        need = self.claimed_need(summary="A ride to the clinic")
        aid_services.need_mark_fulfilled(need=need, member=self.volunteer)
        self.delete(member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.OPEN, None))
        self.assertEqual(Claim.objects.get(need=need).end_reason, ClaimEnd.RELEASED)
        self.assertEqual(
            list(need.events.values_list("kind", flat=True))[-2:],
            [EventKind.NEED_FULFILLED, EventKind.CLAIM_RELEASED],
        )
        self.assertEqual(self.notices(self.requester), [told(RELEASED, "A ride to the clinic")])

    def test_their_need_marked_done_is_left_to_close_by_itself(self):
        need = self.claimed_need()
        aid_services.need_mark_fulfilled(need=need, member=self.volunteer)
        self.delete(member=self.requester)
        need.refresh_from_db()
        self.assertEqual((need.status, need.requester), (NeedStatus.FULFILLED, None))
        self.assertEqual(need.claimant, self.volunteer)
        self.assertEqual(need.details, "")
        self.assertEqual(aid_services.needs_auto_confirm(now=need.auto_confirm_at()), 1)

    def test_closed_needs_and_ended_claims_stay_with_no_name(self):
        need = self.claimed_need()
        self.talk(need)
        aid_services.need_mark_fulfilled(need=need, member=self.volunteer)
        aid_services.need_confirm(need=need, member=self.requester)
        self.delete(member=self.requester)
        need.refresh_from_db()
        self.assertEqual((need.status, need.requester, need.details), (NeedStatus.CLOSED, None, ""))
        self.assertEqual(self.notices(self.volunteer), [])  # nothing changed for vic
        actors = set(
            TimelineEvent.objects.filter(need=need).values_list("actor__handle", flat=True)
        )
        self.assertEqual(actors, {None, "vic"})

    def test_their_private_text_goes(self):
        need = self.claimed_need(details="ROSA-DETAILS canary")
        self.talk(need)
        aid_services.contact_share(
            need=need, member=self.requester, kind=ContactKind.PHONE, value="555 0100"
        )
        old = self.post_need(details="OLD-DETAILS")
        aid_services.need_cancel(need=old, member=self.requester)
        self.delete(member=self.requester)
        self.assertEqual(ContactShare.objects.count(), 0)
        self.assertEqual([m.body for m in Message.objects.all()], ["VIC-WROTE on my way"])
        self.assertEqual(list(Need.objects.values_list("details", flat=True)), ["", ""])
        self.assertEqual(raw("SELECT COUNT(*) FROM aid_need WHERE details <> ''"), [(0,)])

    def test_organizers_questions_notes_and_their_answers_go_too(self):
        triager = make_member("tam", roles=[Role.TRIAGER])
        need = self.post_need()
        other = self.post_need(requester=self.outsider)
        triage.ask_more(need=need, by=triager, question="ROSA-QUESTION which day?")
        triage.answer_more(need=need, member=self.requester, text="ROSA-ANSWER Thursday")
        triage.note_add(need=need, by=triager, body="ROSA-NOTE knows the family")
        triage.note_add(need=other, by=triager, body="OTTO-NOTE stays")
        triage.decline(need=need, by=triager, reason="ROSA-REASON out of scope")
        self.delete(member=self.requester)
        self.assertEqual([n.body for n in NeedNote.objects.all()], ["OTTO-NOTE stays"])
        self.assertEqual(raw("SELECT COUNT(*) FROM aid_need WHERE decline_reason <> ''"), [(0,)])

    def test_their_need_waiting_for_triage_is_cancelled(self):
        NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(triage_first=True)
        need = self.post_need()
        self.assertEqual(need.status, NeedStatus.TRIAGE)
        self.delete(member=self.requester)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CANCELLED)

    def test_their_open_offers_are_withdrawn(self):
        offer = aid_services.offer_post(
            offerer=self.volunteer,
            categories=[self.rides],
            areas=[self.central],
            summary="Weekend rides",
            kind="ongoing",
        )
        self.delete(member=self.volunteer)
        offer.refresh_from_db()
        self.assertEqual((offer.status, offer.offerer), (OfferStatus.WITHDRAWN, None))
        self.assertFalse(Offer.objects.filter(status=OfferStatus.OPEN).exists())

    def test_their_notices_and_access_records_go_but_those_they_made_stay(self):
        need = self.post_need(requester=self.outsider)
        notify(member=self.organizer, kind="message", text="For olga")
        PrivateAccess.objects.create(
            viewer=self.volunteer, owner=self.organizer, need=need, what=AccessKind.DETAILS
        )
        made = PrivateAccess.objects.create(
            viewer=self.organizer, owner=self.outsider, need=need, what=AccessKind.DETAILS
        )
        self.delete(member=self.organizer)
        self.assertEqual(Notice.objects.count(), 0)
        self.assertEqual(list(PrivateAccess.objects.all()), [made])
        made.refresh_from_db()
        self.assertIsNone(made.viewer)  # otto still sees that somebody looked

    def test_a_second_members_data_is_untouched(self):
        ottos = self.post_need(requester=self.outsider, summary="Otto's ride", details="OTTO")
        aid_services.need_claim(need=ottos, member=self.volunteer)
        ottos.refresh_from_db()
        aid_services.message_send(need=ottos, sender=self.outsider, body="OTTO-WROTE")
        aid_services.contact_share(
            need=ottos, member=self.outsider, kind=ContactKind.TEXT, value="OTTO-CONTACT"
        )
        notify(member=self.outsider, kind="message", text="For otto")
        PrivateAccess.objects.create(
            viewer=self.organizer, owner=self.outsider, need=ottos, what=AccessKind.DETAILS
        )
        rosas = self.claimed_need()
        self.talk(rosas)

        def otto_state():
            return {
                "member": Member.objects.values().get(pk=self.outsider.pk),
                "needs": list(Need.objects.filter(requester=self.outsider).values()),
                "details": [n.details for n in Need.objects.filter(requester=self.outsider)],
                "messages": [m.body for m in Message.objects.filter(sender=self.outsider)],
                "contacts": [c.value for c in ContactShare.objects.filter(claim__need=ottos)],
                "notices": list(Notice.objects.filter(member=self.outsider).values()),
                "access": list(PrivateAccess.objects.filter(owner=self.outsider).values()),
            }

        before = otto_state()
        self.delete(member=self.requester)
        self.assertEqual(otto_state(), before)
        self.assertTrue(Member.objects.filter(pk=self.volunteer.pk).exists())

    def test_all_of_it_or_nothing(self):
        need = self.claimed_need()
        self.talk(need)
        other = self.post_need(summary="Second")
        notices = Notice.objects.count()
        with (
            mock.patch.object(Member, "delete", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            self.delete(member=self.requester)
        need.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual((need.status, other.status), (NeedStatus.CLAIMED, NeedStatus.OPEN))
        self.assertEqual(Message.objects.count(), 2)
        self.assertEqual(Notice.objects.count(), notices)
        self.assertTrue(Member.objects.filter(pk=self.requester.pk).exists())

    def test_a_member_with_nothing_just_goes(self):
        newbie = make_member("newbie")
        self.delete(member=newbie)
        self.assertFalse(Member.objects.filter(handle="newbie").exists())
