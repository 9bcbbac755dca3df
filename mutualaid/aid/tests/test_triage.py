"""The triage services (aid/triage.py): each one's happy path, its refusals (nothing changed), and
who is told."""

from datetime import timedelta

from mutualaid.accounts.models import Notice
from mutualaid.aid import selectors, services, triage
from mutualaid.aid.models import (
    EventKind,
    Need,
    NeedNote,
    NeedStatus,
    NoteKind,
    Priority,
    TimelineEvent,
    Visibility,
    queue_at,
)
from mutualaid.lib import events
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import CANARY, BaseTestCase, changes_nothing, make_member
from mutualaid.trust.models import Role


def kinds(member):
    return list(Notice.objects.filter(member=member).order_by("pk").values_list("kind", flat=True))


def events_of(need):
    return list(need.events.order_by("pk").values_list("kind", flat=True))


class TriageTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tia", roles=[Role.TRIAGER])
        cls.dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        cls.admin = make_member("ada", roles=[Role.ADMIN])

    def setUp(self):
        super().setUp()
        NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(triage_first=True)

    def waiting(self, **fields):
        need = self.post_need(**fields)
        self.assertEqual(need.status, NeedStatus.TRIAGE)
        return need

    def triage_first(self, on: bool):
        NetworkSettings.objects.update(triage_first=on)

    def claimed(self):
        """A need on the board (triage off), claimed by the volunteer."""
        self.triage_first(False)
        need = self.claimed_need()
        self.triage_first(True)
        return need

    def assert_not_triagers(self, call):
        """Every one but a triager is refused, and nothing changes."""
        for member in (self.requester, self.volunteer, self.dispatcher, self.admin, self.organizer):
            with self.subTest(member=member.handle), changes_nothing(self):
                with self.assertRaises(Refusal) as refused:
                    call(member)
                self.assertEqual(refused.exception.code, "forbidden")


class PublishTests(TriageTestCase):
    def test_a_triager_puts_a_waiting_need_on_the_board_and_its_requester_is_told(self):
        need = self.waiting()
        heard = []
        events.subscribe(services.NEED_OPENED, lambda **data: heard.append(data))
        with self.captureOnCommitCallbacks(execute=True):
            triage.publish(need=need, by=self.triager)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIn(need, selectors.board_needs(viewer=self.volunteer))
        self.assertEqual(events_of(need)[-1], EventKind.NEED_PUBLISHED)
        self.assertEqual(kinds(self.requester), ["need_published"])
        # Volunteers and organizers hear of it as of a need just posted.
        self.assertIn({"need_id": need.pk, "posted": True}, heard)
        self.assertNotIn({"need_id": need.pk, "posted": False}, heard)

    def test_only_a_triager_publishes(self):
        need = self.waiting()
        self.assert_not_triagers(lambda member: triage.publish(need=need, by=member))

    def test_a_need_not_waiting_for_triage_is_not_published_again(self):
        NetworkSettings.objects.update(triage_first=False)
        need = self.post_need()
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.publish(need=need, by=self.triager)
        self.assertEqual(refused.exception.code, "stale")

    def test_two_triagers_at_once_publish_it_once(self):
        need = self.waiting()
        same = Need.objects.get(pk=need.pk)
        triage.publish(need=need, by=self.triager)
        with self.assertRaises(Refusal):
            triage.publish(need=same, by=self.triager)
        self.assertEqual(events_of(need).count(EventKind.NEED_PUBLISHED), 1)


