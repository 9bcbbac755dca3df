import re
import shutil
import tempfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone

from mutualaid.accounts.models import (
    Delivery,
    DeliveryStatus,
    Member,
    Notice,
    ProxyContact,
    Role,
    RoleGrant,
)
from mutualaid.accounts.policy import Capability
from mutualaid.aid.models import (
    Category,
    Claim,
    ContactShare,
    EventKind,
    Message,
    Need,
    NeedNote,
    NeedStatus,
    NoteKind,
    Offer,
    OfferKind,
    OfferStatus,
    Priority,
    Resource,
    ResourceKind,
    TimelineEvent,
    Visibility,
)
from mutualaid.aid.selectors import resources_for_need
from mutualaid.areas.models import Area
from mutualaid.demo import data
from mutualaid.network.models import NetworkSettings
from mutualaid.notifications.models import Digest, DigestStatus
from mutualaid.safety.models import Report, ReportStatus
from mutualaid.trust import selectors as trust_selectors
from mutualaid.trust.models import Level, TrustEvent, TrustEventKind, Vouch
from mutualaid.trust.services import member_level_recompute

PASSWORD = "demo-password-1"
PHONE = re.compile(r"\+?\d[\d ().-]{6,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.\w+")
STREET = re.compile(r"\b\d+\s+(\w+\s+){1,2}(street|st|avenue|ave|road|rd|lane|drive|blvd)\b", re.I)
MODELS = [
    Area,
    Member,
    Category,
    Need,
    Offer,
    Claim,
    Message,
    TimelineEvent,
    Vouch,
    TrustEvent,
    RoleGrant,
    Report,
    Notice,
    Delivery,
    Digest,
    Resource,
]


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def mail_into(folder):
    """The demo's mail settings (DEBUG's), with its mail folder in ``folder``."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder),
        SITE_URL="http://127.0.0.1:8000",
    )


def mail_in(folder):
    """The emails in the folder (the file backend may write several to one file)."""
    return [
        email
        for path in sorted(Path(folder).iterdir())
        for email in path.read_text().split("-" * 79)
        if email.strip()
    ]


class LoadDemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mail_folder = tempfile.mkdtemp(prefix="demo-mail-")
        cls.addClassCleanup(shutil.rmtree, cls.mail_folder, ignore_errors=True)
        with mail_into(cls.mail_folder):
            cls.output = load_demo()
        cls.mail = mail_in(cls.mail_folder)

    def test_it_loads_a_network_of_some_size(self):
        self.assertGreaterEqual(Area.objects.count(), 7)
        for area in Area.objects.all():
            with self.subTest(area=area.name):
                self.assertTrue(area.neighbors.exists())
        self.assertTrue(Area.objects.filter(parent__isnull=False).exists())
        self.assertGreaterEqual(Member.objects.count(), 40)
        self.assertGreaterEqual(Need.objects.count(), 64)
        self.assertGreaterEqual(Offer.objects.count(), 32)
        self.assertEqual(NetworkSettings.load().name, data.NETWORK["name"])

    def test_every_kind_of_need_has_a_fate(self):
        self.assertEqual(len(data.FATES) + len(data.TAKEN_UP), len(data.NEEDS))

    def test_needs_and_offers_are_in_every_status_category_and_urgency(self):
        needs = Need.objects.all()
        self.assertEqual(set(needs.values_list("status", flat=True)), set(NeedStatus.values))
        self.assertEqual(
            set(Offer.objects.values_list("status", flat=True)), set(OfferStatus.values)
        )
        self.assertIn("pets", Category.objects.values_list("slug", flat=True))  # added by the admin
        self.assertEqual(
            set(needs.values_list("category__slug", flat=True)),
            set(Category.objects.values_list("slug", flat=True)),
        )
        self.assertEqual(len(set(needs.values_list("urgency", flat=True))), 4)

    def test_the_demo_logins_work(self):
        self.assertIn(PASSWORD, self.output)
        for handle, _ in data.LOGINS:
            with self.subTest(handle=handle):
                self.assertEqual(authenticate(handle=handle, password=PASSWORD).handle, handle)
                self.assertIn(handle, self.output)
        logins = [handle for handle, _ in data.LOGINS]
        self.assertLessEqual({"requester", "volunteer", "organizer"}, set(logins))
        self.assertTrue(Member.objects.get(handle="organizer").is_organizer)
        self.assertFalse(Member.objects.get(handle="volunteer").is_organizer)
        # The others have no password: nobody can log in as them.
        self.assertIsNone(authenticate(handle="tomas.b", password=PASSWORD))

    def test_the_vouch_tree_is_a_few_levels_deep(self):
        members = trust_selectors.with_paths(list(trust_selectors.tree_members()))
        self.assertGreaterEqual(max(len(member.path) for member in members), 3)
        self.assertIn("organizer", [root.handle for root in trust_selectors.tree_roots()])
        # Everyone is on the tree but those nobody has vouched for or approved: the newcomers
        # (and one of them, suspended since).
        waiting = Member.objects.filter(approved_at__isnull=True, vouches_received__isnull=True)
        unconnected = trust_selectors.tree_unconnected(trust_selectors.tree_stamp())
        self.assertEqual(
            set(Member.objects.filter(pk__in=unconnected).values_list("handle", flat=True)),
            set(waiting.values_list("handle", flat=True)),
        )
        self.assertEqual(
            set(waiting.values_list("level", flat=True)), {Level.NEWCOMER, Level.SUSPENDED}
        )
        self.assertTrue(TrustEvent.objects.filter(kind=TrustEventKind.INVITE_USED).exists())

    def test_every_vouch_kept_the_networks_rules(self):
        settings = NetworkSettings.load()
        wait = timedelta(days=settings.vouch_wait_days)
        vouches = list(Vouch.objects.select_related("voucher").order_by("created_at"))
        self.assertGreaterEqual(len(vouches), 30)
        given = {}
        for vouch in vouches:
            with self.subTest(voucher=vouch.voucher.handle, vouchee=vouch.vouchee_id):
                # The voucher's vouched_since has not moved since: nobody lost their standing.
                self.assertLessEqual(vouch.voucher.vouched_since + wait, vouch.created_at)
                earlier = given.setdefault(vouch.voucher_id, [])
                month = [at for at in earlier if at > vouch.created_at - timedelta(days=30)]
                self.assertLess(len(month), settings.vouch_limit)
                earlier.append(vouch.created_at)

    def test_levels_are_what_the_trust_record_says(self):
        for member in Member.objects.all():
            with self.subTest(member=member.handle):
                level = member.level
                self.assertEqual(member_level_recompute(member=member), level)
                kinds = set(member.trust_events.values_list("kind", flat=True))
                if member.level == Level.VOUCHED and member.handle != "organizer":
                    self.assertTrue(kinds & {TrustEventKind.VOUCHED, TrustEventKind.APPROVED})

    def test_newcomers_wait_for_a_vouch(self):
        newcomers = Member.objects.filter(level=Level.NEWCOMER)
        self.assertGreaterEqual(newcomers.count(), 2)
        for member in newcomers:
            with self.subTest(member=member.handle):
                self.assertFalse(member.vouches_received.exists())
                self.assertLess(timezone.now() - member.date_joined, timedelta(days=14))
        newcomer = Member.objects.get(handle="new.neighbor")
        self.assertEqual(newcomer.level, Level.NEWCOMER)
        self.assertTrue(Need.objects.filter(requester=newcomer, status=NeedStatus.OPEN).exists())

    def test_every_organizer_role_is_held(self):
        live = RoleGrant.objects.filter(removed_at__isnull=True)
        self.assertEqual(set(live.values_list("role", flat=True)), set(Role.values))
        organizer = Member.objects.get(handle="organizer")
        self.assertEqual(organizer.roles, {Role.ADMIN, Role.DISPATCHER})
        for handle, role in [
            ("dispatch.dee", Role.DISPATCHER),
            ("triage.tam", Role.TRIAGER),
            ("safety.sol", Role.SAFETY),
        ]:
            with self.subTest(handle=handle):
                self.assertEqual(Member.objects.get(handle=handle).roles, {role})
        self.assertFalse(live.filter(granted_by__isnull=True).exclude(member=organizer).exists())

    def test_the_safety_officer_has_open_reports_and_a_record(self):
        reports = Report.objects.all()
        self.assertGreaterEqual(reports.filter(status=ReportStatus.OPEN).count(), 2)
        self.assertEqual(set(reports.values_list("status", flat=True)), set(ReportStatus.values))
        self.assertGreaterEqual(len(set(reports.values_list("kind", flat=True))), 3)
        for report in reports.exclude(status=ReportStatus.OPEN):
            with self.subTest(report=str(report)):
                self.assertTrue(report.handled_by.can(Capability.HANDLE_REPORTS))
                self.assertGreater(report.handled_at, report.created_at)
        self.assertTrue(Member.objects.filter(level=Level.SUSPENDED).exists())
        self.assertTrue(Offer.objects.filter(hidden_at__isnull=False).exists())

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

    def test_it_shows_notices_in_the_app(self):
        for handle in ("requester", "volunteer", "organizer"):
            with self.subTest(handle=handle):
                self.assertTrue(Notice.objects.filter(member__handle=handle).exists())

    def test_emails_right_away_reach_the_mail_folder(self):
        volunteer = Member.objects.get(handle="volunteer")
        sent = Delivery.objects.filter(notice__member=volunteer, status=DeliveryStatus.SENT)
        self.assertGreaterEqual(sent.count(), 1)
        self.assertFalse(Delivery.objects.exclude(status=DeliveryStatus.SENT).exists())
        self.assertTrue(any(Path(self.mail_folder).iterdir()))
        to_volunteer = [text for text in self.mail if "To: volunteer@" in text]
        self.assertEqual(len(to_volunteer), sent.count())
        self.assertIn("http://127.0.0.1:8000/", to_volunteer[0])  # a link to the page
        self.assertIn(f"into the mail folder {self.mail_folder}", self.output)

    def test_a_daily_digest_was_sent(self):
        digest = Digest.objects.get(member__handle="requester")
        self.assertEqual(digest.status, DigestStatus.SENT)
        self.assertGreaterEqual(digest.notice_count, 1)
        digests = [text for text in self.mail if "daily digest" in text]
        self.assertEqual(len(digests), 1)
        self.assertIn("To: requester@", digests[0])
        # Nothing else went to the requester: she chose the digest for every kind.
        self.assertFalse(Delivery.objects.filter(notice__member__handle="requester").exists())

    def test_no_private_text_is_mailed(self):
        private = [
            *Message.objects.values_list("body", flat=True),
            *[need.details for need in Need.objects.exclude(details="")],
            *[share.value for share in ContactShare.objects.all()],
        ]
        self.assertTrue(private)
        for text in self.mail:
            for words in private:
                with self.subTest(words=words[:30]):
                    self.assertNotIn(words, text)

    def test_the_figures_are_counted_at_once(self):
        from mutualaid.figures import selectors as figures

        totals = figures.dashboard(weeks=104)["totals"]
        self.assertGreater(totals["received"], 0)
        self.assertGreater(totals["fulfilled"], 0)

    def test_a_second_run_changes_nothing(self):
        before = counts()
        with mail_into(self.mail_folder):
            output = load_demo()
        self.assertEqual(counts(), before)
        self.assertEqual(mail_in(self.mail_folder), self.mail)  # no mail sent twice
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
                # What is said or noted about a need, or its place in the queue, moves no status.
                talk = (
                    EventKind.MESSAGE_SENT,
                    EventKind.MESSAGE_RELAYED,
                    EventKind.CONTACT_SHARED,
                    EventKind.NEED_TAKEN_IN,
                    EventKind.NEED_PRIORITISED,
                    EventKind.NEED_TRIAGED,
                    EventKind.MORE_ASKED,
                    EventKind.MORE_GIVEN,
                    EventKind.NOTE_ADDED,
                )
                if need.duplicate_of_id is None:  # another need was merged into this one
                    talk += (EventKind.NEED_MERGED,)
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
        # Members joined before they did anything, months ago for the longest-standing.
        joined = dict(Member.objects.values_list("pk", "date_joined"))
        self.assertGreaterEqual((now - min(joined.values())).days, 180)
        for need in Need.objects.all():  # a caller is recorded with their first need
            self.assertLessEqual(joined[need.requester_id], need.created_at)
        for vouch in Vouch.objects.all():
            self.assertLessEqual(joined[vouch.vouchee_id], vouch.created_at)

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

    def test_triage_and_the_phone_line_have_something_to_show(self):
        self.assertTrue(NetworkSettings.load().triage_first)
        waiting = Need.objects.filter(status=NeedStatus.TRIAGE)
        self.assertIn("new.neighbor", waiting.values_list("requester__handle", flat=True))
        merged = Need.objects.get(status=NeedStatus.DUPLICATE)
        self.assertEqual(merged.duplicate_of.requester_id, merged.requester_id)
        self.assertTrue(Need.objects.get(status=NeedStatus.DECLINED).decline_reason)
        self.assertEqual(set(Need.objects.values_list("priority", flat=True)), set(Priority.values))
        self.assertTrue(NeedNote.objects.filter(kind=NoteKind.INTERNAL).exists())
        self.assertTrue(NeedNote.objects.filter(kind=NoteKind.ANSWER).exists())
        # A caller without an account: an organizer relays the conversation, and the volunteer's
        # last message waits for them.
        caller = ProxyContact.objects.get()
        self.assertIsNone(caller.taken_over_at)
        need = caller.member.needs.get()
        self.assertTrue(need.events.filter(kind=EventKind.NEED_TAKEN_IN).exists())
        conversation = list(Message.objects.filter(claim__need=need).order_by("created_at"))
        self.assertTrue(any(m.relayed_by_id for m in conversation))
        self.assertNotEqual(conversation[-1].sender_id, caller.member_id)
        self.assertEqual(Member.objects.get(handle="harbor.hen").languages, ["es"])

    def test_the_directory_lists_where_else_to_turn(self):
        self.assertEqual(Resource.objects.count(), len(data.RESOURCES))
        self.assertEqual(
            set(Resource.objects.values_list("kind", flat=True)), set(ResourceKind.values)
        )
        self.assertTrue(Resource.objects.filter(areas__isnull=True).exists())  # the whole network
        self.assertTrue(Resource.objects.filter(phone="988").exists())
        # The need declined as out of scope has somewhere to turn to.
        declined = Need.objects.get(status=NeedStatus.DECLINED)
        self.assertTrue(resources_for_need(declined))


class LoadDemoRefusalTestCase(TestCase):
    def test_it_refuses_a_database_that_holds_anything_else(self):
        Member.objects.create_user("someone.real", "a long password")
        before = counts()
        with self.assertRaisesMessage(CommandError, "members: 1"):
            load_demo()
        self.assertEqual(counts(), before)
