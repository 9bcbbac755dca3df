"""Asking for help: a plain form that posts a need in the member's own name, and nothing else."""

import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mutualaid.aid.models import EventKind, Need, NeedStatus
from mutualaid.test import BaseTestCase, record_counts


class NeedNewTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("aid:need_new")

    def valid_data(self, **changes):
        data = {
            "category": "groceries",
            "summary": "Milk and bread for two",
            "details": "Flat 7, the bell is broken: knock.",
            "area": str(self.north.code),
            "urgency": "soon",
            "needed_by": "",
        }
        data.update(changes)
        return data

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.post(self.url, self.valid_data())
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertEqual(Need.objects.count(), 0)

    def test_it_shows_the_form_with_the_home_area_chosen(self):
        self.client.force_login(self.requester)
        response = self.client.get(self.url)
        self.assertContains(response, "Ask for help")
        self.assertContains(response, f'<option value="{self.north.code}" selected>', html=False)

    def test_it_posts_a_need_and_records_it_on_the_timeline(self):
        self.client.force_login(self.requester)
        needed_by = timezone.localdate() + timedelta(days=2)
        data = self.valid_data(needed_by=needed_by.isoformat())
        response = self.client.post(self.url, data, follow=True)
        need = Need.objects.get()
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertContains(response, "Your need is posted.")
        self.assertEqual(need.requester, self.requester)
        self.assertEqual(need.category, self.groceries)
        self.assertEqual(need.area, self.north)
        self.assertEqual(need.summary, "Milk and bread for two")
        self.assertEqual(need.details, "Flat 7, the bell is broken: knock.")
        self.assertEqual(need.urgency, "soon")
        self.assertEqual(need.needed_by, needed_by)
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertEqual(
            list(need.events.values_list("kind", "actor")),
            [(EventKind.NEED_POSTED, self.requester.pk)],
        )

    def test_the_outsider_cannot_post_in_someone_elses_name_or_set_its_status(self):
        self.client.force_login(self.outsider)
        data = self.valid_data(
            requester=str(self.requester.code),
            requester_id=str(self.requester.pk),
            status=NeedStatus.CLAIMED,
            claimant=str(self.volunteer.pk),
            code=str(uuid.uuid4()),
        )
        self.client.post(self.url, data)
        need = Need.objects.get()
        self.assertEqual(need.requester, self.outsider)
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertIsNone(need.claimant)
        self.assertNotEqual(str(need.code), data["code"])

    def test_it_refuses_invalid_or_tampered_input_and_changes_nothing(self):
        past = (timezone.localdate() - timedelta(days=1)).isoformat()
        cases = {
            "a bad urgency": ({"urgency": "yesterday"}, "Select a valid choice."),
            "a bad category": ({"category": "weapons"}, "Choose one of the kinds of help listed."),
            "an unknown area": ({"area": str(uuid.uuid4())}, "Choose one of the areas listed."),
            # The exact wording for these two is checked below.
            "an integer area id": ({"area": str(self.north.pk)}, 'id="id_area_error"'),
            "a malformed area": ({"area": "north"}, 'id="id_area_error"'),
            "an oversize summary": (
                {"summary": "s" * 141},
                "Ensure this value has at most 140 characters (it has 141).",
            ),
            "oversize details": (
                {"details": "d" * 4001},
                "Ensure this value has at most 4000 characters (it has 4001).",
            ),
            "a missing summary": ({"summary": ""}, "This field is required."),
            "a missing area": ({"area": ""}, "This field is required."),
            "a missing category": ({"category": ""}, "This field is required."),
            "a missing urgency": ({"urgency": ""}, "This field is required."),
            "a date in the past": ({"needed_by": past}, "That date has passed."),
            "a malformed date": ({"needed_by": "next tuesday"}, "Enter a valid date."),
        }
        self.client.force_login(self.requester)
        before = record_counts()
        for case, (changes, error) in cases.items():
            with self.subTest(case):
                data = self.valid_data(summary="Refill me, please")
                data.update(changes)
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
                self.assertContains(response, error, status_code=422)
                # The member's words come back to them, not an empty form.
                if data["summary"]:
                    self.assertContains(response, f'value="{data["summary"]}"', status_code=422)
                self.assertContains(response, data["details"][:40], status_code=422)
                self.assertEqual(record_counts(), before)

    def test_an_area_that_is_not_a_uuid_gets_the_same_message_as_an_unknown_one(self):
        self.client.force_login(self.requester)
        for area in (str(self.north.pk), "north"):
            with self.subTest(area=area):
                response = self.client.post(self.url, self.valid_data(area=area))
                self.assertContains(response, "Choose one of the areas listed.", status_code=422)
                self.assertNotContains(response, "UUID", status_code=422)
                self.assertEqual(Need.objects.count(), 0)

    def test_a_form_sent_back_empty_is_refused_with_a_message(self):
        self.client.force_login(self.requester)
        # What a browser sends for an untouched form: the text fields, empty.
        response = self.client.post(self.url, {"summary": "", "details": "", "needed_by": ""})
        self.assertContains(response, "This field is required.", status_code=422)
        self.assertEqual(Need.objects.count(), 0)

    def test_it_answers_only_get_and_post(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.put(self.url).status_code, 405)

    def test_an_empty_post_names_every_missing_field(self):
        self.client.force_login(self.requester)
        before = record_counts()
        response = self.client.post(reverse("aid:need_new"), {})
        self.assertContains(response, "This field is required.", status_code=422)
        self.assertContains(response, 'role="alert"', status_code=422)
        self.assertEqual(record_counts(), before)


