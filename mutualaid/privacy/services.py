"""Writes that exist to protect members: key rotation, retention, access records."""

from django.apps import apps
from django.db import transaction

from mutualaid.lib.crypto import keyring
from mutualaid.lib.fields import EncryptedTextField

from .models import AccessKind, PrivateAccess

RESEAL_BATCH = 500


def encrypted_fields():
    """Every (model, [encrypted field names]) in the project."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def fields_reseal() -> dict[tuple[str, str], tuple[int, int]]:
    """Re-seal every value not under the newest key. Returns {(model, field): (re-sealed, all)}."""
    ring = keyring()
    report = {}
    for model, names in encrypted_fields():
        for name in names:
            stale, total = [], 0
            for pk, token in model.objects.values_list("pk", name).iterator():
                if token:
                    total += 1
                    if ring.key_id_of(token) != ring.newest:
                        stale.append(pk)
            for start in range(0, len(stale), RESEAL_BATCH):
                with transaction.atomic():
                    batch = model.objects.filter(pk__in=stale[start : start + RESEAL_BATCH])
                    for row in batch.only("pk", "code", name):
                        row.save(update_fields=[name])  # opens with the old key, seals anew
            report[(model._meta.label, name)] = (len(stale), total)
    return report


def private_access_record(*, viewer, need, what) -> list[PrivateAccess]:
    """Write down that an organizer opened someone's private text on ``need``.

    ``what`` lists the AccessKind values the page shows. The requester and the current volunteer
    reading their own need are not recorded; nor is anyone who may not read it (they are shown
    nothing). One INSERT, whatever the page shows, so the page's query count stays fixed.
    """
    what = [AccessKind(kind) for kind in dict.fromkeys(what)]
    if (
        not what
        or need.requester_id is None
        or not getattr(viewer, "is_organizer", False)
        or need.is_requester(viewer)
        or need.is_claimant(viewer)
    ):
        return []
    return PrivateAccess.objects.bulk_create(
        PrivateAccess(viewer=viewer, owner_id=need.requester_id, need=need, what=kind)
        for kind in what
    )
