"""Download my data: all the member posted and was sent, and of others nothing but handles."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts import services as account_services
from mutualaid.accounts.models import Role
from mutualaid.aid import services, triage
from mutualaid.aid.models import AccessKind, ContactKind, Message, Need, PrivateAccess
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member

ROSA_SECRET = "Flat 3B, ring twice. Allergic to peanuts."
OTTO_SECRET = "OTTO-CANARY: 9 Elm Row, insulin in the fridge"


class ExportTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("privacy:export")

    def export(self, member):
        self.client.force_login(member)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 200)
        return response, json.loads(response.content)

    def converse(self, need, *lines):
        for sender, body in lines:
            services.message_send(need=need, sender=sender, body=body)

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        login = f"{reverse('accounts:login')}?next={self.url}"
        self.assertRedirects(self.client.get(self.url), login)
        self.assertRedirects(self.client.post(self.url), login)

    def test_get_explains_and_offers_a_clear_button(self):
        self.client.force_login(self.requester)
        response = self.client.get(self.url)
        self.assertContains(response, "Download my data")
        self.assertContains(response, '<form method="post">')
        self.assertNotContains(response, "Content-Disposition")

    def test_it_is_a_json_file_to_download(self):
        response, data = self.export(self.requester)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"],
            r'^attachment; filename="mutualaid-rosa-\d{4}-\d{2}-\d{2}\.json"$',
        )
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(
            set(data),
            {
                "exported_at",
                "member",
                "needs",
                "offers",
                "claims",
                "messages",
                "contacts_shared",
                "questions_from_organizers",
                "notices",
                "private_access",
                "messages_to_organizers",
                "api_tokens",
            },
        )

    def test_it_holds_the_members_record(self):
        self.requester.email = "rosa@example.org"  # sealed: written with save()
        self.requester.save(update_fields=["email"])
        _, data = self.export(self.requester)
        self.assertEqual(data["member"]["handle"], "rosa")
        self.assertEqual(data["member"]["email"], "rosa@example.org")
        self.assertEqual(data["member"]["home_area"], "Northside")
        self.assertEqual(
            data["member"]["date_joined"][:10], f"{self.requester.date_joined:%Y-%m-%d}"
        )

    def test_it_holds_the_members_needs_with_their_private_details(self):
        need = self.claimed_need(summary="Groceries for a family of four", details=ROSA_SECRET)
        Need.objects.filter(pk=need.pk).update(anonymous=True, visibility="organizers")
        _, data = self.export(self.requester)
        [exported] = data["needs"]
        self.assertEqual(exported["summary"], "Groceries for a family of four")
        self.assertEqual(exported["private_details"], ROSA_SECRET)
        self.assertEqual(exported["category"], "Groceries")
        self.assertEqual(exported["area"], "Northside")
        self.assertEqual(exported["urgency"], "soon")
        self.assertEqual(exported["status"], "claimed")
        self.assertEqual(exported["visibility"], "organizers")
        self.assertTrue(exported["anonymous"])
        self.assertEqual(exported["volunteer"], "vic")
        self.assertEqual(exported["code"], str(need.code))
        self.assertIn("created_at", exported)
        self.assertIn("status_changed_at", exported)

    def test_it_holds_the_organizers_questions_and_answers_but_not_their_notes(self):
        triager = make_member("tam", roles=[Role.TRIAGER])
        need = self.post_need()
        triage.ask_more(need=need, by=triager, question="Which day suits you?")
        triage.answer_more(need=need, member=self.requester, text="Thursday morning.")
        triage.note_add(need=need, by=triager, body="TAM-NOTE knows the family")
        response, data = self.export(self.requester)
        self.assertEqual(
            [(q["kind"], q["body"]) for q in data["questions_from_organizers"]],
            [("question", "Which day suits you?"), ("answer", "Thursday morning.")],
        )
        self.assertNotContains(response, "TAM-NOTE")

    def test_it_holds_the_members_offers_and_claims(self):
        services.offer_post(
            offerer=self.volunteer,
            categories=[self.rides],
            areas=[self.central, self.north],
            summary="Weekend rides",
            kind="ongoing",
            available_days=[5, 6],
        )
        need = self.claimed_need(summary="A ride to the clinic")
        _, data = self.export(self.volunteer)
        [offer] = data["offers"]
        self.assertEqual(offer["summary"], "Weekend rides")
        self.assertEqual(offer["categories"], ["Rides"])
        self.assertEqual(sorted(offer["areas"]), ["Central", "Northside"])
        self.assertEqual(offer["available_days"], ["Saturday", "Sunday"])
        [claim] = data["claims"]
        self.assertEqual(claim["need_summary"], "A ride to the clinic")
        self.assertEqual(claim["need_status"], "claimed")
        self.assertIsNone(claim["ended_at"])
        self.assertNotIn(str(need.details), json.dumps(data))  # the requester's, not vic's
        self.assertEqual(data["needs"], [])

    def test_it_holds_the_conversations_with_handles_only(self):
        need = self.claimed_need()
        self.converse(need, (self.requester, "ROSA-SAYS-HI"), (self.volunteer, "VIC-SAYS-HI"))
        services.contact_share(
            need=need, member=self.requester, kind=ContactKind.PHONE, value="555 0100"
        )
        _, rosa = self.export(self.requester)
        self.assertEqual(
            [(m["from"], m["body"], m["sent_by_me"]) for m in rosa["messages"]],
            [("rosa", "ROSA-SAYS-HI", True), ("vic", "VIC-SAYS-HI", False)],
        )
        [contact] = rosa["contacts_shared"]
        self.assertEqual(
            (contact["shared_with"], contact["kind"], contact["value"]),
            ("vic", "phone", "555 0100"),
        )
        _, vic = self.export(self.volunteer)
        self.assertEqual(
            [(m["from"], m["body"]) for m in vic["messages"]],
            [("rosa", "ROSA-SAYS-HI"), ("vic", "VIC-SAYS-HI")],
        )
        self.assertEqual(vic["contacts_shared"], [])  # rosa's number is hers, not vic's data
        self.assertNotIn("555 0100", json.dumps(vic))

    def test_an_anonymous_requester_is_anonymous_in_the_volunteers_file(self):
        need = self.post_need(anonymous=True, summary="Help with rent papers")
        services.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        self.converse(need, (self.requester, "ROSA-SAYS-HI"), (self.volunteer, "VIC-SAYS-HI"))
        _, vic = self.export(self.volunteer)
        self.assertEqual(
            [(m["from"], m["body"]) for m in vic["messages"]],
            [("anonymous", "ROSA-SAYS-HI"), ("vic", "VIC-SAYS-HI")],
        )
        self.assertNotIn('"rosa"', json.dumps(vic))
        _, rosa = self.export(self.requester)
        self.assertEqual([m["from"] for m in rosa["messages"]], ["rosa", "vic"])

    def test_a_released_volunteer_keeps_only_what_they_sent(self):
        need = self.claimed_need()
        self.converse(need, (self.requester, "Door code 4471"), (self.volunteer, "On my way"))
        services.need_release(need=need, member=self.volunteer)
        _, vic = self.export(self.volunteer)
        self.assertEqual([m["body"] for m in vic["messages"]], ["On my way"])
        self.assertNotIn("Door code 4471", json.dumps(vic))  # the words: a UUID may hold "4471"
        [claim] = vic["claims"]
        self.assertEqual((claim["end_reason"], claim["need_status"]), ("released", "open"))
        _, rosa = self.export(self.requester)  # the requester keeps the whole conversation
        self.assertEqual([m["body"] for m in rosa["messages"]], ["Door code 4471", "On my way"])

    def test_it_holds_notices_and_who_viewed_the_members_private_details(self):
        need = self.post_need(summary="Insulin pickup")
        account_services.notify(
            member=self.requester, kind="message", text="Your need is back on the board."
        )
        PrivateAccess.objects.create(
            viewer=self.organizer, owner=self.requester, need=need, what=AccessKind.DETAILS
        )
        _, data = self.export(self.requester)
        self.assertEqual([n["text"] for n in data["notices"]], ["Your need is back on the board."])
        self.assertIsNone(data["notices"][0]["read_at"])
        [access] = data["private_access"]
        self.assertEqual(
            (access["viewer"], access["what"], access["need_summary"]),
            ("olga", "details", "Insulin pickup"),
        )

    def test_another_members_private_text_never_appears(self):
        # Otto has a need vic is helping with, a conversation, a shared contact, a notice and an
        # access record; rosa's file must hold none of it, and otto's none of rosa's.
        rosas = self.claimed_need(summary="Rosa's groceries", details=ROSA_SECRET)
        self.converse(rosas, (self.requester, "ROSA-CANARY door 12"))
        ottos = self.post_need(requester=self.outsider, summary="Otto's ride", details=OTTO_SECRET)
        services.need_claim(need=ottos, member=self.volunteer)
        ottos.refresh_from_db()
        self.converse(
            ottos, (self.outsider, "OTTO-CANARY message"), (self.volunteer, "VIC-TO-OTTO")
        )
        services.contact_share(
            need=ottos, member=self.outsider, kind=ContactKind.TEXT, value="OTTO-CANARY contact"
        )
        account_services.notify(member=self.outsider, kind="message", text="OTTO-CANARY notice")
        PrivateAccess.objects.create(
            viewer=self.organizer, owner=self.outsider, need=ottos, what=AccessKind.MESSAGES
        )

        _, rosa = self.export(self.requester)
        text = json.dumps(rosa)
        for secret in ("OTTO-CANARY", "VIC-TO-OTTO", "Otto's ride", "otto"):
            self.assertNotIn(secret, text)
        self.assertEqual(len(rosa["needs"]), 1)
        self.assertEqual(rosa["private_access"], [])

        _, otto = self.export(self.outsider)
        text = json.dumps(otto)
        for secret in ("ROSA-CANARY", "Flat 3B", "Rosa's groceries", '"rosa"'):
            self.assertNotIn(secret, text)

        _, olga = self.export(self.organizer)  # reading them is not having been sent them
        text = json.dumps(olga)
        for secret in ("OTTO-CANARY", "ROSA-CANARY", "Flat 3B"):
            self.assertNotIn(secret, text)
        self.assertEqual(olga["private_access"], [])

    def test_a_member_with_nothing_gets_an_empty_file(self):
        _, data = self.export(make_member("newbie"))
        self.assertEqual(data["member"]["home_area"], None)
        for key in ("needs", "offers", "claims", "messages", "contacts_shared", "notices"):
            self.assertEqual(data[key], [], key)

    def test_it_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.requester)
        self.assertEqual(client.post(self.url).status_code, 403)

    def test_its_query_count_does_not_grow_with_its_rows(self):
        # The volunteer holds more needs than the network's usual cap.
        NetworkSettings.objects.update_or_create(pk=1, defaults={"max_active_claims": 50})

        def add(count, n):
            for i in range(count):
                need = self.claimed_need(summary=f"Need {n}-{i}")
                self.converse(need, (self.requester, "hi"), (self.volunteer, "hello"))
                services.contact_share(
                    need=need, member=self.requester, kind=ContactKind.PHONE, value="555 0100"
                )
                PrivateAccess.objects.create(
                    viewer=self.organizer, owner=self.requester, need=need, what="details"
                )
                account_services.notify(
                    member=self.requester, kind="message", text=f"Notice {n}-{i}"
                )
                services.offer_post(
                    offerer=self.requester,
                    categories=[self.rides],
                    areas=[self.north],
                    summary=f"Offer {n}-{i}",
                    kind="one_off",
                )

        self.client.force_login(self.requester)
        add(1, "a")
        with CaptureQueriesContext(connection) as few:
            self.client.post(self.url)
        add(6, "b")
        with CaptureQueriesContext(connection) as many:
            response = self.client.post(self.url)
        self.assertEqual(len(few), len(many))
        data = json.loads(response.content)
        self.assertEqual(len(data["needs"]), 7)
        self.assertEqual(len(data["messages"]), 14)
        self.assertEqual(Message.objects.count(), 14)
