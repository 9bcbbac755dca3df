"""Needs, offers, claims, brokered messages, the timeline that remembers all of them, and the
directory of resources outside the network (food banks, shelters, hotlines...).

Every status change goes through a service in services.py; nothing here writes a status by itself.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualaid.lib.audit import AuditRecord
from mutualaid.lib.choices import ChoiceLabels
from mutualaid.lib.dates import Weekday
from mutualaid.lib.fields import EncryptedTextField

SUMMARY_MAX = 140
DETAILS_MAX = 4000
MESSAGE_MAX = 2000
# A way to reach the requester, shared with their volunteer (ContactShare.value).
CONTACT_MAX = 300


class Category(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class CategoryAction(models.TextChoices):
    ADDED = "added", _("added")
    RENAMED = "renamed", _("renamed")
    MOVED = "moved", _("moved")


class CategoryChange(AuditRecord):
    """One change to a kind of help by an admin, with the value before and after: its name, or its
    place in the list (1 is first). Written by the category services; append-only (lib/audit.py)."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=12, choices=CategoryAction.choices)

    class Meta(AuditRecord.Meta):
        indexes = [
            # A kind of help's history: WHERE category_id = ? ORDER BY created_at DESC
            models.Index(fields=["category", "created_at"], name="category_change_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=CategoryAction.values),
                name="category_change_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.category_id}: {self.old!r} -> {self.new!r}"


class Urgency(models.TextChoices):
    TODAY = "today", _("Today")
    SOON = "soon", _("In 1–2 days")
    WEEK = "week", _("This week")
    ANYTIME = "anytime", _("Anytime")

    @classmethod
    def rank(cls):
        """An expression ordering rows from the most to the least urgent."""
        return Case(
            *[When(urgency=value, then=Value(i)) for i, value in enumerate(cls.values)],
            default=Value(len(cls.values)),
            output_field=IntegerField(),
        )


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members who can help")
    ORGANIZERS = "organizers", _("Organizers only")


class Recurrence(models.TextChoices):
    """A need that comes back: when one closes as done, the next is posted (services._post_next)."""

    NONE = "", _("No, just this once")
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")

    @classmethod
    def interval(cls, value) -> timedelta:
        return timedelta(weeks=2 if value == cls.FORTNIGHTLY else 1)


class Priority(models.TextChoices):
    """Set by a triager: how far ahead of its urgency a need goes in the dispatch queue."""

    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# The dispatch queue is ordered by ``Need.queue_at``: when the need was posted, moved earlier by
# its urgency and its triage priority. A need for today goes ahead of one for this week posted two
# days before it, but not of one that has waited a week; a critical need goes ahead of anything
# that has waited less than a fortnight. Nothing starves: a low-urgency need rises as it waits
# (an aging priority queue, kept as one indexed column).
URGENCY_LEAD = {
    "today": timedelta(hours=72),
    "soon": timedelta(hours=24),
    "week": timedelta(hours=6),
    "anytime": timedelta(0),
}
PRIORITY_LEAD = {
    Priority.NORMAL: timedelta(0),
    Priority.HIGH: timedelta(hours=72),
    Priority.CRITICAL: timedelta(days=14),
}


def queue_at(created_at, urgency: str, priority: str):
    """Where a need stands in the dispatch queue (earlier is first): see URGENCY_LEAD."""
    return created_at - URGENCY_LEAD.get(urgency, timedelta(0)) - PRIORITY_LEAD.get(
        priority, timedelta(0)
    )


class NeedStatus(models.TextChoices):
    # Waiting for a triager (the network's "new needs go to triage first"): off the board.
    TRIAGE = "triage", _("Waiting for triage")
    OPEN = "open", _("Open")
    # Put to one volunteer (by an organizer, or by a requester taking up their offer), who has
    # not answered yet: off the board, and nobody holds it until they accept.
    PROPOSED = "proposed", _("Proposed to a volunteer")
    CLAIMED = "claimed", _("Claimed")
    FULFILLED = "fulfilled", _("Marked done")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    # Ended by a triager: out of the network's scope (with a reason and where else to turn), or
    # the same as another need (``duplicate_of``).
    DECLINED = "declined", _("Declined as out of scope")
    DUPLICATE = "duplicate", _("Merged into another need")


@dataclass(frozen=True)
class Transition:
    """A move of a need from one of ``sources`` to ``target``, made by ``by``: "volunteer" (the
    one who would hold it), "claimant" (who holds it), "requester", "matcher" (an organizer who may
    match needs), "triager" (an organizer who triages), "proposed" (the volunteer a live proposal
    names) or "clock" (the housekeeping tasks)."""

    sources: frozenset
    target: str
    by: str


S = NeedStatus
# The one table of a need's states: services move by it, ``can_*`` and the selectors read it.
NEED_TRANSITIONS: dict[str, Transition] = {
    "claim": Transition(frozenset({S.OPEN}), S.CLAIMED, "volunteer"),
    # A match asks first: an organizer's ("assign") or the requester's taking up an offer
    # ("take_up") proposes the need to one volunteer, who accepts or declines (see Proposal).
    "assign": Transition(frozenset({S.OPEN}), S.PROPOSED, "matcher"),
    "take_up": Transition(frozenset({S.OPEN}), S.PROPOSED, "requester"),
    # The next of a repeating need is offered first to the volunteer who did the last one.
    "offer_again": Transition(frozenset({S.OPEN}), S.PROPOSED, "clock"),
    "accept": Transition(frozenset({S.PROPOSED}), S.CLAIMED, "proposed"),
    "decline": Transition(frozenset({S.PROPOSED}), S.OPEN, "proposed"),
    # No answer by the deadline, or the proposal can no longer stand (the need was hidden, the
    # volunteer left or was suspended): back to the board, or to the organizers.
    "lapse": Transition(frozenset({S.PROPOSED}), S.OPEN, "clock"),
    "release": Transition(frozenset({S.CLAIMED}), S.OPEN, "claimant"),
    # The volunteer can no longer help (they left, were suspended, or the need was hidden): a need
    # marked done but not confirmed goes back too, and the requester decides again.
    "drop": Transition(frozenset({S.CLAIMED, S.FULFILLED}), S.OPEN, "claimant"),
    "fulfil": Transition(frozenset({S.CLAIMED}), S.FULFILLED, "claimant"),
    "confirm": Transition(frozenset({S.FULFILLED}), S.CLOSED, "requester"),
    "reopen": Transition(frozenset({S.FULFILLED}), S.OPEN, "requester"),
    "cancel": Transition(
        frozenset({S.TRIAGE, S.OPEN, S.PROPOSED, S.CLAIMED}), S.CANCELLED, "requester"
    ),
    # A claim with no sign of life that its volunteer did not answer "still on it?" for.
    "check_in_lapse": Transition(frozenset({S.CLAIMED}), S.OPEN, "clock"),
    "auto_confirm": Transition(frozenset({S.FULFILLED}), S.CLOSED, "clock"),
    "expire": Transition(frozenset({S.OPEN}), S.EXPIRED, "clock"),
    # Triage: a new need waits for a triager, who puts it on the board, or ends it as out of
    # scope or as the same as another need (an open one, too, when the duplicate shows late).
    "publish": Transition(frozenset({S.TRIAGE}), S.OPEN, "triager"),
    "turn_down": Transition(frozenset({S.TRIAGE, S.OPEN}), S.DECLINED, "triager"),
    "merge": Transition(frozenset({S.TRIAGE, S.OPEN}), S.DUPLICATE, "triager"),
}
HELD = frozenset({S.CLAIMED, S.FULFILLED})  # a need in these states has its claimant
ENDED = frozenset({S.CLOSED, S.CANCELLED, S.EXPIRED, S.DECLINED, S.DUPLICATE})
# Waiting for someone to take it on: the dispatch queue's needs.
WAITING = frozenset({S.OPEN, S.PROPOSED})

# Check-ins: a claim with no sign of life (the claim itself, a message from its volunteer, a "still
# on it") for the first time, by the need's urgency, asks its volunteer "still on it?"; no answer
# within the second releases it.
CHECK_IN = {
    Urgency.TODAY: (timedelta(hours=6), timedelta(hours=3)),
    Urgency.SOON: (timedelta(hours=24), timedelta(hours=12)),
    Urgency.WEEK: (timedelta(days=3), timedelta(hours=24)),
    Urgency.ANYTIME: (timedelta(days=7), timedelta(hours=48)),
}


class Need(ChoiceLabels, models.Model):
    # Its sealed columns: lists that never show them defer them, so nothing is even decrypted.
    SEALED = ("details", "decline_reason")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="needs"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="needs")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="needs")
    summary = models.CharField(_("public summary"), max_length=SUMMARY_MAX)
    # Seen only by the requester, the current claimant and organizers.
    details = EncryptedTextField(_("private details"), blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.WEEK)
    # Organizers-only needs stay off the board; organizers match them privately.
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    # The requester's handle is hidden from everyone but organizers, everywhere.
    anonymous = models.BooleanField(_("post without my handle"), default=False)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    # The member holding the need now; set and cleared only by compare-and-set updates.
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_needs",
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # When retention emptied its private details and conversation (anonymous facts remain).
    purged_at = models.DateTimeField(null=True, blank=True)
    # When a safety officer hid it: off the boards, seen only by its requester and organizers.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # A need that repeats: when it closes as done, the next is posted (``follows`` this one).
    recurrence = models.CharField(
        _("does it repeat?"), max_length=12, choices=Recurrence.choices, blank=True, default=""
    )
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Triage: its priority, and where it stands in the dispatch queue (see ``queue_at``), kept by
    # the services whenever its urgency or priority changes.
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    queue_at = models.DateTimeField(default=timezone.now)
    # Ended by a triager as the same as this need (both pages link to each other).
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # Why a triager declined it and where else to turn, shown to its requester: sealed, as it
    # speaks of a person's situation.
    decline_reason = EncryptedTextField(blank=True)
    # The one-time key of the form that posted it (lib.idempotency): the same form sent again
    # finds this need instead of posting another.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    # True on a need that need_post found posted already with the same key, rather than posting.
    replayed = False

    class Meta:
        indexes = [
            # The dispatch queue: WHERE status IN ('open', 'proposed') ORDER BY queue_at
            models.Index(fields=["status", "queue_at"], name="need_queue_idx"),
            # The dispatch queue's counts (waiting, stale by urgency), read from the index alone:
            # WHERE status IN (...) AND hidden_at IS NULL AND (urgency = ? AND created_at < ?)...
            models.Index(
                fields=["status", "hidden_at", "urgency", "created_at", "queue_at"],
                name="need_waiting_idx",
            ),
            # The board: WHERE status = 'open' [AND area_id IN (...)] ORDER BY urgency, created_at
            models.Index(fields=["status", "area", "created_at"], name="need_board_idx"),
            # The clocks: WHERE status = 'fulfilled' AND status_changed_at < ... (auto-confirm)
            models.Index(fields=["status", "status_changed_at"], name="need_clock_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NeedStatus.values), name="need_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="need_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="need_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(recurrence__in=Recurrence.values), name="need_recurrence_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="need_priority_valid"
            ),
            # A claimed or fulfilled need always has its claimant; any other need has none.
            models.CheckConstraint(
                condition=(
                    Q(status__in=[NeedStatus.CLAIMED, NeedStatus.FULFILLED], claimant__isnull=False)
                    | (
                        ~Q(status__in=[NeedStatus.CLAIMED, NeedStatus.FULFILLED])
                        & Q(claimant__isnull=True)
                    )
                ),
                name="need_claimant_matches_status",
            ),
            # One need per member and form submission: WHERE requester_id = ? AND
            # idempotency_key = ? (need_post); partial, as most needs have no key.
            models.UniqueConstraint(
                fields=["requester", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="need_idempotency_key_unique",
            ),
        ]

    def __str__(self):
        return self.summary

    def is_open(self) -> bool:
        return self.status == NeedStatus.OPEN

    def is_active(self) -> bool:
        """Still in the loop: somebody may yet act on it."""
        return self.status not in ENDED

    def allows(self, action: str) -> bool:
        """Whether the need's state lets ``action`` (a NEED_TRANSITIONS key) happen now."""
        return self.status in NEED_TRANSITIONS[action].sources

    def is_requester(self, member) -> bool:
        return member.is_authenticated and self.requester_id == member.pk

    def is_claimant(self, member) -> bool:
        return member.is_authenticated and self.claimant_id == member.pk

    def can_see_private(self, member) -> bool:
        """Private details and messages: the requester, the current claimant, and organizers whose
        role reads private text (the policy's READ_PRIVATE)."""
        return (
            self.is_requester(member)
            or self.is_claimant(member)
            or (member.is_authenticated and member.can("read_private"))
        )

    def hides_requester_from(self, member) -> bool:
        """An anonymous need's handle is known only to the requester and organizers whose role
        sees handles."""
        return self.anonymous and not (
            self.is_requester(member) or (member.is_authenticated and member.can("see_handles"))
        )

    def _by(self, action: str, member) -> bool:
        """The state allows ``action`` and ``member`` is who the table says makes it."""
        if not self.allows(action):
            return False
        by = NEED_TRANSITIONS[action].by
        if by == "requester":
            return self.is_requester(member)
        if by == "claimant":
            return self.is_claimant(member)
        if by == "volunteer":
            return may_volunteer(self, member)
        if by == "matcher":
            return member.is_authenticated and member.can("match")
        if by == "triager":
            return member.is_authenticated and member.can("triage")
        if by == "proposed":
            return self.is_proposed_to(member)
        return False

    def live_proposal(self):
        """The proposal waiting for its volunteer's answer, or None (one query, kept)."""
        if not hasattr(self, "_live_proposal"):
            self._live_proposal = (
                self.proposals.filter(answered_at__isnull=True).select_related("volunteer").first()
                if self.status == NeedStatus.PROPOSED
                else None
            )
        return self._live_proposal

    def is_proposed_to(self, member) -> bool:
        proposal = self.live_proposal()
        return (
            member.is_authenticated and proposal is not None and proposal.volunteer_id == member.pk
        )

    def can_message(self, member) -> bool:
        return self.status in HELD and (self.is_requester(member) or self.is_claimant(member))

    def can_claim(self, member) -> bool:
        return self._by("claim", member)

    def can_release(self, member) -> bool:
        return self._by("release", member)

    def can_mark_fulfilled(self, member) -> bool:
        return self._by("fulfil", member)

    def can_confirm(self, member) -> bool:
        return self._by("confirm", member)

    def can_reopen(self, member) -> bool:
        return self._by("reopen", member)

    def can_cancel(self, member) -> bool:
        return self._by("cancel", member)

    def can_accept(self, member) -> bool:
        return self._by("accept", member)

    def can_decline(self, member) -> bool:
        return self._by("decline", member)

    def can_keep(self, member) -> bool:
        """The volunteer answers "still on it?": only while a check-in waits for them."""
        if not (self.status == NeedStatus.CLAIMED and self.is_claimant(member)):
            return False
        return self.claims.filter(ended_at__isnull=True, check_in_asked_at__isnull=False).exists()

    def can_edit(self, member) -> bool:
        """The requester changes an open need, or one waiting for triage (the summary meets the
        doxxing guard again)."""
        return self.status in (NeedStatus.OPEN, NeedStatus.TRIAGE) and self.is_requester(member)

    def can_repost(self, member) -> bool:
        """The requester posts an expired or cancelled need again, in one click."""
        return (
            self.status in (NeedStatus.EXPIRED, NeedStatus.CANCELLED)
            and self.purged_at is None
            and self.is_requester(member)
        )

    def can_assign(self, member) -> bool:
        """Organizers who match needs pair an open need with a volunteer (how organizers-only
        needs are met)."""
        return self._by("assign", member)

    def can_share_contact(self, member) -> bool:
        """The requester may share one way to reach them with the volunteer holding it now."""
        return self.is_requester(member) and self.can_message(member)

    def actions_for(self, member) -> dict[str, bool]:
        """What this member may do to the need now: the buttons its page shows."""
        can = {
            "claim": self.can_claim(member),
            "release": self.can_release(member),
            "fulfil": self.can_mark_fulfilled(member),
            "confirm": self.can_confirm(member),
            "reopen": self.can_reopen(member),
            "cancel": self.can_cancel(member),
            "accept": self.can_accept(member),
            "decline": self.can_decline(member),
            "keep": self.can_keep(member),
            "edit": self.can_edit(member),
            "repost": self.can_repost(member),
        }
        can["any"] = any(can.values())
        can["assign"] = self.can_assign(member)
        can["message"] = self.can_message(member)
        can["share_contact"] = self.can_share_contact(member)
        can["feedback"] = self.asks_feedback_of(member)
        return can

    def completed_by(self):
        """The volunteer whose claim closed it as done (None while it is not closed, or if they
        left): one query, for a closed need only."""
        if self.status != NeedStatus.CLOSED:
            return None
        claim = (
            self.claims.filter(end_reason=ClaimEnd.COMPLETED)
            .select_related("volunteer")
            .order_by("-ended_at", "-pk")
            .first()
        )
        return claim.volunteer if claim else None

    def asks_feedback_of(self, member) -> bool:
        """Closed as done: its requester and its volunteer are asked how it went (the safety
        app's follow-up page, ``safety:feedback``)."""
        if self.status != NeedStatus.CLOSED or not member.is_authenticated:
            return False
        if self.is_requester(member):
            return True
        volunteer = self.completed_by()
        return volunteer is not None and volunteer.pk == member.pk

    def auto_confirm_at(self):
        if self.status != NeedStatus.FULFILLED:
            return None
        return self.status_changed_at + timedelta(days=settings.AUTO_CONFIRM_DAYS)


def may_volunteer(need: Need, member) -> bool:
    """The member's own standing lets them take this need: vouched, not its requester. (Blocks,
    limits and days are the eligibility query's, see selectors.volunteers_eligible_for.)"""
    return (
        member.is_authenticated
        and member.is_vouched()
        and member.is_active
        and not need.is_requester(member)
    )


class OfferKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    ONGOING = "ongoing", _("Ongoing")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")  # a one-off offer that has been given
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(ChoiceLabels, models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offerer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="offers"
    )
    categories = models.ManyToManyField(Category, related_name="offers")
    areas = models.ManyToManyField("areas.Area", related_name="offers")
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX)
    kind = models.CharField(max_length=10, choices=OfferKind.choices, default=OfferKind.ONE_OFF)
    # Weekday numbers (0 = Monday) when the offerer is available; empty means any day.
    available_days = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # When a safety officer hid it: off the board, seen only by its offerer and organizers.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The one-time key of the form that posted it (lib.idempotency).
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    # True on an offer that offer_post found posted already with the same key, rather than posting.
    replayed = False

    class Meta:
        indexes = [
            # The offers board: WHERE status = 'open' ORDER BY created_at DESC
            models.Index(fields=["status", "created_at"], name="offer_board_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="offer_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=OfferKind.values), name="offer_kind_valid"),
            # One offer per member and form submission: WHERE offerer_id = ? AND
            # idempotency_key = ? (offer_post).
            models.UniqueConstraint(
                fields=["offerer", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="offer_idempotency_key_unique",
            ),
        ]

    def __str__(self):
        return self.summary

    def is_open(self) -> bool:
        return self.status == OfferStatus.OPEN

    def is_offerer(self, member) -> bool:
        return member.is_authenticated and self.offerer_id == member.pk

    def day_names(self) -> list[str]:
        return [Weekday(day).label for day in sorted(self.available_days)]


