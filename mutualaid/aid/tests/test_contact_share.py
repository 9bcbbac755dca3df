"""Sharing one way to reach the requester with the current volunteer, and only with them."""

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import services
from mutualaid.aid.models import (
    ContactKind,
    ContactShare,
    EventKind,
    Message,
    NeedStatus,
    TimelineEvent,
)
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing, make_member, record_counts

PHONE = "+1 555 867 5309"
BOX = "Shared with you only: how to reach them"


def counts():
    return {**record_counts(), "ContactShare": ContactShare.objects.count()}


class ContactShareServiceTestCase(BaseTestCase):
    def share(self, need, value=PHONE, kind=ContactKind.PHONE, member=None):
        return services.contact_share(
            need=need, member=member or self.requester, kind=kind, value=value
        )

    def test_the_requester_shares_with_the_live_claim_and_it_is_recorded(self):
        need = self.claimed_need()
        share = self.share(need)
        self.assertEqual(share.claim, need.claims.get())
        self.assertEqual((share.kind, share.value), (ContactKind.PHONE, PHONE))
        self.assertTrue(need.events.filter(kind=EventKind.CONTACT_SHARED, actor=self.requester))

    def test_one_method_at_a_time(self):
        need = self.claimed_need()
        self.share(need)
        self.share(need, "rosa@example.org", ContactKind.EMAIL)
        share = ContactShare.objects.get()
        self.assertEqual((share.kind, share.value), (ContactKind.EMAIL, "rosa@example.org"))

    def test_it_is_stored_sealed(self):
        need = self.claimed_need()
        self.share(need)
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM aid_contactshare")
            (raw,) = cursor.fetchone()
        self.assertNotIn("867", raw)

    def test_only_the_requester_may_share_and_only_once_claimed(self):
        need = self.claimed_need()
        for member in (self.volunteer, self.organizer, self.outsider):
            with (
                self.subTest(member.handle),
                changes_nothing(self),
                self.assertRaises(Refusal),
            ):
                self.share(need, member=member)
        open_need = self.post_need()
        with changes_nothing(self), self.assertRaisesMessage(Refusal, "once"):
            self.share(open_need)
        self.assertFalse(ContactShare.objects.exists())

    def test_the_share_ends_when_the_claim_ends_however_it_ends(self):
        endings = {
            "released": lambda n: services.need_release(need=n, member=self.volunteer),
            "cancelled": lambda n: services.need_cancel(need=n, member=self.requester),
            "reopened": lambda n: (
                services.need_mark_fulfilled(need=n, member=self.volunteer),
                services.need_reopen(need=n, member=self.requester),
            ),
            "closed": lambda n: (
                services.need_mark_fulfilled(need=n, member=self.volunteer),
                services.need_confirm(need=n, member=self.requester),
            ),
        }
        for ending, end in endings.items():
            with self.subTest(ending):
                need = self.claimed_need()
                self.share(need)
                end(need)
                self.assertFalse(ContactShare.objects.filter(claim__need=need).exists())

    def test_unshare_removes_it(self):
        need = self.claimed_need()
        self.share(need)
        self.assertEqual(services.contact_unshare(need=need, member=self.requester), 1)
        self.assertFalse(ContactShare.objects.exists())

    def test_only_the_requester_may_unshare(self):
        need = self.claimed_need()
        self.share(need)
        for member in (self.volunteer, self.organizer, self.outsider):
            with self.subTest(member.handle), self.assertRaises(Refusal):
                services.contact_unshare(need=need, member=member)
        self.assertEqual(ContactShare.objects.count(), 1)


