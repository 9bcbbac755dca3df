"""Writes to a member's own account: joining, notices, their details, and leaving the network."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.aid import services as aid_services
from mutualaid.aid.models import (
    ContactShare,
    Message,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
)

from .models import NOTICE_MAX, Member, Notice


def member_sign_up(*, handle, password, email="", home_area=None) -> Member:
    with transaction.atomic():
        return Member.objects.create_user(handle, password, email=email, home_area=home_area)


def member_update(*, member: Member, email: str, home_area) -> None:
    """The member's own optional details. Changing the email voids any password reset link."""
    member.email = email
    member.home_area = home_area
    member.save(update_fields=["email", "home_area"])


def member_set_limits(*, member: Member, max_active_claims, available_days) -> None:
    """The volunteer's own limits: needs held at once (None: the network's cap) and their days."""
    member.max_active_claims = max_active_claims
    member.available_days = sorted(set(available_days))
    member.save(update_fields=["max_active_claims", "available_days"])


def notice_send(*, member: Member, text: str) -> Notice:
    """Tell a member something in the app. ``text`` must never hold private text."""
    return Notice.objects.create(member=member, text=str(text)[:NOTICE_MAX])


def notices_mark_read(*, member: Member) -> int:
    return Notice.objects.filter(member=member, read_at__isnull=True).update(read_at=timezone.now())


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
            .filter(requester=member, status__in=[NeedStatus.OPEN, NeedStatus.CLAIMED])
            .select_related("claimant")
            .order_by("pk")
        )
        for need in list(own):
            helper = need.claimant
            aid_services.need_cancel(need=need, member=member)
            if helper is not None:
                notice_send(
                    member=helper,
                    text=_(
                        "A neighbor whose need you were helping with left the network; "
                        "the need was cancelled."
                    ),
                )

        held = (
            Need.objects.select_for_update(of=("self",))
            .filter(claimant=member)
            .select_related("requester")
            .order_by("pk")
        )
        for need in list(held):
            aid_services.need_release(need=need, member=member, leaving=True)
            if need.requester is not None:
                notice_send(
                    member=need.requester,
                    text=_(
                        "The volunteer for “%(summary)s” left the network; "
                        "your need is back on the board."
                    )
                    % {"summary": need.summary},
                )

        for offer in Offer.objects.filter(offerer=member, status=OfferStatus.OPEN).order_by("pk"):
            aid_services.offer_withdraw(offer=offer, member=member)

        Message.objects.filter(sender=member).delete()
        ContactShare.objects.filter(claim__need__requester=member).delete()
        Need.objects.filter(requester=member).update(details="")
        member.delete()
