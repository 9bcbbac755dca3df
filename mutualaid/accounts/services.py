"""Writes to a member's own account: joining, notices, their details, and leaving the network."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualaid.lib import channels, notices
from mutualaid.lib.refusal import Refusal

from .models import Block, Delivery, DeliveryStatus, Member, Notice


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


def notify(*, member: Member | None, kind: str, **params) -> Notice | None:
    """Tell ``member`` something: the event seam every service calls inside its transaction.

    The notice (a kind and its parameters, see ``lib.notices``) is in the app as soon as the
    transaction commits; each channel beyond the app the member can receive gets an outbox row in
    the same transaction, and the worker is handed their ids once it commits (never any text).
    ``params`` are public facts only: a summary, a code, a handle, a reason the member is shown.
    """
    if member is None or member.pk is None:
        return None
    if kind not in notices.KINDS:
        raise ValueError(f"Unknown notice kind: {kind!r}")
    notice = Notice(member=member, kind=kind)
    notice.params = {key: str(value) for key, value in params.items()}
    notice.save()
    outbox = [
        Delivery(notice=notice, channel=channel.name)
        for channel in channels.for_member(member, kind)
    ]
    if outbox:
        ids = [delivery.pk for delivery in Delivery.objects.bulk_create(outbox)]
        transaction.on_commit(lambda: _hand_to_worker(ids))
    return notice


def _hand_to_worker(delivery_ids) -> None:
    from .tasks import deliver  # tasks.py imports this module: the worker's side of the seam

    deliver.enqueue(delivery_ids)


def deliveries_send(*, delivery_ids=None, now=None) -> int:
    """Send the outbox rows that are due (or those named), each at most once.

    A row is claimed by a compare-and-set from pending to sending, so two workers never send the
    same row; a failure goes back to pending with a later ``next_attempt_at``, until it fails for
    good after ``channels.MAX_ATTEMPTS``. Returns how many were sent. The claim stamps
    ``next_attempt_at`` with the time of the try, which ``deliveries_recover`` reads.
    """
    now = now or timezone.now()
    if delivery_ids is None:  # the periodic sweep (housekeeping): rows a dead worker left
        deliveries_recover(now=now)
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    if delivery_ids is not None:
        due = due.filter(pk__in=delivery_ids)
    sent = 0
    for delivery in list(due.select_related("notice", "notice__member").order_by("pk")[:500]):
        claimed = Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
        ).update(
            status=DeliveryStatus.SENDING,
            attempts=delivery.attempts + 1,
            next_attempt_at=timezone.now(),
        )
        if claimed != 1:
            continue  # another worker has it
        channel = channels.CHANNELS.get(delivery.channel)
        try:
            if channel is None:
                raise LookupError(f"no channel {delivery.channel!r}")
            channel.send(delivery.notice)
        except Exception as error:  # noqa: BLE001  (any failure of the outside world is retried)
            attempts = delivery.attempts + 1
            failed = attempts >= channels.MAX_ATTEMPTS
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
                next_attempt_at=timezone.now() + channels.backoff(attempts),
                error=type(error).__name__[:200],
            )
            continue
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
        )
        sent += 1
    return sent


def deliveries_recover(*, now=None) -> int:
    """Mark failed, for review, the rows a killed worker left "sending" (see channels.STUCK_AFTER).

    Never sent again: the worker may have died after the far end took the message and before
    the row was marked sent, and the promise is "never twice"; a lost message is the lesser harm,
    since every notice is in the app anyway. Returns how many rows were marked.
    """
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=DeliveryStatus.SENDING, next_attempt_at__lte=now - channels.STUCK_AFTER
    ).update(status=DeliveryStatus.FAILED, error="Interrupted")


def notices_mark_read(*, member: Member) -> int:
    return Notice.objects.filter(member=member, read_at__isnull=True).update(read_at=timezone.now())


# Blocking ------------------------------------------------------------------------------------


def member_block(*, blocker, blocked, label: str = "") -> Block:
    """``blocker`` blocks ``blocked``, silently (nobody tells the blocked member).

    ``label``: how the blocker knew them when not by handle (from a message: for an anonymous
    requester, words that do not give the handle away). Blocking the same way twice is the same as
    once; blocking by handle someone a message-block already covers adds its own row, so the list
    never shows that an existing block stood for that person.
    """
    if blocked.pk == blocker.pk:
        raise Refusal(_("You cannot block yourself."), code="block_self")
    via_handle = not label
    with transaction.atomic():
        same_way = Block.objects.filter(blocker=blocker, blocked=blocked, via_handle=via_handle)
        for block in same_way:
            if via_handle or block.label == label:
                return block
        try:
            with transaction.atomic():
                return Block.objects.create(
                    blocker=blocker,
                    blocked=blocked,
                    label=label or blocked.handle,
                    via_handle=via_handle,
                )
        except IntegrityError:  # the same block by handle, a moment ago
            return Block.objects.get(blocker=blocker, blocked=blocked, via_handle=True)


def member_unblock(*, block: Block) -> None:
    """Remove one block; the member stays blocked while another of the blocker's rows names them."""
    block.delete()
