"""The network's name, as its admins set it, heads every page (the header's link and the <title>),
read from the cache so that no page pays a query for it; a rename shows on the next page."""

import re
from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from mutualaid.context_processors import site
from mutualaid.lib import network_name
from mutualaid.network import services
from mutualaid.network.models import NetworkSettings

from .base import NetworkAdminTestCase
from .test_network_settings import VALID

NEW_NAME = "Eastside Mutual Aid"
BOARD = reverse("aid:board")
ROLES = reverse("trust:organizers")


def brand(response) -> str:
    return re.search(r'<a class="brand" href="/">([^<]*)</a>', response.content.decode())[1]


def title(response) -> str:
    return re.search(r"<title>([^<]*)</title>", response.content.decode())[1]


class NetworkNameOnPagesTestCase(NetworkAdminTestCase):
    def test_a_rename_on_the_settings_page_shows_in_the_header_and_titles_at_once(self):
        before = self.client.get(BOARD)
        self.assertEqual(brand(before), "Mutual Aid")
        self.assertTrue(title(before).endswith(" · Mutual Aid"))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("network:settings"), VALID)
        self.assertEqual(response.status_code, 302)
        after = self.client.get(BOARD)
        self.assertEqual(brand(after), NEW_NAME)
        self.assertEqual(title(after), f"Open needs · {NEW_NAME}")
        self.assertNotIn("· Mutual Aid<", after.content.decode())
        # Another process reads the same shared cache: it holds the new name now.
        self.assertEqual(cache.get(network_name.KEY), NEW_NAME)
        volunteer = Client()
        volunteer.force_login(self.volunteer)
        self.assertEqual(brand(volunteer.get(reverse("aid:my_claims"))), NEW_NAME)

    def test_the_kept_name_is_dropped_only_once_the_rename_commits(self):
        self.assertEqual(network_name.get(), "Mutual Aid")
        with self.captureOnCommitCallbacks() as callbacks:
            services.network_settings_update(by=self.organizer, name=NEW_NAME)
            self.assertEqual(cache.get(network_name.KEY), "Mutual Aid")  # not before the commit
        for callback in callbacks:
            callback()
        self.assertIsNone(cache.get(network_name.KEY))
        self.assertEqual(network_name.get(), NEW_NAME)

    def test_a_change_of_other_settings_keeps_the_name(self):
        with self.captureOnCommitCallbacks(execute=True):
            NetworkSettings.load()  # the row, made now (a new row drops the kept name too)
        network_name.get()
        with self.captureOnCommitCallbacks(execute=True):
            services.network_settings_update(by=self.organizer, vouch_limit=4)
        self.assertEqual(cache.get(network_name.KEY), "Mutual Aid")

    def test_a_saved_row_drops_the_kept_name_on_commit(self):
        row = NetworkSettings.load()
        network_name.get()
        row.name = NEW_NAME
        with self.captureOnCommitCallbacks(execute=True):
            row.save()
        self.assertEqual(brand(self.client.get(BOARD)), NEW_NAME)

    def test_a_change_made_outside_django_shows_within_the_timeout(self):
        NetworkSettings.load()
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            network_name.forget()
            self.assertEqual(brand(self.client.get(BOARD)), "Mutual Aid")
            NetworkSettings.objects.update(name=NEW_NAME)  # no save(), no commit hook
            self.assertEqual(brand(self.client.get(BOARD)), "Mutual Aid")
        later = start + timedelta(seconds=network_name.TIMEOUT + 1)
        with time_machine.travel(later, tick=False):
            self.assertEqual(brand(self.client.get(BOARD)), NEW_NAME)

    @override_settings(SITE_NAME="Riverside Aid")
    def test_site_name_is_the_name_until_the_admins_set_one(self):
        network_name.forget()
        self.assertFalse(NetworkSettings.objects.exists())
        self.assertEqual(brand(self.client.get(BOARD)), "Riverside Aid")
        self.assertEqual(NetworkSettings.load().name, "Riverside Aid")  # a new row takes it

    def test_an_outsider_sees_the_name_on_the_front_page_and_must_log_in_for_the_rest(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.network_settings_update(by=self.organizer, name=NEW_NAME)
        anonymous = Client()
        home = anonymous.get(reverse("home"))
        self.assertEqual(brand(home), NEW_NAME)
        self.assertEqual(title(home), f"Welcome · {NEW_NAME}")
        self.assertContains(home, f'<p class="network-name">{NEW_NAME}</p>')
        for url in (BOARD, ROLES, reverse("network:settings")):
            response = anonymous.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("accounts:login")), url)
        self.assertEqual(brand(anonymous.get(reverse("accounts:login"))), NEW_NAME)

    def test_a_name_is_escaped_like_any_text(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.network_settings_update(by=self.organizer, name="Aid <b>& co</b>")
        response = self.client.get(BOARD)
        self.assertContains(response, "Aid &lt;b&gt;&amp; co&lt;/b&gt;")
        self.assertNotContains(response, "<b>& co")


class NetworkNameQueriesTestCase(NetworkAdminTestCase):
    """The same page as trust/tests/test_role_grant.py, in as many queries."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        NetworkSettings.objects.create(pk=1, name=NEW_NAME)

    def test_a_page_pays_no_query_for_the_kept_name(self):
        self.client.get(ROLES)  # the session, warmed up as in test_role_grant.py
        with self.assertNumQueries(3):  # session with the member, roles and notices; 2 lists
            response = self.client.get(ROLES)
        self.assertEqual(brand(response), NEW_NAME)

    def test_a_missed_name_costs_one_query_once_and_is_kept(self):
        network_name.forget()
        with self.assertNumQueries(4):
            self.client.get(ROLES)
        with self.assertNumQueries(3):
            response = self.client.get(ROLES)
        self.assertEqual(brand(response), NEW_NAME)
        self.assertEqual(cache.get(network_name.KEY), NEW_NAME)

    def test_the_name_is_read_only_when_a_template_shows_it(self):
        network_name.forget()
        with self.assertNumQueries(0):
            context = site(RequestFactory().get("/"))
        self.assertIsNone(cache.get(network_name.KEY))
        with self.assertNumQueries(1):
            self.assertEqual(str(context["site_name"]), NEW_NAME)


class NetworkNameKeptHereTestCase(NetworkAdminTestCase):
    """Each process keeps the name a few seconds in its own memory too."""

    def test_a_rename_in_another_process_shows_here_within_seconds(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"name": "Old Name"})
        network_name.forget()
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.assertEqual(network_name.get(), "Old Name")
            # Another process renamed the network: it dropped the shared key, not this copy.
            NetworkSettings.objects.filter(pk=1).update(name="New Name")
            cache.delete(network_name.KEY)
            with self.assertNumQueries(0):
                self.assertEqual(network_name.get(), "Old Name")
        with time_machine.travel(start + timedelta(seconds=network_name.HERE_SECONDS + 1)):
            self.assertEqual(network_name.get(), "New Name")

    def test_a_rename_in_this_process_shows_at_once(self):
        NetworkSettings.objects.update_or_create(pk=1, defaults={"name": "Old Name"})
        network_name.forget()
        self.assertEqual(network_name.get(), "Old Name")
        NetworkSettings.objects.filter(pk=1).update(name="New Name")
        network_name.forget()
        self.assertEqual(network_name.get(), "New Name")
