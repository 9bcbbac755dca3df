"""The public directory (/resources/): for everyone, visitors too; filtered by area, kind of help
and kind of resource; grouped by kind of resource; at a fixed cost, kept until one changes."""

import uuid

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid import resources
from mutualaid.aid.models import ResourceKind
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust import services as trust_services
from mutualaid.trust.models import Role

URL = reverse("aid:resources")


class DirectoryTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.keeper = make_member("tia", roles=[Role.TRIAGER])
        cls.safety = make_member("sol", roles=[Role.SAFETY])
        cls.pantry = cls.add(
            "North pantry",
            ResourceKind.FOOD_BANK,
            areas=[cls.north],
            categories=[cls.groceries],
            hours="Tuesdays 10 to 4",
            phone="212 555 0142",
            link="https://pantry.example.org/",
        )
        cls.line = cls.add("Crisis line", ResourceKind.HOTLINE, phone="988")
        cls.clinic = cls.add("South clinic", ResourceKind.CLINIC, areas=[cls.south])
        cls.gone = cls.add("Old shelter", ResourceKind.SHELTER)
        resources.resource_archive(resource=cls.gone, by=cls.keeper)

    @classmethod
    def add(cls, name, kind, **fields):
        return resources.resource_create(by=cls.keeper, name=name, kind=kind, **fields)

    def get(self, client=None, **params):
        return (client or Client()).get(URL, params)


class DirectoryTests(DirectoryTestCase):
    def test_a_visitor_sees_every_active_resource_grouped_by_kind(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        for name in ("North pantry", "Crisis line", "South clinic"):
            self.assertIn(name, content)
        self.assertNotIn("Old shelter", content)
        # Food banks, then hotlines, then clinics, each under its heading.
        order = [content.index(text) for text in ("Food bank</h2>", "Hotline</h2>", "Clinic</h2>")]
        self.assertEqual(order, sorted(order))
        self.assertIn('<a href="tel:+12125550142">+1 212-555-0142</a>', content)
        self.assertIn('<a href="tel:988">988</a>', content)
        self.assertIn('href="https://pantry.example.org/" rel="nofollow noopener"', content)
        self.assertIn("Tuesdays 10 to 4", content)
        self.assertIn("The whole network", content)

    def test_every_member_sees_it_too_starting_with_their_area(self):
        for member in (self.outsider, self.requester, self.organizer):
            client = Client()
            client.force_login(member)
            with self.subTest(member=member.handle):
                response = self.get(client)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Crisis line")
        client = Client()
        client.force_login(self.requester)  # home: Northside
        response = self.get(client)
        self.assertContains(response, "North pantry")
        self.assertNotContains(response, "South clinic")
        self.assertContains(response, f'<option value="{self.north.code}" selected>')

    def test_a_suspended_member_still_finds_where_else_to_turn(self):
        client = Client()
        client.force_login(self.outsider)
        trust_services.member_suspend(member=self.outsider, by=self.safety, reason="Spam")
        self.assertContains(self.get(client), "Crisis line")
        self.assertEqual(client.get(reverse("aid:board")).status_code, 403)

    def test_it_filters_by_area_kind_of_help_and_kind_of_resource(self):
        response = self.get(area=str(self.south.code))
        self.assertContains(response, "South clinic")
        self.assertContains(response, "Crisis line")
        self.assertNotContains(response, "North pantry")

        response = self.get(category="rides")
        self.assertContains(response, "Crisis line")
        self.assertNotContains(response, "North pantry")

        response = self.get(kind="hotline")
        self.assertContains(response, "Crisis line")
        self.assertNotContains(response, "South clinic")

        response = self.get(area=str(self.far.code), kind="clinic")
        self.assertContains(response, "Nothing listed here yet")

    def test_unknown_filters_answer_400_with_a_message_and_the_list(self):
        cases = {
            "an unknown area": {"area": str(uuid.uuid4())},
            "an integer id": {"area": str(self.north.pk)},
            "an unknown kind of help": {"category": "weapons"},
            "an unknown kind of resource": {"kind": "casino"},
        }
        for case, params in cases.items():
            with self.subTest(case):
                response = self.get(**params)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "were not understood", status_code=400)
                self.assertContains(response, "Crisis line", status_code=400)

    def test_it_answers_only_get(self):
        self.assertEqual(Client().post(URL).status_code, 405)

    def test_the_about_page_and_the_footer_link_to_it(self):
        about = Client().get(reverse("about"))
        self.assertContains(about, f'href="{URL}"', count=2)  # its section, and the footer


class DirectoryCostTests(DirectoryTestCase):
    def test_its_query_count_does_not_grow_with_its_rows(self):
        cache.clear()
        with CaptureQueriesContext(connection) as few:
            self.get()
        for i in range(30):
            self.add(
                f"Pantry {i:02d}",
                ResourceKind.FOOD_BANK,
                areas=[self.north, self.central],
                categories=[self.groceries, self.rides],
            )
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            response = self.get()
        self.assertContains(response, "Pantry 29")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_it_is_kept_until_a_resource_changes(self):
        cache.clear()
        self.get()
        with CaptureQueriesContext(connection) as kept:
            response = self.get()
        self.assertContains(response, "Crisis line")
        self.assertFalse([q for q in kept.captured_queries if 'FROM "aid_resource' in q["sql"]])
        self.assertEqual(len(kept), 1)  # the tables' versions
        resources.resource_update(resource=self.line, by=self.keeper, hours="Day and night")
        self.assertContains(self.get(), "Day and night")
        resources.resource_archive(resource=self.line, by=self.keeper)
        self.assertNotContains(self.get(), "Crisis line")
        resources.resource_update(resource=self.clinic, by=self.keeper, areas=[self.north])
        self.assertNotContains(self.get(area=str(self.south.code)), "South clinic")
