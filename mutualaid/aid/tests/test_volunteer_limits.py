"""need_claim (and need_assign, need_match_offer through it) keep to a volunteer's limits."""

from datetime import UTC, datetime

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from mutualaid.accounts.models import Member
from mutualaid.aid import services
from mutualaid.aid.models import Need, NeedStatus, OfferKind
from mutualaid.lib.refusal import Refusal
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, changes_nothing

MONDAY_NOON = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
SUNDAY_NOON = datetime(2025, 3, 9, 12, 0, tzinfo=UTC)
# Sunday 23:30 in UTC is already Monday in Auckland.
SUNDAY_LATE_UTC = datetime(2025, 3, 9, 23, 30, tzinfo=UTC)
MONDAY, SATURDAY = 0, 5
AT_LIMIT = (
    "your limit. Finish or release one first; you can change your limit on your account page."
)


def set_limits(member, *, max_active_claims=None, available_days=()):
    Member.objects.filter(pk=member.pk).update(
        max_active_claims=max_active_claims, available_days=list(available_days)
    )


def set_cap(cap):
    NetworkSettings.objects.update_or_create(pk=1, defaults={"max_active_claims": cap})


class ClaimLimitTestCase(BaseTestCase):
    def hold(self, count, member=None):
        for i in range(count):
            services.need_claim(
                need=self.post_need(summary=f"Need {i}"), member=member or self.volunteer
            )

    def test_it_refuses_a_claim_beyond_the_volunteers_own_limit(self):
        set_limits(self.volunteer, max_active_claims=2)
        self.hold(2)
        need = self.post_need()
        with (
            changes_nothing(self),
            self.assertRaisesMessage(
                Refusal, f"You already hold 2 needs, {AT_LIMIT}"
            ),
        ):
            services.need_claim(need=need, member=self.volunteer)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)

    def test_it_says_need_for_a_limit_of_one(self):
        set_limits(self.volunteer, max_active_claims=1)
        self.hold(1)
        with self.assertRaisesMessage(Refusal, "You already hold 1 need, your"):
            services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_without_a_limit_of_their_own_the_network_cap_applies(self):
        set_cap(3)
        self.hold(3)
        with self.assertRaisesMessage(Refusal, "You already hold 3 needs"):
            services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_the_network_cap_is_five_by_default(self):
        self.hold(5)
        with self.assertRaisesMessage(Refusal, "You already hold 5 needs"):
            services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_a_limit_above_the_network_cap_is_held_to_the_cap(self):
        set_cap(2)
        set_limits(self.volunteer, max_active_claims=10)
        self.hold(2)
        with self.assertRaisesMessage(Refusal, "You already hold 2 needs"):
            services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_it_allows_claims_up_to_the_limit(self):
        set_limits(self.volunteer, max_active_claims=2)
        self.hold(2)
        held = Need.objects.filter(claimant=self.volunteer, status=NeedStatus.CLAIMED)
        self.assertEqual(held.count(), 2)

    def test_a_need_marked_done_or_released_frees_a_place(self):
        set_limits(self.volunteer, max_active_claims=2)
        done = self.claimed_need(summary="Done")
        released = self.claimed_need(summary="Released")
        services.need_mark_fulfilled(need=done, member=self.volunteer)
        services.need_release(need=released, member=self.volunteer)
        self.hold(2)

    def test_other_volunteers_claims_do_not_count(self):
        set_limits(self.volunteer, max_active_claims=1)
        self.hold(3, member=self.organizer)
        services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_the_limit_is_read_fresh_not_from_a_stale_member_object(self):
        stale = Member.objects.get(pk=self.volunteer.pk)
        set_limits(self.volunteer, max_active_claims=1)
        self.hold(1)
        with self.assertRaisesMessage(Refusal, "You already hold 1 need"):
            services.need_claim(need=self.post_need(), member=stale)

    def test_an_organizer_cannot_assign_beyond_the_volunteers_limit(self):
        set_limits(self.volunteer, max_active_claims=1)
        self.hold(1)
        need = self.post_need()
        with (
            changes_nothing(self),
            self.assertRaisesMessage(
                Refusal,
                "vic already holds 1 need, their limit. Choose someone else.",
            ),
        ):
            services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)

    def test_a_requester_cannot_take_up_an_offer_from_a_volunteer_at_their_limit(self):
        set_limits(self.volunteer, max_active_claims=1)
        self.hold(1)
        offer = services.offer_post(
            offerer=self.volunteer,
            categories=[self.groceries],
            areas=[self.north],
            summary="I can shop",
            kind=OfferKind.ONGOING,
        )
        need = self.post_need()
        with (
            changes_nothing(self),
            self.assertRaisesMessage(Refusal, "vic already holds 1 need"),
        ):
            services.need_match_offer(need=need, offer=offer, member=self.requester)


