"""Taking up an offer: a requester matches one of their own open needs to it."""

import uuid

from django.contrib.messages import get_messages
from django.urls import reverse

from mutualaid.aid import services
from mutualaid.aid.models import (
    EventKind,
    Need,
    NeedStatus,
    OfferKind,
)
from mutualaid.test import BaseTestCase, record_counts

NOT_YOURS = "Choose one of your open needs listed."


class OfferMatchTestCase(BaseTestCase):
    def setUp(self):
        self.offer = services.offer_post(
            offerer=self.volunteer,
            categories=[self.groceries],
            areas=[self.north],
            summary="Big weekly shop",
            kind=OfferKind.ONE_OFF,
        )
        self.url = reverse("aid:offer_match", args=[self.offer.code])

    def match(self, member, need_code):
        self.client.force_login(member)
        return self.client.post(self.url, {"need": str(need_code)})

    def assertInvalid(self, member, need_code, *, error=NOT_YOURS):
        before = record_counts()
        response = self.match(member, need_code)
        self.assertContains(response, error, status_code=422)
        self.assertEqual(record_counts(), before)
        return response

    def test_it_sends_an_anonymous_visitor_to_log_in_and_changes_nothing(self):
        need = self.post_need()
        response = self.client.post(self.url, {"need": str(need.code)})
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={self.url}")
        self.assertEqual(Need.objects.get().status, NeedStatus.OPEN)

    def test_the_requester_takes_up_the_offer_for_their_need(self):
        need = self.post_need()
        response = self.match(self.requester, need.code)
        self.assertRedirects(response, reverse("aid:need", args=[need.code]))
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn(f"Asked {self.volunteer.handle}. Once they accept", flashed[0])
        need.refresh_from_db()
        self.assertEqual((need.status, need.claimant), (NeedStatus.PROPOSED, None))
        proposal = need.proposals.get()
        self.assertEqual((proposal.offer, proposal.volunteer), (self.offer, self.volunteer))
        event = need.events.get(kind=EventKind.NEED_MATCHED)
        self.assertEqual((event.actor, event.offer), (self.requester, self.offer))
        services.need_proposal_accept(need=need, member=self.volunteer)
        claim = need.claims.get()
        self.assertEqual((claim.offer, claim.volunteer), (self.offer, self.volunteer))

    def test_the_outsider_cannot_match_someone_elses_need(self):
        need = self.post_need()
        self.post_need(requester=self.outsider, summary="My own groceries")
        response = self.assertInvalid(self.outsider, need.code)
        self.assertNotContains(response, need.summary, status_code=422)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_the_outsider_without_needs_is_told_why_too(self):
        need = self.post_need()
        self.assertInvalid(self.outsider, need.code)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_the_outsider_without_needs_changes_nothing(self):
        need = self.post_need()
        before = record_counts()
        response = self.match(self.outsider, need.code)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(record_counts(), before)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_the_outsider_gets_404_for_a_withdrawn_offer(self):
        need = self.post_need(requester=self.outsider)
        services.offer_withdraw(offer=self.offer, member=self.volunteer)
        before = record_counts()
        self.assertEqual(self.match(self.outsider, need.code).status_code, 404)
        self.assertEqual(record_counts(), before)

    def test_it_refuses_tampered_need_codes(self):
        self.post_need()
        cases = {
            "an unknown code": (uuid.uuid4(), NOT_YOURS),
            "no code": ("", "This field is required."),
            # The exact wording for these two is checked below.
            "an integer id": ("1", 'id="id_need_error"'),
            "not a code": ("not-a-code", 'id="id_need_error"'),
        }
        for case, (code, error) in cases.items():
            with self.subTest(case):
                response = self.assertInvalid(self.requester, code, error=error)
                self.assertContains(response, "Take up this offer", status_code=422)

    def test_a_code_that_is_not_a_uuid_gets_the_same_message_as_an_unknown_one(self):
        self.post_need()
        for code in ("1", "not-a-code"):
            with self.subTest(code=code):
                response = self.assertInvalid(self.requester, code)
                self.assertNotContains(response, "UUID", status_code=422)

    def test_it_refuses_a_need_of_another_kind(self):
        need = self.post_need(category=self.rides)
        self.post_need()  # one that would do, so that the form is shown
        self.assertInvalid(self.requester, need.code)
        self.assertEqual(Need.objects.get(pk=need.pk).status, NeedStatus.OPEN)

    def test_it_refuses_a_need_that_is_no_longer_open(self):
        need = self.claimed_need()
        self.post_need()
        self.assertInvalid(self.requester, need.code)
        self.assertEqual(Need.objects.get(pk=need.pk).claimant, self.volunteer)

    def test_the_offerer_cannot_take_up_their_own_offer(self):
        need = self.post_need(requester=self.volunteer)
        before = record_counts()
        response = self.match(self.volunteer, need.code)
        self.assertRedirects(
            response, reverse("aid:offer", args=[self.offer.code]), fetch_redirect_response=False
        )
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn("You cannot take up your own offer.", flashed)
        self.assertEqual(record_counts(), before)

    def test_it_answers_only_post(self):
        self.client.force_login(self.requester)
        self.assertEqual(self.client.get(self.url).status_code, 405)
