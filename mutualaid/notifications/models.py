"""How a member wants to hear about things beyond the app: a chat address and per-kind choices."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualaid.lib.fields import EncryptedTextField

EMAIL = "email"
CHAT = "chat"


class Mode(models.TextChoices):
    IMMEDIATELY = "now", _("Right away")
    DIGEST = "daily", _("In a daily email")
    NEVER = "never", _("Never")


class ChatHook(models.Model):
    """A member's one apprise URL (ntfy, a Slack/Discord/Matrix/Mattermost webhook, Telegram, an
    SMS gateway). Sealed: such a URL is a secret that lets anyone post to that place."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_hook"
    )
    url = EncryptedTextField()
    updated_at = models.DateTimeField(default=timezone.now)


class OrganizerHook(models.Model):
    """The one apprise URL the admins set for the organizers' daily summary (counts and links,
    never private text). At most one row (``alerts.organizer_hook_set``)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    url = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Preference(models.Model):
    """A member's choice for one kind of notice on one channel. No row: the default
    (``selectors.default_mode``)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choices"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=20)
    mode = models.CharField(max_length=10, choices=Mode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "channel"], name="preference_one_per_kind_channel"
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="preference_mode_valid"),
        ]
        # A member's choices (every notify, the page): the unique constraint's index serves
        # WHERE member_id = ? [AND kind = ? AND channel = ?].


class DigestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Digest(models.Model):
    """One daily email: the digest-mode notices of one member from ``since`` to ``until``.

    Made once per period (unique on member and ``since``, which is the previous digest's
    ``until``), claimed by a compare-and-set like an outbox row, so it is never sent twice.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    since = models.DateTimeField()
    until = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=DigestStatus.choices, default=DigestStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    notice_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "since"], name="digest_one_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=DigestStatus.values), name="digest_status_valid"
            ),
        ]
        indexes = [
            # The worker's queue: WHERE status = 'pending' AND next_attempt_at <= now
            models.Index(fields=["status", "next_attempt_at"], name="digest_queue_idx"),
            # A member's last digest: WHERE member_id = ? ORDER BY until DESC
            models.Index(fields=["member", "until"], name="digest_member_idx"),
        ]


# Who hears what ------------------------------------------------------------------------------


class NeedAlerts(models.Model):
    """A volunteer's opt-in to hear of needs that open near them in the kinds of help they tick.

    No row, or ``enabled`` off: never. ``per_day``: at most so many such notices a day (the
    network's day, in its time zone). ``quiet_from``/``quiet_until``: hours (network time) during
    which a need that opens is not told to them at all (it stays on the board).
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_alerts"
    )
    enabled = models.BooleanField(default=False)
    categories = models.ManyToManyField("aid.Category", blank=True, related_name="+")
    per_day = models.PositiveSmallIntegerField(default=3)
    quiet_from = models.PositiveSmallIntegerField(null=True, blank=True)
    quiet_until = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(per_day__gte=1, per_day__lte=50), name="need_alerts_per_day_range"
            ),
            models.CheckConstraint(
                condition=(Q(quiet_from__isnull=True) | Q(quiet_from__lte=23))
                & (Q(quiet_until__isnull=True) | Q(quiet_until__lte=23)),
                name="need_alerts_quiet_hours",
            ),
        ]

    def is_quiet_at(self, hour: int) -> bool:
        """Whether ``hour`` (0-23, network time) is in the window; it may run past midnight."""
        start, end = self.quiet_from, self.quiet_until
        if start is None or end is None or start == end:
            return False
        if start < end:
            return start <= hour < end
        return hour >= start or hour < end


class NeedAlert(models.Model):
    """One volunteer told of one opening of one need: the daily count, and "never twice"."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey("aid.Need", on_delete=models.CASCADE, related_name="+")
    # The need's status_changed_at when it opened: each opening is told once.
    opened_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "need", "opened_at"], name="need_alert_once_per_opening"
            ),
        ]
        indexes = [
            # The daily cap: WHERE member_id = ? AND created_at >= (the network's midnight)
            models.Index(fields=["member", "created_at"], name="need_alert_member_idx"),
        ]


class UnclaimedAlert(models.Model):
    """An urgent need the organizers were told nobody had taken on: once per need."""

    need = models.OneToOneField("aid.Need", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class DailyRun(models.Model):
    """One of the organizers' daily messages (the newcomers' count, the chat summary) for one day
    of the network: made once (unique), claimed by a compare-and-set on ``attempts``."""

    name = models.CharField(max_length=40)
    day = models.DateField()
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="daily_run_once_a_day"),
        ]


class WorkerBeat(models.Model):
    """A task worker's last sign of life: ``manage.py worker`` beats every few seconds, from a
    thread of its own, while it waits and while it runs a task. /healthz reads the newest beat;
    housekeeping puts back in the queue the tasks of a worker that stopped (workers.py)."""

    # The id the worker claims tasks under (DBTaskResult.worker_ids); a new one each start.
    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)
