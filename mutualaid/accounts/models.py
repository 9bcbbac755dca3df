"""A member is a handle: a pseudonym, unique, shown everywhere. Everything else is optional."""

import json
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from mutualaid.lib import notices
from mutualaid.lib.audit import AuditRecord
from mutualaid.lib.fields import EncryptedTextField


class Level(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer")
    VOUCHED = "vouched", _("Vouched member")
    SUSPENDED = "suspended", _("Suspended")


class Role(models.TextChoices):
    TRIAGER = "triager", _("Triager")
    DISPATCHER = "dispatcher", _("Dispatcher")
    SAFETY = "safety", _("Safety officer")
    ADMIN = "admin", _("Admin")


handle_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$",
    _(
        "A handle is 3 to 30 letters, digits, dots, dashes or underscores, starting with a letter "
        "or digit."
    ),
)


EMAIL_MAX = 254


def email_digest(email: str) -> str:
    """The keyed hash that stands for an email in lookups (the email itself is sealed).

    HMAC-SHA256 under a key derived from SECRET_KEY, of the email lowercased and stripped, so that
    the database alone tells nobody whose email it is, while "the member with this email" is one
    indexed query. No email, no digest: empty emails match nothing.
    """
    email = (email or "").strip().lower()
    if not email:
        return ""
    return salted_hmac("mutualaid.accounts.Member.email", email, algorithm="sha256").hexdigest()


class MemberManager(BaseUserManager):
    def get_by_natural_key(self, handle):
        # Handles are unique whatever their case, and one logs in with any case.
        return self.get(handle__iexact=handle)

    def with_email(self, email: str):
        """The members whose email is ``email`` (whatever its case): found by the digest."""
        digest = email_digest(email)
        return self.filter(email_hash=digest) if digest else self.none()

    def create_user(self, handle, password=None, *, checked=False, **fields):
        """``checked``: the caller has seen to what full_clean would look up in the database
        (that no member has the handle in any case, and that the home area is one it read), so
        only the fields' own rules run here. The unique constraints still refuse a handle taken
        a moment ago (IntegrityError)."""
        member = self.new_user(handle, password, checked=checked, **fields)
        member.save(using=self._db)
        return member

    def new_user(self, handle, password=None, *, checked=False, **fields):
        """create_user's member, its fields checked as create_user checks them, not yet saved:
        for a service that writes many at once (``bulk_create`` calls no ``save``, so the
        email's digest is set here)."""
        member = self.model(handle=handle, **fields)
        if password is None:
            member.set_unusable_password()
        else:
            member.set_password(password)
        member.full_clean(
            exclude=["password", "home_area"] if checked else ["password"],
            validate_unique=not checked,
            validate_constraints=not checked,
        )
        member.email_hash = email_digest(member.email)
        return member

    def create_superuser(self, handle, password=None, **fields):
        """An approved admin: the first organizer of a network (`manage.py createsuperuser`)."""
        fields.setdefault("level", Level.VOUCHED)
        fields.setdefault("approved_at", timezone.now())
        fields.setdefault("vouched_since", fields["approved_at"])
        member = self.create_user(handle, password, **fields)
        RoleGrant.objects.create(member=member, role=Role.ADMIN)
        return member