class ClaimEnd(models.TextChoices):
    RELEASED = "released", _("Released by the volunteer")
    REOPENED = "reopened", _("Reopened by the requester")
    CANCELLED = "cancelled", _("Need cancelled")
    COMPLETED = "completed", _("Need closed")
    LAPSED = "lapsed", _("Released: no answer to “still on it?”")


class Claim(ChoiceLabels, models.Model):
    """One volunteer's hold on one need, from the claim until it ends."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="claims")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="claims"
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=ClaimEnd.choices, blank=True)
    # The volunteer's last sign of life on it: the claim, a message of theirs, a "still on it".
    progress_at = models.DateTimeField(default=timezone.now)
    # When they were asked "still on it?" and have not answered yet (see CHECK_IN).
    check_in_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The database's own guard behind the compare-and-set: one live claim per need.
            models.UniqueConstraint(
                fields=["need"], condition=Q(ended_at__isnull=True), name="claim_one_live_per_need"
            ),
        ]
        indexes = [
            # My claims: WHERE volunteer_id = ? ORDER BY created_at DESC
            models.Index(fields=["volunteer", "created_at"], name="claim_volunteer_idx"),
            # The check-in clock: WHERE ended_at IS NULL AND progress_at < ?
            models.Index(fields=["ended_at", "progress_at"], name="claim_check_in_idx"),
        ]

    def is_live(self) -> bool:
        return self.ended_at is None


class ProposalAnswer(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Not answered in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the need was cancelled or hidden, or they left


class Proposal(models.Model):
    """A need put to one volunteer, who accepts (and then holds it) or declines, by a deadline.

    Made by an organizer who matches needs, or by the requester taking up the volunteer's offer.
    While it is live the need is "proposed" and has no claimant.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="proposals")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=ProposalAnswer.choices, blank=True)

    class Meta:
        constraints = [
            # One live proposal per need, behind the need's compare-and-set.
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(answered_at__isnull=True),
                name="proposal_one_live_per_need",
            ),
            models.CheckConstraint(
                condition=(
                    Q(answered_at__isnull=True, answer="")
                    | Q(answered_at__isnull=False, answer__in=ProposalAnswer.values)
                ),
                name="proposal_answer_valid",
            ),
        ]
        indexes = [
            # The clock: WHERE answered_at IS NULL AND deadline <= now
            models.Index(fields=["answered_at", "deadline"], name="proposal_clock_idx"),
            # Asked of me: WHERE volunteer_id = ? AND answered_at IS NULL
            models.Index(fields=["volunteer", "answered_at"], name="proposal_volunteer_idx"),
        ]

    def is_live(self) -> bool:
        return self.answered_at is None