class PriorityTests(TriageTestCase):
    def test_a_triager_raises_a_need_in_the_queue(self):
        need = self.waiting()
        self.assertTrue(triage.set_priority(need=need, by=self.triager, priority=Priority.CRITICAL))
        need.refresh_from_db()
        self.assertEqual(need.priority, Priority.CRITICAL)
        self.assertEqual(need.queue_at, queue_at(need.created_at, need.urgency, Priority.CRITICAL))
        self.assertEqual(events_of(need)[-1], EventKind.NEED_PRIORITISED)
        self.assertEqual(kinds(self.requester), ["need_prioritised"])

    def test_an_open_or_proposed_need_takes_a_priority_too(self):
        NetworkSettings.objects.update(triage_first=False)
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        self.assertTrue(triage.set_priority(need=need, by=self.triager, priority=Priority.HIGH))

    def test_the_same_priority_writes_nothing(self):
        need = self.waiting()
        with changes_nothing(self):
            self.assertFalse(
                triage.set_priority(need=need, by=self.triager, priority=Priority.NORMAL)
            )
        self.assertEqual(kinds(self.requester), [])

    def test_refusals_change_nothing(self):
        need = self.waiting()
        self.assert_not_triagers(
            lambda member: triage.set_priority(need=need, by=member, priority=Priority.HIGH)
        )
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.set_priority(need=need, by=self.triager, priority="urgentest")
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.set_priority(need=need, by=self.triager, priority=Priority.HIGH)
        self.assertEqual(refused.exception.code, "stale")


class ChangeTests(TriageTestCase):
    def test_a_triager_corrects_a_need_and_its_requester_hears_each_change(self):
        need = self.waiting()
        changed = triage.triage_change(
            need=need,
            by=self.triager,
            category=self.rides,
            area=self.central,
            visibility=Visibility.ORGANIZERS,
        )
        self.assertEqual(changed, ["category", "area", "visibility"])
        need.refresh_from_db()
        self.assertEqual(
            (need.category, need.area, need.visibility),
            (self.rides, self.central, Visibility.ORGANIZERS),
        )
        self.assertEqual(events_of(need)[-1], EventKind.NEED_TRIAGED)
        self.assertEqual(
            kinds(self.requester),
            ["need_recategorised", "need_area_changed", "need_for_organizers"],
        )
        words = [
            notice.text for notice in Notice.objects.filter(member=self.requester).order_by("pk")
        ]
        self.assertIn("Rides", words[0])
        self.assertIn("Central", words[1])

    def test_what_is_already_so_writes_nothing(self):
        need = self.waiting()
        with changes_nothing(self):
            self.assertEqual(
                triage.triage_change(need=need, by=self.triager, category=self.groceries), []
            )

    def test_refusals_change_nothing(self):
        need = self.waiting()
        self.assert_not_triagers(
            lambda member: triage.triage_change(need=need, by=member, category=self.rides)
        )
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.triage_change(need=need, by=self.triager, visibility="everyone")
        claimed = self.claimed()
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.triage_change(need=claimed, by=self.triager, area=self.south)
        self.assertEqual(refused.exception.code, "stale")


class AskMoreTests(TriageTestCase):
    def test_a_triager_asks_and_the_requester_answers_and_each_is_told(self):
        need = self.waiting()
        question = triage.ask_more(need=need, by=self.triager, question="Which pharmacy?")
        self.assertEqual((question.kind, question.body), (NoteKind.QUESTION, "Which pharmacy?"))
        self.assertEqual(events_of(need)[-1], EventKind.MORE_ASKED)
        self.assertEqual(kinds(self.requester), ["more_asked"])
        answer = triage.answer_more(
            need=need, member=self.requester, text=f"The one on Elm. {CANARY}"
        )
        self.assertEqual(answer.kind, NoteKind.ANSWER)
        self.assertEqual(events_of(need)[-1], EventKind.MORE_GIVEN)
        self.assertEqual(kinds(self.triager), ["more_given"])
        for notice in Notice.objects.all():  # the words never travel in a notice
            self.assertNotIn("pharmacy", str(notice.params))
            self.assertNotIn(CANARY, str(notice.params))

    def test_the_question_is_private_text_and_capped(self):
        need = self.waiting()
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.ask_more(need=need, by=self.triager, question="x" * 4001)
        self.assertEqual(refused.exception.code, "too_long")
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.ask_more(need=need, by=self.triager, question="   ")
        self.assert_not_triagers(
            lambda member: triage.ask_more(need=need, by=member, question="Which?")
        )
        self.assertFalse(NeedNote.objects.exists())

    def test_only_the_requester_answers_and_only_a_question_asked(self):
        need = self.waiting()
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.answer_more(need=need, member=self.requester, text="Here is more")
        self.assertEqual(refused.exception.code, "stale")
        triage.ask_more(need=need, by=self.triager, question="Which pharmacy?")
        for member in (self.volunteer, self.triager):
            with changes_nothing(self), self.assertRaises(Refusal) as refused:
                triage.answer_more(need=need, member=member, text="Elm")
            self.assertEqual(refused.exception.code, "forbidden")
        self.assertEqual(NeedNote.objects.count(), 1)

    def test_an_ended_need_is_not_asked_about(self):
        need = self.waiting()
        services.need_cancel(need=need, member=self.requester)
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.ask_more(need=need, by=self.triager, question="Which?")


