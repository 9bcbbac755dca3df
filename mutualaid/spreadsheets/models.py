"""What moving over from spreadsheets keeps.

- ``Upload``: a CSV on its way in, between the steps of the upload page (mapping, dry run,
  import). Sealed, seen by its uploader alone; its words are emptied once it is imported, and
  the row goes a day after it came (housekeeping).
- ``ImportedRow``: one row that landed, as the keyed fingerprint of its values (never its words)
  and the code of what it made, so that importing the same file again skips it.
- ``ImportedCaller``: a neighbor a needs import recorded as a caller, found again by the keyed
  digest of how to reach them, so that their second need in a sheet is theirs, not a new
  caller's.
- ``ImportRecord``: the audit row of each import: who, which kind, and the counts (no content).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualaid.lib.audit import AuditRecord
from mutualaid.lib.fields import EncryptedTextField


class Kind(models.TextChoices):
    NEEDS = "needs", _("Needs")
    OFFERS = "offers", _("Offers")
    MEMBERS = "members", _("Members")
    RESOURCES = "resources", _("Resources")


class ImportedRow(models.Model):
    """A row that was imported: HMAC-SHA256 of its normalised values under a key derived from
    SECRET_KEY (kinds.fingerprint), and the code of the need, offer, member or resource made."""

    kind = models.CharField(max_length=12, choices=Kind.choices)
    fingerprint = models.CharField(max_length=64)
    record = models.UUIDField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also the index of "which of these rows were imported already":
            # WHERE kind = ? AND fingerprint IN (...)
            models.UniqueConstraint(fields=["kind", "fingerprint"], name="imported_row_once"),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="imported_row_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.record}"


class ImportedCaller(models.Model):
    """A caller (accounts.ProxyContact) recorded by an import, by the keyed digest of the way to
    reach them. Goes with the member when they delete their account."""

    digest = models.CharField(max_length=64, unique=True)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"caller {self.member_id}"


class UploadState(models.TextChoices):
    MAPPING = "mapping", _("Columns to match")
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Stopped")


# The states from which a check or an import may start (a compare-and-set, so that a form sent
# twice starts one run).
STARTABLE = (UploadState.MAPPING, UploadState.CHECKED, UploadState.FAILED)
RUNNING = (UploadState.CHECKING, UploadState.IMPORTING)


class Upload(models.Model):
    """A CSV file between the steps of the upload page, and the report of its last run."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The file as text, and the organizer's street and postcode lookup: sealed, emptied once
    # imported.
    content = EncryptedTextField(blank=True)
    lookup = EncryptedTextField(blank=True)
    # One field name per column of the file ("" for a column left out): names, never values.
    mapping = models.JSONField(default=list)
    # The uploader said that the people in the file agreed to be recorded and contacted.
    consent = models.BooleanField(default=False)
    # The uploader's language when they started the run: its report's reasons are in it.
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(
        max_length=10, choices=UploadState.choices, default=UploadState.MAPPING
    )
    rows = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # The last run's counts and rejected rows (line numbers and reasons), as JSON: sealed.
    report = EncryptedTextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Housekeeping: WHERE created_at < ?
            models.Index(fields=["created_at"], name="upload_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="upload_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=UploadState.values), name="upload_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} upload {self.code}"

    def is_running(self) -> bool:
        return self.state in RUNNING


class ImportRecord(AuditRecord):
    """One import: who ran it (``actor``), which kind, and in ``new`` its counts (rows,
    imported, skipped, rejected). Never a row's content. Append-only (lib/audit.py)."""

    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta(AuditRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="import_record_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} import by {self.actor_id}: {self.new!r}"
