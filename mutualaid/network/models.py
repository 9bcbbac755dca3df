"""The network's own settings, which its admins change from a page (not the environment)."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from mutualaid.lib import network_name
from mutualaid.lib.audit import AuditRecord
from mutualaid.lib.prepared import PreparedQuery


def default_name() -> str:
    """A new network is called what the server's SITE_NAME says until its admins name it."""
    return settings.SITE_NAME


class NetworkSettings(models.Model):
    """One row: the settings of this network."""

    name = models.CharField(_("network name"), max_length=80, default=default_name)
    scope = models.TextField(
        _("scope"),
        blank=True,
        help_text=_("The area served, the kinds of aid, the hours: shown on the public page."),
    )
    # Shown on the public page beside the link to the organizers' contact form: no address of
    # anyone's is needed there, the form lands in the organizers' queue.
    contact_hours = models.TextField(
        _("how and when the organizers answer"),
        blank=True,
        help_text=_("When the organizers answer, and where to turn in an emergency."),
    )
    vouches_required = models.PositiveSmallIntegerField(
        _("vouches needed to become a vouched member"), default=1
    )
    vouch_wait_days = models.PositiveSmallIntegerField(
        _("days a new vouched member waits before vouching for others"), default=14
    )
    vouch_limit = models.PositiveSmallIntegerField(
        _("vouches a member may give per 30 days"), default=3
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days private details are kept after a need ends"), default=30
    )
    max_active_claims = models.PositiveSmallIntegerField(
        _("most needs one volunteer may hold at once"), default=5
    )
    proposal_hours = models.PositiveSmallIntegerField(
        _("hours a volunteer has to answer a match before the need is free again"), default=24
    )
    # Triage: new needs wait in the triagers' queue until one publishes them to the board.
    triage_first = models.BooleanField(_("new needs go to triage first"), default=False)
    # A need waiting longer than this for its urgency stands out as stale in the dispatch queue.
    stale_hours_today = models.PositiveSmallIntegerField(
        _("hours before a need for today is stale"), default=2
    )
    stale_hours_soon = models.PositiveSmallIntegerField(
        _("hours before a need for the next days is stale"), default=12
    )
    stale_hours_week = models.PositiveSmallIntegerField(
        _("hours before a need for this week is stale"), default=48
    )
    stale_hours_anytime = models.PositiveSmallIntegerField(
        _("hours before a need for any time is stale"), default=168
    )
    # Where the network's phone numbers are dialled: the doxxing guard reads numbers written
    # without a country code as this region's (an ISO 3166 code, e.g. US, ES, MX).
    phone_region = models.CharField(_("country for phone numbers"), max_length=2, default="US")
    # Who last changed these settings from the page, and when (services.network_settings_update).
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "network settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="network_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(vouches_required__gte=1), name="network_vouches_at_least_one"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The name shown on every page is kept in the cache (lib/network_name.py): read afresh once
        # this commits. (services.network_settings_update writes with update() and does the same.)
        transaction.on_commit(network_name.forget)

    @classmethod
    def load(cls) -> "NetworkSettings":
        # Read on every need posted (twice) and many pages: its SQL built once (lib/prepared.py).
        found = _SETTINGS_ROW.objects(values={})
        if found:
            return found[0]
        row, _created = cls.objects.get_or_create(pk=1)
        return row


_SETTINGS_ROW = PreparedQuery(lambda: NetworkSettings.objects.filter(pk=1)[:1])


class SettingsChange(AuditRecord):
    """One setting changed from the page: which, by whom, its value before and after.

    Written by services.network_settings_update in the same transaction as the change; never
    updated or deleted (lib/audit.py).
    """

    field = models.CharField(max_length=32)

    class Meta(AuditRecord.Meta):
        indexes = [
            # The settings page's last changes: ORDER BY created_at DESC LIMIT n
            models.Index(fields=["created_at"], name="settings_change_created_idx"),
        ]

    def __str__(self):
        return f"{self.field}: {self.old!r} -> {self.new!r}"

    def label(self) -> str:
        """The setting's name as the page shows it."""
        try:
            return NetworkSettings._meta.get_field(self.field).verbose_name.capitalize()
        except FieldDoesNotExist:
            return self.field