class Message(models.Model):
    """A brokered message between a requester and the volunteer of one claim."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organizer who wrote it on behalf of a requester without an account (accounts'
    # ProxyContact), from what they said on the phone.
    relayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    # The one-time key of the form that sent it (lib.idempotency).
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    # True on a message that message_send found sent already with the same key, rather than sending.
    replayed = False

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A conversation: WHERE claim_id = ? ORDER BY created_at
            models.Index(fields=["claim", "created_at"], name="message_claim_idx"),
        ]
        constraints = [
            # One message per member and form submission: WHERE sender_id = ? AND
            # idempotency_key = ? (message_send).
            models.UniqueConstraint(
                fields=["sender", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="message_idempotency_key_unique",
            ),
        ]


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Other (address, meeting place...)")


class ContactShare(models.Model):
    """A way to reach the requester, shared with one volunteer for the length of one claim."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="contact")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    value = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="contact_kind_valid"
            ),
        ]


class EventKind(models.TextChoices):
    NEED_POSTED = "need_posted", _("posted the need")
    NEED_CLAIMED = "need_claimed", _("offered to help")
    NEED_MATCHED = "need_matched", _("matched the need to an offer")
    CLAIM_RELEASED = "claim_released", _("released the need")
    MESSAGE_SENT = "message_sent", _("sent a message")
    NEED_FULFILLED = "need_fulfilled", _("marked it done")
    NEED_CONFIRMED = "need_confirmed", _("confirmed it was done")
    NEED_AUTO_CONFIRMED = "need_auto_confirmed", _("confirmed it, as nobody answered in time")
    NEED_REOPENED = "need_reopened", _("reopened it: it wasn't done")
    NEED_CANCELLED = "need_cancelled", _("cancelled the need")
    NEED_EXPIRED = "need_expired", _("closed it: nobody could take it in time")
    CONTACT_SHARED = "contact_shared", _("shared a way to reach them")
    CONTACT_UNSHARED = "contact_unshared", _("stopped sharing their way to be reached")
    NEED_HIDDEN = "need_hidden", _("hid the need after a report")
    NEED_EDITED = "need_edited", _("changed the need")
    NEED_REPOSTED = "need_reposted", _("posted the need again")
    NEED_RECURRED = "need_recurred", _("posted the next one, as this need repeats")
    NEED_OFFERED_AGAIN = (
        "need_offered_again",
        _("offered it first to the volunteer who helped last time"),
    )
    OFFER_HIDDEN = "offer_hidden", _("hid the offer after a report")
    NEED_ASSIGNED = "need_assigned", _("matched the need with a volunteer")
    PROPOSAL_ACCEPTED = "proposal_accepted", _("accepted the match and took the need on")
    PROPOSAL_DECLINED = "proposal_declined", _("declined the match: the need is free again")
    PROPOSAL_EXPIRED = (
        "proposal_expired",
        _("withdrew the match, as the volunteer did not answer in time"),
    )
    PROPOSAL_WITHDRAWN = "proposal_withdrawn", _("withdrew the match: the volunteer can't take it")
    CHECK_IN_ASKED = "check_in_asked", _("asked the volunteer if they are still on it")
    CHECK_IN_ANSWERED = "check_in_answered", _("said they are still on it")
    CHECK_IN_LAPSED = (
        "check_in_lapsed",
        _("released the need, as the volunteer did not say they were still on it"),
    )
    NEED_PURGED = (
        "need_purged",
        _("removed the private details, as the network keeps them only so long"),
    )
    OFFER_POSTED = "offer_posted", _("posted the offer")
    OFFER_WITHDRAWN = "offer_withdrawn", _("withdrew the offer")
    OFFER_GIVEN = "offer_given", _("confirmed the offer was given")
    NEED_TAKEN_IN = "need_taken_in", _("recorded the need for a neighbor who called")
    NEED_PUBLISHED = "need_published", _("put the need on the board after triage")
    NEED_PRIORITISED = "need_prioritised", _("changed the need's priority")
    NEED_TRIAGED = "need_triaged", _("changed the need's kind of help, area or visibility")
    MORE_ASKED = "more_asked", _("asked the requester for more")
    MORE_GIVEN = "more_given", _("answered the organizers")
    NEED_MERGED = "need_merged", _("marked the need as the same as another")
    NEED_DECLINED = "need_declined", _("declined the need as out of scope")
    NOTE_ADDED = "note_added", _("added an organizers' note")
    MESSAGE_RELAYED = "message_relayed", _("relayed a message for the requester")
    ACTED_FOR = "acted_for", _("did that for the requester, who asked by phone")


