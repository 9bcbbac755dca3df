from django.urls import reverse

from mutualaid.accounts.models import Member
from mutualaid.areas import services
from mutualaid.areas.models import Area, AreaAction, AreaChange
from mutualaid.lib.refusal import Refusal
from mutualaid.network.tests.base import NetworkAdminTestCase


def areas_state():
    return (
        list(Area.objects.order_by("pk").values()),
        sorted(Area.neighbors.through.objects.values_list("from_area", "to_area")),
        list(AreaChange.objects.order_by("pk").values()),
    )


def save(*, by=None, parent=None, neighbors=(), **fields):
    """area_save by an admin (olga, unless ``by``), with no parent and no neighbors unless given."""
    by = by or Member.objects.get(handle="olga")
    return services.area_save(parent=parent, neighbors=list(neighbors), by=by, **fields)


def changes(area):
    return list(
        AreaChange.objects.filter(area=area).order_by("pk").values_list("action", "old", "new")
    )


def neighbor_names(area):
    return set(Area.objects.get(pk=area.pk).neighbors.values_list("name", flat=True))


class AreaSaveTestCase(NetworkAdminTestCase):
    def test_it_adds_an_area_with_symmetrical_neighbors(self):
        east = save(name="East End", neighbors=[self.north, self.far])
        self.assertEqual(neighbor_names(east), {"Northside", "Far Hills"})
        self.assertIn("East End", neighbor_names(self.far))

    def test_it_refuses_a_parent_loop(self):
        inner = save(name="Old Town", parent=self.central)
        before = areas_state()
        with self.assertRaisesMessage(Refusal, "cannot be part of an area"):
            save(area=self.central, name="Central", parent=inner)
        self.assertEqual(areas_state(), before)

    def test_it_refuses_a_name_taken_in_any_case(self):
        with self.assertRaisesMessage(Refusal, "already an area called"):
            save(name="northside")


    def test_it_refuses_a_member_who_may_not_configure_the_network(self):
        before = areas_state()
        for member in (self.outsider, self.triager, None):
            with self.subTest(member=member), self.assertRaises(Refusal) as refused:
                services.area_save(name="East End", parent=None, neighbors=[], by=member)
            self.assertEqual(refused.exception.code, "forbidden")
            with self.assertRaises(Refusal):
                services.area_save(
                    area=self.north, name="North", parent=None, neighbors=[], by=member
                )
        self.assertEqual(areas_state(), before)

    def test_adding_an_area_records_it_whole(self):
        east = save(name="East End", parent=self.central, neighbors=[self.north, self.far])
        change = AreaChange.objects.get(area=east)
        self.assertEqual((change.action, change.actor), (AreaAction.ADDED, self.organizer))
        self.assertIsNone(change.old)
        self.assertEqual(
            change.new,
            {"name": "East End", "parent": "Central", "neighbors": ["Far Hills", "Northside"]},
        )

    def test_each_change_is_recorded_with_its_old_and_new_values(self):
        save(area=self.central, name="Midtown", parent=self.far, neighbors=[self.north])
        self.assertEqual(
            changes(self.central),
            [
                (AreaAction.RENAMED, "Central", "Midtown"),
                (AreaAction.REPARENTED, None, "Far Hills"),
                (AreaAction.NEIGHBORS, ["Northside", "Southside"], ["Northside"]),
            ],
        )
        self.assertEqual(
            set(AreaChange.objects.values_list("actor", flat=True)), {self.organizer.pk}
        )
        save(area=self.central, name="Midtown", parent=None, neighbors=[self.north])
        self.assertEqual(changes(self.central)[-1], (AreaAction.REPARENTED, "Far Hills", None))

    def test_saving_without_a_change_records_nothing(self):
        save(area=self.central, name="Central", neighbors=[self.north, self.south])
        self.assertEqual(changes(self.central), [])

    def test_a_refused_change_records_nothing(self):
        with self.assertRaises(Refusal):
            save(area=self.central, name="Southside")
        self.assertEqual(changes(self.central), [])

    def test_the_record_is_append_only(self):
        save(area=self.central, name="Midtown", neighbors=[self.north, self.south])
        change = AreaChange.objects.get()
        with self.assertRaises(TypeError):
            change.save()
        with self.assertRaises(TypeError):
            change.delete()
        with self.assertRaises(TypeError):
            AreaChange.objects.update(new="Uptown")
        with self.assertRaises(TypeError):
            AreaChange.objects.all().delete()
        self.assertEqual(AreaChange.objects.get().new, "Midtown")


