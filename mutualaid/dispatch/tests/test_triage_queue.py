"""The triage queue page (organize/triage/): triagers only; a fixed number of queries whatever its
rows; each row's actions come back to it with a true message."""

import re

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import Notice
from mutualaid.aid import triage
from mutualaid.aid.models import Need, NeedStatus, Priority, Visibility
from mutualaid.areas.models import Area
from mutualaid.lib import network_name
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role

QUEUE = reverse("dispatch:triage")


class TriageQueueTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tia", roles=[Role.TRIAGER])
        cls.dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        cls.admin = make_member("ada", roles=[Role.ADMIN])
        cls.safety = make_member("sol", roles=[Role.SAFETY])

    def setUp(self):
        super().setUp()
        NetworkSettings.load()
        NetworkSettings.objects.update(triage_first=True)
        self.client.force_login(self.triager)

    def action(self, need, name, **data):
        return reverse(f"aid:need_triage_{name}", args=[need.code]), {"next": QUEUE, **data}


class QueuePageTests(TriageQueueTestCase):
    def test_outsiders_are_refused(self):
        response = Client().get(QUEUE)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
        for member in (self.outsider, self.dispatcher, self.admin, self.safety, self.organizer):
            client = Client()
            client.force_login(member)
            self.assertEqual(client.get(QUEUE).status_code, 403, member.handle)

    def test_it_lists_the_needs_waiting_for_triage_most_pressing_first(self):
        later = self.post_need(summary="Shopping next week")
        urgent = self.post_need(summary="Pharmacy today", urgency="today")
        NetworkSettings.objects.update(triage_first=False)
        self.post_need(requester=self.outsider, summary="Already on the board")
        response = self.client.get(QUEUE)
        self.assertContains(response, "2 needs waiting for triage")
        self.assertNotContains(response, "Already on the board")
        text = response.content.decode()
        self.assertLess(text.index(urgent.summary), text.index(later.summary))
        self.assertContains(response, reverse("aid:need_triage_publish", args=[later.code]))

    def test_a_row_links_to_the_needs_own_panel_for_what_takes_words_or_areas(self):
        for i in range(30):
            Area.objects.create(name=f"Ward {i}")
        need = self.post_need(summary="Pharmacy today")
        response = self.client.get(QUEUE)
        link = reverse("aid:need", args=[need.code]) + "#triage"
        self.assertContains(response, f'href="{link}"')
        self.assertContains(response, reverse("aid:need_triage_publish", args=[need.code]))
        self.assertContains(response, 'name="priority"')
        self.assertNotContains(response, 'name="area"')  # not every area's name on every row
        self.assertNotContains(response, 'name="question"')
        panel = self.client.get(link)
        for field in ('name="area"', 'name="question"', 'name="reason"', 'name="into"'):
            self.assertContains(panel, field)

    def test_each_row_hints_at_its_likely_duplicates(self):
        first = self.post_need(summary="Groceries please")
        self.post_need(summary="Groceries again")
        self.post_need(requester=self.outsider, summary="Someone else's groceries")
        response = self.client.get(QUEUE)
        self.assertContains(response, "Maybe the same request", count=2)
        self.assertContains(response, f'name="into" value="{first.code}"')

    def test_it_takes_a_fixed_number_of_queries_whatever_its_rows(self):
        def fill(n, start):
            for i in range(start, start + n):
                self.post_need(
                    summary=f"Need {i}", requester=self.requester if i % 2 else self.outsider
                )

        fill(2, 0)
        self.client.get(QUEUE)  # warm up the session
        cache.clear()  # rendered, not served from the cache
        network_name.get()  # but the network's name kept, as a server keeps it
        with CaptureQueriesContext(connection) as few:
            self.client.get(QUEUE)
        fill(30, 2)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(QUEUE)
        self.assertContains(response, "32 needs waiting for triage")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_a_kept_page_carries_each_triagers_own_csrf_token(self):
        need = self.post_need(summary="Groceries please")
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        first.force_login(self.triager)
        second.force_login(make_member("tib", roles=[Role.TRIAGER]))
        first.get(QUEUE)  # renders the rows, and keeps them
        with CaptureQueriesContext(connection) as queries:
            page = second.get(QUEUE).content.decode()
        self.assertFalse([q for q in queries.captured_queries if 'FROM "aid_need"' in q["sql"]])
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page))
        self.assertEqual(len(tokens), 1)
        url, data = self.action(need, "publish")
        response = second.post(url, {**data, "csrfmiddlewaretoken": tokens.pop()})
        self.assertRedirects(response, QUEUE)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_it_is_paged(self):
        for i in range(51):
            Need.objects.create(
                requester=self.requester,
                category=self.groceries,
                area=self.north,
                summary=f"Need {i}",
                status=NeedStatus.TRIAGE,
            )
        self.assertContains(self.client.get(QUEUE), "Page 1 of 2")
        self.assertContains(self.client.get(QUEUE + "?page=2"), "Need 50")


