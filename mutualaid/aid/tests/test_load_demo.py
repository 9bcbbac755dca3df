import re
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import timezone

from mutualaid.accounts.models import Member
from mutualaid.aid.models import (
    Category,
    Claim,
    ContactShare,
    EventKind,
    Message,
    Need,
    NeedStatus,
    Offer,
    OfferKind,
    OfferStatus,
    TimelineEvent,
    Visibility,
)
from mutualaid.areas.models import Area

PASSWORD = "demo-password-1"
PHONE = re.compile(r"\+?\d[\d ().-]{6,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.\w+")
STREET = re.compile(r"\b\d+\s+(\w+\s+){1,2}(street|st|avenue|ave|road|rd|lane|drive|blvd)\b", re.I)
MODELS = [Area, Member, Category, Need, Offer, Claim, Message, TimelineEvent]


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


class LoadDemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo()

    def test_it_loads_a_network_of_some_size(self):
        self.assertGreaterEqual(Area.objects.count(), 7)
        for area in Area.objects.all():
            with self.subTest(area=area.name):
                self.assertTrue(area.neighbors.exists())
        self.assertTrue(Area.objects.filter(parent__isnull=False).exists())
        self.assertGreaterEqual(Member.objects.count(), 32)
        self.assertGreaterEqual(Need.objects.count(), 64)
        self.assertGreaterEqual(Offer.objects.count(), 32)

    def test_needs_and_offers_are_in_every_status_category_and_urgency(self):
        needs = Need.objects.all()
        self.assertEqual(set(needs.values_list("status", flat=True)), set(NeedStatus.values))
        self.assertEqual(
            set(Offer.objects.values_list("status", flat=True)), set(OfferStatus.values)
        )
        self.assertEqual(
            set(needs.values_list("category__slug", flat=True)),
            set(Category.objects.values_list("slug", flat=True)),
        )
        self.assertEqual(len(set(needs.values_list("urgency", flat=True))), 4)

    def test_the_demo_logins_work(self):
        for handle in ["requester", "volunteer", "organizer"]:
            with self.subTest(handle=handle):
                self.assertEqual(authenticate(handle=handle, password=PASSWORD).handle, handle)
                self.assertIn(handle, self.output)
        self.assertTrue(Member.objects.get(handle="organizer").is_organizer)
        self.assertFalse(Member.objects.get(handle="volunteer").is_organizer)
        self.assertIn("http://127.0.0.1:8000/", self.output)
        self.assertIn(PASSWORD, self.output)

    def test_the_requester_has_needs_to_show(self):
        needs = Need.objects.filter(requester__handle="requester")
        self.assertGreaterEqual(len(set(needs.values_list("status", flat=True))), 4)
        claimed = needs.get(status=NeedStatus.CLAIMED, anonymous=False)
        self.assertEqual(claimed.claimant.handle, "volunteer")
        self.assertTrue(Message.objects.filter(claim__need=claimed).exists())
        self.assertTrue(needs.filter(status=NeedStatus.FULFILLED).exists())
        private = needs.get(visibility=Visibility.ORGANIZERS)
        self.assertTrue(private.anonymous)
        self.assertEqual(private.claimant.handle, "volunteer")
        self.assertTrue(ContactShare.objects.filter(claim__need=private).exists())
        self.assertTrue(private.events.filter(kind=EventKind.NEED_ASSIGNED).exists())

    def test_sensitive_needs_are_often_anonymous(self):
        self.assertGreaterEqual(Need.objects.filter(anonymous=True).count(), 5)
        self.assertGreaterEqual(Need.objects.filter(visibility=Visibility.ORGANIZERS).count(), 2)

    def test_the_volunteer_has_claims_and_open_needs_nearby(self):
        volunteer = Member.objects.get(handle="volunteer")
        claims = Claim.objects.filter(volunteer=volunteer)
        self.assertTrue(claims.filter(ended_at__isnull=True).exists())
        self.assertGreaterEqual(len(set(claims.values_list("end_reason", flat=True))), 3)
        open_at_home = Need.objects.filter(status=NeedStatus.OPEN, area=volunteer.home_area)
        self.assertGreaterEqual(open_at_home.count(), 2)

    def test_a_second_run_changes_nothing(self):
        before = counts()
        output = load_demo()
        self.assertEqual(counts(), before)
        self.assertIn("already loaded", output)
        self.assertIn("organizer", output)

    def test_it_refuses_to_mix_with_records_it_did_not_write(self):
        Member.objects.filter(handle="organizer").update(handle="organizer-renamed")
        before = counts()
        with self.assertRaises(CommandError):
            load_demo()
        self.assertEqual(counts(), before)

    def test_every_timeline_is_in_order_and_starts_with_the_posting(self):
        now = timezone.now()
        events = TimelineEvent.objects.filter(need__isnull=False).order_by("need_id", "pk")
        by_need = {}
        for event in events:
            by_need.setdefault(event.need_id, []).append(event)
        for need in Need.objects.all():
            timeline = by_need[need.pk]
            with self.subTest(need=need.summary):
                self.assertEqual(timeline[0].kind, EventKind.NEED_POSTED)
                self.assertEqual(timeline[0].created_at, need.created_at)
                times = [event.created_at for event in timeline]
                self.assertEqual(times, sorted(times))
                self.assertLess(times[-1], now)
                talk = (EventKind.MESSAGE_SENT, EventKind.CONTACT_SHARED)
                moves = [event for event in timeline if event.kind not in talk]
                self.assertEqual(need.status_changed_at, moves[-1].created_at)

    def test_needs_have_believable_ages(self):
        now = timezone.now()
        ages = [now - created for created in Need.objects.values_list("created_at", flat=True)]
        self.assertLess(min(ages).days, 1)
        self.assertGreaterEqual(max(ages).days, 14)
        self.assertLessEqual(max(ages).days, 22)
        for need in Need.objects.filter(status=NeedStatus.EXPIRED):
            with self.subTest(need=need.summary):
                self.assertLess(need.needed_by, timezone.localdate(now))
                self.assertGreaterEqual(need.needed_by, timezone.localdate(need.created_at))
                self.assertTrue(need.events.filter(kind=EventKind.NEED_EXPIRED).exists())

    def test_messages_and_claims_fall_within_their_needs_lives(self):
        for message in Message.objects.select_related("claim", "claim__need"):
            self.assertGreaterEqual(message.created_at, message.claim.created_at)
            self.assertIn(
                message.sender_id, [message.claim.volunteer_id, message.claim.need.requester_id]
            )
        for claim in Claim.objects.select_related("need"):
            self.assertGreaterEqual(claim.created_at, claim.need.created_at)
            if claim.ended_at:
                self.assertGreaterEqual(claim.ended_at, claim.created_at)

    def test_no_summary_holds_contact_details(self):
        summaries = [
            *Need.objects.values_list("summary", flat=True),
            *Offer.objects.values_list("summary", flat=True),
        ]
        for summary in summaries:
            with self.subTest(summary=summary):
                for pattern in (PHONE, EMAIL, STREET):
                    self.assertIsNone(pattern.search(summary))

    def test_claimed_needs_have_their_claimant_and_conversations(self):
        held = Need.objects.filter(status__in=[NeedStatus.CLAIMED, NeedStatus.FULFILLED])
        for need in held:
            live = need.claims.get(ended_at__isnull=True)
            self.assertEqual(need.claimant_id, live.volunteer_id)
        self.assertFalse(Need.objects.exclude(pk__in=held).filter(claimant__isnull=False).exists())
        talked = Message.objects.values_list("claim__need__status", flat=True).distinct()
        self.assertTrue({"claimed", "fulfilled", "closed"} <= set(talked))

    def test_matched_offers_were_taken_up_for_a_closed_need(self):
        for offer in Offer.objects.filter(status=OfferStatus.MATCHED):
            self.assertEqual(offer.kind, OfferKind.ONE_OFF)
            self.assertTrue(offer.claims.filter(need__status=NeedStatus.CLOSED).exists())
