"""The match engine: who may be suggested (the claim service's own door), how they are ranked,
and the reasons a dispatcher reads; and the same engine run for one volunteer."""

from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualaid.accounts.models import ProxyContact
from mutualaid.accounts.services import member_block
from mutualaid.aid import selectors, services
from mutualaid.aid.models import OfferKind, Proposal, ProposalAnswer, Visibility
from mutualaid.areas.models import Area
from mutualaid.dispatch import matching
from mutualaid.network.models import NetworkSettings
from mutualaid.test import BaseTestCase, make_member
from mutualaid.trust.models import Level, Role


def next_saturday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7)


def handles(rows):
    return [row.member.handle for row in rows]


class SuggestTestCase(BaseTestCase):
    def test_a_volunteer_blocked_either_way_never_appears(self):
        need = self.post_need()
        blocked = make_member("blox", area=self.north)
        blocker = make_member("blkr", area=self.north)
        member_block(blocker=self.requester, blocked=blocked)
        member_block(blocker=blocker, blocked=self.requester)
        shown = handles(matching.suggest(need, limit=50))
        self.assertIn("vic", shown)
        self.assertNotIn("blox", shown)
        self.assertNotIn("blkr", shown)
        self.assertNotIn("rosa", shown)  # the requester herself

    def test_a_volunteer_at_their_limit_never_appears(self):
        busy = make_member("busy", area=self.north)
        busy.max_active_claims = 1
        busy.save()
        services.need_claim(need=self.post_need(summary="Another one"), member=busy)
        shown = handles(matching.suggest(self.post_need(), limit=50))
        self.assertNotIn("busy", shown)

    def test_newcomers_and_the_absent_never_appear(self):
        make_member("newt", area=self.north, level=Level.NEWCOMER)
        away = make_member("away", area=self.north)
        away.available_days = [(matching.today() + 1) % 7]
        away.save()
        shown = handles(matching.suggest(self.post_need(), limit=50))
        self.assertNotIn("newt", shown)
        self.assertNotIn("away", shown)

    def test_a_neighbor_organizers_still_speak_for_never_appears(self):
        proxied = make_member("caller", area=self.north)
        proxy = ProxyContact.objects.create(
            member=proxied,
            contact_kind="phone",
            contact="+1 555 0100",
            consent_at=timezone.now(),
            taken_by=self.organizer,
            reference_hash="x" * 64,
        )
        need = self.post_need()
        self.assertNotIn("caller", handles(matching.suggest(need, limit=50)))
        proxy.taken_over_at = timezone.now()
        proxy.save()
        self.assertIn("caller", handles(matching.suggest(need, limit=50)))

    def test_every_volunteer_suggested_may_be_proposed_to(self):
        for i in range(4):
            make_member(f"near{i}", area=self.north)
        need = self.post_need()
        cap = NetworkSettings.load().max_active_claims
        for row in matching.suggest(need, limit=50):
            member = type(self.volunteer).objects.get(pk=row.member.pk)
            self.assertIsNone(
                selectors.volunteer_refusal(need, member, network_cap=cap, weekday=matching.today())
            )

    def test_the_same_area_goes_first_and_says_so(self):
        make_member("nora", area=self.north)
        make_member("fay", area=self.far)
        rows = matching.suggest(self.post_need(), limit=50)
        self.assertEqual(rows[0].member.handle, "nora")
        by_handle = {row.member.handle: row for row in rows}
        self.assertIn("same area", by_handle["nora"].reasons)
        self.assertIn("next area", by_handle["vic"].reasons)  # Central borders Northside
        self.assertNotIn("same area", by_handle["fay"].reasons)
        self.assertNotIn("next area", by_handle["fay"].reasons)
        self.assertLess(by_handle["fay"].score, by_handle["vic"].score)
        self.assertIn("0 of 5 claims in use", by_handle["nora"].reasons)
        self.assertIn("not asked this week", by_handle["nora"].reasons)

    def test_an_offer_of_that_kind_and_the_day_it_is_needed_count(self):
        giver = make_member("gina", area=self.far)
        giver.available_days = list(range(7))  # free any day she named: every one
        giver.save()
        self.post_offer(
            offerer=giver, categories=[self.groceries], areas=[self.far], kind=OfferKind.ONGOING
        )
        make_member("fred", area=self.far)
        need = self.post_need(needed_by=next_saturday())
        by_handle = {row.member.handle: row for row in matching.suggest(need, limit=50)}
        gina = by_handle["gina"]
        self.assertIn("offers groceries", gina.reasons)
        self.assertIn("free on Saturdays", gina.reasons)
        self.assertEqual(gina.offer.summary, "I can shop on Saturdays")
        self.assertGreater(gina.score, by_handle["fred"].score)
        self.assertNotIn("free on Saturdays", by_handle["fred"].reasons)  # named no days

    def test_a_shared_language_adds_speaks_spanish(self):
        self.requester.languages = ["es"]
        self.requester.save()
        hablo = make_member("hablo", area=self.north)
        hablo.languages = ["en", "es"]
        hablo.save()
        make_member("plain", area=self.north)
        by_handle = {row.member.handle: row for row in matching.suggest(self.post_need())}
        self.assertIn("speaks Spanish", by_handle["hablo"].reasons)
        self.assertNotIn("speaks Spanish", by_handle["plain"].reasons)
        self.assertGreater(by_handle["hablo"].score, by_handle["plain"].score)

    def test_fairness_lowers_someone_asked_three_times_this_week(self):
        asked = make_member("asked", area=self.north)
        make_member("fresh", area=self.north)
        done = self.post_need(summary="Done already")
        now = timezone.now()
        for _ in range(3):
            Proposal.objects.create(
                need=done,
                volunteer=asked,
                proposed_by=self.organizer,
                created_at=now - timedelta(days=2),
                deadline=now,
                answered_at=now,
                answer=ProposalAnswer.DECLINED,
            )
        rows = matching.suggest(self.post_need())
        by_handle = {row.member.handle: row for row in rows}
        self.assertIn("asked 3 times this week", by_handle["asked"].reasons)
        self.assertIn("not asked this week", by_handle["fresh"].reasons)
        self.assertLess(by_handle["asked"].score, by_handle["fresh"].score)
        self.assertLess(handles(rows).index("fresh"), handles(rows).index("asked"))

    def test_area_rings_agree_with_the_area_model(self):
        inner = Area.objects.create(name="North Harbor", parent=self.north)
        rings = matching.area_rings()
        for area in (self.north, self.central, self.south, self.far, inner):
            within, near = rings[area.pk]
            self.assertEqual(set(within), area.ids_within())
            self.assertEqual(set(near), area.with_neighbor_ids())

    def test_its_query_count_does_not_grow_with_the_volunteers(self):
        need = self.post_need()
        for i in range(12):
            make_member(f"few{i}", area=self.north)
        cache.clear()  # both counted from cold: the areas' rings are kept (area_rings)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(len(matching.suggest(need, limit=10)), 10)
        for i in range(40):
            member = make_member(f"many{i}", area=self.north if i % 2 else self.central)
            member.languages = ["es"]
            member.save()
            if i % 5 == 0:
                self.post_offer(offerer=member, kind=OfferKind.ONGOING)
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(len(matching.suggest(need, limit=10)), 10)
        self.assertEqual(len(few), len(many))


