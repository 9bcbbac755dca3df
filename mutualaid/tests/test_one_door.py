"""The one door: every rule that protects a person is met in the service, so a form, an import,
an API call and a background job get the same answer. Each rule is proven here at the service,
with no page in between."""

from django.core.cache import cache
from django.test import override_settings

from mutualaid.accounts.models import Level, Role
from mutualaid.aid import services
from mutualaid.aid.models import Need, Offer, OfferKind
from mutualaid.areas import services as area_services
from mutualaid.lib.refusal import Refusal
from mutualaid.safety import services as safety_services
from mutualaid.safety.models import Reason
from mutualaid.test import BaseTestCase, changes_nothing, make_member
from mutualaid.trust import services as trust_services


class OneDoorTestCase(BaseTestCase):
    def setUp(self):
        cache.clear()

    def refused(self, code, act):
        with changes_nothing(self), self.assertRaises(Refusal) as refusal:
            act()
        self.assertEqual(refusal.exception.code, code)
        return refusal.exception

    def test_a_need_summary_meets_the_doxxing_guard_in_the_service(self):
        refusal = self.refused(
            "personal_details", lambda: self.post_need(summary="Call me on 555-123-4567")
        )
        self.assertIn("555-123-4567", str(refusal.message))
        self.assertFalse(Need.objects.exists())

    def test_length_is_checked_before_any_pattern(self):
        self.refused("too_long", lambda: self.post_need(summary="a." * 20_000))
        self.refused("empty", lambda: self.post_need(summary="   "))

    def test_an_offer_summary_meets_the_guard_too(self):
        self.refused("personal_details", lambda: self.post_offer(summary="Write to me at a@b.org"))
        self.assertFalse(Offer.objects.exists())

    def test_an_area_and_a_kind_of_help_are_named_through_the_guard(self):
        admin = make_member("ada", roles=[Role.ADMIN])
        with self.assertRaises(Refusal) as refusal:
            area_services.area_save(name="12 Elm Street", parent=None, neighbors=[], by=admin)
        self.assertEqual(refusal.exception.code, "personal_details")
        with self.assertRaises(Refusal) as refusal:
            services.category_add(name="Call 555-123-4567", by=admin)
        self.assertEqual(refusal.exception.code, "personal_details")

    @override_settings(RATE_LIMITS={"newcomer-posts": (2, 3600)})
    def test_a_newcomers_posts_are_limited_in_the_service(self):
        newt = make_member("newt", level=Level.NEWCOMER)
        self.post_need(requester=newt)
        self.post_offer(offerer=newt, kind=OfferKind.ONGOING)
        refusal = self.refused("rate_limited", lambda: self.post_need(requester=newt))
        self.assertGreater(refusal.retry_after, 0)
        self.post_need()  # a vouched member is free

    @override_settings(RATE_LIMITS={"messages": (1, 3600)})
    def test_messages_are_limited_in_the_service(self):
        need = self.claimed_need()
        services.message_send(need=need, sender=self.volunteer, body="On my way")
        self.refused(
            "rate_limited",
            lambda: services.message_send(need=need, sender=self.volunteer, body="Again"),
        )

    @override_settings(RATE_LIMITS={"reports": (1, 3600)})
    def test_reports_are_limited_in_the_service(self):
        need = self.post_need()
        safety_services.report_file(reporter=self.outsider, reason=Reason.SPAM, need=need)
        with self.assertRaises(Refusal) as refusal:
            safety_services.report_file(reporter=self.outsider, reason=Reason.SPAM, need=need)
        self.assertEqual(refusal.exception.code, "rate_limited")

    @override_settings(RATE_LIMITS={"vouches": (0 + 1, 3600)})
    def test_vouches_are_limited_in_the_service(self):
        first, second = (
            make_member("newa", level=Level.NEWCOMER),
            make_member("newb", level=Level.NEWCOMER),
        )
        trust_services.vouch_give(voucher=self.volunteer, vouchee=first, note="A neighbor")
        with self.assertRaises(Refusal) as refusal:
            trust_services.vouch_give(voucher=self.volunteer, vouchee=second, note="A neighbor")
        self.assertEqual(refusal.exception.code, "rate_limited")

    def test_a_message_too_long_or_empty_is_refused_in_the_service(self):
        need = self.claimed_need()
        self.refused(
            "too_long",
            lambda: services.message_send(need=need, sender=self.volunteer, body="x" * 2001),
        )
        self.refused(
            "empty", lambda: services.message_send(need=need, sender=self.volunteer, body=" ")
        )
