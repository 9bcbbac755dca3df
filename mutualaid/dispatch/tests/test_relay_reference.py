"""A new reference code for a caller, from their relay page: organizers who take calls confirm
what it does, get the code once on the page that answers (never in an address, never kept by a
cache), and the old code stops working. Callers an import recorded, whose code nobody ever saw,
are given one the same way."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import LOG_WATCH
from mutualaid.accounts import services as accounts
from mutualaid.accounts.models import ProxyChange, ProxyContact
from mutualaid.aid.models import Need, Urgency
from mutualaid.dispatch import intake
from mutualaid.lib.refusal import Refusal
from mutualaid.spreadsheets.tests.base import (
    FORM_HEADERS,
    LOOKUP,
    ImportTestCase,
    csv_text,
    form_row,
)
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role

NEW_PASSWORD = "a long new password 42"  # noqa: S105
CONFIRM = {"checked": "on"}


class NewReferenceTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        need, self.old = intake.need_take_in(
            organizer=self.organizer,
            category=self.groceries,
            area=self.north,
            summary="Groceries for an older neighbor",
            urgency=Urgency.SOON,
            contact_kind="phone",
            contact="415 555 2671",
            consent=True,
        )
        self.caller = need.requester
        self.url = reverse("dispatch:relay_reference", args=[self.caller.code])

    def hash_now(self):
        return ProxyContact.objects.get(member=self.caller).reference_hash

    def test_the_door_in_dispatch_refuses_organizers_who_take_no_calls(self):
        for member in (self.volunteer, make_member("adm", roles=[Role.ADMIN])):
            with self.subTest(member.handle), self.assertRaises(Refusal) as refusal:
                intake.caller_new_reference(organizer=member, caller=self.caller.proxy)
            self.assertEqual(refusal.exception.code, "forbidden")
        new = intake.caller_new_reference(organizer=self.organizer, caller=self.caller.proxy)
        self.assertEqual(intake.relayed_caller(new).member, self.caller)
        with self.assertRaises(Refusal):
            intake.relayed_caller(self.old)

    def test_visitors_log_in_and_members_without_the_capability_are_refused(self):
        before = self.hash_now()
        for method, data in (("get", {}), ("post", CONFIRM)):
            self.client.logout()
            response = getattr(self.client, method)(self.url, data)
            self.assertRedirects(
                response,
                f"{reverse('accounts:login')}?next={self.url}",
                fetch_redirect_response=False,
            )
            for member in (
                self.outsider,
                self.volunteer,
                self.caller,
                make_member(f"new-{method}", level=Level.NEWCOMER),
                make_member(f"saf-{method}", roles=[Role.SAFETY]),
                make_member(f"adm-{method}", roles=[Role.ADMIN]),
            ):
                self.client.force_login(member)
                with self.subTest(method=method, member=member.handle):
                    self.assertEqual(getattr(self.client, method)(self.url, data).status_code, 403)
        self.assertEqual(self.hash_now(), before)
        self.assertFalse(ProxyChange.objects.exists())

    def test_the_callers_page_leads_to_it(self):
        self.client.force_login(self.organizer)
        page = self.client.get(reverse("dispatch:relay_caller", args=[self.caller.code]))
        self.assertContains(page, f'href="{self.url}"')

    def test_the_page_says_what_happens_and_changes_nothing(self):
        self.client.force_login(make_member("dex", roles=[Role.DISPATCHER]))
        before = self.hash_now()

        page = self.client.get(self.url)

        self.assertContains(page, "The old code stops working.")
        self.assertContains(page, 'method="post"')
        self.assertContains(page, "csrfmiddlewaretoken")
        self.assertEqual(self.hash_now(), before)
        self.assertFalse(ProxyChange.objects.exists())

    def test_an_intake_organizer_gets_the_code_once_and_the_old_one_stops_working(self):
        dispatcher = make_member("dex", roles=[Role.DISPATCHER])
        self.client.force_login(dispatcher)

        response = self.client.post(self.url, CONFIRM)

        self.assertEqual(response.status_code, 200)  # the code is on this page: no redirect
        new = response.context["reference"]
        self.assertContains(response, new)
        self.assertContains(response, "Their old code no longer works.")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn(new, response.wsgi_request.get_full_path())
        self.assertNotIn(new, str(dict(self.client.session)))
        self.assertEqual(list(response.context["messages"]), [])
        self.assertEqual([line for line in LOG_WATCH.lines if new in line], [])
        change = ProxyChange.objects.get()
        self.assertEqual((change.actor, change.proxy.member), (dispatcher, self.caller))
        # Shown once: the page again asks first, and shows no code.
        self.assertNotContains(self.client.get(self.url), new)

        self.client.logout()
        take_over = reverse("accounts:take_over")
        refused = self.client.post(take_over, {"reference": self.old, "password": NEW_PASSWORD})
        self.assertEqual(refused.status_code, 422)
        taken = self.client.post(take_over, {"reference": new, "password": NEW_PASSWORD})
        self.assertRedirects(taken, reverse("aid:my_needs"), fetch_redirect_response=False)
        self.assertFalse(ProxyContact.objects.get(member=self.caller).is_relayed())

    def test_it_asks_to_confirm_first(self):
        self.client.force_login(self.organizer)
        before = self.hash_now()

        response = self.client.post(self.url, {})

        self.assertContains(response, "Make sure it is them first", status_code=422)
        self.assertNotIn("reference", response.context)
        self.assertEqual(self.hash_now(), before)
        self.assertFalse(ProxyChange.objects.exists())

    def test_a_caller_who_took_over_or_any_other_member_is_not_found(self):
        self.client.force_login(self.organizer)
        for member in (self.requester, self.organizer):
            url = reverse("dispatch:relay_reference", args=[member.code])
            self.assertEqual(self.client.post(url, CONFIRM).status_code, 404)
        accounts.proxy_take_over(code=self.old, password=NEW_PASSWORD)
        before = self.hash_now()
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, CONFIRM).status_code, 404)
        self.assertEqual(self.hash_now(), before)
        self.assertFalse(ProxyChange.objects.exists())

    @override_settings(RATE_LIMITS={"new-references": (2, 3600)})
    def test_it_is_rate_limited(self):
        self.client.force_login(self.organizer)
        self.client.post(self.url, CONFIRM)
        last = self.client.post(self.url, CONFIRM).context["reference"]

        response = self.client.post(self.url, CONFIRM)

        self.assertEqual(response.status_code, 429)
        self.assertEqual(accounts.proxy_by_reference(last).member, self.caller)
        self.assertEqual(ProxyChange.objects.count(), 2)

    def test_the_page_lists_codes_given_before_in_a_fixed_number_of_queries(self):
        self.client.force_login(self.organizer)
        intake.caller_new_reference(organizer=self.organizer, caller=self.caller.proxy)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for n in range(6):
            organizer = make_member(f"dex{n}", roles=[Role.DISPATCHER])
            intake.caller_new_reference(organizer=organizer, caller=self.caller.proxy)
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(self.url)

        self.assertEqual(len(page.context["changes"]), 5)  # the latest five
        self.assertContains(page, "by dex5")
        self.assertNotContains(page, "by olga")
        self.assertEqual(len(many), len(few))


class ImportedCallerTestCase(ImportTestCase):
    def test_a_caller_an_import_recorded_is_given_a_code_to_take_over_with(self):
        rows = [FORM_HEADERS, form_row(0, phone="(415) 555-2671")]
        report = self.run_import("needs", csv_text(rows), lookup=LOOKUP)
        self.assertEqual(report.imported, 1)
        proxy = ProxyContact.objects.get()
        self.assertTrue(Need.objects.filter(requester=proxy.member).exists())
        url = reverse("dispatch:relay_reference", args=[proxy.member.code])
        self.client.force_login(self.dispatcher)  # who ran the import

        page = self.client.get(reverse("dispatch:relay_caller", args=[proxy.member.code]))
        self.assertContains(page, f'href="{url}"')
        response = self.client.post(url, CONFIRM)

        new = response.context["reference"]
        self.assertContains(response, new)
        self.assertEqual(ProxyChange.objects.get().actor, self.dispatcher)
        self.client.logout()
        taken = self.client.post(
            reverse("accounts:take_over"), {"reference": new, "password": NEW_PASSWORD}
        )
        self.assertRedirects(taken, reverse("aid:my_needs"), fetch_redirect_response=False)
        proxy.refresh_from_db()
        self.assertFalse(proxy.is_relayed())
