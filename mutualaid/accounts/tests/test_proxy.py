"""Neighbors without an account (proxy intake): their member row, their reference code, and how
they take their account over."""

from django.conf import settings
from django.contrib.auth import get_user
from django.urls import reverse

from mutualaid.accounts import services
from mutualaid.accounts.models import ContactKind, Delivery, Level, Member, ProxyContact
from mutualaid.aid import services as aid_services
from mutualaid.aid.models import Urgency
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase

NEW_PASSWORD = "a long new password 42"  # noqa: S105


def make_proxy(
    organizer, *, handle="", contact="(415) 555-2671", kind=ContactKind.PHONE, area=None
):
    return services.proxy_create(
        taken_by=organizer,
        handle=handle,
        contact_kind=kind,
        contact=contact,
        consent=True,
        region="US",
        home_area=area,
    )


class ProxyCreateTestCase(BaseTestCase):
    def test_it_makes_a_member_who_cannot_log_in_with_a_sealed_contact(self):
        member, code = make_proxy(self.organizer, area=self.north)

        member.refresh_from_db()
        self.assertTrue(member.handle.startswith("caller-"))
        self.assertFalse(member.has_usable_password())
        self.assertEqual(member.email, "")
        self.assertEqual(member.level, Level.NEWCOMER)
        self.assertEqual(member.home_area, self.north)
        proxy = member.proxy
        self.assertEqual(proxy.contact, "+14155552671")  # E.164, in the network's region
        self.assertEqual(proxy.taken_by, self.organizer)
        self.assertIsNotNone(proxy.consent_at)
        self.assertTrue(proxy.is_relayed())
        # The code is 8 signs read aloud; only its keyed hash is kept.
        self.assertRegex(code, r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
        self.assertNotIn(code.replace("-", ""), proxy.reference_hash.upper())
        self.assertEqual(proxy.reference_hash, services.reference_digest(code.lower()))
        self.assertFalse(self.client.login(username=member.handle, password=""))

    def test_it_keeps_a_pseudonym_given(self):
        member, _code = make_proxy(self.organizer, handle="maria-n")
        self.assertEqual(member.handle, "maria-n")

    def test_each_refusal_changes_nothing(self):
        cases = [
            ({"consent": False}, "consent"),
            ({"contact": "12"}, "contact"),
            ({"contact": ""}, "contact"),
            ({"contact_kind": ContactKind.EMAIL, "contact": "not an email"}, "contact"),
            ({"contact_kind": "pigeon"}, "invalid"),
            ({"handle": "rosa"}, "handle"),  # somebody's already
            ({"handle": "5551234567"}, "handle"),  # a phone number
        ]
        before = (Member.objects.count(), ProxyContact.objects.count())
        for change, code in cases:
            values = {
                "taken_by": self.organizer,
                "handle": "",
                "contact_kind": ContactKind.PHONE,
                "contact": "(415) 555-2671",
                "consent": True,
                "region": "US",
                **change,
            }
            with self.subTest(change), self.assertRaises(Refusal) as refused:
                services.proxy_create(**values)
            self.assertEqual(refused.exception.code, code)
        self.assertEqual((Member.objects.count(), ProxyContact.objects.count()), before)

    def test_other_ways_to_reach_them_are_kept_as_said(self):
        member, _code = make_proxy(
            self.organizer, kind=ContactKind.TEXT, contact="Leave word at the corner shop"
        )
        self.assertEqual(member.proxy.contact, "Leave word at the corner shop")


class ProxyDeliveriesTestCase(BaseTestCase):
    def test_a_caller_gets_no_email_or_chat_delivery(self):
        member, _code = make_proxy(self.organizer)
        need = aid_services.need_post(
            requester=member,
            category=self.groceries,
            area=self.north,
            summary="Groceries for two",
            urgency=Urgency.SOON,
        )
        aid_services.need_claim(need=need, member=self.volunteer)

        self.assertTrue(member.notices.filter(kind="need_claimed").exists())
        self.assertFalse(Delivery.objects.filter(notice__member=member).exists())


class ProxyTakeOverTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.member, self.code = make_proxy(self.organizer)

    def test_the_code_works_once(self):
        taken = services.proxy_take_over(
            code=self.code.lower().replace("-", " "), password=NEW_PASSWORD, email="m@example.org"
        )

        self.assertEqual(taken.pk, self.member.pk)
        taken.refresh_from_db()
        self.assertTrue(taken.check_password(NEW_PASSWORD))
        self.assertEqual(taken.email, "m@example.org")
        self.assertIsNotNone(taken.proxy.taken_over_at)
        self.assertNotEqual(taken.proxy.reference_hash, services.reference_digest(self.code))
        with self.assertRaises(Refusal):
            services.proxy_take_over(code=self.code, password="another long password 7")
        taken.refresh_from_db()
        self.assertTrue(taken.check_password(NEW_PASSWORD))

    def test_a_wrong_code_or_a_taken_handle_changes_nothing(self):
        before = list(Member.objects.values().order_by("pk"))
        for values in (
            {"code": "ZZZZ-ZZZZ"},
            {"code": ""},
            {"code": self.code, "handle": "rosa"},
        ):
            with self.subTest(values), self.assertRaises(Refusal):
                services.proxy_take_over(password=NEW_PASSWORD, **values)
        self.assertEqual(list(Member.objects.values().order_by("pk")), before)
        self.assertTrue(ProxyContact.objects.get(member=self.member).is_relayed())

    def test_they_may_choose_a_new_handle(self):
        taken = services.proxy_take_over(code=self.code, password=NEW_PASSWORD, handle="maria-n")
        self.assertEqual(Member.objects.get(pk=taken.pk).handle, "maria-n")


class TakeOverPageTestCase(BaseTestCase):
    url = reverse("accounts:take_over")

    def setUp(self):
        super().setUp()
        self.member, self.code = make_proxy(self.organizer)

    def test_it_logs_them_in_and_shows_their_needs(self):
        need = aid_services.need_post(
            requester=self.member,
            category=self.groceries,
            area=self.north,
            summary="Groceries for two",
            urgency=Urgency.SOON,
        )
        self.assertEqual(self.client.get(self.url).status_code, 200)

        response = self.client.post(
            self.url, {"reference": self.code, "password": NEW_PASSWORD, "handle": ""}
        )

        self.assertRedirects(response, reverse("aid:my_needs"))
        self.assertEqual(get_user(self.client).pk, self.member.pk)
        self.assertContains(self.client.get(reverse("aid:my_needs")), need.summary)

    def test_the_language_they_took_it_over_in_becomes_theirs(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        self.client.post(self.url, {"reference": self.code, "password": NEW_PASSWORD})
        self.member.refresh_from_db()
        self.assertEqual(self.member.language, "es")

    def test_a_wrong_code_says_so_and_changes_nothing(self):
        response = self.client.post(self.url, {"reference": "ZZZZ-ZZZZ", "password": NEW_PASSWORD})

        self.assertContains(response, "That reference code does not work", status_code=422)
        self.assertFalse(get_user(self.client).is_authenticated)
        self.assertTrue(ProxyContact.objects.get(member=self.member).is_relayed())

    def test_guessing_codes_is_rate_limited(self):
        for _attempt in range(30):  # settings.RATE_LIMITS["login-address"]
            self.client.post(self.url, {"reference": "ZZZZ-ZZZZ", "password": NEW_PASSWORD})

        response = self.client.post(self.url, {"reference": self.code, "password": NEW_PASSWORD})

        self.assertEqual(response.status_code, 429)
        self.assertTrue(ProxyContact.objects.get(member=self.member).is_relayed())

    def test_a_weak_password_is_refused(self):
        response = self.client.post(self.url, {"reference": self.code, "password": "short"})
        self.assertEqual(response.status_code, 422)
        self.assertTrue(ProxyContact.objects.get(member=self.member).is_relayed())
