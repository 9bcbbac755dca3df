"""Anonymous needs: the requester's handle is for organizers only, everywhere it would appear."""

import re

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualaid.aid import selectors, services
from mutualaid.aid.models import EventKind, Message, Need, OfferKind, TimelineEvent
from mutualaid.test import BaseTestCase

HIDDEN = "The requester (anonymous)"


class AnonymousNeedTestCase(BaseTestCase):
    def anonymous_need(self, **fields):
        return self.post_need(anonymous=True, **fields)

    def get(self, member, url):
        self.client.force_login(member)
        return self.client.get(url)

    def page(self, need, member):
        return self.get(member, reverse("aid:need", args=[need.code]))

    def assertHandleAbsent(self, response, member=None):
        """The handle as a word: "rosa" could be inside another word."""
        handle = (member or self.requester).handle
        found = re.search(rf"\b{re.escape(handle)}\b", response.content.decode())
        self.assertIsNone(found, f"{handle} is shown")

    def talked_need(self):
        need = self.anonymous_need()
        services.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        services.message_send(need=need, sender=self.requester, body="The code is 4711")
        services.message_send(need=need, sender=self.volunteer, body="On my way")
        return need

    # Posting one

    def test_the_form_offers_the_choice_and_posts_it(self):
        self.client.force_login(self.requester)
        url = reverse("aid:need_new")
        self.assertContains(
            self.client.get(url), "Hide my handle: only organizers will know it was me"
        )
        self.client.post(
            url,
            {
                "category": "groceries",
                "summary": "Nappies, size 4",
                "area": str(self.north.code),
                "urgency": "soon",
                "anonymous": "on",
            },
        )
        need = Need.objects.get()
        self.assertTrue(need.anonymous)
        self.assertEqual(need.requester, self.requester)

    def test_a_need_is_not_anonymous_unless_asked(self):
        self.assertFalse(self.post_need().anonymous)

    # The need's page

    def test_the_claimant_sees_neither_the_handle_in_the_header_timeline_nor_messages(self):
        need = self.talked_need()
        response = self.page(need, self.volunteer)
        self.assertContains(response, "The code is 4711")
        self.assertContains(response, "anonymously")
        self.assertContains(response, f"{HIDDEN} posted the need")
        self.assertContains(response, f"{HIDDEN} sent a message")
        self.assertContains(response, f'<p class="who">{HIDDEN} · ')
        self.assertContains(response, "You sent a message")
        self.assertHandleAbsent(response)

    def test_the_requester_sees_you_and_is_reminded_it_is_anonymous(self):
        need = self.talked_need()
        response = self.page(need, self.requester)
        self.assertContains(response, "by you, anonymously: only organizers know it was you")
        self.assertContains(response, "You posted the need")
        self.assertContains(response, self.volunteer.handle)
        self.assertNotContains(response, HIDDEN)

    def test_organizers_see_the_handle_and_that_it_is_anonymous(self):
        need = self.talked_need()
        response = self.page(need, self.organizer)
        self.assertContains(response, "by rosa (anonymously: only organizers see who)")
        self.assertContains(response, "rosa posted the need")
        self.assertContains(response, '<p class="who">rosa · ')
        self.assertNotContains(response, HIDDEN)

    def test_other_members_see_no_handle_on_an_open_anonymous_need(self):
        need = self.anonymous_need()
        for member in (self.outsider, self.volunteer):
            with self.subTest(member.handle):
                response = self.page(need, member)
                self.assertContains(response, need.summary)
                self.assertHandleAbsent(response)

    def test_the_outsider_gets_404_once_it_is_claimed(self):
        need = self.talked_need()
        self.assertEqual(self.page(need, self.outsider).status_code, 404)

    def test_a_volunteer_matched_by_an_organizer_does_not_learn_the_handle(self):
        need = self.anonymous_need()
        self.client.force_login(self.organizer)
        self.client.post(reverse("aid:need_assign", args=[need.code]), {"handle": "vic"})
        self.assertHandleAbsent(self.page(need, self.volunteer))  # asked, not answered yet
        services.need_proposal_accept(need=need, member=self.volunteer)
        response = self.page(need, self.volunteer)
        self.assertContains(response, "olga matched the need with a volunteer")
        self.assertHandleAbsent(response)

    def test_an_htmx_panel_hides_it_too(self):
        need = self.talked_need()
        self.client.force_login(self.volunteer)
        response = self.client.post(
            reverse("aid:need_message", args=[need.code]),
            {"body": "Five minutes", "claim": str(need.claims.get().code)},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, HIDDEN)
        self.assertHandleAbsent(response)

    def test_an_ordinary_need_still_shows_the_handle_to_its_claimant(self):
        need = self.claimed_need()
        services.message_send(need=need, sender=self.requester, body="Hello")
        response = self.page(need, self.volunteer)
        self.assertContains(response, "by rosa")
        self.assertContains(response, "rosa posted the need")
        self.assertNotContains(response, HIDDEN)

    # Every other place

    def test_my_claims_and_the_board_show_no_handle(self):
        need = self.talked_need()
        self.assertHandleAbsent(self.get(self.volunteer, reverse("aid:my_claims")))
        self.anonymous_need(summary="Still open")
        board = self.get(self.volunteer, reverse("aid:board") + "?area=")
        self.assertContains(board, "Still open")
        self.assertHandleAbsent(board)
        self.assertContains(self.page(need, self.volunteer), need.summary)

    def test_the_offerer_does_not_learn_who_took_up_their_offer(self):
        offer = services.offer_post(
            offerer=self.volunteer,
            categories=[self.groceries],
            areas=[self.north],
            summary="Big weekly shop",
            kind=OfferKind.ONE_OFF,
        )
        need = self.anonymous_need()
        self.client.force_login(self.requester)
        response = self.client.post(
            reverse("aid:offer_match", args=[offer.code]), {"need": str(need.code)}
        )
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn(
            "Asked vic. Once they accept, you can write to them on your need's page.", flashed
        )
        self.assertHandleAbsent(self.get(self.volunteer, reverse("aid:need", args=[need.code])))
        services.need_proposal_accept(need=need, member=self.volunteer)
        need.refresh_from_db()
        services.need_mark_fulfilled(need=need, member=self.volunteer)
        services.need_confirm(need=need, member=self.requester)
        offer_page = self.get(self.volunteer, reverse("aid:offer", args=[offer.code]))
        self.assertContains(offer_page, f"{HIDDEN} matched the need to an offer")
        self.assertContains(offer_page, f"{HIDDEN} confirmed the offer was given")
        self.assertHandleAbsent(offer_page)
        organizer_page = self.get(self.organizer, reverse("aid:offer", args=[offer.code]))
        self.assertContains(organizer_page, "rosa matched the need to an offer")
        requester_page = self.get(self.requester, reverse("aid:offer", args=[offer.code]))
        self.assertContains(requester_page, "You matched the need to an offer")

    def test_the_need_page_costs_the_same_however_long_its_story(self):
        need = self.talked_need()
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
                TimelineEvent(
                    need=need, claim=claim, actor=self.requester, kind=EventKind.MESSAGE_SENT
                )
                for _ in range(count)
            )

        add(3)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        add(27)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "Note 26")
        self.assertHandleAbsent(response)
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])


class ShownNameTestCase(BaseTestCase):
    def test_the_one_rule(self):
        anonymous = self.post_need(anonymous=True)
        ordinary = self.post_need()
        rosa, vic, olga = self.requester, self.volunteer, self.organizer
        cases = [
            # (member, need, viewer, names, shown)
            (rosa, anonymous, rosa, True, "You"),
            (rosa, anonymous, vic, True, HIDDEN),
            (rosa, anonymous, vic, False, HIDDEN),
            (rosa, anonymous, olga, True, "rosa"),
            (rosa, anonymous, olga, False, "rosa"),
            (vic, anonymous, rosa, True, "vic"),
            (rosa, ordinary, vic, True, "rosa"),
            (rosa, ordinary, vic, False, "A neighbor"),
            (rosa, None, vic, True, "rosa"),
            (None, anonymous, vic, True, "A former member"),
            (rosa, anonymous, AnonymousUser(), True, HIDDEN),
        ]
        for member, need, viewer, names, shown in cases:
            with self.subTest(member=member, need=need and need.anonymous, viewer=viewer):
                self.assertEqual(
                    selectors.shown_name(member, need=need, viewer=viewer, names=names), shown
                )
