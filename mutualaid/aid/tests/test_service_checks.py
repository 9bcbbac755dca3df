"""Rules the pages' forms check, met in the services too, so that an API call or an import meets
them (the one door): a need's private details' length, a shared contact's kind and form, and the
offers' refusals with their codes."""

from mutualaid.aid import services
from mutualaid.aid.models import CONTACT_MAX, DETAILS_MAX, ContactKind
from mutualaid.lib.refusal import Refusal
from mutualaid.test import BaseTestCase, changes_nothing


class ServiceChecksTestCase(BaseTestCase):
    def refused(self, code, act):
        with changes_nothing(self), self.assertRaises(Refusal) as refusal:
            act()
        self.assertEqual(refusal.exception.code, code)
        return refusal.exception

    def test_private_details_are_kept_to_their_length(self):
        refusal = self.refused("too_long", lambda: self.post_need(details="x" * (DETAILS_MAX + 1)))
        self.assertEqual(refusal.extra["field"], "details")
        need = self.post_need(details="x" * DETAILS_MAX)
        self.refused(
            "too_long",
            lambda: services.need_edit(
                need=need, member=self.requester, details="y" * (DETAILS_MAX + 1)
            ),
        )

    def test_a_shared_contact_is_what_its_kind_says(self):
        need = self.claimed_need()

        def share(kind, value):
            return lambda: services.contact_share(
                need=need, member=self.requester, kind=kind, value=value
            )

        self.refused("invalid", share("pigeon", "the roof"))
        self.refused("empty", share(ContactKind.TEXT, "   "))
        self.refused("too_long", share(ContactKind.TEXT, "x" * (CONTACT_MAX + 1)))
        self.refused("invalid", share(ContactKind.EMAIL, "not an address"))
        self.refused("invalid", share(ContactKind.PHONE, "call me maybe"))
        shared = share(ContactKind.PHONE, " +1 (555) 010-0100 ")()
        self.assertEqual(shared.value, "+1 (555) 010-0100")

    def test_who_may_share_and_when_keep_their_codes(self):
        need = self.claimed_need()
        self.refused(
            "forbidden",
            lambda: services.contact_share(
                need=need, member=self.volunteer, kind=ContactKind.TEXT, value="At the shop"
            ),
        )
        open_need = self.post_need()
        self.refused(
            "stale",
            lambda: services.contact_share(
                need=open_need, member=self.requester, kind=ContactKind.TEXT, value="At the shop"
            ),
        )

    def test_the_offers_refusals_have_codes(self):
        offer = self.post_offer()
        need = self.post_need()
        self.refused(
            "forbidden", lambda: services.offer_withdraw(offer=offer, member=self.outsider)
        )
        self.refused(
            "forbidden",
            lambda: services.need_match_offer(need=need, offer=offer, member=self.outsider),
        )
        own = self.post_need(requester=self.volunteer)
        self.refused(
            "own_offer",
            lambda: services.need_match_offer(need=own, offer=offer, member=self.volunteer),
        )
        ride = self.post_need(category=self.rides)
        self.refused(
            "invalid",
            lambda: services.need_match_offer(need=ride, offer=offer, member=self.requester),
        )
        services.need_match_offer(need=need, offer=offer, member=self.requester)
        other = self.post_need(summary="More groceries")
        self.refused(
            "taken",
            lambda: services.need_match_offer(need=other, offer=offer, member=self.requester),
        )
        services.offer_withdraw(offer=offer, member=self.volunteer)
        self.refused("stale", lambda: services.offer_withdraw(offer=offer, member=self.volunteer))