# Events only organizers see on a need's timeline (they tell of organizers' notes and working).
ORGANIZER_EVENTS = frozenset({EventKind.NOTE_ADDED})


class AppendOnlyQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:
            raise TypeError("The timeline is append-only: events are never overwritten.")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError("The timeline is append-only: events are never updated.")

    def update_or_create(self, *args, **kwargs):
        raise TypeError("The timeline is append-only: events are never updated.")

    def update(self, **kwargs):
        raise TypeError("The timeline is append-only: events are never updated.")

    def delete(self):
        raise TypeError("The timeline is append-only: events are never deleted.")


class TimelineEvent(ChoiceLabels, models.Model):
    """Who did what and when, to a need, an offer or a claim. Append-only; no private text."""

    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A need's timeline: WHERE need_id = ? ORDER BY created_at
            models.Index(fields=["need", "created_at"], name="event_need_idx"),
            # An offer's timeline: WHERE offer_id = ? ORDER BY created_at
            models.Index(fields=["offer", "created_at"], name="event_offer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(need__isnull=False) | Q(offer__isnull=False),
                name="event_has_subject",
            ),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The timeline is append-only: events are never updated.")
        # Always an INSERT: a new event given an old event's id fails instead of overwriting it.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The timeline is append-only: events are never deleted.")