class MergeTests(TriageTestCase):
    def test_a_need_joined_to_the_same_requesters_other_need_links_to_it(self):
        first = self.waiting()
        again = self.waiting(summary="Groceries for four, please")
        triage.merge(need=again, by=self.triager, into=first)
        again.refresh_from_db()
        self.assertEqual((again.status, again.duplicate_of), (NeedStatus.DUPLICATE, first))
        self.assertEqual(list(first.duplicates.all()), [again])
        self.assertEqual(events_of(again)[-1], EventKind.NEED_MERGED)
        self.assertEqual(events_of(first)[-1], EventKind.NEED_MERGED)
        notice = Notice.objects.get(member=self.requester)
        self.assertEqual(notice.kind, "need_merged_own")
        self.assertEqual(notice.params["need"], str(first.code))

    def test_joined_to_someone_elses_need_the_requester_learns_nothing_of_it(self):
        other = self.waiting(requester=self.outsider, summary="Food for a family")
        need = self.waiting()
        triage.merge(need=need, by=self.triager, into=other)
        notice = Notice.objects.get(member=self.requester)
        self.assertEqual(notice.kind, "need_merged")
        self.assertEqual(notice.params["need"], str(need.code))
        self.assertNotIn("Food for a family", str(notice.params))
        self.assertNotIn("Food for a family", notice.text)
        self.assertEqual(kinds(self.outsider), [])

    def test_refusals_change_nothing(self):
        first = self.waiting()
        need = self.waiting()
        self.assert_not_triagers(lambda member: triage.merge(need=need, by=member, into=first))
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.merge(need=need, by=self.triager, into=need)
        ended = self.waiting()
        services.need_cancel(need=ended, member=self.requester)
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.merge(need=need, by=self.triager, into=ended)
        self.assertEqual(refused.exception.code, "ended")
        # A chain: a need others were joined to is not joined to another in turn.
        third = self.waiting()
        triage.merge(need=third, by=self.triager, into=need)
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.merge(need=need, by=self.triager, into=first)
        self.assertEqual(refused.exception.code, "chain")
        # Nor into a need that is itself a duplicate.
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.merge(need=first, by=self.triager, into=third)
        claimed = self.claimed()
        with changes_nothing(self), self.assertRaises(Refusal) as refused:
            triage.merge(need=claimed, by=self.triager, into=first)
        self.assertEqual(refused.exception.code, "stale")


