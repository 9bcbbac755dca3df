"""The organizers' pages of the directory (/organize/resources/): the list with archived ones, a
new resource, a change, archive and restore; for the roles that keep it (triagers and admins), each
write recorded; everyone else refused, with nothing changed."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.aid import resources
from mutualaid.aid.models import Resource, ResourceAction, ResourceChange, ResourceKind
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role

LIST = reverse("aid:resources_kept")
NEW = reverse("aid:resource_new")


def state():
    return (
        list(Resource.objects.order_by("pk").values()),
        list(Resource.areas.through.objects.order_by("pk").values()),
        list(Resource.categories.through.objects.order_by("pk").values()),
        list(ResourceChange.objects.order_by("pk").values()),
    )


class KeptTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tia", roles=[Role.TRIAGER])
        cls.admin = make_member("ada", roles=[Role.ADMIN])
        cls.pantry = resources.resource_create(
            by=cls.triager,
            name="North pantry",
            kind=ResourceKind.FOOD_BANK,
            areas=[cls.north],
            categories=[cls.groceries],
        )
        cls.shelter = resources.resource_create(
            by=cls.triager, name="Old shelter", kind=ResourceKind.SHELTER
        )
        resources.resource_archive(resource=cls.shelter, by=cls.triager)
        # Each of them lacks the capability: a newcomer, a vouched member, a dispatcher and a
        # safety officer (each role alone).
        cls.refused = {
            "newcomer": make_member("nell", level=Level.NEWCOMER),
            "outsider": cls.outsider,
            "dispatcher": make_member("dex", roles=[Role.DISPATCHER]),
            "safety officer": make_member("sol", roles=[Role.SAFETY]),
        }

    def setUp(self):
        self.client.force_login(self.triager)

    def form(self, **fields):
        data = {
            "name": "Central food bank",
            "kind": ResourceKind.FOOD_BANK,
            "description": "Fresh vegetables on Fridays.",
            "hours": "Fridays 2 to 6",
            "link": "https://central-food.example.org",
            "phone": "(212) 555-0199",
            "areas": [str(self.central.code)],
            "categories": ["groceries"],
        }
        data.update(fields)
        return data


class RefusedTests(KeptTestCase):
    def pages(self):
        edit = reverse("aid:resource_edit", args=[self.pantry.code])
        return [
            ("get", LIST, {}),
            ("get", NEW, {}),
            ("post", NEW, self.form()),
            ("get", edit, {}),
            ("post", edit, self.form(name="Renamed")),
            ("post", reverse("aid:resource_archive", args=[self.pantry.code]), {}),
            ("post", reverse("aid:resource_restore", args=[self.shelter.code]), {}),
        ]

    def test_each_role_without_the_capability_and_the_outsider_are_refused(self):
        before = state()
        for method, url, data in self.pages():
            with self.subTest(url=url, method=method, who="anonymous"):
                response = getattr(Client(), method)(url, data)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
            for who, member in self.refused.items():
                with self.subTest(url=url, method=method, who=who):
                    client = Client()
                    client.force_login(member)
                    self.assertEqual(getattr(client, method)(url, data).status_code, 403)
        self.assertEqual(state(), before)

    def test_triagers_and_admins_may(self):
        for member in (self.triager, self.admin, self.organizer):
            client = Client()
            client.force_login(member)
            with self.subTest(member=member.handle):
                self.assertEqual(client.get(LIST).status_code, 200)

    def test_a_post_without_its_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.triager)
        before = state()
        url = reverse("aid:resource_archive", args=[self.pantry.code])
        self.assertEqual(client.post(url).status_code, 403)
        self.assertEqual(client.post(NEW, self.form()).status_code, 403)
        self.assertEqual(state(), before)

    def test_an_unknown_resource_is_404_and_archive_takes_only_post(self):
        url = reverse("aid:resource_edit", args=["6f1c1b8e-0000-4000-8000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)
        archive = reverse("aid:resource_archive", args=[self.pantry.code])
        self.assertEqual(self.client.get(archive).status_code, 405)


class ListTests(KeptTestCase):
    def test_it_lists_active_then_archived_with_their_buttons(self):
        response = self.client.get(LIST)
        content = response.content.decode()
        self.assertLess(content.index("North pantry"), content.index("Old shelter"))
        self.assertContains(response, "Archive North pantry")
        self.assertContains(response, "Restore Old shelter")
        self.assertContains(response, "The whole network")  # the shelter serves every area
        self.assertContains(response, 'name="csrfmiddlewaretoken"')

    def test_its_query_count_does_not_grow_with_its_rows(self):
        self.client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            self.client.get(LIST)
        for i in range(20):
            resources.resource_create(
                by=self.triager,
                name=f"Pantry {i}",
                kind=ResourceKind.FOOD_BANK,
                areas=[self.north, self.south],
                categories=[self.groceries, self.rides],
            )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(LIST)
        self.assertContains(response, "Pantry 19")
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])

    def test_the_organize_home_links_to_it_for_who_keeps_it(self):
        self.assertContains(self.client.get(reverse("dispatch:organize")), f'href="{LIST}"')
        client = Client()
        client.force_login(self.refused["dispatcher"])
        self.assertNotContains(client.get(reverse("dispatch:organize")), f'href="{LIST}"')


class NewTests(KeptTestCase):
    def test_a_triager_adds_one_and_it_is_recorded(self):
        self.assertEqual(self.client.get(NEW).status_code, 200)
        response = self.client.post(NEW, self.form())
        self.assertRedirects(response, LIST, fetch_redirect_response=False)
        resource = Resource.objects.get(name="Central food bank")
        self.assertEqual(resource.phone, "+12125550199")
        self.assertEqual(list(resource.areas.all()), [self.central])
        change = ResourceChange.objects.filter(resource=resource).get()
        self.assertEqual((change.action, change.actor), (ResourceAction.ADDED, self.triager))
        self.assertContains(self.client.get(reverse("aid:resources")), "Central food bank")

    def test_a_bad_link_or_phone_is_shown_on_its_field_and_nothing_is_saved(self):
        before = state()
        cases = {
            "link": ({"link": "javascript:alert(1)"}, "starts with https://"),
            "phone": ({"phone": "call us maybe"}, "not a phone number people can call"),
            "name": ({"name": "north PANTRY"}, "already a resource called"),
        }
        for field, (data, words) in cases.items():
            with self.subTest(field):
                fields = {"kind": ResourceKind.FOOD_BANK} if field == "name" else {}
                response = self.client.post(NEW, self.form(**data, **fields))
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, words, status_code=422)
                self.assertIn(words, " ".join(response.context["form"].errors[field]))
        response = self.client.post(NEW, self.form(name="", kind="casino", areas=["nowhere"]))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.context["form"].errors), {"name", "kind", "areas"})
        # A bad link and a bad phone are both told at once, each on its field.
        response = self.client.post(NEW, self.form(link="ftp://example.org", phone="12"))
        self.assertEqual(set(response.context["form"].errors), {"link", "phone"})
        self.assertEqual(state(), before)


class EditTests(KeptTestCase):
    def url(self, resource=None):
        return reverse("aid:resource_edit", args=[(resource or self.pantry).code])

    def test_the_form_shows_the_resource_and_its_history(self):
        response = self.client.get(self.url())
        self.assertContains(response, 'value="North pantry"')
        self.assertContains(response, "tia added")

    def test_a_change_is_saved_and_recorded_with_old_and_new(self):
        response = self.client.post(self.url(), self.form(name="North pantry", hours="Mon 9-5"))
        self.assertRedirects(response, LIST, fetch_redirect_response=False)
        change = ResourceChange.objects.filter(action=ResourceAction.CHANGED).get()
        self.assertEqual(change.old["hours"], "")
        self.assertEqual(change.new["hours"], "Mon 9-5")
        self.assertEqual(change.new["areas"], ["Central"])
        self.assertContains(
            self.client.get(self.url()), "tia changed: description, opening hours, link, phone"
        )

    def test_the_same_form_sent_again_changes_nothing(self):
        self.client.post(self.url(), self.form(name="North pantry"))
        count = ResourceChange.objects.count()
        response = self.client.post(self.url(), self.form(name="North pantry"), follow=True)
        self.assertContains(response, "Nothing was changed.")
        self.assertEqual(ResourceChange.objects.count(), count)

    def test_a_bad_phone_changes_nothing(self):
        before = state()
        response = self.client.post(self.url(), self.form(phone="12"))
        self.assertContains(response, "not a phone number", status_code=422)
        self.assertEqual(state(), before)


class ArchiveTests(KeptTestCase):
    def test_archive_then_restore_from_the_list(self):
        archive = reverse("aid:resource_archive", args=[self.pantry.code])
        response = self.client.post(archive, follow=True)
        self.assertContains(response, "it is off the directory")
        self.assertFalse(Resource.objects.get(pk=self.pantry.pk).is_active())
        self.assertNotContains(self.client.get(reverse("aid:resources")), "North pantry")
        self.assertContains(self.client.post(archive, follow=True), "was archived already")

        restore = reverse("aid:resource_restore", args=[self.pantry.code])
        self.assertContains(self.client.post(restore, follow=True), "on the directory again")
        self.assertTrue(Resource.objects.get(pk=self.pantry.pk).is_active())
        actions = list(
            ResourceChange.objects.filter(resource=self.pantry)
            .order_by("pk")
            .values_list("action", "actor")
        )
        self.assertEqual(
            actions,
            [
                (ResourceAction.ADDED, self.triager.pk),
                (ResourceAction.ARCHIVED, self.triager.pk),
                (ResourceAction.RESTORED, self.triager.pk),
            ],
        )
