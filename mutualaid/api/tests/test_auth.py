"""Who a request speaks for: the bearer token, its kind and scope, and nothing else."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from mutualaid.api import services
from mutualaid.api.models import ApiToken
from mutualaid.api.tests.base import ApiTestCase
from mutualaid.test import changes_nothing, make_member
from mutualaid.trust import services as trust_services
from mutualaid.trust.models import Role


class AuthTests(ApiTestCase):
    def test_no_token_is_refused_with_json(self):
        for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
            with self.subTest(headers):
                response = self.call("GET", "/me", headers=headers)
                self.assertRefused(response, 401, "no_token")
                self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="api"')

    def test_an_unknown_token_is_refused(self):
        self.assertRefused(self.call("GET", "/me", token="mam_nope"), 401, "bad_token")
        self.assertRefused(self.call("GET", "/me", token="x" * 500), 401, "bad_token")

    def test_a_logged_in_session_is_not_a_token(self):
        self.client.force_login(self.requester)
        self.assertRefused(self.call("GET", "/me"), 401, "no_token")

    def test_a_revoked_token_stops_at_once(self):
        secret = self.token("requester")
        self.assertEqual(self.get("/me").status_code, 200)
        token = ApiToken.objects.get(member=self.requester, scope="write")
        services.token_revoke(token=token, by=self.requester)
        self.assertRefused(self.call("GET", "/me", token=secret), 401, "bad_token")

    def test_a_suspended_members_token_stops_at_once(self):
        self.assertEqual(self.get("/me", persona="volunteer").status_code, 200)
        trust_services.member_suspend(
            member=self.volunteer, by=self.make_safety_officer(), reason="Harassment"
        )
        for path in ("/me", "/needs"):
            self.assertRefused(self.get(path, persona="volunteer"), 403, "suspended")

    def make_safety_officer(self):
        return make_member("sol", roles=[Role.SAFETY])

    def test_a_read_token_never_acts(self):
        need = self.post_need()
        with changes_nothing(self):
            response = self.post(f"/needs/{need.code}/claim", persona="volunteer", scope="read")
        self.assertRefused(response, 403, "read_only")
        with changes_nothing(self):
            response = self.post(
                "/needs",
                {
                    "category": "groceries",
                    "summary": "Bread",
                    "area": str(self.north.code),
                    "urgency": "soon",
                },
                scope="read",
            )
        self.assertRefused(response, 403, "read_only")
        self.assertEqual(self.get("/needs", scope="read").status_code, 200)

    def test_an_integration_token_reads_no_member_data(self):
        need = self.post_need()
        for method, path in (
            ("GET", "/me"),
            ("GET", "/needs"),
            ("GET", f"/needs/{need.code}"),
            ("POST", f"/needs/{need.code}/claim"),
            ("GET", "/offers"),
        ):
            with self.subTest(path), changes_nothing(self):
                response = self.call(method, path, token=self.integration)
                self.assertRefused(response, 403, "wrong_token")
        self.assertEqual(self.call("GET", "/resources", token=self.integration).status_code, 200)

    def test_no_csrf_token_is_needed(self):
        self.client = Client(enforce_csrf_checks=True)
        need = self.post_need()
        response = self.post(f"/needs/{need.code}/claim", persona="volunteer")
        self.assertEqual(response.status_code, 200, response.content)

    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "api": (3, 60)})
    def test_each_token_has_its_rate_limit(self):
        for _ in range(3):
            self.assertEqual(self.get("/me").status_code, 200)
        response = self.get("/me")
        self.assertRefused(response, 429, "rate_limited")
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertEqual(response.json()["retry_after"], int(response["Retry-After"]))
        self.assertEqual(self.get("/me", persona="volunteer").status_code, 200)  # its own count

    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "api-bad-tokens": (2, 3600)})
    def test_an_address_sending_wrong_tokens_is_slowed_down(self):
        for _ in range(2):
            self.assertRefused(self.call("GET", "/me", token="mam_guess"), 401, "bad_token")
        response = self.call("GET", "/me", token="mam_guess")
        self.assertRefused(response, 429, "rate_limited")
        self.assertIn("Retry-After", response)
        self.assertEqual(self.get("/me").status_code, 429)  # from that address, even a good one

    def test_last_used_is_written_now_and_then_not_every_time(self):
        token = ApiToken.objects.get(member=self.requester, scope="write")
        self.assertIsNone(token.last_used_at)
        with time_machine.travel(timezone.now(), tick=False):
            self.get("/me")
            token.refresh_from_db()
            first = token.last_used_at
            self.assertIsNotNone(first)
            with self.assertNumQueries(2):  # the token with its member, their roles
                self.get("/me")
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            self.get("/me")
        token.refresh_from_db()
        self.assertGreater(token.last_used_at, first)
