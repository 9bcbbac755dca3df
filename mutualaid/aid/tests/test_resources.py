"""The resource directory's services (aid/resources.py) and reads (selectors.resources_for): who
may write, what is refused with which message (and nothing changed), the audit rows, the natural
key an import finds a resource by, and which resources serve an area and a kind of help."""

from mutualaid.aid import resources, selectors
from mutualaid.aid.models import (
    Category,
    Resource,
    ResourceAction,
    ResourceChange,
    ResourceKind,
)
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Role


def state():
    return (
        list(Resource.objects.order_by("pk").values()),
        list(Resource.areas.through.objects.order_by("pk").values()),
        list(Resource.categories.through.objects.order_by("pk").values()),
        list(ResourceChange.objects.order_by("pk").values()),
    )


def audit():
    return list(
        ResourceChange.objects.order_by("pk").values_list("resource__name", "action", "old", "new")
    )


class ResourceTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tia", roles=[Role.TRIAGER])
        cls.admin = make_member("ada", roles=[Role.ADMIN])
        cls.housing = Category.objects.get(slug="housing")

    def add(self, name="Northside Food Bank", kind=ResourceKind.FOOD_BANK, by=None, **fields):
        return resources.resource_create(by=by or self.triager, name=name, kind=kind, **fields)


class ResourceCreateTests(ResourceTestCase):
    def test_a_triager_adds_a_resource_with_all_its_fields(self):
        resource = self.add(
            name="  Northside   Food Bank ",
            description="Groceries for anyone who asks, no questions.",
            hours="Tue and Thu,  10 to 4",
            link="northside-food.example.org/visit",
            phone="(212) 555-0142",
            areas=[self.north],
            categories=[self.groceries],
        )
        resource.refresh_from_db()
        self.assertEqual(resource.name, "Northside Food Bank")
        self.assertEqual(resource.hours, "Tue and Thu, 10 to 4")
        self.assertEqual(resource.link, "https://northside-food.example.org/visit")
        self.assertEqual(resource.phone, "+12125550142")
        self.assertEqual(resource.phone_shown(), "+1 212-555-0142")
        self.assertEqual(resource.phone_link(), "tel:+12125550142")
        self.assertEqual(resource.link_host(), "northside-food.example.org")
        self.assertTrue(resource.is_active())
        self.assertEqual(list(resource.areas.all()), [self.north])
        self.assertEqual(
            audit(),
            [
                (
                    "Northside Food Bank",
                    ResourceAction.ADDED,
                    None,
                    {
                        "name": "Northside Food Bank",
                        "kind": "food_bank",
                        "description": "Groceries for anyone who asks, no questions.",
                        "hours": "Tue and Thu, 10 to 4",
                        "link": "https://northside-food.example.org/visit",
                        "phone": "+12125550142",
                        "areas": ["Northside"],
                        "categories": ["Groceries"],
                    },
                )
            ],
        )
        self.assertEqual(ResourceChange.objects.get().actor, self.triager)

    def test_a_link_without_its_scheme_is_read_as_https(self):
        for written, kept in [
            ("example.org", "https://example.org"),
            ("example.org:8080/help", "https://example.org:8080/help"),
            ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ]:
            with self.subTest(written):
                self.assertEqual(resources.clean_link(written), kept)

    def test_an_admin_may_add_one_too(self):
        self.add(by=self.admin)
        self.assertEqual(Resource.objects.count(), 1)

    def test_a_short_number_is_kept_as_it_is_dialled(self):
        resource = self.add(name="Crisis line", kind=ResourceKind.HOTLINE, phone="988")
        self.assertEqual(resource.phone, "988")
        self.assertEqual(resource.phone_shown(), "988")
        self.assertEqual(resource.phone_link(), "tel:988")

    def test_a_number_is_read_with_the_networks_country(self):
        NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(phone_region="ES")
        resource = self.add(name="Teléfono de la vivienda", phone="900 20 20 10")
        self.assertEqual(resource.phone, "+34900202010")
        self.assertEqual(self.add(name="Emergencias", phone="112").phone, "112")

    def test_it_refuses_who_may_not_keep_the_directory(self):
        dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        safety = make_member("sol", roles=[Role.SAFETY])
        before = state()
        for member in (None, self.outsider, self.requester, dispatcher, safety):
            with self.subTest(member=member), self.assertRaises(Refusal) as refused:
                resources.resource_create(by=member, name="Pantry", kind=ResourceKind.FOOD_BANK)
            self.assertEqual(refused.exception.code, "forbidden")
        self.assertEqual(state(), before)

    def test_bad_input_is_refused_with_a_clear_message_naming_the_field(self):
        cases = {
            "no name": ({"name": "   "}, "name", "Give the resource its name."),
            "a long name": ({"name": "x" * 121}, "name", "Keep it to 120 characters."),
            "an unknown kind": ({"kind": "casino"}, "kind", "Choose one of the kinds"),
            "a javascript link": ({"link": "javascript:alert(1)"}, "link", "https://"),
            "a mailto link": ({"link": "mailto:help@example.org"}, "link", "https://"),
            "a link in mixed case": ({"link": "JaVaScRiPt:alert(1)"}, "link", "https://"),
            "a data link": ({"link": "data:text/html,<b>hi</b>"}, "link", "https://"),
            "a phone as a link": ({"link": "tel:988"}, "link", "https://"),
            "an ftp link": ({"link": "ftp://example.org/file"}, "link", "https://"),
            "a link that is no address": ({"link": "not a web page"}, "link", "https://"),
            "letters for a phone": ({"phone": "call us"}, "phone", "not a phone number"),
            "a number too short": ({"phone": "333"}, "phone", "not a phone number"),
            "a number that does not exist": ({"phone": "555-0100"}, "phone", "area code"),
            "a plus before a short number": ({"phone": "+988"}, "phone", "not a phone number"),
            "a long description": ({"description": "x" * 501}, "description", "500"),
            "long hours": ({"hours": "x" * 201}, "hours", "200"),
        }
        before = state()
        for case, (fields, field, words) in cases.items():
            with self.subTest(case), self.assertRaises(Refusal) as refused:
                self.add(**fields)
            self.assertEqual(refused.exception.code, "invalid")
            self.assertEqual(refused.exception.extra["field"], field)
            self.assertIn(words, str(refused.exception.message))
        self.assertEqual(state(), before)

    def test_the_same_name_and_kind_in_any_case_is_refused(self):
        self.add(name="Northside Food Bank")
        before = state()
        with self.assertRaises(Refusal) as refused:
            self.add(name="NORTHSIDE  food bank")
        self.assertEqual(refused.exception.code, "taken")
        self.assertIn("already a resource called", str(refused.exception.message))
        self.assertEqual(state(), before)
        # The same name as another kind of resource is another resource.
        self.add(name="Northside Food Bank", kind=ResourceKind.GUIDANCE)
        self.assertEqual(Resource.objects.count(), 2)