class Member(AbstractBaseUser):
    # Its sealed columns: lists that never show them defer them, so nothing is even decrypted.
    SEALED = ("email", "suspension_reason")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    handle = models.CharField(
        _("handle"), max_length=30, unique=True, validators=[handle_validator]
    )
    # Sealed: only the member and the password reset mail read it. ``email_hash`` (kept by
    # ``save``) finds a member by email without opening anyone's.
    email = EncryptedTextField(_("email (optional)"), blank=True, validators=[validate_email])
    email_hash = models.CharField(max_length=64, blank=True, editable=False)
    home_area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Trust (see mutualaid/trust): the level is kept by the trust services, never set by hand.
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.NEWCOMER)
    vouched_since = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the member who vouched for them was suspended: newcomer until vouched or approved
    # again after this moment.
    review_hold_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    # The words the member is shown while suspended: sealed (they describe a person's conduct).
    suspension_reason = EncryptedTextField(blank=True)
    # Limits a volunteer sets against burnout (the network caps the first).
    max_active_claims = models.PositiveSmallIntegerField(null=True, blank=True)
    available_days = models.JSONField(default=list, blank=True)
    # A vouched member who wants to hear when a newcomer in their area asks to be vouched.
    hears_vouch_requests = models.BooleanField(default=False)
    # The languages they speak (codes from settings.SPOKEN_LANGUAGES): the match engine prefers a
    # volunteer who shares one with the requester.
    languages = models.JSONField(default=list, blank=True)
    # The language they read the site, emails and chat messages in (a code of settings.LANGUAGES);
    # empty: the network's (settings.LANGUAGE_CODE). See ``interface_language``.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "handle"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = MemberManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="member_handle_unique_ci"),
        ]
        indexes = [
            # "The member with this email": WHERE email_hash = ? (see MemberManager.with_email)
            models.Index(fields=["email_hash"], name="member_email_hash_idx"),
        ]

    def __str__(self):
        return self.handle

    def save(self, *args, **kwargs):
        """Keep ``email_hash`` beside the email whenever the email is written."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            if "email" not in self.get_deferred_fields():
                self.email_hash = email_digest(self.email)
        elif "email" in update_fields:
            self.email_hash = email_digest(self.email)
            kwargs["update_fields"] = {*update_fields, "email_hash"}
        super().save(*args, **kwargs)

    def get_username(self):
        return self.handle

    def set_unusable_password(self):
        """As Django's: "!" and 40 random characters, which no password matches; drawn at once
        (one by one, they took a tenth of the time it takes to record a phoned-in caller)."""
        self.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles held now, read once per request (a removed role is gone on the next one)."""
        if self.pk is None:
            return frozenset()
        if hasattr(self, "live_roles"):  # read with the member (accounts/backends.py)
            return frozenset(self.live_roles.split(",")) if self.live_roles else frozenset()
        live = self.role_grants.filter(removed_at__isnull=True)
        return frozenset(live.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_organizer(self) -> bool:
        """Any organizer role (for the organizers' menu); what they may do is ``can``'s to say."""
        return bool(self.roles)

    @cached_property
    def capabilities(self) -> frozenset[str]:
        from .policy import capabilities_of  # the policy module imports this one

        return capabilities_of(self.roles)

    def can(self, capability: str) -> bool:
        """Whether the roles held now carry ``capability`` (see accounts/policy.py)."""
        return capability in self.capabilities

    def is_vouched(self) -> bool:
        return self.level == Level.VOUCHED

    def is_suspended(self) -> bool:
        return self.level == Level.SUSPENDED

    def interface_language(self, default: str = "") -> str:
        """The language to write to them in: their own choice, else ``default`` (the language of
        the page that asked, say), else the network's; always one the site speaks."""
        spoken = dict(settings.LANGUAGES)
        for language in (self.language, default):
            if language and language in spoken:
                return language
        return settings.LANGUAGE_CODE

    def claim_limit(self, network_cap: int) -> int:
        """How many needs they may hold at once: their own limit, never above the network's."""
        return min(self.max_active_claims or network_cap, network_cap)

    def is_available_on(self, weekday: int) -> bool:
        """Whether they said they take needs on that weekday (0 = Monday); no days said: any."""
        return not self.available_days or weekday in self.available_days


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Other (a landline at a neighbor's, a meeting place...)")


class ProxyContact(models.Model):
    """A neighbor without an account (they phoned a hotline, or have no smartphone), for whom an
    organizer records needs: the member row is theirs, with no password and no email until they
    take it over with their reference code (accounts.services.proxy_take_over).

    The organizer who took the call relays messages for them. The way to reach them is sealed;
    the reference code is kept only as a keyed hash, like an email.
    """

    # Names the row in its sealed field's associated data (lib.fields), as on every sealed row.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="proxy")
    contact_kind = models.CharField(max_length=10, choices=ContactKind.choices)
    contact = EncryptedTextField()
    # Consent: who took the call, when, and that the neighbor agreed to be recorded.
    consent_at = models.DateTimeField()
    taken_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="proxies_taken"
    )
    reference_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the neighbor took their account over: organizers no longer relay for them.
    taken_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_kind__in=ContactKind.values), name="proxy_contact_kind_valid"
            ),
        ]

    def __str__(self):
        return f"proxy for {self.member_id}"

    def is_relayed(self) -> bool:
        """Organizers still speak for them (they have not taken their account over)."""
        return self.taken_over_at is None


