from django.urls import reverse

from mutualaid.areas.models import Area
from mutualaid.lib.refusal import Refusal
from mutualaid.network import services

from .base import NetworkAdminTestCase


def areas_state():
    return (
        list(Area.objects.order_by("pk").values()),
        sorted(Area.neighbors.through.objects.values_list("from_area", "to_area")),
    )


def neighbor_names(area):
    return set(Area.objects.get(pk=area.pk).neighbors.values_list("name", flat=True))


class AreaSaveTestCase(NetworkAdminTestCase):
    def test_it_adds_an_area_with_symmetrical_neighbors(self):
        east = services.area_save(name="East End", parent=None, neighbors=[self.north, self.far])
        self.assertEqual(neighbor_names(east), {"Northside", "Far Hills"})
        self.assertIn("East End", neighbor_names(self.far))

    def test_it_refuses_a_parent_loop(self):
        inner = services.area_save(name="Old Town", parent=self.central, neighbors=[])
        before = areas_state()
        with self.assertRaisesMessage(Refusal, "cannot be part of an area"):
            services.area_save(area=self.central, name="Central", parent=inner, neighbors=[])
        self.assertEqual(areas_state(), before)

    def test_it_refuses_a_name_taken_in_any_case(self):
        with self.assertRaisesMessage(Refusal, "already an area called"):
            services.area_save(name="northside", parent=None, neighbors=[])


class AreasPageTestCase(NetworkAdminTestCase):
    url = reverse("network:areas")

    def test_it_refuses_outsiders(self):
        self.assert_outsiders_refused(self.url)
        self.assert_outsiders_refused(
            self.url, method="post", data={"name": "East End"}, unchanged=areas_state
        )
        edit = reverse("network:area", args=[self.north.code])
        self.assert_outsiders_refused(edit)
        self.assert_outsiders_refused(
            edit, method="post", data={"name": "North"}, unchanged=areas_state
        )

    def test_it_lists_the_areas_in_fixed_queries(self):
        with self.assertNumQueries(11) as first:
            response = self.client.get(self.url)
        self.assertContains(response, "Northside")
        for i in range(5):
            services.area_save(name=f"Ward {i}", parent=self.north, neighbors=[self.south])
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

    def test_an_admin_renames_an_area_and_ticks_its_neighbors(self):
        url = reverse("network:area", args=[self.central.code])
        self.assertContains(self.client.get(url), 'value="Central"')
        response = self.client.post(
            url, {"name": "Midtown", "neighbors": [self.far.code, self.north.code]}
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(neighbor_names(self.central), {"Far Hills", "Northside"})
        self.assertNotIn("Midtown", neighbor_names(self.south))  # unticked, both ways
        self.assertIn("Midtown", neighbor_names(self.far))

    def test_bad_input_is_refused_with_a_clear_message(self):
        edit = reverse("network:area", args=[self.central.code])
        inner = services.area_save(name="Old Town", parent=self.central, neighbors=[])
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
        url = reverse("network:area", args=["00000000-0000-0000-0000-000000000000"])
        self.assertEqual(self.client.get(url).status_code, 404)
