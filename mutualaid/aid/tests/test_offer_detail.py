"""An offer's page: open offers for every member; the rest for their offerer and organizers."""

import uuid

from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import OfferKind, OfferStatus
from mutualaid.test import BaseTestCase


class OfferDetailTestCase(BaseTestCase):
    def setUp(self):
        self.offer = services.offer_post(
            offerer=self.volunteer,
            categories=[self.groceries],
            areas=[self.north, self.central],
            summary="Big weekly shop",
            kind=OfferKind.ONE_OFF,
            available_days=[5],
        )
        self.url = reverse("aid:offer", args=[self.offer.code])

    def page(self, member):
        self.client.force_login(member)
        return self.client.get(self.url)

    def given_offer(self):
        """The one-off offer, taken up for a need that is then closed: spent."""
        need = self.post_need()
        services.need_match_offer(need=need, offer=self.offer, member=self.requester)
        services.need_proposal_accept(need=need, member=self.volunteer)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, OfferStatus.MATCHED)

    def test_it_sends_an_anonymous_visitor_to_log_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")

    def test_any_member_sees_an_open_offer(self):
        response = self.page(self.outsider)
        self.assertContains(response, "Big weekly shop")
        self.assertContains(response, "Groceries")
        self.assertContains(response, "Central, Northside")
        self.assertContains(response, "<dd>Saturday</dd>", html=False)
        self.assertNotContains(response, "Withdraw this offer")

    def test_the_outsider_gets_404_for_a_withdrawn_offer(self):
        services.offer_withdraw(offer=self.offer, member=self.volunteer)
        response = self.page(self.outsider)
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Big weekly shop", status_code=404)

    def test_the_outsider_gets_404_for_an_offer_already_given(self):
        self.given_offer()
        self.assertEqual(self.page(self.outsider).status_code, 404)

    def test_the_offerer_and_organizers_still_see_a_withdrawn_offer(self):
        services.offer_withdraw(offer=self.offer, member=self.volunteer)
        for member in (self.volunteer, self.organizer):
            with self.subTest(member=member.handle):
                response = self.page(member)
                self.assertContains(response, "Big weekly shop")
                self.assertContains(response, "Withdrawn")
                self.assertNotContains(response, "Withdraw this offer")

    def test_the_offerer_may_withdraw_an_open_offer(self):
        response = self.page(self.volunteer)
        self.assertContains(response, "Withdraw this offer")
        self.assertContains(response, reverse("aid:offer_withdraw", args=[self.offer.code]))

    def test_a_member_with_a_need_it_could_meet_is_offered_to_take_it_up(self):
        need = self.post_need(summary="Nappies and formula")
        self.post_need(summary="A lift to the clinic", category=self.rides)
        response = self.page(self.requester)
        self.assertContains(response, "Take up this offer")
        self.assertContains(response, f'value="{need.code}"')
        self.assertContains(response, "Nappies and formula")
        self.assertNotContains(response, "A lift to the clinic")

    def test_a_member_without_such_a_need_is_told_how_to_take_it_up(self):
        response = self.page(self.outsider)
        self.assertNotContains(response, "Take up this offer")
        self.assertContains(response, "first post a need of the same kind")

    def test_the_outsider_never_sees_another_members_needs_in_the_match_form(self):
        self.post_need(summary="Nappies and formula")
        response = self.page(self.outsider)
        self.assertNotContains(response, "Nappies and formula")

    def test_an_unknown_code_or_an_integer_id_gives_404(self):
        self.client.force_login(self.requester)
        missing = reverse("aid:offer", args=[uuid.uuid4()])
        self.assertEqual(self.client.get(missing).status_code, 404)
        self.assertEqual(self.client.get(f"/offers/{self.offer.pk}/").status_code, 404)

    def test_it_answers_only_get(self):
        self.client.force_login(self.volunteer)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_the_requester_who_took_up_a_given_offer_still_sees_it(self):
        need = self.post_need()
        services.need_match_offer(need=need, offer=self.offer, member=self.requester)
        services.need_proposal_accept(need=need, member=self.volunteer)
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        self.offer.refresh_from_db()
        self.assertEqual(self.offer.status, "matched")
        self.assertEqual(self.page(self.requester).status_code, 200)
        self.assertEqual(self.page(self.outsider).status_code, 404)
