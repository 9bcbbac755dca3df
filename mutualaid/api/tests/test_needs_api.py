"""Needs through the API: the board, a need, posting, the actions, messages, changes, contacts.

What a member gets is what the need's page gives them, through the same selectors and services:
these tests hold the API to the pages' rules, and each proves the outsider is refused.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from mutualaid.aid import services
from mutualaid.aid.models import (
    AccessKind,
    ContactShare,
    Message,
    Need,
    NeedStatus,
    PrivateAccess,
    Visibility,
)
from mutualaid.api import services as api_services
from mutualaid.api.tests.base import ApiTestCase
from mutualaid.test import CANARY, changes_nothing, make_member, make_released_claimant
from mutualaid.trust.models import Level


def new_need(where, **fields):
    return {
        "category": "groceries",
        "summary": "Bread and milk",
        "area": str(where.code),
        "urgency": "soon",
        **fields,
    }


class BoardTests(ApiTestCase):
    def test_the_board_lists_open_needs_without_who_asked(self):
        need = self.post_need()
        self.post_need(visibility=Visibility.ORGANIZERS, summary="Somewhere to stay")
        response = self.get("/needs", persona="outsider", scope="read")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["count"], 1)
        self.assertEqual(data["results"][0]["code"], str(need.code))
        self.assertNotIn("rosa", response.content.decode())
        self.assertNotIn(CANARY, response.content.decode())

    def test_an_organizer_who_matches_sees_organizers_only_needs_as_on_their_board(self):
        self.post_need(visibility=Visibility.ORGANIZERS, summary="Somewhere to stay")
        self.assertEqual(self.get("/needs", persona="organizer").json()["count"], 1)

    def test_filters_are_the_boards(self):
        self.post_need()
        self.post_need(area=self.far, summary="Far away")
        self.post_need(category=self.rides, summary="A ride")
        codes = lambda query: [n["summary"] for n in self.get(f"/needs?{query}").json()["results"]]  # noqa: E731
        self.assertEqual(len(codes("")), 3)
        self.assertEqual(codes(f"area={self.far.code}"), ["Far away"])
        self.assertEqual(len(codes(f"area={self.central.code}&near=true")), 2)
        self.assertEqual(codes("category=rides"), ["A ride"])
        self.assertEqual(codes("urgency=today"), [])

    def test_pages_of_fifty(self):
        for n in range(51):
            self.post_need(summary=f"Need {n}")
        first = self.get("/needs").json()
        self.assertEqual((first["count"], first["pages"], len(first["results"])), (51, 2, 50))
        self.assertEqual(len(self.get("/needs?page=2").json()["results"]), 1)
        self.assertEqual(self.get("/needs?page=3").json()["results"], [])

    def test_the_board_costs_the_same_queries_for_one_need_or_many(self):
        self.post_need()
        self.get("/needs")  # the token's first use is written down: not part of the count

        def count():
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get("/needs").status_code, 200)
            return len(queries)

        one = count()
        for n in range(20):
            self.post_need(summary=f"Need {n}", area=[self.north, self.central, self.far][n % 3])
        self.assertEqual(count(), one)
        self.assertLessEqual(one, 5)

    def test_anonymous_and_integration_are_refused(self):
        self.assertRefused(self.call("GET", "/needs"), 401, "no_token")
        self.assertRefused(self.call("GET", "/needs", token=self.integration), 403, "wrong_token")


class NeedDetailTests(ApiTestCase):
    def test_the_requester_reads_everything_the_page_shows_her(self):
        need = self.claimed_need()
        services.message_send(need=need, sender=self.volunteer, body=f"At six. {CANARY}")
        services.contact_share(need=need, member=self.requester, kind="phone", value="555 0100")
        data = self.get(f"/needs/{need.code}", scope="read").json()
        self.assertIn(CANARY, data["details"])
        self.assertEqual([m["sender"] for m in data["messages"]], ["vic"])
        self.assertEqual(data["contact"], {"kind": "phone", "value": "555 0100"})
        self.assertEqual((data["posted_by"], data["volunteer"]), ("You", "vic"))
        self.assertTrue(data["actions"]["cancel"])
        self.assertFalse(data["actions"]["claim"])
        self.assertEqual(data["claim"], str(need.claims.get().code))
        self.assertEqual(data["timeline"][0]["kind"], "need_posted")
        self.assertFalse(PrivateAccess.objects.exists())  # her own: nothing recorded

    def test_an_onlooker_sees_the_board_card_and_no_private_text(self):
        need = self.post_need()
        response = self.get(f"/needs/{need.code}", persona="outsider")
        data = response.json()
        self.assertNotIn(CANARY, response.content.decode())
        self.assertEqual((data["details"], data["messages"], data["contact"]), (None, None, None))
        self.assertIsNone(data["posted_by"])  # the page shows no names to an onlooker
        self.assertTrue(data["actions"]["claim"])

    def test_an_anonymous_requester_stays_hidden(self):
        need = self.post_need(anonymous=True)
        services.need_claim(need=need, member=self.volunteer)
        response = self.get(f"/needs/{need.code}", persona="volunteer")
        self.assertNotIn("rosa", response.content.decode())
        self.assertIsNone(response.json()["posted_by"])
        self.assertEqual(
            self.get(f"/needs/{need.code}", persona="organizer").json()["posted_by"], "rosa"
        )

    def test_an_organizers_reading_is_recorded_as_on_the_page(self):
        need = self.claimed_need()
        data = self.get(f"/needs/{need.code}", persona="organizer", scope="read").json()
        self.assertIn(CANARY, data["details"])
        access = PrivateAccess.objects.get()
        self.assertEqual(
            (access.viewer, access.owner, access.what),
            (self.organizer, self.requester, AccessKind.DETAILS),
        )

    def test_an_outsider_learns_nothing_of_a_need_they_may_not_see(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        self.assertRefused(self.get(f"/needs/{need.code}", persona="outsider"), 404, "not_found")

    def test_a_released_volunteer_is_told_it_is_no_longer_theirs(self):
        need = self.post_need(visibility=Visibility.ORGANIZERS)
        released = make_member("rey")
        services.need_assign(need=need, volunteer=released, organizer=self.organizer)
        services.need_proposal_accept(need=need, member=released)
        services.need_release(need=need, member=released)
        _token, secret = api_services.token_create(member=released, name="x", scope="read")
        response = self.call("GET", f"/needs/{need.code}", token=secret)
        self.assertRefused(response, 410, "gone")
        self.assertEqual(response.json()["reason"], "released")
        self.assertNotIn(CANARY, response.content.decode())

    def test_a_released_volunteer_reads_no_private_text_of_a_members_need(self):
        need = self.post_need()
        released = make_released_claimant(need)
        _token, secret = api_services.token_create(member=released, name="x", scope="read")
        response = self.call("GET", f"/needs/{need.code}", token=secret)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(CANARY, response.content.decode())


class PostNeedTests(ApiTestCase):
    def test_a_need_is_posted(self):
        response = self.post(
            "/needs", new_need(self.north, needed_by=None, anonymous=True, details="Second floor")
        )
        self.assertEqual(response.status_code, 201, response.content)
        need = Need.objects.get()
        self.assertEqual(response.json()["need"]["code"], str(need.code))
        self.assertEqual(
            (need.requester, need.anonymous, need.details), (self.requester, True, "Second floor")
        )

    def test_the_doxxing_guard_refuses_a_summary_with_a_phone(self):
        with changes_nothing(self):
            response = self.post("/needs", new_need(self.north, summary="Call me 555-123-4567"))
        self.assertRefused(response, 422, "invalid")
        self.assertEqual(response.json()["field"], "summary")

    def test_the_forms_other_rules_hold(self):
        for fields, field in (
            ({"category": "no-such-kind"}, "category"),
            ({"needed_by": "2000-01-01"}, "needed_by"),
            ({"area": "00000000-0000-0000-0000-000000000000"}, "area"),
        ):
            with self.subTest(field), changes_nothing(self):
                response = self.post("/needs", new_need(self.north, **fields))
            self.assertRefused(response, 422, "invalid")
            self.assertEqual(response.json()["field"], field)

    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "newcomer-posts": (1, 3600)})
    def test_a_newcomers_posts_are_limited_with_retry_after(self):
        newt = make_member("newt", level=Level.NEWCOMER)
        _token, secret = api_services.token_create(member=newt, name="x", scope="write")
        self.assertEqual(
            self.call("POST", "/needs", new_need(self.north), token=secret).status_code, 201
        )
        response = self.call("POST", "/needs", new_need(self.north, summary="More"), token=secret)
        self.assertRefused(response, 429, "rate_limited")
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertEqual(Need.objects.count(), 1)

    def test_the_same_idempotency_key_posts_once(self):
        headers = {"Idempotency-Key": "6f1c1a8e-6a39-4d1e-9a2b-3d2f1b0c9e11"}
        first = self.call(
            "POST", "/needs", new_need(self.north), persona="requester", headers=headers
        )
        again = self.call(
            "POST", "/needs", new_need(self.north), persona="requester", headers=headers
        )
        self.assertEqual((first.status_code, again.status_code), (201, 200))
        self.assertTrue(again.json()["replayed"])
        self.assertEqual(Need.objects.count(), 1)

    def test_a_suspended_member_posts_nothing(self):
        self.requester.level = Level.SUSPENDED
        self.requester.save(update_fields=["level"])
        with changes_nothing(self):
            self.assertRefused(self.post("/needs", new_need(self.north)), 403, "suspended")


class NeedActionTests(ApiTestCase):
    def test_a_volunteer_claims_an_open_need(self):
        need = self.post_need()
        response = self.post(f"/needs/{need.code}/claim", persona="volunteer")
        self.assertEqual(response.json(), {"need": str(need.code), "status": "claimed"})
        need.refresh_from_db()
        self.assertEqual(need.claimant, self.volunteer)

    def test_the_claims_refusals_keep_their_codes(self):
        need = self.post_need()
        newcomer = make_member("newt", level=Level.NEWCOMER)
        _token, newcomers = api_services.token_create(member=newcomer, name="x", scope="write")
        with changes_nothing(self):
            self.assertRefused(self.post(f"/needs/{need.code}/claim"), 403, "own_need")
            self.assertRefused(
                self.call("POST", f"/needs/{need.code}/claim", token=newcomers), 403, "not_vouched"
            )
        self.post(f"/needs/{need.code}/claim", persona="volunteer")
        with changes_nothing(self):
            response = self.post(f"/needs/{need.code}/claim", persona="outsider")
        self.assertRefused(response, 409, "gone")  # taken a moment before: told, as on the page
        self.assertEqual(response.json()["reason"], "taken")
        with changes_nothing(self):  # an organizer still sees it: the service's own word
            self.assertRefused(
                self.post(f"/needs/{need.code}/claim", persona="organizer"), 409, "taken"
            )

    def test_the_loop_through_the_api(self):
        need = self.post_need()
        self.post(f"/needs/{need.code}/claim", persona="volunteer")
        self.assertEqual(
            self.post(f"/needs/{need.code}/fulfil", persona="volunteer").json()["status"],
            "fulfilled",
        )
        self.assertEqual(self.post(f"/needs/{need.code}/confirm").json()["status"], "closed")

    def test_only_who_the_table_names_acts(self):
        need = self.claimed_need()
        for action, persona in (
            ("release", "requester"),
            ("fulfil", "outsider"),
            ("confirm", "volunteer"),
            ("cancel", "volunteer"),
        ):
            with self.subTest(action), changes_nothing(self):
                response = self.post(f"/needs/{need.code}/{action}", persona=persona)
            self.assertIn(response.status_code, (403, 404, 409), response.content)
            self.assertIn(response.json()["code"], ("forbidden", "not_found", "stale"))

    def test_an_organizer_assigns_and_the_volunteer_accepts(self):
        need = self.post_need()
        response = self.post(f"/needs/{need.code}/assign", {"handle": "vic"}, persona="organizer")
        self.assertEqual(response.json()["status"], "proposed", response.content)
        with changes_nothing(self):
            self.assertRefused(
                self.post(f"/needs/{need.code}/assign", {"handle": "vic"}, persona="outsider"),
                404,
                "not_found",
            )
        self.assertEqual(
            self.post(f"/needs/{need.code}/accept", persona="volunteer").json()["status"], "claimed"
        )

    def test_a_member_who_does_not_match_cannot_assign(self):
        need = self.post_need()
        with changes_nothing(self):
            response = self.post(
                f"/needs/{need.code}/assign", {"handle": "otto"}, persona="volunteer"
            )
        self.assertRefused(response, 403, "forbidden")

    def test_the_requester_changes_her_open_need(self):
        need = self.post_need()
        response = self.call(
            "PATCH", f"/needs/{need.code}", {"summary": "Milk only"}, persona="requester"
        )
        self.assertEqual(response.json()["summary"], "Milk only", response.content)
        need.refresh_from_db()
        self.assertEqual((need.summary, need.details), ("Milk only", need.details))
        with changes_nothing(self):
            response = self.call(
                "PATCH", f"/needs/{need.code}", {"summary": "Mine now"}, persona="volunteer"
            )
        self.assertRefused(response, 403, "forbidden")

    def test_a_cancelled_need_is_posted_again(self):
        need = self.post_need()
        services.need_cancel(need=need, member=self.requester)
        response = self.post(f"/needs/{need.code}/repost")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Need.objects.filter(status=NeedStatus.OPEN).count(), 1)
        with changes_nothing(self):
            self.assertRefused(
                self.post(f"/needs/{need.code}/repost", persona="volunteer"), 404, "not_found"
            )  # a cancelled need is its requester's alone


class MessageTests(ApiTestCase):
    def test_the_volunteer_writes_to_the_requester(self):
        need = self.claimed_need()
        claim = need.claims.get()
        response = self.post(
            f"/needs/{need.code}/messages",
            {"body": "On my way", "claim": str(claim.code)},
            persona="volunteer",
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["message"]["sender"], "You")
        self.assertEqual(Message.objects.get().body, "On my way")

    def test_an_outsider_cannot_write_nor_learn_of_the_conversation(self):
        need = self.claimed_need()
        with changes_nothing(self):
            response = self.post(f"/needs/{need.code}/messages", {"body": "Hi"}, persona="outsider")
        self.assertRefused(response, 404, "not_found")

    def test_a_message_for_a_volunteer_who_left_is_not_sent_to_the_next(self):
        need = self.claimed_need()
        old_claim = need.claims.get()
        services.need_release(need=need, member=self.volunteer)
        services.need_claim(need=need, member=self.organizer)
        with changes_nothing(self):
            response = self.post(
                f"/needs/{need.code}/messages",
                {"body": "Door code 4471", "claim": str(old_claim.code)},
            )
        self.assertRefused(response, 409, "stale")

    @override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "messages": (1, 3600)})
    def test_messages_are_limited_with_retry_after(self):
        need = self.claimed_need()
        self.post(f"/needs/{need.code}/messages", {"body": "One"}, persona="volunteer")
        response = self.post(f"/needs/{need.code}/messages", {"body": "Two"}, persona="volunteer")
        self.assertRefused(response, 429, "rate_limited")
        self.assertIn("Retry-After", response)

    def test_an_empty_or_long_message_is_refused(self):
        need = self.claimed_need()
        with changes_nothing(self):
            self.assertRefused(
                self.post(f"/needs/{need.code}/messages", {"body": ""}), 400, "bad_request"
            )
            self.assertRefused(
                self.post(f"/needs/{need.code}/messages", {"body": "   "}), 422, "invalid"
            )
            self.assertRefused(
                self.post(f"/needs/{need.code}/messages", {"body": "x" * 2001}), 400, "bad_request"
            )


class ContactTests(ApiTestCase):
    def test_the_requester_shares_and_stops_sharing(self):
        need = self.claimed_need()
        url = f"/needs/{need.code}/contact"
        response = self.call(
            "PUT", url, {"kind": "email", "value": "rosa@example.org"}, persona="requester"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(ContactShare.objects.get().value, "rosa@example.org")
        self.assertEqual(self.call("DELETE", url, persona="requester").status_code, 200)
        self.assertFalse(ContactShare.objects.exists())

    def test_a_contact_that_is_not_what_it_says_is_refused(self):
        need = self.claimed_need()
        with changes_nothing(self):
            response = self.call(
                "PUT",
                f"/needs/{need.code}/contact",
                {"kind": "phone", "value": "call me"},
                persona="requester",
            )
        self.assertRefused(response, 422, "invalid")

    def test_only_the_requester_shares(self):
        need = self.claimed_need()
        with changes_nothing(self):
            response = self.call(
                "PUT",
                f"/needs/{need.code}/contact",
                {"kind": "phone", "value": "555 0100"},
                persona="volunteer",
            )
        self.assertRefused(response, 403, "forbidden")
