"""The dispatch queue: every waiting need (organizers-only too, hidden ones not), in the aging
priority order, stale needs and silent claims counted and listed, filters, a fixed query count,
and only for organizers who match needs."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import selectors
from mutualaid.aid import services as aid
from mutualaid.aid.models import Need, Priority, Urgency, Visibility
from mutualaid.dispatch import queues
from mutualaid.network.models import NetworkSettings
from mutualaid.test import CANARY, BaseTestCase, make_member
from mutualaid.trust.models import Level, Role

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("UTC"))


class DispatchQueueTestCase(BaseTestCase):
    url = reverse("dispatch:queue")

    def setUp(self):
        self.client.force_login(self.organizer)

    def summaries(self, response) -> list[str]:
        return [need.summary for need in response.context["page"].object_list]

    def test_it_refuses_who_does_not_match_needs(self):
        for url in (self.url, reverse("dispatch:stalled")):
            self.client.logout()
            self.assertRedirects(self.client.get(url), f"{reverse('accounts:login')}?next={url}")
            for member in (
                self.outsider,
                make_member(f"new{len(url)}", level=Level.NEWCOMER),
                make_member(f"saf{len(url)}", roles=[Role.SAFETY]),
                make_member(f"adm{len(url)}", roles=[Role.ADMIN]),
            ):
                with self.subTest(url=url, member=member.handle):
                    self.client.force_login(member)
                    self.assertEqual(self.client.get(url).status_code, 403)
            for role in (Role.TRIAGER, Role.DISPATCHER):
                self.client.force_login(make_member(f"{role[:3]}{len(url)}", roles=[role]))
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_shows_every_waiting_need_organizers_only_too_and_no_private_text(self):
        members = self.post_need(summary="Groceries on Tuesday")
        private = self.post_need(
            summary="Somewhere safe tonight",
            urgency=Urgency.TODAY,
            visibility=Visibility.ORGANIZERS,
        )
        proposed = self.post_need(summary="A ride to the clinic")
        aid.need_assign(need=proposed, volunteer=self.volunteer, organizer=self.organizer)
        self.claimed_need(summary="Claimed already")
        hidden = self.post_need(summary="Hidden by safety")
        Need.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
        response = self.client.get(self.url)
        self.assertEqual(
            self.summaries(response),
            ["Somewhere safe tonight", "Groceries on Tuesday", "A ride to the clinic"],
        )
        self.assertContains(response, "Organizers only")
        self.assertContains(response, "Proposed to vic")
        self.assertContains(response, reverse("aid:need", args=[private.code]))
        self.assertContains(response, reverse("aid:need", args=[members.code]))
        self.assertNotContains(response, CANARY)
        # The board shows the organizers-only need to who matches needs, too.
        self.assertIn(private, selectors.board_needs(viewer=self.organizer))

    def test_a_low_urgency_need_rises_above_a_new_urgent_one_as_it_waits(self):
        with time_machine.travel(NOON, tick=False):
            old = self.post_need(summary="Anytime, posted first", urgency=Urgency.ANYTIME)
        with time_machine.travel(NOON + timedelta(hours=71), tick=False):
            urgent = self.post_need(summary="Today, three days later", urgency=Urgency.TODAY)
            self.assertEqual(list(queues.dispatch_queue()), [urgent, old])
        with time_machine.travel(NOON + timedelta(hours=73), tick=False):
            later = self.post_need(summary="Today, posted later still", urgency=Urgency.TODAY)
            self.assertEqual(list(queues.dispatch_queue()), [urgent, old, later])
            critical = self.post_need(
                summary="Critical", urgency=Urgency.ANYTIME, priority=Priority.CRITICAL
            )
            self.assertEqual(list(queues.dispatch_queue())[0], critical)

    def test_stale_needs_are_counted_from_their_urgency_threshold(self):
        settings = NetworkSettings.load()
        settings.stale_hours_today = 2
        settings.stale_hours_week = 48
        settings.save()
        with time_machine.travel(NOON, tick=False):
            today = self.post_need(summary="For today", urgency=Urgency.TODAY)
            self.post_need(summary="This week", urgency=Urgency.WEEK)
        with time_machine.travel(NOON + timedelta(hours=2), tick=False):
            self.assertEqual(queues.queue_counts()["stale"], 0)  # exactly at the threshold
        with time_machine.travel(NOON + timedelta(hours=2, seconds=1), tick=False):
            self.assertEqual(queues.queue_counts()["stale"], 1)
            response = self.client.get(self.url, {"stale": "on"})
            self.assertEqual(self.summaries(response), ["For today"])
            self.assertContains(response, "Stale")
            self.assertTrue(response.context["page"].object_list[0].is_stale)
        with time_machine.travel(NOON + timedelta(hours=48, seconds=1), tick=False):
            counts = queues.queue_counts()
            self.assertEqual((counts["waiting"], counts["stale"]), (2, 2))
        aid.need_claim(need=today, member=self.volunteer)
        self.assertEqual(queues.queue_counts()["waiting"], 1)

    def test_claims_with_no_progress_are_counted_and_listed(self):
        with time_machine.travel(NOON, tick=False):
            self.claimed_need(summary="Held, for today", urgency=Urgency.TODAY)
            self.claimed_need(summary="Held, this week", urgency=Urgency.WEEK)
        with time_machine.travel(NOON + timedelta(hours=6, seconds=1), tick=False):
            self.assertEqual(queues.queue_counts()["stalled"], 1)
            response = self.client.get(reverse("dispatch:stalled"))
        self.assertEqual(
            [claim.need.summary for claim in response.context["page"].object_list],
            ["Held, for today"],
        )
        self.assertContains(response, "held by vic")

    def test_proposals_expiring_within_six_hours_are_counted(self):
        need = self.post_need(summary="Proposed")
        aid.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)
        deadline = need.proposals.get().deadline
        self.post_need(summary="Open")
        self.assertEqual(queues.queue_counts(now=deadline - timedelta(hours=7))["expiring"], 0)
        self.assertEqual(queues.queue_counts(now=deadline - timedelta(hours=5))["expiring"], 1)
        with time_machine.travel(deadline - timedelta(hours=5), tick=False):
            response = self.client.get(self.url, {"expiring": "on"})
        self.assertEqual(self.summaries(response), ["Proposed"])

    def test_filters(self):
        self.post_need(summary="North groceries")
        self.post_need(summary="South ride", area=self.south, category=self.rides)
        self.post_need(summary="Urgent", urgency=Urgency.TODAY, priority=Priority.HIGH)
        self.post_need(summary="Private", visibility=Visibility.ORGANIZERS)
        cases = [
            ({"area": str(self.south.code)}, ["South ride"]),
            ({"category": "rides"}, ["South ride"]),
            ({"urgency": "today"}, ["Urgent"]),
            ({"priority": "high"}, ["Urgent"]),
            ({"visibility": "organizers"}, ["Private"]),
        ]
        for query, expected in cases:
            with self.subTest(query=query):
                self.assertEqual(self.summaries(self.client.get(self.url, query)), expected)
        response = self.client.get(self.url, {"urgency": "yesterday", "area": "nowhere"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "not understood", status_code=400)
        self.assertEqual(len(self.summaries(response)), 4)

    def test_it_pages_in_a_fixed_number_of_queries(self):
        made = iter(range(1000))

        def fill(count):
            for i in range(count):
                need = self.post_need(summary=f"Need {i}", urgency=Urgency.values[i % 4])
                if i % 3 == 0:  # proposed, each to a volunteer of its own
                    volunteer = make_member(f"pvol{next(made)}")
                    aid.need_assign(need=need, volunteer=volunteer, organizer=self.organizer)
            for _i in range(count // 10):
                aid.need_claim(need=self.post_need(), member=make_member(f"cvol{next(made)}"))

        fill(3)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url, {"area": str(self.north.code)})
        fill(60)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url, {"area": str(self.north.code)})
        self.assertEqual(len(response.context["page"].object_list), queues.PAGE_SIZE)
        self.assertEqual(len(many), len(few))
        with time_machine.travel(timezone.now() - timedelta(days=30)):
            self.claimed_need(summary="Held a month")
        with CaptureQueriesContext(connection) as stalled_few:
            self.client.get(reverse("dispatch:stalled"))
        with time_machine.travel(timezone.now() - timedelta(days=30)):
            for _i in range(3):
                self.claimed_need(summary="One more held")
        with CaptureQueriesContext(connection) as stalled_more:
            self.client.get(reverse("dispatch:stalled"))
        self.assertEqual(len(stalled_more), len(stalled_few))


class OrganizersOnlyNeedTestCase(BaseTestCase):
    """The gap that opened issue 9: an urgent organizers-only need ("somewhere safe tonight") must
    reach the organizers who match needs: on their board, in the queue, and as a notice."""

    def test_it_is_on_the_board_and_in_the_queue_of_who_matches_needs(self):
        need = self.post_need(
            summary="Somewhere safe tonight",
            urgency=Urgency.TODAY,
            visibility=Visibility.ORGANIZERS,
        )
        self.client.force_login(self.organizer)  # an admin who also dispatches
        for url in (reverse("aid:board"), reverse("dispatch:queue")):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Somewhere safe tonight")
        self.client.force_login(self.volunteer)
        self.assertNotContains(self.client.get(reverse("aid:board")), "Somewhere safe tonight")
        self.assertIn(need, selectors.board_needs(viewer=self.organizer))

    def test_the_organizers_who_match_needs_are_told_at_once_in_the_app(self):
        from mutualaid.accounts.models import Delivery, Notice
        from mutualaid.notifications.models import Mode, Preference

        self.organizer.email = "olga@example.org"
        self.organizer.save()
        Preference.objects.create(
            member=self.organizer, kind="need_waiting", channel="email", mode=Mode.DIGEST
        )
        dispatcher = make_member("dora", roles=[Role.DISPATCHER])
        Preference.objects.create(
            member=dispatcher, kind="need_waiting", channel="email", mode=Mode.IMMEDIATELY
        )
        dispatcher.email = "dora@example.org"
        dispatcher.save()
        with self.captureOnCommitCallbacks(execute=True):
            need = self.post_need(
                summary="Somewhere safe tonight",
                urgency=Urgency.TODAY,
                visibility=Visibility.ORGANIZERS,
            )
        told = Notice.objects.filter(kind="need_waiting")
        self.assertEqual(sorted(told.values_list("member__handle", flat=True)), ["dora", "olga"])
        self.assertEqual({notice.params["need"] for notice in told}, {str(need.code)})
        # Each as they chose: dora by email now, olga in her daily email (the app at once).
        self.assertEqual(
            list(Delivery.objects.values_list("notice__member__handle", flat=True)), ["dora"]
        )
        self.assertFalse(Notice.objects.filter(kind="need_opened").exists())  # not volunteers

    def test_with_triage_first_triagers_hear_then_dispatchers_once_it_is_published(self):
        from mutualaid.accounts.models import Notice
        from mutualaid.aid import triage

        settings = NetworkSettings.load()
        settings.triage_first = True
        settings.save()
        triager = make_member("tess", roles=[Role.TRIAGER])
        with self.captureOnCommitCallbacks(execute=True):
            need = self.post_need(
                summary="Somewhere safe tonight",
                urgency=Urgency.TODAY,
                visibility=Visibility.ORGANIZERS,
            )
        self.assertEqual(
            list(
                Notice.objects.filter(kind="need_awaits_triage").values_list(
                    "member__handle", flat=True
                )
            ),
            ["tess"],
        )
        self.assertNotIn(need, queues.dispatch_queue())  # not waiting for a volunteer yet
        with self.captureOnCommitCallbacks(execute=True):
            triage.publish(need=need, by=triager)
        self.assertEqual(
            sorted(
                Notice.objects.filter(kind="need_waiting").values_list("member__handle", flat=True)
            ),
            ["olga", "tess"],  # every organizer who matches needs
        )
        self.assertIn(need, queues.dispatch_queue())


class WaitingIndexTestCase(BaseTestCase):
    def test_the_queue_counts_read_the_covering_index(self):
        from django.db import connection

        counts = queues.waiting_needs().filter(
            queues.stale_q(now=timezone.now(), settings=NetworkSettings.load())
        )
        sql, params = counts.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                self.assertIn("need_waiting_idx", str(cursor.fetchall()))
            else:
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'need_waiting_idx'")
                self.assertIsNotNone(cursor.fetchone())


class QueueFragmentTestCase(BaseTestCase):
    """The queue's list and head are kept rendered until a row they show changes or the minute
    turns: served again without reading a need, and never behind a change."""

    url = reverse("dispatch:queue")

    def setUp(self):
        self.client.force_login(self.organizer)
        self.need = self.post_need(summary="Groceries on Tuesday")

    def get(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        return response, [query["sql"] for query in queries.captured_queries]

    def test_a_second_look_reads_no_need_and_shows_the_same(self):
        first, _ = self.get()
        again, queries = self.get()
        masked = re.compile(rb'name="csrfmiddlewaretoken" value="\w+"')  # new on each page
        self.assertEqual(masked.sub(b"", again.content), masked.sub(b"", first.content))
        self.assertContains(again, "Groceries on Tuesday")
        self.assertEqual([sql for sql in queries if 'FROM "aid_need"' in sql], [])

    def test_a_new_need_a_claim_and_a_proposal_show_at_once(self):
        self.get()
        self.post_need(summary="A ride to the clinic")
        response, _ = self.get()
        self.assertContains(response, "A ride to the clinic")
        aid.need_claim(need=self.need, member=self.volunteer)
        response, _ = self.get()
        self.assertNotContains(response, "Groceries on Tuesday")
        other = self.post_need(summary="Coats for winter")
        self.get()
        aid.need_assign(need=other, volunteer=self.volunteer, organizer=self.organizer)
        response, _ = self.get()
        self.assertContains(response, f"Proposed to {self.volunteer.handle}")

    def test_a_renamed_area_and_a_changed_threshold_show_at_once(self):
        self.get()
        self.need.area.name = "Riverside"
        self.need.area.save()
        self.assertContains(self.get()[0], "Riverside")
        settings = NetworkSettings.load()
        settings.stale_hours_soon = 1
        settings.save()
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            self.assertEqual(self.get()[0].context["queue"].counts["stale"], 1)

    def test_the_time_waited_is_true_to_the_minute(self):
        with time_machine.travel(timezone.now(), tick=False) as clock:
            self.assertContains(self.get()[0], "waiting 0\xa0minutes")
            clock.shift(timedelta(minutes=3))
            self.assertContains(self.get()[0], "waiting 3\xa0minutes")
