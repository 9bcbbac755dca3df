"""The record of who opened whose private text: written every time an organizer reads it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    DETAILS = "details", _("private details")
    MESSAGES = "messages", _("messages")
    CONTACT = "contact", _("shared contact")


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
        "aid.Need", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