class QueueActionTests(TriageQueueTestCase):
    def test_publish_comes_back_to_the_queue_with_a_true_message(self):
        need = self.post_need()
        url, data = self.action(need, "publish")
        response = self.client.post(url, data, follow=True)
        self.assertRedirects(response, QUEUE)
        self.assertContains(response, "is open now")
        self.assertContains(response, "Nothing waits for triage.")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)

    def test_priority_change_ask_merge_and_decline_from_a_row(self):
        first = self.post_need(summary="First")
        need = self.post_need(summary="Second")
        for name, data, words in (
            ("priority", {"priority": Priority.HIGH}, "now has high priority"),
            ("change", {"area": self.central.code, "visibility": ""}, "is changed"),
            ("ask", {"question": "Which shop?"}, "Asked:"),
            ("merge", {"into": f"https://example.org/needs/{first.code}/"}, "Joined to"),
        ):
            with self.subTest(name=name):
                url, data = self.action(need, name, **data)
                response = self.client.post(url, data, follow=True)
                self.assertRedirects(response, QUEUE)
                self.assertContains(response, words)
        need.refresh_from_db()
        self.assertEqual(
            (need.priority, need.area, need.status, need.duplicate_of),
            (Priority.HIGH, self.central, NeedStatus.DUPLICATE, first),
        )
        url, data = self.action(first, "turn_down", reason="Out of area", resources="Food bank")
        self.assertContains(self.client.post(url, data, follow=True), "Declined:")
        first.refresh_from_db()
        self.assertEqual(first.status, NeedStatus.DECLINED)

    def test_a_refusal_comes_back_with_its_reason_and_changes_nothing(self):
        need = self.post_need()
        triage.publish(need=need, by=self.triager)
        before = Need.objects.filter(pk=need.pk).values().get()
        for name, data in (
            ("publish", {}),
            ("merge", {"into": str(need.code)}),
            ("merge", {"into": "not a code"}),
            ("turn_down", {"reason": ""}),
            ("priority", {"priority": "urgentest"}),
        ):
            with self.subTest(name=name, data=data):
                url, data = self.action(need, name, **data)
                response = self.client.post(url, data, follow=True)
                self.assertRedirects(response, QUEUE)
                self.assertContains(response, "flash-error")
        self.assertEqual(Need.objects.filter(pk=need.pk).values().get(), before)

    def test_the_actions_are_for_triagers_alone(self):
        need = self.post_need()
        for name in ("publish", "priority", "change", "ask", "merge", "turn_down"):
            url, data = self.action(need, name, priority=Priority.HIGH, question="Q", reason="R")
            self.assertTrue(
                Client().post(url, data)["Location"].startswith(reverse("accounts:login"))
            )
            for member, status in (
                (self.dispatcher, 403),
                (self.admin, 403),
                (self.safety, 403),
                (self.organizer, 403),
                (self.requester, 403),
                (self.outsider, 404),  # may not know it exists
            ):
                client = Client()
                client.force_login(member)
                with self.subTest(name=name, member=member.handle):
                    self.assertEqual(client.post(url, data).status_code, status)
        need.refresh_from_db()
        self.assertEqual((need.status, need.priority), (NeedStatus.TRIAGE, Priority.NORMAL))
        self.assertFalse(Notice.objects.filter(member=self.requester))

    def test_next_must_be_a_path_on_this_site(self):
        need = self.post_need()
        url = reverse("aid:need_triage_priority", args=[need.code])
        response = self.client.post(url, {"priority": "high", "next": "https://evil.example/"})
        self.assertRedirects(
            response, reverse("aid:need", args=[need.code]), fetch_redirect_response=False
        )


