"""Safety: members' reports about a member or a post, the safety officers' handling of them, and
blocks between members.

A report is never deleted while its subject exists: how it was handled is its record.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mutualaid.lib.fields import EncryptedTextField

DETAILS_MAX = 500
NOTE_MAX = 300


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("A member")
    NEED = "need", _("A need")
    OFFER = "offer", _("An offer")
    MESSAGE = "message", _("A message")


class Reason(models.TextChoices):
    HARASSMENT = "harassment", _("Harassment or threats")
    UNSAFE = "unsafe", _("Something felt unsafe")
    SCAM = "scam", _("A scam, or asking for money")
    PRIVACY = "privacy", _("Shares someone's private details")
    SPAM = "spam", _("Spam or not mutual aid")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("a safety report", "Open")
    DISMISSED = "dismissed", _("Dismissed")
    ACTIONED = "actioned", _("Acted on")


class ReportAction(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss: nothing to act on")
    HIDE = "hide", _("Hide the post")
    WARN = "warn", _("Warn the member")
    SUSPEND = "suspend", _("Suspend the member")


class Report(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="reports_made"
    )
    kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    # Exactly one of these, the one ``kind`` names (see the constraint). A report goes with its
    # subject: a message purged by retention, or a member who leaves, takes its reports along.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports_about",
    )
    need = models.ForeignKey(
        "aid.Need", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    offer = models.ForeignKey(
        "aid.Offer", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    message = models.ForeignKey(
        "aid.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    # Sealed, like private details: what the reporter says happened (at most DETAILS_MAX).
    details = EncryptedTextField(_("what happened (optional)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=ReportAction.choices, blank=True)
    # Sealed: for a warning or a suspension, the words the member reads (at most NOTE_MAX).
    action_note = EncryptedTextField(blank=True)

    class Meta:
        indexes = [
            # The safety queue: WHERE status = 'open' ORDER BY created_at
            models.Index(fields=["status", "created_at"], name="report_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=SubjectKind.MEMBER,
                        member__isnull=False,
                        need__isnull=True,
                        offer__isnull=True,
                        message__isnull=True,
                    )
                    | Q(
                        kind=SubjectKind.NEED,
                        member__isnull=True,
                        need__isnull=False,
                        offer__isnull=True,
                        message__isnull=True,
                    )
                    | Q(
                        kind=SubjectKind.OFFER,
                        member__isnull=True,
                        need__isnull=True,
                        offer__isnull=False,
                        message__isnull=True,
                    )
                    | Q(
                        kind=SubjectKind.MESSAGE,
                        member__isnull=True,
                        need__isnull=True,
                        offer__isnull=True,
                        message__isnull=False,
                    )
                ),
                name="report_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=Reason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            # An open report has no handling; a handled one says who, when and what.
            models.CheckConstraint(
                condition=(
                    Q(status=ReportStatus.OPEN, handled_at__isnull=True, action="")
                    | (
                        ~Q(status=ReportStatus.OPEN)
                        & Q(handled_at__isnull=False, action__in=ReportAction.values)
                    )
                ),
                name="report_handled_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_reason_display()}"

    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN

    def subject_member(self):
        """The member the report is about: the member, or whoever wrote the post."""
        if self.kind == SubjectKind.MEMBER:
            return self.member
        if self.kind == SubjectKind.NEED:
            return self.need.requester
        if self.kind == SubjectKind.OFFER:
            return self.offer.offerer
        return self.message.sender

    def subject_post(self):
        """The need or offer that hiding would hide, if the report is about one."""
        return self.need if self.kind == SubjectKind.NEED else self.offer

    def actions(self) -> list[str]:
        """What a safety officer may do with this report."""
        if not self.is_open():
            return []
        can = [ReportAction.DISMISS]
        post = self.subject_post()
        if post is not None and post.hidden_at is None:
            can.append(ReportAction.HIDE)
        if self.subject_member() is not None:
            can += [ReportAction.WARN, ReportAction.SUSPEND]
        return can


class Side(models.TextChoices):
    REQUESTER = "requester", _("The person who asked")
    VOLUNTEER = "volunteer", _("The volunteer")


class Outcome(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Feedback(models.Model):
    """After a need closes as done, each side answers privately, once: did it meet the need, and
    did anything feel unsafe. For organizers only (those who match needs or handle reports), never
    the other side; "unsafe" also opens a report in the safety queue (``report``)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    need = models.ForeignKey("aid.Need", on_delete=models.CASCADE, related_name="feedback")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    unsafe = models.BooleanField(default=False)
    # Sealed, like a report's details: anything they want the organizers to know (at most
    # DETAILS_MAX).
    words = EncryptedTextField(blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The organizers' page: ORDER BY created_at DESC
            models.Index(fields=["created_at"], name="feedback_recent_idx"),
        ]
        constraints = [
            # Once per person per need (the service says so first; this is the database's guard).
            models.UniqueConstraint(fields=["need", "side"], name="feedback_once_per_side"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="feedback_side_valid"),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="feedback_outcome_valid"
            ),
        ]

    def __str__(self):
        return f"{self.side} on {self.need_id}: {self.outcome}"