class ResourceUpdateTests(ResourceTestCase):
    def test_it_records_only_what_changed_old_and_new(self):
        resource = self.add(hours="Tue 10-4", areas=[self.north])
        changed = resources.resource_update(
            resource=resource,
            by=self.admin,
            hours="Tue and Thu 10-4",
            areas=[self.north, self.central],
            phone="",
            description=None,  # left as it is
        )
        self.assertEqual(changed, ["hours", "areas"])
        self.assertEqual(
            audit()[-1],
            (
                "Northside Food Bank",
                ResourceAction.CHANGED,
                {"hours": "Tue 10-4", "areas": ["Northside"]},
                {"hours": "Tue and Thu 10-4", "areas": ["Central", "Northside"]},
            ),
        )
        resource.refresh_from_db()
        self.assertEqual(resource.hours, "Tue and Thu 10-4")
        self.assertEqual(set(resource.areas.all()), {self.north, self.central})

    def test_what_changes_nothing_records_nothing(self):
        resource = self.add(hours="Tue 10-4")
        count = ResourceChange.objects.count()
        changed = resources.resource_update(
            resource=resource, by=self.triager, name="Northside  Food Bank", hours=" Tue 10-4"
        )
        self.assertEqual(changed, [])
        self.assertEqual(ResourceChange.objects.count(), count)

    def test_it_refuses_bad_input_and_a_name_taken_and_changes_nothing(self):
        resource = self.add()
        self.add(name="Central pantry")
        before = state()
        with self.assertRaises(Refusal) as refused:
            resources.resource_update(resource=resource, by=self.triager, link="javascript:x()")
        self.assertEqual(refused.exception.extra["field"], "link")
        with self.assertRaises(Refusal) as refused:
            resources.resource_update(resource=resource, by=self.triager, name="central PANTRY")
        self.assertEqual(refused.exception.code, "taken")
        with self.assertRaises(Refusal) as refused:
            resources.resource_update(resource=resource, by=self.outsider, hours="Never")
        self.assertEqual(refused.exception.code, "forbidden")
        self.assertEqual(state(), before)


class ResourceArchiveTests(ResourceTestCase):
    def test_archive_and_restore_each_once_and_recorded(self):
        resource = self.add()
        self.assertTrue(resources.resource_archive(resource=resource, by=self.triager))
        self.assertFalse(resources.resource_archive(resource=resource, by=self.triager))
        self.assertFalse(Resource.objects.get().is_active())
        self.assertEqual(list(selectors.resources_for()), [])
        self.assertTrue(resources.resource_restore(resource=resource, by=self.admin))
        self.assertFalse(resources.resource_restore(resource=resource, by=self.admin))
        self.assertTrue(Resource.objects.get().is_active())
        actions = [row[1] for row in audit()]
        self.assertEqual(
            actions, [ResourceAction.ADDED, ResourceAction.ARCHIVED, ResourceAction.RESTORED]
        )

    def test_an_outsider_may_not_archive(self):
        resource = self.add()
        before = state()
        with self.assertRaises(Refusal):
            resources.resource_archive(resource=resource, by=self.outsider)
        self.assertEqual(state(), before)

    def test_the_record_is_append_only(self):
        self.add()
        change = ResourceChange.objects.get()
        with self.assertRaises(TypeError):
            change.save()
        with self.assertRaises(TypeError):
            change.delete()
        with self.assertRaises(TypeError):
            ResourceChange.objects.update(new=None)


