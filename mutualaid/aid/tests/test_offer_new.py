"""Offering help: a plain form that posts an offer in the member's own name, and nothing else."""

import uuid

from django.urls import reverse

from mutualaid.aid.models import (
    EventKind,
    Offer,
    OfferKind,
    OfferStatus,
)
from mutualaid.test import BaseTestCase, record_counts


class OfferNewTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:offer_new")

    def valid_data(self, **changes):
        data = {
            "summary": "A car and a free afternoon",
            "categories": ["rides", "groceries"],
            "areas": [str(self.central.code), str(self.north.code)],
            "kind": "ongoing",
            "available_days": ["5", "6"],
        }
        data.update(changes)
        return data

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.post(self.url, self.valid_data())
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertEqual(Offer.objects.count(), 0)

    def test_it_shows_the_form_with_the_home_area_ticked(self):
        self.client.force_login(self.volunteer)
        response = self.client.get(self.url)
        self.assertContains(response, f'value="{self.central.code}"')
        self.assertContains(
            response, f'<input type="checkbox" name="areas" value="{self.central.code}"'
        )
        content = response.content.decode()
        tag = content[content.index(f'value="{self.central.code}"') :].split(">", 1)[0]
        self.assertIn("checked", tag)

    def test_it_posts_an_offer_and_records_it_on_the_timeline(self):
        self.client.force_login(self.volunteer)
        response = self.client.post(self.url, self.valid_data(), follow=True)
        offer = Offer.objects.get()
        self.assertRedirects(response, reverse("aid:offer", args=[offer.code]))
        self.assertContains(response, "Your offer is posted.")
        self.assertEqual(offer.offerer, self.volunteer)
        self.assertEqual(offer.summary, "A car and a free afternoon")
        self.assertEqual(offer.kind, OfferKind.ONGOING)
        self.assertEqual(offer.status, OfferStatus.OPEN)
        self.assertEqual(offer.available_days, [5, 6])
        self.assertEqual(
            set(offer.categories.values_list("slug", flat=True)), {"rides", "groceries"}
        )
        self.assertEqual(set(offer.areas.all()), {self.north, self.central})
        self.assertEqual(
            list(offer.events.values_list("kind", "actor")),
            [(EventKind.OFFER_POSTED, self.volunteer.pk)],
        )

    def test_no_days_means_any_day(self):
        self.client.force_login(self.volunteer)
        self.client.post(self.url, self.valid_data(available_days=[]))
        self.assertEqual(Offer.objects.get().available_days, [])

    def test_the_outsider_cannot_post_in_someone_elses_name_or_set_its_status(self):
        self.client.force_login(self.outsider)
        self.client.post(
            self.url,
            self.valid_data(
                offerer=str(self.volunteer.pk),
                offerer_id=str(self.volunteer.pk),
                status=OfferStatus.MATCHED,
                code=str(uuid.uuid4()),
            ),
        )
        offer = Offer.objects.get()
        self.assertEqual(offer.offerer, self.outsider)
        self.assertEqual(offer.status, OfferStatus.OPEN)

    def test_it_refuses_invalid_or_tampered_input_and_changes_nothing(self):
        cases = {
            "a bad kind": ({"kind": "forever"}, "Select a valid choice."),
            "a bad category": (
                {"categories": ["rides", "weapons"]},
                "Choose among the kinds of help listed.",
            ),
            "an unknown area": (
                {"areas": [str(uuid.uuid4())]},
                "Choose among the areas listed.",
            ),
            # The exact wording for these two is checked below.
            "an integer area id": ({"areas": [str(self.north.pk)]}, 'id="id_areas_error"'),
            "a malformed area": ({"areas": ["north"]}, 'id="id_areas_error"'),
            "a bad day": ({"available_days": ["9"]}, "Select a valid choice."),
            "a day that is not a number": ({"available_days": ["sat"]}, "Select a valid choice."),
            "an oversize summary": (
                {"summary": "s" * 141},
                "Ensure this value has at most 140 characters (it has 141).",
            ),
            "a missing summary": ({"summary": ""}, "This field is required."),
            "no category": ({"categories": []}, "This field is required."),
            "no area": ({"areas": []}, "This field is required."),
            "a missing kind": ({"kind": ""}, "This field is required."),
        }
        self.client.force_login(self.volunteer)
        before = record_counts()
        for case, (changes, error) in cases.items():
            with self.subTest(case):
                data = self.valid_data(summary="Refill me, please")
                data.update(changes)
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
                self.assertContains(response, error, status_code=422)
                if data["summary"]:
                    self.assertContains(response, f'value="{data["summary"]}"', status_code=422)
                self.assertEqual(record_counts(), before)

    def test_an_area_that_is_not_a_uuid_gets_the_same_message_as_an_unknown_one(self):
        self.client.force_login(self.volunteer)
        for area in (str(self.north.pk), "north"):
            with self.subTest(area=area):
                response = self.client.post(self.url, self.valid_data(areas=[area]))
                self.assertContains(response, "Choose among the areas listed.", status_code=422)
                self.assertNotContains(response, "UUID", status_code=422)
                self.assertEqual(Offer.objects.count(), 0)

    def test_it_answers_only_get_and_post(self):
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.delete(self.url).status_code, 405)


class OfferNewDoxxingGuardTestCase(BaseTestCase):
    """An offer's summary is public too: personal details are refused, and nothing is saved."""

    def post(self, summary):
        self.client.force_login(self.volunteer)
        data = {
            "summary": summary,
            "categories": ["rides"],
            "areas": [str(self.central.code)],
            "kind": "ongoing",
        }
        return self.client.post(reverse("aid:offer_new"), data)

    def test_it_refuses_personal_details_and_says_which_part(self):
        cases = {
            "Lifts, call 555-123-4567": "“555-123-4567” looks like a phone number.",
            "Lifts from 12 Oak Street": "“12 Oak Street” looks like a street address.",
            "Lifts: vic@example.org": "“vic@example.org” looks like an email address.",
            "See www.example.com/vic": "“www.example.com/vic” looks like a link or profile handle.",
        }
        before = record_counts()
        for summary, error in cases.items():
            with self.subTest(summary):
                response = self.post(summary)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, error, status_code=422)
                self.assertContains(response, "Leave it out of the offer", status_code=422)
                self.assertContains(response, f'value="{summary}"', status_code=422)
                self.assertEqual(record_counts(), before)

    def test_an_ordinary_summary_passes(self):
        response = self.post("A car on weekends, up to 3 passengers")
        offer = Offer.objects.get()
        self.assertRedirects(response, reverse("aid:offer", args=[offer.code]))
