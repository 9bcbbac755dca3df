"""Messages from neighbors to the organizers (the public contact form), and the record of what was
done with each.

A message's words, the name its sender gave and how to answer them are sealed (lib/fields.py): only
organizers who take calls read them, in their inbox. Nothing else holds them: not the notice that a
message is waiting, not the audit rows, not a log line.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mutualaid.lib.audit import AuditRecord
from mutualaid.lib.fields import EncryptedTextField

CONTACT_BODY_MAX = 2000
CONTACT_NAME_MAX = 60
CONTACT_REPLY_TO_MAX = 200


class ContactMessage(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # A member who was logged in when they wrote; None for a visitor. Their words go with their
    # account when they delete it (privacy.services.member_delete deletes the member's row).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    name = EncryptedTextField(blank=True)
    reply_to = EncryptedTextField(blank=True)
    body = EncryptedTextField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        indexes = [
            # The inbox and its count: WHERE handled_at IS NULL ORDER BY created_at DESC
            models.Index(
                fields=["-created_at"],
                condition=Q(handled_at__isnull=True),
                name="contact_waiting_idx",
            ),
            # Handled messages: WHERE handled_at IS NOT NULL ORDER BY handled_at DESC
            models.Index(
                fields=["-handled_at"],
                condition=Q(handled_at__isnull=False),
                name="contact_handled_idx",
            ),
        ]
        constraints = [
            # Whoever handled it is named only once it is handled (None if their account is gone).
            models.CheckConstraint(
                condition=Q(handled_at__isnull=False) | Q(handled_by__isnull=True),
                name="contact_handled_valid",
            ),
        ]

    def __str__(self):
        return str(self.code)

    def is_handled(self) -> bool:
        return self.handled_at is not None


class ContactChange(AuditRecord):
    """One step of a message: received (by its sender, None for a visitor) or handled (by an
    organizer), with the state before and after. Written by dispatch/contact.py in the same
    transaction; never updated or deleted (lib/audit.py). Never the message's words."""

    class Action(models.TextChoices):
        RECEIVED = "received", "received"
        HANDLED = "handled", "handled"

    message = models.ForeignKey(
        ContactMessage, null=True, on_delete=models.SET_NULL, related_name="changes"
    )
    action = models.CharField(max_length=10, choices=Action.choices)

    class Meta(AuditRecord.Meta):
        indexes = [
            # A message's record: WHERE message_id = ? ORDER BY created_at
            models.Index(fields=["message", "created_at"], name="contact_change_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["received", "handled"]), name="contact_change_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.action}: {self.old!r} -> {self.new!r}"