class AreasPageTestCase(NetworkAdminTestCase):
    url = reverse("areas:areas")

    def test_it_refuses_outsiders(self):
        self.assert_outsiders_refused(self.url)
        self.assert_outsiders_refused(
            self.url, method="post", data={"name": "East End"}, unchanged=areas_state
        )
        edit = reverse("areas:area", args=[self.north.code])
        self.assert_outsiders_refused(edit)
        self.assert_outsiders_refused(
            edit, method="post", data={"name": "North"}, unchanged=areas_state
        )

    def test_it_lists_the_areas_in_fixed_queries(self):
        with self.assertNumQueries(5) as first:
            response = self.client.get(self.url)
        self.assertContains(response, "Northside")
        for i in range(5):
            save(name=f"Ward {i}", parent=self.north, neighbors=[self.south])
        with self.assertNumQueries(len(first)):
            self.client.get(self.url)

    def test_an_admin_adds_an_area(self):
        response = self.client.post(
            self.url,
            {"name": " East   End ", "parent": self.central.code, "neighbors": [self.north.code]},
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        east = Area.objects.get(name="East End")
        self.assertEqual(east.parent, self.central)
        self.assertIn("East End", neighbor_names(self.north))
        self.assertEqual(AreaChange.objects.get(area=east).actor, self.organizer)

    def test_an_admin_renames_an_area_and_ticks_its_neighbors(self):
        url = reverse("areas:area", args=[self.central.code])
        self.assertContains(self.client.get(url), 'value="Central"')
        response = self.client.post(
            url, {"name": "Midtown", "neighbors": [self.far.code, self.north.code]}
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(neighbor_names(self.central), {"Far Hills", "Northside"})
        self.assertNotIn("Midtown", neighbor_names(self.south))  # unticked, both ways
        self.assertIn("Midtown", neighbor_names(self.far))
        self.assertEqual(
            list(AreaChange.objects.order_by("pk").values_list("action", "actor")),
            [(AreaAction.RENAMED, self.organizer.pk), (AreaAction.NEIGHBORS, self.organizer.pk)],
        )

    def test_bad_input_is_refused_with_a_clear_message(self):
        edit = reverse("areas:area", args=[self.central.code])
        inner = save(name="Old Town", parent=self.central)
        cases = [
            (self.url, {"name": ""}, "This field is required."),
            (self.url, {"name": "12 Oak Street"}, "looks like a street address"),
            (self.url, {"name": "NORTHSIDE"}, "There is already an area called"),
            (self.url, {"name": "East", "parent": "nope"}, "Choose one of the areas listed."),
            (self.url, {"name": "East", "neighbors": ["nope"]}, "Choose among the areas listed."),
            (edit, {"name": "Central", "parent": self.central.code}, "Choose one of the areas"),
            (edit, {"name": "Central", "parent": inner.code}, "cannot be part of an area"),
            (edit, {"name": "Southside"}, "There is already an area called"),
        ]
        for url, data, message in cases:
            with self.subTest(data=data):
                before = areas_state()
                response = self.client.post(url, data)
                self.assertContains(response, message, status_code=422)
                self.assertEqual(areas_state(), before)

    def test_an_unknown_area_is_not_found(self):
        url = reverse("areas:area", args=["00000000-0000-0000-0000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)