class DeclineTests(TriageTestCase):
    def test_a_declined_need_ends_with_its_reason_and_resources_for_its_requester(self):
        need = self.waiting()
        triage.decline(
            need=need, by=self.triager, reason="We do not lend money.", resources="Food bank, Elm"
        )
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.DECLINED)
        self.assertEqual(need.decline_reason, "We do not lend money.\n\nFood bank, Elm")
        self.assertEqual(events_of(need)[-1], EventKind.NEED_DECLINED)
        self.assertEqual(kinds(self.requester), ["need_turned_down"])
        self.assertNotIn("money", str(Notice.objects.get(member=self.requester).params))
        self.assertEqual(
            selectors.need_notes(need, self.requester).decline_reason, need.decline_reason
        )
        self.assertEqual(selectors.need_notes(need, self.volunteer).decline_reason, "")

    def test_an_open_need_can_be_declined_too(self):
        NetworkSettings.objects.update(triage_first=False)
        need = self.post_need()
        triage.decline(need=need, by=self.triager, reason="Out of our area.")
        self.assertEqual(need.status, NeedStatus.DECLINED)

    def test_refusals_change_nothing(self):
        need = self.waiting()
        self.assert_not_triagers(
            lambda member: triage.decline(need=need, by=member, reason="Out of scope")
        )
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.decline(need=need, by=self.triager, reason="  ")
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.decline(need=need, by=self.triager, reason="x" * 3000, resources="y" * 3000)
        claimed = self.claimed()
        with changes_nothing(self), self.assertRaises(Refusal):
            triage.decline(need=claimed, by=self.triager, reason="Out of scope")


class RequesterSideTests(TriageTestCase):
    def test_a_waiting_need_is_its_requesters_and_the_organizers_only(self):
        need = self.waiting(summary="Waiting in triage")
        self.assertIn(need, selectors.needs_visible_to(member=self.requester))
        for organizer in (self.triager, self.dispatcher, self.admin):
            self.assertIn(need, selectors.needs_visible_to(member=organizer))
        for member in (self.volunteer, self.outsider):
            self.assertNotIn(need, selectors.needs_visible_to(member=member))
        self.assertNotIn(need, selectors.board_needs(viewer=self.organizer))
        self.assertIsNone(selectors.need_gone_reason(self.volunteer, need.code, acting=True))

    def test_the_requester_still_edits_and_cancels_it(self):
        need = self.waiting()
        self.assertEqual(
            services.need_edit(need=need, member=self.requester, summary="Groceries for five"),
            ["summary"],
        )
        services.need_cancel(need=need, member=self.requester)
        self.assertEqual(need.status, NeedStatus.CANCELLED)

    def test_a_volunteer_who_held_a_declined_need_is_told_the_organizers_closed_it(self):
        need = self.claimed()
        services.need_release(need=need, member=self.volunteer)
        triage.decline(need=need, by=self.triager, reason="Out of our area.")
        self.assertEqual(selectors.need_gone_reason(self.volunteer, need.code), "turned_down")
        # They held it (a members' need): they may see its page still, never its reason.
        self.assertEqual(selectors.need_notes(need, self.volunteer).decline_reason, "")


class DuplicateHintTests(TriageTestCase):
    def test_the_same_requesters_needs_of_the_same_kind_within_a_week_are_hinted(self):
        need = self.waiting()
        same = self.waiting(summary="More groceries")
        self.waiting(category=self.rides, summary="A ride")  # another kind of help
        self.waiting(requester=self.outsider)  # another requester
        old = self.waiting(summary="Old groceries")
        Need.objects.filter(pk=old.pk).update(created_at=need.created_at - timedelta(days=8))
        merged = self.waiting(summary="Joined already")
        triage.merge(need=merged, by=self.triager, into=same)
        self.assertEqual(selectors.likely_duplicates(need), [same])
        self.assertEqual(selectors.likely_duplicates(same), [need])

    def test_a_whole_page_of_hints_is_one_query(self):
        needs = [self.waiting(summary=f"Groceries {i}") for i in range(5)]
        with self.assertNumQueries(1):
            hints = selectors.likely_duplicates_for(needs)
        self.assertEqual(len(hints[needs[0].pk]), 4)


class TimelineEventTests(TriageTestCase):
    def test_each_action_writes_one_event(self):
        need = self.waiting()
        before = TimelineEvent.objects.count()
        triage.set_priority(need=need, by=self.triager, priority=Priority.HIGH)
        triage.triage_change(need=need, by=self.triager, area=self.central)
        triage.ask_more(need=need, by=self.triager, question="When?")
        triage.answer_more(need=need, member=self.requester, text="Friday")
        triage.publish(need=need, by=self.triager)
        self.assertEqual(TimelineEvent.objects.count(), before + 5)