class NeedNewDoxxingGuardTestCase(BaseTestCase):
    """A public summary that would identify or locate someone is refused, with what to move."""

    MOVE = "Move it into the private details, which only your volunteer and organizers see."

    def post(self, summary, **changes):
        self.client.force_login(self.requester)
        data = {
            "category": "groceries",
            "summary": summary,
            "details": "Knock twice.",
            "area": str(self.north.code),
            "urgency": "soon",
            "visibility": "organizers",
            "anonymous": "on",
        }
        data.update(changes)
        return self.client.post(reverse("aid:need_new"), data)

    def test_it_refuses_personal_details_says_which_part_to_move_and_saves_nothing(self):
        cases = {
            "Call 555-123-4567 for groceries": "“555-123-4567” looks like a phone number.",
            "Groceries, write to rosa@example.org": "“rosa@example.org” looks like an email",
            "Groceries to 12 Oak Street please": "“12 Oak Street” looks like a street address.",
            "Compra para Calle Mayor 12": "“Calle Mayor 12” looks like a street address.",
            "Pick up at 40.4168, -3.7038": "looks like map coordinates.",
            "DM me @rosa_helps": "“@rosa_helps” looks like a link or profile handle.",
        }
        before = record_counts()
        for summary, error in cases.items():
            with self.subTest(summary):
                response = self.post(summary)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, error, status_code=422)
                self.assertContains(response, self.MOVE, status_code=422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
                # Refilled, choices included, so nothing has to be typed again.
                self.assertContains(response, f'value="{summary}"', status_code=422)
                self.assertContains(response, "Knock twice.", status_code=422)
                self.assertContains(
                    response,
                    'value="organizers" id="id_visibility_1" checked',
                    status_code=422,
                )
                self.assertContains(
                    response, 'name="anonymous" id="id_anonymous" checked', status_code=422
                )
                self.assertEqual(record_counts(), before)

    def test_it_names_every_part_to_move(self):
        response = self.post("Call 555-123-4567, 12 Oak Street")
        self.assertContains(response, "“555-123-4567”", status_code=422)
        self.assertContains(response, "“12 Oak Street”", status_code=422)

    def test_the_same_words_are_welcome_in_the_private_details(self):
        response = self.post("Groceries for two", details="12 Oak Street, call 555-123-4567")
        need = Need.objects.get()
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        self.assertEqual(need.details, "12 Oak Street, call 555-123-4567")

    def test_an_ordinary_summary_passes(self):
        self.post("Groceries for a family of four, Saturday 10am")
        self.assertEqual(Need.objects.count(), 1)