class NeedsFittingTestCase(BaseTestCase):
    def test_a_volunteer_sees_open_needs_they_may_take_best_first(self):
        near = self.post_need(summary="Near me", area=self.central)
        far = self.post_need(summary="Far away", area=self.far)
        shown = [need for need, _fit in matching.needs_fitting(self.volunteer)]
        self.assertEqual(shown, [near, far])
        fit = matching.needs_fitting(self.volunteer)[0][1]
        self.assertIn("same area", fit.reasons)
        self.assertFalse([r for r in fit.reasons if "claims in use" in r or "asked" in r])

    def test_a_shared_language_and_the_day_it_is_needed_raise_a_need(self):
        self.volunteer.languages = ["es"]
        self.volunteer.available_days = list(range(7))  # named every day
        self.volunteer.save()
        hablante = make_member("hablante", area=self.central)
        hablante.languages = ["es"]
        hablante.save()
        plain = self.post_need(summary="Plain", area=self.central)
        spanish = self.post_need(
            requester=hablante, summary="En espanol", area=self.central, needed_by=next_saturday()
        )
        fits = matching.needs_fitting(self.volunteer)
        self.assertEqual([need for need, _fit in fits], [spanish, plain])
        self.assertIn("speaks Spanish", fits[0][1].reasons)
        self.assertIn("free on Saturdays", fits[0][1].reasons)
        self.assertNotIn("speaks Spanish", fits[1][1].reasons)

    def test_it_leaves_out_what_they_may_not_take(self):
        self.post_need(requester=self.volunteer, summary="My own")
        self.post_need(summary="Organizers only", visibility=Visibility.ORGANIZERS)
        hidden = self.post_need(summary="Hidden after a report")
        services.post_hide(post=hidden, by=make_member("sue", roles=[Role.SAFETY]))
        blocker = make_member("blkr")
        self.post_need(requester=blocker, summary="From someone who blocked them")
        member_block(blocker=blocker, blocked=self.volunteer)
        self.assertEqual(matching.needs_fitting(self.volunteer), [])

    def test_nothing_for_a_newcomer_or_a_volunteer_at_their_limit(self):
        self.post_need()
        newcomer = make_member("newt", level=Level.NEWCOMER)
        self.assertEqual(matching.needs_fitting(newcomer), [])
        self.volunteer.max_active_claims = 1
        self.volunteer.save()
        services.need_claim(need=self.post_need(summary="Held"), member=self.volunteer)
        self.assertEqual(matching.needs_fitting(self.volunteer), [])

    def test_its_query_count_does_not_grow_with_the_needs(self):
        for i in range(3):
            self.post_need(summary=f"Few {i}")
        cache.clear()  # counted from cold: the areas' rings are kept
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(len(matching.needs_fitting(self.volunteer, limit=5)), 3)
        for i in range(30):
            self.post_need(summary=f"Many {i}", area=self.far if i % 2 else self.north)
        cache.clear()  # counted from cold: the areas' rings are kept
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(len(matching.needs_fitting(self.volunteer, limit=5)), 5)
        self.assertEqual(len(few), len(many))
