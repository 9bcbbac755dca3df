"""A need declined as out of scope: its page shows its requester the directory's resources for the
need's area and kind of help (and the organizers too); nobody else learns of them there."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid import resources
from mutualaid.aid.models import Category, NeedStatus, ResourceKind
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role


class DeclinedResourcesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tia", roles=[Role.TRIAGER])
        housing = Category.objects.get(slug="housing")

        def add(name, kind, **fields):
            return resources.resource_create(by=cls.triager, name=name, kind=kind, **fields)

        add("North pantry", ResourceKind.FOOD_BANK, areas=[cls.north], categories=[cls.groceries])
        add("Crisis line", ResourceKind.HOTLINE, phone="988")  # everywhere, any kind of help
        add("South pantry", ResourceKind.FOOD_BANK, areas=[cls.south], categories=[cls.groceries])
        add("Tenants' advice", ResourceKind.GUIDANCE, categories=[housing])
        archived = add("Closed pantry", ResourceKind.FOOD_BANK, areas=[cls.north])
        resources.resource_archive(resource=archived, by=cls.triager)

    def setUp(self):
        self.need = self.post_need(summary="Groceries for a week", area=self.north)
        self.url = reverse("aid:need", args=[self.need.code])

    def decline(self):
        client = Client()
        client.force_login(self.triager)
        response = client.post(
            reverse("aid:need_triage_turn_down", args=[self.need.code]),
            {"reason": "We only shop for neighbors who cannot go out.", "resources": ""},
        )
        self.assertEqual(response.status_code, 302)
        self.need.refresh_from_db()
        self.assertEqual(self.need.status, NeedStatus.DECLINED)

    def page(self, member):
        client = Client()
        client.force_login(member)
        return client.get(self.url)


class DeclinedResourcesTests(DeclinedResourcesTestCase):
    def test_the_requester_sees_the_resources_for_the_needs_area_and_kind_of_help(self):
        self.decline()
        response = self.page(self.requester)
        self.assertContains(response, "Where else to turn")
        self.assertContains(response, "North pantry")
        self.assertContains(response, "Crisis line")
        self.assertContains(response, '<a href="tel:988">988</a>')
        for elsewhere in ("South pantry", "Tenants&#x27; advice", "Closed pantry"):
            self.assertNotContains(response, elsewhere)
        directory = f"{reverse('aid:resources')}?area={self.north.code}"
        self.assertContains(response, f'href="{directory}"')

    def test_a_triager_sees_them_too(self):
        self.decline()
        self.assertContains(self.page(self.triager), "North pantry")

    def test_nobody_else_does(self):
        self.decline()
        for member in (self.outsider, self.volunteer):
            with self.subTest(member=member.handle):
                response = self.page(member)
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, "North pantry", status_code=404)

    def test_an_open_need_shows_no_resources(self):
        for member in (self.requester, self.outsider):
            with self.subTest(member=member.handle):
                response = self.page(member)
                self.assertNotContains(response, "Where else to turn")
                self.assertNotContains(response, "North pantry")

    def test_the_page_costs_the_same_whatever_the_number_of_resources(self):
        self.decline()
        self.client.force_login(self.requester)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for i in range(15):
            resources.resource_create(
                by=self.triager,
                name=f"Pantry {i:02d}",
                kind=ResourceKind.FOOD_BANK,
                areas=[self.north],
                categories=[self.groceries],
                phone="212 555 0142",
            )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url)
        self.assertContains(response, "Pantry 00")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])
