"""Organizers' notes on a need: sealed, read only by organizers who read private text (recorded),
on the timeline only for them."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import Notice
from mutualaid.aid import selectors, services, triage
from mutualaid.aid.models import AccessKind, EventKind, Need, NeedNote, PrivateAccess
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import CANARY, BaseTestCase, changes_nothing, make_member
from mutualaid.trust.models import Role

NOTE_EVENT = "added an organizers&#x27; note"  # as the page escapes it
NOTE = f"Called her back: she needs it before Friday. {CANARY}"


class NotesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tia", roles=[Role.TRIAGER])
        cls.dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        cls.admin = make_member("ada", roles=[Role.ADMIN])
        cls.safety = make_member("sol", roles=[Role.SAFETY])

    def noted(self):
        need = self.claimed_need()
        triage.note_add(need=need, by=self.dispatcher, body=NOTE)
        return need


class NoteAddTests(NotesTestCase):
    def test_an_organizer_who_reads_private_text_adds_a_sealed_note_on_the_timeline(self):
        need = self.claimed_need()
        note = triage.note_add(need=need, by=self.dispatcher, body=f"  {NOTE}  ")
        self.assertEqual((note.kind, note.body, note.author), ("internal", NOTE, self.dispatcher))
        raw = NeedNote.objects.filter(pk=note.pk).values_list("body", flat=True).get()
        self.assertNotIn(CANARY, raw)  # sealed at rest
        self.assertEqual(need.events.order_by("pk").last().kind, EventKind.NOTE_ADDED)

    def test_the_organizers_who_wrote_on_it_before_hear_of_a_new_note_not_its_words(self):
        need = self.noted()
        triage.note_add(need=need, by=self.triager, body="Second note")
        told = Notice.objects.get(kind="note_added")
        self.assertEqual(told.member, self.dispatcher)
        self.assertNotIn("Second note", str(told.params))
        self.assertFalse(Notice.objects.filter(member=self.requester, kind="note_added"))

    def test_others_may_not_add_notes_and_nothing_changes(self):
        need = self.claimed_need()
        for member in (self.requester, self.volunteer, self.admin, self.safety, self.outsider):
            with self.subTest(member=member.handle), changes_nothing(self):
                with self.assertRaises(Refusal) as refused:
                    triage.note_add(need=need, by=member, body="A note")
                self.assertEqual(refused.exception.code, "forbidden")
        for body in ("   ", "x" * 4001):
            with changes_nothing(self), self.assertRaises(Refusal):
                triage.note_add(need=need, by=self.dispatcher, body=body)
        self.assertFalse(NeedNote.objects.exists())


class NoteReadingTests(NotesTestCase):
    def test_organizers_who_read_private_text_read_notes_and_it_is_recorded(self):
        need = self.noted()
        for organizer in (self.triager, self.organizer):
            with self.subTest(organizer=organizer.handle):
                before = PrivateAccess.objects.filter(what=AccessKind.NOTES).count()
                notes = selectors.need_notes(need, organizer)
                self.assertEqual([note.body for note in notes.internal], [NOTE])
                access = PrivateAccess.objects.filter(what=AccessKind.NOTES).order_by("pk")
                self.assertEqual(access.count(), before + 1)
                self.assertEqual(
                    (access.last().viewer, access.last().owner, access.last().need),
                    (organizer, self.requester, need),
                )

    def test_nobody_else_reads_them_and_nothing_is_recorded(self):
        need = self.noted()
        for member in (self.requester, self.volunteer, self.admin, self.safety, self.outsider):
            with self.subTest(member=member.handle):
                self.assertEqual(selectors.need_notes(need, member).internal, [])
        self.assertFalse(PrivateAccess.objects.filter(what=AccessKind.NOTES).exists())

    def test_no_notes_no_record(self):
        need = self.claimed_need()
        self.assertFalse(selectors.need_notes(need, self.dispatcher))
        self.assertFalse(PrivateAccess.objects.filter(what=AccessKind.NOTES).exists())

    def test_the_requester_reads_the_questions_and_answers_not_the_notes(self):
        need = self.noted()
        triage.ask_more(need=need, by=self.triager, question="Which shop?")
        notes = selectors.need_notes(need, self.requester)
        self.assertEqual([note.body for note in notes.exchange], ["Which shop?"])
        self.assertEqual(notes.internal, [])
        self.assertNotIn("Which", repr(notes))


class NoteTimelineTests(NotesTestCase):
    def test_the_timeline_shows_a_note_only_to_organizers_who_read_notes(self):
        need = self.noted()
        for member, shown in (
            (self.dispatcher, True),
            (self.triager, True),
            (self.organizer, True),
            (self.requester, False),
            (self.volunteer, False),
            (self.admin, False),
            (self.safety, False),
            (None, False),
        ):
            with self.subTest(member=member):
                kinds = [event.kind for event in selectors.need_timeline(need, member)]
                self.assertEqual(EventKind.NOTE_ADDED in kinds, shown)

    def test_a_note_does_not_change_the_page_of_those_who_may_not_see_it(self):
        need = self.claimed_need()
        before = {
            member: selectors.need_version(need, member)
            for member in (self.requester, self.volunteer, self.dispatcher)
        }
        triage.note_add(need=need, by=self.dispatcher, body="A note")
        self.assertEqual(selectors.need_version(need, self.requester), before[self.requester])
        self.assertEqual(selectors.need_version(need, self.volunteer), before[self.volunteer])
        self.assertNotEqual(selectors.need_version(need, self.dispatcher), before[self.dispatcher])

    def test_the_stamp_read_with_the_need_is_the_one_read_apart(self):
        need = self.claimed_need()
        members = (self.requester, self.volunteer, self.dispatcher)
        for noted in (False, True):
            if noted:
                triage.note_add(need=need, by=self.dispatcher, body="A note")
            for member in members:
                with self.subTest(member=member.handle, noted=noted):
                    read = selectors.need_for_member(member, need.code)
                    with self.assertNumQueries(0):  # read with the need, for this member
                        stamp = selectors.need_version(read, member)
                    self.assertEqual(stamp, selectors.need_version(need, member))
        # Read for one member, the stamp is never taken as another's.
        read = selectors.need_for_member(self.dispatcher, need.code)
        apart = selectors.need_version(need, self.requester)
        with self.assertNumQueries(1):
            self.assertEqual(selectors.need_version(read, self.requester), apart)

    def test_the_need_page_hides_notes_and_their_event_from_the_requester_volunteer_and_admin(self):
        need = self.noted()
        url = reverse("aid:need", args=[need.code])
        for member in (self.requester, self.volunteer, self.admin):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "Called her back")
                self.assertNotContains(response, NOTE_EVENT)
                self.assertNotContains(response, "Organizers&#x27; notes")
        self.assertFalse(PrivateAccess.objects.filter(what=AccessKind.NOTES).exists())
        self.client.force_login(self.dispatcher)
        response = self.client.get(url)
        self.assertContains(response, "Called her back")
        self.assertContains(response, NOTE_EVENT)
        self.assertEqual(PrivateAccess.objects.filter(what=AccessKind.NOTES).count(), 1)


class NoteViewTests(NotesTestCase):
    def test_an_organizer_adds_a_note_from_the_need_page(self):
        need = self.claimed_need()
        self.client.force_login(self.dispatcher)
        response = self.client.post(reverse("aid:need_note", args=[need.code]), {"body": NOTE})
        self.assertRedirects(
            response,
            reverse("aid:need", args=[need.code]) + "#notes",
            fetch_redirect_response=False,
        )
        self.assertEqual(NeedNote.objects.get().body, NOTE)

    def test_outsiders_are_refused(self):
        need = self.claimed_need()
        url = reverse("aid:need_note", args=[need.code])
        response = self.client.post(url, {"body": "A note"})
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
        for member in (self.requester, self.volunteer, self.admin, self.safety):
            self.client.force_login(member)
            self.assertEqual(self.client.post(url, {"body": "A note"}).status_code, 403)
        self.client.force_login(self.outsider)  # may not know it exists
        self.assertEqual(self.client.post(url, {"body": "A note"}).status_code, 404)
        self.assertFalse(NeedNote.objects.exists())


class NoteRetentionTests(NotesTestCase):
    def test_retention_purges_notes_questions_answers_and_the_decline_reason(self):
        need = self.post_need()
        triage.note_add(need=need, by=self.dispatcher, body=NOTE)
        triage.ask_more(need=need, by=self.triager, question="Which shop?")
        triage.answer_more(need=need, member=self.requester, text="Elm")
        triage.decline(need=need, by=self.triager, reason="Out of area", resources="Food bank")
        later = timezone.now() + timedelta(days=NetworkSettings.load().retention_days + 1)
        self.assertEqual(services.needs_purge_private(now=later), 1)
        self.assertFalse(NeedNote.objects.filter(need=need).exists())
        self.assertEqual(Need.objects.get(pk=need.pk).decline_reason, "")
