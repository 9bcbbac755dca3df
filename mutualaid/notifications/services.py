"""Writes to how a member hears about things, and the daily digest."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualaid.accounts.models import Member, Notice
from mutualaid.lib import channels as registry
from mutualaid.lib.refusal import Refusal

from . import channels, content, selectors
from .models import CHAT, EMAIL, ChatHook, Digest, DigestStatus, Mode, Preference

DIGEST_EVERY = timedelta(days=1)


def preferences_set(*, member: Member, modes: dict[tuple[str, str], str]) -> None:
    """Store the member's choice for each (kind, channel) given; a daily digest is email's only."""
    with transaction.atomic():
        for (kind, channel), mode in modes.items():
            if channel not in selectors.CHANNELS or mode not in Mode.values:
                raise ValueError(f"{channel!r} {mode!r}")
            if channel == CHAT and mode == Mode.DIGEST:
                raise Refusal(_("Chat messages come right away or never."), code="chat_digest")
            Preference.objects.update_or_create(
                member=member, kind=kind, channel=channel, defaults={"mode": mode}
            )


def chat_url_set(*, member: Member, url: str) -> None:
    """Set (or, empty, remove) the member's one chat address."""
    url = url.strip()
    with transaction.atomic():
        if not url:
            ChatHook.objects.filter(member=member).delete()
            return
        if not channels.is_chat_url(url):
            raise Refusal(_("This is not an address we can send to."), code="chat_url_invalid")
        hook = ChatHook.objects.filter(member=member).first() or ChatHook(member=member)
        hook.url = url
        hook.updated_at = timezone.now()
        hook.save()


def unsubscribe(*, token: str) -> tuple[Member, str]:
    """Stop emails of one kind for the member the token names (from a link in an email).

    Raises ``signing.BadSignature`` for a token we did not make, ``Member.DoesNotExist`` for a
    member who is gone.
    """
    code, kind = content.read_unsubscribe_token(token)
    member = Member.objects.get(code=code)
    preferences_set(member=member, modes={(kind, EMAIL): Mode.NEVER})
    return member, kind


def digests_send(*, now=None) -> int:
    """Make each due digest (one per member a day) and send those waiting. Returns emails sent."""
    now = now or timezone.now()
    _digests_make(now)
    sent = 0
    for digest in Digest.objects.filter(
        status=DigestStatus.PENDING, next_attempt_at__lte=now
    ).order_by("pk")[:500]:
        claimed = Digest.objects.filter(
            pk=digest.pk, status=DigestStatus.PENDING, attempts=digest.attempts
        ).update(status=DigestStatus.SENDING, attempts=digest.attempts + 1)
        if claimed != 1:
            continue  # another worker has it
        try:
            count = _digest_deliver(digest)
        except Exception as error:  # noqa: BLE001  (any failure of the outside world is retried)
            attempts = digest.attempts + 1
            Digest.objects.filter(pk=digest.pk).update(
                status=DigestStatus.FAILED
                if attempts >= registry.MAX_ATTEMPTS
                else DigestStatus.PENDING,
                next_attempt_at=timezone.now() + registry.backoff(attempts),
                error=type(error).__name__[:200],
            )
            continue
        Digest.objects.filter(pk=digest.pk).update(
            status=DigestStatus.SENT, sent_at=timezone.now(), notice_count=count, error=""
        )
        sent += 1 if count else 0
    return sent


def _digests_make(now) -> None:
    """A digest row for each member with a digest choice whose last digest is a day old."""
    members = Member.objects.filter(
        is_active=True,
        notification_choices__channel=EMAIL,
        notification_choices__mode=Mode.DIGEST,
    ).distinct()
    for member in members:
        last = Digest.objects.filter(member=member).order_by("-until").first()
        if last is not None and now - last.until < DIGEST_EVERY:
            continue
        since = last.until if last is not None else now - DIGEST_EVERY
        try:
            with transaction.atomic():
                # Due at ``now``: the default (the clock a moment later) would leave it unsent
                # by the call that made it.
                Digest.objects.create(member=member, since=since, until=now, next_attempt_at=now)
        except IntegrityError:
            continue  # another worker made it a moment ago


def _digest_deliver(digest: Digest) -> int:
    member = digest.member
    if not member.email:
        return 0
    modes = selectors.modes_of(member)
    notices = [
        notice
        for notice in Notice.objects.filter(
            member=member, created_at__gte=digest.since, created_at__lt=digest.until
        ).order_by("created_at")
        if modes.get((notice.kind, EMAIL)) == Mode.DIGEST
    ]
    if not notices:
        return 0
    count = len(notices)
    with translation.override(member.interface_language()):  # the member's, not the worker's
        subject = ngettext(
            "Your daily digest: %(count)d notice", "Your daily digest: %(count)d notices", count
        ) % {"count": count}
        channels.send_email(
            member, [content.public_message(notice) for notice in notices], subject=subject
        )
    return count
