"""From an address, a postcode or coordinates to an area, through the organizer's lookup."""

from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase

from ..kinds import areas_by_key, header_key
from ..places import Places

LOOKUP = """street,postcode,lat,lon,area
Maple Street,,,,Northside
N Oak Avenue,,,,Central
Calle Mayor,,,,Southside
5th Avenue,,,,Far Hills
,94110,,,Southside
,SW1A,,,Central
,,37.7599,-122.4148,Far Hills
,,37.80,-122.27,Northside
"""


class PlacesTestCase(BaseTestCase):
    def places(self, text=LOOKUP):
        return Places.parse(text, areas_by_key(), header_key=header_key)

    def test_streets_as_people_write_them(self):
        places = self.places()
        cases = {
            "12 Maple St, Apt 3": self.north,
            "12B maple street": self.north,
            "Maple": self.north,  # its name alone
            "400 North Oak Ave.": self.central,
            "C/ Mayor 5, 2º": self.south,
            "Calle Mayor, 5": self.south,
            "10 Fifth Ave": self.far,
        }
        for address, area in cases.items():
            with self.subTest(address):
                self.assertEqual(places.area_for(address=address), area)
        for address in ("12 Maple Avenue", "3 Elm Road", "Apt 3", ""):
            with self.subTest(address):
                self.assertIsNone(places.area_for(address=address))

    def test_postcodes_and_coordinates(self):
        places = self.places()
        self.assertEqual(places.area_for(postcode="94110-1234"), self.south)
        self.assertEqual(places.area_for(postcode="SW1A 1AA"), self.central)
        self.assertEqual(places.area_for(address="1 Any Street, 94110"), self.south)
        self.assertEqual(places.area_for(coordinates="37.7601, -122.4150"), self.far)
        self.assertEqual(places.area_for(latitude="37.801", longitude="-122.271"), self.north)
        self.assertIsNone(places.area_for(coordinates="40.7, -74.0"))  # another city
        self.assertIsNone(places.area_for(coordinates="not a place"))

    def test_a_lookup_naming_unknown_areas_is_refused_with_its_lines(self):
        with self.assertRaises(Refusal) as refusal:
            self.places("street,area\nMaple Street,Northside\nElm,Atlantis\nOak,\n")
        self.assertIn("lines 3, 4", str(refusal.exception))
        with self.assertRaises(Refusal):
            self.places("name,area\nMaple,Northside\n")  # no street, postcode or point