class ProxyChange(AuditRecord):
    """A caller given a new reference code by an organizer who takes calls (they lost theirs, or
    an import recorded them and nobody read them one): who (``actor``) and when, ``old`` and
    ``new`` holding when the code replaced and the new one were issued. Never a code, nor its
    hash. Written by accounts.services.proxy_new_reference in the same transaction; append-only
    (lib/audit.py). The row stays when the caller's account goes, naming nobody then."""

    class Action(models.TextChoices):
        NEW_REFERENCE = "new_reference", "new reference"

    proxy = models.ForeignKey(
        ProxyContact, null=True, on_delete=models.SET_NULL, related_name="changes"
    )
    action = models.CharField(max_length=20, choices=Action.choices)

    class Meta(AuditRecord.Meta):
        indexes = [
            # A caller's record: WHERE proxy_id = ? ORDER BY created_at DESC
            models.Index(fields=["proxy", "created_at"], name="proxy_change_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["new_reference"]), name="proxy_change_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.action}: {self.old!r} -> {self.new!r}"


class Notice(models.Model):
    """Something one member should hear about, kept as a kind and its parameters.

    It is written in the same transaction as the change it tells of, and rendered in the
    recipient's language only when shown (``lib.notices``). The parameters are sealed: they may
    name a need's summary or a suspension's reason. Never private details, messages or contacts.
    Each channel beyond the app (email, chat tools) gets a ``Delivery`` row, the outbox.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=40)
    params_sealed = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A member's notices: WHERE member_id = ? ORDER BY created_at DESC
            models.Index(fields=["member", "created_at"], name="notice_member_idx"),
            # The header's count: WHERE member_id = ? AND read_at IS NULL
            models.Index(
                fields=["member"],
                condition=models.Q(read_at__isnull=True),
                name="notice_unread_idx",
            ),
        ]

    def __str__(self):
        return self.kind

    @property
    def params(self) -> dict:
        return json.loads(self.params_sealed) if self.params_sealed else {}

    @params.setter
    def params(self, value: dict) -> None:
        self.params_sealed = json.dumps(value or {}, sort_keys=True)

    @property
    def text(self) -> str:
        """The notice in the active language (the recipient's, when they read it)."""
        return notices.render(self.kind, self.params)

    @property
    def url(self) -> str | None:
        """The page the notice is about (a need's page), if its kind names one."""
        target = notices.link(self.kind, self.params)
        if target is None:
            return None
        url_name, param, value = target
        try:
            if param.startswith("?"):
                return reverse(url_name) + "?" + urlencode({param[1:]: value})
            return reverse(url_name, args=[value])
        except NoReverseMatch:
            return None

    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """The outbox: one notice, to be carried by one channel beyond the app (healthchecks'
    ``Notification``). The worker claims a row with a compare-and-set on its status, so a row is
    never sent twice; a failure is retried with backoff until ``lib.channels.MAX_ATTEMPTS``."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            # The worker's queue: WHERE status = 'pending' AND next_attempt_at <= now
            models.Index(fields=["status", "next_attempt_at"], name="delivery_queue_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel"], name="delivery_one_per_channel"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]


class RoleGrant(models.Model):
    """A role held from granted_at until removed_at. Rows are never deleted: they are the record."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=12, choices=Role.choices)
    granted_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "role"],
                condition=Q(removed_at__isnull=True),
                name="role_grant_one_live",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_grant_valid"),
        ]
        indexes = [
            # A member's roles, read once per request: WHERE member_id = ? AND removed_at IS NULL
            models.Index(fields=["member", "removed_at"], name="role_grant_member_idx"),
        ]


class Block(models.Model):
    """``blocker`` keeps ``blocked`` out of their way. Silent: the blocked member never knows.

    One row per way the blocker named them: by handle (``via_handle``), or from a message, where
    the label may be words that do not give an anonymous requester's handle away. A member stays
    blocked while any row remains, so blocking a handle that a message-block already covers adds
    its own row, and nobody can learn from the list who stood behind an anonymous label.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    blocker = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    # How the blocker knew them (it may embed a need's summary): sealed like private text.
    label = EncryptedTextField()
    via_handle = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # "Has X blocked Y?": WHERE blocker_id = ? AND blocked_id = ?
            models.Index(fields=["blocker", "blocked"], name="block_pair_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["blocker", "blocked"],
                condition=Q(via_handle=True),
                name="block_one_by_handle_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="block_not_oneself"
            ),
        ]


class Session(AbstractBaseSession):
    """A session (settings.SESSION_ENGINE: accounts/sessions.py), with the member logged in to it,
    if any, in a column of its own: a request reads the session and its member in one query.

    Written when Django writes a session (a login, a renewal, a change of its data); the member's
    column always says what the session's data says (``SessionStore.create_model_instance``).
    """

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