class AvailableDaysTestCase(BaseTestCase):
    def test_it_refuses_a_claim_on_a_day_the_volunteer_is_not_available(self):
        set_limits(self.volunteer, available_days=[SATURDAY])
        need = self.post_need()
        with (
            time_machine.travel(MONDAY_NOON, tick=False),
            changes_nothing(self),
            self.assertRaisesMessage(
                Refusal,
                "You said you're not available on Mondays. Change your days on your account "
                "page to take this on.",
            ),
        ):
            services.need_claim(need=need, member=self.volunteer)

    def test_it_allows_a_claim_on_an_available_day(self):
        set_limits(self.volunteer, available_days=[MONDAY, SATURDAY])
        with time_machine.travel(MONDAY_NOON, tick=False):
            services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_no_days_means_any_day(self):
        set_limits(self.volunteer, available_days=[])
        for moment in (MONDAY_NOON, SUNDAY_NOON):
            with time_machine.travel(moment, tick=False):
                services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_the_day_is_the_networks_day_in_its_time_zone(self):
        set_limits(self.volunteer, available_days=[MONDAY])
        with time_machine.travel(SUNDAY_LATE_UTC, tick=False):
            with self.assertRaisesMessage(Refusal, "not available on Sundays"):
                services.need_claim(need=self.post_need(), member=self.volunteer)
            with override_settings(TIME_ZONE="Pacific/Auckland"):
                services.need_claim(need=self.post_need(), member=self.volunteer)

    def test_an_organizer_cannot_assign_on_a_day_the_volunteer_is_not_available(self):
        set_limits(self.volunteer, available_days=[SATURDAY])
        need = self.post_need()
        with (
            time_machine.travel(SUNDAY_NOON, tick=False),
            changes_nothing(self),
            self.assertRaisesMessage(
                Refusal,
                "vic said they're not available on Sundays. Choose someone else.",
            ),
        ):
            services.need_assign(need=need, volunteer=self.volunteer, organizer=self.organizer)


class LimitsOnThePagesTestCase(BaseTestCase):
    def test_the_volunteer_is_told_why_on_the_needs_page(self):
        set_limits(self.volunteer, max_active_claims=1)
        services.need_claim(need=self.post_need(summary="First"), member=self.volunteer)
        need = self.post_need()
        self.client.force_login(self.volunteer)
        response = self.client.post(reverse("aid:need_claim", args=[need.code]), follow=True)
        self.assertContains(response, escape("You already hold 1 need, your limit."))
        self.assertContains(response, "you can change your limit on your account page")
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)

    def test_the_organizer_is_told_why_on_the_assign_form(self):
        set_limits(self.volunteer, available_days=[SATURDAY])
        need = self.post_need()
        self.client.force_login(self.organizer)
        with time_machine.travel(MONDAY_NOON, tick=False):
            response = self.client.post(
                reverse("aid:need_assign", args=[need.code]), {"handle": "vic"}
            )
        self.assertContains(
            response, escape("vic said they're not available on Mondays."), status_code=422
        )
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)

    def test_the_outsider_cannot_assign_at_all(self):
        need = self.post_need()
        self.client.force_login(self.outsider)
        response = self.client.post(reverse("aid:need_assign", args=[need.code]), {"handle": "vic"})
        self.assertEqual(response.status_code, 403)
        need.refresh_from_db()
        self.assertEqual(need.status, NeedStatus.OPEN)
