"""Every error is JSON with a code and a message: never the HTML pages, never a 500."""

from unittest import mock

from django.test import Client, override_settings

from mutualaid.api.tests.base import BASE, ApiTestCase
from mutualaid.test import changes_nothing


class ErrorTests(ApiTestCase):
    def test_an_unknown_address_is_a_json_404(self):
        for path in ("/nothing", "/needs/", "/needs/not-a-code", "/v2/needs", "/needs/\nx"):
            with self.subTest(path):
                self.assertRefused(self.get(path), 404, "not_found")
        response = self.call("GET", "/api/v2/needs", persona="requester")
        self.assertRefused(response, 404, "not_found")

    def test_an_unknown_record_is_a_json_404(self):
        code = "00000000-0000-0000-0000-000000000000"
        self.assertRefused(self.get(f"/needs/{code}"), 404, "not_found")
        self.assertRefused(self.get(f"/offers/{code}"), 404, "not_found")
        self.assertRefused(self.post(f"/needs/{code}/claim"), 404, "not_found")

    def test_a_method_not_taken_is_a_json_405_that_says_which_are(self):
        response = self.call("DELETE", "/needs", persona="requester")
        self.assertRefused(response, 405, "method_not_allowed")
        self.assertEqual(response["Allow"], "GET, POST")

    def test_a_body_that_is_not_json_is_a_400(self):
        with changes_nothing(self):
            response = self.call("POST", "/needs", raw="{not json", persona="requester")
        self.assertRefused(response, 400, "bad_json")
        response = self.call("POST", "/needs", raw=b"\xff\xfe", persona="requester")
        self.assertRefused(response, 400, "bad_json")

    def test_a_body_too_large_is_a_400(self):
        with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
            response = self.post("/needs", {"summary": "x" * 200})
        self.assertRefused(response, 400, "too_large")

    def test_a_value_of_the_wrong_type_or_an_unknown_field_is_a_400(self):
        good = {
            "category": "groceries",
            "summary": "Bread",
            "area": str(self.north.code),
            "urgency": "soon",
        }
        for body, field in (
            ({**good, "summary": 5}, "summary"),
            ({**good, "anonymous": "yes"}, "anonymous"),
            ({**good, "status": "closed"}, "status"),
            ({k: v for k, v in good.items() if k != "area"}, "area"),
            ({**good, "area": "Northside"}, "area"),
            ([good], ""),
        ):
            with self.subTest(field), changes_nothing(self):
                response = self.post("/needs", body)
            self.assertRefused(response, 400, "bad_request")
            self.assertEqual(response.json().get("field", ""), field)

    def test_a_bad_query_is_a_400(self):
        for query in (
            "page=0",
            "page=x",
            "page=99999999999999",
            "near=maybe",
            "urgency=now",
            "area=nowhere",
            "category=nothing",
        ):
            with self.subTest(query):
                self.assertRefused(self.get(f"/needs?{query}"), 400, "bad_request")

    def test_a_bad_idempotency_key_is_a_400(self):
        response = self.call(
            "POST",
            "/needs",
            {"summary": "x"},
            persona="requester",
            headers={"Idempotency-Key": "twice"},
        )
        self.assertRefused(response, 400, "bad_request")

    def test_a_server_error_is_json_too(self):
        client = Client(raise_request_exception=False)
        with mock.patch("mutualaid.aid.selectors.board_needs", side_effect=RuntimeError("boom")):
            response = client.get(
                f"{BASE}/needs", headers={"Authorization": f"Bearer {self.token()}"}
            )
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["code"], "server_error")
        self.assertNotIn("boom", response.content.decode())
        page = client.get("/")  # the site's own 500 page is untouched (test_error_pages.py)
        self.assertNotEqual(page.status_code, 500)

    def test_answers_carry_the_security_headers_and_are_never_cached(self):
        response = self.get("/me")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("Content-Security-Policy", response)
