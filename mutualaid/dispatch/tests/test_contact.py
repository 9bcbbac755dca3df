"""How the public reaches the organizers: anyone may write with the contact form (sealed, rate
limited, organizers told only that a message waits); organizers who take calls read the messages
in their inbox (a member's recorded as read) and mark each handled, on the record."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualaid.accounts.models import Notice
from mutualaid.aid.models import AccessKind, PrivateAccess
from mutualaid.dispatch import contact, queues
from mutualaid.dispatch.models import CONTACT_BODY_MAX, ContactChange, ContactMessage
from mutualaid.lib.refusal import Refusal
from mutualaid.privacy import selectors as privacy_selectors
from mutualaid.privacy import services as privacy_services
from mutualaid.test import CANARY, BaseTestCase, make_member
from mutualaid.trust.models import Role

WORDS = f"The food bank on Elm was closed today. {CANARY}"
REPLY_TO = "reach-me-7301@example.org"


def contact_rows() -> dict:
    return {
        "messages": list(ContactMessage.objects.order_by("pk").values()),
        "changes": list(ContactChange.objects.order_by("pk").values()),
        "notices": Notice.objects.count(),
    }


class ContactTestCase(BaseTestCase):
    url = reverse("dispatch:contact")
    inbox = reverse("dispatch:contact_inbox")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.triager = make_member("tia", roles=[Role.TRIAGER])
        cls.admin = make_member("ada", roles=[Role.ADMIN])
        cls.safety = make_member("sol", roles=[Role.SAFETY])

    def send(self, **fields):
        values = {"body": WORDS, "name": "Marta", "reply_to": REPLY_TO}
        values.update(fields)
        return self.client.post(self.url, values)

    def handle_url(self, message):
        return reverse("dispatch:contact_handle", args=[message.code])


class ContactFormTests(ContactTestCase):
    def test_the_form_needs_no_login_and_shows_no_address(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="body"')
        self.assertContains(response, 'name="name"')
        self.assertContains(response, "csrfmiddlewaretoken")
        self.assertNotContains(response, "mailto:")

    def test_a_visitor_sends_a_message(self):
        response = self.send()

        self.assertRedirects(response, reverse("dispatch:contact_sent"))
        message = ContactMessage.objects.get()
        self.assertIsNone(message.sender)
        self.assertEqual((message.body, message.name, message.reply_to), (WORDS, "Marta", REPLY_TO))
        self.assertFalse(message.is_handled())
        change = ContactChange.objects.get()
        self.assertEqual(change.action, ContactChange.Action.RECEIVED)
        self.assertIsNone(change.actor)
        self.assertEqual(change.message, message)
        page = self.client.get(reverse("dispatch:contact_sent"))
        self.assertContains(page, "The organizers will read it")
        self.assertContains(page, "they may answer")

    def test_a_member_is_recorded_as_the_sender(self):
        self.client.force_login(self.requester)
        self.assertNotContains(self.client.get(self.url), 'name="name"')

        self.assertRedirects(self.send(name="ignored"), reverse("dispatch:contact_sent"))

        message = ContactMessage.objects.get()
        self.assertEqual(message.sender, self.requester)
        self.assertEqual(message.name, "")
        self.assertEqual(ContactChange.objects.get().actor, self.requester)

    def test_a_members_messages_go_with_their_account(self):
        self.client.force_login(self.requester)
        self.send()
        self.client.logout()
        self.send(name="Ana")  # a visitor's stays
        privacy_services.member_delete(member=self.requester)
        self.assertEqual([message.name for message in ContactMessage.objects.all()], ["Ana"])

    def test_a_members_messages_are_in_their_own_file_and_nobody_elses(self):
        self.client.force_login(self.requester)
        self.send(body="Could the food bank list be on the board?", reply_to="rosa at home")
        mine = privacy_selectors.member_export(self.requester)["messages_to_organizers"]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["message"], "Could the food bank list be on the board?")
        self.assertEqual(mine[0]["how_to_answer"], "rosa at home")
        self.assertIsNone(mine[0]["handled_at"])
        theirs = privacy_selectors.member_export(self.volunteer)["messages_to_organizers"]
        self.assertEqual(theirs, [])

    def test_the_words_are_sealed_in_the_database(self):
        self.send()
        with connection.cursor() as cursor:
            cursor.execute("SELECT body, name, reply_to FROM dispatch_contactmessage")
            row = cursor.fetchone()
        for raw in row:
            self.assertNotIn(CANARY, raw)
            self.assertNotIn("Marta", raw)
            self.assertNotIn("reach-me", raw)

    def test_organizers_who_read_them_are_told_without_the_words(self):
        self.send()

        told = Notice.objects.filter(kind="contact_message")
        # The organizer persona dispatches; the triager too. Admins and safety officers do not
        # read these messages, so they are not told.
        self.assertEqual(sorted(told.values_list("member__handle", flat=True)), ["olga", "tia"])
        for notice in told:
            self.assertEqual(notice.text, "A message from a neighbor is waiting.")
            self.assertNotIn(CANARY, str(notice.params))
            self.assertNotIn("reach-me", str(notice.params))
            self.assertTrue(notice.url.startswith(self.inbox))

    def test_bad_input_is_refused_and_changes_nothing(self):
        before = contact_rows()
        for fields in (
            {"body": ""},
            {"body": "   "},
            {"body": "x" * (CONTACT_BODY_MAX + 1)},
            {"reply_to": "x" * 201},
            {"name": "x" * 61},
        ):
            with self.subTest(fields={k: v[:10] for k, v in fields.items()}):
                response = self.send(**fields)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, "Nothing was saved yet", status_code=422)
        self.assertContains(self.send(body=""), "Write a message.", status_code=422)
        self.assertEqual(contact_rows(), before)

    def test_the_service_refuses_an_empty_message(self):
        with self.assertRaises(Refusal):
            contact.contact_message_send(body="  ")
        self.assertEqual(ContactMessage.objects.count(), 0)

    def test_the_sixth_message_in_an_hour_from_one_address_is_refused(self):
        for _ in range(5):
            self.assertEqual(self.send().status_code, 302)
        before = contact_rows()

        response = self.send()

        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)
        self.assertEqual(contact_rows(), before)

    def test_a_member_is_limited_whatever_their_address(self):
        self.client.force_login(self.requester)
        for i in range(5):
            response = self.client.post(self.url, {"body": "Hello"}, REMOTE_ADDR=f"10.0.0.{i}")
            self.assertEqual(response.status_code, 302)
        before = contact_rows()

        response = self.client.post(self.url, {"body": "Hello"}, REMOTE_ADDR="10.0.0.99")

        self.assertEqual(response.status_code, 429)
        self.assertEqual(contact_rows(), before)


class ContactInboxTests(ContactTestCase):
    def test_organizers_read_the_messages_and_their_count(self):
        self.send()
        self.client.force_login(self.requester)
        self.send(body=f"Thank you all. {CANARY}", reply_to="")
        self.client.force_login(self.triager)

        response = self.client.get(self.inbox)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, WORDS)
        self.assertContains(response, REPLY_TO)
        self.assertContains(response, "Marta")
        self.assertContains(response, "rosa")
        self.assertEqual(response.context["page"].paginator.count, 2)
        organize = self.client.get(reverse("dispatch:organize"))
        self.assertEqual(organize.context["counts"]["contact"], 2)
        self.assertContains(organize, "Messages from neighbors")
        self.assertContains(organize, f'href="{self.inbox}"')

    def test_reading_a_members_message_is_recorded(self):
        self.client.force_login(self.requester)
        self.send()
        self.client.logout()
        self.send(body="From a visitor")
        self.client.force_login(self.triager)

        self.client.get(self.inbox)

        access = PrivateAccess.objects.get()  # the visitor has no list of who read theirs
        self.assertEqual(
            (access.viewer, access.owner, access.need, access.what),
            (self.triager, self.requester, None, AccessKind.MESSAGES),
        )

    def test_marking_handled_is_recorded(self):
        self.send()
        message = ContactMessage.objects.get()
        self.client.force_login(self.triager)

        response = self.client.post(self.handle_url(message))

        self.assertRedirects(response, self.inbox)
        message.refresh_from_db()
        self.assertTrue(message.is_handled())
        self.assertEqual(message.handled_by, self.triager)
        change = ContactChange.objects.latest("pk")
        self.assertEqual(
            (change.action, change.actor, change.old, change.new),
            (ContactChange.Action.HANDLED, self.triager, {"handled": False}, {"handled": True}),
        )
        self.assertEqual(queues.organize_counts(self.triager)["contact"], 0)
        self.assertNotContains(self.client.get(self.inbox), WORDS)
        self.assertContains(self.client.get(f"{self.inbox}?show=handled"), WORDS)

    def test_a_message_is_handled_once(self):
        self.send()
        message = ContactMessage.objects.get()
        contact.contact_message_handle(message=message, organizer=self.triager)
        with self.assertRaises(Refusal) as refused:
            contact.contact_message_handle(message=message, organizer=self.organizer)
        self.assertEqual(refused.exception.code, "stale")
        self.assertEqual(ContactChange.objects.filter(action="handled").count(), 1)

    def test_outsiders_are_refused_the_inbox_and_marking_handled(self):
        self.send()
        message = ContactMessage.objects.get()
        before = contact_rows()
        login = reverse("accounts:login")
        self.client.logout()
        self.assertRedirects(self.client.get(self.inbox), f"{login}?next={self.inbox}")
        response = self.client.post(self.handle_url(message))
        self.assertRedirects(response, f"{login}?next={self.handle_url(message)}")
        for member in (self.outsider, self.admin, self.safety):
            with self.subTest(member=member.handle):
                self.client.force_login(member)
                self.assertEqual(self.client.get(self.inbox).status_code, 403)
                self.assertEqual(self.client.post(self.handle_url(message)).status_code, 403)
                counts = self.client.get(reverse("dispatch:organize"))
                if counts.status_code == 200:
                    self.assertNotIn("contact", counts.context["counts"])
        with self.assertRaises(Refusal):
            contact.contact_message_handle(message=message, organizer=self.admin)
        self.assertEqual(contact_rows(), before)
        self.assertFalse(PrivateAccess.objects.exists())

    def test_an_unknown_message_is_not_found(self):
        self.client.force_login(self.triager)
        response = self.client.post(reverse("dispatch:contact_handle", args=[self.requester.code]))
        self.assertEqual(response.status_code, 404)

    def test_the_inbox_takes_a_fixed_number_of_queries(self):
        def write(n):
            for i in range(n):
                cache.clear()  # the member's hourly limit: not what this test is about
                contact.contact_message_send(
                    body=f"Message {i}", name="N", sender=self.requester if i % 2 else None
                )

        write(2)
        self.client.force_login(self.triager)
        cache.clear()
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(self.inbox).status_code, 200)
        write(30)
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.inbox)
        self.assertEqual(len(response.context["shown"]), 25)
        self.assertEqual(len(many), len(few))