class NeedPageTriageTests(TriageQueueTestCase):
    def test_a_triager_sees_the_triage_panel_and_hints_on_the_need_page(self):
        other = self.post_need(summary="Groceries before")
        need = self.post_need()
        response = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(response, "Waiting for an organizer to look at it")
        self.assertContains(response, reverse("aid:need_triage_publish", args=[need.code]))
        self.assertContains(response, "Maybe the same request")
        self.assertContains(response, other.summary)

    def test_the_requester_sees_it_waiting_can_change_it_and_answers_a_question(self):
        need = self.post_need()
        triage.ask_more(need=need, by=self.triager, question="Which shop?")
        self.client.force_login(self.requester)
        page = reverse("aid:need", args=[need.code])
        response = self.client.get(page)
        self.assertContains(response, "Waiting for an organizer to look at it")
        self.assertContains(response, "Which shop?")
        self.assertContains(response, reverse("aid:need_edit", args=[need.code]))
        self.assertContains(response, reverse("aid:need_cancel", args=[need.code]))
        self.assertNotContains(response, reverse("aid:need_triage_publish", args=[need.code]))
        self.assertContains(self.client.get(reverse("aid:my_needs")), "Waiting for an organizer")
        response = self.client.post(
            reverse("aid:need_answer", args=[need.code]), {"text": "The one on Elm"}
        )
        self.assertRedirects(response, page + "#questions", fetch_redirect_response=False)
        self.assertContains(self.client.get(page), "The one on Elm")
        self.assertEqual(Notice.objects.get(member=self.triager).kind, "more_given")

    def test_only_the_requester_answers(self):
        need = self.post_need()
        triage.ask_more(need=need, by=self.triager, question="Which shop?")
        url = reverse("aid:need_answer", args=[need.code])
        self.assertEqual(self.client.post(url, {"text": "Elm"}).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(url, {"text": "Elm"}).status_code, 404)

    def test_a_waiting_need_is_nobody_elses_to_see(self):
        need = self.post_need()
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.get(reverse("aid:need", args=[need.code])).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("aid:need_claim", args=[need.code])).status_code, 404
        )
        self.assertNotContains(self.client.get(reverse("aid:board")), need.summary)

    def test_the_requester_reads_why_it_was_declined(self):
        need = self.post_need()
        triage.decline(need=need, by=self.triager, reason="Out of our area", resources="Food bank")
        self.client.force_login(self.requester)
        response = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(response, "Out of our area")
        self.assertContains(response, "Food bank")
        self.assertContains(response, "Declined as out of scope")

    def test_a_joined_need_links_to_the_other_only_when_it_is_the_requesters_own(self):
        own = self.post_need(summary="My first ask")
        theirs = self.post_need(requester=self.outsider, summary="Their ask")
        need = self.post_need()
        again = self.post_need()
        triage.merge(need=need, by=self.triager, into=own)
        triage.merge(need=again, by=self.triager, into=theirs)
        self.client.force_login(self.requester)
        response = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(response, reverse("aid:need", args=[own.code]))
        response = self.client.get(reverse("aid:need", args=[again.code]))
        self.assertContains(response, "found another request for the same help")
        self.assertNotContains(response, "Their ask")
        self.assertNotContains(response, str(theirs.code))
        self.client.force_login(self.triager)
        response = self.client.get(reverse("aid:need", args=[theirs.code]))
        self.assertContains(response, "Requests joined to this one")
        self.assertContains(response, reverse("aid:need", args=[again.code]))

    def test_the_need_page_keeps_its_query_count_with_many_notes(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        url = reverse("aid:need", args=[need.code])
        triage.note_add(need=need, by=self.triager, body="One")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for i in range(20):
            triage.note_add(need=need, by=self.triager, body=f"Note {i}")
            triage.ask_more(need=need, by=self.triager, question=f"Question {i}")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "Question 19")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])
