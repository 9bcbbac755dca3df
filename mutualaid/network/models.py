"""The network's own settings, which its admins change from a page (not the environment)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkSettings(models.Model):
    """One row: the settings of this network."""

    name = models.CharField(_("network name"), max_length=80, default="Mutual Aid")
    scope = models.TextField(
        _("scope"),
        blank=True,
        help_text=_("The area served, the kinds of aid, the hours: shown on the public page."),
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

    @classmethod
    def load(cls) -> "NetworkSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row