class ResourceUpsertTests(ResourceTestCase):
    """The import's door: the same rows imported again change nothing and record nothing."""

    def row(self, **fields):
        values = {
            "name": "Northside Food Bank",
            "kind": ResourceKind.FOOD_BANK,
            "hours": "Tue 10-4",
            "phone": "212 555 0142",
            "areas": [self.north],
            "categories": [self.groceries],
        }
        values.update(fields)
        return resources.resource_upsert(by=self.triager, **values)

    def test_a_re_import_is_idempotent(self):
        first, added = self.row()
        self.assertTrue(added)
        before = state()
        again, added = self.row(phone="+1 212-555-0142")  # the same number, written otherwise
        self.assertFalse(added)
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(state(), before)  # nothing changed, nothing recorded
        # Found whatever its case and spacing: the name as the row writes it is taken.
        found, added = self.row(name="northside food  bank")
        self.assertEqual((found.pk, added), (first.pk, False))
        self.assertEqual(Resource.objects.get().name, "northside food bank")

    def test_a_changed_row_updates_the_resource_found_by_its_key(self):
        first, _ = self.row()
        found, added = self.row(hours="Tue and Thu 10-4")
        self.assertFalse(added)
        self.assertEqual(found.pk, first.pk)
        self.assertEqual(Resource.objects.get().hours, "Tue and Thu 10-4")
        self.assertEqual(audit()[-1][1], ResourceAction.CHANGED)

    def test_an_archived_resource_stays_archived(self):
        first, _ = self.row()
        resources.resource_archive(resource=first, by=self.triager)
        self.row(hours="Mondays")
        resource = Resource.objects.get()
        self.assertFalse(resource.is_active())
        self.assertEqual(resource.hours, "Mondays")

    def test_a_bad_row_is_refused_whole(self):
        before = state()
        with self.assertRaises(Refusal):
            self.row(phone="not a number")
        self.assertEqual(state(), before)

    def test_find_by_natural_key(self):
        first, _ = self.row()
        self.assertEqual(
            resources.resource_find(name=" NORTHSIDE food bank", kind="food_bank"), first
        )
        self.assertIsNone(resources.resource_find(name="Northside Food Bank", kind="shelter"))
        self.assertIsNone(resources.resource_find(name="", kind="food_bank"))


class ResourcesForTests(ResourceTestCase):
    """Which resources serve an area and a kind of help (the directory, the board, a decline)."""

    def names(self, **filters):
        return [resource.name for resource in selectors.resources_for(**filters)]

    def test_areas_none_means_the_whole_network_and_a_parent_serves_its_parts(self):
        district = self.far
        self.north.parent = district
        self.north.save()
        self.add(name="Everywhere hotline", kind=ResourceKind.HOTLINE)
        self.add(name="North pantry", areas=[self.north])
        self.add(name="District shelter", kind=ResourceKind.SHELTER, areas=[district])
        self.add(name="South clinic", kind=ResourceKind.CLINIC, areas=[self.south])
        self.assertEqual(
            self.names(area_id=self.north.pk),
            ["North pantry", "District shelter", "Everywhere hotline"],
        )
        self.assertEqual(
            self.names(area_id=district.pk),
            ["North pantry", "District shelter", "Everywhere hotline"],
        )
        self.assertEqual(self.names(area_id=self.south.pk), ["Everywhere hotline", "South clinic"])
        self.assertEqual(len(self.names()), 4)

    def test_categories_none_means_any_kind_of_help(self):
        self.add(name="Any help line", kind=ResourceKind.HOTLINE)
        self.add(name="Pantry", categories=[self.groceries])
        self.add(name="Tenants' advice", kind=ResourceKind.GUIDANCE, categories=[self.housing])
        self.assertEqual(self.names(category_id=self.groceries.pk), ["Pantry", "Any help line"])
        self.assertEqual(
            self.names(category_id=self.housing.pk), ["Any help line", "Tenants' advice"]
        )
        self.assertEqual(self.names(kind=ResourceKind.HOTLINE), ["Any help line"])

    def test_a_resource_in_many_areas_is_listed_once(self):
        self.add(name="Roving van", areas=[self.north, self.central, self.south])
        self.assertEqual(self.names(area_id=self.central.pk), ["Roving van"])
        self.assertEqual(self.names(), ["Roving van"])
