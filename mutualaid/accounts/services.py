"""Writes to a member's own account: joining, notices, their details, and leaving the network."""

import secrets
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from mutualaid.lib import channels, notices, ratelimit
from mutualaid.lib.refusal import Refusal

from .forms import HANDLE_REFUSED, handle_is_usable
from .models import (
    Block,
    ContactKind,
    Delivery,
    DeliveryStatus,
    Member,
    Notice,
    ProxyChange,
    ProxyContact,
)
from .policy import Capability


def member_sign_up(*, handle, password, email="", home_area=None, language="") -> Member:
    """``language``: the one they read the sign-up page in, kept as theirs (none if the site
    does not speak it)."""
    language = language if language in dict(settings.LANGUAGES) else ""
    with transaction.atomic():
        return Member.objects.create_user(
            handle, password, email=email, home_area=home_area, language=language
        )


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
    read = Notice.objects.filter(member=member, read_at__isnull=True).update(read_at=timezone.now())
    if hasattr(member, "unread_notices"):  # as read at the request's start: none now
        member.unread_notices = 0
    return read


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


# Neighbors without an account (proxy intake) ------------------------------------------------

# Read aloud on the phone: no 0/O, 1/I/L to confuse. 32 signs, 8 of them: about 10^12 codes.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
CALLER_PREFIX = "caller-"


def reference_digest(code: str) -> str:
    """The keyed hash a reference code is kept as (like ``email_digest``): read back with or
    without its dash, in any case."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(code) != REFERENCE_LENGTH:
        return ""
    return salted_hmac(
        "mutualaid.accounts.ProxyContact.reference", code, algorithm="sha256"
    ).hexdigest()


def _draw(alphabet: str, length: int) -> str:
    """``length`` signs of ``alphabet``, each as likely as ``secrets.choice`` makes it, from one
    read of the system's randomness rather than one a sign."""
    size = len(alphabet)
    limit = 256 - 256 % size  # a byte at or above it would favour the first signs: dropped
    signs = ""
    while len(signs) < length:
        randomness = secrets.token_bytes(2 * length)
        signs += "".join(alphabet[byte % size] for byte in randomness if byte < limit)
    return signs[:length]


def _new_reference() -> str:
    code = _draw(REFERENCE_ALPHABET, REFERENCE_LENGTH)
    return f"{code[:4]}-{code[4:]}"


def handles_taken(handle: str):
    """The members with this handle in any case, found through the case-insensitive unique index
    (member_handle_unique_ci) rather than by reading every member (``handle__iexact``)."""
    return _by_lower_handle().filter(handle_lower=(handle or "").lower())


def _by_lower_handle():
    return Member.objects.annotate(handle_lower=Lower("handle"))


def _caller_handle() -> str:
    """A new "caller-xxxxx" pseudonym (one of 31^5: about 28 million)."""
    return CALLER_PREFIX + _draw(REFERENCE_ALPHABET.lower(), 5)


