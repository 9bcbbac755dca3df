"""Proxy intake: an organizer who takes calls records a need for a neighbor without an account,
in one transaction, with the caller's consent, and reads back a reference code."""

from django.urls import reverse

from mutualaid.accounts.models import ContactKind, Member, ProxyContact
from mutualaid.accounts.services import reference_digest
from mutualaid.aid.models import EventKind, Need, NeedStatus, Urgency, Visibility
from mutualaid.dispatch import intake
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, changes_nothing, make_member
from mutualaid.trust import services as trust_services
from mutualaid.trust.models import Level, Role


def take_in(test, organizer=None, **fields):
    values = {
        "organizer": organizer or test.organizer,
        "category": test.groceries,
        "area": test.north,
        "summary": "Groceries for an older neighbor",
        "details": "Third floor, no lift.",
        "urgency": Urgency.SOON,
        "handle": "",
        "contact_kind": ContactKind.PHONE,
        "contact": "415 555 2671",
        "consent": True,
    }
    values.update(fields)
    return intake.need_take_in(**values)


class NeedTakeInTestCase(BaseTestCase):
    def test_it_records_the_need_for_a_new_caller(self):
        need, code = take_in(self, visibility=Visibility.ORGANIZERS)

        caller = need.requester
        self.assertEqual(caller.proxy.taken_by, self.organizer)
        self.assertEqual(caller.proxy.reference_hash, reference_digest(code))
        self.assertEqual(caller.home_area, self.north)
        self.assertEqual(caller.level, Level.NEWCOMER)
        self.assertFalse(caller.has_usable_password())
        self.assertEqual(need.status, NeedStatus.OPEN)
        self.assertEqual(need.visibility, Visibility.ORGANIZERS)
        kinds = list(need.events.order_by("pk").values_list("kind", "actor"))
        self.assertEqual(
            kinds,
            [(EventKind.NEED_POSTED, caller.pk), (EventKind.NEED_TAKEN_IN, self.organizer.pk)],
        )

    def test_a_second_need_shares_the_caller(self):
        first, code = take_in(self)
        by_code = intake.relayed_caller(code.lower())

        second, again = take_in(self, caller=by_code, summary="A ride to the clinic")

        self.assertEqual(again, "")
        self.assertEqual(second.requester, first.requester)
        self.assertEqual(ProxyContact.objects.count(), 1)

    def test_it_follows_triage_first(self):
        NetworkSettings.objects.filter(pk=NetworkSettings.load().pk).update(triage_first=True)
        need, _code = take_in(self)
        self.assertEqual(need.status, NeedStatus.TRIAGE)

    def test_a_busy_line_is_not_throttled_as_a_newcomer(self):
        first, code = take_in(self)
        caller = intake.relayed_caller(code)
        for n in range(8):  # above the newcomers' 5 a day
            take_in(self, caller=caller, summary=f"Groceries, week {n}")
        self.assertEqual(Need.objects.filter(requester=first.requester).count(), 9)

    def test_each_refusal_leaves_no_caller_behind(self):
        cases = [
            {"summary": "Call Maria at 415 555 2671"},  # the doxxing guard
            {"consent": False},
            {"contact": "not a number"},
            {"urgency": "yesterday"},
            {"handle": "vic"},
        ]
        for change in cases:
            with self.subTest(change), changes_nothing(self), self.assertRaises(Refusal):
                take_in(self, **change)
        self.assertFalse(ProxyContact.objects.exists())
        self.assertEqual(Member.objects.count(), 4)

    def test_a_caller_never_becomes_a_volunteer(self):
        need, _code = take_in(self)
        caller = need.requester
        with self.assertRaises(Refusal):
            trust_services.vouch_give(voucher=self.volunteer, vouchee=caller, note="A neighbor")
        with self.assertRaises(Refusal):
            trust_services.member_approve(member=caller, by=self.organizer)
        caller.refresh_from_db()
        self.assertEqual(caller.level, Level.NEWCOMER)
        self.assertIsNone(caller.approved_at)
        self.assertFalse(self.post_need().can_claim(caller))

    def test_only_organizers_who_take_calls(self):
        for member in (
            self.outsider,
            make_member("saf", roles=[Role.SAFETY]),
            make_member("adm", roles=[Role.ADMIN]),
        ):
            with self.subTest(member.handle), changes_nothing(self), self.assertRaises(Refusal):
                take_in(self, organizer=member)
        self.assertFalse(ProxyContact.objects.exists())

    def test_a_caller_who_took_over_is_no_longer_relayed(self):
        from mutualaid.accounts.services import proxy_take_over

        need, code = take_in(self)
        caller = ProxyContact.objects.get(member=need.requester)
        proxy_take_over(code=code, password="a long new password 42")
        caller.refresh_from_db()
        with self.assertRaises(Refusal):
            intake.relayed_caller(code)
        with self.assertRaises(Refusal):
            take_in(self, caller=caller)


    def test_a_caller_is_not_a_newcomer_waiting_for_a_vouch_until_they_take_over(self):
        from mutualaid.accounts.services import proxy_take_over
        from mutualaid.trust.selectors import newcomers_waiting

        newcomer = make_member("nell", level=Level.NEWCOMER)
        need, code = take_in(self)
        self.assertEqual(list(newcomers_waiting()), [newcomer])
        proxy_take_over(code=code, password="a long new password 42")
        self.assertEqual(set(newcomers_waiting()), {newcomer, need.requester})