class ContactShareViewTestCase(BaseTestCase):
    def page(self, need, member):
        self.client.force_login(member)
        return self.client.get(reverse("aid:need", args=[need.code]))

    def post(self, need, member, data=None, *, stop=False, htmx=False):
        self.client.force_login(member)
        name = "aid:need_contact_unshare" if stop else "aid:need_contact_share"
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        return self.client.post(reverse(name, args=[need.code]), data or {}, **extra)

    def share(self, need, value=PHONE, kind="phone", **kwargs):
        return self.post(need, self.requester, {"kind": kind, "value": value}, **kwargs)

    def test_the_requester_sees_the_form_once_claimed_and_not_before(self):
        need = self.post_need()
        self.assertNotContains(self.page(need, self.requester), 'id="contact"')
        services.need_claim(need=need, member=self.volunteer)
        response = self.page(need, self.requester)
        self.assertContains(response, "How your volunteer can reach you")
        self.assertContains(response, "Share with my volunteer")

    def test_nobody_else_gets_the_form(self):
        need = self.claimed_need()
        for member in (self.volunteer, self.organizer):
            with self.subTest(member.handle):
                self.assertNotContains(self.page(need, member), "Share with my volunteer")

    def test_the_requester_shares_and_the_claimant_sees_it_in_a_marked_box(self):
        need = self.claimed_need()
        response = self.share(need)
        self.assertRedirects(response, reverse("aid:need", args=[need.code]) + "#contact")
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn("Shared with your volunteer only, until their part ends.", flashed)
        page = self.page(need, self.volunteer)
        self.assertContains(page, BOX)
        self.assertContains(page, PHONE)
        requester_page = self.page(need, self.requester)
        self.assertContains(requester_page, PHONE)
        self.assertContains(requester_page, "Stop sharing")

    def test_organizers_see_it_too_but_nobody_else(self):
        need = self.claimed_need()
        self.share(need)
        self.assertContains(self.page(need, self.organizer), PHONE)
        self.assertEqual(self.page(need, self.outsider).status_code, 404)

    def test_htmx_gets_the_panel_back(self):
        need = self.claimed_need()
        response = self.share(need, htmx=True)
        self.assertContains(response, 'id="need-panel"')
        self.assertContains(response, PHONE)
        self.assertNotContains(response, "<html")

    def test_stop_sharing_hides_it_from_the_claimant_at_once(self):
        need = self.claimed_need()
        self.share(need)
        response = self.post(need, self.requester, stop=True)
        self.assertRedirects(response, reverse("aid:need", args=[need.code]) + "#contact")
        self.assertFalse(ContactShare.objects.exists())
        page = self.page(need, self.volunteer)
        self.assertNotContains(page, PHONE)
        self.assertNotContains(page, BOX)

    def test_a_released_claimant_loses_it_at_once_and_the_next_one_never_sees_it(self):
        need = self.claimed_need()
        self.share(need)
        self.client.force_login(self.volunteer)
        self.client.post(reverse("aid:need_release", args=[need.code]), {"confirm": "yes"})
        self.assertFalse(ContactShare.objects.exists())
        self.assertNotContains(self.page(need, self.volunteer), PHONE)
        wanda = make_member("wanda", area=self.north)
        self.client.force_login(wanda)
        self.client.post(reverse("aid:need_claim", args=[need.code]))
        page = self.page(need, wanda)
        self.assertContains(page, "Private details")  # she is the claimant now
        self.assertNotContains(page, PHONE)

    def test_the_claimant_loses_it_when_the_need_closes(self):
        need = self.claimed_need()
        self.share(need)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        self.assertContains(self.page(need, self.volunteer), PHONE)
        self.client.force_login(self.requester)
        self.client.post(reverse("aid:need_confirm", args=[need.code]))
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.CLOSED)
        self.assertNotContains(self.page(need, self.volunteer), PHONE, status_code=200)
        self.assertNotContains(self.page(need, self.requester), PHONE)

    def test_it_refuses_bad_input_refills_it_and_changes_nothing(self):
        need = self.claimed_need()
        cases = {
            "no value": ({"kind": "phone", "value": ""}, "This field is required."),
            "a bad kind": ({"kind": "pigeon", "value": "x"}, "Select a valid choice."),
            "no kind": ({"value": PHONE}, "This field is required."),
            "a bad email": (
                {"kind": "email", "value": "rosa at home"},
                "That does not look like an email address.",
            ),
            "a bad phone": (
                {"kind": "phone", "value": "call me"},
                "That does not look like a phone number.",
            ),
            "an oversize value": (
                {"kind": "text", "value": "x" * 301},
                "Ensure this value has at most 300 characters (it has 301).",
            ),
        }
        before = counts()
        for case, (data, error) in cases.items():
            with self.subTest(case):
                response = self.post(need, self.requester, data)
                self.assertContains(response, error, status_code=422)
                self.assertContains(response, "Nothing was saved yet.", status_code=422)
                if data.get("value") and len(data["value"]) < 300:
                    self.assertContains(response, f'value="{data["value"]}"', status_code=422)
                self.assertEqual(counts(), before)

    def test_it_accepts_each_kind(self):
        need = self.claimed_need()
        for kind, value in (
            ("phone", "(555) 123-4567"),
            ("email", "rosa@example.org"),
            ("text", "Blue door by the bakery, 6pm"),
        ):
            with self.subTest(kind):
                self.share(need, value, kind)
                self.assertEqual(ContactShare.objects.get().value, value)

    def test_the_requester_of_an_open_need_is_told_why_and_nothing_changes(self):
        need = self.post_need()
        before = counts()
        self.share(need)
        page = self.client.get(reverse("aid:need", args=[need.code]))
        self.assertContains(page, "once a volunteer has taken this on")
        self.assertEqual(counts(), before)

    def test_the_claimant_and_organizers_cannot_share_or_unshare(self):
        need = self.claimed_need()
        self.share(need)
        before = counts()
        for member in (self.volunteer, self.organizer):
            with self.subTest(member.handle):
                data = {"kind": "phone", "value": "555 000 0000"}
                self.assertEqual(self.post(need, member, data).status_code, 403)
                self.assertEqual(self.post(need, member, stop=True).status_code, 403)
        self.assertEqual(counts(), before)
        self.assertEqual(ContactShare.objects.get().value, PHONE)

    def test_the_outsider_is_refused_and_nothing_changes(self):
        claimed = self.claimed_need()
        self.share(claimed)
        opened = self.post_need()
        before = counts()
        data = {"kind": "phone", "value": "555 000 0000"}
        self.assertEqual(self.post(claimed, self.outsider, data).status_code, 404)
        self.assertEqual(self.post(claimed, self.outsider, stop=True).status_code, 404)
        self.assertEqual(self.post(opened, self.outsider, data).status_code, 403)
        self.assertEqual(self.post(opened, self.outsider, stop=True).status_code, 403)
        self.assertEqual(counts(), before)

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        need = self.claimed_need()
        for name in ("aid:need_contact_share", "aid:need_contact_unshare"):
            url = reverse(name, args=[need.code])
            response = self.client.post(url, {"kind": "phone", "value": PHONE})
            self.assertRedirects(response, f"{reverse('accounts:login')}?next={url}")
        self.assertFalse(ContactShare.objects.exists())

    def test_they_answer_only_post(self):
        need = self.claimed_need()
        self.client.force_login(self.requester)
        for name in ("aid:need_contact_share", "aid:need_contact_unshare"):
            self.assertEqual(self.client.get(reverse(name, args=[need.code])).status_code, 405)

    def test_the_page_with_a_contact_costs_the_same_however_long_the_talk(self):
        need = self.claimed_need()
        self.share(need)
        claim = need.claims.get()
        url = reverse("aid:need", args=[need.code])
        self.client.force_login(self.volunteer)
        self.client.get(url)

        def add(count):
            now = timezone.now()
            Message.objects.bulk_create(
                Message(claim=claim, sender=self.requester, body=f"Note {i}", created_at=now)
                for i in range(count)
            )
            TimelineEvent.objects.bulk_create(
                TimelineEvent(need=need, claim=claim, actor=self.requester, kind="message_sent")
                for _ in range(count)
            )

        add(3)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        add(27)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, PHONE)
        self.assertEqual(len(many), len(few))
