"""The Organize home: each role sees the counts of what waits for it (and only those), each a link
to its queue, in a fixed number of queries; the header and the sub-navigation lead everywhere an
organizer works."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.accounts.models import ProxyContact
from mutualaid.aid import services as aid
from mutualaid.aid.models import Need, NeedStatus, Visibility
from mutualaid.dispatch import queues
from mutualaid.network.models import NetworkSettings
from mutualaid.safety import services as safety
from mutualaid.safety.models import Reason
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role

ORGANIZER_PAGES = [
    ("dispatch:organize", None),
    ("dispatch:queue", "match"),
    ("dispatch:stalled", "match"),
    ("dispatch:search", "see_all_needs"),
    ("dispatch:contact_inbox", "intake"),
    ("safety:report_queue", "handle_reports"),
    ("safety:feedback_list", "match|handle_reports"),
    ("figures:dashboard", "view_figures"),
    ("trust:tree", "view_trust"),
    ("trust:organizers", "grant_roles"),
    ("network:settings", "configure"),
    ("areas:areas", "configure"),
    ("aid:categories", "configure"),
    ("notifications:organizer_hook", "configure"),
]


class OrganizeHomeTestCase(BaseTestCase):
    url = reverse("dispatch:organize")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.roles = {role: make_member(f"{role}x", roles=[role]) for role in Role.values}

    def counts(self, member) -> dict:
        self.client.force_login(member)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.context["counts"]

    def test_it_refuses_who_is_no_organizer(self):
        self.assertRedirects(
            self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}"
        )
        for member in (self.outsider, make_member("newt", level=Level.NEWCOMER)):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_each_role_sees_what_waits_for_it(self):
        waiting = self.post_need(summary="Waiting")
        self.post_need(summary="Private", visibility=Visibility.ORGANIZERS)
        Need.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=30))
        Need.objects.filter(pk=self.post_need().pk).update(status=NeedStatus.TRIAGE)
        safety.report_file(reporter=self.volunteer, reason=Reason.SCAM, need=waiting)
        make_member("newt", level=Level.NEWCOMER)
        expected = {
            Role.TRIAGER: {
                "triage": 1, "waiting": 2, "stale": 1, "unassigned": 1, "expiring": 0,
                "stalled": 0, "relay": 0, "replies": 0, "contact": 0,
            },
            Role.DISPATCHER: {
                "waiting": 2, "stale": 1, "unassigned": 1, "expiring": 0, "stalled": 0,
                "relay": 0, "replies": 0, "contact": 0,
            },
            Role.SAFETY: {"reports": 1, "newcomers": 1},
            Role.ADMIN: {"newcomers": 1},
        }  # fmt: skip
        for role, counts in expected.items():
            with self.subTest(role=role):
                self.assertEqual(self.counts(self.roles[role]), counts)
        self.client.force_login(self.roles[Role.SAFETY])
        response = self.client.get(self.url)
        self.assertContains(response, reverse("safety:report_queue"))
        self.assertNotContains(response, reverse("dispatch:queue"))
        self.client.force_login(self.roles[Role.DISPATCHER])
        response = self.client.get(self.url)
        self.assertContains(response, f"{reverse('dispatch:queue')}?stale=on")
        self.assertContains(response, reverse("dispatch:stalled"))
        self.assertNotContains(response, reverse("safety:report_queue"))
        self.assertNotContains(response, reverse("network:settings"))

    def test_relay_counts_what_waits_for_the_neighbors_organizers_speak_for(self):
        need = self.claimed_need()
        aid.message_send(need=need, sender=self.volunteer, body="On my way")
        dispatcher = self.roles[Role.DISPATCHER]
        self.assertEqual(queues.organize_counts(dispatcher)["relay"], 0)  # rosa reads her own
        ProxyContact.objects.create(
            member=self.requester,
            contact_kind="phone",
            contact="555",
            consent_at=timezone.now(),
            reference_hash="x" * 64,
        )
        # Unread: the claim and the message, as the relay list shows them.
        self.assertEqual(queues.organize_counts(dispatcher)["relay"], 2)
        self.client.force_login(dispatcher)
        self.client.get(reverse("dispatch:relay"))  # the relay list shows it: read
        self.assertEqual(queues.organize_counts(dispatcher)["relay"], 0)

    def test_counts_are_kept_until_what_they_count_changes(self):
        dispatcher, triager = self.roles[Role.DISPATCHER], self.roles[Role.TRIAGER]
        NetworkSettings.load()  # made on first use: a write to what the counts read
        self.assertEqual(self.counts(dispatcher)["waiting"], 0)
        with CaptureQueriesContext(connection) as again:  # logged in already: nothing written
            response = self.client.get(self.url)
        self.assertEqual(response.context["counts"]["waiting"], 0)
        self.assertFalse([q for q in again.captured_queries if 'FROM "aid_need"' in q["sql"]])
        self.post_need(summary="Just posted")
        self.assertEqual(self.counts(dispatcher)["waiting"], 1)
        self.assertIn("triage", self.counts(triager))  # kept apart for each set of roles
        self.assertNotIn("triage", self.counts(dispatcher))
        aid.need_claim(need=Need.objects.get(summary="Just posted"), member=self.volunteer)
        self.assertEqual(self.counts(dispatcher)["waiting"], 0)

    def test_counts_take_a_fixed_number_of_queries(self):
        member = make_member("many", roles=Role.values)
        self.client.force_login(member)
        self.post_need()
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for i in range(20):
            self.post_need(summary=f"Need {i}", visibility=Visibility.ORGANIZERS)
            make_member(f"newcomer{i}", level=Level.NEWCOMER)
        for i in range(3):
            aid.need_claim(need=self.post_need(), member=make_member(f"helper{i}"))
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.url)
        self.assertEqual(len(many), len(few))
        # Counts: one query over needs, one each for claims, relays, callers' replies, messages
        # from neighbors, reports and newcomers.
        self.assertTrue(member.roles)  # read once per request, before
        with CaptureQueriesContext(connection) as counting:
            queues.organize_counts(member)
        self.assertLessEqual(len(counting), 8)  # and the network's settings

    def test_the_header_and_the_sub_navigation_lead_to_every_organizer_page(self):
        member = make_member("every", roles=Role.values)
        self.client.force_login(member)
        for name, _capability in ORGANIZER_PAGES:
            with self.subTest(page=name):
                response = self.client.get(reverse(name))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'href="{self.url}"')  # the header, and Overview
                for other, _cap in ORGANIZER_PAGES:
                    if other != "dispatch:stalled":  # a list of the queue's, linked from its head
                        self.assertContains(response, f'href="{reverse(other)}"')

    def test_the_sub_navigation_shows_each_role_its_own_pages(self):
        for role, member in self.roles.items():
            self.client.force_login(member)
            response = self.client.get(self.url)
            for name, capability in ORGANIZER_PAGES[1:]:
                with self.subTest(role=role, page=name):
                    link = f'href="{reverse(name)}"'
                    may = any(member.can(one) for one in capability.split("|"))
                    if may and name != "dispatch:stalled":
                        self.assertContains(response, link)
                    elif not may:
                        self.assertNotContains(response, link)
        self.client.force_login(self.volunteer)
        self.assertNotContains(self.client.get(reverse("aid:board")), f'href="{self.url}"')