class IntakePageTestCase(BaseTestCase):
    url = reverse("dispatch:intake")

    def form(self, **fields):
        data = {
            "contact_kind": ContactKind.PHONE,
            "contact": "415 555 2671",
            "consent": "on",
            "category": self.groceries.slug,
            "summary": "Groceries for an older neighbor",
            "area": self.north.code,
            "urgency": Urgency.SOON,
            "details": "Third floor, no lift.",
        }
        data.update(fields)
        return data

    def test_it_refuses_who_does_not_take_calls(self):
        self.assertRedirects(
            self.client.get(self.url), f"{reverse('accounts:login')}?next={self.url}"
        )
        for member in (
            self.outsider,
            make_member("new", level=Level.NEWCOMER),
            make_member("saf", roles=[Role.SAFETY]),
            make_member("adm", roles=[Role.ADMIN]),
        ):
            self.client.force_login(member)
            with self.subTest(member.handle):
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.client.post(self.url, self.form()).status_code, 403)
        self.assertFalse(Need.objects.exists())
        for role in (Role.TRIAGER, Role.DISPATCHER):
            self.client.force_login(make_member(f"{role[:4]}", roles=[role]))
            self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_it_records_and_shows_the_code_once(self):
        self.client.force_login(self.organizer)

        response = self.client.post(self.url, self.form(handle="maria-n"))

        need = Need.objects.get()
        done = reverse("dispatch:intake_done", args=[need.code])
        self.assertRedirects(response, done, fetch_redirect_response=False)
        page = self.client.get(done)
        code = page.context["reference"]
        self.assertEqual(need.requester.proxy.reference_hash, reference_digest(code))
        self.assertContains(page, code)
        self.assertContains(page, "maria-n")
        again = self.client.get(done)
        self.assertEqual(again.context["reference"], "")
        self.assertNotContains(again, code)

    def test_a_known_caller_by_reference_or_from_the_list(self):
        self.client.force_login(self.organizer)
        self.client.post(self.url, self.form())
        first = Need.objects.get()
        code = self.client.get(reverse("dispatch:intake_done", args=[first.code])).context[
            "reference"
        ]
        caller = first.requester

        self.client.post(self.url, self.form(reference=code, summary="A ride", contact=""))
        picked = self.client.get(self.url, {"caller": caller.code})
        self.assertEqual(picked.context["form"].initial["caller"], str(caller.code))
        self.client.post(self.url, self.form(caller=caller.code, summary="Soup", contact=""))

        self.assertEqual(Need.objects.filter(requester=caller).count(), 3)
        self.assertEqual(ProxyContact.objects.count(), 1)

    def test_refusals_are_shown_on_their_fields_and_change_nothing(self):
        self.client.force_login(self.organizer)
        for change, field in (
            ({"consent": ""}, "consent"),
            ({"contact": "12"}, "contact"),
            ({"summary": "Call 415 555 2671 for Maria"}, "summary"),
            ({"reference": "ZZZZ-ZZZZ"}, "reference"),
        ):
            with self.subTest(field), changes_nothing(self):
                response = self.client.post(self.url, self.form(**change))
                self.assertEqual(response.status_code, 422)
                self.assertTrue(
                    response.context["form"].errors.get(field), response.context["form"].errors
                )
        self.assertFalse(ProxyContact.objects.exists())
