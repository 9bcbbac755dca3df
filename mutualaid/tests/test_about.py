"""The network's public page: what it is, where and how it helps, how joining and vouching work
(with the network's own numbers), how to reach the organizers, and the privacy promise."""

from django.test import Client
from django.urls import reverse

from mutualaid.aid.models import Category
from mutualaid.areas.models import Area
from mutualaid.network import services
from mutualaid.network.models import NetworkSettings
from mutualaid.network.tests.base import NetworkAdminTestCase
from mutualaid.network.tests.test_network_settings import VALID

URL = reverse("about")


class AboutPageTestCase(NetworkAdminTestCase):
    def setUp(self):
        self.client = Client()  # a visitor who is not logged in

    def test_it_answers_a_visitor_and_a_member_without_javascript(self):
        for client in (Client(), self.logged_in(self.outsider)):
            response = client.get(URL)
            self.assertContains(response, "<h1>About Mutual Aid</h1>", html=True)
            self.assertNotIn(b"<noscript", response.content)

    def test_it_shows_the_name_the_areas_and_the_kinds_of_help(self):
        with self.captureOnCommitCallbacks(execute=True):  # the kept name is read afresh
            services.network_settings_update(by=self.organizer, name="Eastside Mutual Aid")
        response = self.client.get(URL)
        self.assertContains(response, "About Eastside Mutual Aid")
        for area in ("Central", "Far Hills", "Northside", "Southside"):
            self.assertContains(response, f"<li>{area}</li>", html=True)
        for kind in Category.objects.values_list("name", flat=True):
            self.assertContains(response, f"<li>{kind}</li>", html=True)

    def test_it_states_the_vouching_numbers_as_configured(self):
        response = self.client.get(URL)
        self.assertContains(response, "when a vouched member who knows you vouches for you")
        self.assertContains(response, "an organizer (safety officer or admin) approves you")
        self.assertContains(response, "once they have been vouched for 14 days")
        self.assertContains(response, "for at most 3 members every 30 days")
        services.network_settings_update(
            by=self.organizer, vouches_required=3, vouch_wait_days=0, vouch_limit=1
        )
        response = self.client.get(URL)
        self.assertContains(response, "when 3 vouched members who know you vouch for you")
        self.assertContains(response, "may vouch for others right away")
        self.assertContains(response, "for at most one member every 30 days")

    def test_it_makes_the_privacy_promise_with_the_networks_retention(self):
        services.network_settings_update(by=self.organizer, retention_days=60)
        response = self.client.get(URL)
        self.assertContains(response, "Our privacy promise")
        self.assertContains(response, "Your address and phone number are never shown")
        self.assertContains(response, "Private details go only to the volunteer helping you")
        self.assertContains(response, "Every time an organizer opens your private details")
        self.assertContains(response, "deleted 60 days after a need ends")

    def test_it_shows_the_admins_text_formatted(self):
        services.network_settings_update(
            by=self.organizer,
            scope="We serve **Eastside**.\n\n- groceries\n- rides\n\n[Food bank](https://food.example)",
            contact_hours="We answer *every day*, 9am to 8pm.",
        )
        response = self.client.get(URL)
        self.assertContains(response, "<p>We serve <strong>Eastside</strong>.</p>", html=True)
        self.assertContains(response, "<ul><li>groceries</li><li>rides</li></ul>", html=True)
        self.assertContains(
            response,
            '<a href="https://food.example" rel="nofollow noopener">Food bank</a>',
            html=True,
        )
        self.assertContains(response, "<p>We answer <em>every day</em>, 9am to 8pm.</p>", html=True)

    def test_raw_html_and_script_links_stay_text(self):
        services.network_settings_update(
            by=self.organizer,
            scope='<script>alert(1)</script> <b onclick="x()">b</b> [click](javascript:alert(1))',
        )
        response = self.client.get(URL)
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertContains(response, "&lt;b onclick=")
        self.assertNotContains(response, 'href="javascript:')
        self.assertContains(response, "[click](javascript:alert(1))")

    def test_it_links_to_the_contact_form(self):
        response = self.client.get(URL)
        self.assertContains(response, "Reaching the organizers")
        self.assertContains(
            response,
            f'<a href="{reverse("dispatch:contact")}">Contact the organizers</a>',
            html=True,
        )

    def test_it_takes_a_fixed_number_of_queries(self):
        NetworkSettings.load()
        with self.assertNumQueries(3):  # the settings, the areas, the kinds of help
            self.client.get(URL)
        for n in range(20):
            Area.objects.create(name=f"Area {n}")
            Category.objects.create(slug=f"kind-{n}", name=f"Kind {n}", position=50 + n)
        with self.assertNumQueries(3):
            response = self.client.get(URL)
        self.assertContains(response, "<li>Kind 19</li>", html=True)

    def test_only_admins_change_the_text(self):
        data = {**VALID, "contact_hours": "Call us at noon."}
        self.assert_outsiders_refused(
            reverse("network:settings"),
            method="post",
            data=data,
            unchanged=lambda: NetworkSettings.load().contact_hours,
        )
        self.logged_in(self.organizer).post(reverse("network:settings"), data)
        self.assertEqual(NetworkSettings.load().contact_hours, "Call us at noon.")
        self.assertContains(self.client.get(URL), "Call us at noon.")

    def logged_in(self, member):
        client = Client()
        client.force_login(member)
        return client


class FrontPageTestCase(NetworkAdminTestCase):
    def test_the_front_page_links_to_the_about_page_and_formats_the_scope(self):
        services.network_settings_update(by=self.organizer, scope="Rides *every* day.")
        response = Client().get(reverse("home"))
        self.assertContains(response, f'href="{URL}"')
        self.assertContains(response, "<p>Rides <em>every</em> day.</p>", html=True)

    def test_every_page_links_to_it_in_the_footer(self):
        response = Client().get(reverse("accounts:login"))
        self.assertContains(response, f'<a href="{URL}">About the network</a>', html=True)
