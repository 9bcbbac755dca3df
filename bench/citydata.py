"""The city's rows, written in bulk (see city.py): a benchmark's data, shaped like a network that
has run for two years, not a story played through the services.

Every row goes through its model's ``bulk_create``, so sealed fields are sealed by the field itself
(``EncryptedTextField.pre_save``), each under its own row's code, and the database checks every
constraint as it would for a service's write. A need's claims, proposals, messages, timeline
events and notices are written in the same transaction as the need, a batch at a time.

Imported after ``django.setup()``.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from mutualaid.accounts.models import (
    Block,
    ContactKind,
    Level,
    Member,
    Notice,
    ProxyContact,
    Role,
    RoleGrant,
    email_digest,
)
from mutualaid.accounts.services import reference_digest
from mutualaid.aid.models import (
    CHECK_IN,
    AccessKind,
    Category,
    Claim,
    ClaimEnd,
    EventKind,
    Message,
    Need,
    NeedNote,
    NeedStatus,
    Offer,
    OfferKind,
    OfferStatus,
    Priority,
    PrivateAccess,
    Proposal,
    ProposalAnswer,
    TimelineEvent,
    Urgency,
    Visibility,
    queue_at,
)
from mutualaid.areas.models import Area
from mutualaid.network.models import NetworkSettings
from mutualaid.notifications.models import NeedAlerts
from mutualaid.safety.models import (
    Feedback,
    Outcome,
    Reason,
    Report,
    ReportAction,
    ReportStatus,
    Side,
    SubjectKind,
)
from mutualaid.trust.models import Invite, TrustEvent, TrustEventKind, Vouch

BATCH = 2000
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SPAN = 730 * DAY  # the network's age: two years of needs
RETENTION = 30 * DAY  # NetworkSettings.retention_days, the default
AUTO_CONFIRM = 7 * DAY  # settings.AUTO_CONFIRM_DAYS, the default
EXPIRY = 30 * DAY  # settings.OPEN_NEED_EXPIRY_DAYS, the default
S = NeedStatus

# How the needs that are not open share out (their sum is 19 parts of 20).
ENDED_SHARES = {
    S.TRIAGE: 0.0015,
    S.PROPOSED: 0.005,
    S.CLAIMED: 0.03,
    S.FULFILLED: 0.0075,
    S.CLOSED: 0.70,
    S.CANCELLED: 0.075,
    S.EXPIRED: 0.10,
    S.DECLINED: 0.015,
    S.DUPLICATE: 0.016,
}
# The organizers, by handle stem and role; the first of each is the persona cityenv names.
ORGANIZERS = [("city-admin", Role.ADMIN, 3), ("city-dispatcher", Role.DISPATCHER, 10)]
ORGANIZERS += [("city-triager", Role.TRIAGER, 10), ("city-safety", Role.SAFETY, 5)]
FOUNDERS = 40
CALLERS = 100

NAMES = "ana amir bea bo cam chen dara dev eli emma femi fern gus hana ines ivo jade jon kai kim"
NAMES = NAMES + " lea leo mara mo nia noor omar ola pia pat quin raj rosa sam sol tam teo uma val"
NAMES = NAMES.split()
DISTRICTS = [
    "North Hill",
    "Riverside",
    "Old Town",
    "Eastgate",
    "Westfield",
    "Southbank",
    "Harbor",
    "Greenway",
    "Millbrook",
    "Stonebridge",
    "Ashford",
    "Brookside",
    "Cedar Park",
    "Fairview",
    "Highfield",
    "Lakeside",
    "Maple Grove",
    "Oakwood",
    "Pinecrest",
    "Willow Bend",
]
QUARTERS = [
    "Park",
    "Market",
    "Station",
    "Gardens",
    "Heights",
    "Bridge",
    "Commons",
    "Square",
    "Mill",
]
NEED_WORDS = {
    "groceries": ["Groceries for the week", "Help carrying shopping home", "Food bank pickup"],
    "rides": ["Ride to the clinic", "Ride to a job interview", "Lift to the pharmacy"],
    "childcare": ["Someone to watch two kids", "School pickup", "Babysitting for a shift"],
    "prescriptions": ["Pick up a prescription", "Collect medicine from the pharmacy"],
    "funds": ["Help with the electricity bill", "Bus fare for the month", "Rent shortfall"],
    "housing": ["A warm place to stay", "Help moving boxes", "Fix a broken heater"],
    "skills": ["Help filling in a benefits form", "Laptop repair", "English conversation"],
    "other": ["Winter coats for the family", "Walk my dog", "Garden tidy before winter"],
}
WHEN = ["", " this weekend", " after work", " on Tuesday", " before Friday", " tonight", " soon"]
OFFER_WORDS = [
    "I can drive on weekends",
    "Spare room for a night or two",
    "Cooking extra meals for neighbors",
    "Help with forms and letters",
    "Tools and a van for moving",
    "Babysitting on weekday evenings",
    "Bike repairs",
    "Shopping runs on my way home",
]
SAYINGS = [
    "Hi! I can come by tomorrow morning, does that work?",
    "Thank you so much, the morning is perfect.",
    "I'm on my way, about ten minutes.",
    "Could you bring a bag for the frozen things?",
    "All done, have a good evening!",
    "Running a little late, sorry.",
    "The side door is easier, I'll leave it open.",
    "Is there anything else you need while I'm out?",
]


@dataclass(frozen=True)
class Size:
    members: int
    needs: int
    open: int
    offers: int
    messages: int
    areas: int = 200

    @classmethod
    def at(cls, scale: float) -> "Size":
        """The city of the issue (50,000 members, 200,000 needs...) times ``scale``."""

        def scaled(count):
            return max(int(count * scale), 1)

        return cls(
            members=max(scaled(50_000), 2 * (FOUNDERS + CALLERS)),
            needs=scaled(200_000),
            open=scaled(10_000),
            offers=scaled(20_000),
            messages=scaled(100_000),
        )


@dataclass(slots=True)
class Story:
    """What happened to one need, decided before any row is written: its times and people."""

    status: str
    created: datetime
    changed: datetime = None
    requester: int = 0  # a member's pk
    volunteer: int | None = None
    claim_at: datetime | None = None
    claim_end: datetime | None = None
    end_reason: str = ""
    progress_at: datetime | None = None
    asked_at: datetime | None = None
    proposal_at: datetime | None = None
    proposed_by: int | None = None
    accepted: bool = False  # the claim came from an organizer's proposal, accepted
    fulfilled_at: datetime | None = None
    actor: int | None = None  # who ended it (cancel: the requester; decline, merge: a triager)
    purged_at: datetime | None = None
    messages: int = 0
    caller: bool = False
    urgency: str = ""
    need_pk: int = 0
    need_code: str = ""
    summary: str = ""


OFFER_ENDS = {
    OfferStatus.MATCHED: EventKind.OFFER_GIVEN,
    OfferStatus.WITHDRAWN: EventKind.OFFER_WITHDRAWN,
}
EVENT_COLUMNS = ("need", "offer", "claim", "actor", "kind", "created_at")


def insert_events(rows: list[tuple]) -> None:
    """Timeline events (``EVENT_COLUMNS``), straight to the database with executemany: a million
    of them through model instances would be half the build's time. The timeline has no sealed
    field; each value is made ready for the database by its own field, as bulk_create does."""
    fields = [TimelineEvent._meta.get_field(name) for name in EVENT_COLUMNS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(TimelineEvent._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names, no values)
    ready = [
        tuple(f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True))
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, ready)


class City:
    """Builds the city step by step; ``steps`` keeps each step's seconds."""

    def __init__(self, size: Size, seed: int, password: str):
        self.size = size
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.password = make_password(password)  # one hash for everyone: one argon2 run
        self.steps: dict[str, float] = {}
        self.categories = list(Category.objects.values_list("pk", "slug"))

    def build(self) -> None:
        for name, step in [
            ("areas", self.build_areas),
            ("members", self.build_members),
            ("trust", self.build_trust),
            ("offers", self.build_offers),
            ("needs", self.build_needs),
            ("safety", self.build_safety),
            ("alerts", self.build_alerts),
        ]:
            started = time.perf_counter()
            step()
            self.steps[name] = time.perf_counter() - started
            print(f"  {name:<10}{self.steps[name]:7.1f} s", flush=True)

    # Areas ------------------------------------------------------------------------------------

    def build_areas(self) -> None:
        """20 districts of 9 neighborhoods on a 15 x 12 grid; each borders the next ones."""
        with transaction.atomic():
            districts = Area.objects.bulk_create(Area(name=name) for name in DISTRICTS)
            quarters = Area.objects.bulk_create(
                Area(
                    name=f"{DISTRICTS[(r // 3) * 5 + c // 3]} {QUARTERS[(r % 3) * 3 + c % 3]}",
                    parent=districts[(r // 3) * 5 + c // 3],
                )
                for r in range(12)
                for c in range(15)
            )
            grid = {(i // 15, i % 15): area.pk for i, area in enumerate(quarters)}
            pairs = {
                (pk, grid[(r + dr, c + dc)])
                for (r, c), pk in grid.items()
                for dr, dc in ((0, 1), (1, 0), (1, 1))
                if (r + dr, c + dc) in grid
            }
            for i, district in enumerate(districts):
                for j in (i + 1, i + 5):
                    if j < len(districts) and (j % 5 or j == i + 5):
                        pairs.add((district.pk, districts[j].pk))
            through = Area.neighbors.through
            through.objects.bulk_create(
                [through(from_area_id=a, to_area_id=b) for a, b in pairs]
                + [through(from_area_id=b, to_area_id=a) for a, b in pairs]
            )
        self.quarters = [area.pk for area in quarters]
        self.districts = [area.pk for area in districts]

    # Members ----------------------------------------------------------------------------------

    def build_members(self) -> None:
        """Members joining one by one over three years: founders and organizers first, callers
        without an account last; a newcomer in four, a few suspended."""
        count = self.size.members
        start = self.now - 3 * 365 * DAY
        handles = self._handles(count)
        rows = []
        self.kinds = []
        for i, handle in enumerate(handles):
            joined = start + (self.now - start - DAY) * (i / count)
            kind = self._kind(i, count)
            self.kinds.append(kind)
            rows.append(self._member(handle, joined, kind))
        self.member_pks = []
        for first in range(0, count, BATCH):
            with transaction.atomic():
                saved = Member.objects.bulk_create(rows[first : first + BATCH])
            self.member_pks += [member.pk for member in saved]
        self.members = rows
        self.admins = self._persona_pks(Role.ADMIN)
        self.dispatchers = self._persona_pks(Role.DISPATCHER)
        self.triagers = self._persona_pks(Role.TRIAGER)
        self.safety = self._persona_pks(Role.SAFETY)
        self._approvals()
        self._pools()
        self._callers()

    def _handles(self, count: int) -> list[str]:
        handles = [
            stem if n == 0 else f"{stem}-{n + 1}"
            for stem, _role, many in ORGANIZERS
            for n in range(many)
        ]
        self.roles = {
            handle: role
            for (stem, role, many) in ORGANIZERS
            for handle in ([stem] + [f"{stem}-{n + 1}" for n in range(1, many)])
        }
        handles += [f"{NAMES[i % len(NAMES)]}{i}" for i in range(len(handles), count - CALLERS)]
        handles += [f"caller-{i}" for i in range(CALLERS)]
        handles[count // 2] = "city-member"
        return handles

    def _kind(self, i: int, count: int) -> str:
        if i < FOUNDERS:
            return "founder"
        if i >= count - CALLERS:
            return "caller"
        if i == count // 2:
            return "vouched"
        roll = self.rng.random()
        if roll < 0.01:
            return "approved"
        if roll < 0.26:
            return "newcomer"
        if roll < 0.263:
            return "suspended"
        return "vouched"

    def _member(self, handle: str, joined: datetime, kind: str) -> Member:
        rng = self.rng
        member = Member(
            handle=handle,
            password="!" if kind == "caller" else self.password,  # noqa: S106 (unusable)
            date_joined=joined,
            home_area_id=self._home(),
            max_active_claims=rng.choice([None] * 6 + [1, 2, 3]),
            available_days=rng.choice([[]] * 8 + [[5, 6], [0, 1, 2, 3, 4]]),
            languages=rng.choice([[], ["en"], ["en"], ["es"], ["en", "es"], ["zh"], ["vi"]]),
            hears_vouch_requests=rng.random() < 0.05,
        )
        if kind != "caller" and rng.random() < 0.25:
            member.email = f"{handle}@example.org"
            member.email_hash = email_digest(member.email)
        if kind in ("founder", "approved", "vouched", "suspended"):
            member.level, member.vouched_since = Level.VOUCHED, joined
        if kind in ("founder", "approved"):
            member.approved_at = joined
        if kind == "suspended":
            member.level = Level.SUSPENDED
            member.suspended_at = min(joined + rng.randint(1, 300) * DAY, self.now - HOUR)
            member.suspension_reason = "Did not turn up for needs they had claimed, many times."
        return member

    def _home(self) -> int | None:
        roll = self.rng.random()
        if roll < 0.05:
            return None
        if roll < 0.10:
            return self.rng.choice(self.districts)
        return self.rng.choice(self.quarters)

    def _persona_pks(self, role: str) -> list[int]:
        return [
            self.member_pks[i]
            for i, m in enumerate(self.members)
            if self.roles.get(m.handle) == role
        ]

    def _approvals(self) -> None:
        """Members approved by an admin after the founders: approved_by is known now."""
        approved = [
            pk for pk, kind in zip(self.member_pks, self.kinds, strict=True) if kind == "approved"
        ]
        Member.objects.filter(pk__in=approved).update(approved_by_id=self.admins[0])

    def _pools(self) -> None:
        """Who asks and who helps: any member may ask (a few ask often); vouched members help,
        each within their own limit and the network's."""
        self.askers = [
            pk
            for pk, kind in zip(self.member_pks, self.kinds, strict=True)
            if kind not in ("suspended", "caller")
        ]
        self.askers += self.rng.sample(self.askers, len(self.askers) // 10) * 4  # the regulars
        self.helpers = [
            i for i, kind in enumerate(self.kinds) if kind in ("founder", "approved", "vouched")
        ]
        self.limit = {
            self.member_pks[i]: min(self.members[i].max_active_claims or 5, 5) for i in self.helpers
        }
        self.held: dict[int, int] = {}
        self.handle_of = dict(zip(self.member_pks, (m.handle for m in self.members), strict=True))
        self.home_of = dict(
            zip(self.member_pks, (m.home_area_id for m in self.members), strict=True)
        )

    def _callers(self) -> None:
        """Neighbors without an account, whose needs an organizer records from a phone call."""
        rng = self.rng
        self.callers = self.member_pks[-CALLERS:]
        alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
        ProxyContact.objects.bulk_create(
            ProxyContact(
                member_id=pk,
                contact_kind=ContactKind.PHONE,
                contact="Call the landline after 6pm",
                consent_at=self.members[-CALLERS + i].date_joined,
                taken_by_id=rng.choice(self.dispatchers),
                reference_hash=reference_digest("".join(rng.choices(alphabet, k=8))),
                created_at=self.members[-CALLERS + i].date_joined,
            )
            for i, pk in enumerate(self.callers)
        )

    # Trust ------------------------------------------------------------------------------------

    def build_trust(self) -> None:
        """Vouches down a tree a dozen and more levels deep (each member vouched by an earlier
        one, most often a recent one), a second vouch for one in eight, a few revoked; approvals,
        roles, and a few open invitations."""
        rng = self.rng
        vouches, events = [], []
        earlier: list[int] = []  # indexes of vouched members so far
        for i, kind in enumerate(self.kinds):
            member = self.members[i]
            if kind in ("vouched", "suspended") and earlier:
                pool = earlier[-2000:] if rng.random() < 0.7 else earlier
                voucher = rng.choice(pool)
                vouches.append(self._vouch(voucher, i, member.date_joined))
                second = rng.choice(earlier)
                if rng.random() < 0.12 and second != voucher:
                    revoked = rng.random() < 0.1
                    vouches.append(self._vouch(second, i, member.date_joined + HOUR, revoked))
            if kind in ("founder", "approved"):
                events.append(
                    TrustEvent(
                        actor_id=self.admins[0] if kind == "approved" else None,
                        member_id=self.member_pks[i],
                        kind=TrustEventKind.APPROVED,
                        created_at=member.date_joined,
                    )
                )
            if kind in ("founder", "approved", "vouched"):
                earlier.append(i)
        events += [
            TrustEvent(
                actor_id=v.voucher_id,
                member_id=v.vouchee_id,
                kind=TrustEventKind.VOUCHED,
                note=f"vouched for by {self.handle_of[v.voucher_id]}",
                created_at=v.created_at,
            )
            for v in vouches
        ]
        grants = [
            RoleGrant(
                member_id=self.member_pks[i],
                role=self.roles[m.handle],
                granted_by_id=self.admins[0],
                granted_at=m.date_joined + DAY,
            )
            for i, m in enumerate(self.members)
            if m.handle in self.roles
        ]
        events += [
            TrustEvent(
                actor_id=g.granted_by_id,
                member_id=g.member_id,
                kind=TrustEventKind.ROLE_GRANTED,
                note=g.role,
                created_at=g.granted_at,
            )
            for g in grants
        ]
        invites = [
            Invite(
                inviter_id=self.member_pks[rng.choice(earlier)],
                note="My neighbor from the community garden",
                created_at=self.now - rng.randint(0, 6) * DAY,
                expires_at=self.now + DAY,
            )
            for _ in range(max(self.size.members // 100, 1))
        ]
        with transaction.atomic():
            Vouch.objects.bulk_create(vouches, batch_size=BATCH)
            TrustEvent.objects.bulk_create(events, batch_size=BATCH)
            RoleGrant.objects.bulk_create(grants)
            Invite.objects.bulk_create(invites, batch_size=BATCH)
        self.vouch_count = len(vouches)

    def _vouch(self, voucher: int, vouchee: int, at: datetime, revoked=False) -> Vouch:
        vouch = Vouch(
            voucher_id=self.member_pks[voucher],
            vouchee_id=self.member_pks[vouchee],
            note="Neighbors on the same street for years",
            created_at=at,
        )
        if revoked:
            vouch.revoked_at = min(at + 30 * DAY, self.now - HOUR)
            vouch.revoked_by_id = vouch.voucher_id
            vouch.revoke_reason = "We lost touch"
        return vouch

    # Offers -----------------------------------------------------------------------------------

    def build_offers(self) -> None:
        """Offers from vouched members, each for one to three kinds of help and areas; most
        still open, some given or withdrawn, each on its own timeline."""
        for first in range(0, self.size.offers, BATCH):
            offers = [self._offer() for _ in range(min(BATCH, self.size.offers - first))]
            with transaction.atomic():
                Offer.objects.bulk_create(offers)
                self._offer_links(offers)
                events = [
                    (None, o.pk, None, o.offerer_id, EventKind.OFFER_POSTED, o.created_at)
                    for o in offers
                ]
                events += [
                    (None, o.pk, None, o.offerer_id, OFFER_ENDS[o.status], o.status_changed_at)
                    for o in offers
                    if o.status != OfferStatus.OPEN
                ]
                insert_events(events)

    def _offer(self) -> Offer:
        rng = self.rng
        created = self.now - self._age(timedelta(0), SPAN)
        status = rng.choices(OfferStatus.values, weights=[55, 15, 30])[0]
        changed = created
        if status != OfferStatus.OPEN:
            changed = min(created + rng.randint(1, 60) * DAY, self.now - HOUR)
        return Offer(
            offerer_id=self.member_pks[rng.choice(self.helpers)],
            summary=rng.choice(OFFER_WORDS),
            kind=rng.choice(OfferKind.values),
            available_days=rng.choice([[]] * 5 + [[5, 6], [0, 2, 4]]),
            status=status,
            created_at=created,
            status_changed_at=changed,
            hidden_at=changed if rng.random() < 0.002 else None,
        )

    def _offer_links(self, offers) -> None:
        rng = self.rng
        categories = Offer.categories.through
        areas = Offer.areas.through
        categories.objects.bulk_create(
            categories(offer_id=o.pk, category_id=pk)
            for o in offers
            for pk, _slug in rng.sample(self.categories, rng.randint(1, 3))
        )
        areas.objects.bulk_create(
            areas(offer_id=o.pk, area_id=pk)
            for o in offers
            for pk in rng.sample(self.quarters, rng.randint(1, 3))
        )

    # Needs ------------------------------------------------------------------------------------

    def build_needs(self) -> None:
        """Every need's story first (so that messages can be shared out exactly), then the rows,
        oldest first, a batch per transaction."""
        stories = self._stories()
        talks = [s for s in stories if s.claim_at and not s.purged_at]
        for _ in range(self.size.messages):
            self.rng.choice(talks).messages += 1
        self.need_pks: list[int] = []
        for first in range(0, len(stories), BATCH):
            with transaction.atomic():
                self._write_needs(stories[first : first + BATCH])
        self.stories = stories

    def _stories(self) -> list[Story]:
        size = self.size
        rest = size.needs - size.open
        counts = {status: int(rest * share / 0.95) for status, share in ENDED_SHARES.items()}
        counts[S.CLOSED] += rest - sum(counts.values())
        counts[S.OPEN] = size.open
        stories = []
        # Live needs backwards from now, holding volunteers first (their limits bind).
        for status in (S.CLAIMED, S.FULFILLED, S.PROPOSED, S.OPEN, S.TRIAGE):
            stories += [getattr(self, f"_{status}")() for _ in range(counts[status])]
        for status in (S.CLOSED, S.CANCELLED, S.EXPIRED, S.DECLINED, S.DUPLICATE):
            stories += [self._ended(status) for _ in range(counts[status])]
        stories.sort(key=lambda s: s.created)
        for story in self.rng.sample(stories, min(CALLERS * 3, len(stories))):
            story.caller = True
            story.requester = self.rng.choice(self.callers)
        return stories

    def _age(self, low: timedelta, high: timedelta) -> timedelta:
        """A time ago between low and high, more often recent (the network grew)."""
        return low + (high - low) * (1 - self.rng.random() ** 0.5)

    def _volunteer(self, requester: int, *, holding: bool) -> int:
        """A vouched member who is not the requester and, when ``holding``, has room."""
        while True:
            pk = self.member_pks[self.rng.choice(self.helpers)]
            if pk == requester:
                continue
            if not holding:
                return pk
            if self.held.get(pk, 0) < self.limit[pk]:
                self.held[pk] = self.held.get(pk, 0) + 1
                return pk

    def _story(self, status: str, created: datetime) -> Story:
        return Story(
            status=status, created=created, changed=created, requester=self.rng.choice(self.askers)
        )

    def _claimed(self, *, fulfilled=False) -> Story:
        """Held now: claimed (or proposed and accepted) lately, with signs of life recent enough
        that the check-in clock has at most asked."""
        rng = self.rng
        urgency = rng.choice(Urgency.values)
        first, second = CHECK_IN[urgency]
        claim_ago = self._age(timedelta(minutes=10), 10 * DAY)
        fulfilled_ago = None
        if fulfilled:
            fulfilled_ago = self._age(timedelta(0), AUTO_CONFIRM * 0.9)
            claim_ago = fulfilled_ago + self._age(HOUR, 5 * DAY)
        created_ago = claim_ago + self._age(timedelta(0), 3 * DAY)
        story = self._story(S.FULFILLED if fulfilled else S.CLAIMED, self.now - created_ago)
        story.urgency = urgency
        story.volunteer = self._volunteer(story.requester, holding=True)
        story.claim_at = self.now - claim_ago
        story.accepted = rng.random() < 0.15
        if story.accepted:
            story.proposal_at = story.claim_at - self._age(timedelta(minutes=5), 20 * HOUR)
            story.proposal_at = max(story.proposal_at, story.created)
            story.proposed_by = rng.choice(self.dispatchers)
        progress_ago = min(claim_ago, (first + second) * rng.random() * 0.95)
        story.progress_at = self.now - progress_ago
        if progress_ago > first and not fulfilled:
            story.asked_at = story.progress_at + first
        story.changed = story.claim_at
        if fulfilled:
            story.fulfilled_at = story.changed = self.now - fulfilled_ago
        return story

    def _fulfilled(self) -> Story:
        return self._claimed(fulfilled=True)

    def _proposed(self) -> Story:
        rng = self.rng
        story = self._story(S.PROPOSED, self.now - self._age(HOUR, 10 * DAY))
        story.proposal_at = max(self.now - self._age(timedelta(0), 23 * HOUR), story.created)
        story.proposed_by = rng.choice(self.dispatchers)
        story.volunteer = self._volunteer(story.requester, holding=False)
        story.changed = story.proposal_at
        return story

    def _open(self) -> Story:
        """On the board: posted within the expiry; one in twelve was claimed and released."""
        story = self._story(S.OPEN, self.now - self._age(timedelta(minutes=1), EXPIRY - DAY))
        if self.rng.random() < 0.08:
            story.volunteer = self._volunteer(story.requester, holding=False)
            story.claim_at = story.created + (self.now - story.created) * self.rng.random() / 2
            story.claim_end = story.changed = story.claim_at + (self.now - story.claim_at) / 2
            story.end_reason = ClaimEnd.RELEASED
        return story

    def _triage(self) -> Story:
        return self._story(S.TRIAGE, self.now - self._age(timedelta(minutes=1), 2 * DAY))

    def _ended(self, status: str) -> Story:
        """Ended: a story forward from its posting, which must be over by now."""
        rng = self.rng
        # Old enough for the longest story of its kind to be over by now.
        shortest = {S.CLOSED: 18 * DAY, S.EXPIRED: EXPIRY + DAY, S.CANCELLED: 6 * DAY}
        shortest = shortest.get(status, 2 * DAY)
        story = self._story(status, self.now - self._age(shortest, SPAN))
        if status == S.CLOSED:
            story.volunteer = self._volunteer(story.requester, holding=False)
            story.claim_at = story.created + self._age(timedelta(minutes=6), 3 * DAY)
            story.accepted = rng.random() < 0.15
            if story.accepted:
                story.proposal_at = story.claim_at - timedelta(minutes=rng.randint(5, 600))
                story.proposal_at = max(story.proposal_at, story.created)
                story.proposed_by = rng.choice(self.dispatchers)
            story.fulfilled_at = story.claim_at + self._age(2 * HOUR, 7 * DAY)
            auto = rng.random() < 0.2
            story.actor = None if auto else story.requester
            story.changed = story.fulfilled_at + (
                AUTO_CONFIRM if auto else self._age(timedelta(minutes=30), 6 * DAY)
            )
            story.claim_end, story.end_reason = story.changed, ClaimEnd.COMPLETED
            story.progress_at = story.claim_at
        elif status == S.CANCELLED:
            story.changed = story.created + self._age(HOUR, 5 * DAY)
            story.actor = story.requester
            if rng.random() < 0.2:
                story.volunteer = self._volunteer(story.requester, holding=False)
                story.claim_at = story.created + (story.changed - story.created) / 2
                story.claim_end, story.end_reason = story.changed, ClaimEnd.CANCELLED
                story.progress_at = story.claim_at
        elif status == S.EXPIRED:
            story.changed = story.created + EXPIRY + timedelta(minutes=rng.randint(0, 15))
        else:  # declined or merged by a triager
            story.changed = story.created + self._age(timedelta(minutes=10), DAY)
            story.actor = rng.choice(self.triagers)
        if story.changed + RETENTION < self.now - HOUR:
            story.purged_at = story.changed + RETENTION + timedelta(minutes=rng.randint(1, 15))
        return story

    # Writing a batch of needs -----------------------------------------------------------------

    def _write_needs(self, stories: list[Story]) -> None:
        needs = Need.objects.bulk_create(self._need(story) for story in stories)
        for story, need in zip(stories, needs, strict=True):
            story.need_pk, story.need_code, story.summary = need.pk, str(need.code), need.summary
        self.need_pks += [need.pk for need in needs]
        claims = self._write_claims(stories)
        Proposal.objects.bulk_create(self._proposal(s) for s in stories if s.proposal_at)
        messages = self._write_messages(stories, claims)
        insert_events(
            [event for story in stories for event in self._events(story, claims, messages)]
        )
        Notice.objects.bulk_create(
            notice for story in stories for notice in self._notices(story, messages)
        )
        self._write_extras(stories)

    def _need(self, story: Story) -> Need:
        rng = self.rng
        slug = rng.choice(self.categories)
        urgency = story.urgency or rng.choice(Urgency.values)
        priority = rng.choices(Priority.values, weights=[90, 8, 2])[0]
        home = self.home_of.get(story.requester) if rng.random() < 0.7 else None
        need = Need(
            requester_id=story.requester,
            category_id=slug[0],
            area_id=home or rng.choice(self.quarters),
            summary=rng.choice(NEED_WORDS[slug[1]]) + rng.choice(WHEN),
            details="" if story.purged_at else "Second floor, the buzzer does not work. Mornings.",
            urgency=urgency,
            priority=priority,
            visibility=Visibility.ORGANIZERS if rng.random() < 0.08 else Visibility.MEMBERS,
            anonymous=rng.random() < 0.05,
            status=story.status,
            claimant_id=story.volunteer if story.status in (S.CLAIMED, S.FULFILLED) else None,
            created_at=story.created,
            status_changed_at=story.changed,
            queue_at=queue_at(story.created, urgency, priority),
            purged_at=story.purged_at,
        )
        if story.status not in (S.CLAIMED, S.FULFILLED, S.PROPOSED) and rng.random() < 0.002:
            need.hidden_at = story.changed
        if story.status == S.OPEN and rng.random() < 0.1:
            need.needed_by = (self.now + rng.randint(1, 20) * DAY).date()
        if story.status == S.DECLINED and not story.purged_at:
            need.decline_reason = "Out of our scope: the city's housing office can help."
        if story.status == S.DUPLICATE and self.need_pks:
            need.duplicate_of_id = rng.choice(self.need_pks[-5000:])
        return need

    def _write_claims(self, stories: list[Story]) -> dict[int, Claim]:
        """Each story's claim, by the need's pk."""
        claims = {
            s.need_pk: Claim(
                need_id=s.need_pk,
                volunteer_id=s.volunteer,
                created_at=s.claim_at,
                ended_at=s.claim_end,
                end_reason=s.end_reason,
                progress_at=s.progress_at or s.claim_at,
                check_in_asked_at=s.asked_at,
            )
            for s in stories
            if s.claim_at
        }
        Claim.objects.bulk_create(claims.values())
        return claims

    def _proposal(self, story: Story) -> Proposal:
        live = story.status == S.PROPOSED
        return Proposal(
            need_id=story.need_pk,
            volunteer_id=story.volunteer,
            proposed_by_id=story.proposed_by,
            created_at=story.proposal_at,
            deadline=story.proposal_at + 24 * HOUR,
            answered_at=None if live else story.claim_at,
            answer="" if live else ProposalAnswer.ACCEPTED,
        )

    def _talk_end(self, s: Story) -> datetime:
        """When the claim's conversation ended: with the claim, or, while it lasts, at the
        volunteer's last sign of life (a held need) or now (one marked done)."""
        if s.claim_end:
            return s.claim_end
        return s.progress_at if s.status == S.CLAIMED else self.now

    def _write_messages(self, stories, claims) -> dict[int, list[Message]]:
        """The conversation of each claim that retention has not emptied, by the need's pk:
        volunteer first, then by turns."""
        rng = self.rng
        talks = {}
        for s in stories:
            if not s.messages:
                continue
            end = self._talk_end(s)
            times = sorted(
                s.claim_at + (end - s.claim_at) * rng.random() for _ in range(s.messages)
            )
            talks[s.need_pk] = [
                Message(
                    claim=claims[s.need_pk],
                    sender_id=s.volunteer if n % 2 == 0 else s.requester,
                    body=rng.choice(SAYINGS),
                    created_at=at,
                )
                for n, at in enumerate(times)
            ]
        Message.objects.bulk_create(m for talk in talks.values() for m in talk)
        return talks

    def _events(self, s: Story, claims, messages) -> list[tuple]:
        """The need's timeline, as the services would have written it (rows for insert_events)."""
        claim = claims.get(s.need_pk)

        def event(kind, actor, at, on_claim=False):
            return (s.need_pk, None, claim.pk if on_claim else None, actor, kind, at)

        events = [event(EventKind.NEED_POSTED, s.requester, s.created)]
        if s.caller:
            events.append(event(EventKind.NEED_TAKEN_IN, self.dispatchers[0], s.created))
        if s.proposal_at:
            events.append(event(EventKind.NEED_ASSIGNED, s.proposed_by, s.proposal_at))
        if s.claim_at:
            kind = EventKind.PROPOSAL_ACCEPTED if s.accepted else EventKind.NEED_CLAIMED
            events.append(event(kind, s.volunteer, s.claim_at, True))
        events += [
            event(EventKind.MESSAGE_SENT, m.sender_id, m.created_at, True)
            for m in messages.get(s.need_pk, [])
        ]
        if s.asked_at:
            events.append(event(EventKind.CHECK_IN_ASKED, None, s.asked_at, True))
        if s.fulfilled_at:
            events.append(event(EventKind.NEED_FULFILLED, s.volunteer, s.fulfilled_at, True))
        events += self._ending(s, event)
        if s.purged_at:
            events.append(event(EventKind.NEED_PURGED, None, s.purged_at))
        return events

    def _ending(self, s: Story, event) -> list[tuple]:
        if s.status == S.OPEN and s.claim_end:
            return [event(EventKind.CLAIM_RELEASED, s.volunteer, s.claim_end, True)]
        if s.status == S.CLOSED:
            kind = EventKind.NEED_CONFIRMED if s.actor else EventKind.NEED_AUTO_CONFIRMED
            return [event(kind, s.actor, s.changed, True)]
        kind = {
            S.CANCELLED: EventKind.NEED_CANCELLED,
            S.EXPIRED: EventKind.NEED_EXPIRED,
            S.DECLINED: EventKind.NEED_DECLINED,
            S.DUPLICATE: EventKind.NEED_MERGED,
        }.get(s.status)
        return [event(kind, s.actor, s.changed, bool(s.claim_end))] if kind else []

    def _notices(self, s: Story, messages) -> list[Notice]:
        """What its people were told in the last month: a claim, each message; read, but for
        the last two days'."""
        if not s.claim_at or self._talk_end(s) < self.now - RETENTION:
            return []
        told = [(s.requester, "need_claimed", s.claim_at)]
        told += [
            (
                s.requester if m.sender_id == s.volunteer else s.volunteer,
                "message_received",
                m.created_at,
            )
            for m in messages.get(s.need_pk, [])
        ]
        notices = []
        for member, kind, at in told:
            notice = Notice(member_id=member, kind=kind, created_at=at)
            notice.params = {"summary": s.summary, "need": s.need_code}
            notice.read_at = at + HOUR if at < self.now - 2 * DAY else None
            notices.append(notice)
        return notices

    def _write_extras(self, stories: list[Story]) -> None:
        """Feedback on closed needs, organizers' notes, and their readings of private details."""
        rng = self.rng
        feedback, notes, readings = [], [], []
        for s in stories:
            if s.status == S.CLOSED and rng.random() < 0.08:
                feedback.append(
                    Feedback(
                        need_id=s.need_pk,
                        member_id=s.requester,
                        side=Side.REQUESTER,
                        outcome=rng.choices(Outcome.values, weights=[85, 10, 5])[0],
                        words="It went well, thank you.",
                        created_at=s.changed,
                    )
                )
            if not s.purged_at and rng.random() < 0.02:
                notes.append(
                    NeedNote(
                        need_id=s.need_pk,
                        author_id=rng.choice(self.triagers),
                        body="Called them back: they can wait until Friday.",
                        created_at=min(s.created + HOUR, self.now),
                    )
                )
            if not s.purged_at and rng.random() < 0.03:
                readings.append(
                    PrivateAccess(
                        viewer_id=rng.choice(self.dispatchers),
                        owner_id=s.requester,
                        need_id=s.need_pk,
                        what=AccessKind.DETAILS,
                        created_at=min(s.created + HOUR, self.now),
                    )
                )
        Feedback.objects.bulk_create(feedback)
        NeedNote.objects.bulk_create(notes)
        PrivateAccess.objects.bulk_create(readings)

    # Safety and alerts ------------------------------------------------------------------------

    def build_safety(self) -> None:
        """Reports (most handled), and blocks between members."""
        rng = self.rng
        reports = []
        for _ in range(max(self.size.needs // 500, 4)):
            created = self.now - self._age(timedelta(minutes=5), SPAN)
            report = Report(
                reporter_id=rng.choice(self.askers),
                reason=rng.choice(Reason.values),
                details="They asked me for money up front.",
                created_at=created,
            )
            if rng.random() < 0.5:
                report.kind, report.need_id = SubjectKind.NEED, rng.choice(self.need_pks)
            else:
                report.kind = SubjectKind.MEMBER
                report.member_id = self.member_pks[rng.choice(self.helpers)]
            if created < self.now - 7 * DAY or rng.random() < 0.5:
                report.status = rng.choice([ReportStatus.DISMISSED, ReportStatus.ACTIONED])
                report.action = (
                    ReportAction.DISMISS
                    if report.status == ReportStatus.DISMISSED
                    else ReportAction.WARN
                )
                report.handled_by_id = rng.choice(self.safety)
                report.handled_at = min(created + HOUR, self.now)
                report.action_note = "Talked to both of them."
            reports.append(report)
        pairs = {
            (rng.choice(self.askers), self.member_pks[rng.choice(self.helpers)])
            for _ in range(max(self.size.members // 30, 2))
        }
        with transaction.atomic():
            Report.objects.bulk_create(reports, batch_size=BATCH)
            Block.objects.bulk_create(
                (
                    Block(blocker_id=a, blocked_id=b, label=self.handle_of[b])
                    for a, b in pairs
                    if a != b
                ),
                batch_size=BATCH,
            )

    def build_alerts(self) -> None:
        """Volunteers who asked to hear of needs opening near them, in two or three kinds."""
        rng = self.rng
        chosen = rng.sample(self.helpers, min(len(self.helpers), self.size.members // 15))
        with transaction.atomic():
            alerts = NeedAlerts.objects.bulk_create(
                NeedAlerts(
                    member_id=self.member_pks[i], enabled=True, per_day=rng.choice([1, 3, 5])
                )
                for i in chosen
            )
            through = NeedAlerts.categories.through
            through.objects.bulk_create(
                (
                    through(needalerts_id=a.pk, category_id=pk)
                    for a in alerts
                    for pk, _slug in rng.sample(self.categories, rng.randint(2, 3))
                ),
                batch_size=BATCH,
            )


def network_settings() -> None:
    """The network's own settings, as its admins would have set them (the defaults, named)."""
    NetworkSettings.load()
    NetworkSettings.objects.filter(pk=1).update(
        name="Riverside Mutual Aid",
        scope="Groceries, rides, childcare and more across the city's twenty districts.",
    )