def proxy_contact_value(kind: str, value: str, *, region: str) -> str:
    """The way to reach the caller, checked: a phone number must be one the network's country
    can dial (the doxxing guard's reading), kept in E.164; an email must be one."""
    value = (value or "").strip()
    if kind not in ContactKind.values:
        raise Refusal(gettext("Choose one of the options listed."), code="invalid")
    if not value:
        raise Refusal(gettext("Write how to reach them."), code="contact")
    if len(value) > PROXY_CONTACT_MAX:
        raise Refusal(
            gettext("Keep it to %(max)d characters.") % {"max": PROXY_CONTACT_MAX}, code="contact"
        )
    if kind == ContactKind.PHONE:
        try:
            number = phonenumbers.parse(value, (region or "US").upper())
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise Refusal(
                gettext("That is not a phone number we can call. Check it with them."),
                code="contact",
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if kind == ContactKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise Refusal(gettext("That is not an email address."), code="contact") from None
    return value


PROXY_CONTACT_MAX = 300


def proxy_create(
    *,
    taken_by: Member,
    handle: str,
    contact_kind: str,
    contact: str,
    consent: bool,
    region: str,
    home_area=None,
) -> tuple[Member, str]:
    """A member for a neighbor who phoned: no password, no email, a newcomer (never a volunteer
    while organizers speak for them), with the sealed way to reach them and the consent given to
    ``taken_by``. Returns (member, reference code): the code is shown once, to be read back, and
    kept only as its hash. Call it inside the transaction that records their first need."""
    value, asked = proxy_check(
        handle=handle, contact_kind=contact_kind, contact=contact, consent=consent, region=region
    )
    for _attempt in range(20):
        # A made-up pseudonym is not looked up first: the unique constraints say whether it is
        # taken (rarely: a few thousand callers among millions of pseudonyms), and another is
        # tried. Either way the handle was checked, so full_clean need not look it up again.
        chosen = asked or _caller_handle()
        try:
            with transaction.atomic():
                member = Member.objects.create_user(chosen, None, checked=True, home_area=home_area)
            break
        except ValidationError:
            raise Refusal(HANDLE_REFUSED, code="handle") from None
        except IntegrityError:
            if asked:  # the same handle, registered a moment ago
                raise Refusal(HANDLE_REFUSED, code="handle") from None
    else:  # pragma: no cover
        raise Refusal(gettext("Choose a pseudonym for them."), code="handle")
    proxy, code = _new_proxy(member, contact_kind=contact_kind, value=value, taken_by=taken_by)
    proxy.save()
    return member, code


def proxy_check(
    *, handle: str, contact_kind: str, contact: str, consent: bool, region: str, taken=None
) -> tuple[str, str]:
    """proxy_create's rules, met before anything is written: their consent, the way to reach
    them (proxy_contact_value), and a pseudonym they asked for, by the sign-up form's rules and
    free in any case (``taken``: the handles in lower case that a ProxyBatch read together; else
    looked up). Returns (the way to reach them as kept, the pseudonym asked for or "")."""
    if not consent:
        raise Refusal(
            gettext("Ask them first: we record a need only with their agreement."),
            code="consent",
        )
    value = proxy_contact_value(contact_kind, contact, region=region)
    asked = (handle or "").strip()  # the pseudonym they asked for: the sign-up form's rules
    if asked and (
        not handle_is_usable(asked)
        or (asked.lower() in taken if taken is not None else handles_taken(asked).exists())
    ):
        raise Refusal(HANDLE_REFUSED, code="handle")
    return value, asked


def _new_proxy(member, *, contact_kind, value, taken_by) -> tuple[ProxyContact, str]:
    """The caller's contact row (unsaved) and their reference code, kept only as its hash."""
    code = _new_reference()
    proxy = ProxyContact(
        member=member,
        contact_kind=contact_kind,
        contact=value,
        consent_at=timezone.now(),
        taken_by=taken_by,
        reference_hash=reference_digest(code),
    )
    return proxy, code


def _handles_taken_among(handles) -> set[str]:
    """Which of ``handles`` (lower case) members have, in any case: one read, through the
    index handles_taken uses."""
    handles = list(handles)
    if not handles:
        return set()
    found = _by_lower_handle().filter(handle_lower__in=handles)
    return {handle.lower() for handle in found.values_list("handle", flat=True)}


@dataclass(frozen=True)
class NewCaller:
    """A caller checked by ProxyBatch.check: their member (unsaved) and their way to reach them."""

    member: Member
    contact_kind: str
    contact: str
    asked: str


class ProxyBatch:
    """Callers recorded many at once (an import of needs), by proxy_create's rules: each is
    checked (``check``: proxy_check, and their member's fields) and kept once the rest of its
    row stands (``add``); the pseudonyms the batch asks for are looked up together as it starts,
    and ``write`` writes every member and contact in a few INSERTs, inside the caller's
    transaction, returning (member, reference code) for each in the order added."""

    def __init__(self, *, taken_by: Member, region: str, asking=()):
        self.taken_by, self.region = taken_by, region
        # The handles (lower case) taken: read for those asked, and each kept one's, as added.
        self.taken = _handles_taken_among(
            {(handle or "").strip().lower() for handle in asking} - {""}
        )
        self.callers: list[NewCaller] = []

    def check(self, *, handle, contact_kind, contact, consent, home_area=None) -> NewCaller:
        value, asked = proxy_check(
            handle=handle,
            contact_kind=contact_kind,
            contact=contact,
            consent=consent,
            region=self.region,
            taken=self.taken,
        )
        try:
            member = Member.objects.new_user(
                asked or _caller_handle(), None, checked=True, home_area=home_area
            )
        except ValidationError:
            raise Refusal(HANDLE_REFUSED, code="handle") from None
        return NewCaller(member=member, contact_kind=contact_kind, contact=value, asked=asked)

    def add(self, caller: NewCaller) -> Member:
        self.taken.add(caller.member.handle.lower())
        self.callers.append(caller)
        return caller.member

    def write(self) -> list[tuple[Member, str]]:
        """A made-up pseudonym a member has (or another of the batch) is drawn again first, as
        proxy_create draws again; one taken a moment ago still meets the unique constraint
        (IntegrityError: the caller's transaction is rolled back)."""
        kept = {caller.asked.lower() for caller in self.callers if caller.asked}
        drawn = [caller.member for caller in self.callers if not caller.asked]
        for _attempt in range(20):
            taken = _handles_taken_among(member.handle.lower() for member in drawn)
            again = []
            for member in drawn:
                if member.handle.lower() in taken or member.handle.lower() in kept:
                    member.handle = _caller_handle()
                    again.append(member)
                else:
                    kept.add(member.handle.lower())
            drawn = again
            if not drawn:
                break
        else:  # pragma: no cover
            raise Refusal(gettext("Choose a pseudonym for them."), code="handle")
        Member.objects.bulk_create([caller.member for caller in self.callers])
        written = [
            _new_proxy(
                caller.member,
                contact_kind=caller.contact_kind,
                value=caller.contact,
                taken_by=self.taken_by,
            )
            for caller in self.callers
        ]
        ProxyContact.objects.bulk_create([proxy for proxy, _code in written])
        pairs = zip(self.callers, written, strict=True)
        return [(caller.member, code) for caller, (_proxy, code) in pairs]


def proxy_by_reference(code: str) -> ProxyContact | None:
    """The caller a reference code names, while organizers still speak for them."""
    digest = reference_digest(code)
    if not digest:
        return None
    return (
        ProxyContact.objects.select_related("member")
        .filter(reference_hash=digest, taken_over_at__isnull=True, member__is_active=True)
        .first()
    )


TAKE_OVER_REFUSED = gettext_lazy(
    "That reference code does not work. Check it with the organizer who took your call."
)


def proxy_take_over(
    *, code: str, password: str, handle: str = "", email: str = "", language: str = ""
) -> Member:
    """The caller takes their account over with their reference code: a password (and a new
    handle, an email, if they want), and organizers no longer relay for them. ``language``: the
    one they read the page in, kept as theirs unless they chose one already. The code works once:
    its hash is replaced by a hash of nothing, in the same compare-and-set that marks the take-over.
    The caller of this checks the password's strength and the rate limit (a login page's)."""
    proxy = proxy_by_reference(code)
    if proxy is None:
        raise Refusal(TAKE_OVER_REFUSED, code="reference")
    member = proxy.member
    handle = (handle or "").strip()
    if handle and handle.lower() != member.handle.lower():
        taken = handles_taken(handle).exclude(pk=member.pk).exists()
        if taken or not handle_is_usable(handle):
            raise Refusal(HANDLE_REFUSED, code="handle")
    else:
        handle = member.handle
    with transaction.atomic():
        # The code read is still theirs: not taken over, and not replaced a moment ago by a new
        # one (proxy_new_reference).
        used = ProxyContact.objects.filter(
            pk=proxy.pk, taken_over_at__isnull=True, reference_hash=proxy.reference_hash
        ).update(
            taken_over_at=timezone.now(),
            reference_hash=salted_hmac(
                "mutualaid.accounts.ProxyContact.used", secrets.token_hex(16), algorithm="sha256"
            ).hexdigest(),
        )
        if used != 1:  # taken over a moment ago
            raise Refusal(TAKE_OVER_REFUSED, code="reference")
        member.handle = handle
        member.email = (email or "").strip()
        member.set_password(password)
        if not member.language and language in dict(settings.LANGUAGES):
            member.language = language
        try:
            with transaction.atomic():
                member.save(update_fields=["handle", "email", "password", "language"])
        except IntegrityError:  # the same handle, registered a moment ago
            raise Refusal(HANDLE_REFUSED, code="handle") from None
    return member


NEW_REFERENCE_STALE = gettext_lazy("This caller has taken their account over.")


def proxy_new_reference(*, by: Member, proxy: ProxyContact) -> str:
    """A new reference code for a caller organizers still speak for (not taken over, active),
    issued by ``by``, an organizer who takes calls: for a caller who lost theirs, or one an import
    recorded, whose code nobody read them. Returns the code, to be shown once and read back to
    them; only its hash is kept. The old code stops working in the same compare-and-set that
    stores the new one, and the audit row (``ProxyChange``: who, when) is written in the same
    transaction. Limited per organizer (``RATE_LIMITS["new-references"]``): once over, a refusal
    (code ``rate_limited``) and nothing changed."""
    if by is None or not by.can(Capability.INTAKE):
        raise Refusal(
            gettext("Only organizers who take calls give a caller a new reference code."),
            code="forbidden",
        )
    if not proxy.is_relayed() or not proxy.member.is_active:
        raise Refusal(NEW_REFERENCE_STALE, code="stale")
    ratelimit.enforce("new-references", f"member:{by.code}")
    code = _new_reference()
    digest, now = reference_digest(code), timezone.now()
    with transaction.atomic():
        last = ProxyChange.objects.filter(
            proxy=proxy, action=ProxyChange.Action.NEW_REFERENCE
        ).first()  # the latest: the model's ordering
        replaced = ProxyContact.objects.filter(
            pk=proxy.pk, taken_over_at__isnull=True, member__is_active=True
        ).update(reference_hash=digest)
        if replaced != 1:  # taken over (or their account closed) a moment ago
            raise Refusal(NEW_REFERENCE_STALE, code="stale")
        ProxyChange.objects.create(
            actor=by,
            proxy=proxy,
            action=ProxyChange.Action.NEW_REFERENCE,
            old={"issued_at": (last.created_at if last else proxy.created_at).isoformat()},
            new={"issued_at": now.isoformat()},
            created_at=now,
        )
    proxy.reference_hash = digest
    return code


def member_set_languages(*, member: Member, languages) -> None:
    """The languages the member speaks, from the network's list (settings.SPOKEN_LANGUAGES)."""
    known = [code for code, _name in settings.SPOKEN_LANGUAGES]
    chosen = set(languages or [])
    if not chosen <= set(known):
        raise Refusal(gettext("Choose one of the options listed."), code="invalid")
    member.languages = [code for code in known if code in chosen]  # the list's order
    member.save(update_fields=["languages"])


def member_set_language(*, member: Member, language: str) -> None:
    """The language the member reads the site and their messages in: a code of
    settings.LANGUAGES, or empty for the network's."""
    if language and language not in dict(settings.LANGUAGES):
        raise Refusal(gettext("Choose one of the options listed."), code="invalid")
    if member.language != language:
        member.language = language
        member.save(update_fields=["language"])
