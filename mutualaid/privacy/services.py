"""Writes that exist to protect members: key rotation, retention, access records."""

from django.apps import apps
from django.db import transaction

from mutualaid.accounts.models import Member
from mutualaid.aid import services as aid_services
from mutualaid.aid.models import (
    ContactShare,
    Message,
    Need,
    NeedNote,
    NeedStatus,
    NoteKind,
    Offer,
    OfferStatus,
)
from mutualaid.lib.crypto import keyring
from mutualaid.lib.fields import EncryptedTextField

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


def member_delete(*, member: Member) -> None:
    """Remove a member and everything private about them; leave the anonymous facts.

    Their open and claimed needs are cancelled and their live claims released, through the aid
    services, so the timeline records it and the people affected get a notice. Their messages,
    shared contacts and private details go; the needs, claims, offers and timeline events stay,
    with the member's place in them emptied (SET_NULL).
    """
    with transaction.atomic():
        # Lock the rows this changes, so that nobody claims one of them half-way through.
        own = (
            Need.objects.select_for_update(of=("self",))
            .filter(
                requester=member,
                status__in=[
                    NeedStatus.TRIAGE,
                    NeedStatus.OPEN,
                    NeedStatus.PROPOSED,
                    NeedStatus.CLAIMED,
                ],
            )
            .select_related("claimant")
            .order_by("pk")
        )
        for need in list(own):  # need_cancel tells each volunteer
            aid_services.need_cancel(need=need, member=member)

        held = (
            Need.objects.select_for_update(of=("self",))
            .filter(claimant=member)
            .select_related("requester")
            .order_by("pk")
        )
        for need in list(held):  # need_release(leaving=True) tells each requester
            aid_services.need_release(need=need, member=member, leaving=True)
        aid_services.proposals_withdraw_for(member=member)  # needs they were asked to take on

        for offer in Offer.objects.filter(offerer=member, status=OfferStatus.OPEN).order_by("pk"):
            aid_services.offer_withdraw(offer=offer, member=member)

        Message.objects.filter(sender=member).delete()
        ContactShare.objects.filter(claim__need__requester=member).delete()
        # Organizers' notes and questions about their needs, and their answers, speak of them.
        NeedNote.objects.filter(need__requester=member).delete()
        NeedNote.objects.filter(author=member, kind=NoteKind.ANSWER).delete()
        Need.objects.filter(requester=member).update(details="", decline_reason="")
        member.delete()