class NoteKind(models.TextChoices):
    INTERNAL = "internal", _("Organizers' note")
    QUESTION = "question", _("Question to the requester")
    ANSWER = "answer", _("The requester's answer")


class NeedNote(models.Model):
    """Organizers' words on a need: an internal note (organizers only), a question put to the
    requester during triage, or the requester's answer. Sealed; each one is on the timeline."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.INTERNAL)
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A need's notes: WHERE need_id = ? ORDER BY created_at
            models.Index(fields=["need", "created_at"], name="need_note_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values), name="need_note_kind_valid"
            ),
        ]

    def is_internal(self) -> bool:
        return self.kind == NoteKind.INTERNAL


class AccessKind(models.TextChoices):
    DETAILS = "details", _("private details")
    MESSAGES = "messages", _("messages")
    CONTACT = "contact", _("shared contact")
    NOTES = "notes", _("organizers' notes")
    MEMBER = "member", _("member's record")


class PrivateAccess(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whose private text it was: shown to them on their account page.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_accesses"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=10, choices=AccessKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # "Who viewed my private details": WHERE owner_id = ? ORDER BY created_at DESC
            models.Index(fields=["owner", "created_at"], name="access_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(what__in=AccessKind.values), name="access_what_valid"
            ),
        ]


# The resource directory: where else to turn ---------------------------------------------------

RESOURCE_NAME_MAX = 120
RESOURCE_DESCRIPTION_MAX = 500
RESOURCE_HOURS_MAX = 200
RESOURCE_LINK_MAX = 500
RESOURCE_PHONE_MAX = 20  # E.164 is at most 16 characters, "+" included
# What describes a resource, in the order its pages and audit rows list it.
RESOURCE_FIELDS = ("name", "kind", "description", "hours", "link", "phone", "areas", "categories")


class ResourceKind(models.TextChoices):
    """What a resource is; the public directory groups resources in this order."""

    FOOD_BANK = "food_bank", _("Food bank")
    SHELTER = "shelter", _("Shelter")
    HOTLINE = "hotline", _("Hotline")
    CLINIC = "clinic", _("Clinic")
    GUIDANCE = "guidance", _("Official guidance")
    OTHER = "other", _("Other")

    @classmethod
    def rank(cls):
        """An expression ordering rows by kind, in the order above."""
        return Case(
            *[When(kind=value, then=Value(i)) for i, value in enumerate(cls.values)],
            default=Value(len(cls.values)),
            output_field=IntegerField(),
        )


class Resource(ChoiceLabels, models.Model):
    """A place or a service outside the network that people can turn to: a food bank, a shelter, a
    hotline, a clinic, official guidance. Public: everything here is the organization's own public
    face (its phone included), never a person's. Written only by the services in resources.py.

    ``areas``: where it serves; none means the whole network. ``categories``: the kinds of help it
    serves; none means any kind. An archived resource stays for the record, off the directory.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=RESOURCE_NAME_MAX)
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=RESOURCE_HOURS_MAX, blank=True)
    # An http(s) address only (resources.py checks it).
    link = models.URLField(_("link"), max_length=RESOURCE_LINK_MAX, blank=True)
    # E.164 ("+18002738255"), or a short number dialled as it is in the network's country ("988").
    phone = models.CharField(_("phone"), max_length=RESOURCE_PHONE_MAX, blank=True)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), blank=True, related_name="resources"
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("kinds of help"), blank=True, related_name="resources"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            # The directory: WHERE archived_at IS NULL [AND kind = ?] ORDER BY kind, name
            models.Index(fields=["archived_at", "kind", "name"], name="resource_directory_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
            # The natural key an import finds a resource by: its name in any case, and its kind.
            models.UniqueConstraint(Lower("name"), "kind", name="resource_name_kind_unique"),
        ]

    def __str__(self):
        return self.name

    def is_active(self) -> bool:
        return self.archived_at is None

    def phone_shown(self) -> str:
        """The phone as people read it: "+1 800-273-8255"; a short number as it is ("988")."""
        if not self.phone.startswith("+"):
            return self.phone
        try:
            number = phonenumbers.parse(self.phone, None)
        except phonenumbers.NumberParseException:
            return self.phone
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def link_host(self) -> str:
        """The link's site, as its text shows it ("foodbank.example.org")."""
        return (urlsplit(self.link).hostname or "").removeprefix("www.")

    def phone_link(self) -> str:
        """A tel: address for the phone, or "" when there is none."""
        return f"tel:{self.phone}" if self.phone else ""


class ResourceAction(models.TextChoices):
    ADDED = "added", _("added")
    CHANGED = "changed", _("changed")
    ARCHIVED = "archived", _("archived")
    RESTORED = "restored", _("restored")


class ResourceChange(AuditRecord):
    """One change to a resource by an organizer: added (``new`` holds it whole), changed (``old``
    and ``new`` hold the fields that changed: text, and areas and kinds of help as sorted names),
    archived or restored. Written by the services in resources.py; append-only (lib/audit.py)."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=12, choices=ResourceAction.choices)

    class Meta(AuditRecord.Meta):
        indexes = [
            # A resource's history: WHERE resource_id = ? ORDER BY created_at DESC
            models.Index(fields=["resource", "created_at"], name="resource_change_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ResourceAction.values),
                name="resource_change_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.resource_id}: {self.old!r} -> {self.new!r}"

    def fields_changed(self) -> list[str]:
        """The names of the fields a change changed, as people read them."""
        if self.action != ResourceAction.CHANGED or not isinstance(self.new, dict):
            return []
        return [
            str(Resource._meta.get_field(name).verbose_name)
            for name in RESOURCE_FIELDS
            if name in self.new
        ]
