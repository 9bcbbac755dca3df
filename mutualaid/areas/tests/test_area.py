from mutualaid.areas.models import Area
from mutualaid.test import BaseTestCase


class AreaTestCase(BaseTestCase):
    def test_neighbors_are_symmetrical(self):
        self.assertEqual(
            self.central.with_neighbor_ids(), {self.north.pk, self.central.pk, self.south.pk}
        )
        self.assertEqual(self.far.with_neighbor_ids(), {self.far.pk})

    def test_an_area_holds_the_areas_inside_it(self):
        district = Area.objects.create(name="Riverside district")
        docks = Area.objects.create(name="Docks", parent=district)
        self.assertEqual(district.ids_within(), {district.pk, docks.pk})
        self.assertEqual(docks.ids_within(), {docks.pk})

    def test_near_an_area_includes_the_area_it_is_part_of(self):
        district = Area.objects.create(name="Riverside district")
        docks = Area.objects.create(name="Docks", parent=district)
        docks.neighbors.add(self.far)
        self.assertEqual(docks.with_neighbor_ids(), {docks.pk, district.pk, self.far.pk})
        self.assertEqual(district.with_neighbor_ids(), {district.pk, docks.pk})

    def test_the_schema_has_no_place_for_a_location(self):
        names = {field.name for field in Area._meta.get_fields()}
        for forbidden in ("latitude", "longitude", "lat", "lng", "address", "street", "geometry"):
            self.assertNotIn(forbidden, names)
